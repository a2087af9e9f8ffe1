"""`hexahelix worker`: the one process that computes the shared results.

API processes started with `HEXAHELIX_ANALYTICS_COMPUTE=off` never build the national
projection: they answer the global analytics and the map layouts from the results file
(graph.analytics.results) and ask this worker for what they miss. The worker polls the store's
graph version; whenever it moved, or a reader asked, it recomputes, one (region, day) at a time:
the whole country and the map's default region for today (its analytics, map data and layout),
and what readers asked for in the last `WANTED_FOR_SECONDS` (other regions or days, the
portfolio history, the IGA portfolio, the yearly duty, layouts), and in the last
`ASKED_FOR_SECONDS` the whole country's per-request answers (recommendations, paths, ego
networks, what-if, an innovation's IGA gain, the innovations at another threshold).
A single `hexahelix serve` runs this worker as its child process (service/worker_child.py).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from datetime import date

from graph import mapview
from graph.analytics.engine import ASKED_FOR_SECONDS, CALLS, THRESHOLD_KIND, Analytics
from graph.analytics.results import ResultStore
from graph.mapview import MapData, Regions, layout_of, map_data_of, region_counts
from graph.store import Store
from service.compose import build_analytics
from service.map_overview import kept_overview
from service.reported import ReportedMirror
from service.settings import Settings, Switch
from service.shared import KeptAnswers

log = logging.getLogger("hexahelix.worker")
WANTED_FOR_SECONDS = 24 * 3600.0
"""A (region, day) a reader asked for is kept up to date this long after the last ask."""


class Worker:
    """Computes what the API processes read; `run_once` is one pass, `run` loops."""

    def __init__(self, store: Store, settings: Settings, results: ResultStore) -> None:
        computing = settings.model_copy(update={"analytics_compute": Switch.ON})
        self.store = store
        self.results = results
        self.reported = ReportedMirror(store)
        self.engines: list[Analytics] = [
            build_analytics(store, computing, results, scope="all"),
            build_analytics(self.reported, computing, results, scope="reported"),
        ]
        # The sync budget is irrelevant here: the worker always computes and keeps.
        self.kept = KeptAnswers(results, computes=True, sync_budget=float("inf"))

    def close(self) -> None:
        """Stop the engines and the reported mirror (not the store or the results file)."""
        for engine in self.engines:
            engine.close()
        self.reported.close()

    def _analytics_keys(
        self, engine: Analytics, default: str | None
    ) -> Iterator[tuple[str | None, date]]:
        today = date.today()
        seen: set[tuple[str | None, date]] = set()
        defaults = [(None, today), (default, today)] if engine.scope == "all" else []
        for key in [*defaults, *engine.wanted(time.time() - WANTED_FOR_SECONDS)]:
            if key not in seen:
                seen.add(key)
                yield key

    def run_once(self) -> int:
        """One pass over everything that should be current; returns how many were computed."""
        done = 0
        version = self.store.version()
        regions, _ = self.kept.get(
            "regions", "", version, Regions, lambda: region_counts(self.store, version)
        )
        for engine in self.engines:
            for region, day in self._analytics_keys(engine, regions.default):
                started = time.perf_counter()
                if engine.publish(region, day):
                    done += 1
                    log.info(
                        "computed the %s analytics of %s on %s in %.1f s",
                        engine.scope,
                        region or "Indonesia",
                        day,
                        time.perf_counter() - started,
                    )
        if regions.default is not None:  # the page's first map: its data, then its layout
            key = f"all|{regions.default}|{date.today().isoformat()}"
            found = self.results.version_of("map", key, version)
            if found is None or found[0] < version:
                done += 1
            answer, _ = self.kept.get(
                "map",
                key,
                version,
                MapData,
                lambda: map_data_of(self.store, regions, version, regions.default, date.today()),
            )
            done += self._overview(key, answer)
        since = time.time() - WANTED_FOR_SECONDS
        recent = set(self.results.wanted(time.time() - ASKED_FOR_SECONDS))
        for kind, key in self.results.wanted(since):
            per_request = kind == THRESHOLD_KIND or (kind in CALLS and CALLS[kind].per_request)
            if (kind not in CALLS and kind != THRESHOLD_KIND) or (
                per_request and (kind, key) not in recent
            ):
                continue
            for engine in self.engines:
                try:
                    if kind == THRESHOLD_KIND:
                        done += engine.publish_threshold(key)
                    else:
                        done += engine.publish_call(kind, key)
                except Exception:  # one failed answer must not hold up the others
                    log.exception("computing the %s %r failed", kind, key)
        for engine in self.engines:
            engine.forget()  # the projections the asked answers needed
        asked = {key for kind, key in self.results.wanted(since) if kind == "layout"}
        for key in [regions.default or "", *sorted(asked - {regions.default or ""})]:
            found = self.results.version_of("layout", key, version)
            if found is None or found[0] < version:
                layout = layout_of(self.store, regions, version, key or None)
                self.kept.keep("layout", key, version, layout, layout.seconds)
                done += 1
        return done

    def _overview(self, key: str, answer: MapData) -> int:
        """Keep the default region's overview by community when the page shows it so (its
        first computation in an API process would cost the page's first view 0.4 s); 1 when
        it was computed now."""
        if answer.too_large or answer.node_count <= mapview.MAX_DRAWN_NODES:
            return 0
        engine = self.engines[0]  # the whole graph's, as the page's first view
        communities = engine.communities(answer.region, answer.at)
        freshness = engine.freshness()
        computed_at = freshness.computed_at_version if freshness else answer.version
        before = self.kept.computed
        kept_overview(self.kept, key, answer, communities, computed_at)
        return self.kept.computed - before

    def run(self, poll_seconds: float, stop: threading.Event) -> None:
        """Pass after pass until `stop` is set; a failed pass is logged and tried again."""
        while not stop.is_set():
            try:
                self.run_once()
            except Exception:
                log.exception("a worker pass failed; trying again")
            stop.wait(poll_seconds)
