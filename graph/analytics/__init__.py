"""Collaboration analytics of the Hexahelix graph: pure functions over a `Projection` of a
snapshot, and the cached `Analytics` engine the service and the CLI use.

The formulas are in docs/METRICS.md.
"""

from __future__ import annotations

from graph.analytics.engine import Analytics, Context
from graph.analytics.innovation_metrics import innovation_metrics, under_connected, weakest
from graph.analytics.innovation_schemas import InnovationMetrics
from graph.analytics.projection import Projection
from graph.analytics.recommend_schemas import Recommendation
from graph.analytics.weights import IndexWeights, RecommendationWeights

__all__ = [
    "Analytics",
    "Context",
    "IndexWeights",
    "InnovationMetrics",
    "Projection",
    "Recommendation",
    "RecommendationWeights",
    "innovation_metrics",
    "under_connected",
    "weakest",
]
