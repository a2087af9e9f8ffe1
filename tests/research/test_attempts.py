"""Every attempt to write is audited, refused ones included; the client address comes from
`X-Forwarded-For` only via trusted proxies; failed authentications are rate-limited per address.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from graph.bundle import load_seed
from graph.embedded import EmbeddedStore
from service.access import AccessStore, Role
from service.app import create_app
from service.settings import Settings

API = "/api/v1"
MakeApp = Callable[..., Any]  # the make_app fixture (tests/research/conftest.py)
ACTOR = {"id": "baru", "name": "Baru", "helix": "ngo", "region": "63.03"}


def trail(app: Any) -> list[dict[str, Any]]:
    response = app.client.get(f"{API}/audit", params={"limit": 100}, headers=app.auth(Role.ADMIN))
    assert response.status_code == 200, response.text
    entries: list[dict[str, Any]] = response.json()["items"]
    return [e for e in entries if e["path"] != f"{API}/audit"]


def test_refused_keys_and_unparseable_writes_are_audited(make_app: MakeApp) -> None:
    app = make_app(rate_limit_per_minute=0)
    editor = app.auth(Role.EDITOR)
    app.access.create_key("leaver", Role.EDITOR)
    revoked = app.access.create_key("gone", Role.EDITOR)
    app.access.revoke("gone")
    key_id = revoked.split("_")[1]
    attempts = [
        ({"X-API-Key": revoked}, {"json": ACTOR}, 401),
        ({"X-API-Key": "hxh_00000000_unknown-secret"}, {"json": ACTOR}, 401),
        ({"X-API-Key": revoked[:20]}, {"json": ACTOR}, 401),  # truncated
        (editor, {"content": b"{not json", "headers": {"Content-Type": "application/json"}}, 422),
        (editor, {"content": b'{"id": NaN}', "headers": {"Content-Type": "application/json"}}, 422),
        ({}, {"json": ACTOR}, 401),  # no key at all
    ]
    for headers, body, status in attempts:
        extra = body.pop("headers", {})
        response = app.client.post(f"{API}/actors", headers={**headers, **extra}, **body)
        assert response.status_code == status, response.text
    entries = trail(app)
    assert [e["status"] for e in reversed(entries)] == [401, 401, 401, 422, 422, 401]
    assert all(e["method"] == "POST" and e["path"] == f"{API}/actors" for e in entries)
    oldest = entries[-1]
    assert oldest["key_name"] is None and oldest["ids"] == [f"key_id={key_id}"]
    parse_errors = [e for e in entries if e["status"] == 422]
    assert {e["key_name"] for e in parse_errors} == {"editor-key"}
    # Reads sent as POST (queries) are not write attempts.
    app.client.post(f"{API}/analytics/what-if", json={"remove_actors": []})
    assert len(trail(app)) == len(entries)


def test_forwarded_for_is_ignored_without_trusted_proxies(make_app: MakeApp) -> None:
    app = make_app(rate_limit_per_minute=5)
    statuses = [
        app.client.get(f"{API}/actors", headers={"X-Forwarded-For": f"198.51.100.{i}"}).status_code
        for i in range(10)
    ]
    assert statuses.count(429) >= 5  # one bucket: the peer's, whatever the header says
    app.client.post(
        f"{API}/actors", json=ACTOR, headers={"X-Forwarded-For": "6.6.6.6", **app.auth(Role.EDITOR)}
    )
    assert trail(app)[0]["client"] == "testclient"


def test_forwarded_for_from_a_trusted_proxy_names_the_client(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "data")
    store.load(load_seed())
    settings = Settings(
        data_dir=tmp_path,
        rate_limit_per_minute=5,
        trusted_proxies="10.0.0.0/8",  # type: ignore[arg-type]
    )
    editor = AccessStore(settings.access_db_path()).create_key("editor", Role.EDITOR)
    admin = AccessStore(settings.access_db_path()).create_key("admin", Role.ADMIN)
    app = create_app(settings, store=store)
    try:
        with TestClient(app, client=("10.0.0.2", 4000)) as proxy:
            forged = "6.6.6.6, 203.0.113.9"  # the client wrote 6.6.6.6; the proxy appended
            response = proxy.post(
                f"{API}/actors",
                json=ACTOR,
                headers={"X-Forwarded-For": forged, "X-API-Key": editor},
            )
            assert response.status_code == 201, response.text
            entries = proxy.get(f"{API}/audit", headers={"X-API-Key": admin}).json()["items"]
            assert entries[-1]["client"] == "203.0.113.9"
            # Each client behind the proxy has its own bucket.
            for i in range(8):
                hops = {"X-Forwarded-For": f"203.0.113.{100 + i}"}
                assert proxy.get(f"{API}/actors", headers=hops).status_code == 200
    finally:
        store.close()


def test_failed_authentications_are_rate_limited_per_address(make_app: MakeApp) -> None:
    app = make_app(auth_failures_per_minute=3, rate_limit_per_minute=0)
    bad = {"X-API-Key": "hxh_00000000_guess"}
    statuses = [app.client.get(f"{API}/actors", headers=bad).status_code for _ in range(6)]
    assert statuses[:3] == [401, 401, 401]
    assert set(statuses[3:]) == {429}
    limited = app.client.get(f"{API}/actors", headers=app.auth(Role.READER))
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) >= 1
    assert "failed authentications" in limited.json()["detail"]
    assert app.client.get(f"{API}/actors").status_code == 200  # no key: nothing to guess
