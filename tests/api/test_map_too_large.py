"""A region with more nodes than the map draws (`MAX_MAP_NODES`, lowered here) is answered
aggregated: no nodes or ties, the node count, and the regions inside it with their innovation
counts to drill down into; its layout has no nodes. A region under the limit is drawn."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient

LIMIT = 40


@pytest.fixture
def limited(seeded: TestClient, monkeypatch: pytest.MonkeyPatch) -> TestClient:
    monkeypatch.setattr("graph.mapview.MAX_MAP_NODES", LIMIT)
    return seeded


def test_the_whole_country_over_the_limit_is_counted_per_region(limited: TestClient) -> None:
    regions = limited.get("/api/v1/map/regions").json()["regions"]
    whole = limited.get("/api/v1/map")
    assert whole.status_code == 200, whole.text
    body = whole.json()
    assert body["too_large"] is True and body["max_nodes"] == LIMIT
    assert body["node_count"] > LIMIT
    for drawn in ("innovations", "actors", "collaborations", "partnerships"):
        assert body[drawn] == [], drawn
    # The drill-down: every region holding innovations, with the same counts as the picker's.
    assert body["aggregate"] == regions
    assert sum(r["innovations"] for r in body["aggregate"]) == body["node_count"]
    layout = limited.get("/api/v1/layout")
    assert layout.status_code == 200 and layout.json()["nodes"] == []


def test_a_region_over_the_limit_by_its_nodes_is_not_drawn(
    seeded: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A region under the limit by its innovations, over it once its actors count."""
    regions = seeded.get("/api/v1/map/regions").json()
    code = regions["default"]
    innovations = next(r["innovations"] for r in regions["regions"] if r["code"] == code)
    monkeypatch.setattr("graph.mapview.MAX_MAP_NODES", innovations + 1)
    answer = seeded.get("/api/v1/map", params={"region": code}).json()
    assert innovations < answer["max_nodes"] < answer["node_count"]
    assert answer["too_large"] is True and answer["innovations"] == []
    assert [r["code"] for r in answer["aggregate"]] == [code]


def test_a_region_under_the_limit_is_drawn(
    seeded: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    default = seeded.get("/api/v1/map/regions").json()["default"]
    drawn = seeded.get("/api/v1/map", params={"region": default}).json()
    monkeypatch.setattr("graph.mapview.MAX_MAP_NODES", drawn["node_count"])
    # Another day: not the answer kept above under the default limit.
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    at_limit = seeded.get("/api/v1/map", params={"region": default, "at": yesterday}).json()
    assert at_limit["too_large"] is False and at_limit["innovations"]
    assert at_limit["aggregate"] == [] and at_limit["node_count"] == drawn["node_count"]
