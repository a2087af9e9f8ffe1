"""Progress of collecting the real network: ties verified / reported / illustrative and items
waiting, per innovation and for the portfolio; invitations by status."""

from __future__ import annotations

from service.access import Role as KeyRole
from tests.declarations.conftest import API, INNOVATION, App, token_auth

ONE = {
    "declared_by": "Rina",
    "items": [
        {"actor_id": "kampus-b", "role": "knowledge_partner", "strength": 2, "since": "2024-01-01"},
        {"actor_id": "bank-d", "role": "funder", "strength": 2, "since": "2024-02-01"},
    ],
}


def _progress(app: App) -> dict:  # type: ignore[type-arg]
    response = app.client.get(f"{API}/declarations/progress", params={"at": "2025-01-01"})
    assert response.status_code == 200, response.text
    body: dict = response.json()  # type: ignore[type-arg]
    return body


def test_progress_follows_the_loop(embedded_app: App) -> None:
    start = _progress(embedded_app)
    assert start["portfolio"] == {
        "ties": 4,
        "verified": 0,
        "reported": 1,
        "illustrative": 3,
        "proposed_items": 0,
    }
    assert start["invitations"] == {"open": 0, "answered": 0, "expired": 0, "revoked": 0}
    rows = {r["innovation_id"]: r for r in start["innovations"]}
    assert rows[INNOVATION]["invitation"] is None
    # the innovation whose ties are all illustrative comes first
    assert start["innovations"][0]["innovation_id"] == "other-innovation"

    invitation = embedded_app.invite()
    embedded_app.invite("other-innovation")
    sent = embedded_app.client.post(
        f"{API}/declarations", json=ONE, headers=token_auth(invitation["token"])
    )
    assert sent.status_code == 201
    waiting = _progress(embedded_app)
    assert waiting["portfolio"]["proposed_items"] == 2
    assert waiting["invitations"] == {"open": 1, "answered": 1, "expired": 0, "revoked": 0}
    assert {r["innovation_id"]: r["invitation"] for r in waiting["innovations"]} == {
        INNOVATION: "answered",
        "other-innovation": "open",
    }

    accepted = embedded_app.client.post(
        f"{API}/declarations/{sent.json()['id']}/accept", headers=embedded_app.auth(KeyRole.CURATOR)
    )
    assert accepted.status_code == 200
    done = {r["innovation_id"]: r for r in _progress(embedded_app)["innovations"]}
    assert done[INNOVATION] | {"name": None} == {
        "innovation_id": INNOVATION,
        "name": None,
        "invitation": "answered",
        "ties": 4,
        "verified": 2,
        "reported": 1,
        "illustrative": 1,
        "proposed_items": 0,
    }


def test_progress_lists_the_least_verified_first_up_to_a_limit(embedded_app: App) -> None:
    whole = _progress(embedded_app)
    assert whole["innovation_count"] == len(whole["innovations"]) == 2
    response = embedded_app.client.get(
        f"{API}/declarations/progress", params={"at": "2025-01-01", "limit": 1}
    )
    assert response.status_code == 200, response.text
    first = response.json()
    assert first["innovation_count"] == 2  # all of them, whatever the limit
    assert first["innovations"] == whole["innovations"][:1]
    assert first["portfolio"] == whole["portfolio"]  # counts every innovation
    refused = embedded_app.client.get(f"{API}/declarations/progress", params={"limit": 0})
    assert refused.status_code == 422 and "limit" in refused.text
