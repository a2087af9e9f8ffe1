"""Nothing is accepted silently: unknown query parameters and unknown regions are refused by
name, and a record a region filter leaves out is said to be outside it, not unknown."""

import pytest
from fastapi.testclient import TestClient

API = "/api/v1"
ACTOR = {"id": "dinas-uji", "name": "Dinas Uji", "helix": "government", "region": "63.03"}


@pytest.mark.parametrize(
    "path",
    [
        "/analytics/portfolio?regoin=63.03",
        "/innovations?regoin=63.03",
        "/innovations/under-connected?treshold=2",
        "/actors/ulm/partners?att=2025-01-01",
        "/export?format=json&metric=true",
        "/map?regoin=63.03",
    ],
)
def test_an_unknown_query_parameter_is_422_naming_it(seeded: TestClient, path: str) -> None:
    answer = seeded.get(API + path)
    assert answer.status_code == 422, answer.text
    name = path.split("?")[1].split("&")[-1].split("=")[0]
    assert f"'{name}'" in answer.json()["detail"]
    assert "did you mean" in answer.json()["detail"]


def test_the_page_itself_keeps_its_own_query(seeded: TestClient) -> None:
    assert seeded.get("/?region=63.03&at=2025-01-01&tab=dashboard").status_code == 200


def test_region_codes_names_and_the_whole_country(seeded: TestClient) -> None:
    def total(**params: str) -> int:
        answer = seeded.get(f"{API}/innovations", params={**params, "limit": 1})
        assert answer.status_code == 200, answer.text
        count: int = answer.json()["total"]
        return count

    everything = total()
    assert total(region="id") == everything == 55
    assert total(region="63.03") == total(region="kabupaten banjar") == 54
    for path in ["/innovations", "/analytics/portfolio", "/innovations/coverage-gaps", "/map"]:
        answer = seeded.get(API + path, params={"region": "abc"})
        assert answer.status_code == 422, path
        assert "unknown region 'abc'" in answer.json()["detail"]
    near = seeded.get(f"{API}/analytics/actors", params={"region": "63.3"}).json()["detail"]
    assert "did you mean" in near and "63.03 (Kabupaten Banjar)" in near


def test_writes_refuse_an_unknown_region(seeded: TestClient) -> None:
    created = seeded.post(f"{API}/actors", json={**ACTOR, "region": "99.99"})
    assert created.status_code == 422 and "'99.99'" in created.json()["detail"]
    moved = seeded.patch(f"{API}/innovations/geolasting", json={"region": "99.99"})
    assert moved.status_code == 422
    assert seeded.get(f"{API}/innovations/geolasting").json()["region"] == "63.03"
    assert seeded.post(f"{API}/actors", json=ACTOR).status_code == 201


def test_a_record_outside_the_region_filter_is_said_to_be_outside(seeded: TestClient) -> None:
    answer = seeded.get(f"{API}/analytics/innovations/sipelandukilat", params={"region": "63.03"})
    assert answer.status_code == 404
    assert "outside region=63.03" in answer.json()["detail"] and "65" in answer.json()["detail"]
    unknown = seeded.get(f"{API}/analytics/innovations/nope", params={"region": "63.03"})
    assert unknown.status_code == 404 and "outside" not in unknown.json()["detail"]
    assert seeded.get(f"{API}/analytics/innovations/sipelandukilat").status_code == 200


def test_malformed_json_names_the_line_column_and_what_was_expected(client: TestClient) -> None:
    broken = b'{"id": "a",\n "name": "A" "helix": "media"}'
    answer = client.post(
        f"{API}/actors", content=broken, headers={"Content-Type": "application/json"}
    )
    assert answer.status_code == 422
    detail = answer.json()["detail"]
    assert "line 2, column 14" in detail and "Expecting ',' delimiter" in detail


def test_enum_errors_list_each_allowed_value_once_and_the_value_given(
    client: TestClient,
) -> None:
    detail = client.post(f"{API}/actors", json={**ACTOR, "helix": "medi"}).json()["detail"]
    assert detail.count("'media'") == 1 and "got 'medi'" in detail


@pytest.mark.parametrize("content_type", [None, "text/plain"])
def test_a_body_that_is_not_sent_as_json_is_told_so(
    client: TestClient, content_type: str | None
) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    answer = client.post(f"{API}/actors", content=b'{"id": "a"}', headers=headers)
    assert answer.status_code == 422
    assert "send application/json" in answer.json()["detail"]


def test_rankings_cover_the_portfolio_region_unless_asked(seeded: TestClient) -> None:
    def ids(path: str, **params: str) -> set[str]:
        body = seeded.get(API + path, params={**params, "limit": 500}).json()
        return {item.get("id") or item.get("innovation_id") for item in body["items"]}

    for path in ["/innovations/under-connected", "/innovations/coverage-gaps"]:
        assert "sipelandukilat" not in ids(path), path
        assert "sipelandukilat" in ids(path, region="id"), path
    assert ids("/innovations/under-connected") == ids(
        "/innovations/under-connected", region="63.03"
    )
    assert seeded.get(f"{API}/analytics/portfolio").json()["region"] == "63.03"


@pytest.mark.parametrize("path", ["/api/v1/innovations?limit=2", "/healthz", "/", "/api/v1/map"])
def test_head_answers_wherever_get_does(seeded: TestClient, path: str) -> None:
    got = seeded.get(path)
    head = seeded.head(path)
    assert head.status_code == got.status_code == 200
    assert head.content == b""
    assert head.headers["content-type"] == got.headers["content-type"]
    assert head.headers["content-length"] == str(len(got.content))


def test_one_plain_csv_table_next_to_the_zip(seeded: TestClient) -> None:
    nodes = seeded.get(f"{API}/export", params={"format": "csv", "table": "nodes"})
    assert nodes.status_code == 200 and nodes.headers["content-type"].startswith("text/csv")
    assert 'filename="hexahelix-nodes.csv"' in nodes.headers["content-disposition"]
    lines = nodes.text.splitlines()
    assert lines[0].startswith("id,node_type,label") and len(lines) > 100
    zipped = seeded.get(f"{API}/export", params={"format": "csv"})
    assert 'filename="hexahelix.zip"' in zipped.headers["content-disposition"]
    wrong = seeded.get(f"{API}/export", params={"format": "json", "table": "nodes"})
    assert wrong.status_code == 422 and "format=csv" in wrong.json()["detail"]
