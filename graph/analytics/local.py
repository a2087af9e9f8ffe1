"""One innovation's own metrics from its neighbourhood, without the whole projection.

Coverage, missing kinds, diversity, depth, resilience, critical actors, completeness and the
index of an innovation depend on its own ties; reach on the innovations its actors also work on.
So its metrics computed on the sub-graph {the innovation, its actors (and owner), every tie of
those actors, the innovations at the other ends} equal those computed on the whole graph: a
read right after a write can be answered from a few store look-ups while the national
projection is rebuilt in the background.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from typing import Protocol, TypeVar, runtime_checkable

from graph.analytics.innovation_metrics import innovation_metrics
from graph.analytics.innovation_schemas import InnovationMetrics
from graph.analytics.projection import Projection
from graph.analytics.weights import IndexWeights
from graph.errors import NotFound
from graph.models import Actor, Collaboration, GraphData, Innovation, Page
from graph.regions import region_contains
from graph.store import MAX_PAGE, CollaborationFilter, InnovationFilter, PageRequest

T = TypeVar("T")


@runtime_checkable
class RecordSource(Protocol):
    """The store reads a neighbourhood needs."""

    def get_innovation(self, innovation_id: str) -> Innovation: ...

    def get_actor(self, actor_id: str) -> Actor: ...

    def list_innovations(
        self, filters: InnovationFilter, page: PageRequest
    ) -> Page[Innovation]: ...

    def list_collaborations(
        self, filters: CollaborationFilter, page: PageRequest
    ) -> Page[Collaboration]: ...


def _every(read: Callable[[PageRequest], Page[T]]) -> Iterator[T]:
    """All items of a paged read."""
    offset = 0
    while True:
        page = read(PageRequest(limit=MAX_PAGE, offset=offset))
        yield from page.items
        offset += len(page.items)
        if not page.items or offset >= page.total:
            return


def _ties_of(
    store: RecordSource, filters: CollaborationFilter
) -> Callable[[PageRequest], Page[Collaboration]]:
    return lambda page: store.list_collaborations(filters, page)


def _owned_by(store: RecordSource, actor_id: str) -> Callable[[PageRequest], Page[Innovation]]:
    return lambda page: store.list_innovations(InnovationFilter(owner_id=actor_id), page)


def neighbourhood(store: RecordSource, innovation_id: str, region: str | None) -> GraphData:
    """The sub-graph that decides the innovation's own metrics (see the module docstring)."""
    innovation = store.get_innovation(innovation_id)
    if not region_contains(region, innovation.region):
        raise NotFound(f"innovation {innovation_id!r} not found in region {region!r}")
    own = list(_every(_ties_of(store, CollaborationFilter(innovation_id=innovation_id))))
    ids = {t.actor_id for t in own}
    if innovation.owner_id is not None:
        ids.add(innovation.owner_id)
    actor_ids = sorted(ids)
    others: dict[str, Innovation] = {}
    ties = list(own)
    for actor_id in actor_ids:
        for tie in _every(_ties_of(store, CollaborationFilter(actor_id=actor_id))):
            if tie.innovation_id == innovation_id:
                continue
            other = others.get(tie.innovation_id) or store.get_innovation(tie.innovation_id)
            if region_contains(region, other.region):
                others[other.id] = other
                ties.append(tie)
        for owned in _every(_owned_by(store, actor_id)):
            if owned.id != innovation_id and region_contains(region, owned.region):
                others.setdefault(owned.id, owned)
    return GraphData(
        innovations=[innovation, *sorted(others.values(), key=lambda i: i.id)],
        actors=[store.get_actor(a) for a in actor_ids],
        collaborations=ties,
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
    projection = Projection(neighbourhood(store, innovation_id, region), day)
    for metrics in innovation_metrics(projection, weights, threshold):
        if metrics.id == innovation_id:
            return metrics
    raise NotFound(f"innovation {innovation_id!r} not found")
