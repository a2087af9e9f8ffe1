"""The per-request answers in an API process beside the worker (`HEXAHELIX_ANALYTICS_COMPUTE=off`):
of a region, computed in the process on that region's projection; of the whole country, asked
of the worker (503 with Retry-After until its next pass, then its answer, a 404 included), so
the process never builds the national projection."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from graph.analytics.results import ResultStore
from graph.bundle import load_seed
from graph.store import Store
from service.app import create_app
from service.compose import open_results
from service.settings import Settings
from service.worker import Worker

INNOVATION = "geolasting"
REGION = "63.03"


@pytest.fixture
def setup(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[TestClient, TestClient, Worker]]:
    """A reader, a process computing everything itself (the reference), and the worker."""
    monkeypatch.setattr("graph.analytics.engine.READER_WAIT_SECONDS", 0.2)
    store.load(load_seed())
    reading = Settings(data_dir=tmp_path / "reading", auth="off", analytics_compute="off")
    computing = Settings(data_dir=tmp_path / "computing", auth="off")
    results: ResultStore = open_results(reading, store)
    worker = Worker(store, reading, results)
    with (
        TestClient(create_app(reading, store=store)) as reader,
        TestClient(create_app(computing, store=store)) as reference,
    ):
        yield reader, reference, worker
    worker.close()
    results.close()


def national_questions(actors: list[str]) -> list[tuple[str, str, dict[str, object]]]:
    day = date.today().isoformat()
    return [
        ("get", f"/api/v1/innovations/{INNOVATION}/recommendations", {"limit": 3}),
        ("get", "/api/v1/paths", {"source": actors[0], "target": actors[1], "k": 2}),
        ("get", f"/api/v1/innovations/{INNOVATION}/ego", {"depth": 1}),
        ("get", f"/api/v1/actors/{actors[0]}/ego", {"depth": 2, "at": day}),
        ("get", f"/api/v1/innovations/{INNOVATION}/iga-gain", {}),
        ("post", "/api/v1/analytics/what-if", {}),
    ]


def test_the_whole_countrys_per_request_answers_come_from_the_worker(
    setup: tuple[TestClient, TestClient, Worker],
) -> None:
    reader, reference, worker = setup
    tie = reference.get("/api/v1/collaborations", params={"limit": 1}).json()["items"][0]
    partner = reference.get(
        "/api/v1/collaborations", params={"innovation_id": tie["innovation_id"], "limit": 5}
    ).json()["items"]
    actors = [tie["actor_id"], next(t["actor_id"] for t in partner if t != tie)]
    scenario = {"remove_actors": [actors[0]]}
    questions = national_questions(actors)

    def ask(client: TestClient, method: str, path: str, params: dict[str, object]):  # type: ignore[no-untyped-def]
        if method == "post":
            return client.post(path, params=params, json=scenario)
        return client.get(path, params=params)

    for method, path, params in questions:
        waiting = ask(reader, method, path, params)
        assert waiting.status_code == 503, (path, waiting.text)
        assert "Retry-After" in waiting.headers and "worker" in waiting.json()["detail"]
    worker.run_once()
    for method, path, params in questions:
        answer = ask(reader, method, path, params)
        expected = ask(reference, method, path, params)
        assert answer.status_code == expected.status_code == 200, (path, answer.text)
        assert answer.json() == expected.json(), path
        assert answer.headers["Hexahelix-Stale"] == "false"
    engine = reader.app.state.services.analytics  # type: ignore[attr-defined]
    assert engine.builds == 0  # the reader never built a projection


def test_a_refusal_of_the_worker_is_answered_as_such(
    setup: tuple[TestClient, TestClient, Worker],
) -> None:
    reader, _, worker = setup
    path = "/api/v1/innovations/no-such-innovation/recommendations"
    assert reader.get(path).status_code == 503
    worker.run_once()
    refused = reader.get(path)
    assert refused.status_code == 404 and "no-such-innovation" in refused.text
    too_many = reader.get("/api/v1/paths", params={"source": "a", "target": "b", "k": 99})
    assert too_many.status_code == 503
    worker.run_once()
    assert reader.get(
        "/api/v1/paths", params={"source": "a", "target": "b", "k": 99}
    ).status_code in (
        404,
        422,
    )


def test_a_regions_per_request_answers_are_computed_in_the_reader(
    setup: tuple[TestClient, TestClient, Worker],
) -> None:
    reader, reference, _ = setup
    path = f"/api/v1/innovations/{INNOVATION}/recommendations"
    answer = reader.get(path, params={"region": REGION})
    assert answer.status_code == 200, answer.text
    assert answer.json() == reference.get(path, params={"region": REGION}).json()
    engine = reader.app.state.services.analytics  # type: ignore[attr-defined]
    assert engine.builds == 1  # the region's projection, not the country's
    assert all(region == REGION for _, region, _ in engine._contexts._values)


def test_the_whole_countrys_lists_at_another_threshold_come_from_the_worker(
    setup: tuple[TestClient, TestClient, Worker],
) -> None:
    """Another threshold changes who is under-connected and why: the worker keeps the list at
    that threshold, paged like the others; the reader never computes it."""
    reader, reference, worker = setup
    questions = [
        ("/api/v1/innovations/under-connected", {"threshold": 3, "limit": 500}),
        ("/api/v1/analytics/innovations", {"threshold": 5, "under_connected": "true"}),
        ("/api/v1/analytics/innovations", {"threshold": 5, "sort": "-coverage", "offset": 3}),
    ]
    questions = [(path, {**params, "region": "id"}) for path, params in questions]
    for path, params in questions:
        assert reader.get(path, params=params).status_code == 503, (path, params)
    worker.run_once()
    totals = []
    for path, params in questions:
        answer = reader.get(path, params=params)
        expected = reference.get(path, params=params)
        assert answer.status_code == expected.status_code == 200, (path, answer.text)
        assert answer.json() == expected.json(), (path, params)
        totals.append(answer.json()["total"])
    urgent = reader.get("/api/v1/innovations/under-connected", params={"region": "id"})
    assert urgent.status_code == 200, urgent.text
    default = urgent.json()["total"]
    assert totals[0] < default < totals[1]  # the threshold really changed the list
    engine = reader.app.state.services.analytics  # type: ignore[attr-defined]
    assert engine.builds == 0
