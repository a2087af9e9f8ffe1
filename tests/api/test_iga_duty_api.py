"""IGA gain and the yearly duty on the Banjar seed, on every store kind."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from graph.analytics.innovation_metrics import iga_actor_score
from graph.bundle import load_seed

DAY = "2026-01-01"


def get(client: TestClient, path: str, **params: Any) -> Any:
    response = client.get(f"/api/v1{path}", params=params)
    assert response.status_code == 200, (path, response.text)
    body = response.json()
    if isinstance(body, dict) and "items" in body and "total" in body:  # a page: all of it
        assert body["total"] == len(body["items"]), path
        return body["items"]
    return body


def test_iga_gain_is_the_smallest_change_to_the_next_band(seeded: TestClient) -> None:
    metrics = {m["id"]: m for m in get(seeded, "/analytics/innovations", at=DAY, limit=500)}
    body = get(seeded, "/analytics/iga-gain", at=DAY, limit=500, lang="en")
    assert body["actionable"] == sum(1 for m in metrics.values() if m["coverage"] < 6)
    assert len(body["actions"]) == body["actionable"]
    needed = [a["kinds_needed"] for a in body["actions"]]
    assert needed == sorted(needed) and needed[0] == 1
    for action in body["actions"]:
        m = metrics[action["innovation_id"]]
        assert action["score"] == m["iga_actor_score"] == iga_actor_score(m["coverage"])
        assert action["next_score"] == iga_actor_score(m["coverage"] + action["kinds_needed"])
        assert action["next_score"] == action["score"] + 1
        # smallest: one kind fewer would not raise the score
        assert iga_actor_score(m["coverage"] + action["kinds_needed"] - 1) == action["score"]
        kinds = [k["helix"] for k in action["add"]]
        assert len(kinds) == action["kinds_needed"] and set(kinds) <= set(m["missing"])
        for kind in action["add"]:
            assert all(c["helix"] == kind["helix"] for c in kind["candidates"])
        assert f"{action['score']} → {action['next_score']}" in action["action"]["text"]
    gained = sum(a["next_score"] - a["score"] for a in body["actions"])
    assert body["total_score_after"] == body["total_score_before"] + gained
    assert sum(body["distribution_after"].values()) == len(metrics)
    assert body["uncertainty"]["code"] == "iga_uncertain"
    one = body["actions"][0]
    alone = get(seeded, f"/innovations/{one['innovation_id']}/iga-gain", at=DAY, lang="en")
    assert alone == one
    assert seeded.get("/api/v1/innovations/nope/iga-gain").status_code == 404


def test_yearly_duty_lists_units_without_an_innovation(seeded: TestClient) -> None:
    seed = load_seed()
    body = get(seeded, "/analytics/yearly-duty", year=2025)
    units = {u["id"]: u for u in body["units"]}
    parents = {p.child_id for p in seed.part_of}
    assert set(units) <= parents
    owners_2025 = {
        i.owner_id for i in seed.innovations if i.launched_on and i.launched_on.year == 2025
    }
    for unit in units.values():
        assert unit["met"] == (unit["id"] in owners_2025), unit["id"]
        assert unit["note"]["code"] == ("duty_met" if unit["met"] else "duty_missing")
    assert units["pkm-gambut"]["type"] == "puskesmas" and not units["pkm-gambut"]["met"]
    assert units["kec-aluh-aluh"]["type"] == "kecamatan" and not units["kec-aluh-aluh"]["met"]
    assert units["dinkes-banjar"]["type"] == "perangkat_daerah" and units["dinkes-banjar"]["met"]
    assert [u["met"] for u in body["units"]] == sorted(u["met"] for u in body["units"])
    total = sum(c["units"] for c in body["by_type"].values())
    assert total == len(units) and body["by_type"]["kecamatan"]["missing"] > 0
    # a year with no launch: every unit is listed as missing
    empty = get(seeded, "/analytics/yearly-duty", year=2019)
    assert not any(u["met"] for u in empty["units"]) and len(empty["units"]) == len(units)
    assert seeded.get("/api/v1/analytics/yearly-duty", params={"year": 99}).status_code == 422
