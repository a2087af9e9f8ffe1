"""Cross-checks of the analytics on the Banjar seed, on every store kind."""

from typing import Any

from fastapi.testclient import TestClient

from graph.bundle import load_seed


def metrics_by_id(client: TestClient) -> dict[str, dict[str, Any]]:
    response = client.get("/api/v1/analytics/innovations", params={"limit": 500, "region": "id"})
    assert response.status_code == 200
    return {row["id"]: row for row in response.json()["items"]}


def test_coverage_equals_the_helix_kinds_of_the_collaborator_query(seeded: TestClient) -> None:
    metrics = metrics_by_id(seeded)
    assert len(metrics) == len(load_seed().innovations)
    for innovation_id, row in metrics.items():
        body = seeded.get(f"/api/v1/innovations/{innovation_id}/collaborators").json()
        assert row["coverage"] == len(body["by_helix"]), innovation_id
        assert row["missing"] == body["missing"], innovation_id


def test_recommendations_only_fill_missing_or_fragile_kinds_with_new_actors(
    seeded: TestClient,
) -> None:
    metrics = metrics_by_id(seeded)
    proposed = 0
    for innovation_id in ["geolasting", "jdih-bungas", "katuyung", "mitra-bungas-banjar"]:
        on_it = {
            tie["actor_id"]
            for ties in seeded.get(f"/api/v1/innovations/{innovation_id}/collaborators")
            .json()["by_helix"]
            .values()
            for tie in ties
        }
        allowed = {*metrics[innovation_id]["missing"], *metrics[innovation_id]["fragile_helices"]}
        body = seeded.get(f"/api/v1/innovations/{innovation_id}/recommendations").json()
        for item in body["recommendations"]:
            proposed += 1
            assert item["actor_id"] not in on_it, (innovation_id, item["actor_id"])
            assert item["helix"] in allowed, (innovation_id, item["helix"])
            assert item["reason"]
    assert proposed > 0


def test_removing_an_actor_changes_only_its_innovations(seeded: TestClient) -> None:
    for actor_id in ["universitas-a", "dinkes-banjar", "bank-daerah-a"]:
        own = {
            i["innovation_id"]
            for i in seeded.get(f"/api/v1/actors/{actor_id}/innovations?limit=500").json()["items"]
        }
        result = seeded.post("/api/v1/analytics/what-if", json={"remove_actors": [actor_id]})
        assert result.status_code == 200
        changed = {change["id"] for change in result.json()["changes"]}
        assert changed and changed <= own, actor_id


def test_every_analytics_view_answers(seeded: TestClient) -> None:
    for path in [
        "/api/v1/analytics/actors",
        "/api/v1/analytics/portfolio",
        "/api/v1/analytics/portfolio/history?from=2020-01-01&to=2025-12-31",
        "/api/v1/analytics/communities",
        "/api/v1/innovations/under-connected",
        "/api/v1/analytics/innovations/geolasting",
        "/api/v1/paths?source=universitas-a&target=lan-ri&k=3",
        "/api/v1/actors/universitas-a/ego?depth=2",
        "/api/v1/innovations/geolasting/ego?depth=1",
    ]:
        assert seeded.get(path).status_code == 200, path
