"""The whole loop on both stores: invite -> declare -> queue -> accept (ties appear, reported,
source naming declarer and curator) or reject (graph unchanged)."""

from __future__ import annotations

from typing import Any

from graph.store import Store
from service.access import Role as KeyRole
from tests.declarations.conftest import API, INNOVATION, App, token_auth

DECLARATION: dict[str, Any] = {
    "declared_by": "Rina Hayati, Kasi Promkes",
    "note": "PKS dengan kampus diperpanjang",
    "items": [
        # the owner itself, exactly as today: confirmed
        {"actor_id": "dinkes-banjar", "role": "initiator", "strength": 3, "since": "2024-01-01"},
        # the illustrative academic tie, stronger than the graph says: changed
        {
            "actor_id": "kampus-b",
            "role": "knowledge_partner",
            "strength": 3,
            "since": "2024-01-01",
            "evidence": "PKS No. 7/2024",
        },
        # the media tie ended
        {
            "actor_id": "media-c",
            "role": "publicist",
            "strength": 1,
            "since": "2024-01-01",
            "ended_on": "2025-06-30",
        },
        # an existing actor, new to this innovation: added
        {"actor_id": "bank-d", "role": "funder", "strength": 2, "since": "2025-02-01"},
        # a new actor, which is the Dinas under another spelling: flagged as a likely duplicate
        {
            "new_actor": {"name": "Dinkes Kab. Banjar", "helix": "government", "region": "63.03"},
            "role": "implementer",
            "strength": 1,
            "since": "2025-01-01",
        },
        # a new actor nobody knows yet
        {
            "new_actor": {
                "name": "Karang Taruna Desa Sungai Tabuk",
                "helix": "community",
                "kind": "youth_group",
                "region": "63.03",
            },
            "role": "implementer",
            "strength": 2,
            "since": "2025-03-01",
        },
    ],
}


def _declare(app: App) -> dict[str, Any]:
    invitation = app.invite()
    assert invitation["url"].endswith(f"/declare/{invitation['token']}")
    auth = token_auth(invitation["token"])
    form = app.client.get(f"{API}/declarations/current", headers=auth)
    assert form.status_code == 200, form.text
    body = form.json()
    assert body["innovation"]["id"] == INNOVATION
    assert body["innovation"]["owner_name"] == "Dinas Kesehatan Kabupaten Banjar"
    assert {t["actor_id"]: t["provenance"] for t in body["ties"]} == {
        "dinkes-banjar": "reported",
        "kampus-b": "illustrative",
        "media-c": "illustrative",
    }
    search = app.client.get(f"{API}/declarations/actors", params={"q": "bank"}, headers=auth)
    assert [a["id"] for a in search.json()] == ["bank-d"]
    sent = app.client.post(f"{API}/declarations", json=DECLARATION, headers=auth)
    assert sent.status_code == 201, sent.text
    declared: dict[str, Any] = sent.json()
    assert declared["status"] == "proposed"
    return declared


def test_declaration_changes_nothing_until_a_curator_accepts(app: App, graph_store: Store) -> None:
    before = graph_store.snapshot()
    version = graph_store.version()
    declared = _declare(app)
    assert graph_store.snapshot() == before
    assert graph_store.version() == version

    queue = app.client.get(
        f"{API}/declarations", params={"status": "proposed"}, headers=app.auth(KeyRole.CURATOR)
    )
    assert queue.status_code == 200, queue.text
    [entry] = queue.json()["items"]
    assert entry["declaration"]["id"] == declared["id"]
    diff = {d["index"]: d for d in entry["diff"]}
    assert [diff[i]["change"] for i in range(6)] == [
        "confirmed",
        "changed",
        "ended",
        "added",
        "added",
        "added",
    ]
    assert diff[1]["changed_fields"] == ["strength"]
    assert diff[1]["before"]["provenance"] == "illustrative"
    assert diff[1]["after"]["provenance"] == "reported"
    assert [a["id"] for a in diff[4]["likely_duplicates"]] == ["dinkes-banjar"]
    assert diff[5]["likely_duplicates"] == []
    assert entry["untouched"] == []

    accepted = app.client.post(
        f"{API}/declarations/{declared['id']}/accept",
        json={"items": [0, 1, 2, 3, 5], "reason": "checked by phone"},
        headers=app.auth(KeyRole.CURATOR),
    )
    assert accepted.status_code == 200, accepted.text
    decided = accepted.json()["declaration"]
    assert decided["status"] == "accepted"
    assert decided["decided_by"] == "curator-key"
    assert [d["accepted"] for d in decided["decisions"]] == [True, True, True, True, False, True]

    ties = {
        t.actor_id: t
        for t in graph_store.snapshot().collaborations
        if t.innovation_id == INNOVATION
    }
    new_id = decided["decisions"][5]["actor_id"]
    assert new_id == "karang-taruna-desa-sungai-tabuk"
    assert set(ties) == {"dinkes-banjar", "kampus-b", "media-c", "bank-d", new_id}
    for actor_id in ("dinkes-banjar", "kampus-b", "media-c", "bank-d", new_id):
        source = ties[actor_id].source
        assert source.startswith("declared by Rina Hayati, Kasi Promkes on "), source
        assert "; verified by curator-key on " in source
    assert ties["kampus-b"].strength == 3
    assert ties["kampus-b"].source.endswith("; evidence: PKS No. 7/2024")
    assert str(ties["media-c"].until) == "2025-06-30"
    new_actor = graph_store.get_actor(new_id)
    assert (new_actor.helix, new_actor.kind, new_actor.provenance) == (
        "community",
        "youth_group",
        "reported",
    )
    # the duplicate item was not accepted: no second Dinas
    assert not [a for a in graph_store.snapshot().actors if a.name == "Dinkes Kab. Banjar"]
    # the API's own answers see the ties as reported now
    collaborators = app.client.get(
        f"{API}/innovations/{INNOVATION}/collaborators", params={"at": "2025-04-01"}
    )
    assert collaborators.status_code == 200, collaborators.text
    by_helix = collaborators.json()["by_helix"]
    assert "bank-d" in {c["actor_id"] for c in by_helix["private"]}

    again = app.client.post(
        f"{API}/declarations/{declared['id']}/accept", headers=app.auth(KeyRole.CURATOR)
    )
    assert again.status_code == 409
    audit = app.client.get(f"{API}/audit", headers=app.auth(KeyRole.ADMIN)).json()["items"]
    paths = [(e["method"], e["path"], e["status"]) for e in audit]
    assert ("POST", f"{API}/declarations/{declared['id']}/accept", 200) in paths
    assert ("POST", f"{API}/declarations", 201) in paths
    assert ("POST", f"{API}/innovations/{INNOVATION}/invitations", 201) in paths


def test_rejection_leaves_the_graph_unchanged(app: App, graph_store: Store) -> None:
    before = graph_store.snapshot()
    declared = _declare(app)
    no_reason = app.client.post(
        f"{API}/declarations/{declared['id']}/reject", json={}, headers=app.auth(KeyRole.CURATOR)
    )
    assert no_reason.status_code == 422
    rejected = app.client.post(
        f"{API}/declarations/{declared['id']}/reject",
        json={"reason": "not the owner's office"},
        headers=app.auth(KeyRole.CURATOR),
    )
    assert rejected.status_code == 200, rejected.text
    assert rejected.json()["declaration"]["status"] == "rejected"
    assert rejected.json()["declaration"]["reason"] == "not the owner's office"
    assert graph_store.snapshot() == before
    late = app.client.post(
        f"{API}/declarations/{declared['id']}/accept", headers=app.auth(KeyRole.CURATOR)
    )
    assert late.status_code == 409
    assert graph_store.snapshot() == before
    queue = app.client.get(
        f"{API}/declarations", params={"status": "proposed"}, headers=app.auth(KeyRole.CURATOR)
    )
    assert queue.json()["total"] == 0
