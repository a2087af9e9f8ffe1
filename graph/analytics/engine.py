"""The analytics engine: cached, thread-safe entry points over a store.

A `Projection` is built from a store snapshot and cached by (graph version, region, at); the
metrics computed on it are memoised with it. Every write bumps the store's version, so the next
call sees a new key and rebuilds; entries of older versions are dropped then. Concurrent calls
for the same key wait on one lock per key and share one rebuild.

Stale while revalidate: when the last build for a (region, day) took longer than the sync budget
(`sync_budget`, seconds: a national graph, not Banjar), a read after a write gets that last
complete context at once, marked stale (`freshness()`), and one background thread rebuilds the
newest version (debounced, one computation at a time). One innovation's own metrics are never
stale: they are computed on its neighbourhood (graph.analytics.local) while the rebuild runs.

Shared results: with a `ResultStore` (graph.analytics.results), the answers kept there
(`PERSISTED`: every innovation's and actor's metrics, the portfolio, the communities) are written
after each background rebuild and read back by a process that has no context in memory yet (a
restart) or never builds one (`computes=False`: an API process beside `hexahelix worker`), at
once, marked stale when older than the graph. A reader asks the worker for what it misses, and
never computes `CALLS` either (the portfolio history, the IGA portfolio, the yearly duty: each
builds projections or reads the whole graph). The per-request answers (recommendations, paths,
ego networks, what-if, an innovation's IGA gain, the innovations at another threshold) need a
projection: a reader builds one only of the region asked for (a region's graph is bounded); for the whole country it asks the worker too
(`CALLS`; 503 `Computing` until the worker's next pass, then its kept answer, a 404 or 422
included), so no reader ever holds the national projection.
"""

from __future__ import annotations

import base64
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, Literal, Protocol, TypeVar

from pydantic import TypeAdapter

# The computing modules (numpy, scipy, networkx, igraph: about half of a process's start-up)
# are imported where they are first used: an API process answering from the results file
# starts, and may run, without them.
from graph.analytics.actor_schemas import ActorMetrics
from graph.analytics.duty import yearly_duty
from graph.analytics.duty_schemas import YearlyDuty
from graph.analytics.history_schemas import PortfolioHistory, Step
from graph.analytics.iga_schemas import IgaGain, IgaPortfolio
from graph.analytics.innovation_schemas import InnovationMetrics
from graph.analytics.paths_schemas import EgoNetwork, Paths
from graph.analytics.portfolio_schemas import CommunitiesResult, Portfolio
from graph.analytics.recommend_schemas import Recommendations
from graph.analytics.results import KeptReader, Loaded, ResultStore, Window
from graph.analytics.weights import DEFAULT_THRESHOLD, IndexWeights, RecommendationWeights
from graph.analytics.whatif_schemas import WhatIfRequest, WhatIfResult
from graph.errors import Computing, HexahelixError, Invalid, NotFound
from graph.models import GraphData
from graph.vocab import LANGS

if TYPE_CHECKING:
    from graph.analytics.actor_metrics import ActorResult
    from graph.analytics.projection import Projection

log = logging.getLogger("hexahelix.analytics")
T = TypeVar("T")
MAX_ENTRIES = 32
MAX_LATEST = 16
DEBOUNCE_SECONDS = 0.2
DEFAULT_SYNC_BUDGET = 1.0
READER_WAIT_SECONDS = 2.0
"""How long a reader waits for the worker's first answer of a (region, day) before a 503."""


@dataclass(frozen=True)
class Freshness:
    """Which graph version an answer was computed on, against the store's current one."""

    graph_version: int
    computed_at_version: int

    @property
    def stale(self) -> bool:
        """Whether writes happened since the answer's computation."""
        return self.computed_at_version < self.graph_version


class SnapshotSource(Protocol):
    """What the engine needs of a store: its version and a snapshot (and, to answer one
    innovation freshly while a rebuild runs, the reads of a `RecordSource`)."""

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

    def peek(self, key: Hashable) -> Any:
        """The value of `key` if it is built, else None (never builds)."""
        with self._lock:
            return self._values.get(key)

    def drop(self, keep: Callable[[Hashable], bool]) -> None:
        """Forget every entry whose key fails `keep`."""
        with self._lock:
            for key in [k for k in self._values if not keep(k)]:
                del self._values[key]


class Context:
    """One projection and the metrics computed on it (each computed once)."""

    def __init__(
        self,
        projection: Projection,
        region: str | None,
        weights: IndexWeights,
        threshold: int,
        version: int = 0,
        seconds: float = 0.0,
    ) -> None:
        self.projection = projection
        self.region = region
        self.weights = weights
        self.threshold = threshold
        self.version = version
        self.seconds = seconds  # time spent building it and its metrics so far
        self._depth = 0
        self._memo = _Memo(max_entries=16)

    def _timed(self, build: Callable[[], T]) -> Callable[[], T]:
        """`build`, adding its time to `seconds` (once: not again for the builds it nests)."""

        def run() -> T:
            self._depth += 1
            started = time.perf_counter()
            try:
                return build()
            finally:
                self._depth -= 1
                if self._depth == 0:
                    self.seconds += time.perf_counter() - started

        return run

    def innovation_metrics(self, threshold: int | None = None) -> list[InnovationMetrics]:
        """The metrics with the engine's threshold, or another one asked for per request."""
        chosen = self.threshold if threshold is None else threshold
        key = "innovations" if chosen == self.threshold else ("innovations", chosen)
        from graph.analytics.innovation_metrics import innovation_metrics

        return self._memo.get(
            key, self._timed(lambda: innovation_metrics(self.projection, self.weights, chosen))
        )

    def actor_result(self) -> ActorResult:
        from graph.analytics.actor_metrics import actor_metrics

        return self._memo.get("actors", self._timed(lambda: actor_metrics(self.projection)))

    def portfolio(self) -> Portfolio:
        from graph.analytics.portfolio import portfolio

        return self._memo.get(
            "portfolio",
            self._timed(
                lambda: portfolio(
                    self.projection,
                    self.innovation_metrics(),
                    self.actor_result(),
                    self.weights,
                    self.threshold,
                    self.region,
                )
            ),
        )

    def communities(self) -> CommunitiesResult:
        """Louvain communities with their helix mix, and the modularity."""
        from graph.analytics.portfolio import communities_with_mix

        def build() -> CommunitiesResult:
            result = self.actor_result()
            return CommunitiesResult(
                at=self.projection.at,
                region=self.region,
                modularity=self.portfolio().modularity,
                communities=communities_with_mix(
                    self.projection, result.communities, result.metrics
                ),
                illustrative=self.projection.illustrative,
            )

        return self._memo.get("communities", self._timed(build))

    def full_pass(self) -> Portfolio:
        """Every metric of the context (what the regional benchmark times)."""
        return self.portfolio()


@dataclass(frozen=True)
class _Kept:
    """How one kind of answer is written to and read from a `ResultStore`: whole, or (with an
    `item` adapter) as a list of one row per item, `rank` giving each item's place in the
    list's second order (the under-connected's urgency)."""

    adapter: TypeAdapter[Any]
    of: Callable[[Context], Any]
    item: TypeAdapter[Any] | None = None
    rank: Callable[[Sequence[Any]], list[int]] | None = None


def _urgency_ranks(metrics: Sequence[InnovationMetrics]) -> list[int]:
    """Each innovation's place in the most-urgent-first order (`weakest`)."""
    from graph.analytics.innovation_metrics import urgency_key

    ranks = [0] * len(metrics)
    order = sorted(range(len(metrics)), key=lambda n: urgency_key(metrics[n]))
    for place, n in enumerate(order):
        ranks[n] = place
    return ranks


PERSISTED: dict[str, _Kept] = {
    "innovations": _Kept(
        TypeAdapter(list[InnovationMetrics]),
        lambda c: c.innovation_metrics(),
        TypeAdapter(InnovationMetrics),
        _urgency_ranks,
    ),
    "actors": _Kept(
        TypeAdapter(list[ActorMetrics]),
        lambda c: c.actor_result().metrics,
        TypeAdapter(ActorMetrics),
    ),
    "portfolio": _Kept(TypeAdapter(Portfolio), lambda c: c.portfolio()),
    "communities": _Kept(TypeAdapter(CommunitiesResult), lambda c: c.communities()),
}
"""The answers kept in a ResultStore: the global ones a reader must never compute itself."""
WHOLE = ("portfolio", "communities")
"""PERSISTED kinds answered whole: also kept as their JSON answer in each language."""
MAX_JSON_BYTES = 48 * 1024 * 1024


class _Refresher:
    """One daemon thread running `work(key)` for the keys requested, newest version each time:
    requests that arrive while it waits (the debounce) or works are merged. The thread ends when
    idle and starts again on the next request."""

    def __init__(self, work: Callable[[tuple[str | None, date]], None]) -> None:
        self._work = work
        self._lock = threading.Lock()
        self._pending: dict[tuple[str | None, date], None] = {}
        self._thread: threading.Thread | None = None
        self._closed = False
        self.runs = 0

    def request(self, key: tuple[str | None, date]) -> None:
        with self._lock:
            if self._closed:
                return
            self._pending[key] = None
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="hexahelix-analytics-refresh", daemon=True
                )
                self._thread.start()

    def close(self, timeout: float = 30.0) -> None:
        """Drop what is pending and wait for a running refresh to end (before the store closes:
        a thread still reading a closed store, or running at interpreter exit, must not be)."""
        with self._lock:
            self._pending.clear()
            self._closed = True
            thread = self._thread
        if thread is not None:
            thread.join(timeout)

    def busy(self) -> bool:
        """Whether a refresh is waiting or running."""
        with self._lock:
            return self._thread is not None

    def _run(self) -> None:
        while True:
            time.sleep(DEBOUNCE_SECONDS)
            with self._lock:
                keys = list(self._pending)
                self._pending.clear()
                if not keys:
                    self._thread = None
                    return
            for key in keys:
                try:
                    self._work(key)
                except Exception:  # the next read asks again; never end the thread
                    log.exception("background analytics refresh of %s failed", key)
                self.runs += 1


class Analytics:
    """Entry points used by the HTTP routes and the CLI; safe to share between threads."""

    def __init__(
        self,
        store: SnapshotSource,
        weights: IndexWeights | None = None,
        threshold: int = DEFAULT_THRESHOLD,
        recommendation_weights: RecommendationWeights | None = None,
        max_entries: int = MAX_ENTRIES,
        sync_budget: float = DEFAULT_SYNC_BUDGET,
        results: ResultStore | None = None,
        computes: bool = True,
        scope: str = "all",
    ) -> None:
        self.store = store
        self.results = results
        # False: an API process beside a worker; global answers come from `results` only.
        self.computes = computes or results is None
        self.scope = scope  # names this engine's answers in `results` (all, reported)
        self.weights = weights or IndexWeights()
        self.threshold = threshold
        self.recommendation_weights = recommendation_weights or RecommendationWeights()
        self.sync_budget = sync_budget
        self._snapshots = _Memo(max_entries=max(4, max_entries // 4))
        self._contexts = _Memo(max_entries=max_entries)
        self._version: int | None = None
        # The last complete context of each (region, day), whatever its version: what a read
        # gets while a newer one is rebuilt.
        self._latest: OrderedDict[tuple[str | None, date], Context] = OrderedDict()
        self._latest_lock = threading.Lock()
        self._seen = threading.local()
        self._refresher = _Refresher(self._refresh)
        self._kept: set[tuple[int, str]] = set()  # (version, key) written to `results`
        if results is not None:
            self._reader = KeptReader(results, MAX_LATEST * len(PERSISTED))
            self._json = KeptReader(results, MAX_LATEST, max_bytes=MAX_JSON_BYTES)

    def close(self) -> None:
        """Stop background work (the app's lifespan calls it before closing the store)."""
        self._refresher.close()

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
        self._seen.freshness = Freshness(version, version)
        return self._snapshots.get((version, region), lambda: self.store.snapshot(region))

    def _build(self, version: int, region: str | None, day: date) -> Context:
        from graph.analytics.projection import Projection

        started = time.perf_counter()
        data = self._snapshots.get((version, region), lambda: self.store.snapshot(region))
        context = Context(
            Projection(data, day),
            region,
            self.weights,
            self.threshold,
            version=version,
            seconds=time.perf_counter() - started,
        )
        with self._latest_lock:
            self._latest[(region, day)] = context
            self._latest.move_to_end((region, day))
            while len(self._latest) > MAX_LATEST:
                self._latest.popitem(last=False)
        return context

    def context(self, region: str | None = None, at: date | None = None) -> Context:
        """The projection (and metrics) of (version, region, at): the current version's, or
        while that is rebuilt in the background the last complete one (see `freshness`)."""
        day = at or date.today()
        version = self._current_version()
        with self._latest_lock:
            last = self._latest.get((region, day))
        if last is not None and last.version < version and last.seconds > self.sync_budget:
            self._refresher.request((region, day))
            chosen = last
        else:
            chosen = self._contexts.get(
                (version, region, day), lambda: self._build(version, region, day)
            )
        self._seen.freshness = Freshness(version, chosen.version)
        return chosen

    def freshness(self) -> Freshness | None:
        """The freshness of the context this thread's last call used (None before any)."""
        return getattr(self._seen, "freshness", None)

    def _refresh(self, key: tuple[str | None, date]) -> None:
        """Build the newest version of (region, day) and all its metrics (background thread)."""
        region, day = key
        version = self._current_version()
        context = self._contexts.get(
            (version, region, day), lambda: self._build(version, region, day)
        )
        context.full_pass()
        self._keep(context, day)

    # -- shared results ----------------------------------------------------------------------
    def key(self, region: str | None, day: date) -> str:
        """The name of (region, day)'s answers in the ResultStore."""
        return f"{self.scope}|{region or ''}|{day.isoformat()}"

    def _keep(self, context: Context, day: date) -> None:
        """Write the context's PERSISTED answers to the ResultStore (once per version)."""
        if self.results is None:
            return
        key = self.key(context.region, day)
        if (context.version, key) in self._kept:
            return
        for kind, kept in PERSISTED.items():
            value = kept.of(context)
            if kept.item is not None:
                items = [kept.item.dump_json(one) for one in value]
                ranks = kept.rank(value) if kept.rank else list(range(len(items)))
                self.results.put_list(kind, key, context.version, items, ranks, context.seconds)
                continue
            body = kept.adapter.dump_json(value)
            self.results.put(kind, key, context.version, body, seconds=context.seconds)
            if kind in WHOLE:  # also as answered, per language: served without parsing
                for lang in LANGS:
                    answer = value.model_dump_json(context={"lang": lang}).encode()
                    self.results.put(
                        f"{kind}.{lang}", key, context.version, answer, context.seconds
                    )
        self._kept.add((context.version, key))

    def _from_results(
        self, kind: str, region: str | None, day: date, listed: bool = False
    ) -> tuple[int, int] | None:
        """(the current version, the kept version to answer from) when an answer of `kind`
        comes straight from the ResultStore: always in a reader (asking the worker for a newer
        one; None when none is kept yet), and in a computing process with nothing in memory
        for (region, day) when the kept answer is current or too slow to wait for (then one is
        recomputed in the background). Else None: compute it."""
        if self.results is None:
            return None
        key = self.key(region, day)
        version = self._current_version()
        versions = self.results.list_version if listed else self.results.version_of
        found = versions(kind, key, version)
        if self.computes:
            with self._latest_lock:
                if (region, day) in self._latest:
                    return None
            if found is None or (found[0] < version and found[1] <= self.sync_budget):
                return None
            if found[0] < version:
                self._refresher.request((region, day))
        elif found is None or found[0] < version:
            self.results.want("analytics", key)
        return None if found is None else (version, found[0])

    def answer_json(
        self, kind: str, region: str | None, at: date | None, lang: str
    ) -> bytes | None:
        """The JSON answer of a WHOLE kind in `lang` straight from the ResultStore, when that is
        where the answer comes from (`_from_results`); None when it must be computed or is not
        kept yet (then ask `portfolio()` and the like). The national portfolio is about 21 MB
        of JSON: parsing it and serialising it again took seconds and hundreds of MB."""
        if kind not in WHOLE:
            return None
        day = at or date.today()
        source = self._from_results(f"{kind}.{lang}", region, day)
        if source is None:
            return None
        version, kept = source
        loaded = self._json.get(f"{kind}.{lang}", self.key(region, day), kept, bytes)
        if loaded is None:
            return None
        self._seen.freshness = Freshness(version, loaded.version)
        body: bytes = loaded.value
        return body

    def kept_page(
        self, kind: str, region: str | None, at: date | None, window: Window
    ) -> tuple[int, list[Any]] | None:
        """The total and one page of a kept list (`innovations`, `actors`; see
        `ResultStore.page`) straight from the ResultStore, when that is where the answer comes
        from (`_from_results`): no process holds a national list to answer a page of it. None
        when it must be computed (then filter `innovations()` and the like); a reader with
        nothing kept yet waits briefly, then `Computing`."""
        if PERSISTED[kind].item is None or self.results is None:
            return None
        day = at or date.today()
        source = self._from_results(kind, region, day, listed=True)
        if source is None and not self.computes:
            source = self._awaited(lambda: self._from_results(kind, region, day, listed=True))
        if source is None:
            if self.computes:
                return None
            raise Computing(
                f"the {kind} of {region or 'Indonesia'} on {day.isoformat()} are being "
                "computed by the worker; retry shortly"
            )
        version, kept = source
        return self._page(kind, self.key(region, day), version, kept, window)

    def threshold_page(
        self, region: str | None, at: date | None, threshold: int, window: Window
    ) -> tuple[int, list[Any]] | None:
        """A page of the innovations at another `threshold` than the engine's (which changes
        who is under-connected, and why): in a reader, for the whole country, from the list the
        worker keeps for that threshold (asked for; `Computing` until it is kept, then the last
        one kept, marked stale after writes); else None (compute them here)."""
        if self.results is None or not self._asks_worker(region):
            return None
        results = self.results
        day = at or date.today()
        key = f"{self.key(region, day)}|{threshold}"
        version = self._current_version()
        found = results.list_version("innovations", key, version)
        if found is None or found[0] < version:
            results.want(THRESHOLD_KIND, key)
        if found is None:
            found = self._awaited(lambda: results.list_version("innovations", key, version))
        if found is None:
            raise Computing(
                f"the innovations of {region or 'Indonesia'} at threshold {threshold} are "
                "being computed by the worker; retry shortly"
            )
        return self._page("innovations", key, version, found[0], window)

    def _page(
        self, kind: str, key: str, version: int, kept: int, window: Window
    ) -> tuple[int, list[Any]]:
        """The total and `window` of the list of `kind` kept at `key` on version `kept`, its
        freshness measured against the current `version`."""
        item = PERSISTED[kind].item
        assert self.results is not None and item is not None
        total, bodies = self.results.page(kind, key, kept, *window)
        self._seen.freshness = Freshness(version, kept)
        return total, [item.validate_json(body) for body in bodies]

    def publish_threshold(self, key: str) -> bool:
        """Keep the innovations at another threshold a reader asked for (`key` as
        `threshold_page` names it) on the current version (the worker's job); False when kept
        already or not this engine's."""
        assert self.results is not None
        scope, region, day, threshold = key.split("|")
        if scope != self.scope:
            return False
        version = self._current_version()
        found = self.results.list_version("innovations", key, version)
        if found is not None and found[0] == version:
            return False
        started = time.perf_counter()
        context = self.context(region or None, date.fromisoformat(day))
        metrics = context.innovation_metrics(int(threshold))
        item = PERSISTED["innovations"].item
        assert item is not None
        items = [item.dump_json(one) for one in metrics]
        seconds = time.perf_counter() - started
        self.results.put_list("innovations", key, version, items, _urgency_ranks(metrics), seconds)
        return True

    @staticmethod
    def _awaited(look: Callable[[], T | None]) -> T | None:
        """`look()`, tried again for READER_WAIT_SECONDS while it finds nothing (a reader
        waiting for the worker's first answer)."""
        deadline = time.monotonic() + READER_WAIT_SECONDS
        found = look()
        while found is None and time.monotonic() < deadline:
            time.sleep(0.1)
            found = look()
        return found

    def publish(self, region: str | None, day: date) -> bool:
        """Compute (region, day) on the current version and keep its answers (the worker's
        job); False when they are kept already. Forgets the context afterwards: the worker
        holds one national projection at a time."""
        if self.results is None:
            raise ValueError("publish needs a ResultStore")
        version = self._current_version()
        key = self.key(region, day)
        kinds = [*PERSISTED, *(f"{kind}.{lang}" for kind in WHOLE for lang in LANGS)]
        if all(self._kept_version(kind, key, version) == version for kind in kinds):
            return False
        log.info(
            "computing the %s analytics of %s on %s (graph version %d)",
            self.scope,
            region or "Indonesia",
            day,
            version,
        )
        context = self._build(version, region, day)
        context.full_pass()
        self._keep(context, day)
        self._forget()
        return True

    def _kept_version(self, kind: str, key: str, version: int) -> int | None:
        """The version of the newest kept answer of `kind` at or below `version`."""
        assert self.results is not None
        listed = kind in PERSISTED and PERSISTED[kind].item is not None
        versions = self.results.list_version if listed else self.results.version_of
        found = versions(kind, key, version)
        return None if found is None else found[0]

    def _load(self, kind: str, region: str | None, day: date, version: int) -> Loaded | None:
        """The newest kept answer of (region, day) at or below `version`."""
        parse = PERSISTED[kind].adapter.validate_json
        return self._load_key(kind, self.key(region, day), parse, version)

    def _load_key(
        self, kind: str, key: str, parse: Callable[[bytes], Any], version: int
    ) -> Loaded | None:
        """The newest kept answer at or below `version` (parsed once per kept version)."""
        listed = kind in PERSISTED and PERSISTED[kind].item is not None
        return self._reader.get(kind, key, version, parse, listed=listed)

    def _read(self, kind: str, key: str, adapter: TypeAdapter[Any], what: str) -> Any:
        """A reader's answer: the newest kept one (asking the worker for a newer one when it
        is behind), waiting briefly for a first one, else `Computing`; a kept refusal (the
        worker's NotFound or Invalid) is raised again."""
        assert self.results is not None
        version = self._current_version()
        group = "analytics" if kind in PERSISTED else kind
        parse = adapter.validate_json if kind in PERSISTED else _parse_call(adapter)
        loaded = self._load_key(kind, key, parse, version)
        if loaded is None or loaded.version < version:
            self.results.want(group, key)
        deadline = time.monotonic() + READER_WAIT_SECONDS
        while loaded is None and time.monotonic() < deadline:
            time.sleep(0.1)
            loaded = self._load_key(kind, key, parse, version)
        if loaded is None:
            raise Computing(f"{what} are being computed by the worker; retry shortly")
        self._seen.freshness = Freshness(version, loaded.version)
        if isinstance(loaded.value, _Refused):
            raise loaded.value.error()
        return loaded.value

    def _call(self, kind: str, region: str | None, args: tuple[str, ...]) -> Any:
        """A CALLS answer: computed here, or (a reader) read from the ResultStore."""
        call = CALLS[kind]
        if self.computes:
            return call.run(self, region, args)
        for arg in args:  # "|" separates the key's parts; no record id holds one
            if "|" in arg:
                raise NotFound(f"{arg!r} not found")
        key = "|".join((self.scope, region or "", *args))
        return self._read(kind, key, call.adapter, f"the {kind} of {region or 'Indonesia'}")

    def _asks_worker(self, region: str | None) -> bool:
        """Whether a per-request answer is the worker's: in a reader, for the whole country
        (whose projection a reader never builds; a region's it does)."""
        return not self.computes and region is None

    def publish_call(self, kind: str, key: str) -> bool:
        """Compute a CALLS answer a reader asked for (`key` as `_call` names it) on the current
        version and keep it (the worker's job); False when it is kept already or not this
        engine's."""
        if self.results is None or kind not in CALLS:
            return False
        scope, region, *args = key.split("|")
        if scope != self.scope:
            return False
        version = self._current_version()
        found = self.results.version_of(kind, key, version)
        if found is not None and found[0] == version:
            return False
        started = time.perf_counter()
        try:
            value = CALLS[kind].run(self, region or None, tuple(args))
            body = CALLS[kind].adapter.dump_json(value)
        except (NotFound, Invalid) as error:  # the answer is this refusal: kept as one
            body = _Refused(type(error).__name__, str(error)).dump()
        self.results.put(kind, key, version, body, seconds=time.perf_counter() - started)
        return True

    def forget(self) -> None:
        """Drop every context and snapshot (the worker, after each pass's asked answers)."""
        self._forget()

    def _forget(self) -> None:
        """Drop every context and snapshot (the worker holds one national graph at a time)."""
        with self._latest_lock:
            self._latest.clear()
        self._contexts.drop(lambda _: False)
        self._snapshots.drop(lambda _: False)

    def _shared(self, kind: str, region: str | None, at: date | None) -> Any:
        """A PERSISTED answer: from memory, or from the ResultStore (see the module
        docstring), with its freshness recorded for `freshness()`."""
        day = at or date.today()
        if self.results is None:
            return PERSISTED[kind].of(self.context(region, day))
        version = self._current_version()
        if self.computes:
            with self._latest_lock:
                in_memory = (region, day) in self._latest
            if not in_memory:
                loaded = self._load(kind, region, day, version)
                if loaded is not None and (
                    loaded.version == version or loaded.seconds > self.sync_budget
                ):
                    if loaded.version < version:
                        self._refresher.request((region, day))
                    self._seen.freshness = Freshness(version, loaded.version)
                    return loaded.value
            context = self.context(region, day)
            value = PERSISTED[kind].of(context)
            if context.seconds > self.sync_budget and (
                (context.version, self.key(region, day)) not in self._kept
            ):
                self._refresher.request((region, day))  # computes the rest and keeps it
            return value
        return self._read(
            kind,
            self.key(region, day),
            PERSISTED[kind].adapter,
            f"the {kind} of {region or 'Indonesia'} on {day.isoformat()}",
        )

    def wanted(self, since: float) -> Sequence[tuple[str | None, date]]:
        """The (region, day) of this engine's scope that readers asked for since `since`."""
        asked: list[tuple[str | None, date]] = []
        if self.results is None:
            return asked
        for kind, key in self.results.wanted(since):
            if kind != "analytics":
                continue
            scope, region, day = key.split("|")
            if scope == self.scope:
                asked.append((region or None, date.fromisoformat(day)))
        return asked

    @property
    def builds(self) -> int:
        """How many projections have been built (for tests and metrics)."""
        return self._contexts.builds

    # -- innovations ---------------------------------------------------------------------------
    def innovations(
        self, region: str | None = None, at: date | None = None, threshold: int | None = None
    ) -> list[InnovationMetrics]:
        """Metrics of every innovation, by id (`threshold`: the engine's unless given)."""
        if threshold is None or threshold == self.threshold:
            metrics: list[InnovationMetrics] = self._shared("innovations", region, at)
            return metrics
        return self.context(region, at).innovation_metrics(threshold)

    def innovation(
        self,
        innovation_id: str,
        region: str | None = None,
        at: date | None = None,
        threshold: int | None = None,
    ) -> InnovationMetrics:
        """Metrics of one innovation, or NotFound; never stale (see the module docstring).

        From the current version's context when one is in memory; otherwise (after a write
        on a large graph, after a restart, in a reader) from the innovation's neighbourhood,
        which gives the same metrics without building the projection."""
        from graph.analytics.local import RecordSource, local_innovation_metrics

        day = at or date.today()
        version = self._current_version()
        context = self._contexts.peek((version, region, day))
        if context is None and isinstance(self.store, RecordSource):
            metrics = local_innovation_metrics(
                self.store,
                innovation_id,
                region,
                day,
                self.weights,
                self.threshold if threshold is None else threshold,
            )
            self._seen.freshness = Freshness(version, version)
            return metrics
        context = context or self.context(region, day)
        self._seen.freshness = Freshness(version, context.version)
        for m in context.innovation_metrics(threshold):
            if m.id == innovation_id:
                return m
        raise NotFound(f"innovation {innovation_id!r} not found")

    def under_connected(
        self, region: str | None = None, at: date | None = None
    ) -> list[InnovationMetrics]:
        """Under-connected innovations, most urgent (lowest sustainability index) first."""
        from graph.analytics.innovation_metrics import under_connected

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
        from graph.analytics.innovation_metrics import weakest

        return weakest(self.innovations(region, at, threshold), limit, only_under_connected)

    # -- actors and portfolio --------------------------------------------------------------------
    def actors(self, region: str | None = None, at: date | None = None) -> list[ActorMetrics]:
        """Metrics of every actor, by id."""
        metrics: list[ActorMetrics] = self._shared("actors", region, at)
        return metrics

    def portfolio(self, region: str | None = None, at: date | None = None) -> Portfolio:
        """Portfolio figures."""
        result: Portfolio = self._shared("portfolio", region, at)
        return result

    def communities(self, region: str | None = None, at: date | None = None) -> CommunitiesResult:
        """Louvain communities with their helix mix, and the modularity."""
        result: CommunitiesResult = self._shared("communities", region, at)
        return result

    def history(
        self, start: date, end: date, step: Step = "year", region: str | None = None
    ) -> PortfolioHistory:
        """Portfolio headline figures from `start` to `end`, every `step`."""
        history: PortfolioHistory = self._call(
            "history", region, (start.isoformat(), end.isoformat(), step)
        )
        return history

    # -- collaboration -----------------------------------------------------------------------
    def recommendations(
        self,
        innovation_id: str,
        region: str | None = None,
        at: date | None = None,
        limit: int = 5,
    ) -> Recommendations:
        """Candidate partners for the innovation's missing and fragile kinds."""
        from graph.analytics.recommend import recommend

        day = at or date.today()
        if self._asks_worker(region):
            found: Recommendations = self._call(
                "recommendations", region, (innovation_id, day.isoformat(), str(limit))
            )
            return found
        return recommend(
            self.context(region, day).projection, innovation_id, self.recommendation_weights, limit
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
        from graph.analytics.paths import introduction_paths

        day = at or date.today()
        if self._asks_worker(region):
            found: Paths = self._call("paths", region, (source, target, str(k), day.isoformat()))
            return found
        return introduction_paths(self.context(region, day).projection, source, target, k)

    def ego(
        self,
        kind: Literal["actor", "innovation"],
        node_id: str,
        depth: int = 1,
        at: date | None = None,
        region: str | None = None,
    ) -> EgoNetwork:
        """Ego network of an actor or an innovation."""
        from graph.analytics.paths import ego_network

        day = at or date.today()
        if self._asks_worker(region):
            found: EgoNetwork = self._call(
                "ego", region, (kind, node_id, str(depth), day.isoformat())
            )
            return found
        return ego_network(self.context(region, day).projection, kind, node_id, depth)

    # -- IGA and the yearly duty ------------------------------------------------------------
    def iga_gain(
        self, innovation_id: str, region: str | None = None, at: date | None = None
    ) -> IgaGain:
        """The smallest change raising one innovation's estimated IGA actor score."""
        from graph.analytics.iga import innovation_iga_gain

        day = at or date.today()
        if self._asks_worker(region):
            found: IgaGain = self._call("iga-gain", region, (innovation_id, day.isoformat()))
            return found
        ctx = self.context(region, day)
        return innovation_iga_gain(
            ctx.projection, ctx.innovation_metrics(), innovation_id, self.recommendation_weights
        )

    def iga_portfolio(
        self, region: str | None = None, at: date | None = None, limit: int = 20
    ) -> IgaPortfolio:
        """The top IGA actions of the portfolio and their estimated effect."""
        day = at or date.today()
        result: IgaPortfolio = self._call("iga-portfolio", region, (day.isoformat(), str(limit)))
        return result

    def yearly_duty(self, year: int, region: str | None = None) -> YearlyDuty:
        """Which units of the PART_OF hierarchy launched no innovation in `year`."""
        result: YearlyDuty = self._call("yearly-duty", region, (str(year),))
        return result

    def what_if(
        self, request: WhatIfRequest, region: str | None = None, at: date | None = None
    ) -> WhatIfResult:
        """Metrics before and after a scenario, for the innovations it changes."""
        from graph.analytics.whatif import what_if

        day = at or date.today()
        if self._asks_worker(region):
            scenario = base64.urlsafe_b64encode(request.model_dump_json().encode()).decode()
            found: WhatIfResult = self._call("what-if", region, (scenario, day.isoformat()))
            return found
        ctx = self.context(region, day)
        return what_if(
            ctx.projection,
            request,
            self.weights,
            self.threshold,
            region,
            before_metrics=ctx.innovation_metrics(),
        )


@dataclass(frozen=True)
class _Call:
    """An answer with arguments beyond (region, day) that a reader reads from the ResultStore
    and the worker computes when asked (`run(engine, region, args)`, args as strings)."""

    adapter: TypeAdapter[Any]
    run: Callable[[Analytics, str | None, tuple[str, ...]], Any]
    per_request: bool = False
    """One user's question (recommendations, paths, ...): the worker keeps it up to date only
    while it is asked again (`ASKED_FOR_SECONDS`), not for a day like the dashboard's."""


@dataclass(frozen=True)
class _Refused:
    """A CALLS answer that is a refusal (an unknown id, an invalid argument), kept as such."""

    error_kind: str
    detail: str

    def dump(self) -> bytes:
        return TypeAdapter(dict[str, str]).dump_json(
            {"refused": self.error_kind, "detail": self.detail}
        )

    def error(self) -> HexahelixError:
        return Invalid(self.detail) if self.error_kind == "Invalid" else NotFound(self.detail)


def _parse_call(adapter: TypeAdapter[Any]) -> Callable[[bytes], Any]:
    """Reads a kept CALLS answer: its value, or the `_Refused` it was."""

    def parse(body: bytes) -> Any:
        if body.startswith(b'{"refused":'):
            kept = TypeAdapter(dict[str, str]).validate_json(body)
            return _Refused(kept["refused"], kept["detail"])
        return adapter.validate_json(body)

    return parse


def _history(engine: Analytics, region: str | None, args: tuple[str, ...]) -> PortfolioHistory:
    from graph.analytics.history import portfolio_history

    start, end, step = args
    return portfolio_history(
        engine.snapshot(region),
        date.fromisoformat(start),
        date.fromisoformat(end),
        step,  # type: ignore[arg-type]  # written by `history` from a Step
        engine.weights,
        engine.threshold,
        region,
    )


def _iga(engine: Analytics, region: str | None, args: tuple[str, ...]) -> IgaPortfolio:
    from graph.analytics.iga import iga_portfolio

    ctx = engine.context(region, date.fromisoformat(args[0]))
    return iga_portfolio(
        ctx.projection,
        ctx.innovation_metrics(),
        region,
        int(args[1]),
        engine.recommendation_weights,
    )


def _duty(engine: Analytics, region: str | None, args: tuple[str, ...]) -> YearlyDuty:
    return yearly_duty(engine.snapshot(region), int(args[0]), region)


def _day(text: str) -> date:
    return date.fromisoformat(text)


CALLS: dict[str, _Call] = {
    "history": _Call(TypeAdapter(PortfolioHistory), _history),
    "iga-portfolio": _Call(TypeAdapter(IgaPortfolio), _iga),
    "yearly-duty": _Call(TypeAdapter(YearlyDuty), _duty),
    "recommendations": _Call(
        TypeAdapter(Recommendations),
        lambda e, region, a: e.recommendations(a[0], region, _day(a[1]), int(a[2])),
        per_request=True,
    ),
    "paths": _Call(
        TypeAdapter(Paths),
        lambda e, region, a: e.paths(a[0], a[1], int(a[2]), _day(a[3]), region),
        per_request=True,
    ),
    "ego": _Call(
        TypeAdapter(EgoNetwork),
        lambda e, region, a: e.ego(a[0], a[1], int(a[2]), _day(a[3]), region),  # type: ignore[arg-type]  # written by `ego` from its Literal
        per_request=True,
    ),
    "iga-gain": _Call(
        TypeAdapter(IgaGain),
        lambda e, region, a: e.iga_gain(a[0], region, _day(a[1])),
        per_request=True,
    ),
    "what-if": _Call(
        TypeAdapter(WhatIfResult),
        lambda e, region, a: e.what_if(
            WhatIfRequest.model_validate_json(base64.urlsafe_b64decode(a[0])), region, _day(a[1])
        ),
        per_request=True,
    ),
}
"""Answers a reader never computes itself (each builds projections or reads the whole graph):
the dashboard's, and the per-request ones of the whole country."""
THRESHOLD_KIND = "innovations-at"
"""What a reader asks the worker for: the whole country's innovations at another threshold."""
ASKED_FOR_SECONDS = 600.0
"""A per-request answer is recomputed after writes while it was asked within this long."""
