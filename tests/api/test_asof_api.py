"""One meaning of "as of" on every store kind: before any launch, nothing counts anywhere."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from graph.bundle import load_seed

# The seed's innovations are launched from 2025-10-07 on (one has no launch day: it always
# counts); its first ties begin years before.
LONG_BEFORE = "2015-06-01"
TIES_BUT_NO_LAUNCH = "2025-06-01"


REGION = "63.03"


def undated() -> set[str]:
    """Innovations of the region without a launch day (none in Banjar: nothing counts)."""
    return {
        i.id
        for i in load_seed().innovations
        if i.launched_on is None and (i.region + ".").startswith(REGION + ".")
    }


def in_region() -> int:
    return sum(1 for i in load_seed().innovations if (i.region + ".").startswith(REGION + "."))


def get(client: TestClient, path: str, **params: Any) -> Any:
    response = client.get(f"/api/v1{path}", params=params)
    assert response.status_code == 200, (path, response.text)
    body = response.json()
    if isinstance(body, dict) and "items" in body and "total" in body:  # a page: all of it
        assert body["total"] == len(body["items"]), path
        return body["items"]
    return body


@pytest.mark.parametrize("day", [LONG_BEFORE, TIES_BUT_NO_LAUNCH])
def test_counts_before_any_launch_are_zero_everywhere(seeded: TestClient, day: str) -> None:
    launched = undated()  # only these may appear
    metrics = get(seeded, "/analytics/innovations", at=day, limit=500, region=REGION)
    assert {m["id"] for m in metrics} == launched
    under = get(seeded, "/innovations/under-connected", at=day, limit=500, region=REGION)
    assert {m["id"] for m in under} <= launched
    portfolio = get(seeded, "/analytics/portfolio", at=day, region=REGION)
    assert portfolio["innovation_count"] == len(launched)
    assert sum(portfolio["coverage_histogram"]) == len(launched)
    assert len(portfolio["under_connected"]) == len(under)
    mapped = get(seeded, "/map", at=day, region=REGION)
    assert {i["id"] for i in mapped["innovations"]} <= launched
    assert mapped["not_launched"] == in_region() - len(launched)
    assert {t["innovation_id"] for t in mapped["collaborations"]} <= launched
    gaps = get(seeded, "/innovations/coverage-gaps", at=day, threshold=6, limit=500, region=REGION)
    assert {g["innovation_id"] for g in gaps} <= launched
    assert get(seeded, "/innovations/geolasting/collaborators", at=day)["by_helix"] == {}
    for actor in ["universitas-a", "dinkes-banjar"]:
        assert {
            i["innovation_id"] for i in get(seeded, f"/actors/{actor}/innovations", at=day)
        } <= launched


def test_history_uses_the_same_active_set(seeded: TestClient) -> None:
    history = get(
        seeded, "/analytics/portfolio/history", **{"from": "2019-01-01", "to": "2026-01-01"}
    )
    for point in history["points"]:
        day = point["at"]
        portfolio = get(seeded, "/analytics/portfolio", at=day, region=REGION)
        assert point["under_connected_count"] == len(portfolio["under_connected"]), day
        assert point["active_innovation_count"] == portfolio["active_innovation_count"], day
        assert point["under_connected_count"] <= sum(point["coverage_histogram"]), day
    before, after = history["points"][-2], history["points"][-1]  # 2025-01-01, 2026-01-01
    assert sum(before["coverage_histogram"]) == len(undated())
    assert sum(after["coverage_histogram"]) == in_region()
