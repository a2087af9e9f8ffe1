"""Tunable weights of the sustainability index and of partner recommendations.

Both are settings: the service reads them from its configuration and passes them to the
engine; every response that uses them shows the values it used.
"""

from __future__ import annotations

from typing import Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

DEFAULT_THRESHOLD = 4
"""Coverage below this marks an innovation under-connected (HEXAHELIX_UNDER_CONNECTED_THRESHOLD)."""


class IndexWeights(BaseModel):
    """How the sustainability index (0-100) weighs the quality of an innovation's kinds.

    The index is ``100 * (coverage + quality) / (kinds + 1)``: each helix kind present is worth
    one step of 100/(kinds + 1) points (100/7 with six kinds), and ``quality`` (0..1, the
    weighted mean of three components) adds at most one more step. So more kinds always rank higher (see docs/METRICS.md for why), and within
    the same number of kinds the components decide:

    - ``depth`` 0.4: how thickly each present kind is carried, the mean over present kinds of
      ``min(1, tie strength of the kind / depth_target)``: a kind present by one occasional tie
      counts 1/4, by two regular ties fully.
    - ``resilience`` 0.4: share of present kinds backed by two or more actors (one departure
      does not remove them).
    - ``reach`` 0.2: other innovations sharing an actor, saturating at ``reach_saturation``.
    """

    model_config = ConfigDict(extra="forbid")

    depth: float = Field(0.4, ge=0, description="Weight of how thickly each kind is carried.")
    resilience: float = Field(
        0.4, ge=0, description="Weight of the share of kinds backed by two or more actors."
    )
    reach: float = Field(0.2, ge=0, description="Weight of reach (saturating, see below).")
    depth_target: float = Field(
        4.0,
        gt=0,
        description="Tie strength of a kind that carries it fully (4: two regular ties, or a "
        "core and an occasional one).",
    )
    reach_saturation: int = Field(
        5, ge=1, description="Number of other innovations reached that earns the full component."
    )

    @model_validator(mode="after")
    def _some_weight(self) -> Self:
        if self.total() <= 0:
            raise ValueError("at least one index weight must be positive")
        return self

    def total(self) -> float:
        """Sum of the three quality weights."""
        return self.depth + self.resilience + self.reach


class RecommendationWeights(BaseModel):
    """How candidate partners are scored: ``network*N + sector*S + locality*L - load*P``.

    ``N`` is ``AA / (1 + AA)`` with AA the Adamic-Adar sum over shared partners, ``S`` the sector
    overlap, ``L`` locality (1 same district, 0.5 same region, 0.25 same province) and ``P`` the
    load penalty ``min(1, max(0, ties - load_free) / load_free)``.
    """

    model_config = ConfigDict(extra="forbid")

    network: float = Field(0.5, ge=0, description="Weight of shared partners with the team.")
    sector: float = Field(0.25, ge=0, description="Weight of sector overlap.")
    locality: float = Field(0.25, ge=0, description="Weight of locality.")
    load: float = Field(0.3, ge=0, description="Weight of the load penalty.")
    load_free: int = Field(
        6, ge=1, description="Active ties an actor can carry before the load penalty starts."
    )
