"""Tunable weights of the sustainability index and of partner recommendations.

Both are settings: the service reads them from its configuration and passes them to the
engine; every response that uses them shows the values it used.
"""

from __future__ import annotations

from typing import Self

from pydantic import BaseModel, ConfigDict, Field, model_validator


class IndexWeights(BaseModel):
    """Weights of the sustainability index (0-100) and the two saturation points it uses.

    The index is ``100 * sum(w_k * c_k) / sum(w_k)`` over six components ``c_k`` in 0..1, so the
    weights need not add up to 1 (they are normalised). Defaults and their rationale:

    - ``coverage`` 0.30: how many of the six helix kinds take part is the headline measure of
      the Hexahelix model and the one IGA scores ("keterlibatan aktor").
    - ``resilience`` 0.20: innovations die when their one carrier leaves (429 of 2,355 followed
      up nationally had stopped); losing a whole helix kind with one actor is the main risk.
    - ``depth`` 0.15: share of present helix kinds backed by two or more actors.
    - ``diversity`` 0.15: balance of tie strength across kinds; a kind present only by name
      (one occasional tie) counts less than an even mix.
    - ``non_government`` 0.10: ownership outside the government survives transfers and changes
      of political support.
    - ``reach`` 0.10: actors shared with other innovations carry knowledge and replication.
    """

    model_config = ConfigDict(extra="forbid")

    coverage: float = Field(0.30, ge=0, description="Weight of coverage / 6.")
    diversity: float = Field(0.15, ge=0, description="Weight of the normalised Shannon diversity.")
    resilience: float = Field(0.20, ge=0, description="Weight of resilience.")
    depth: float = Field(0.15, ge=0, description="Weight of the share of non-fragile helix kinds.")
    non_government: float = Field(
        0.10, ge=0, description="Weight of the non-government share (saturating, see below)."
    )
    reach: float = Field(0.10, ge=0, description="Weight of reach (saturating, see below).")
    non_government_target: float = Field(
        0.5,
        gt=0,
        le=1,
        description="Non-government share of tie strength that earns the full component.",
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
        """Sum of the six component weights."""
        return (
            self.coverage
            + self.diversity
            + self.resilience
            + self.depth
            + self.non_government
            + self.reach
        )


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
