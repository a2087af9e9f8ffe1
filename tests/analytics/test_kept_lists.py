"""Lists paged from the results file: an API process beside the worker answers a page of every
innovation's or actor's metrics (filtered, sorted, windowed) from the kept rows without reading
the whole list, and gives the same pages as a process computing in memory."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from graph.analytics.results import ResultStore
from graph.bundle import load_seed
from graph.store import Store
from service.app import create_app
from service.compose import open_results
from service.settings import Settings
from service.worker import Worker

INNOVATION_QUERIES: list[dict[str, Any]] = [
    {},
    {"sort": "-sustainability_index,coverage", "limit": 7},
    {"under_connected": "true", "limit": 500},
    {"under_connected": "false", "limit": 3, "offset": 2},
    {"lacks": ["media", "academia"], "limit": 500},
    {"sort": "district", "limit": 500},  # empty districts last
    {"sort": "-reach,-actor_count", "offset": 10, "limit": 5},
    {"lang": "en", "under_connected": "true", "limit": 4},
]
ACTOR_QUERIES: list[dict[str, Any]] = [
    {},
    {"sort": "-betweenness", "limit": 10},
    {"helix": "government", "limit": 500},
    {"community": 0, "sort": "-pagerank", "limit": 500},
    {"sort": "-constraint,id", "offset": 5, "limit": 20},
]
URGENT_QUERIES: list[dict[str, Any]] = [
    {},
    {"limit": 3, "offset": 3},
    {"sort": "coverage", "limit": 500},
    {"sort": "-actor_count", "lang": "en", "limit": 500},
]


@pytest.fixture
def clients(store: Store, tmp_path: Path) -> Iterator[tuple[TestClient, TestClient]]:
    """A process computing in memory, and a reader beside a worker that has run once."""
    store.load(load_seed())
    computing = Settings(data_dir=tmp_path / "computing", auth="off")
    reading = Settings(data_dir=tmp_path / "reading", auth="off", analytics_compute="off")
    results: ResultStore = open_results(reading, store)
    worker = Worker(store, reading, results)
    worker.run_once()
    with (
        TestClient(create_app(computing, store=store)) as memory,
        TestClient(create_app(reading, store=store)) as reader,
    ):
        yield memory, reader
    worker.close()
    results.close()


def test_pages_of_kept_lists_equal_pages_computed_in_memory(
    clients: tuple[TestClient, TestClient], store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    memory, reader = clients
    sample = memory.get("/api/v1/analytics/innovations", params={"region": "id", "limit": 500})
    innovations = sample.json()["items"]
    sector = next(m["sector"] for m in innovations if m["sector"])
    district = next(m["district"] for m in innovations if m["district"])
    actor_district = next(
        m["district"]
        for m in memory.get("/api/v1/analytics/actors", params={"limit": 500}).json()["items"]
        if m["district"]
    )
    queries = [
        *(("/api/v1/analytics/innovations", q) for q in INNOVATION_QUERIES),
        ("/api/v1/analytics/innovations", {"sector": sector, "limit": 500}),
        ("/api/v1/analytics/innovations", {"district": district.upper(), "limit": 500}),
        *(("/api/v1/analytics/actors", q) for q in ACTOR_QUERIES),
        ("/api/v1/analytics/actors", {"district": actor_district.lower(), "limit": 500}),
        *(("/api/v1/innovations/under-connected", q) for q in URGENT_QUERIES),
    ]

    def whole_list(*_: object) -> None:
        raise AssertionError("a page was answered by reading the whole list")

    monkeypatch.setattr(ResultStore, "latest_list", whole_list)
    for path, params in queries:
        expected = memory.get(path, params={"region": "id", **params})
        answer = reader.get(path, params={"region": "id", **params})
        assert answer.status_code == expected.status_code == 200, (path, params, answer.text)
        assert answer.json() == expected.json(), (path, params)
        assert answer.json()["total"] > 0 or params.get("offset"), (path, params)
        assert answer.headers["Hexahelix-Stale"] == "false"
    # Filters narrow the kept list as they narrow the computed one (not a vacuous equality).
    totals = {
        q.get("under_connected"): reader.get(
            "/api/v1/analytics/innovations", params={"region": "id", **q}
        ).json()["total"]
        for q in ({}, {"under_connected": "true"}, {"under_connected": "false"})
    }
    assert totals["true"] + totals["false"] == totals[None] and 0 < totals["true"] < totals[None]
    assert reader.app.state.services.analytics.builds == 0  # type: ignore[attr-defined]


def test_an_unknown_sort_field_is_refused_on_kept_lists_too(
    clients: tuple[TestClient, TestClient],
) -> None:
    _, reader = clients
    answer = reader.get("/api/v1/analytics/actors", params={"sort": "-nope"})
    assert answer.status_code == 422 and "'nope' is not a field to sort by" in answer.text
