"""Response models of the IGA gain (`iga.py`); field names are API contract."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field
from pydantic.config import JsonDict

from graph.analytics.innovation_schemas import ActorRef
from graph.messages import Message
from graph.vocab import Helix


class KindToAdd(BaseModel):
    """A missing kind the smallest change would add, with candidate partners."""

    helix: Helix = Field(description="The kind to add.")
    candidates: list[ActorRef] = Field(
        description="Best-ranked partners of that kind (recommendation ranking); empty when no "
        "candidate has evidence or the graph has none."
    )


IGA_GAIN_EXAMPLE: JsonDict = {
    "innovation_id": "desa-bauntung",
    "name": "DESA BAUNTUNG",
    "coverage": 2,
    "score": 0,
    "next_score": 1,
    "kinds_needed": 1,
    "add": [
        {
            "helix": "community",
            "candidates": [
                {
                    "id": "kelompok-masyarakat-jawa-laut",
                    "name": "Masyarakat Desa Jawa Laut",
                    "helix": "community",
                    "provenance": "reported",
                }
            ],
        }
    ],
    "action": {
        "code": "iga_add_kind",
        "params": {"helix": "community", "before": 0, "after": 1},
        "text": "tambahkan mitra Masyarakat: skor keterlibatan aktor 0 → 1",
    },
}


class IgaGain(BaseModel):
    """The smallest change that raises an innovation's estimated IGA actor-involvement score."""

    model_config = ConfigDict(json_schema_extra={"examples": [IGA_GAIN_EXAMPLE]})

    innovation_id: str = Field(description="Innovation id.")
    name: str = Field(description="Innovation name.")
    coverage: int = Field(description="Helix kinds now.")
    score: int = Field(description="Estimated IGA 'keterlibatan aktor' score now (0..3).")
    next_score: int | None = Field(description="Score after the change; null at the maximum.")
    kinds_needed: int = Field(description="Kinds to add for the next score (0 at the maximum).")
    add: list[KindToAdd] = Field(
        description="The kinds to add, easiest first (those with the best candidates)."
    )
    action: Message = Field(
        description="`iga_add_kind` / `iga_add_kinds` (add …: before → after) or "
        "`iga_at_maximum`, with the text in the language asked."
    )


class IgaPortfolio(BaseModel):
    """The actions that raise the estimated IGA actor scores most for the least change."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "at": "2026-01-01",
                    "region": "63.03",
                    "actions": [IGA_GAIN_EXAMPLE],
                    "actionable": 53,
                    "total_score_before": 52,
                    "total_score_after": 53,
                    "distribution_before": {"0": 25, "1": 10, "2": 18, "3": 2},
                    "distribution_after": {"0": 24, "1": 11, "2": 18, "3": 2},
                    "uncertainty": {
                        "code": "iga_uncertain",
                        "params": {},
                        "text": "perkiraan: pita skor IGA untuk 5 unsur tidak dipublikasikan "
                        "(kami beri 2) dan 'lainnya' kami baca sebagai organisasi "
                        "non-pemerintah",
                    },
                }
            ]
        }
    )

    at: date = Field(description="Day whose active ties were used.")
    region: str | None = Field(description="Region code asked for; null: all regions.")
    actions: list[IgaGain] = Field(
        description="Up to `limit` innovations, fewest kinds to add first, then the lowest "
        "score, then by id."
    )
    actionable: int = Field(description="Innovations whose score can still rise.")
    total_score_before: int = Field(description="Sum of the estimated scores now.")
    total_score_after: int = Field(
        description="Sum of the estimated scores if every listed action is taken."
    )
    distribution_before: dict[str, int] = Field(description="Innovations per score 0..3 now.")
    distribution_after: dict[str, int] = Field(
        description="Innovations per score 0..3 if every listed action is taken."
    )
    uncertainty: Message = Field(
        description="How far the estimate can be trusted (`iga_uncertain`): the bands are "
        "reported, not verified, and the 5-kind band is our reading."
    )
