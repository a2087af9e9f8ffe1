"""Response models of introduction paths and ego networks (`paths.py`); field names are API contract."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from graph.analytics.innovation_schemas import ActorRef
from graph.messages import Message
from graph.provenance import IllustrativeShare, TieEvidence, illustrative_evidence_example
from graph.vocab import Helix, Provenance


class Hop(BaseModel):
    """One step of an introduction path, with what links the two actors."""

    source: str = Field(description="Actor id of the hop's start.")
    target: str = Field(description="Actor id of the hop's end.")
    weight: float = Field(
        description="Projection weight: Σ sqrt(w_a·w_b) over shared innovations plus the "
        "partnership's weight (PKS 3, MoU 2, informal 1); the hop costs 1 / weight."
    )
    shared_innovations: list[str] = Field(description="Innovations both work on (active ties).")
    partnership: str | None = Field(
        description="Kind of their active partnership (pks, mou, informal); null if none."
    )
    explanation: Message = Field(description="What links the two actors.")
    evidence: list[TieEvidence] = Field(
        default_factory=list,
        description="The ties the hop rests on (each shared innovation, the partnership), with "
        "their provenance and sources.",
    )
    provenance: Provenance = Field(
        Provenance.ILLUSTRATIVE,
        description="`reported` when at least one fact of `evidence` is reported.",
    )


class Path(BaseModel):
    """A chain of actors from source to target."""

    actors: list[ActorRef] = Field(description="The actors of the chain, source first.")
    cost: float = Field(description="Sum of 1 / weight over hops: lower is a stronger chain.")
    hops: list[Hop] = Field(description="One hop per consecutive pair of `actors`.")
    direct: bool = Field(
        False, description="True for the direct link: the two already work together."
    )
    note: Message | None = Field(
        None,
        description="`path_direct` (already work together on …), `path_direct_partnership` or "
        "`path_introduction` (through whom), with the text in the language asked.",
    )
    provenance: Provenance = Field(
        Provenance.ILLUSTRATIVE,
        description="`illustrative` when a hop rests only on illustrative ties (see "
        "`illustrative_note`), else `reported`.",
    )
    illustrative_note: Message | None = Field(
        None,
        description="`rests_on_illustrative` when a hop rests only on illustrative ties; null "
        "otherwise.",
    )


class Paths(BaseModel):
    """The k cheapest simple introduction paths between two actors."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "source": "universitas-a",
                    "target": "bank-daerah-a",
                    "at": "2025-06-01",
                    "paths": [
                        {
                            "actors": [
                                {
                                    "id": "universitas-a",
                                    "name": "Universitas A (contoh)",
                                    "helix": "academia",
                                    "provenance": "illustrative",
                                },
                                {
                                    "id": "bank-daerah-a",
                                    "name": "Bank daerah A (contoh)",
                                    "helix": "private",
                                    "provenance": "illustrative",
                                },
                            ],
                            "cost": 0.5,
                            "hops": [
                                {
                                    "source": "universitas-a",
                                    "target": "bank-daerah-a",
                                    "weight": 2.0,
                                    "shared_innovations": [],
                                    "partnership": "mou",
                                    "explanation": {
                                        "code": "hop_partnership",
                                        "params": {
                                            "a": "Universitas A (contoh)",
                                            "b": "Bank daerah A (contoh)",
                                            "kind": "mou",
                                        },
                                        "text": "Universitas A (contoh) dan Bank daerah A (contoh) "
                                        "memiliki kemitraan (nota kesepahaman (MoU))",
                                    },
                                    "evidence": [
                                        illustrative_evidence_example(
                                            "universitas-a", "bank-daerah-a", None, "mou"
                                        )
                                    ],
                                    "provenance": "illustrative",
                                }
                            ],
                            "direct": True,
                            "note": {
                                "code": "path_direct_partnership",
                                "params": {
                                    "a": "Universitas A (contoh)",
                                    "b": "Bank daerah A (contoh)",
                                    "kind": "mou",
                                },
                                "text": "sudah bermitra: Universitas A (contoh) dan Bank daerah "
                                "A (contoh) (nota kesepahaman (MoU))",
                            },
                            "provenance": "illustrative",
                            "illustrative_note": {
                                "code": "rests_on_illustrative",
                                "params": {},
                                "text": "berdasar relasi ilustratif (contoh), bukan data terlapor",
                            },
                        }
                    ],
                    "illustrative": {
                        "innovations": 0,
                        "illustrative_innovations": 0,
                        "ties": 0,
                        "illustrative_ties": 0,
                        "partnerships": 1,
                        "illustrative_partnerships": 1,
                    },
                }
            ]
        }
    )

    source: str = Field(description="Actor id the paths start from.")
    target: str = Field(description="Actor id the paths reach.")
    at: date = Field(description="Day whose active ties were used.")
    direct: bool = Field(
        False,
        description="Whether the two already work together (shared innovation or partnership).",
    )
    paths: list[Path] = Field(
        description="The direct link first when there is one, then up to k introductions "
        "through others, cheapest first; empty when the two are not connected."
    )
    illustrative: IllustrativeShare = Field(
        description="How much of what the listed paths rest on is illustrative (invented), each "
        "fact once: the innovations their hops share, the two actors' ties to each, and the "
        "partnerships. With `provenance=reported` nothing is.",
    )


class EgoNode(BaseModel):
    """A node of an ego network; `key` is unique (`actor:<id>` or `innovation:<id>`)."""

    key: str = Field(description="`actor:<id>` or `innovation:<id>`.")
    id: str = Field(description="Actor or innovation id.")
    type: Literal["actor", "innovation"] = Field(description="Node type.")
    name: str = Field(description="Actor or innovation name.")
    helix: Helix | None = Field(None, description="Hexahelix kind of an actor; null otherwise.")
    distance: int = Field(description="Steps from the centre (0 for the centre).")
    provenance: Provenance = Field(
        Provenance.ILLUSTRATIVE, description="Whether the node is reported or illustrative."
    )


class EgoEdge(BaseModel):
    """An edge of an ego network between two node keys."""

    source: str = Field(description="Node key of one end (the actor, for a collaboration).")
    target: str = Field(description="Node key of the other end.")
    type: Literal["collaborates_on", "partners_with"] = Field(
        description="Actor-innovation tie or actor-actor partnership."
    )
    role: str | None = Field(None, description="Role of a collaboration; null for partnerships.")
    strength: int | None = Field(
        None, description="Strength (1..3) of a collaboration; null for partnerships."
    )
    kind: str | None = Field(
        None, description="Kind of a partnership (pks, mou, informal); null for collaborations."
    )
    provenance: Provenance = Field(
        description="`reported` when the tie's source cites a public record, `illustrative` "
        "when it is invented (an example)."
    )
    provenance_source: str = Field(
        description="The tie's source (`source` names the edge's end here): a citation or "
        "`illustrative`."
    )


class EgoNetwork(BaseModel):
    """The nodes within `depth` steps of a centre (bipartite ties plus partnerships)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "center": "actor:media-lokal-c",
                    "depth": 1,
                    "at": "2025-06-01",
                    "nodes": [
                        {
                            "key": "actor:media-lokal-c",
                            "id": "media-lokal-c",
                            "type": "actor",
                            "name": "Media lokal C (contoh)",
                            "helix": "media",
                            "distance": 0,
                            "provenance": "illustrative",
                        },
                        {
                            "key": "innovation:kawan-manis-best",
                            "id": "kawan-manis-best",
                            "type": "innovation",
                            "name": "Kawan Manis Best",
                            "helix": None,
                            "distance": 1,
                            "provenance": "reported",
                        },
                    ],
                    "edges": [
                        {
                            "source": "actor:media-lokal-c",
                            "target": "innovation:kawan-manis-best",
                            "type": "collaborates_on",
                            "role": "publicist",
                            "strength": 1,
                            "kind": None,
                            "provenance": "illustrative",
                            "provenance_source": "illustrative",
                        }
                    ],
                    "truncated": False,
                }
            ]
        }
    )

    center: str = Field(description="Node key of the centre.")
    depth: int = Field(description="Steps asked for, 1..4.")
    at: date = Field(description="Day whose active ties were used.")
    nodes: list[EgoNode] = Field(description="Nodes within `depth` steps, centre included.")
    edges: list[EgoEdge] = Field(description="Every active edge among those nodes.")
    truncated: bool = Field(description="True when the node cap cut the network short.")
