"""What-if scenarios: actors leave, hypothetical actors join, ties are added."""

from __future__ import annotations

from datetime import date

from graph.analytics.helixes import HELIXES
from graph.analytics.innovation_metrics import innovation_metrics
from graph.analytics.innovation_schemas import InnovationMetrics
from graph.analytics.projection import Projection
from graph.analytics.weights import IndexWeights
from graph.analytics.whatif_schemas import Change, WhatIfRequest, WhatIfResult
from graph.errors import Invalid, NotFound
from graph.messages import Message, msg
from graph.models import Collaboration, GraphData


def apply_scenario(data: GraphData, request: WhatIfRequest, at: date) -> tuple[GraphData, set[str]]:
    """The graph after the scenario, and the innovations whose ties it changes on `at`.

    Removed actors lose every tie and partnership; added ties start on `at` and replace any tie
    of the same actor and innovation.
    """
    actor_ids = {a.id for a in data.actors}
    innovation_ids = {i.id for i in data.innovations}
    removed = set(request.remove_actors)
    for actor_id in sorted(removed - actor_ids):
        raise NotFound(f"actor {actor_id!r} not found")
    for actor in request.add_actors:
        if actor.id in actor_ids:
            raise Invalid(
                f"actor {actor.id!r} already exists", [f"add_actors: {actor.id} already exists"]
            )
    known = actor_ids | {a.id for a in request.add_actors}
    for tie in request.add_ties:
        if tie.actor_id not in known:
            raise NotFound(f"actor {tie.actor_id!r} not found")
        if tie.innovation_id not in innovation_ids:
            raise NotFound(f"innovation {tie.innovation_id!r} not found")
        if tie.actor_id in removed:
            raise Invalid(
                f"actor {tie.actor_id!r} is both removed and given a tie",
                [f"add_ties: {tie.actor_id} is in remove_actors"],
            )
    added = {(t.actor_id, t.innovation_id) for t in request.add_ties}
    affected = {
        c.innovation_id for c in data.collaborations if c.actor_id in removed and c.active_on(at)
    } | {innovation for _, innovation in added}
    collaborations = [
        c for c in data.collaborations if c.actor_id not in removed and c.key not in added
    ]
    collaborations += [
        Collaboration(
            actor_id=t.actor_id,
            innovation_id=t.innovation_id,
            role=t.role,
            strength=t.strength,
            since=at,
            source="what-if",
        )
        for t in request.add_ties
    ]
    after = data.model_copy(
        update={
            "actors": [a for a in data.actors if a.id not in removed] + list(request.add_actors),
            "collaborations": collaborations,
            "partnerships": [
                p
                for p in data.partnerships
                if p.source_id not in removed and p.target_id not in removed
            ],
        }
    )
    return after, affected


def change_notes(before: InnovationMetrics, after: InnovationMetrics) -> list[Message]:
    """What a scenario does to one innovation, as message codes."""
    notes: list[Message] = []
    lost = [h.value for h in HELIXES if h in before.depth and h not in after.depth]
    gained = [h.value for h in HELIXES if h in after.depth and h not in before.depth]
    if lost:
        notes.append(msg("whatif_loses_kinds", kinds=lost))
    if gained:
        notes.append(msg("whatif_gains_kinds", kinds=gained))
    if after.under_connected and not before.under_connected:
        notes.append(msg("whatif_becomes_under_connected"))
    if before.under_connected and not after.under_connected:
        notes.append(msg("whatif_no_longer_under_connected"))
    if after.sustainability_index != before.sustainability_index:
        notes.append(
            msg(
                "whatif_index_change",
                before=before.sustainability_index,
                after=after.sustainability_index,
            )
        )
    return notes


def _mean(metrics: list[InnovationMetrics]) -> float | None:
    if not metrics:
        return None
    return round(sum(m.sustainability_index for m in metrics) / len(metrics), 4)


def what_if(
    before: Projection,
    request: WhatIfRequest,
    weights: IndexWeights,
    threshold: int,
    region: str | None = None,
    before_metrics: list[InnovationMetrics] | None = None,
) -> WhatIfResult:
    """Metrics before and after for every innovation the scenario touches or changes."""
    data, touched = apply_scenario(before.data, request, before.at)
    old = before_metrics or innovation_metrics(before, weights, threshold)
    new = innovation_metrics(Projection(data, before.at), weights, threshold)
    new_by_id = {m.id: m for m in new}
    changes: list[Change] = []
    became: list[str] = []
    recovered: list[str] = []
    for b in old:
        a = new_by_id[b.id]
        if b.id not in touched and a == b:
            continue
        changes.append(
            Change(
                id=b.id,
                name=b.name,
                before=b,
                after=a,
                sustainability_delta=round(a.sustainability_index - b.sustainability_index, 1),
                coverage_delta=a.coverage - b.coverage,
                notes=change_notes(b, a),
            )
        )
        if a.under_connected and not b.under_connected:
            became.append(b.id)
        if b.under_connected and not a.under_connected:
            recovered.append(b.id)
    changes.sort(key=lambda c: (c.sustainability_delta, c.id))
    return WhatIfResult(
        at=before.at,
        region=region,
        changes=changes,
        became_under_connected=became,
        no_longer_under_connected=recovered,
        under_connected_before=sum(1 for m in old if m.under_connected),
        under_connected_after=sum(1 for m in new if m.under_connected),
        mean_sustainability_before=_mean(old),
        mean_sustainability_after=_mean(new),
    )
