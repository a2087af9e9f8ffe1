"""Provenance of ties, the reported part of a graph, and how much of it is illustrative.

A node carries its provenance (`reported` or `illustrative`); a tie carries only a `source`. A
tie is illustrative when its source says so (`illustrative`, or `synthetic (...)` for a generated
graph) and reported when the source cites something. The reported part of a graph keeps what a
store loaded with only the reported records would hold: reported nodes, and reported ties whose
two ends are reported.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from graph.kinds import KINDS, NodeKind, RecordKind
from graph.models import (
    BuildsOn,
    Collaboration,
    GraphData,
    Innovation,
    Partnership,
    model_examples,
)
from graph.vocab import PartnershipKind, Provenance

ILLUSTRATIVE_SOURCES = ("illustrative", "synthetic")
"""How the source of an invented tie begins (case-insensitive)."""


def tie_provenance(source: str | None) -> Provenance:
    """The provenance of a tie with this `source`.

    >>> tie_provenance("illustrative").value
    'illustrative'
    >>> tie_provenance("synthetic (hexahelix synth --seed 7)").value
    'illustrative'
    >>> tie_provenance("home.banjarkab.go.id/?p=11915452 (day illustrative)").value
    'reported'
    """
    text = (source or "").strip().lower()
    if not text or text.startswith(ILLUSTRATIVE_SOURCES):
        return Provenance.ILLUSTRATIVE
    return Provenance.REPORTED


def is_reported(source: str | None) -> bool:
    """Whether a tie with this `source` is reported."""
    return tie_provenance(source) is Provenance.REPORTED


def reported_part(data: GraphData) -> GraphData:
    """The reported records of `data`: reported actors and innovations, and the ties with a
    source between them. An innovation whose owner is illustrative keeps no owner.

    >>> from graph.models import Actor, Collaboration, Innovation
    >>> data = GraphData(
    ...     actors=[Actor(id="a", name="A", helix="media", region="63", provenance="reported",
    ...                   source="page"), Actor(id="b", name="B", helix="media", region="63")],
    ...     innovations=[Innovation(id="i", name="I", origin="masyarakat", region="63",
    ...                             owner_id="b", provenance="reported", source="page")],
    ...     collaborations=[
    ...         Collaboration(actor_id="a", innovation_id="i", role="publicist",
    ...                       since="2025-01-01", source="page"),
    ...         Collaboration(actor_id="b", innovation_id="i", role="initiator",
    ...                       since="2025-01-01", source="page")])
    >>> part = reported_part(data)
    >>> [a.id for a in part.actors], part.innovations[0].owner_id, len(part.collaborations)
    (['a'], None, 1)
    """
    actors = {a.id for a in data.actors if a.provenance is Provenance.REPORTED}
    innovations = {i.id for i in data.innovations if i.provenance is Provenance.REPORTED}
    nodes: dict[NodeKind, set[str]] = {"actor": actors, "innovation": innovations}
    ties = {
        kind.section: [t for t in getattr(data, kind.section) if _reported_tie(kind, t, nodes)]
        for kind in KINDS
        if kind.tie
    }
    return GraphData(
        regions=list(data.regions),
        actors=[a for a in data.actors if a.id in actors],
        innovations=[
            i
            if i.owner_id is None or i.owner_id in actors
            else i.model_copy(update={"owner_id": None})
            for i in data.innovations
            if i.id in innovations
        ],
        **ties,
    )


def _reported_tie(kind: RecordKind, tie: object, nodes: dict[NodeKind, set[str]]) -> bool:
    """Both ends are reported nodes and the tie's source, if it has one, is reported (every tie
    kind of the registry: a new one is not left out of the reported part)."""
    if not all(getattr(tie, end.field) in nodes[end.node] for end in kind.ends):
        return False
    source = getattr(tie, "source", None)
    return source is None or is_reported(source)


def completeness(sources: Iterable[str]) -> float | None:
    """Reported ties / all ties for ties with these sources; None without ties.

    >>> completeness(["page", "illustrative", "illustrative", "page"])
    0.5
    >>> completeness([]) is None
    True
    """
    counts = Counter(is_reported(s) for s in sources)
    total = counts[True] + counts[False]
    return counts[True] / total if total else None


# -- provenance in answers -------------------------------------------------------------------
class TieProvenance(BaseModel):
    """Base of an answer's tie: `provenance` follows from `source` unless given."""

    @model_validator(mode="before")
    @classmethod
    def _provenance_from_source(cls, data: Any) -> Any:
        if isinstance(data, BaseModel):  # a stored record handed over as is
            data = data.model_dump()
        if isinstance(data, dict) and data.get("provenance") is None:
            return {**data, "provenance": tie_provenance(data.get("source")).value}
        return data


PROVENANCE_FIELD = Field(
    description="`reported` when the tie's source cites a public record, `illustrative` when it "
    "is invented (an example)."
)


def _with_provenance_examples(record: type[BaseModel]) -> ConfigDict:
    """The record's examples, each with the provenance its source gives, as answers carry it."""
    return ConfigDict(
        json_schema_extra={
            "examples": [
                {**x, "provenance": tie_provenance(x.get("source")).value}
                for x in model_examples(record)
            ]
        }
    )


class CollaborationOut(Collaboration, TieProvenance):
    """A collaboration as answers give it: the record and its provenance."""

    provenance: Provenance = PROVENANCE_FIELD

    model_config = _with_provenance_examples(Collaboration)


class PartnershipOut(Partnership, TieProvenance):
    """A partnership as answers give it: the record and its provenance."""

    provenance: Provenance = PROVENANCE_FIELD

    model_config = _with_provenance_examples(Partnership)


class BuildsOnOut(BuildsOn, TieProvenance):
    """A builds-on link as answers give it: the record and its provenance."""

    provenance: Provenance = PROVENANCE_FIELD

    model_config = _with_provenance_examples(BuildsOn)


GEOLASTING_SIGNATORIES = "bappedalitbang.banjarkab.go.id/?p=17229 (signed the joint commitment)"
REPORTED_EVIDENCE_EXAMPLE: dict[str, Any] = {
    "actors": ["baznas-banjar", "bkkbn-kalsel"],
    "innovation_id": "geolasting",
    "partnership": None,
    "provenance": "reported",
    "sources": [GEOLASTING_SIGNATORIES, GEOLASTING_SIGNATORIES],
}
"""An example of a reported fact: two signatories of GEOLASTING's launch (both ties cited)."""


def illustrative_evidence_example(
    a: str, b: str, innovation_id: str | None, partnership: str | None = None
) -> dict[str, Any]:
    """An example of an invented fact between `a` and `b` (for OpenAPI examples)."""
    return {
        "actors": sorted([a, b]),
        "innovation_id": innovation_id,
        "partnership": partnership,
        "provenance": "illustrative",
        "sources": ["illustrative"] if partnership else ["illustrative", "illustrative"],
    }


class TieEvidence(BaseModel):
    """One fact a link between two actors rests on: an innovation both work on (their two
    ties) or their direct partnership (one tie)."""

    actors: list[str] = Field(description="The two actors the fact links.")
    innovation_id: str | None = Field(
        None, description="The innovation both work on; null for a direct partnership."
    )
    partnership: PartnershipKind | None = Field(
        None, description="Kind of the direct partnership; null for a shared innovation."
    )
    provenance: Provenance = Field(
        description="`reported` when every tie of the fact cites a source, else `illustrative`."
    )
    sources: list[str] = Field(description="The sources of its ties.")

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                REPORTED_EVIDENCE_EXAMPLE,
                illustrative_evidence_example("bank-daerah-a", "universitas-a", None, "mou"),
            ]
        }
    )


def shared_evidence(a: str, b: str, innovation_id: str, sources: Iterable[str]) -> TieEvidence:
    """The fact that `a` and `b` both work on `innovation_id`, with their ties' sources (in
    the order of the two actors, which are listed sorted so the fact reads the same both ways)."""
    listed = list(sources)
    if a > b:
        a, b, listed = b, a, listed[::-1]
    return TieEvidence(
        actors=[a, b],
        innovation_id=innovation_id,
        provenance=_all_reported(listed),
        sources=listed,
    )


def partnership_evidence(a: str, b: str, kind: PartnershipKind | str, source: str) -> TieEvidence:
    """The fact that `a` and `b` have a direct partnership of `kind`."""
    return TieEvidence(
        actors=sorted([a, b]),
        partnership=PartnershipKind(kind),
        provenance=tie_provenance(source),
        sources=[source],
    )


def overall(evidence: Iterable[TieEvidence]) -> Provenance:
    """A link holds on reported data when at least one fact it rests on is reported.

    >>> e = [partnership_evidence("a", "b", "mou", "illustrative")]
    >>> overall(e).value
    'illustrative'
    >>> overall([*e, shared_evidence("a", "b", "i", ["page", "page"])]).value
    'reported'
    """
    reported = any(item.provenance is Provenance.REPORTED for item in evidence)
    return Provenance.REPORTED if reported else Provenance.ILLUSTRATIVE


def _all_reported(sources: list[str]) -> Provenance:
    reported = bool(sources) and all(is_reported(s) for s in sources)
    return Provenance.REPORTED if reported else Provenance.ILLUSTRATIVE


def link_evidence(
    me: str,
    other: str,
    shared: Iterable[tuple[str, str, str]],
    partnership: tuple[PartnershipKind | str, str] | None,
) -> list[TieEvidence]:
    """The facts linking `me` and `other`: (innovation, my tie's source, theirs) for each
    shared innovation, and (kind, source) of their partnership; in that order."""
    facts = [shared_evidence(me, other, i, [mine, theirs]) for i, mine, theirs in shared]
    if partnership is not None:
        facts.append(partnership_evidence(me, other, *partnership))
    return facts


class IllustrativeShare(BaseModel):
    """How much of the data an answer rests on is invented: innovations, actor–innovation ties
    and partnerships (`illustrative_*` of all)."""

    innovations: int = Field(description="Innovations used.")
    illustrative_innovations: int = Field(description="Of them, illustrative ones.")
    ties: int = Field(
        description="Actor–innovation ties (collaborations) used, owners' implicit ties included "
        "where the answer counts them."
    )
    illustrative_ties: int = Field(description="Of them, illustrative ones.")
    partnerships: int = Field(0, description="Partnerships between actors used.")
    illustrative_partnerships: int = Field(0, description="Of them, illustrative ones.")

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "innovations": 54,
                    "illustrative_innovations": 36,
                    "ties": 282,
                    "illustrative_ties": 248,
                    "partnerships": 36,
                    "illustrative_partnerships": 34,
                }
            ]
        }
    )


def illustrative_share(
    innovations: Iterable[Innovation],
    ties: Iterable[Collaboration],
    partnerships: Iterable[Partnership] = (),
) -> IllustrativeShare:
    """Count the illustrative ones among `innovations`, `ties` and `partnerships`.

    >>> from graph.models import Partnership
    >>> pairs = [Partnership(source_id="a", target_id="b", kind="mou", since="2020-01-01",
    ...                      source=s) for s in ("page", "illustrative")]
    >>> share = illustrative_share([], [], pairs)
    >>> share.partnerships, share.illustrative_partnerships
    (2, 1)
    """
    listed = list(innovations)
    tie_list = list(ties)
    pair_list = list(partnerships)
    return IllustrativeShare(
        innovations=len(listed),
        illustrative_innovations=sum(1 for i in listed if i.provenance is Provenance.ILLUSTRATIVE),
        ties=len(tie_list),
        illustrative_ties=sum(1 for t in tie_list if not is_reported(t.source)),
        partnerships=len(pair_list),
        illustrative_partnerships=sum(1 for p in pair_list if not is_reported(p.source)),
    )


def with_provenance(tie: Collaboration) -> CollaborationOut:
    """The collaboration with its provenance, as answers give it."""
    return CollaborationOut.model_validate(tie.model_dump())


def partnership_with_provenance(pair: Partnership) -> PartnershipOut:
    """The partnership with its provenance, as answers give it."""
    return PartnershipOut.model_validate(pair.model_dump())
