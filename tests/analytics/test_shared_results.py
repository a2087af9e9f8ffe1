"""Results that persist and are shared: a restarted engine answers from the results file at
once; a reader (an API process beside `hexahelix worker`) never builds a projection, answers
the worker's last complete result marked stale after a write, and the touched innovation fresh.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from factories import SEED_INNOVATION, SEED_NEW_TIE
from fastapi.testclient import TestClient
from pydantic import TypeAdapter

from graph.analytics.engine import Analytics
from graph.analytics.results import ResultStore
from graph.bundle import load_seed
from graph.errors import Computing
from graph.models import Collaboration
from graph.store import Store
from service.app import create_app
from service.cli import main
from service.compose import open_results
from service.settings import Settings
from service.worker import Worker
from tests.api.test_response_cache import cache_of

JSON: TypeAdapter[object] = TypeAdapter(object)
DAY = date(2026, 1, 1)
INNOVATION = SEED_INNOVATION
NEW_TIE = Collaboration.model_validate(SEED_NEW_TIE)


def same(a: object, b: object) -> bool:
    """Equal answers: equal JSON (a message's text is rendered when serialised, so a result
    read back from JSON carries texts that one computed in memory fills in only then)."""
    return bool(JSON.dump_json(a) == JSON.dump_json(b))


@pytest.fixture
def results(store: Store, tmp_path: Path) -> Iterator[ResultStore]:
    store.load(load_seed())
    kept = open_results(Settings(data_dir=tmp_path / "results"), store)
    yield kept
    kept.close()


def wait_idle(engine: Analytics) -> None:
    deadline = time.monotonic() + 30
    while engine._refresher.busy():
        assert time.monotonic() < deadline, "the background refresh did not finish"
        time.sleep(0.05)


def test_a_restarted_engine_answers_from_the_results_file_without_building(
    store: Store, results: ResultStore
) -> None:
    first = Analytics(store, results=results, sync_budget=0)
    portfolio = first.portfolio(None, DAY)
    wait_idle(first)  # a slow build (over the budget of 0 s) is kept in the background
    first.close()
    again = Analytics(store, results=results, sync_budget=0)
    assert same(again.portfolio(None, DAY), portfolio)
    assert same(again.innovations(None, DAY), first.innovations(None, DAY))
    assert again.builds == 0
    freshness = again.freshness()
    assert freshness is not None and not freshness.stale
    # After a write, the restarted engine answers the kept result at once, marked stale, and
    # rebuilds in the background.
    store.create_collaboration(NEW_TIE)
    stale = again.portfolio(None, DAY)
    freshness = again.freshness()
    assert same(stale, portfolio) and freshness is not None and freshness.stale
    wait_idle(again)
    assert not same(again.portfolio(None, DAY), portfolio)
    freshness = again.freshness()
    assert freshness is not None and not freshness.stale
    again.close()


def test_a_reader_reads_what_the_worker_computed_and_never_builds(
    store: Store, results: ResultStore, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr("graph.analytics.engine.READER_WAIT_SECONDS", 0.2)
    reader = Analytics(store, results=results, computes=False)
    with pytest.raises(Computing, match="being computed by the worker"):
        reader.portfolio(None, DAY)
    assert [k for k in reader.wanted(0)] == [(None, DAY)]

    worker = Worker(store, Settings(data_dir=tmp_path / "results"), results)
    assert worker.run_once() >= 2  # the country and the default region, plus the asked day
    portfolio = reader.portfolio(None, DAY)
    assert same(portfolio, worker.engines[0].portfolio(None, DAY))
    freshness = reader.freshness()
    assert freshness is not None and not freshness.stale

    before = reader.innovation(INNOVATION, None, DAY)
    store.create_collaboration(NEW_TIE)
    # The touched innovation reflects the write at once; the portfolio is the last complete
    # one, marked stale, and the worker is asked for a newer one.
    after = reader.innovation(INNOVATION, None, DAY)
    freshness = reader.freshness()
    assert freshness is not None and not freshness.stale
    assert after.actor_count == before.actor_count + 1
    assert same(reader.portfolio(None, DAY), portfolio)
    freshness = reader.freshness()
    assert freshness is not None and freshness.stale
    assert worker.run_once() >= 1
    assert not same(reader.portfolio(None, DAY), portfolio)
    freshness = reader.freshness()
    assert freshness is not None and not freshness.stale
    assert reader.builds == 0
    worker.close()


def test_a_results_file_of_another_graph_is_forgotten(tmp_path: Path) -> None:
    path = tmp_path / "results.sqlite3"
    first = ResultStore(path, identity="graph a")
    first.put("portfolio", "all||2026-01-01", 3, b"{}", seconds=1.0)
    first.close()
    same = ResultStore(path, identity="graph a")
    assert same.latest("portfolio", "all||2026-01-01", 3) is not None
    same.close()
    other = ResultStore(path, identity="graph b")
    assert other.latest("portfolio", "all||2026-01-01", 3) is None
    other.close()


def test_two_api_processes_and_a_worker_share_one_set_of_results(
    store: Store, results: ResultStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A write through one API process shows in the other's read of the touched innovation at
    once; the portfolio is the worker's last result, marked stale, until the worker's next pass;
    the map's layout comes from the worker (503 before it exists)."""
    monkeypatch.setattr("graph.analytics.engine.READER_WAIT_SECONDS", 0.2)
    monkeypatch.setattr("service.shared.READER_WAIT_SECONDS", 0.2)
    settings = Settings(data_dir=tmp_path / "results", auth="off", analytics_compute="off")
    with (
        TestClient(create_app(settings, store=store)) as one,
        TestClient(create_app(settings, store=store)) as two,
    ):
        waiting = two.get("/api/v1/analytics/portfolio", params={"region": "id"})
        assert waiting.status_code == 503 and "Retry-After" in waiting.headers
        assert "computed by the worker" in waiting.json()["detail"]
        assert two.get("/api/v1/layout", params={"region": "63.03"}).status_code == 503
        calls = [
            ("/api/v1/analytics/portfolio/history", {"from": "2023-01-01", "to": "2025-12-31"}),
            ("/api/v1/analytics/iga-gain", {"limit": 10}),
            ("/api/v1/analytics/yearly-duty", {"year": 2025}),
        ]
        for path, params in calls:  # the page's dashboard: asked of the worker, 503 meanwhile
            assert two.get(path, params={**params, "region": "id"}).status_code == 503, path
        worker = Worker(store, settings, results)
        worker.run_once()
        for path, params in calls:
            answer = two.get(path, params={**params, "region": "id"})
            assert answer.status_code == 200, answer.text
            assert answer.headers["Hexahelix-Stale"] == "false"
        first = two.get("/api/v1/analytics/portfolio", params={"region": "id"})
        assert first.status_code == 200 and first.headers["Hexahelix-Stale"] == "false"
        computed = worker.engines[0].portfolio(None)
        assert first.json() == json.loads(computed.model_dump_json(context={"lang": "id"}))
        english = two.get(
            "/api/v1/analytics/portfolio?region=id", headers={"Accept-Language": "en"}
        )
        assert english.headers["Content-Language"] == "en"
        assert english.json() == json.loads(computed.model_dump_json(context={"lang": "en"}))
        assert english.json() != first.json()  # the texts are in English
        layout = two.get("/api/v1/layout", params={"region": "63.03"})
        assert layout.status_code == 200 and layout.json()["nodes"]

        before = two.get(f"/api/v1/analytics/innovations/{INNOVATION}").json()
        made = one.post("/api/v1/collaborations", json=NEW_TIE.model_dump(mode="json"))
        assert made.status_code == 201, made.text
        after = two.get(f"/api/v1/analytics/innovations/{INNOVATION}")
        assert after.headers["Hexahelix-Stale"] == "false"
        assert after.json()["actor_count"] == before["actor_count"] + 1
        during = two.get("/api/v1/analytics/portfolio", params={"region": "id"})
        assert during.headers["Hexahelix-Stale"] == "true"
        assert during.json() == first.json()
        # A stale answer is kept by the response cache until a newer result is kept.
        cache = cache_of(two.app)  # type: ignore[arg-type]
        hits = cache.hits
        again = two.get("/api/v1/analytics/portfolio", params={"region": "id"})
        assert cache.hits == hits + 1 and again.headers["etag"] == during.headers["etag"]
        stale_layout = two.get("/api/v1/layout", params={"region": "63.03"})
        assert stale_layout.headers["Hexahelix-Stale"] == "true"

        worker.run_once()
        later = two.get("/api/v1/analytics/portfolio", params={"region": "id"})
        assert later.headers["Hexahelix-Stale"] == "false" and later.json() != first.json()
        assert (
            two.get("/api/v1/layout", params={"region": "63.03"}).headers["Hexahelix-Stale"]
            == "false"
        )
        for client in (one, two):
            assert client.app.state.services.analytics.builds == 0  # type: ignore[attr-defined]
        worker.close()


def test_worker_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HEXAHELIX_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("HEXAHELIX_STORE", "embedded")
    assert main(["seed"]) == 0
    assert main(["worker", "--once"]) == 0
    kept = sqlite3.connect(tmp_path / "data" / "results.sqlite3")
    kinds = {kind for (kind,) in kept.execute("SELECT kind FROM results")}
    kinds |= {kind for (kind,) in kept.execute("SELECT kind FROM lists")}  # one row per item
    kept.close()
    assert {"portfolio", "innovations", "actors", "communities", "layout", "regions"} <= kinds
    assert main(["worker", "--poll", "0"]) == 2


def test_the_json_of_a_kept_result_is_serialised_once_per_language() -> None:
    from graph.analytics.portfolio_schemas import Portfolio
    from service.routes.analytics import BODIES

    portfolio = Portfolio.model_validate(Portfolio.model_json_schema()["examples"][0])
    first = BODIES.response(portfolio, "en")
    again = BODIES.response(portfolio, "en")
    assert first.body is again.body  # the same bytes, not serialised again
    assert BODIES.response(portfolio, "id").body is not first.body
    copy = portfolio.model_copy()
    assert BODIES.response(copy, "en").body == first.body


def test_asking_for_a_newer_answer_never_waits_for_the_workers_write(tmp_path: Path) -> None:
    """A stale read asks the worker (`want`); while the worker holds the file to keep a large
    answer, the ask is written once the file is free, and the read does not wait for it."""
    path = tmp_path / "results.sqlite3"
    reader = ResultStore(path, busy_timeout=3.0)
    writer = sqlite3.connect(path, isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")  # the worker keeping a national list
        started = time.perf_counter()
        reader.want("analytics", "all||2026-01-01")
        assert time.perf_counter() - started < 0.5
        assert reader.wanted(0) == []  # not written yet: the file is held
        writer.execute("COMMIT")
        deadline = time.monotonic() + 5
        while reader.wanted(0) != [("analytics", "all||2026-01-01")]:
            assert time.monotonic() < deadline, "the ask was never written"
            time.sleep(0.02)
        reader.want("analytics", "all|63.03|2026-01-01")  # the file is free: written at once
        assert reader.wanted(0)[-1] == ("analytics", "all|63.03|2026-01-01")
    finally:
        writer.close()
        reader.close()


@pytest.mark.parametrize("path", ["/api/v1/map", "/api/v1/declarations/progress"])
def test_a_readers_answers_of_a_region_follow_a_write_without_the_worker(
    store: Store, results: ResultStore, tmp_path: Path, path: str
) -> None:
    """The worker keeps only the default region's map; an API process renews another region's
    map (and the ties' sources of the collection progress) itself after a write, answering the
    last one, marked stale, meanwhile."""
    settings = Settings(data_dir=tmp_path / "results", auth="off", analytics_compute="off")
    lone = next(i for i in load_seed().innovations if i.region == "65")  # not the default
    with TestClient(create_app(settings, store=store)) as client:
        before = client.get(path, params={"region": "65"})
        assert before.status_code == 200 and before.headers["Hexahelix-Stale"] == "false"
        tie = {"actor_id": "dinkes-banjar", "innovation_id": lone.id, "role": "advocate"}
        made = client.post("/api/v1/collaborations", json=tie | {"since": "2020-01-01"})
        assert made.status_code == 201, made.text
        deadline = time.monotonic() + 10
        while True:
            after = client.get(path, params={"region": "65"})
            if after.headers["Hexahelix-Stale"] == "false":
                break
            assert after.json() == before.json()  # the last one, meanwhile
            assert time.monotonic() < deadline, "the region's answer stayed stale"
            time.sleep(0.05)
        if path.endswith("/map"):
            drawn = {(t["actor_id"], t["innovation_id"]) for t in after.json()["collaborations"]}
            assert ("dinkes-banjar", lone.id) in drawn
        else:
            ties = after.json()["portfolio"]["ties"]
            assert ties == before.json()["portfolio"]["ties"] + 1


def test_the_generation_moves_with_every_kept_answer(tmp_path: Path) -> None:
    """A stale answer stays in the response cache until the generation moves: it must move
    with the first answer kept, lists or not."""
    results = ResultStore(tmp_path / "results.sqlite3")
    try:
        empty = results.generation()
        results.put("map", "all|65|2026-01-01", 1, b"{}", seconds=0.1)
        kept = results.generation()
        assert kept > empty
        results.put_list("innovations", "all||2026-01-01", 1, [b"{}"], [0], seconds=0.1)
        assert results.generation() >= kept
    finally:
        results.close()
