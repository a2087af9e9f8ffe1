"""The freshness contract: one innovation's metrics reflect a write in the next read; global
answers during a background recompute are the last complete ones, marked stale; then fresh.

The sync budget is 0 here, so the Banjar seed behaves like the national graph (where a rebuild
takes longer than the 1 s default and is done in the background)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from graph.analytics.engine import Analytics
from graph.analytics.local import local_innovation_metrics
from graph.bundle import load_seed
from graph.store import Store
from service.app import create_app
from service.settings import Settings

INNOVATION = "geolasting"
NEW_TIE = {
    "actor_id": "media-lokal-c",
    "innovation_id": INNOVATION,
    "role": "publicist",
    "since": "2025-10-07",
}


@pytest.fixture
def background(store: Store, tmp_path: Path) -> Iterator[TestClient]:
    """The seeded app with every rebuild after a write done in the background."""
    store.load(load_seed())
    settings = Settings(data_dir=tmp_path / "unused", auth="off", analytics_sync_budget_seconds=0)
    with TestClient(create_app(settings, store=store)) as client:
        yield client


def versions(response: object) -> tuple[int, int, str]:
    headers = response.headers  # type: ignore[attr-defined]
    return (
        int(headers["Hexahelix-Graph-Version"]),
        int(headers["Hexahelix-Computed-At-Version"]),
        headers["Hexahelix-Stale"],
    )


def wait_for_refresh(client: TestClient) -> None:
    engine: Analytics = client.app.state.services.analytics  # type: ignore[attr-defined]
    deadline = time.monotonic() + 30
    while engine._refresher.busy():
        assert time.monotonic() < deadline, "the background refresh did not finish"
        time.sleep(0.05)


def test_a_write_shows_in_the_next_read_of_the_touched_innovation(background: TestClient) -> None:
    before = background.get(f"/api/v1/analytics/innovations/{INNOVATION}").json()
    made = background.post("/api/v1/collaborations", json=NEW_TIE)
    assert made.status_code == 201, made.text
    after = background.get(f"/api/v1/analytics/innovations/{INNOVATION}")
    graph_version, computed_at, stale = versions(after)
    assert (computed_at, stale) == (graph_version, "false")
    assert after.json()["depth"].get("media", 0) == before["depth"].get("media", 0) + 1
    assert after.json()["actor_count"] == before["actor_count"] + 1


def test_global_answers_are_marked_stale_during_the_recompute_then_fresh(
    background: TestClient,
) -> None:
    first = background.get("/api/v1/analytics/portfolio")
    assert versions(first)[2] == "false"
    assert background.post("/api/v1/collaborations", json=NEW_TIE).status_code == 201
    during = background.get("/api/v1/analytics/portfolio")
    graph_version, computed_at, stale = versions(during)
    assert stale == "true" and computed_at < graph_version
    assert during.json() == first.json()  # the last complete answer, not a half-built one
    wait_for_refresh(background)
    later = background.get("/api/v1/analytics/portfolio")
    assert versions(later) == (graph_version, graph_version, "false")
    assert later.json() != first.json()


def test_local_metrics_equal_the_full_pass_for_every_innovation(store: Store) -> None:
    store.load(load_seed())
    engine = Analytics(store)
    day = date(2026, 1, 1)
    for region in (None, "63.03"):
        for full in engine.innovations(region, day):
            local = local_innovation_metrics(
                store, full.id, region, day, engine.weights, engine.threshold
            )
            assert local == full, full.id
