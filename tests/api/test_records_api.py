"""CRUD over HTTP: pages, filters, and the errors a client sees for bad requests."""

from collections import Counter

from fastapi.testclient import TestClient

from graph.bundle import load_seed

BANJAR = "63.03"


def all_items(client: TestClient, path: str, **params: str) -> list[dict[str, object]]:
    items: list[dict[str, object]] = []
    while True:
        page = client.get(path, params={**params, "limit": "100", "offset": str(len(items))}).json()
        items.extend(page["items"])
        if len(items) >= page["total"]:
            return items


def test_banjar_portfolio_has_54_innovations_with_the_reported_origins(seeded: TestClient) -> None:
    page = seeded.get("/api/v1/innovations", params={"region": BANJAR, "limit": 1}).json()
    assert page["total"] == 54
    assert page["limit"] == 1 and len(page["items"]) == 1
    origins = Counter(i["origin"] for i in all_items(seeded, "/api/v1/innovations", region=BANJAR))
    assert origins == {"perangkat_daerah": 33, "kecamatan": 4, "puskesmas": 7, "masyarakat": 10}


def test_actors_cover_all_six_helix_kinds(seeded: TestClient) -> None:
    for helix in ["government", "academia", "private", "community", "ngo", "media"]:
        assert seeded.get("/api/v1/actors", params={"helix": helix}).json()["total"] > 0, helix


def test_filters_and_text_search(seeded: TestClient) -> None:
    health = all_items(seeded, "/api/v1/innovations", sector="health")
    expected = sorted(i.id for i in load_seed().innovations if i.sector == "health")
    assert [i["id"] for i in health] == expected
    found = seeded.get("/api/v1/innovations", params={"q": "geolast"}).json()
    assert [i["id"] for i in found["items"]] == ["geolasting"]


def test_paging_walks_every_item_once_in_id_order(seeded: TestClient) -> None:
    ids = [a["id"] for a in all_items(seeded, "/api/v1/actors")]
    assert ids == sorted(ids) and len(ids) == len(set(ids)) == len(load_seed().actors)


def test_create_get_patch_delete_an_innovation(client: TestClient) -> None:
    client.post("/api/v1/actors", json=ACTOR)
    created = client.post("/api/v1/innovations", json=INNOVATION)
    assert created.status_code == 201
    assert created.headers["location"] == "/api/v1/innovations/si-uji"
    assert client.get("/api/v1/innovations/si-uji").json()["owner_id"] == "dinas-uji"
    patched = client.patch("/api/v1/innovations/si-uji", json={"stage": "penerapan"})
    assert patched.status_code == 200 and patched.json()["stage"] == "penerapan"
    assert patched.json()["name"] == INNOVATION["name"]
    assert client.delete("/api/v1/innovations/si-uji").status_code == 204
    assert client.get("/api/v1/innovations/si-uji").status_code == 404


def test_unknown_id_is_404_naming_it(client: TestClient) -> None:
    response = client.get("/api/v1/actors/no-such-actor")
    assert response.status_code == 404
    assert "no-such-actor" in response.json()["detail"]


def test_duplicate_id_is_409(client: TestClient) -> None:
    assert client.post("/api/v1/actors", json=ACTOR).status_code == 201
    response = client.post("/api/v1/actors", json=ACTOR)
    assert response.status_code == 409
    assert "dinas-uji" in response.json()["detail"]


def test_invalid_enum_is_422_naming_field_and_allowed_values(client: TestClient) -> None:
    response = client.post("/api/v1/actors", json={**ACTOR, "helix": "church"})
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert "helix" in detail and "academia" in detail and "media" in detail


def test_bad_query_parameter_is_422(client: TestClient) -> None:
    response = client.get("/api/v1/innovations", params={"origin": "mars"})
    assert response.status_code == 422 and "origin" in response.json()["detail"]
    assert client.get("/api/v1/actors", params={"limit": "0"}).status_code == 422


def test_tie_to_missing_actor_is_404(client: TestClient) -> None:
    client.post("/api/v1/actors", json=ACTOR)
    client.post("/api/v1/innovations", json=INNOVATION)
    tie = {"actor_id": "ghost", "innovation_id": "si-uji", "role": "funder", "since": "2025-01-01"}
    response = client.post("/api/v1/collaborations", json=tie)
    assert response.status_code == 404 and "ghost" in response.json()["detail"]


def test_delete_with_ties_is_refused_unless_cascade(client: TestClient) -> None:
    client.post("/api/v1/actors", json=ACTOR)
    client.post("/api/v1/innovations", json=INNOVATION)
    tie = {
        "actor_id": "dinas-uji",
        "innovation_id": "si-uji",
        "role": "initiator",
        "since": "2025-01-01",
    }
    assert client.post("/api/v1/collaborations", json=tie).status_code == 201
    refused = client.delete("/api/v1/actors/dinas-uji")
    assert refused.status_code == 409
    assert client.get("/api/v1/collaborations/dinas-uji/si-uji").status_code == 200
    assert client.delete("/api/v1/actors/dinas-uji", params={"cascade": "true"}).status_code == 204
    assert client.get("/api/v1/collaborations/dinas-uji/si-uji").status_code == 404
    assert client.get("/api/v1/innovations/si-uji").json()["owner_id"] is None


def test_collaborations_filter_by_innovation_and_actor(seeded: TestClient) -> None:
    ties = all_items(seeded, "/api/v1/collaborations", innovation_id="geolasting")
    expected = {c.actor_id for c in load_seed().collaborations if c.innovation_id == "geolasting"}
    assert {t["actor_id"] for t in ties} == expected
    assert set(ties[0]) >= {"actor_id", "innovation_id", "role", "strength", "since", "until"}


def test_partnership_is_one_per_pair_in_either_direction(client: TestClient) -> None:
    client.post("/api/v1/actors", json=ACTOR)
    client.post("/api/v1/actors", json={**ACTOR, "id": "kampus-uji", "helix": "academia"})
    body = {
        "source_id": "dinas-uji",
        "target_id": "kampus-uji",
        "kind": "mou",
        "since": "2024-01-01",
    }
    assert client.post("/api/v1/partnerships", json=body).status_code == 201
    reverse = {**body, "source_id": "kampus-uji", "target_id": "dinas-uji"}
    assert client.post("/api/v1/partnerships", json=reverse).status_code == 409
    assert client.get("/api/v1/partnerships/kampus-uji/dinas-uji").json()["kind"] == "mou"


def test_since_after_until_is_422(client: TestClient) -> None:
    body = {
        "actor_id": "a",
        "innovation_id": "b",
        "role": "funder",
        "since": "2025-01-01",
        "until": "2024-01-01",
    }
    response = client.post("/api/v1/collaborations", json=body)
    assert response.status_code == 422 and "until" in response.json()["detail"]


def test_malformed_json_is_422_not_500(client: TestClient) -> None:
    response = client.post(
        "/api/v1/actors", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert response.status_code == 422


ACTOR = {"id": "dinas-uji", "name": "Dinas Uji", "helix": "government", "region": BANJAR}
INNOVATION = {
    "id": "si-uji",
    "name": "SI UJI",
    "origin": "perangkat_daerah",
    "owner_id": "dinas-uji",
    "region": BANJAR,
}
