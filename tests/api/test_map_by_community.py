"""A region with more nodes than the map draws one by one (`MAX_DRAWN_NODES`, lowered here to
fit the Banjar seed) is answered by community: one node per Louvain community of
`/analytics/communities` (the same numbers, sizes and helix mix), each innovation in the
community holding most of its actors, the ties between communities counted with their
illustrative share; `community=` draws one community. Both stores."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from graph.provenance import is_reported

LIMIT = 20
DAY = date.today().isoformat()


def _region(client: TestClient) -> str:
    region = client.get("/api/v1/map/regions").json()["default"]
    assert region
    return str(region)


def _full(client: TestClient, region: str) -> dict[str, Any]:
    """The region drawn node by node (the default limit). `provenance=all` is the default: it
    is spelt out so the response cache (keyed on the raw query) keeps this answer apart from
    the ones asked after the limit is lowered."""
    body: dict[str, Any] = client.get(
        "/api/v1/map", params={"region": region, "at": DAY, "provenance": "all"}
    ).json()
    assert body["view"] == "nodes" and body["node_count"] > LIMIT and body["innovations"]
    return body


@pytest.fixture
def lowered(seeded: TestClient, monkeypatch: pytest.MonkeyPatch) -> tuple[TestClient, str, dict]:
    region = _region(seeded)
    full = _full(seeded, region)
    monkeypatch.setattr("graph.mapview.MAX_DRAWN_NODES", LIMIT)
    return seeded, region, full


def _expected_communities(full: dict[str, Any], members: dict[int, set[str]]) -> dict[str, int]:
    """Each innovation's community, computed here from the drawn ties: most actors, then the
    lower number."""
    of_actor = {a: c for c, group in members.items() for a in group}
    votes: dict[str, Counter[int]] = {}
    for tie in full["collaborations"]:
        votes.setdefault(tie["innovation_id"], Counter())[of_actor[tie["actor_id"]]] += 1
    return {i: min(v.items(), key=lambda kv: (-kv[1], kv[0]))[0] for i, v in votes.items()}


def test_a_region_over_the_draw_limit_is_answered_by_community(lowered: tuple) -> None:
    client, region, full = lowered
    answer = client.get("/api/v1/map", params={"region": region, "at": DAY})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["view"] == "communities" and body["draw_limit"] == LIMIT
    assert body["too_large"] is False and body["community"] is None
    assert body["node_count"] == full["node_count"]
    for drawn in ("innovations", "actors", "collaborations", "partnerships", "aggregate"):
        assert body[drawn] == [], drawn
    assert body["illustrative"] == full["illustrative"]
    for header in ("ETag", "Hexahelix-Graph-Version", "Hexahelix-Computed-At-Version"):
        assert header in answer.headers, header
    assert answer.headers["Hexahelix-Stale"] == "false"

    # The dashboard's communities, not another partition.
    analytics = client.get(
        "/api/v1/analytics/communities", params={"region": region, "at": DAY}
    ).json()["communities"]
    members = {c["id"]: set(c["actors"]) for c in analytics}
    nodes = {c["id"]: c for c in body["communities"]}
    assert set(nodes) == set(members)
    drawn_actors = {a["id"]: a for a in full["actors"]}
    for community in analytics:
        node = nodes[community["id"]]
        assert node["actors"] == len(members[community["id"]] & set(drawn_actors))
        assert node["helix_mix"] == community["helix_mix"]
        assert node["top_actors"] == community["top_actors"]
        assert node["illustrative_actors"] == sum(
            drawn_actors[a]["provenance"] == "illustrative"
            for a in members[community["id"]] & set(drawn_actors)
        )
    assert body["actors_without_community"] == 0

    # Innovations: each in the community holding most of its actors.
    expected = _expected_communities(full, members)
    carried = Counter(expected.values())
    for c, node in nodes.items():
        assert node["innovations"] == carried[c], c
    assert body["innovations_without_community"] == len(full["innovations"]) - len(expected)

    # Ties: inside a community, or between two, each counted once, invented ones told apart.
    of_actor = {a: c for c, group in members.items() for a in group}
    inside: Counter[int] = Counter()
    between: Counter[tuple[int, int]] = Counter()
    invented: Counter[tuple[int, int]] = Counter()
    ends = [
        (of_actor[t["actor_id"]], expected[t["innovation_id"]], t["source"])
        for t in full["collaborations"]
    ] + [
        (of_actor[p["source_id"]], of_actor[p["target_id"]], p["source"])
        for p in full["partnerships"]
    ]
    for a, b, source in ends:
        if a == b:
            inside[a] += 1
        else:
            pair = (min(a, b), max(a, b))
            between[pair] += 1
            invented[pair] += not is_reported(source)
    assert {c: n["ties_inside"] for c, n in nodes.items()} == {c: inside[c] for c in nodes}
    assert {(t["source"], t["target"]): t["ties"] for t in body["community_ties"]} == dict(between)
    assert {(t["source"], t["target"]): t["illustrative"] for t in body["community_ties"]} == dict(
        invented
    )
    assert all(t["source"] < t["target"] for t in body["community_ties"])
    # Positions: every community placed, no two on the same spot.
    spots = {(n["x"], n["y"]) for n in body["communities"]}
    assert len(spots) == len(body["communities"])


def test_a_community_drills_down_to_its_nodes_and_ties(lowered: tuple) -> None:
    client, region, full = lowered
    overview = client.get("/api/v1/map", params={"region": region, "at": DAY}).json()
    analytics = client.get(
        "/api/v1/analytics/communities", params={"region": region, "at": DAY}
    ).json()["communities"]
    members = {c["id"]: set(c["actors"]) for c in analytics}
    expected = _expected_communities(full, members)
    seen_innovations: set[str] = set()
    seen_actors: set[str] = set()
    for node in overview["communities"]:
        c = node["id"]
        answer = client.get("/api/v1/map", params={"region": region, "at": DAY, "community": c})
        assert answer.status_code == 200, answer.text
        body = answer.json()
        assert body["view"] == "nodes" and body["community"] == c
        actors = {a["id"] for a in body["actors"]}
        innovations = {i["id"] for i in body["innovations"]}
        assert actors == members[c]
        assert innovations == {i for i, k in expected.items() if k == c}
        assert body["node_count"] == len(actors) + len(innovations)
        assert len(actors) == node["actors"] and len(innovations) == node["innovations"]
        # Only the ties between its own nodes, all of them, as the region's map has them.
        inside = [
            t
            for t in full["collaborations"]
            if t["actor_id"] in actors and t["innovation_id"] in innovations
        ]
        assert body["collaborations"] == inside
        assert len(body["collaborations"]) + len(body["partnerships"]) == node["ties_inside"]
        assert all(
            p["source_id"] in actors and p["target_id"] in actors for p in body["partnerships"]
        )
        seen_innovations |= innovations
        seen_actors |= actors
    assert seen_actors == {a["id"] for a in full["actors"]}
    assert seen_innovations == set(expected)


def test_an_unknown_community_or_a_bad_one_is_refused_by_name(lowered: tuple) -> None:
    client, region, _ = lowered
    count = len(client.get("/api/v1/map", params={"region": region}).json()["communities"])
    missing = client.get("/api/v1/map", params={"region": region, "community": count})
    assert missing.status_code == 404
    assert f"community {count} not found" in missing.json()["detail"]
    for bad in ("-1", "zwei", "1.5"):
        answer = client.get("/api/v1/map", params={"region": region, "community": bad})
        assert answer.status_code == 422, bad
        assert "community" in answer.json()["detail"], answer.text


def test_the_answer_by_community_is_kept_per_version(lowered: tuple) -> None:
    """The same ETag for the same graph version (304 with it), a new one after a write."""
    client, region, _ = lowered
    first = client.get("/api/v1/map", params={"region": region})
    again = client.get(
        "/api/v1/map", params={"region": region}, headers={"If-None-Match": first.headers["ETag"]}
    )
    assert again.status_code == 304
    actor = client.get("/api/v1/map", params={"region": region, "community": 0}).json()["actors"][0]
    changed = client.patch(f"/api/v1/actors/{actor['id']}", json={"name": actor["name"] + " II"})
    assert changed.status_code == 200, changed.text
    after = client.get("/api/v1/map", params={"region": region})
    assert after.status_code == 200
    assert int(after.headers["Hexahelix-Graph-Version"]) > int(
        first.headers["Hexahelix-Graph-Version"]
    )
    drilled = client.get("/api/v1/map", params={"region": region, "community": 0}).json()
    assert actor["name"] + " II" in {a["name"] for a in drilled["actors"]}


def test_the_reported_part_is_grouped_by_its_own_communities(
    lowered: tuple, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`provenance=reported`: the reported part's communities, nothing invented in them."""
    client, region, _ = lowered
    monkeypatch.setattr("graph.mapview.MAX_DRAWN_NODES", 3)  # the reported part is small
    params = {"region": region, "provenance": "reported"}
    answer = client.get("/api/v1/map", params=params).json()
    analytics = client.get("/api/v1/analytics/communities", params=params).json()["communities"]
    assert answer["view"] == "communities" and answer["node_count"] > 3
    assert [c["id"] for c in answer["communities"]] == [c["id"] for c in analytics]
    assert sum(c["actors"] for c in answer["communities"]) == sum(c["size"] for c in analytics)
    assert all(c["illustrative_actors"] == 0 for c in answer["communities"])
    assert all(t["illustrative"] == 0 for t in answer["community_ties"])


def test_a_region_under_the_draw_limit_is_drawn_node_by_node(seeded: TestClient) -> None:
    """The Banjar seed region under the default limit: drawn as before."""
    region = _region(seeded)
    body = seeded.get("/api/v1/map", params={"region": region}).json()
    assert body["view"] == "nodes" and body["node_count"] <= body["draw_limit"]
    assert body["communities"] == [] and body["community_ties"] == []
    assert body["innovations"] and body["actors"]


def test_a_small_region_can_still_draw_one_community(seeded: TestClient) -> None:
    region = _region(seeded)
    body = seeded.get("/api/v1/map", params={"region": region, "community": 0}).json()
    assert body["view"] == "nodes" and body["community"] == 0 and body["actors"]


def test_a_reader_says_the_communities_are_being_computed_then_answers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An API process beside a worker (`analytics_compute=off`) never computes Louvain: until
    the worker has kept the region's communities, the answer by community is a 503 saying so
    (with `Retry-After`), never an error page; once kept, the overview."""
    from graph.bundle import load_seed
    from graph.embedded import EmbeddedStore
    from service.app import create_app
    from service.compose import open_results
    from service.map_overview import KIND
    from service.settings import Settings
    from service.worker import Worker

    store = EmbeddedStore(tmp_path)
    store.load(load_seed())
    monkeypatch.setattr("graph.mapview.MAX_DRAWN_NODES", LIMIT)
    settings = Settings(data_dir=tmp_path, auth="off", analytics_compute="off")
    with TestClient(create_app(settings, store=store)) as reader:
        region = _region(reader)
        waiting = reader.get("/api/v1/map", params={"region": region})
        assert waiting.status_code == 503, waiting.text
        assert "being computed" in waiting.json()["detail"]
        assert waiting.headers["Retry-After"]
        results = open_results(settings, store)
        worker = Worker(store, settings, results)
        try:
            worker.run_once()  # the default region's analytics, communities included
            # ... and its overview by community, kept for every API process.
            version = store.version()
            overview = f"all|{region}|{DAY}|{version}|{version}"
            assert results.version_of(KIND, overview, version) is not None
        finally:
            worker.close()
            results.close()
        answer = reader.get("/api/v1/map", params={"region": region})
        assert answer.status_code == 200, answer.text
        assert answer.json()["view"] == "communities" and answer.json()["communities"]
    store.close()
