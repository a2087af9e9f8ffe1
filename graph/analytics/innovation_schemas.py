"""Response models of the innovation metrics (`innovation_metrics.py`); field names are API contract."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field
from pydantic.config import JsonDict

from graph.analytics.weights import IndexWeights
from graph.messages import Message, render
from graph.models import Actor
from graph.vocab import Helix, Membership, Provenance


class ActorRef(BaseModel):
    """An actor named in a result."""

    id: str = Field(description="Actor id.", examples=["universitas-a"])
    name: str = Field(description="Actor name.", examples=["Universitas A (contoh)"])
    helix: Helix = Field(description="Actor's Hexahelix kind.")
    provenance: Provenance = Field(
        Provenance.ILLUSTRATIVE, description="Whether the actor is reported or illustrative."
    )

    @classmethod
    def of(cls, actor: Actor) -> ActorRef:
        """The reference to a stored actor, with its provenance."""
        return cls(id=actor.id, name=actor.name, helix=actor.helix, provenance=actor.provenance)


class CriticalActor(ActorRef):
    """The sole actor of a fragile helix kind on an innovation, with the tie it rests on."""

    provenance: Provenance = Field(
        description="Provenance of its tie to the innovation: `illustrative` means the verdict "
        "rests on an invented tie (then `note` says so)."
    )
    source: str = Field(description="Source of that tie: a citation or `illustrative`.")
    note: Message | None = Field(
        None, description="`rests_on_illustrative` when the tie is illustrative; null otherwise."
    )


class IndexComponents(BaseModel):
    """The components of the sustainability index, each in 0..1 (see `IndexWeights`)."""

    coverage: float = Field(
        description=f"coverage / {len(Helix)}: each kind present is one step of "
        f"100/{len(Helix) + 1} index points."
    )
    depth: float = Field(
        description="Mean over present kinds of min(1, the kind's tie strength / depth_target): "
        "a kind present by one occasional tie counts 1/4."
    )
    resilience: float = Field(
        description="Share of present kinds backed by two or more actors (0 without kinds)."
    )
    reach: float = Field(description="min(1, reach / reach_saturation).")


def _missing_kinds_reason(covered: int, missing: list[str]) -> JsonDict:
    """An example reason: its text rendered as the API renders it (so it names the number of
    kinds the vocabulary has)."""
    params: JsonDict = {"covered": covered, "missing": list(missing)}
    return {"code": "missing_kinds", "params": params, "text": render("missing_kinds", params)}


INNOVATION_METRICS_EXAMPLE: JsonDict = {
    "id": "geolasting",
    "name": "GEOLASTING",
    "provenance": "reported",
    "program": "INTAN BANJAR 2025",
    "membership": "assumed",
    "data_completeness": 0.3636,
    "region": "63.03",
    "sector": "health",
    "district": "Martapura",
    "coverage": 3,
    "missing": ["private", "ngo", "media"],
    "diversity": 0.52,
    "depth": {"government": 3, "academia": 1, "community": 2},
    "fragile_helices": ["academia"],
    "critical_actors": [
        {
            "id": "universitas-a",
            "name": "Universitas A (contoh)",
            "helix": "academia",
            "provenance": "illustrative",
            "source": "illustrative",
            "note": {
                "code": "rests_on_illustrative",
                "params": {},
                "text": "berdasar relasi ilustratif (contoh), bukan data terlapor",
            },
        }
    ],
    "resilience": 0.6667,
    "non_government_share": 0.4,
    "reach": 7,
    "actor_count": 6,
    "iga_actor_score": 1,
    "sustainability_index": 53.8,
    "components": {"coverage": 0.5, "depth": 0.75, "resilience": 0.6667, "reach": 1.0},
    "weights": IndexWeights().model_dump(),
    "under_connected": True,
    "reasons": [_missing_kinds_reason(3, ["private", "ngo", "media"])],
}

# The same innovation once its only academia actor has left: one kind fewer. No kind hangs on
# one actor any more (resilience and depth rise to 1), but a kind is worth a whole step of the
# index, so it falls.
INNOVATION_METRICS_WITHOUT_ULM: JsonDict = INNOVATION_METRICS_EXAMPLE | {
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
    "sustainability_index": 42.9,
    "components": {"coverage": 0.3333, "depth": 1.0, "resilience": 1.0, "reach": 1.0},
    "reasons": [_missing_kinds_reason(2, ["academia", "private", "ngo", "media"])],
}


class InnovationMetrics(BaseModel):
    """Helix metrics of one innovation on one day."""

    model_config = ConfigDict(json_schema_extra={"examples": [INNOVATION_METRICS_EXAMPLE]})

    id: str = Field(description="Innovation id.")
    name: str = Field(description="Innovation name.")
    provenance: Provenance = Field(
        Provenance.ILLUSTRATIVE, description="Whether the innovation is reported or illustrative."
    )
    program: str | None = Field(None, description="Programme it belongs to, if any.")
    membership: Membership | None = Field(
        None,
        description="Whether its belonging to `program` is `reported` or only `assumed` (no "
        "public list of the programme); null when not stated.",
    )
    data_completeness: float | None = Field(
        None,
        description="Data completeness: its reported active ties / all its active ties "
        "(null without ties); 1 means nothing used here is illustrative.",
    )
    region: str = Field(description="BPS code of the innovation's region.")
    sector: str | None = Field(None, description="The innovation's sector, if recorded.")
    district: str | None = Field(None, description="The innovation's kecamatan, if recorded.")
    coverage: int = Field(description=f"Distinct helix kinds among active actors, 0..{len(Helix)}.")
    missing: list[Helix] = Field(description="Helix kinds with no active actor.")
    diversity: float = Field(
        description=f"Shannon entropy of strength-weighted helix shares / ln {len(Helix)}."
    )
    depth: dict[Helix, int] = Field(description="Active actors per present helix kind.")
    fragile_helices: list[Helix] = Field(description="Present helix kinds carried by one actor.")
    critical_actors: list[CriticalActor] = Field(
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
        description="Estimated IGA 'keterlibatan aktor' score (IGA's rubric, in counts of "
        "kinds): 6 or more kinds 3, 4-5 kinds 2, 3 kinds 1, else 0."
    )
    sustainability_index: float = Field(description="0..100, weighted sum of `components`.")
    components: IndexComponents = Field(
        description="The index components (0..1) that `sustainability_index` weighs."
    )
    weights: IndexWeights = Field(description="Weights and saturation points used for the index.")
    under_connected: bool = Field(
        description="coverage below the threshold, or resilience 0, or fewer than 2 actors."
    )
    reasons: list[Message] = Field(
        description="Why it is under-connected, as codes with parameters and the text in the "
        "language asked; empty when it is not."
    )
