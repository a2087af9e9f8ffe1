"""The metrics an export adds to its nodes (`format`s that carry node attributes)."""

from __future__ import annotations

from datetime import date

from graph.analytics.engine import Analytics
from graph.formats import NodeMetrics, node_key

METRIC_ATTRIBUTES = (
    "coverage",
    "diversity",
    "resilience",
    "sustainability_index",
    "under_connected",
)
"""The innovation metrics an export adds to innovation nodes."""
ACTOR_METRIC_ATTRIBUTES = (
    "degree",
    "weighted_degree",
    "betweenness",
    "pagerank",
    "constraint",
    "effective_size",
    "community",
)
"""The actor metrics an export adds to actor nodes."""


def node_metric_attributes(
    engine: Analytics, region: str | None, at: date | None = None
) -> NodeMetrics:
    """The metrics (as of `at`, default today) to add to exported innovation and actor nodes."""
    innovations = {
        node_key("innovation", m.id): {name: getattr(m, name) for name in METRIC_ATTRIBUTES}
        for m in engine.innovations(region, at)
    }
    actors = {
        node_key("actor", m.id): {name: getattr(m, name) for name in ACTOR_METRIC_ATTRIBUTES}
        for m in engine.actors(region, at)
    }
    return innovations | actors
