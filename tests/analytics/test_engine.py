"""The engine's cache: keyed by (version, region, at), rebuilt after a write, shared by threads."""

from __future__ import annotations

import gc
import threading
import time
import weakref
from datetime import date

from analytics_builders import AT, A, G, actor, graph, innovation, tie

from graph.analytics.engine import Analytics
from graph.models import GraphData


class FakeStore:
    """Only what the cache needs: a version and a (slow) snapshot."""

    def __init__(self, data: GraphData) -> None:
        self.data = data
        self.current = 1
        self.snapshots = 0

    def version(self) -> int:
        return self.current

    def snapshot(self, region: str | None = None) -> GraphData:
        self.snapshots += 1
        time.sleep(0.02)
        return self.data


def data() -> GraphData:
    return graph([actor("g1"), actor("u1", A)], [innovation("x")], [tie("g1", "x"), tie("u1", "x")])


def test_same_object_at_same_version() -> None:
    engine = Analytics(FakeStore(data()))
    first = engine.portfolio(at=AT)
    assert engine.portfolio(at=AT) is first
    assert engine.innovations(at=AT) is engine.innovations(at=AT)
    assert engine.builds == 1


def test_rebuilt_after_a_version_bump() -> None:
    store = FakeStore(data())
    engine = Analytics(store)
    before = engine.innovations(at=AT)
    store.data = graph([actor("g1", G)], [innovation("x")], [tie("g1", "x")])
    store.current = 2
    after = engine.innovations(at=AT)
    assert after is not before
    assert (before[0].coverage, after[0].coverage) == (2, 1)
    assert engine.builds == 2 and store.snapshots == 2


def test_keys_include_region_and_day() -> None:
    store = FakeStore(data())
    engine = Analytics(store)
    a = engine.context(None, AT)
    assert engine.context(None, date(2024, 6, 1)) is not a
    assert engine.context("63.03", AT) is not a
    assert store.snapshots == 2  # one snapshot per (version, region), shared across days


def test_concurrent_requests_share_one_build() -> None:
    store = FakeStore(data())
    engine = Analytics(store)
    results: list[object] = []
    threads = [
        threading.Thread(target=lambda: results.append(engine.portfolio(at=AT))) for _ in range(8)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 8 and all(r is results[0] for r in results)
    assert engine.builds == 1 and store.snapshots == 1


def test_weakest_for_the_cli() -> None:
    engine = Analytics(FakeStore(data()))
    weakest = engine.weakest(at=AT)
    assert [m.id for m in weakest] == ["x"]
    assert weakest[0].reasons[0].code == "missing_kinds"
    assert weakest[0].reasons[0].params["covered"] == 2


def test_results_of_old_versions_are_dropped_not_kept() -> None:
    """Bounded memory (issue 16): after 40 writes only the current version's context is alive;
    the cache once kept up to 32 whole projections, one per version."""
    store = FakeStore(data())
    engine = Analytics(store)
    seen: list[weakref.ref[object]] = []
    for version in range(1, 41):
        store.current = version
        seen.append(weakref.ref(engine.context(None, AT)))
        engine.portfolio(at=AT)
    gc.collect()
    alive = [ref() for ref in seen if ref() is not None]
    assert alive == [engine.context(None, AT)]
