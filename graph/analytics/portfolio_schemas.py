"""Response models of the portfolio and its communities (`portfolio.py`); field names are API contract."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field
from pydantic.config import JsonDict

from graph.analytics.innovation_schemas import (
    INNOVATION_METRICS_EXAMPLE,
    ActorRef,
    InnovationMetrics,
)
from graph.analytics.weights import IndexWeights
from graph.models import model_examples
from graph.provenance import IllustrativeShare
from graph.vocab import Helix, Provenance

ILLUSTRATIVE_FIELD = Field(
    description="How much of what the answer was computed on is illustrative (invented): the "
    "launched innovations, the active ties (owners' implicit ties included) and the active "
    "partnerships, each with its illustrative part. With `provenance=reported` nothing is."
)
_ILLUSTRATIVE_EXAMPLE: JsonDict = model_examples(IllustrativeShare)[0]

_PARTICIPATION_EXAMPLE: JsonDict = {
    "government": 49,
    "academia": 5,
    "private": 6,
    "community": 16,
    "ngo": 4,
    "media": 6,
}
_COMMUNITY_EXAMPLE: JsonDict = {
    "id": 0,
    "size": 16,
    "helix_mix": {"government": 8, "academia": 1, "community": 4, "ngo": 2, "media": 1},
    "coverage": 5,
    "actors": ["dinkes-banjar", "organisasi-perempuan-a", "baznas-banjar"],
    "top_actors": [
        {
            "id": "dinkes-banjar",
            "name": "Dinas Kesehatan Kabupaten Banjar",
            "helix": "government",
            "provenance": "reported",
        }
    ],
}


class Community(BaseModel):
    """One Louvain community of the actor projection with its helix mix."""

    id: int = Field(description="Community number; 0 is the largest.")
    size: int = Field(description="Number of actors in it.")
    helix_mix: dict[Helix, int] = Field(
        description="Actors per helix kind; kinds without actors are left out."
    )
    coverage: int = Field(description=f"Helix kinds present in the community, 0..{len(Helix)}.")
    actors: list[str] = Field(description="Actor ids, strongest (weighted degree) first.")
    top_actors: list[ActorRef] = Field(description="Up to five members with most weight.")


class CommunitiesResult(BaseModel):
    """Louvain communities (fixed seed) and the modularity of the partition."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "at": "2025-06-01",
                    "region": "63.03",
                    "modularity": 0.462329,
                    "communities": [_COMMUNITY_EXAMPLE],
                    "illustrative": _ILLUSTRATIVE_EXAMPLE,
                }
            ]
        }
    )

    at: date = Field(description="Day whose active ties were used.")
    region: str | None = Field(description="Region code asked for; null: all regions.")
    modularity: float | None = Field(
        description="Weighted Newman modularity of the partition; null without projection edges."
    )
    communities: list[Community] = Field(description="The communities, largest first.")
    illustrative: IllustrativeShare = ILLUSTRATIVE_FIELD


class Broker(BaseModel):
    """An actor that links helix kinds."""

    id: str = Field(description="Actor id.")
    name: str = Field(description="Actor name.")
    helix: Helix = Field(description="Actor's Hexahelix kind.")
    provenance: Provenance = Field(
        Provenance.ILLUSTRATIVE, description="Whether the actor is reported or illustrative."
    )
    cross_helix: int = Field(description="Open pairs it brokers across kinds (see `Brokerage`).")
    betweenness: float = Field(description="Normalised betweenness (see `ActorMetrics`).")


class CoParticipation(BaseModel):
    """Helix × helix matrix: innovations engaging both kinds (diagonal: engaging the kind)."""

    helices: list[Helix] = Field(description="Row and column order of `matrix`.")
    matrix: list[list[int]] = Field(
        description="Kind × kind counts PᵀP: innovations engaging both kinds; "
        "diagonal = participation."
    )


class Portfolio(BaseModel):
    """Portfolio-level figures for a region (or all) on one day."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "at": "2025-06-01",
                    "region": "63.03",
                    "innovation_count": 54,
                    "active_innovation_count": 54,
                    "actor_count": 121,
                    "active_actor_count": 70,
                    "tie_count": 132,
                    "partnership_count": 29,
                    "by_origin": {
                        "kecamatan": 4,
                        "masyarakat": 10,
                        "perangkat_daerah": 33,
                        "puskesmas": 7,
                    },
                    "by_form": {"lainnya": 16, "pelayanan_publik": 28, "tata_kelola": 10},
                    "by_stage": {"inisiatif": 5, "penerapan": 18, "uji_coba": 31},
                    "digital_count": 17,
                    "coverage_histogram": [0, 37, 9, 4, 2, 1, 1],
                    "helix_participation": _PARTICIPATION_EXAMPLE,
                    "co_participation": {
                        "helices": list(_PARTICIPATION_EXAMPLE),
                        "matrix": [
                            [49, 5, 6, 11, 4, 6],
                            [5, 5, 2, 4, 2, 2],
                            [6, 2, 6, 4, 2, 1],
                            [11, 4, 4, 16, 3, 3],
                            [4, 2, 2, 3, 4, 3],
                            [6, 2, 1, 3, 3, 6],
                        ],
                    },
                    "ei_index": {
                        "government": 0.22619,
                        "academia": 1.0,
                        "private": 1.0,
                        "community": 0.851852,
                        "ngo": 0.933333,
                        "media": 1.0,
                    },
                    "ei_index_overall": 0.320388,
                    "helix_assortativity": -0.033744,
                    "modularity": 0.462329,
                    "communities": [_COMMUNITY_EXAMPLE],
                    "top_brokers": [
                        {
                            "id": "bank-daerah-a",
                            "name": "Bank daerah A (contoh)",
                            "helix": "private",
                            "provenance": "illustrative",
                            "cross_helix": 170,
                            "betweenness": 0.027031,
                        }
                    ],
                    "under_connected": [INNOVATION_METRICS_EXAMPLE],
                    "mean_coverage": 1.5926,
                    "mean_diversity": 0.1416,
                    "mean_sustainability_index": 34.6037,
                    "iga_actor_scores": {"geolasting": 1, "bank-sampah-intan": 2},
                    "iga_actor_score_distribution": {"0": 46, "1": 4, "2": 3, "3": 1},
                    "weights": IndexWeights().model_dump(),
                    "threshold": 4,
                    "illustrative": _ILLUSTRATIVE_EXAMPLE,
                }
            ]
        }
    )

    at: date = Field(description="Day whose active ties were used.")
    region: str | None = Field(description="Region code asked for; null: all regions.")
    innovation_count: int = Field(description="Innovations in the region, active or not.")
    active_innovation_count: int = Field(description="Innovations with at least one active tie.")
    actor_count: int = Field(
        description="Actors in the region's snapshot (tied to its innovations or located there)."
    )
    active_actor_count: int = Field(description="Actors with at least one active tie.")
    tie_count: int = Field(description="Active collaborations (actor-innovation ties).")
    partnership_count: int = Field(description="Active partnerships between actors.")
    by_origin: dict[str, int] = Field(description="Innovations per origin (IGA vocabulary).")
    by_form: dict[str, int] = Field(description="Innovations per IGA form.")
    by_stage: dict[str, int] = Field(description="Innovations per IGA stage.")
    digital_count: int = Field(description="Digital innovations.")
    coverage_histogram: list[int] = Field(description=f"Innovations by coverage 0..{len(Helix)}.")
    helix_participation: dict[Helix, int] = Field(description="Innovations engaging each kind.")
    co_participation: CoParticipation = Field(
        description="Innovations engaging each pair of kinds."
    )
    ei_index: dict[Helix, float | None] = Field(
        description="Krackhardt-Stern E-I index per kind on the projection; null without ties."
    )
    ei_index_overall: float | None = Field(
        description="E-I index over all projection ties, -1..1; null without ties."
    )
    helix_assortativity: float | None = Field(
        description="Newman attribute assortativity of helix kind on the unweighted projection "
        "(>0: actors tie to their own kind); null when undefined (no ties, or a single kind)."
    )
    modularity: float | None = Field(
        description="Weighted Newman modularity of the Louvain partition; null without edges."
    )
    communities: list[Community] = Field(description="Louvain communities, largest first.")
    top_brokers: list[Broker] = Field(
        description="Up to 10 actors with the most cross-helix open pairs, then betweenness."
    )
    under_connected: list[InnovationMetrics] = Field(
        description="Under-connected innovations, most urgent (lowest index) first."
    )
    mean_coverage: float | None = Field(
        description=f"Mean coverage over the innovations, 0..{len(Helix)}; null without "
        "innovations."
    )
    mean_diversity: float | None = Field(
        description="Mean diversity over the innovations, 0..1; null without innovations."
    )
    mean_sustainability_index: float | None = Field(
        description="Mean sustainability index, 0..100; null without innovations."
    )
    iga_actor_scores: dict[str, int] = Field(
        description="Estimated IGA actor score by innovation id."
    )
    iga_actor_score_distribution: dict[str, int] = Field(description="Innovations per score 0..3.")
    weights: IndexWeights = Field(description="Weights and saturation points used for the index.")
    threshold: int = Field(description="Coverage below this makes an innovation under-connected.")
    illustrative: IllustrativeShare = ILLUSTRATIVE_FIELD
