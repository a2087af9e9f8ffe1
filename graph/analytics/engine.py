"""The analytics engine: cached, thread-safe entry points over a store.

A `Projection` is built from a store snapshot and cached by (graph version, region, at); the
metrics computed on it are memoised with it. Every write bumps the store's version, so the next
call sees a new key and rebuilds; entries of older versions are dropped then. Concurrent calls
for the same key wait on one lock per key and share one rebuild.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from datetime import date
from typing import Literal, Protocol, TypeVar

from graph.analytics.actor_metrics import ActorResult, actor_metrics
from graph.analytics.actor_schemas import ActorMetrics
from graph.analytics.history import Step, portfolio_history
from graph.analytics.history_schemas import PortfolioHistory
from graph.analytics.innovation_metrics import (
    DEFAULT_THRESHOLD,
    innovation_metrics,
    under_connected,
    weakest,
)
from graph.analytics.innovation_schemas import InnovationMetrics
from graph.analytics.paths import ego_network, introduction_paths
from graph.analytics.paths_schemas import EgoNetwork, Paths
from graph.analytics.portfolio import communities_with_mix, portfolio
from graph.analytics.portfolio_schemas import CommunitiesResult, Portfolio
from graph.analytics.projection import Projection
from graph.analytics.recommend import recommend
from graph.analytics.recommend_schemas import Recommendations
from graph.analytics.weights import IndexWeights, RecommendationWeights
from graph.analytics.whatif import what_if
from graph.analytics.whatif_schemas import WhatIfRequest, WhatIfResult
from graph.errors import NotFound
from graph.models import GraphData

T = TypeVar("T")
MAX_ENTRIES = 32


class SnapshotSource(Protocol):
    """What the engine needs of a store: its version and a snapshot."""

    def version(self) -> int: ...

    def snapshot(self, region: str | None = None) -> GraphData: ...


class _Memo:
    """Values computed once per key, with one lock per key so concurrent callers share a build."""

    def __init__(self, max_entries: int = MAX_ENTRIES) -> None:
        self._lock = threading.Lock()
        self._values: OrderedDict[Hashable, object] = OrderedDict()
        self._building: dict[Hashable, threading.Lock] = {}
        self.max_entries = max_entries
        self.builds = 0

    def get(self, key: Hashable, build: Callable[[], T]) -> T:
        with self._lock:
            if key in self._values:
                self._values.move_to_end(key)
                return self._values[key]  # type: ignore[return-value]
            key_lock = self._building.setdefault(key, threading.Lock())
        with key_lock:
            with self._lock:
                if key in self._values:
                    return self._values[key]  # type: ignore[return-value]
            value = build()
            with self._lock:
                self.builds += 1
                self._values[key] = value
                while len(self._values) > self.max_entries:
                    self._values.popitem(last=False)
                self._building.pop(key, None)
            return value

    def drop(self, keep: Callable[[Hashable], bool]) -> None:
        """Forget every entry whose key fails `keep`."""
        with self._lock:
            for key in [k for k in self._values if not keep(k)]:
                del self._values[key]


class Context:
    """One projection and the metrics computed on it (each computed once)."""

    def __init__(
        self, projection: Projection, region: str | None, weights: IndexWeights, threshold: int
    ) -> None:
        self.projection = projection
        self.region = region
        self.weights = weights
        self.threshold = threshold
        self._memo = _Memo(max_entries=16)

    def innovation_metrics(self, threshold: int | None = None) -> list[InnovationMetrics]:
        """The metrics with the engine's threshold, or another one asked for per request."""
        chosen = self.threshold if threshold is None else threshold
        key = "innovations" if chosen == self.threshold else ("innovations", chosen)
        return self._memo.get(
            key, lambda: innovation_metrics(self.projection, self.weights, chosen)
        )

    def actor_result(self) -> ActorResult:
        return self._memo.get("actors", lambda: actor_metrics(self.projection))

    def portfolio(self) -> Portfolio:
        return self._memo.get(
            "portfolio",
            lambda: portfolio(
                self.projection,
                self.innovation_metrics(),
                self.actor_result(),
                self.weights,
                self.threshold,
                self.region,
            ),
        )

    def full_pass(self) -> Portfolio:
        """Every metric of the context (what the regional benchmark times)."""
        return self.portfolio()


class Analytics:
    """Entry points used by the HTTP routes and the CLI; safe to share between threads."""

    def __init__(
        self,
        store: SnapshotSource,
        weights: IndexWeights | None = None,
        threshold: int = DEFAULT_THRESHOLD,
        recommendation_weights: RecommendationWeights | None = None,
        max_entries: int = MAX_ENTRIES,
    ) -> None:
        self.store = store
        self.weights = weights or IndexWeights()
        self.threshold = threshold
        self.recommendation_weights = recommendation_weights or RecommendationWeights()
        self._snapshots = _Memo(max_entries=max(4, max_entries // 4))
        self._contexts = _Memo(max_entries=max_entries)
        self._version: int | None = None

    # -- cache -------------------------------------------------------------------------------
    def _current_version(self) -> int:
        version = self.store.version()
        if version != self._version:
            self._version = version

            def current(key: Hashable) -> bool:
                return isinstance(key, tuple) and key[0] == version

            self._snapshots.drop(current)
            self._contexts.drop(current)
        return version

    def snapshot(self, region: str | None = None) -> GraphData:
        """The store's snapshot for the region at the current version (cached)."""
        version = self._current_version()
        return self._snapshots.get((version, region), lambda: self.store.snapshot(region))

    def context(self, region: str | None = None, at: date | None = None) -> Context:
        """The cached projection (and metrics) of (version, region, at)."""
        day = at or date.today()
        version = self._current_version()
        return self._contexts.get(
            (version, region, day),
            lambda: Context(
                Projection(
                    self._snapshots.get((version, region), lambda: self.store.snapshot(region)),
                    day,
                ),
                region,
                self.weights,
                self.threshold,
            ),
        )

    @property
    def builds(self) -> int:
        """How many projections have been built (for tests and metrics)."""
        return self._contexts.builds

    # -- innovations ---------------------------------------------------------------------------
    def innovations(
        self, region: str | None = None, at: date | None = None, threshold: int | None = None
    ) -> list[InnovationMetrics]:
        """Metrics of every innovation, by id (`threshold`: the engine's unless given)."""
        return self.context(region, at).innovation_metrics(threshold)

    def innovation(
        self,
        innovation_id: str,
        region: str | None = None,
        at: date | None = None,
        threshold: int | None = None,
    ) -> InnovationMetrics:
        """Metrics of one innovation, or NotFound."""
        for m in self.innovations(region, at, threshold):
            if m.id == innovation_id:
                return m
        raise NotFound(f"innovation {innovation_id!r} not found")

    def under_connected(
        self, region: str | None = None, at: date | None = None
    ) -> list[InnovationMetrics]:
        """Under-connected innovations, most urgent (lowest sustainability index) first."""
        return under_connected(self.innovations(region, at))

    def weakest(
        self,
        region: str | None = None,
        at: date | None = None,
        limit: int | None = None,
        only_under_connected: bool = True,
        threshold: int | None = None,
    ) -> list[InnovationMetrics]:
        """What `hexahelix analyze` prints: the weakest innovations with their reasons."""
        return weakest(self.innovations(region, at, threshold), limit, only_under_connected)

    # -- actors and portfolio --------------------------------------------------------------------
    def actors(self, region: str | None = None, at: date | None = None) -> list[ActorMetrics]:
        """Metrics of every actor, by id."""
        return self.context(region, at).actor_result().metrics

    def portfolio(self, region: str | None = None, at: date | None = None) -> Portfolio:
        """Portfolio figures."""
        return self.context(region, at).portfolio()

    def communities(self, region: str | None = None, at: date | None = None) -> CommunitiesResult:
        """Louvain communities with their helix mix, and the modularity."""
        ctx = self.context(region, at)
        result = ctx.actor_result()
        return CommunitiesResult(
            at=ctx.projection.at,
            region=region,
            modularity=ctx.portfolio().modularity,
            communities=communities_with_mix(ctx.projection, result.communities, result.metrics),
        )

    def history(
        self, start: date, end: date, step: Step = "year", region: str | None = None
    ) -> PortfolioHistory:
        """Portfolio headline figures from `start` to `end`, every `step`."""
        return portfolio_history(
            self.snapshot(region), start, end, step, self.weights, self.threshold, region
        )

    # -- collaboration -----------------------------------------------------------------------
    def recommendations(
        self,
        innovation_id: str,
        region: str | None = None,
        at: date | None = None,
        limit: int = 5,
    ) -> Recommendations:
        """Candidate partners for the innovation's missing and fragile kinds."""
        return recommend(
            self.context(region, at).projection, innovation_id, self.recommendation_weights, limit
        )

    def paths(
        self,
        source: str,
        target: str,
        k: int = 3,
        at: date | None = None,
        region: str | None = None,
    ) -> Paths:
        """The k cheapest introduction paths between two actors."""
        return introduction_paths(self.context(region, at).projection, source, target, k)

    def ego(
        self,
        kind: Literal["actor", "innovation"],
        node_id: str,
        depth: int = 1,
        at: date | None = None,
        region: str | None = None,
    ) -> EgoNetwork:
        """Ego network of an actor or an innovation."""
        return ego_network(self.context(region, at).projection, kind, node_id, depth)

    def what_if(
        self, request: WhatIfRequest, region: str | None = None, at: date | None = None
    ) -> WhatIfResult:
        """Metrics before and after a scenario, for the innovations it changes."""
        ctx = self.context(region, at)
        return what_if(
            ctx.projection,
            request,
            self.weights,
            self.threshold,
            region,
            before_metrics=ctx.innovation_metrics(),
        )
