"""Invitation tokens: scoped to one innovation and three routes; expired, revoked, unknown and
foreign tokens refused with a clear message; size and rate limits; who may invite."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from fastapi.testclient import TestClient

from graph.embedded import EmbeddedStore
from service.access import Role as KeyRole
from service.app import create_app
from service.declarations import MAX_ITEMS, MAX_PER_DAY
from service.invitations import InvitationStore
from service.settings import Settings
from tests.declarations.conftest import API, INNOVATION, App, small_graph, token_auth

ONE = {
    "declared_by": "Rina",
    "items": [{"actor_id": "bank-d", "role": "funder", "strength": 2, "since": "2025-02-01"}],
}


def test_only_curators_and_admins_invite(embedded_app: App) -> None:
    url = f"{API}/innovations/{INNOVATION}/invitations"
    client = embedded_app.client
    assert client.post(url).status_code == 401
    for role in (KeyRole.READER, KeyRole.EDITOR):
        refused = client.post(url, headers=embedded_app.auth(role))
        assert refused.status_code == 403
        assert "curator" in refused.json()["detail"]
    for role in (KeyRole.CURATOR, KeyRole.ADMIN):
        assert client.post(url, headers=embedded_app.auth(role)).status_code == 201
    assert (
        client.post(
            f"{API}/innovations/nope/invitations", headers=embedded_app.auth(KeyRole.CURATOR)
        ).status_code
        == 404
    )
    too_long = client.post(url, json={"days": 400}, headers=embedded_app.auth(KeyRole.CURATOR))
    assert too_long.status_code == 422
    assert "days" in too_long.json()["detail"]


def test_token_is_stored_hashed_and_shown_once(embedded_app: App) -> None:
    created = embedded_app.invite(days=7)
    token = created["token"]
    assert token.startswith(f"hxi_{created['id']}_")
    expires = datetime.fromisoformat(created["expires_at"])
    assert timedelta(days=6, hours=23) < expires - datetime.now(UTC) <= timedelta(days=7)
    with embedded_app.access.connect() as conn:
        stored = [tuple(row) for row in conn.execute("SELECT * FROM invitations")]
    assert token not in repr(stored)
    listed = embedded_app.client.get(
        f"{API}/invitations", headers=embedded_app.auth(KeyRole.CURATOR)
    ).json()
    assert [i["status"] for i in listed["items"]] == ["open"]
    assert token not in str(listed)


def test_token_reaches_only_the_declaration_routes(embedded_app: App) -> None:
    auth = token_auth(embedded_app.invite()["token"])
    client = embedded_app.client
    for method, path in [
        ("GET", f"{API}/actors"),
        ("GET", f"{API}/innovations/other-innovation"),
        ("GET", f"{API}/innovations/{INNOVATION}"),
        ("POST", f"{API}/collaborations"),
        ("GET", f"{API}/declarations"),
        ("POST", f"{API}/declarations/1/accept"),
        ("POST", f"{API}/innovations/{INNOVATION}/invitations"),
        ("GET", f"{API}/audit"),
    ]:
        refused = client.request(method, path, headers=auth)
        assert refused.status_code == 403, (method, path, refused.text)
        assert "only opens its own innovation" in refused.json()["detail"]
    assert client.get(f"{API}/declarations/current", headers=auth).status_code == 200
    # the form names only the token's own innovation
    assert (
        client.get(f"{API}/declarations/current", headers=auth).json()["innovation"]["id"]
        == INNOVATION
    )


def test_expired_revoked_and_unknown_tokens_are_refused(embedded_app: App) -> None:
    client = embedded_app.client
    invitations = InvitationStore(embedded_app.access)
    old = invitations.create(
        INNOVATION,
        "curator-key",
        "http://testserver",
        days=30,
        now=datetime.now(UTC) - timedelta(days=31),
    )
    expired = client.get(f"{API}/declarations/current", headers=token_auth(old.token))
    assert expired.status_code == 401
    assert "expired on" in expired.json()["detail"]

    live = embedded_app.invite()
    revoke = client.delete(
        f"{API}/invitations/{live['id']}", headers=embedded_app.auth(KeyRole.CURATOR)
    )
    assert revoke.status_code == 200
    assert revoke.json()["status"] == "revoked"
    revoked = client.post(f"{API}/declarations", json=ONE, headers=token_auth(live["token"]))
    assert revoked.status_code == 401
    assert "revoked" in revoked.json()["detail"]

    forged = live["token"][:-4] + "AAAA"
    unknown = client.get(f"{API}/declarations/current", headers=token_auth(forged))
    assert unknown.status_code == 401
    assert "unknown invitation" in unknown.json()["detail"]
    assert (
        client.get(f"{API}/declarations/current", headers=token_auth("hxi_nothing")).status_code
        == 401
    )
    # no token at all, or an API key instead of a token
    missing = client.get(f"{API}/declarations/current")
    assert missing.status_code == 401
    assert "invitation token" in missing.json()["detail"]
    with_key = client.post(
        f"{API}/declarations", json=ONE, headers=embedded_app.auth(KeyRole.ADMIN)
    )
    assert with_key.status_code == 401


def test_a_token_cannot_declare_for_another_innovation(embedded_app: App) -> None:
    other = embedded_app.invite("other-innovation")
    sent = embedded_app.client.post(
        f"{API}/declarations", json=ONE, headers=token_auth(other["token"])
    )
    assert sent.status_code == 201
    # the declaration is about the token's innovation, whatever the body says
    assert sent.json()["innovation_id"] == "other-innovation"
    smuggled = embedded_app.client.post(
        f"{API}/declarations",
        json={**ONE, "innovation_id": INNOVATION},
        headers=token_auth(other["token"]),
    )
    assert smuggled.status_code == 422


def test_bad_declarations_are_refused_naming_the_item(embedded_app: App) -> None:
    auth = token_auth(embedded_app.invite()["token"])
    post = embedded_app.client.post
    unknown = post(
        f"{API}/declarations",
        headers=auth,
        json={**ONE, "items": [{**ONE["items"][0], "actor_id": "no-such-actor"}]},
    )
    assert unknown.status_code == 422
    assert unknown.json()["detail"] == "items.0.actor_id: no actor 'no-such-actor'"
    both = post(
        f"{API}/declarations",
        headers=auth,
        json={
            **ONE,
            "items": [
                {**ONE["items"][0], "new_actor": {"name": "X", "helix": "media", "region": "63.03"}}
            ],
        },
    )
    assert both.status_code == 422
    assert "exactly one of actor_id" in both.json()["detail"]
    twice = post(f"{API}/declarations", headers=auth, json={**ONE, "items": ONE["items"] * 2})
    assert twice.status_code == 422
    assert "declared twice" in twice.json()["detail"]
    ended_before = post(
        f"{API}/declarations",
        headers=auth,
        json={**ONE, "items": [{**ONE["items"][0], "ended_on": "2020-01-01"}]},
    )
    assert ended_before.status_code == 422
    assert "ended_on must be after since" in ended_before.json()["detail"]
    too_many = [
        {
            "new_actor": {"name": f"Kelompok {i}", "helix": "community", "region": "63.03"},
            "role": "implementer",
            "since": "2025-01-01",
        }
        for i in range(MAX_ITEMS + 1)
    ]
    large = post(f"{API}/declarations", headers=auth, json={**ONE, "items": too_many})
    assert large.status_code == 422
    assert "items" in large.json()["detail"]
    nothing = embedded_app.client.get(
        f"{API}/declarations", headers=embedded_app.auth(KeyRole.CURATOR)
    ).json()
    assert nothing["total"] == 0


def test_declarations_are_rate_limited_per_link(embedded_app: App) -> None:
    auth = token_auth(embedded_app.invite()["token"])
    for _ in range(MAX_PER_DAY):
        assert (
            embedded_app.client.post(f"{API}/declarations", json=ONE, headers=auth).status_code
            == 201
        )
    limited = embedded_app.client.post(f"{API}/declarations", json=ONE, headers=auth)
    assert limited.status_code == 429
    assert limited.headers["Retry-After"] == "3600"
    # another innovation's link is not affected
    other = token_auth(embedded_app.invite("other-innovation")["token"])
    assert (
        embedded_app.client.post(f"{API}/declarations", json=ONE, headers=other).status_code == 201
    )


def test_an_accept_the_graph_refuses_writes_nothing_and_stays_proposed(tmp_path: Path) -> None:
    folder = tmp_path
    store = EmbeddedStore(folder / "data")
    store.load(small_graph())
    settings = Settings(data_dir=folder / "app")
    with TestClient(create_app(settings, store=store)) as client:
        app = App(client, settings)
        auth = token_auth(app.invite()["token"])
        two = {
            **ONE,
            "items": [
                ONE["items"][0],
                {"actor_id": "kampus-b", "role": "funder", "strength": 3, "since": "2024-01-01"},
            ],
        }
        sent = client.post(f"{API}/declarations", json=two, headers=auth)
        assert sent.status_code == 201
        store.delete_actor("bank-d", cascade=True)  # gone before the curator gets to it
        before = store.snapshot()
        refused = client.post(
            f"{API}/declarations/{sent.json()['id']}/accept", headers=app.auth(KeyRole.CURATOR)
        )
        assert refused.status_code == 422, refused.text
        assert "bank-d" in refused.text
        assert store.snapshot() == before  # not even the valid kampus-b item
        queue = client.get(
            f"{API}/declarations", params={"status": "proposed"}, headers=app.auth(KeyRole.CURATOR)
        ).json()
        assert queue["total"] == 1
        # the curator can still accept the item that is valid
        partial = client.post(
            f"{API}/declarations/{sent.json()['id']}/accept",
            json={"items": [1]},
            headers=app.auth(KeyRole.CURATOR),
        )
        assert partial.status_code == 200, partial.text
        assert store.get_collaboration("kampus-b", INNOVATION).role == "funder"
    store.close()
