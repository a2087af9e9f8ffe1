"""Collaboration queries over HTTP, checked against the seed bundle itself."""

from datetime import date

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from graph.bundle import load_seed
from graph.vocab import Helix
from service.settings import Settings

TODAY = date.today()


def active_ties(innovation_id: str) -> list[tuple[str, str]]:
    data = load_seed()
    helix = {a.id: a.helix.value for a in data.actors}
    return sorted(
        (c.actor_id, helix[c.actor_id])
        for c in data.collaborations
        if c.innovation_id == innovation_id and c.active_on(TODAY)
    )


def test_collaborators_grouped_by_helix_match_the_seed(seeded: TestClient) -> None:
    body = seeded.get("/api/v1/innovations/geolasting/collaborators").json()
    got = sorted((t["actor_id"], helix) for helix, ties in body["by_helix"].items() for t in ties)
    assert got == active_ties("geolasting")
    present = {helix for _, helix in got}
    assert body["coverage"] == len(present)
    assert body["missing"] == [h.value for h in Helix if h.value not in present]


def test_collaborators_of_unknown_innovation_is_404(seeded: TestClient) -> None:
    assert seeded.get("/api/v1/innovations/nope/collaborators").status_code == 404


def test_actor_innovations_and_partners_agree(seeded: TestClient) -> None:
    mine = {
        i["innovation_id"]
        for i in seeded.get("/api/v1/actors/dinkes-banjar/innovations?limit=500").json()["items"]
    }
    assert mine, "Dinas Kesehatan works on innovations in the seed"
    for partner in seeded.get("/api/v1/actors/dinkes-banjar/partners?limit=500").json()["items"]:
        assert set(partner["shared_innovations"]) <= mine
        if not partner["shared_innovations"]:
            assert partner["partnership"] is not None


def test_common_ground_is_symmetric(seeded: TestClient) -> None:
    ab = seeded.get("/api/v1/actors/dinkes-banjar/common/bappedalitbang-banjar").json()
    ba = seeded.get("/api/v1/actors/bappedalitbang-banjar/common/dinkes-banjar").json()
    assert ab["innovations"] == ba["innovations"] and ab["partners"] == ba["partners"]


def test_coverage_gaps_list_every_innovation_below_threshold(seeded: TestClient) -> None:
    page = seeded.get("/api/v1/innovations/coverage-gaps", params={"threshold": 3, "limit": 500})
    gaps = page.json()["items"]
    assert page.json()["total"] == len(gaps)
    assert gaps, "the seed has innovations carried by one or two kinds"
    assert all(g["coverage"] < 3 and len(g["missing"]) == len(Helix) - g["coverage"] for g in gaps)
    assert [g["coverage"] for g in gaps] == sorted(g["coverage"] for g in gaps)
    for gap in gaps[:5]:
        assert gap["coverage"] == len({h for _, h in active_ties(gap["innovation_id"])})


def test_at_date_before_any_tie_sees_nothing(seeded: TestClient) -> None:
    body = seeded.get("/api/v1/innovations/geolasting/collaborators", params={"at": "2000-01-01"})
    assert body.json()["coverage"] == 0


def test_coverage_thresholds_run_up_to_the_number_of_helix_kinds(seeded: TestClient) -> None:
    # The bound comes from the vocabulary (len(Helix)), not a literal six.
    for path in (
        "/api/v1/innovations/coverage-gaps",
        "/api/v1/innovations/under-connected",
        "/api/v1/analytics/innovations",
    ):
        assert seeded.get(path, params={"threshold": len(Helix)}).status_code == 200
        beyond = seeded.get(path, params={"threshold": len(Helix) + 1})
        assert beyond.status_code == 422 and "threshold" in beyond.json()["detail"]
    assert Settings(under_connected_threshold=len(Helix)).under_connected_threshold == len(Helix)
    with pytest.raises(ValidationError, match="under_connected_threshold"):
        Settings(under_connected_threshold=len(Helix) + 1)
