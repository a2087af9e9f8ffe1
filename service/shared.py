"""Map answers (region list, map data, layouts) kept in the shared ResultStore.

The map's answers for a national graph take seconds (the region list, a region's data) to a
minute (a layout): computed on the request and kept in one process's memory only, every restart
and every API process paid them again. `KeptAnswers` keeps each answer in the ResultStore under
(kind, key, graph version) and gives, in this order: the current version's answer (memory, then
the file); else the last one kept, marked stale, when it took longer than the sync budget or
this is a reader (recomputed in a background thread of this process when it may compute it,
else asked of the worker); else it computes on the request (a computing process, or a reader for
the cheap answers), or a reader waits briefly for the worker and then answers 503 (`Computing`).
A reader may compute the cheap answers (`readers_compute`: a region's map data, the region
list) and the worker keeps only some of them (the default region's map), so a reader renews
those itself: asked of the worker, a region's map stayed stale for good after a write.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import TypeVar

from pydantic import BaseModel
from starlette.responses import Response

from graph.analytics.engine import READER_WAIT_SECONDS, Freshness
from graph.analytics.results import KeptReader, Loaded, ResultStore
from graph.errors import Computing

log = logging.getLogger("hexahelix.shared")
M = TypeVar("M", bound=BaseModel)
MAX_IN_MEMORY = 32


class KeptAnswers:
    """See the module docstring; one per app, safe to share between threads."""

    def __init__(self, results: ResultStore, computes: bool, sync_budget: float) -> None:
        self.results = results
        self.computes = computes
        self.sync_budget = sync_budget
        self._reader = KeptReader(results, MAX_IN_MEMORY)
        self._lock = threading.Lock()
        self._running: set[tuple[str, str]] = set()
        self.computed = 0

    def get(
        self,
        kind: str,
        key: str,
        version: int,
        model: type[M],
        compute: Callable[[], M],
        readers_compute: bool = True,
    ) -> tuple[M, Freshness]:
        """The answer of (kind, key) for graph `version` and its freshness."""
        answer = self._current(kind, key, version, model)
        if answer is not None and answer.version == version:
            return self._typed(answer, model), Freshness(version, version)
        if answer is not None and (not self.computes or answer.seconds > self.sync_budget):
            self._renew(kind, key, version, compute, here=self.computes or readers_compute)
            return self._typed(answer, model), Freshness(version, answer.version)
        if self.computes or readers_compute:
            return self._compute(kind, key, version, compute), Freshness(version, version)
        self.results.want(kind, key)
        deadline = time.monotonic() + READER_WAIT_SECONDS
        while time.monotonic() < deadline:
            time.sleep(0.1)
            answer = self._current(kind, key, version, model)
            if answer is not None:
                return self._typed(answer, model), Freshness(version, answer.version)
        raise Computing(f"the {kind} of {key or 'Indonesia'} is being computed; retry shortly")

    @staticmethod
    def _typed(answer: Loaded, model: type[M]) -> M:
        assert isinstance(answer.value, model)
        return answer.value

    def _current(self, kind: str, key: str, version: int, model: type[M]) -> Loaded | None:
        """The newest answer at or below `version` (parsed once per kept version)."""
        return self._reader.get(kind, key, version, model.model_validate_json)

    def _compute(self, kind: str, key: str, version: int, compute: Callable[[], M]) -> M:
        started = time.perf_counter()
        value = compute()
        self.keep(kind, key, version, value, time.perf_counter() - started)
        return value

    def keep(self, kind: str, key: str, version: int, value: BaseModel, seconds: float) -> None:
        """Remember an answer here and in the ResultStore."""
        self._reader.remember(kind, key, Loaded(version, seconds, value))
        self.results.put(kind, key, version, value.model_dump_json().encode(), seconds)
        self.computed += 1

    def _renew(
        self, kind: str, key: str, version: int, compute: Callable[[], M], here: bool
    ) -> None:
        """Have a newer answer computed: `here` in the background (one per answer at a time),
        else by the worker."""
        if not here:
            self.results.want(kind, key)
            return
        with self._lock:
            if (kind, key) in self._running:
                return
            self._running.add((kind, key))

        def run() -> None:
            try:
                self._compute(kind, key, version, compute)
            except Exception:  # the next read asks again
                log.exception("background computation of the %s of %r failed", kind, key)
            finally:
                with self._lock:
                    self._running.discard((kind, key))

        threading.Thread(target=run, name=f"hexahelix-{kind}", daemon=True).start()


def with_freshness(value: BaseModel, freshness: Freshness) -> Response:
    """The JSON answer with the freshness headers of the analytics (see routes/analytics)."""
    return Response(
        value.model_dump_json(),
        media_type="application/json",
        headers={
            "Hexahelix-Graph-Version": str(freshness.graph_version),
            "Hexahelix-Computed-At-Version": str(freshness.computed_at_version),
            "Hexahelix-Stale": "true" if freshness.stale else "false",
        },
    )
