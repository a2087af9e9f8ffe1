"""ETag and If-Match on the record routes, on both stores: GET, POST and PATCH answer the
record's ETag; a PATCH or DELETE naming a stale or bogus revision gets 412 with the current
ETag and changes nothing; `HEXAHELIX_REQUIRE_IF_MATCH` makes If-Match mandatory (428); and 16
clients incrementing one counter with If-Match and retries lose no update."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from factories import actor, innovation, partnership, tie
from fastapi.testclient import TestClient

from graph.store import Store
from service.app import create_app
from service.settings import Settings

API = "/api/v1"
# (path of one record, a PATCH body that changes it, a DELETE query)
RECORDS = {
    "innovation": (f"{API}/innovations/i", {"description": "changed"}, "?cascade=true"),
    "actor": (f"{API}/actors/b", {"description": "changed"}, "?cascade=true"),
    "collaboration": (f"{API}/collaborations/a/i", {"source": "changed"}, ""),
    "partnership": (f"{API}/partnerships/b/a", {"source": "changed"}, ""),
}


def seed(store: Store) -> None:
    store.create_actor(actor("a"))
    store.create_actor(actor("b"))
    store.create_innovation(innovation("i", owner_id="a"))
    store.create_collaboration(tie("a", "i"))
    store.create_partnership(partnership("a", "b"))


def app_client(store: Store, data_dir: Path, **settings: Any) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(data_dir=data_dir, auth="off", **settings), store)) as c:
        yield c


@pytest.fixture
def strict(store: Store, tmp_path: Path) -> Iterator[TestClient]:
    """The app with HEXAHELIX_REQUIRE_IF_MATCH=true."""
    yield from app_client(store, tmp_path / "strict", require_if_match=True)


@pytest.fixture
def unlimited(store: Store, tmp_path: Path) -> Iterator[TestClient]:
    """The app with no rate limit (the 16 clients share one address)."""
    yield from app_client(store, tmp_path / "unlimited", rate_limit_per_minute=0)


def test_post_get_and_patch_answer_the_records_etag(client: TestClient, store: Store) -> None:
    created = client.post(f"{API}/actors", json=actor("x").model_dump(mode="json"))
    assert created.status_code == 201
    read = client.get(f"{API}/actors/x")
    assert read.headers["etag"] == created.headers["etag"]
    assert read.headers["etag"].startswith('"')
    changed = client.patch(
        f"{API}/actors/x",
        json={"name": "Renamed actor"},
        headers={"If-Match": read.headers["etag"]},
    )
    assert changed.status_code == 200, changed.text
    assert changed.headers["etag"] != read.headers["etag"]
    assert client.get(f"{API}/actors/x").headers["etag"] == changed.headers["etag"]
    # the record's ETag is also the validator of its cached answer
    again = client.get(f"{API}/actors/x", headers={"If-None-Match": changed.headers["etag"]})
    assert again.status_code == 304


@pytest.mark.parametrize("kind", list(RECORDS))
def test_a_stale_or_bogus_if_match_gets_412_naming_the_current_etag(
    client: TestClient, store: Store, kind: str
) -> None:
    seed(store)
    path, body, delete_query = RECORDS[kind]
    stale = client.get(path).headers["etag"]
    assert client.patch(path, json=body).status_code == 200  # another client's change
    current = client.get(path)
    version = store.version()
    for header in (stale, '"bogus"'):
        for answer in (
            client.patch(path, json={"source": "mine"}, headers={"If-Match": header}),
            client.delete(path + delete_query, headers={"If-Match": header}),
        ):
            assert answer.status_code == 412, answer.text
            assert answer.json()["etag"] == current.headers["etag"]
            assert answer.headers["etag"] == current.headers["etag"]
            assert current.headers["etag"] in answer.json()["detail"]
    assert store.version() == version
    assert client.get(path).json() == current.json()
    # the current ETag lets the delete through
    deleted = client.delete(path + delete_query, headers={"If-Match": current.headers["etag"]})
    assert deleted.status_code == 204
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("kind", list(RECORDS))
def test_required_if_match_refuses_writes_without_it(
    strict: TestClient, store: Store, kind: str
) -> None:
    seed(store)
    path, body, delete_query = RECORDS[kind]
    version = store.version()
    for answer in (strict.patch(path, json=body), strict.delete(path + delete_query)):
        assert answer.status_code == 428, answer.text
        assert "If-Match" in answer.json()["detail"]
    assert store.version() == version
    etag = strict.get(path).headers["etag"]
    assert strict.patch(path, json=body, headers={"If-Match": etag}).status_code == 200
    assert strict.delete(path + delete_query, headers={"If-Match": "*"}).status_code == 204


def test_creating_needs_no_if_match(strict: TestClient) -> None:
    assert strict.post(f"{API}/actors", json=actor("y").model_dump(mode="json")).status_code == 201


def test_sixteen_clients_incrementing_with_if_match_lose_no_update(
    unlimited: TestClient, store: Store
) -> None:
    """The issue's reproduction: 16 clients each read the counter and write it plus one, 10
    times (160 increments). Without If-Match it ended at 12; with it and a retry on 412 it ends
    at exactly 160."""
    store.create_actor(actor("counter", description="0"))
    clients, increments = 16, 10
    refused = [0]
    errors: list[str] = []
    lock = threading.Lock()

    def work() -> None:
        for _ in range(increments):
            while True:
                seen = unlimited.get(f"{API}/actors/counter")
                patch = {"description": str(int(seen.json()["description"]) + 1)}
                answer = unlimited.patch(
                    f"{API}/actors/counter", json=patch, headers={"If-Match": seen.headers["etag"]}
                )
                if answer.status_code == 200:
                    break
                if answer.status_code != 412:
                    errors.append(f"{answer.status_code} {answer.text}")
                    return
                with lock:
                    refused[0] += 1

    threads = [threading.Thread(target=work) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    final = unlimited.get(f"{API}/actors/counter").json()["description"]
    print(f"counter {final} after {clients * increments} increments, {refused[0]} retried on 412")
    assert final == str(clients * increments)
