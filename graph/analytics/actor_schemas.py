"""Response models of the actor metrics (`actor_metrics.py`); field names are API contract."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from graph.vocab import Helix, Provenance


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
                    "id": "universitas-a",
                    "name": "Universitas A (contoh)",
                    "provenance": "illustrative",
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
    provenance: Provenance = Field(
        Provenance.ILLUSTRATIVE, description="Whether the actor is reported or illustrative."
    )
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
