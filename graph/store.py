"""The store port: everything the service asks of a graph store, whichever adapter serves it.

Two adapters implement it, `graph.embedded.EmbeddedStore` (SQLite on disk) and
`graph.neo4j.Neo4jStore`; one contract test suite holds both to the same behaviour.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import TypeVar

from pydantic import BaseModel, ConfigDict, Field

from graph.errors import NotFound
from graph.kinds import NodeKind
from graph.models import (
    Actor,
    ActorPatch,
    Collaboration,
    CollaborationPatch,
    GraphData,
    Innovation,
    InnovationPatch,
    Page,
    Partnership,
    PartnershipPatch,
    Region,
    active_between,
)
from graph.provenance import (
    PROVENANCE_FIELD,
    REPORTED_EVIDENCE_EXAMPLE,
    TieEvidence,
    TieProvenance,
    illustrative_evidence_example,
)
from graph.revision import IfMatch
from graph.vocab import Form, Helix, Origin, PartnershipKind, Provenance, Role, Scope, Stage

MAX_PAGE = 500
MAX_OFFSET = 2**63 - 1 - MAX_PAGE  # Neo4j adds SKIP and LIMIT in a 64-bit integer


N = TypeVar("N", Innovation, Actor)
T = TypeVar("T")


@dataclass(frozen=True)
class TieSpan:
    """An actor's tie to an innovation in brief: when it is active."""

    actor_id: str
    innovation_id: str
    since: date
    until: date | None

    def active_on(self, day: date) -> bool:
        """Whether the tie is active on `day` (the rule of `Collaboration.active_on`)."""
        return active_between(self.since, self.until, day)


@dataclass(frozen=True)
class InnovationSpan:
    """An innovation in brief: where it is, from when it counts, who owns it."""

    id: str
    region: str
    launched_on: date | None
    owner_id: str | None


@dataclass(frozen=True)
class Around:
    """Ties of some actors and the innovations they are tied to or own, in brief (by key)."""

    ties: list[TieSpan]
    innovations: list[InnovationSpan]


class PageRequest(BaseModel):
    """The window of a list: `limit` items starting at `offset`."""

    limit: int = Field(50, ge=1, le=MAX_PAGE, description="Items per page.")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Items to skip.")


def every(read: Callable[[PageRequest], Page[T]]) -> Iterator[T]:
    """All items of a paged read, page after page of MAX_PAGE."""
    offset = 0
    while True:
        page = read(PageRequest(limit=MAX_PAGE, offset=offset))
        yield from page.items
        offset += len(page.items)
        if not page.items or offset >= page.total:
            return


CASELESS_FIELDS = frozenset({"district"})
"""Filters that match whatever the case (names people type: `martapura` finds `Martapura`)."""


def same_name(stored: str | None, wanted: str) -> bool:
    """Whether a stored name matches a caseless filter's value (as the stores compare).

    >>> same_name("Martapura", "MARTAPURA"), same_name(None, "x")
    (True, False)
    """
    return stored is not None and stored.lower() == wanted.lower()


class InnovationFilter(BaseModel):
    """Filters for listing innovations; all given filters must match."""

    origin: Origin | None = Field(None, description="Kind of unit that proposed it.")
    sector: str | None = Field(None, description="Sector, exactly.")
    district: str | None = Field(None, description="Kecamatan name, in any case.")
    stage: Stage | None = Field(None, description="IGA stage.")
    form: Form | None = Field(None, description="IGA form.")
    region: str | None = Field(
        None, description="Region code; also matches regions inside it (`63` matches `63.03`)."
    )
    owner_id: str | None = Field(None, description="Id of the owning actor.")
    program: str | None = Field(None, description="Programme, exactly.")
    q: str | None = Field(None, description="Case-insensitive text search in the name.")


class ActorFilter(BaseModel):
    """Filters for listing actors; all given filters must match."""

    helix: Helix | None = Field(None, description="Hexahelix kind.")
    kind: str | None = Field(None, description="Sub-type within the helix kind, exactly.")
    region: str | None = Field(None, description="Region code; also matches regions inside it.")
    district: str | None = Field(None, description="Kecamatan name, in any case.")
    scope: Scope | None = Field(None, description="How far its work reaches.")
    sector: str | None = Field(None, description="Sector, exactly.")
    q: str | None = Field(None, description="Case-insensitive text search in the name.")


class CollaborationFilter(BaseModel):
    """Filters for listing collaborations."""

    innovation_id: str | None = Field(None, description="Ties to this innovation.")
    actor_id: str | None = Field(None, description="Ties of this actor.")
    role: Role | None = Field(None, description="Ties with this role.")


class PartnershipFilter(BaseModel):
    """Filters for listing partnerships; `actor_id` matches either end."""

    actor_id: str | None = Field(None, description="Partnerships with this actor at either end.")
    kind: PartnershipKind | None = Field(None, description="Partnerships of this formality.")


class CollaboratorTie(TieProvenance):
    """An actor on an innovation, with its tie."""

    actor_id: str = Field(description="Actor id.", examples=["universitas-a"])
    name: str = Field(description="Actor name.")
    helix: Helix = Field(description="Actor's Hexahelix kind.")
    role: Role = Field(description="What the actor does on the innovation.")
    strength: int = Field(
        description="Tie strength: 1 occasional, 2 regular, 3 core with a formal agreement."
    )
    since: date = Field(description="First day the tie is active.")
    until: date | None = Field(
        description="First day the tie is no longer active (exclusive); null: open-ended."
    )
    source: str = Field(description="The tie's source: a citation, or `illustrative`.")
    provenance: Provenance = PROVENANCE_FIELD

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "actor_id": "universitas-a",
                    "name": "Universitas A (contoh)",
                    "helix": "academia",
                    "role": "knowledge_partner",
                    "strength": 2,
                    "since": "2022-09-05",
                    "until": "2027-01-01",
                    "source": "illustrative",
                    "provenance": "illustrative",
                }
            ]
        }
    )


class ActorInnovation(TieProvenance):
    """An innovation an actor works on, with the actor's tie."""

    innovation_id: str = Field(description="Innovation id.", examples=["geolasting"])
    name: str = Field(description="Innovation name.")
    origin: Origin = Field(description="Kind of unit that proposed the innovation.")
    role: Role = Field(description="What the actor does on the innovation.")
    strength: int = Field(
        description="Tie strength: 1 occasional, 2 regular, 3 core with a formal agreement."
    )
    since: date = Field(description="First day the tie is active.")
    until: date | None = Field(
        description="First day the tie is no longer active (exclusive); null: open-ended."
    )
    source: str = Field(description="The tie's source: a citation, or `illustrative`.")
    provenance: Provenance = PROVENANCE_FIELD

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "innovation_id": "geolasting",
                    "name": "GEOLASTING",
                    "origin": "perangkat_daerah",
                    "role": "knowledge_partner",
                    "strength": 2,
                    "since": "2022-09-05",
                    "until": "2027-01-01",
                    "source": "illustrative",
                    "provenance": "illustrative",
                }
            ]
        }
    )


class Partner(BaseModel):
    """An actor's partner: a co-collaborator on shared innovations, a formal partner, or both."""

    actor_id: str = Field(description="The partner's id.", examples=["dinkes-banjar"])
    name: str = Field(description="The partner's name.")
    helix: Helix = Field(description="The partner's Hexahelix kind.")
    shared_innovations: list[str] = Field(description="Innovations both actors work on, sorted.")
    partnership: PartnershipKind | None = Field(
        None, description="Kind of direct partnership, if any."
    )
    evidence: list[TieEvidence] = Field(
        default_factory=list,
        description="What the link rests on: each shared innovation and the partnership.",
    )
    provenance: Provenance = Field(
        Provenance.ILLUSTRATIVE,
        description="`reported` when at least one fact of `evidence` is reported.",
    )

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "actor_id": "bank-daerah-a",
                    "name": "Bank daerah A (contoh)",
                    "helix": "private",
                    "shared_innovations": ["desa-wisata-riam-kanan", "tani-bauntung"],
                    "partnership": "mou",
                    "evidence": [
                        illustrative_evidence_example(
                            "universitas-a", "bank-daerah-a", "desa-wisata-riam-kanan"
                        ),
                        illustrative_evidence_example(
                            "universitas-a", "bank-daerah-a", "tani-bauntung"
                        ),
                        illustrative_evidence_example(
                            "universitas-a", "bank-daerah-a", None, "mou"
                        ),
                    ],
                    "provenance": "illustrative",
                }
            ]
        }
    )


class CommonGround(BaseModel):
    """What two actors have in common."""

    innovations: list[str] = Field(description="Innovations both work on, sorted.")
    partners: list[str] = Field(
        description="Actors both work with (co-collaborators or partners), sorted."
    )
    partnership: PartnershipKind | None = Field(
        None, description="Their direct partnership, if any."
    )
    evidence: list[TieEvidence] = Field(
        default_factory=list,
        description="The ties behind `innovations` and `partnership`, with their provenance.",
    )
    provenance: Provenance = Field(
        Provenance.ILLUSTRATIVE,
        description="`reported` when at least one fact of `evidence` is reported.",
    )

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "innovations": ["geolasting"],
                    "partners": ["bappedalitbang-banjar", "dinkes-banjar", "poltekkes-banjarmasin"],
                    "partnership": None,
                    "evidence": [REPORTED_EVIDENCE_EXAMPLE],
                    "provenance": "reported",
                }
            ]
        }
    )


class CoverageGap(BaseModel):
    """An innovation with its helix coverage and the kinds it lacks."""

    innovation_id: str = Field(description="Innovation id.", examples=["geolasting"])
    name: str = Field(description="Innovation name.")
    coverage: int = Field(description="Distinct helix kinds among active actors, 0..6.")
    missing: list[Helix] = Field(description="Helix kinds with no active actor.")

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "innovation_id": "geolasting",
                    "name": "GEOLASTING",
                    "coverage": 3,
                    "missing": ["private", "ngo", "media"],
                }
            ]
        }
    )


class Store(ABC):
    """A graph store. Every write is one transaction that bumps the graph version."""

    # -- lifecycle -------------------------------------------------------------------------
    @abstractmethod
    def close(self) -> None:
        """Release connections."""

    @abstractmethod
    def ping(self) -> None:
        """Return only if a write would succeed now (readiness): StoreUnavailable for an outage
        or a disk that cannot take writes, StoreDamaged for damaged data, StoreFailed else."""

    @abstractmethod
    def version(self) -> int:
        """The graph version: a number every committed write increases."""

    # -- innovations -----------------------------------------------------------------------
    @abstractmethod
    def create_innovation(self, innovation: Innovation) -> Innovation:
        """Add an innovation; Conflict if the id exists, NotFound if its owner does not."""

    @abstractmethod
    def get_innovation(self, innovation_id: str) -> Innovation:
        """The innovation with this id, or NotFound."""

    @abstractmethod
    def list_innovations(self, filters: InnovationFilter, page: PageRequest) -> Page[Innovation]:
        """Innovations matching the filters, ordered by id."""

    @abstractmethod
    def update_innovation(
        self, innovation_id: str, patch: InnovationPatch, *, if_match: IfMatch | None = None
    ) -> Innovation:
        """Change the given fields; NotFound for an unknown id or owner. With `if_match`,
        PreconditionFailed unless the stored record matches it (checked in the write's own
        transaction; the same for every update and delete below)."""

    @abstractmethod
    def delete_innovation(
        self, innovation_id: str, cascade: bool = False, *, if_match: IfMatch | None = None
    ) -> None:
        """Delete; Conflict while ties remain unless `cascade` removes them too."""

    # -- actors ----------------------------------------------------------------------------
    @abstractmethod
    def create_actor(self, actor: Actor) -> Actor:
        """Add an actor; Conflict if the id exists."""

    @abstractmethod
    def get_actor(self, actor_id: str) -> Actor:
        """The actor with this id, or NotFound."""

    @abstractmethod
    def list_actors(self, filters: ActorFilter, page: PageRequest) -> Page[Actor]:
        """Actors matching the filters, ordered by id."""

    @abstractmethod
    def update_actor(
        self, actor_id: str, patch: ActorPatch, *, if_match: IfMatch | None = None
    ) -> Actor:
        """Change the given fields; NotFound for an unknown id."""

    @abstractmethod
    def delete_actor(
        self, actor_id: str, cascade: bool = False, *, if_match: IfMatch | None = None
    ) -> None:
        """Delete; Conflict while ties (or owned innovations) remain unless `cascade`.

        A cascade removes the actor's ties and clears it as owner of its innovations.
        """

    # -- collaborations --------------------------------------------------------------------
    @abstractmethod
    def create_collaboration(self, tie: Collaboration) -> Collaboration:
        """Add a tie; NotFound if either end is missing, Conflict if the pair has one."""

    @abstractmethod
    def get_collaboration(self, actor_id: str, innovation_id: str) -> Collaboration:
        """The tie between this actor and innovation, or NotFound."""

    @abstractmethod
    def list_collaborations(
        self, filters: CollaborationFilter, page: PageRequest
    ) -> Page[Collaboration]:
        """Ties matching the filters, ordered by (actor_id, innovation_id)."""

    @abstractmethod
    def update_collaboration(
        self,
        actor_id: str,
        innovation_id: str,
        patch: CollaborationPatch,
        *,
        if_match: IfMatch | None = None,
    ) -> Collaboration:
        """Change the given fields of a tie."""

    @abstractmethod
    def delete_collaboration(
        self, actor_id: str, innovation_id: str, *, if_match: IfMatch | None = None
    ) -> None:
        """Remove a tie, or NotFound."""

    # -- partnerships ----------------------------------------------------------------------
    @abstractmethod
    def create_partnership(self, partnership: Partnership) -> Partnership:
        """Add a partnership; Conflict if the pair (either direction) has one."""

    @abstractmethod
    def get_partnership(self, source_id: str, target_id: str) -> Partnership:
        """The partnership between the two actors (either direction), or NotFound."""

    @abstractmethod
    def list_partnerships(self, filters: PartnershipFilter, page: PageRequest) -> Page[Partnership]:
        """Partnerships matching the filters, ordered by (source_id, target_id)."""

    @abstractmethod
    def update_partnership(
        self,
        source_id: str,
        target_id: str,
        patch: PartnershipPatch,
        *,
        if_match: IfMatch | None = None,
    ) -> Partnership:
        """Change the given fields of a partnership (either direction)."""

    @abstractmethod
    def delete_partnership(
        self, source_id: str, target_id: str, *, if_match: IfMatch | None = None
    ) -> None:
        """Remove a partnership (either direction), or NotFound."""

    # -- whole graph -----------------------------------------------------------------------
    @abstractmethod
    def load(self, data: GraphData, *, replace: bool = False) -> dict[str, int]:
        """Upsert a whole bundle in one transaction (idempotent); returns rows written per kind.

        Every reference must resolve within the bundle or the store, and no key may appear
        twice in the bundle, else Invalid and nothing is written. A partnership stored in the
        other direction is updated in place. With `replace` the bundle replaces the whole graph
        in that same transaction: whatever fails or is killed when, the store holds the old
        graph or the new one, never a mix and never nothing (references must then resolve
        within the bundle alone).
        """

    # -- bulk reads (a neighbourhood in a few queries, whatever the degrees) -----------------
    def records(self, model: type[N], ids: Collection[str]) -> list[N]:
        """The stored nodes of `model` (Innovation or Actor) among `ids`, by id; ids not stored
        are left out. This default asks one node at a time; the adapters ask in batches."""
        get = self.get_actor if model is Actor else self.get_innovation
        found: list[N] = []
        for node_id in sorted(set(ids)):
            try:
                found.append(get(node_id))  # type: ignore[arg-type]
            except NotFound:
                continue
        return found

    def existing_ids(self, kind: NodeKind, ids: set[str]) -> set[str]:
        """Which of `ids` are stored nodes of `kind` (a bundle's references are checked against
        them), read with `records`."""
        if kind == "actor":
            return {a.id for a in self.records(Actor, ids)}
        return {i.id for i in self.records(Innovation, ids)}

    def ties_touching(
        self, *, innovation_ids: Collection[str] = (), actor_ids: Collection[str] = ()
    ) -> list[Collaboration]:
        """Every tie to one of `innovation_ids` or of one of `actor_ids` (each once), ordered by
        (actor_id, innovation_id). This default pages `list_collaborations` per id; the
        adapters answer in one query."""
        found: dict[tuple[str, str], Collaboration] = {}
        wanted = [CollaborationFilter(innovation_id=i) for i in sorted(set(innovation_ids))]
        wanted += [CollaborationFilter(actor_id=a) for a in sorted(set(actor_ids))]
        for filters in wanted:
            found.update((t.key, t) for t in every(partial(self.list_collaborations, filters)))
        return [found[key] for key in sorted(found)]

    def around(self, actor_ids: Collection[str]) -> Around:
        """In brief, every tie of `actor_ids` and every innovation they are tied to or own: what
        counting an innovation's reach needs, without reading the full records (a ministry has
        thousands). This default reads the full records; the adapters read only these fields."""
        ties = self.ties_touching(actor_ids=actor_ids)
        found = {i.id: i for i in self.records(Innovation, {t.innovation_id for t in ties})}
        for owner in sorted(set(actor_ids)):
            owned = partial(self.list_innovations, InnovationFilter(owner_id=owner))
            found.update((i.id, i) for i in every(owned))
        return Around(
            ties=[TieSpan(t.actor_id, t.innovation_id, t.since, t.until) for t in ties],
            innovations=[
                InnovationSpan(i.id, i.region, i.launched_on, i.owner_id)
                for i in sorted(found.values(), key=lambda i: i.id)
            ],
        )

    @abstractmethod
    def snapshot(self, region: str | None = None) -> GraphData:
        """The whole graph, or a region's part of it: its innovations, every actor tied to
        them, owning them or located there, and the ties among those. Lists are sorted by key."""

    def regions(self) -> list[Region]:
        """Every region the store holds, by code (adapters answer it without a snapshot)."""
        return self.snapshot().regions

    @abstractmethod
    def clear(self) -> None:
        """Delete everything (tests and imports into an empty store)."""

    @abstractmethod
    def is_empty(self) -> bool:
        """Whether the store holds no innovation and no actor."""

    # -- collaboration queries (ties active on `at`) ---------------------------------------
    @abstractmethod
    def collaborators(self, innovation_id: str, at: date) -> list[CollaboratorTie]:
        """Actors with a tie to the innovation active on `at`, by helix (in the order of
        `Helix`) then id."""

    @abstractmethod
    def actor_innovations(self, actor_id: str, at: date) -> list[ActorInnovation]:
        """Innovations the actor has a tie to active on `at`, by id."""

    @abstractmethod
    def partners(self, actor_id: str, at: date) -> list[Partner]:
        """Co-collaborators and partners of the actor on `at`, most shared innovations first."""

    @abstractmethod
    def common(self, actor_a: str, actor_b: str, at: date) -> CommonGround:
        """Innovations and partners two actors share on `at`."""

    @abstractmethod
    def coverage_gaps(
        self, threshold: int, at: date, region: str | None = None
    ) -> list[CoverageGap]:
        """Innovations whose active ties cover fewer than `threshold` helix kinds,
        fewest first, then by id."""
