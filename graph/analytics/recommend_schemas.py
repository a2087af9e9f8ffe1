"""Response models of the partner recommendations (`recommend.py`); field names are API contract."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, FieldSerializationInfo, field_serializer

from graph.analytics.innovation_schemas import ActorRef
from graph.analytics.weights import RecommendationWeights
from graph.messages import Message, context_lang, join_texts
from graph.provenance import TieEvidence, illustrative_evidence_example
from graph.vocab import Helix, Provenance


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
    reasons: list[Message] = Field(
        description="What the candidate brings and shares with the team, as codes with "
        "parameters and texts in the language asked."
    )
    reason: str = Field(
        "", description="The `reasons` texts joined with '; ', in the language asked."
    )
    why: Literal["missing", "fragile"] = Field(
        description="Whether it fills a missing kind or backs up a fragile one."
    )
    shared_partners: list[ActorRef] = Field(
        description="Its projection neighbours that are on the team or linked to it."
    )
    shared_innovations: list[str] = Field(description="Ids of innovations shared with the team.")
    evidence: list[TieEvidence] = Field(
        default_factory=list,
        description="The ties linking the candidate to its shared partners (each shared "
        "innovation, each partnership), with their provenance and sources.",
    )
    provenance: Provenance = Field(
        Provenance.REPORTED,
        description="`illustrative` when the candidate's link to the team rests only on "
        "illustrative ties (then `reasons` ends with `rests_on_illustrative`).",
    )
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

    @field_serializer("reason")
    def _reason(self, _: str, info: FieldSerializationInfo) -> str:
        return join_texts(self.reasons, context_lang(info.context))


class Gap(BaseModel):
    """A missing or fragile kind without a candidate worth proposing."""

    helix: Helix = Field(description="The kind without candidates.")
    why: Literal["no_actor", "no_evidence"] = Field(
        description="`no_actor`: the graph has no (other) actor of the kind; `no_evidence`: "
        "none of its actors shares a partner, the sector, the district or the kind of work "
        "with the innovation (no strong candidate yet)."
    )
    message: Message = Field(description="Why there is no candidate, and what to add.")


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
                            "actor_id": "bank-daerah-a",
                            "name": "Bank daerah A (contoh)",
                            "helix": "private",
                            "score": 0.4628,
                            "reasons": [
                                {
                                    "code": "rec_brings_missing",
                                    "params": {"helix": "private"},
                                    "text": "membawa unsur Swasta yang belum ada",
                                },
                                {
                                    "code": "rec_same_province",
                                    "params": {},
                                    "text": "provinsi yang sama",
                                },
                                {
                                    "code": "rests_on_illustrative",
                                    "params": {},
                                    "text": "berdasar relasi ilustratif (contoh), bukan data "
                                    "terlapor",
                                },
                            ],
                            "reason": "membawa unsur Swasta yang belum ada; provinsi yang sama; "
                            "berdasar relasi ilustratif (contoh), bukan data terlapor",
                            "why": "missing",
                            "shared_partners": [
                                {
                                    "id": "dinkes-banjar",
                                    "name": "Dinas Kesehatan Kabupaten Banjar",
                                    "helix": "government",
                                    "provenance": "reported",
                                }
                            ],
                            "shared_innovations": ["kawan-manis-best", "lider", "pajak-bungas"],
                            "evidence": [
                                illustrative_evidence_example(
                                    "bank-daerah-a", "dinkes-banjar", "kawan-manis-best"
                                )
                            ],
                            "provenance": "illustrative",
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
