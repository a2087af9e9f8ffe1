"""Response and request models of the analytics (pydantic v2); field names are API contract."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from graph.analytics.weights import IndexWeights, RecommendationWeights
from graph.models import Actor, Slug
from graph.vocab import Helix, Role


class ActorRef(BaseModel):
    """An actor named in a result."""

    id: str
    name: str
    helix: Helix


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


class InnovationMetrics(BaseModel):
    """Helix metrics of one innovation on one day."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "geolasting",
                    "name": "GEOLASTING",
                    "coverage": 3,
                    "missing": ["ngo", "media", "private"],
                    "diversity": 0.52,
                    "depth": {"government": 3, "academia": 1, "community": 2},
                    "fragile_helices": ["academia"],
                    "critical_actors": [{"id": "ulm", "name": "ULM", "helix": "academia"}],
                    "resilience": 0.6667,
                    "non_government_share": 0.4,
                    "reach": 7,
                    "actor_count": 6,
                    "iga_actor_score": 1,
                    "sustainability_index": 58.3,
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
            ]
        }
    )

    id: str
    name: str
    region: str
    sector: str | None = None
    district: str | None = None
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
    components: IndexComponents
    weights: IndexWeights
    under_connected: bool
    reasons: list[str] = Field(description="Plain-language reasons it is under-connected.")


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

    id: str
    name: str
    helix: Helix
    region: str
    district: str | None = None
    innovation_count: int = Field(description="Innovations with an active tie.")
    partnership_count: int = Field(description="Active partnerships.")
    active_ties: int = Field(description="Active collaborations plus active partnerships (load).")
    degree: int = Field(description="Actors linked on the projection.")
    weighted_degree: float = Field(description="Sum of projection weights.")
    betweenness: float = Field(description="Normalised betweenness, edge length 1 / weight.")
    pagerank: float = Field(description="Weighted PageRank (damping 0.85).")
    constraint: float | None = Field(description="Burt's constraint; null for isolated actors.")
    effective_size: float | None = Field(description="Burt's effective size; null if isolated.")
    brokerage: Brokerage
    community: int = Field(description="Louvain community number (largest community is 0).")


class Community(BaseModel):
    """One Louvain community of the actor projection with its helix mix."""

    id: int
    size: int
    helix_mix: dict[Helix, int]
    coverage: int = Field(description="Helix kinds present in the community.")
    actors: list[str] = Field(description="Actor ids, strongest (weighted degree) first.")
    top_actors: list[ActorRef] = Field(description="Up to five members with most weight.")


class CommunitiesResult(BaseModel):
    """Louvain communities (fixed seed) and the modularity of the partition."""

    at: date
    region: str | None
    modularity: float | None
    communities: list[Community]


class Broker(BaseModel):
    """An actor that links helix kinds."""

    id: str
    name: str
    helix: Helix
    cross_helix: int
    betweenness: float


class CoParticipation(BaseModel):
    """Helix × helix matrix: innovations engaging both kinds (diagonal: engaging the kind)."""

    helices: list[Helix]
    matrix: list[list[int]]


class Portfolio(BaseModel):
    """Portfolio-level figures for a region (or all) on one day."""

    at: date
    region: str | None
    innovation_count: int
    active_innovation_count: int = Field(description="Innovations with at least one active tie.")
    actor_count: int
    active_actor_count: int = Field(description="Actors with at least one active tie.")
    tie_count: int
    partnership_count: int
    by_origin: dict[str, int]
    by_form: dict[str, int]
    by_stage: dict[str, int]
    digital_count: int
    coverage_histogram: list[int] = Field(description="Innovations by coverage 0..6.")
    helix_participation: dict[Helix, int] = Field(description="Innovations engaging each kind.")
    co_participation: CoParticipation
    ei_index: dict[Helix, float | None] = Field(
        description="Krackhardt-Stern E-I index per kind on the projection; null without ties."
    )
    ei_index_overall: float | None
    helix_assortativity: float | None
    modularity: float | None
    communities: list[Community]
    top_brokers: list[Broker]
    under_connected: list[InnovationMetrics]
    mean_coverage: float | None
    mean_diversity: float | None
    mean_sustainability_index: float | None
    iga_actor_scores: dict[str, int] = Field(
        description="Estimated IGA actor score by innovation id."
    )
    iga_actor_score_distribution: dict[str, int] = Field(description="Innovations per score 0..3.")
    weights: IndexWeights
    threshold: int


class HistoryPoint(BaseModel):
    """Headline figures of the portfolio on one day."""

    at: date
    active_innovation_count: int
    active_actor_count: int
    tie_count: int
    partnership_count: int
    mean_coverage: float | None
    mean_diversity: float | None
    mean_sustainability_index: float | None
    under_connected_count: int
    coverage_histogram: list[int]
    helix_participation: dict[Helix, int]
    iga_actor_score_distribution: dict[str, int]


class PortfolioHistory(BaseModel):
    """Time series of the portfolio headline figures."""

    region: str | None
    step: Literal["year", "quarter", "month"]
    points: list[HistoryPoint]


class Target(BaseModel):
    """A helix kind a recommendation aims to fill or strengthen."""

    helix: Helix
    why: Literal["missing", "fragile"]


class Recommendation(BaseModel):
    """A candidate partner for an innovation."""

    actor_id: str
    name: str
    helix: Helix
    score: float
    reason: str
    why: Literal["missing", "fragile"]
    shared_partners: list[ActorRef]
    shared_innovations: list[str] = Field(description="Ids of innovations shared with the team.")
    network: float
    sector: float
    locality: float
    load_penalty: float


class Gap(BaseModel):
    """A missing or fragile kind for which the graph holds no candidate actor."""

    helix: Helix
    message: str


class Recommendations(BaseModel):
    """Partner recommendations for one innovation."""

    innovation_id: str
    name: str
    at: date
    targets: list[Target]
    recommendations: list[Recommendation]
    gaps: list[Gap]
    weights: RecommendationWeights


class Hop(BaseModel):
    """One step of an introduction path, with what links the two actors."""

    source: str
    target: str
    weight: float
    shared_innovations: list[str]
    partnership: str | None
    explanation: str


class Path(BaseModel):
    """A chain of actors from source to target."""

    actors: list[ActorRef]
    cost: float = Field(description="Sum of 1 / weight over hops: lower is a stronger chain.")
    hops: list[Hop]


class Paths(BaseModel):
    """The k cheapest simple introduction paths between two actors."""

    source: str
    target: str
    at: date
    paths: list[Path]


class EgoNode(BaseModel):
    """A node of an ego network; `key` is unique (`actor:<id>` or `innovation:<id>`)."""

    key: str
    id: str
    type: Literal["actor", "innovation"]
    name: str
    helix: Helix | None = None
    distance: int


class EgoEdge(BaseModel):
    """An edge of an ego network between two node keys."""

    source: str
    target: str
    type: Literal["collaborates_on", "partners_with"]
    role: str | None = None
    strength: int | None = None
    kind: str | None = None


class EgoNetwork(BaseModel):
    """The nodes within `depth` steps of a centre (bipartite ties plus partnerships)."""

    center: str
    depth: int
    at: date
    nodes: list[EgoNode]
    edges: list[EgoEdge]
    truncated: bool = Field(description="True when the node cap cut the network short.")


class NewTie(BaseModel):
    """A hypothetical collaboration for a what-if; it replaces an active tie of the same pair."""

    actor_id: Slug
    innovation_id: Slug
    role: Role = Role.IMPLEMENTER
    strength: int = Field(2, ge=1, le=3)


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

    remove_actors: list[Slug] = Field(default_factory=list, max_length=500)
    add_actors: list[Actor] = Field(
        default_factory=list, max_length=500, description="Hypothetical actors, e.g. a new partner."
    )
    add_ties: list[NewTie] = Field(default_factory=list, max_length=5000)


class Change(BaseModel):
    """One innovation's metrics before and after a scenario."""

    id: str
    name: str
    before: InnovationMetrics
    after: InnovationMetrics
    sustainability_delta: float
    coverage_delta: int


class WhatIfResult(BaseModel):
    """What a scenario does to the innovations it touches."""

    at: date
    region: str | None
    changes: list[Change]
    became_under_connected: list[str]
    no_longer_under_connected: list[str]
    under_connected_before: int
    under_connected_after: int
    mean_sustainability_before: float | None
    mean_sustainability_after: float | None
