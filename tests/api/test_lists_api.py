"""Every list is a page `{items, total, limit, offset}`; analytics lists sort and filter."""

from typing import Any

import pytest
from fastapi.testclient import TestClient

LISTS = [
    "/api/v1/analytics/actors",
    "/api/v1/analytics/innovations",
    "/api/v1/innovations/under-connected",
    "/api/v1/innovations/coverage-gaps",
    "/api/v1/actors/dinkes-banjar/innovations",
    "/api/v1/actors/dinkes-banjar/partners",
]


def everything(client: TestClient, path: str, **params: Any) -> list[dict[str, Any]]:
    body = client.get(path, params={**params, "limit": 500}).json()
    assert body["total"] == len(body["items"])
    items: list[dict[str, Any]] = body["items"]
    return items


@pytest.mark.parametrize("path", LISTS)
def test_every_list_is_a_page_that_honours_limit_and_offset(seeded: TestClient, path: str) -> None:
    whole = everything(seeded, path)
    assert len(whole) > 3, path
    first = seeded.get(path, params={"limit": 2}).json()
    assert first.keys() == {"items", "total", "limit", "offset"}
    assert (first["total"], first["limit"], first["offset"]) == (len(whole), 2, 0)
    second = seeded.get(path, params={"limit": 2, "offset": 2}).json()
    assert first["items"] + second["items"] == whole[:4]
    assert seeded.get(path, params={"limit": 0}).status_code == 422


def test_brokers_first_with_sort(seeded: TestClient) -> None:
    brokers = seeded.get(
        "/api/v1/analytics/actors", params={"sort": "-betweenness", "limit": 5}
    ).json()
    values = [a["betweenness"] for a in everything(seeded, "/api/v1/analytics/actors")]
    assert [a["betweenness"] for a in brokers["items"]] == sorted(values, reverse=True)[:5]
    by_two = everything(seeded, "/api/v1/analytics/innovations", sort="coverage,-reach")
    keys = [(i["coverage"], -i["reach"]) for i in by_two]
    assert keys == sorted(keys)


def test_an_unknown_sort_field_is_422_naming_it_and_the_choices(seeded: TestClient) -> None:
    answer = seeded.get("/api/v1/analytics/actors", params={"sort": "-fame"})
    assert answer.status_code == 422
    assert "'fame'" in answer.json()["detail"] and "betweenness" in answer.json()["detail"]
    # A list of values is not a sort key.
    assert seeded.get("/api/v1/analytics/innovations?sort=missing").status_code == 422


def test_analytics_filters(seeded: TestClient) -> None:
    academia = everything(seeded, "/api/v1/analytics/actors", helix="academia")
    assert academia and all(a["helix"] == "academia" for a in academia)
    weak = everything(seeded, "/api/v1/analytics/innovations", under_connected="true")
    assert weak and all(i["under_connected"] for i in weak)
    lacking = seeded.get(
        "/api/v1/analytics/innovations?lacks=media&lacks=academia&limit=500"
    ).json()["items"]
    assert lacking and all({"media", "academia"} <= set(i["missing"]) for i in lacking)


def test_the_threshold_is_a_parameter_with_the_setting_as_default(seeded: TestClient) -> None:
    path = "/api/v1/innovations/under-connected"
    default = seeded.get(path).json()["total"]
    assert seeded.get(path, params={"threshold": 4}).json()["total"] == default
    strict = everything(seeded, path, threshold=2)
    assert len(strict) < default
    assert all(i["coverage"] < 2 or i["resilience"] == 0 or i["actor_count"] < 2 for i in strict)
    gaps = everything(seeded, "/api/v1/innovations/coverage-gaps")
    assert gaps and all(g["coverage"] < 4 for g in gaps)
    assert len(everything(seeded, "/api/v1/innovations/coverage-gaps", threshold=2)) < len(gaps)
    assert seeded.get(path, params={"threshold": 9}).status_code == 422


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/innovations",
        "/api/v1/actors",
        "/api/v1/analytics/innovations",
        "/api/v1/analytics/actors",
    ],
)
def test_a_district_is_found_whatever_its_case(seeded: TestClient, path: str) -> None:
    exact = everything(seeded, path, district="Martapura")
    assert exact and all(item["district"] == "Martapura" for item in exact)
    for typed in ("martapura", "MARTAPURA", "marTapura"):
        assert everything(seeded, path, district=typed) == exact, typed
