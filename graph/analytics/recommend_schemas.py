"""Response models of the partner recommendations (`recommend.py`); field names are API contract."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from graph.analytics.innovation_schemas import ActorRef
from graph.analytics.weights import RecommendationWeights
from graph.vocab import Helix


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
