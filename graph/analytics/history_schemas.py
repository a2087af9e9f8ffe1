"""Response models of the portfolio history (`history.py`); field names are API contract."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from graph.analytics.portfolio_schemas import ILLUSTRATIVE_FIELD
from graph.provenance import IllustrativeShare
from graph.vocab import Helix

Step = Literal["year", "quarter", "month"]
"""The spacing of a portfolio history's points."""


class HistoryPoint(BaseModel):
    """Headline figures of the portfolio on one day."""

    at: date = Field(description="The day; only ties active on it count.")
    active_innovation_count: int = Field(description="Innovations with at least one active tie.")
    active_actor_count: int = Field(description="Actors with at least one active tie.")
    tie_count: int = Field(description="Active collaborations.")
    partnership_count: int = Field(description="Active partnerships.")
    mean_coverage: float | None = Field(
        description=f"Mean coverage over all innovations, 0..{len(Helix)}; null without "
        "innovations."
    )
    mean_diversity: float | None = Field(
        description="Mean diversity over all innovations, 0..1; null without innovations."
    )
    mean_sustainability_index: float | None = Field(
        description="Mean sustainability index, 0..100; null without innovations."
    )
    under_connected_count: int = Field(description="Under-connected innovations on the day.")
    coverage_histogram: list[int] = Field(description=f"Innovations by coverage 0..{len(Helix)}.")
    helix_participation: dict[Helix, int] = Field(description="Innovations engaging each kind.")
    iga_actor_score_distribution: dict[str, int] = Field(
        description="Innovations per estimated IGA actor score 0..3."
    )
    illustrative: IllustrativeShare = ILLUSTRATIVE_FIELD


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
                            "illustrative": {
                                "innovations": 54,
                                "illustrative_innovations": 36,
                                "ties": 69,
                                "illustrative_ties": 63,
                                "partnerships": 25,
                                "illustrative_partnerships": 23,
                            },
                        }
                    ],
                }
            ]
        }
    )

    region: str | None = Field(description="Region code asked for; null: all regions.")
    step: Literal["year", "quarter", "month"] = Field(description="Spacing of the points.")
    points: list[HistoryPoint] = Field(description="One point per step, oldest first.")
