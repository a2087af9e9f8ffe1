"""`Idempotency-Key` on POST, on both stores: a repeated request gets the first answer and
writes nothing more; the same key for another request is refused; a failed write keeps no key."""

from __future__ import annotations

from factories import actor, innovation, tie
from fastapi.testclient import TestClient

from graph.store import Store

API = "/api/v1"


def test_the_same_key_and_body_give_the_same_answer_and_one_write(
    client: TestClient, store: Store
) -> None:
    body = actor("once").model_dump(mode="json")
    headers = {"Idempotency-Key": "create-once-1"}
    first = client.post(f"{API}/actors", json=body, headers=headers)
    assert first.status_code == 201, first.text
    version = store.version()
    for _ in range(3):
        again = client.post(f"{API}/actors", json=body, headers=headers)
        assert again.status_code == 201
        assert again.json() == first.json()
        assert again.headers["location"] == first.headers["location"]
        assert again.headers["idempotency-replayed"] == "true"
    assert store.version() == version  # no second write
    # without the key the same POST is a second write attempt: a conflict
    assert client.post(f"{API}/actors", json=body).status_code == 409


def test_a_key_used_for_another_request_is_refused(client: TestClient, store: Store) -> None:
    headers = {"Idempotency-Key": "k-2"}
    created = client.post(f"{API}/actors", json=actor("a").model_dump(mode="json"), headers=headers)
    assert created.status_code == 201
    other = client.post(f"{API}/actors", json=actor("b").model_dump(mode="json"), headers=headers)
    assert other.status_code == 422
    assert "Idempotency-Key" in other.json()["detail"]
    assert [a.id for a in store.snapshot().actors] == ["a"]


def test_refusals_are_replayed_and_keys_are_per_request(client: TestClient, store: Store) -> None:
    store.create_innovation(innovation("i"))
    body = tie("ghost", "i").model_dump(mode="json")
    headers = {"Idempotency-Key": "tie-1"}
    missing = client.post(f"{API}/collaborations", json=body, headers=headers)
    assert missing.status_code == 404
    # the answer to this key stays what it was, even once the actor exists
    store.create_actor(actor("ghost"))
    assert client.post(f"{API}/collaborations", json=body, headers=headers).status_code == 404
    fresh = client.post(f"{API}/collaborations", json=body, headers={"Idempotency-Key": "tie-2"})
    assert fresh.status_code == 201, fresh.text


def test_a_bad_key_is_refused(client: TestClient) -> None:
    body = actor("x").model_dump(mode="json")
    answer = client.post(f"{API}/actors", json=body, headers={"Idempotency-Key": "k" * 256})
    assert answer.status_code == 422
