"""Response and request models of the analytics (pydantic v2); field names are API contract."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic.config import JsonDict

from graph.analytics.weights import IndexWeights, RecommendationWeights
from graph.models import Actor, Slug
from graph.vocab import Helix, Role


class ActorRef(BaseModel):
    """An actor named in a result."""

    id: str = Field(description="Actor id.", examples=["ulm"])
    name: str = Field(description="Actor name.", examples=["Universitas Lambung Mangkurat"])
    helix: Helix = Field(description="Actor's Hexahelix kind.")


class IndexComponents(BaseModel):
    """The six components of the sustainability index, each in 0..1."""

    coverage: float = Field(description="coverage / 6.")
    diversity: float = Field(description="Normalised Shannon diversity of tie strength.")
    resilience: float = Field(description="Resilience (see `resilience`).")
    depth: float = Field(description="Share of present helix kinds with two or more actors.")
    non_government: float = Field(
        description="min(1, non-government share / non_government_target)."
    )
    reach: float = Field(description="min(1, reach / reach_saturation).")


_INNOVATION_METRICS_EXAMPLE: JsonDict = {
    "id": "geolasting",
    "name": "GEOLASTING",
    "region": "63.03",
    "sector": "health",
    "district": "Martapura",
    "coverage": 3,
    "missing": ["private", "ngo", "media"],
    "diversity": 0.52,
    "depth": {"government": 3, "academia": 1, "community": 2},
    "fragile_helices": ["academia"],
    "critical_actors": [
        {"id": "ulm", "name": "Universitas Lambung Mangkurat", "helix": "academia"}
    ],
    "resilience": 0.6667,
    "non_government_share": 0.4,
    "reach": 7,
    "actor_count": 6,
    "iga_actor_score": 1,
    "sustainability_index": 64.1,
    "components": {
        "coverage": 0.5,
        "diversity": 0.52,
        "resilience": 0.6667,
        "depth": 0.6667,
        "non_government": 0.8,
        "reach": 1.0,
    },
    "weights": IndexWeights().model_dump(),
    "under_connected": True,
    "reasons": ["covers 3 of 6 helix kinds (missing: private, ngo, media)"],
}

# The same innovation once its only academia actor has left: one kind fewer, but no kind hangs
# on one actor any more (resilience and depth rise to 1), so the index goes up.
_INNOVATION_METRICS_WITHOUT_ULM: JsonDict = _INNOVATION_METRICS_EXAMPLE | {
    "coverage": 2,
    "missing": ["academia", "private", "ngo", "media"],
    "diversity": 0.45,
    "depth": {"government": 3, "community": 2},
    "fragile_helices": [],
    "critical_actors": [],
    "resilience": 1.0,
    "non_government_share": 0.3,
    "reach": 6,
    "actor_count": 5,
    "iga_actor_score": 0,
    "sustainability_index": 67.7,
    "components": {
        "coverage": 0.3333,
        "diversity": 0.45,
        "resilience": 1.0,
        "depth": 1.0,
        "non_government": 0.6,
        "reach": 1.0,
    },
    "reasons": ["covers 2 of 6 helix kinds (missing: academia, private, ngo, media)"],
}


class InnovationMetrics(BaseModel):
    """Helix metrics of one innovation on one day."""

    model_config = ConfigDict(json_schema_extra={"examples": [_INNOVATION_METRICS_EXAMPLE]})

    id: str = Field(description="Innovation id.")
    name: str = Field(description="Innovation name.")
    region: str = Field(description="BPS code of the innovation's region.")
    sector: str | None = Field(None, description="The innovation's sector, if recorded.")
    district: str | None = Field(None, description="The innovation's kecamatan, if recorded.")
    coverage: int = Field(description="Distinct helix kinds among active actors, 0..6.")
    missing: list[Helix] = Field(description="Helix kinds with no active actor.")
    diversity: float = Field(
        description="Shannon entropy of strength-weighted helix shares / ln 6."
    )
    depth: dict[Helix, int] = Field(description="Active actors per present helix kind.")
    fragile_helices: list[Helix] = Field(description="Present helix kinds carried by one actor.")
    critical_actors: list[ActorRef] = Field(
        description="The sole actor of each fragile helix kind: losing it loses the kind."
    )
    resilience: float = Field(
        description="min over actors a of coverage(without a) / coverage; 0 when coverage is 0."
    )
    non_government_share: float = Field(
        description="Strength of non-government ties / strength of all ties (0 without ties)."
    )
    reach: int = Field(description="Other innovations sharing at least one active actor.")
    actor_count: int = Field(description="Actors with an active tie.")
    iga_actor_score: int = Field(
        description="Estimated IGA 'keterlibatan aktor' score: 6 kinds 3, 4-5 kinds 2, 3 kinds 1, else 0."
    )
    sustainability_index: float = Field(description="0..100, weighted sum of `components`.")
    components: IndexComponents = Field(
        description="The six index components (0..1) that `sustainability_index` weighs."
    )
    weights: IndexWeights = Field(description="Weights and saturation points used for the index.")
    under_connected: bool = Field(
        description="coverage below the threshold, or resilience 0, or fewer than 2 actors."
    )
    reasons: list[str] = Field(
        description="Plain-language reasons it is under-connected; empty when it is not."
    )


class Brokerage(BaseModel):
    """Gould-Fernandez brokerage counts of an actor on the actor projection.

    Counted over unordered open two-paths a-b-c (a and c not linked) with this actor as b.
    The projection is undirected, so every pair with exactly one end in the broker's own kind
    is both a representative and a gatekeeper pair: the two counts are equal.
    """

    coordinator: int = Field(description="a, b, c all of one kind.")
    itinerant: int = Field(description="a and c of one kind, the broker of another.")
    representative: int = Field(description="Broker and one end share a kind, the other differs.")
    gatekeeper: int = Field(description="Same pairs as representative (undirected projection).")
    liaison: int = Field(description="a, b, c of three different kinds.")
    cross_helix: int = Field(
        description="Open pairs brokered across kinds: itinerant + representative + liaison."
    )


class ActorMetrics(BaseModel):
    """Network position of one actor on the actor projection."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "ulm",
                    "name": "Universitas Lambung Mangkurat",
                    "helix": "academia",
                    "region": "63.71",
                    "district": None,
                    "innovation_count": 1,
                    "partnership_count": 3,
                    "active_ties": 4,
                    "degree": 12,
                    "weighted_degree": 26.1416,
                    "betweenness": 0.007843,
                    "pagerank": 0.021919,
                    "constraint": 0.240875,
                    "effective_size": 7.41256,
                    "brokerage": {
                        "coordinator": 0,
                        "itinerant": 5,
                        "representative": 0,
                        "gatekeeper": 0,
                        "liaison": 8,
                        "cross_helix": 13,
                    },
                    "community": 1,
                }
            ]
        }
    )

    id: str = Field(description="Actor id.")
    name: str = Field(description="Actor name.")
    helix: Helix = Field(description="Actor's Hexahelix kind.")
    region: str = Field(description="BPS code of the region where the actor is located.")
    district: str | None = Field(None, description="The actor's kecamatan, if recorded.")
    innovation_count: int = Field(description="Innovations with an active tie.")
    partnership_count: int = Field(description="Active partnerships.")
    active_ties: int = Field(description="Active collaborations plus active partnerships (load).")
    degree: int = Field(description="Actors linked on the projection.")
    weighted_degree: float = Field(
        description="Sum of projection weights: Σ sqrt(w_a·w_b) over shared innovations plus "
        "partnership weights (PKS 3, MoU 2, informal 1)."
    )
    betweenness: float = Field(
        description="Share of shortest paths through the actor (edge length 1 / weight), "
        "normalised by (n-1)(n-2)/2, 0..1; estimated from 256 sources above 5,000 actors."
    )
    pagerank: float = Field(description="Weighted PageRank (damping 0.85); sums to 1 over actors.")
    constraint: float | None = Field(
        description="Burt's constraint (weighted); lower: bridges separate partners. "
        "Null for isolated actors."
    )
    effective_size: float | None = Field(
        description="Burt's effective size (weighted): non-redundant partners. Null if isolated."
    )
    brokerage: Brokerage = Field(
        description="Gould-Fernandez brokerage counts with helix kind as the group."
    )
    community: int = Field(description="Louvain community number (largest community is 0).")


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
    "actors": ["dinkes-banjar", "tp-pkk-banjar", "baznas-banjar"],
    "top_actors": [
        {"id": "dinkes-banjar", "name": "Dinas Kesehatan Kabupaten Banjar", "helix": "government"}
    ],
}


class Community(BaseModel):
    """One Louvain community of the actor projection with its helix mix."""

    id: int = Field(description="Community number; 0 is the largest.")
    size: int = Field(description="Number of actors in it.")
    helix_mix: dict[Helix, int] = Field(
        description="Actors per helix kind; kinds without actors are left out."
    )
    coverage: int = Field(description="Helix kinds present in the community, 0..6.")
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


class Broker(BaseModel):
    """An actor that links helix kinds."""

    id: str = Field(description="Actor id.")
    name: str = Field(description="Actor name.")
    helix: Helix = Field(description="Actor's Hexahelix kind.")
    cross_helix: int = Field(description="Open pairs it brokers across kinds (see `Brokerage`).")
    betweenness: float = Field(description="Normalised betweenness (see `ActorMetrics`).")


class CoParticipation(BaseModel):
    """Helix × helix matrix: innovations engaging both kinds (diagonal: engaging the kind)."""

    helices: list[Helix] = Field(description="Row and column order of `matrix`.")
    matrix: list[list[int]] = Field(
        description="6×6 counts PᵀP: innovations engaging both kinds; diagonal = participation."
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
                            "id": "bank-kalsel",
                            "name": "Bank Kalsel",
                            "helix": "private",
                            "cross_helix": 170,
                            "betweenness": 0.027031,
                        }
                    ],
                    "under_connected": [_INNOVATION_METRICS_EXAMPLE],
                    "mean_coverage": 1.5926,
                    "mean_diversity": 0.1416,
                    "mean_sustainability_index": 34.6037,
                    "iga_actor_scores": {"geolasting": 1, "bank-sampah-intan": 2},
                    "iga_actor_score_distribution": {"0": 46, "1": 4, "2": 3, "3": 1},
                    "weights": IndexWeights().model_dump(),
                    "threshold": 4,
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
    coverage_histogram: list[int] = Field(description="Innovations by coverage 0..6.")
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
        description="Mean coverage over the innovations, 0..6; null without innovations."
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


class HistoryPoint(BaseModel):
    """Headline figures of the portfolio on one day."""

    at: date = Field(description="The day; only ties active on it count.")
    active_innovation_count: int = Field(description="Innovations with at least one active tie.")
    active_actor_count: int = Field(description="Actors with at least one active tie.")
    tie_count: int = Field(description="Active collaborations.")
    partnership_count: int = Field(description="Active partnerships.")
    mean_coverage: float | None = Field(
        description="Mean coverage over all innovations, 0..6; null without innovations."
    )
    mean_diversity: float | None = Field(
        description="Mean diversity over all innovations, 0..1; null without innovations."
    )
    mean_sustainability_index: float | None = Field(
        description="Mean sustainability index, 0..100; null without innovations."
    )
    under_connected_count: int = Field(description="Under-connected innovations on the day.")
    coverage_histogram: list[int] = Field(description="Innovations by coverage 0..6.")
    helix_participation: dict[Helix, int] = Field(description="Innovations engaging each kind.")
    iga_actor_score_distribution: dict[str, int] = Field(
        description="Innovations per estimated IGA actor score 0..3."
    )


class PortfolioHistory(BaseModel):
    """Time series of the portfolio headline figures."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "region": "63.03",
                    "step": "year",
                    "points": [
                        {
                            "at": "2024-01-01",
                            "active_innovation_count": 15,
                            "active_actor_count": 44,
                            "tie_count": 69,
                            "partnership_count": 25,
                            "mean_coverage": 0.7593,
                            "mean_diversity": 0.1153,
                            "mean_sustainability_index": 15.7519,
                            "under_connected_count": 52,
                            "coverage_histogram": [39, 1, 8, 4, 0, 0, 2],
                            "helix_participation": {
                                "government": 15,
                                "academia": 4,
                                "private": 5,
                                "community": 10,
                                "ngo": 2,
                                "media": 5,
                            },
                            "iga_actor_score_distribution": {"0": 48, "1": 4, "2": 0, "3": 2},
                        }
                    ],
                }
            ]
        }
    )

    region: str | None = Field(description="Region code asked for; null: all regions.")
    step: Literal["year", "quarter", "month"] = Field(description="Spacing of the points.")
    points: list[HistoryPoint] = Field(description="One point per step, oldest first.")


class Target(BaseModel):
    """A helix kind a recommendation aims to fill or strengthen."""

    helix: Helix = Field(description="The helix kind.")
    why: Literal["missing", "fragile"] = Field(
        description="`missing`: no active actor of the kind; `fragile`: exactly one."
    )


class Recommendation(BaseModel):
    """A candidate partner for an innovation."""

    actor_id: str = Field(description="Candidate actor id.")
    name: str = Field(description="Candidate actor name.")
    helix: Helix = Field(description="Candidate's Hexahelix kind (the target kind).")
    score: float = Field(
        description="network·N + sector·S + locality·L − load·P with the `weights` of the "
        "response (default 0.5, 0.25, 0.25, 0.3); higher is better."
    )
    reason: str = Field(description="Plain-language explanation of the score.")
    why: Literal["missing", "fragile"] = Field(
        description="Whether it fills a missing kind or backs up a fragile one."
    )
    shared_partners: list[ActorRef] = Field(
        description="Its projection neighbours that are on the team or linked to it."
    )
    shared_innovations: list[str] = Field(description="Ids of innovations shared with the team.")
    network: float = Field(
        description="N = AA / (1 + AA), 0..1; AA = Σ 1 / ln(1 + degree) over shared partners."
    )
    sector: float = Field(
        description="S, 0..1: share of its active innovations in this innovation's sector (for "
        "an actor without innovations, 1 if its own sector matches)."
    )
    locality: float = Field(
        description="L: 1 same district, 0.5 same region, 0.25 same province, else 0."
    )
    load_penalty: float = Field(
        description="P = min(1, max(0, active ties − load_free) / load_free), 0..1."
    )


class Gap(BaseModel):
    """A missing or fragile kind for which the graph holds no candidate actor."""

    helix: Helix = Field(description="The kind without candidates.")
    message: str = Field(description="Plain-language explanation.")


class Recommendations(BaseModel):
    """Partner recommendations for one innovation."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "innovation_id": "geolasting",
                    "name": "GEOLASTING",
                    "at": "2025-06-01",
                    "targets": [
                        {"helix": "private", "why": "missing"},
                        {"helix": "academia", "why": "fragile"},
                    ],
                    "recommendations": [
                        {
                            "actor_id": "bank-kalsel",
                            "name": "Bank Kalsel",
                            "helix": "private",
                            "score": 0.4628,
                            "reason": "brings the missing private kind; works with Baznas Kabupaten "
                            "Banjar, Dinas Kesehatan Kabupaten Banjar and 4 others on 3 "
                            "innovations (Kawan Manis Best, LIDER and PAJAK BUNGAS); works in "
                            "health on 1 of its 5 innovations; same province; already "
                            "stretched (8 active ties)",
                            "why": "missing",
                            "shared_partners": [
                                {
                                    "id": "dinkes-banjar",
                                    "name": "Dinas Kesehatan Kabupaten Banjar",
                                    "helix": "government",
                                }
                            ],
                            "shared_innovations": ["kawan-manis-best", "lider", "pajak-bungas"],
                            "network": 0.9007,
                            "sector": 0.2,
                            "locality": 0.25,
                            "load_penalty": 0.3333,
                        }
                    ],
                    "gaps": [],
                    "weights": RecommendationWeights().model_dump(),
                }
            ]
        }
    )

    innovation_id: str = Field(description="Innovation id.")
    name: str = Field(description="Innovation name.")
    at: date = Field(description="Day whose active ties were used.")
    targets: list[Target] = Field(description="Missing kinds, then fragile kinds.")
    recommendations: list[Recommendation] = Field(
        description="Up to `limit` candidates per target kind, best score first within a kind."
    )
    gaps: list[Gap] = Field(description="Target kinds for which the graph holds no candidate.")
    weights: RecommendationWeights = Field(description="Weights used for `score`.")


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
    explanation: str = Field(description="Plain-language account of the link.")


class Path(BaseModel):
    """A chain of actors from source to target."""

    actors: list[ActorRef] = Field(description="The actors of the chain, source first.")
    cost: float = Field(description="Sum of 1 / weight over hops: lower is a stronger chain.")
    hops: list[Hop] = Field(description="One hop per consecutive pair of `actors`.")


class Paths(BaseModel):
    """The k cheapest simple introduction paths between two actors."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "source": "ulm",
                    "target": "bank-kalsel",
                    "at": "2025-06-01",
                    "paths": [
                        {
                            "actors": [
                                {
                                    "id": "ulm",
                                    "name": "Universitas Lambung Mangkurat",
                                    "helix": "academia",
                                },
                                {"id": "bank-kalsel", "name": "Bank Kalsel", "helix": "private"},
                            ],
                            "cost": 0.5,
                            "hops": [
                                {
                                    "source": "ulm",
                                    "target": "bank-kalsel",
                                    "weight": 2.0,
                                    "shared_innovations": [],
                                    "partnership": "mou",
                                    "explanation": "Universitas Lambung Mangkurat and Bank "
                                    "Kalsel have a partnership (mou)",
                                }
                            ],
                        }
                    ],
                }
            ]
        }
    )

    source: str = Field(description="Actor id the paths start from.")
    target: str = Field(description="Actor id the paths reach.")
    at: date = Field(description="Day whose active ties were used.")
    paths: list[Path] = Field(
        description="Up to k paths, cheapest first; empty when the two are not connected."
    )


class EgoNode(BaseModel):
    """A node of an ego network; `key` is unique (`actor:<id>` or `innovation:<id>`)."""

    key: str = Field(description="`actor:<id>` or `innovation:<id>`.")
    id: str = Field(description="Actor or innovation id.")
    type: Literal["actor", "innovation"] = Field(description="Node type.")
    name: str = Field(description="Actor or innovation name.")
    helix: Helix | None = Field(None, description="Hexahelix kind of an actor; null otherwise.")
    distance: int = Field(description="Steps from the centre (0 for the centre).")


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


class EgoNetwork(BaseModel):
    """The nodes within `depth` steps of a centre (bipartite ties plus partnerships)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "center": "actor:banjarmasin-post",
                    "depth": 1,
                    "at": "2025-06-01",
                    "nodes": [
                        {
                            "key": "actor:banjarmasin-post",
                            "id": "banjarmasin-post",
                            "type": "actor",
                            "name": "Banjarmasin Post",
                            "helix": "media",
                            "distance": 0,
                        },
                        {
                            "key": "innovation:kawan-manis-best",
                            "id": "kawan-manis-best",
                            "type": "innovation",
                            "name": "Kawan Manis Best",
                            "helix": None,
                            "distance": 1,
                        },
                    ],
                    "edges": [
                        {
                            "source": "actor:banjarmasin-post",
                            "target": "innovation:kawan-manis-best",
                            "type": "collaborates_on",
                            "role": "publicist",
                            "strength": 1,
                            "kind": None,
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


class NewTie(BaseModel):
    """A hypothetical collaboration for a what-if; it replaces an active tie of the same pair."""

    actor_id: Slug = Field(description="Actor id (existing, or one of `add_actors`).")
    innovation_id: Slug = Field(description="Innovation id.", examples=["geolasting"])
    role: Role = Field(Role.IMPLEMENTER, description="Role of the hypothetical tie.")
    strength: int = Field(
        2, ge=1, le=3, description="Tie strength: 1 occasional, 2 regular, 3 core."
    )


class WhatIfRequest(BaseModel):
    """Scenario: actors leave, hypothetical actors join, ties are added."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "remove_actors": ["ulm"],
                    "add_ties": [{"actor_id": "banjarmasin-post", "innovation_id": "geolasting"}],
                }
            ]
        },
    )

    remove_actors: list[Slug] = Field(
        default_factory=list,
        max_length=500,
        description="Actor ids to remove, with their ties and partnerships.",
    )
    add_actors: list[Actor] = Field(
        default_factory=list, max_length=500, description="Hypothetical actors, e.g. a new partner."
    )
    add_ties: list[NewTie] = Field(
        default_factory=list,
        max_length=5000,
        description="Hypothetical collaborations starting on `at`.",
    )


class Change(BaseModel):
    """One innovation's metrics before and after a scenario."""

    id: str = Field(description="Innovation id.")
    name: str = Field(description="Innovation name.")
    before: InnovationMetrics = Field(description="Metrics on the graph as it is.")
    after: InnovationMetrics = Field(description="Metrics under the scenario.")
    sustainability_delta: float = Field(
        description="after − before sustainability index, rounded to 0.1."
    )
    coverage_delta: int = Field(description="after − before coverage.")


class WhatIfResult(BaseModel):
    """What a scenario does to the innovations it touches."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "at": "2025-06-01",
                    "region": "63.03",
                    "changes": [
                        {
                            "id": "geolasting",
                            "name": "GEOLASTING",
                            "before": _INNOVATION_METRICS_EXAMPLE,
                            "after": _INNOVATION_METRICS_WITHOUT_ULM,
                            "sustainability_delta": 3.6,
                            "coverage_delta": -1,
                        }
                    ],
                    "became_under_connected": [],
                    "no_longer_under_connected": [],
                    "under_connected_before": 50,
                    "under_connected_after": 50,
                    "mean_sustainability_before": 34.6037,
                    "mean_sustainability_after": 34.6704,
                }
            ]
        }
    )

    at: date = Field(description="Day of the scenario (added ties start on it).")
    region: str | None = Field(description="Region code asked for; null: all regions.")
    changes: list[Change] = Field(
        description="Innovations whose ties or metrics changed; largest drop in index first."
    )
    became_under_connected: list[str] = Field(
        description="Ids of innovations under-connected only after the scenario."
    )
    no_longer_under_connected: list[str] = Field(
        description="Ids of innovations under-connected only before the scenario."
    )
    under_connected_before: int = Field(description="Under-connected innovations before.")
    under_connected_after: int = Field(description="Under-connected innovations after.")
    mean_sustainability_before: float | None = Field(
        description="Mean sustainability index before; null without innovations."
    )
    mean_sustainability_after: float | None = Field(
        description="Mean sustainability index after; null without innovations."
    )
