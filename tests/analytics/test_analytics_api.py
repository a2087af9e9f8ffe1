"""The analytics routes over the embedded store, through the app."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from analytics_builders import A, C, M, actor, graph, innovation, partner, tie
from fastapi.testclient import TestClient

from graph.embedded import EmbeddedStore
from graph.models import Region
from graph.vocab import RegionLevel
from service.app import create_app
from service.settings import Settings

API = "/api/v1"


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    store = EmbeddedStore(tmp_path / "data")
    data = graph(
        [actor("g1"), actor("g2"), actor("u1", A), actor("c1", C), actor("m1", M)],
        [innovation("x", sector="health"), innovation("y", sector="health")],
        [tie("g1", "x", 3), tie("u1", "x", 2), tie("c1", "x"), tie("g1", "y"), tie("g2", "y")],
        [partner("u1", "m1")],
    )
    data.regions.append(Region(code="63.03", name="Kabupaten Banjar", level=RegionLevel.REGENCY))
    store.load(data)
    app = create_app(Settings(data_dir=tmp_path / "data"), store=store)
    try:
        with TestClient(app) as test_client:
            yield test_client
    finally:
        store.close()


def test_innovation_metrics_routes(client: TestClient) -> None:
    rows = client.get(f"{API}/analytics/innovations", params={"at": "2025-06-01"}).json()["items"]
    assert [r["id"] for r in rows] == ["x", "y"]
    x = client.get(f"{API}/analytics/innovations/x", params={"region": "63.03"}).json()
    assert x["coverage"] == 3 and x["missing"] == ["private", "ngo", "media"]
    for field in (
        "diversity",
        "resilience",
        "critical_actors",
        "sustainability_index",
        "components",
        "weights",
        "under_connected",
        "reasons",
        "iga_actor_score",
    ):
        assert field in x
    assert client.get(f"{API}/analytics/innovations/nope").status_code == 404


def test_under_connected_and_recommendations(client: TestClient) -> None:
    rows = client.get(f"{API}/innovations/under-connected").json()["items"]
    assert [r["id"] for r in rows] == ["y", "x"]
    rec = client.get(f"{API}/innovations/y/recommendations").json()
    assert {r["actor_id"] for r in rec["recommendations"]} == {"u1", "c1", "m1"}
    assert all(
        {"actor_id", "name", "helix", "score", "reason"} <= r.keys() for r in rec["recommendations"]
    )


def test_actors_portfolio_communities_history(client: TestClient) -> None:
    assert client.get(f"{API}/analytics/actors").json()["total"] == 5
    portfolio = client.get(f"{API}/analytics/portfolio").json()
    assert portfolio["coverage_histogram"] == [0, 1, 0, 1, 0, 0, 0]
    assert client.get(f"{API}/analytics/communities").json()["communities"]
    history = client.get(
        f"{API}/analytics/portfolio/history", params={"from": "2023-01-01", "to": "2025-01-01"}
    ).json()
    assert [p["tie_count"] for p in history["points"]] == [0, 5, 5]
    bad = client.get(
        f"{API}/analytics/portfolio/history", params={"from": "2025-01-01", "to": "2023-01-01"}
    )
    assert bad.status_code == 422


def test_paths_ego_and_what_if(client: TestClient) -> None:
    paths = client.get(f"{API}/paths", params={"source": "m1", "target": "g2", "k": 2}).json()
    assert [a["id"] for a in paths["paths"][0]["actors"]] == ["m1", "u1", "g1", "g2"]
    assert (
        client.get(f"{API}/paths", params={"source": "m1", "target": "g2", "k": 99}).status_code
        == 422
    )
    ego = client.get(f"{API}/actors/u1/ego", params={"depth": 1}).json()
    assert {n["key"] for n in ego["nodes"]} == {"actor:u1", "innovation:x", "actor:m1"}
    assert client.get(f"{API}/innovations/x/ego").status_code == 200
    result = client.post(f"{API}/analytics/what-if", json={"remove_actors": ["u1"]}).json()
    assert [c["id"] for c in result["changes"]] == ["x"]
    assert (
        client.post(f"{API}/analytics/what-if", json={"remove_actors": ["zz"]}).status_code == 404
    )
