"""The seed in Neo4j: what lands in the database, checked through the driver with Cypher."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import make_store

from graph.bundle import load_seed
from graph.neo4j import Neo4jStore
from graph.vocab import Helix


@pytest.fixture
def neo(tmp_path: Path) -> Iterator[Neo4jStore]:
    store = make_store("neo4j", tmp_path)
    assert isinstance(store, Neo4jStore)
    try:
        yield store
    finally:
        store.close()


def cypher(store: Neo4jStore, query: str, **params: Any) -> list[dict[str, Any]]:
    records, _, _ = store.driver.execute_query(query, params, database_=store.database)
    return [r.data() for r in records]


def graph_shape(store: Neo4jStore) -> dict[str, int]:
    """Node counts by label and relationship counts by type."""
    nodes = cypher(store, "MATCH (n) RETURN labels(n)[0] AS label, count(*) AS n")
    rels = cypher(store, "MATCH ()-[r]->() RETURN type(r) AS type, count(*) AS n")
    return {row["label"]: row["n"] for row in nodes} | {row["type"]: row["n"] for row in rels}


def test_seed_loads_the_banjar_portfolio(neo: Neo4jStore, record_property: Any) -> None:
    seed = load_seed()
    started = time.perf_counter()
    assert neo.load(seed) == seed.counts()
    record_property("seed_load_seconds", round(time.perf_counter() - started, 3))

    banjar = cypher(neo, "MATCH (i:Innovation) WHERE i.region = $r RETURN count(i) AS n", r="63.03")
    assert banjar == [{"n": 54}]
    constraints = {row["name"]: row for row in cypher(neo, "SHOW CONSTRAINTS")}
    for name, label, prop in (
        ("innovation_id", "Innovation", "id"),
        ("actor_id", "Actor", "id"),
        ("region_code", "Region", "code"),
        ("helix_code", "Helix", "code"),
    ):
        assert constraints[name]["type"] == "UNIQUENESS"
        assert constraints[name]["labelsOrTypes"] == [label]
        assert constraints[name]["properties"] == [prop]
    indexes = {row["name"] for row in cypher(neo, "SHOW INDEXES")}
    assert {"innovation_origin", "innovation_region", "actor_helix", "actor_kind"} <= indexes

    # helix and region nodes, linked in sync with the properties
    helixes = cypher(neo, "MATCH (h:Helix) RETURN h.code AS code, h.name_id AS name ORDER BY code")
    assert {h["code"] for h in helixes} == {h.value for h in Helix}
    out_of_sync = cypher(
        neo,
        """MATCH (a:Actor)
           OPTIONAL MATCH (a)-[:IN_HELIX]->(h:Helix)
           WITH a, collect(h.code) AS codes WHERE codes <> [a.helix]
           RETURN count(a) AS n""",
    )
    assert out_of_sync == [{"n": 0}]
    unlinked = cypher(
        neo,
        """MATCH (n) WHERE (n:Innovation OR n:Actor)
             AND EXISTS { MATCH (r:Region) WHERE r.code = n.region }
             AND NOT EXISTS { (n)-[:IN_REGION]->(:Region {code: n.region}) }
           RETURN count(n) AS n""",
    )
    assert unlinked == [{"n": 0}]
    dates = cypher(neo, "MATCH ()-[c:COLLABORATES_ON]->() RETURN valueType(c.since) AS t LIMIT 1")
    assert dates[0]["t"].startswith("DATE")


def test_seeding_twice_gives_the_same_graph(neo: Neo4jStore) -> None:
    seed = load_seed()
    neo.load(seed)
    first, shape, version = neo.snapshot(), graph_shape(neo), neo.version()
    neo.load(seed)
    assert neo.snapshot() == first
    assert graph_shape(neo) == shape
    assert neo.version() == version + 1


def test_actor_update_moves_its_helix_and_region_links(neo: Neo4jStore) -> None:
    from factories import actor, region

    from graph.models import ActorPatch, GraphData

    neo.load(GraphData(regions=[region("63.03"), region("63.71")], actors=[actor("a")]))
    neo.update_actor("a", ActorPatch(helix=Helix.MEDIA, region="63.71"))
    links = cypher(
        neo,
        """MATCH (a:Actor {id: 'a'})
           RETURN [(a)-[:IN_HELIX]->(h) | h.code] AS helix,
                  [(a)-[:IN_REGION]->(r) | r.code] AS region""",
    )
    assert links == [{"helix": ["media"], "region": ["63.71"]}]
