"""`provenance=reported` answers what a store holding only the reported records answers."""

from __future__ import annotations

import time
from typing import Any

from fastapi.testclient import TestClient

from graph.bundle import load_seed
from graph.provenance import reported_part
from graph.store import Store

DAY = "2025-12-31"
GETS = [
    "/api/v1/innovations/geolasting/collaborators",
    "/api/v1/innovations/mitra-bungas-banjar/collaborators",
    "/api/v1/actors/disdukcapil-banjar/innovations",
    "/api/v1/actors/bappedalitbang-banjar/partners",
    "/api/v1/actors/baznas-banjar/common/bkkbn-kalsel",
    "/api/v1/innovations/coverage-gaps",
    "/api/v1/analytics/innovations",
    "/api/v1/analytics/innovations/geolasting",
    "/api/v1/analytics/actors",
    "/api/v1/analytics/portfolio?region=63.03",
    "/api/v1/analytics/communities",
    "/api/v1/innovations/under-connected",
    "/api/v1/innovations/geolasting/recommendations",
    "/api/v1/paths?source=baznas-banjar&target=poltekkes-banjarmasin&k=3",
    "/api/v1/actors/bappedalitbang-banjar/ego?depth=2",
    "/api/v1/innovations/geolasting/ego?depth=2",
    "/api/v1/analytics/portfolio/history?from=2024-01-01&to=2025-12-31",
    "/api/v1/analytics/iga-gain?region=63.03",
    "/api/v1/innovations/geolasting/iga-gain",
    "/api/v1/analytics/yearly-duty?year=2025",
    "/api/v1/map?region=63.03",
]
UNDATED = ("/history", "/yearly-duty")  # history takes from/to, the duty a year; not at


def _get(client: TestClient, path: str, **extra: str) -> Any:
    sep = "&" if "?" in path else "?"
    dated = {} if any(part in path for part in UNDATED) else {"at": DAY}
    query = "&".join(f"{k}={v}" for k, v in {**dated, **extra}.items())
    response = client.get(f"{path}{sep}{query}")
    assert response.status_code == 200, (path, response.text)
    answer = response.json()
    if path.startswith("/api/v1/map"):
        answer.pop("version")  # the graph version the page keys its layout on: the store's own
    return answer


def test_reported_answers_equal_a_reported_only_store(client: TestClient, store: Store) -> None:
    """The same store first holds only the reported records, then the whole seed (one Neo4j
    server holds one graph at a time)."""
    store.load(reported_part(load_seed()))
    expected = {path: _get(client, path) for path in GETS}
    store.clear()
    store.load(load_seed())
    for path in GETS:
        assert _get(client, path, provenance="reported") == expected[path], path
    assert _get(client, GETS[0]) != expected[GETS[0]]  # and the default is the whole graph


def _what_if(client: TestClient, **extra: str) -> Any:
    """The what-if answer once fresh: after a write, a graph whose last analytics build was slow
    (Neo4j) is first answered from that last build (`Hexahelix-Stale: true`) while a new one is
    computed."""
    body = {"remove_actors": ["dinkes-banjar"], "add_ties": []}
    deadline = time.monotonic() + 60
    while True:
        response = client.post("/api/v1/analytics/what-if", params={"at": DAY, **extra}, json=body)
        assert response.status_code == 200, response.text
        if response.headers.get("Hexahelix-Stale") != "true" or time.monotonic() > deadline:
            return response.json()
        time.sleep(0.5)


def test_what_if_on_reported_data_equals_a_reported_only_store(
    client: TestClient, store: Store
) -> None:
    store.load(reported_part(load_seed()))
    expected = _what_if(client)
    store.clear()
    store.load(load_seed())
    time.sleep(0.3)  # the app re-reads a Neo4j store's version at most every 0.1 s
    assert _what_if(client, provenance="reported") == expected
    assert _what_if(client) != expected


def test_the_default_is_the_whole_graph(seeded: TestClient) -> None:
    whole = _get(seeded, "/api/v1/innovations/geolasting/collaborators")
    reported = _get(seeded, "/api/v1/innovations/geolasting/collaborators", provenance="reported")
    ties = [t for group in whole["by_helix"].values() for t in group]
    kept = [t for group in reported["by_helix"].values() for t in group]
    assert len(kept) < len(ties)
    assert {t["provenance"] for t in kept} == {"reported"}
    assert seeded.get("/api/v1/analytics/portfolio?provenance=all").status_code == 200


def test_an_invented_innovation_is_not_found_on_reported_data(seeded: TestClient) -> None:
    response = seeded.get("/api/v1/innovations/si-rantang/collaborators?provenance=reported")
    assert response.status_code == 404
    assert seeded.get("/api/v1/analytics/portfolio?provenance=invented").status_code == 422
