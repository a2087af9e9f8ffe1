"""Portfolio, communities and paths say how much of what they rest on is illustrative."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from graph.bundle import load_seed
from graph.provenance import is_reported
from graph.vocab import Provenance

DAY = "2025-12-31"
SHARES = ("portfolio", "communities")


def _get(client: TestClient, path: str, **params: str) -> Any:
    response = client.get(path, params={"at": DAY, **params})
    assert response.status_code == 200, response.text
    return response.json()


def test_portfolio_and_communities_count_what_they_used(seeded: TestClient) -> None:
    portfolio = _get(seeded, "/api/v1/analytics/portfolio", region="63.03")
    share = portfolio["illustrative"]
    # the same sets the figures count: launched innovations, active ties, active partnerships
    assert share["innovations"] == portfolio["innovation_count"] == 54
    assert share["ties"] == portfolio["tie_count"]
    assert share["partnerships"] == portfolio["partnership_count"]
    # counted independently from the seed: 36 of the 54 innovations are invented
    seed = load_seed()
    banjar = [i for i in seed.innovations if i.region == "63.03"]
    invented = sum(1 for i in banjar if i.provenance is Provenance.ILLUSTRATIVE)
    assert share["illustrative_innovations"] == invented == 36
    assert 0 < share["illustrative_ties"] < share["ties"]
    assert 0 < share["illustrative_partnerships"] < share["partnerships"]
    communities = _get(seeded, "/api/v1/analytics/communities", region="63.03")
    assert communities["illustrative"] == share


def test_on_reported_data_nothing_is_illustrative(seeded: TestClient) -> None:
    for name in SHARES:
        whole = _get(seeded, f"/api/v1/analytics/{name}")["illustrative"]
        kept = _get(seeded, f"/api/v1/analytics/{name}", provenance="reported")["illustrative"]
        assert kept["illustrative_innovations"] == kept["illustrative_ties"] == 0, name
        assert kept["illustrative_partnerships"] == 0, name
        assert kept["innovations"] == whole["innovations"] - whole["illustrative_innovations"]
        assert 0 < kept["ties"] <= whole["ties"] - whole["illustrative_ties"]
    paths = _get(
        seeded,
        "/api/v1/paths",
        source="baznas-banjar",
        target="bkkbn-kalsel",
        k="3",
        provenance="reported",
    )
    assert paths["paths"] and paths["illustrative"]["illustrative_ties"] == 0


def test_paths_count_the_facts_their_hops_rest_on(seeded: TestClient) -> None:
    answer = _get(seeded, "/api/v1/paths", source="universitas-a", target="bank-daerah-a", k="3")
    facts = [fact for path in answer["paths"] for hop in path["hops"] for fact in hop["evidence"]]
    shared = {f["innovation_id"] for f in facts if f["innovation_id"]}
    ties = {
        (actor, f["innovation_id"]): source
        for f in facts
        if f["innovation_id"]
        for actor, source in zip(f["actors"], f["sources"], strict=True)
    }
    pairs = {tuple(f["actors"]): f["sources"][0] for f in facts if f["partnership"]}
    provenance = {i.id: i.provenance for i in load_seed().innovations}
    assert answer["illustrative"] == {
        "innovations": len(shared),
        "illustrative_innovations": sum(
            1 for i in shared if provenance[i] is Provenance.ILLUSTRATIVE
        ),
        "ties": len(ties),
        "illustrative_ties": sum(1 for s in ties.values() if not is_reported(s)),
        "partnerships": len(pairs),
        "illustrative_partnerships": sum(1 for s in pairs.values() if not is_reported(s)),
    }
    assert answer["illustrative"]["illustrative_ties"] > 0  # these two are invented examples


def test_the_schemas_document_the_share(seeded: TestClient) -> None:
    schemas = seeded.get("/openapi.json").json()["components"]["schemas"]
    for name in ("Portfolio", "CommunitiesResult", "Paths", "MapData"):
        prop = schemas[name]["properties"]["illustrative"]
        assert "IllustrativeShare" in str(prop), name
        assert "illustrative" in prop.get("description", "").lower(), name
    share = schemas["IllustrativeShare"]["properties"]
    assert {"partnerships", "illustrative_partnerships"} <= set(share)


def test_listed_innovations_mark_assumed_membership(seeded: TestClient) -> None:
    """Every list of the portfolio's innovations says which belong to it only by assumption."""
    seed = {i.id: i for i in load_seed().innovations}
    for path in ("/api/v1/analytics/innovations", "/api/v1/innovations/under-connected"):
        items = _get(seeded, path, region="63.03", limit="100")["items"]
        assert items
        for item in items:
            record = seed[item["id"]]
            assert item["membership"] == (record.membership and record.membership.value)
            assert item["program"] == record.program
            assert item["provenance"] == record.provenance.value
    listed = _get(seeded, "/api/v1/analytics/innovations", region="63.03", limit="100")["items"]
    assert {i["membership"] for i in listed} == {"reported", "assumed", None}


ID_NOTE = "berdasar relasi ilustratif (contoh), bukan data terlapor"
EN_NOTE = "rests on illustrative (example) ties, not on reported data"


def test_verdicts_resting_on_invented_ties_say_so_in_the_users_language(
    seeded: TestClient,
) -> None:
    """A path, a recommendation and a critical actor resting on an invented tie say so, in
    Indonesian by default and in English when asked; one resting on reported ties does not."""
    for lang, note in (("id", ID_NOTE), ("en", EN_NOTE)):
        paths = _get(
            seeded, "/api/v1/paths", source="universitas-a", target="bank-daerah-a", lang=lang
        )
        invented = [p for p in paths["paths"] if p["provenance"] == "illustrative"]
        assert invented and all(p["illustrative_note"]["text"] == note for p in invented)
        recs = _get(seeded, "/api/v1/innovations/geolasting/recommendations", lang=lang)
        flagged = [r for r in recs["recommendations"] if r["provenance"] == "illustrative"]
        assert flagged and all(r["reasons"][-1]["text"] == note for r in flagged)
        assert all(note in r["reason"] for r in flagged)
        metrics = _get(seeded, "/api/v1/analytics/innovations/geolasting", lang=lang)
        critical = {c["id"]: c for c in metrics["critical_actors"]}
        assert critical["baznas-banjar"]["provenance"] == "reported"
        assert critical["baznas-banjar"]["note"] is None
        assert critical["mc-banjar"]["note"]["text"] == note
    direct = _get(seeded, "/api/v1/paths", source="baznas-banjar", target="bkkbn-kalsel", k="1")
    assert direct["paths"][0]["provenance"] == "reported"
    assert direct["paths"][0]["illustrative_note"] is None


def test_actors_named_in_answers_say_whether_they_are_invented(seeded: TestClient) -> None:
    """Brokers, community members, the actors of a path, shared partners and IGA candidates
    carry the actor's own provenance."""
    actors = {a.id: a.provenance.value for a in load_seed().actors}
    portfolio = _get(seeded, "/api/v1/analytics/portfolio", region="63.03")
    named = [
        *portfolio["top_brokers"],
        *(a for c in portfolio["communities"] for a in c["top_actors"]),
        *(
            a
            for p in _get(seeded, "/api/v1/paths", source="universitas-a", target="baznas-banjar")[
                "paths"
            ]
            for a in p["actors"]
        ),
        *(
            a
            for r in _get(seeded, "/api/v1/innovations/geolasting/recommendations")[
                "recommendations"
            ]
            for a in r["shared_partners"]
        ),
        *(
            a
            for k in _get(seeded, "/api/v1/innovations/si-rantang/iga-gain")["add"]
            for a in k["candidates"]
        ),
    ]
    assert len(named) > 20
    assert all(a["provenance"] == actors[a["id"]] for a in named)
    assert {a["provenance"] for a in named} == {"reported", "illustrative"}


def test_each_history_point_counts_what_it_used(seeded: TestClient) -> None:
    history = seeded.get(
        "/api/v1/analytics/portfolio/history",
        params={"from": "2024-12-31", "to": DAY, "region": "63.03"},
    ).json()
    last = history["points"][-1]
    assert last["at"] == DAY
    portfolio = _get(seeded, "/api/v1/analytics/portfolio", region="63.03")
    assert last["illustrative"] == portfolio["illustrative"]
    first = history["points"][0]["illustrative"]
    assert first["ties"] == history["points"][0]["tie_count"]
    assert first["partnerships"] == history["points"][0]["partnership_count"]
