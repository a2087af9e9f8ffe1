"""One innovation's own metrics from its neighbourhood, without the whole projection.

Coverage, missing kinds, diversity, depth, resilience, critical actors, completeness and the
index of an innovation depend on its own ties; reach (the other innovations sharing an active
actor with it) on the innovations its active actors also work on or own. So its metrics
computed on the sub-graph {the innovation, its ties, the actors active on it on the day, every
tie of those actors, the innovations they own, the innovations at the other ends} equal those
computed on the whole graph: a read right after a write is answered from six bulk store reads
(whatever the degrees: a ministry with thousands of ties costs one query, not thousands) while
the national projection is rebuilt in the background. Only the innovation's own metrics are
computed on that sub-graph, not those of every innovation in it.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from typing import Protocol, TypeVar, runtime_checkable

from graph.analytics.innovation_metrics import innovation_metrics
from graph.analytics.innovation_schemas import InnovationMetrics
from graph.analytics.projection import Projection
from graph.analytics.weights import IndexWeights
from graph.asof import active_view
from graph.errors import NotFound
from graph.models import Actor, Collaboration, GraphData, Innovation
from graph.regions import region_contains

N = TypeVar("N", Innovation, Actor)


@runtime_checkable
class RecordSource(Protocol):
    """The bulk store reads a neighbourhood needs (see `graph.store.Store`)."""

    def records(self, model: type[N], ids: Collection[str]) -> list[N]: ...

    def ties_touching(
        self, *, innovation_ids: Collection[str] = (), actor_ids: Collection[str] = ()
    ) -> list[Collaboration]: ...

    def owned_innovations(self, actor_ids: Collection[str]) -> list[Innovation]: ...


def neighbourhood(
    store: RecordSource, innovation_id: str, region: str | None, day: date
) -> GraphData:
    """The sub-graph that decides the innovation's own metrics on `day` (module docstring)."""
    found = store.records(Innovation, [innovation_id])
    if not found:
        raise NotFound(f"innovation '{innovation_id}' not found")
    innovation = found[0]
    if not region_contains(region, innovation.region):
        raise NotFound(f"innovation {innovation_id!r} not found in region {region!r}")
    own = store.ties_touching(innovation_ids=[innovation_id])
    # Only the actors active on it that day (the owner's implicit tie included) link it to
    # others; the rest of its ties are kept so that `active_view` reads them as the full pass.
    alone = active_view(GraphData(innovations=[innovation], collaborations=own), day)
    carriers = sorted({tie.actor_id for tie in alone.collaborations})
    if not carriers:
        return GraphData(innovations=[innovation], collaborations=own)
    ties = {tie.key: tie for tie in own}
    ties.update((tie.key, tie) for tie in store.ties_touching(actor_ids=carriers))
    innovations = {i.id: i for i in store.owned_innovations(carriers)}
    innovations[innovation_id] = innovation
    others = {tie.innovation_id for tie in ties.values()} - innovations.keys()
    innovations.update((i.id, i) for i in store.records(Innovation, others))
    kept = {
        i.id: i
        for i in innovations.values()
        if i.id == innovation_id or region_contains(region, i.region)
    }
    return GraphData(
        innovations=sorted(kept.values(), key=lambda i: i.id),
        actors=store.records(Actor, carriers),
        collaborations=[ties[k] for k in sorted(ties) if k[1] in kept],
    )


def local_innovation_metrics(
    store: RecordSource,
    innovation_id: str,
    region: str | None,
    day: date,
    weights: IndexWeights,
    threshold: int,
) -> InnovationMetrics:
    """The innovation's metrics on its neighbourhood as of `day` (equal to the full pass's)."""
    projection = Projection(neighbourhood(store, innovation_id, region, day), day)
    for metrics in innovation_metrics(projection, weights, threshold, only={innovation_id}):
        return metrics
    raise NotFound(f"innovation {innovation_id!r} not found")
