"""The freshness contract: one innovation's metrics reflect a write in the next read; global
answers during a background recompute are the last complete ones, marked stale; then fresh.

The sync budget is 0 here, so the Banjar seed behaves like the national graph (where a rebuild
takes longer than the 1 s default and is done in the background)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from factories import SEED_INNOVATION, SEED_NEW_TIE, actor, innovation, tie
from fastapi.testclient import TestClient

from graph.analytics.engine import Analytics
from graph.analytics.local import local_innovation_metrics
from graph.bundle import load_seed
from graph.errors import NotFound
from graph.models import GraphData
from graph.store import Store
from graph.vocab import Helix
from service.app import create_app
from service.settings import Settings

INNOVATION = SEED_INNOVATION
NEW_TIE = SEED_NEW_TIE


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
    # The first answer is kept in the background; under load that could still be running at
    # the write and then compute the new version instead (no recompute left to be stale for).
    wait_for_refresh(background)
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


def _hub_graph() -> GraphData:
    """A hub tied to most innovations of two regencies, owners with no recorded tie (implicit
    ties), an owner whose recorded tie ended, ties ended or not begun, launches to come."""
    helixes = list(Helix)
    actors = [actor("hub", helix=Helix.ACADEMIA, region="63")]
    actors += [actor(f"a{n:02d}", helix=helixes[n % 6]) for n in range(12)]
    innovations = [
        innovation(
            f"i{n:02d}",
            region="63.03" if n % 2 else "63.71",
            owner_id=f"a{n % 12:02d}" if n % 4 == 0 else None,
            launched_on=date(2024, 1, 1) + timedelta(days=90 * n) if n % 5 == 0 else None,
        )
        for n in range(30)
    ]
    ties = {("a00", "i00"): tie("a00", "i00", until=date(2024, 3, 1))}  # the owner left
    for n, inv in enumerate(innovations):
        if n % 7:
            ties[("hub", inv.id)] = tie("hub", inv.id, since=date(2023, 1, 1) + timedelta(30 * n))
        for k in (n * 5 % 12, (n * 7 + 3) % 12):
            until = date(2025, 1, 1) if (n + k) % 6 == 0 else None
            key = (f"a{k:02d}", inv.id)
            ties.setdefault(key, tie(*key, strength=1 + (n + k) % 3, until=until))
    return GraphData(actors=actors, innovations=innovations, collaborations=list(ties.values()))


def test_local_metrics_equal_the_full_pass_around_a_hub(store: Store) -> None:
    """Reach through a hub, implicit owner ties, ended and future ties and launches, regions:
    the neighbourhood's answer is the whole graph's, for every innovation."""
    store.load(_hub_graph())
    engine = Analytics(store)
    for day in (date(2024, 6, 1), date(2026, 1, 1)):
        for region in (None, "63.03", "63"):
            full_pass = engine.innovations(region, day)
            assert max(m.reach for m in full_pass) >= len(full_pass) // 2  # the hub links
            for full in full_pass:
                local = local_innovation_metrics(
                    store, full.id, region, day, engine.weights, engine.threshold
                )
                assert local == full, (full.id, region, day)
            launched = {m.id for m in full_pass}
            for inv in store.snapshot(region).innovations:
                if inv.id not in launched:  # not launched yet: not found, as in the full pass
                    with pytest.raises(NotFound):
                        local_innovation_metrics(
                            store, inv.id, region, day, engine.weights, engine.threshold
                        )
