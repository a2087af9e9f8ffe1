"""Request and response models of the what-if scenarios (`whatif.py`); field names are API contract."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from graph.analytics.innovation_schemas import (
    INNOVATION_METRICS_EXAMPLE,
    INNOVATION_METRICS_WITHOUT_ULM,
    InnovationMetrics,
)
from graph.messages import Message
from graph.models import Actor, Slug
from graph.vocab import Role


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
                    "remove_actors": ["universitas-a"],
                    "add_ties": [{"actor_id": "media-lokal-c", "innovation_id": "geolasting"}],
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
    notes: list[Message] = Field(
        default_factory=list,
        description="What the scenario does to it (kinds lost or gained, under-connected or "
        "not), as codes with parameters and texts in the language asked.",
    )


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
                            "before": INNOVATION_METRICS_EXAMPLE,
                            "after": INNOVATION_METRICS_WITHOUT_ULM,
                            "sustainability_delta": -10.9,
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
