"""One innovation's own metrics from its neighbourhood, without the whole projection.

Coverage, missing kinds, diversity, depth, resilience, critical actors, completeness and the
index of an innovation depend on its own ties and the actors active on it; reach (how many
other innovations share an active actor with it) on what those actors are tied to or own. So
its metrics are computed on {the innovation, its ties, its active actors}, and its reach counted
by the store (`Store.reach`: on Neo4j one query answering one number, however many ties a
ministry among those actors has): four store reads whatever the degrees, equal to the whole
graph's figures, while the national projection is rebuilt in the background. On plain values
(`one_innovation_metrics`): no numpy or scipy is imported, so the first such read of a process
that never built a projection (a reader) pays for no import.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from typing import Protocol, TypeVar, runtime_checkable

from graph.analytics.innovation_metrics import one_innovation_metrics
from graph.analytics.innovation_schemas import InnovationMetrics
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

    def reach(
        self, innovation_id: str, actor_ids: Collection[str], day: date, region: str | None
    ) -> int: ...


def neighbourhood(
    store: RecordSource, innovation_id: str, region: str | None, day: date
) -> GraphData:
    """The innovation with its ties and the actors active on it on `day` (NotFound if it is not
    stored or not in `region`)."""
    found = store.records(Innovation, [innovation_id])
    if not found:
        raise NotFound(f"innovation '{innovation_id}' not found")
    innovation = found[0]
    if not region_contains(region, innovation.region):
        raise NotFound(f"innovation {innovation_id!r} not found in region {region!r}")
    own = store.ties_touching(innovation_ids=[innovation_id])
    # All its ties are kept (an owner's ended tie still says it has no implicit one); only the
    # actors active on it that day count for it and link it to others.
    alone = active_view(GraphData(innovations=[innovation], collaborations=own), day)
    carriers = sorted({tie.actor_id for tie in alone.collaborations})
    return GraphData(
        innovations=[innovation], actors=store.records(Actor, carriers), collaborations=own
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
    own_graph = neighbourhood(store, innovation_id, region, day)
    view = active_view(own_graph, day)
    if not view.innovations:  # not launched yet: not counted, as in the full pass
        raise NotFound(f"innovation {innovation_id!r} not found")
    actors = {actor.id: actor for actor in own_graph.actors}
    count = store.reach(innovation_id, sorted(actors), day, region) if actors else 0
    return one_innovation_metrics(
        view.innovations[0], view.collaborations, actors, count, weights, threshold
    )
