"""Hot reads: answers kept per graph version, ETag and 304, and never staler than the graph."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import BaseModel

from graph.store import Store
from graph.vocab import Helix, Role
from service.response_cache import ResponseCache
from tests.factories import actor, tie

COLLABORATORS = "/api/v1/innovations/geolasting/collaborators"


def cache_of(app: FastAPI) -> ResponseCache:
    """The app's response cache middleware (built on the first request)."""
    node = app.middleware_stack
    while node is not None and not isinstance(node, ResponseCache):
        node = getattr(node, "app", None)
    assert isinstance(node, ResponseCache)
    return node


def test_a_repeated_read_is_served_from_memory_with_the_same_etag(seeded: TestClient) -> None:
    first = seeded.get(COLLABORATORS)
    cache = cache_of(seeded.app)  # type: ignore[arg-type]
    hits = cache.hits
    second = seeded.get(COLLABORATORS)
    assert first.status_code == second.status_code == 200
    assert first.headers["etag"] == second.headers["etag"]
    assert first.content == second.content
    assert cache.hits == hits + 1


def test_if_none_match_gets_304_without_a_body(seeded: TestClient) -> None:
    etag = seeded.get(COLLABORATORS).headers["etag"]
    again = seeded.get(COLLABORATORS, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == etag
    other = seeded.get(COLLABORATORS, headers={"If-None-Match": '"not-it"'})
    assert other.status_code == 200


def test_a_write_through_the_api_shows_in_the_next_read(seeded: TestClient) -> None:
    before = seeded.get(COLLABORATORS)
    made = seeded.post("/api/v1/actors", json=json_of(actor("media-lokal-z", Helix.MEDIA)))
    assert made.status_code == 201
    linked = seeded.post(
        "/api/v1/collaborations",
        json=json_of(tie("media-lokal-z", "geolasting", role=Role.PUBLICIST)),
    )
    assert linked.status_code == 201
    after = seeded.get(COLLABORATORS, headers={"If-None-Match": before.headers["etag"]})
    assert after.status_code == 200
    assert after.headers["etag"] != before.headers["etag"]
    assert b"media-lokal-z" in after.content


def test_a_write_by_another_process_shows_in_the_next_read(
    seeded: TestClient, store: Store
) -> None:
    """A write that does not pass through this app (the CLI, another API process) is seen by
    the next read: the embedded default reads the version on every request."""
    assert b"media-lokal-y" not in seeded.get(COLLABORATORS).content
    store.create_actor(actor("media-lokal-y", Helix.MEDIA))
    store.create_collaboration(tie("media-lokal-y", "geolasting", role=Role.PUBLICIST))
    assert b"media-lokal-y" in seeded.get(COLLABORATORS).content


def test_errors_and_uncacheable_routes_are_not_kept(seeded: TestClient) -> None:
    cache = cache_of_after(seeded, "/api/v1/innovations/nope")
    misses = cache.misses
    assert seeded.get("/api/v1/innovations/nope").status_code == 404
    assert cache.misses == misses + 1  # asked the route again
    assert "etag" not in seeded.get("/healthz").headers


def cache_of_after(client: TestClient, path: str) -> ResponseCache:
    client.get(path)
    return cache_of(client.app)  # type: ignore[arg-type]


def json_of(model: BaseModel) -> dict[str, Any]:
    return model.model_dump(mode="json", exclude_none=True)
