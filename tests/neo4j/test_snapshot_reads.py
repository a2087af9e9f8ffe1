"""Whole-graph reads on Neo4j answer maps, not nodes or relationships.

The driver keeps every node and relationship a query returns in its result's graph
(`Result.graph()`) until the transaction ends. A national snapshot returned as entities held
about 700 MiB of them beside the records built from them (the worker peaked at 2.3 GiB); as maps
it holds none. These tests read the snapshot's and the list pages' queries through the driver,
the way the store runs them, and check that nothing is left in the result's graph (that the
records still carry every field is the contract suite's snapshot round trip, on both stores).
"""

from __future__ import annotations

from typing import Any

import pytest

from graph.bundle import load_seed
from graph.kinds import KINDS
from graph.neo4j import Neo4jStore
from graph.neo4j import cypher as q
from graph.neo4j import store as neo4j_store

BANJAR = "63.03"


def entities_left(store: Neo4jStore, query: str, params: dict[str, Any]) -> tuple[int, int]:
    """(records read, nodes + relationships left in the result's graph after reading them);
    a snapshot query's rows each hold a list of records, page by page (`cypher.chunked`)."""
    read = left = 0
    after: str | None = ""
    with store.driver.session(database=store.database) as session:
        while after is not None:
            paged = "after" in query
            result = session.run(query, params | ({"after": after} if paged else {}))
            # `in` on a driver record searches its values, not its keys.
            rows = list(result)
            read += sum(len(r["rows"]) if "rows" in r.keys() else 1 for r in rows)  # noqa: SIM118
            graph = result.graph()
            left += len(graph.nodes) + len(graph.relationships)
            after = rows[0]["last"] if paged else None
    return read, left


def test_the_whole_snapshot_leaves_no_entity_in_the_driver(seeded_neo4j: Neo4jStore) -> None:
    read = 0
    for section, query in q.snapshot_queries(scoped=False).items():
        rows, left = entities_left(seeded_neo4j, query, {"chunk": 1000})
        assert left == 0, f"{section}: {left} nodes/relationships kept by the driver"
        read += rows
    assert read == sum(load_seed().counts().values())


def test_a_region_snapshot_leaves_no_entity_in_the_driver(seeded_neo4j: Neo4jStore) -> None:
    with seeded_neo4j.driver.session(database=seeded_neo4j.database) as session:
        scope = session.run(q.REGION_SCOPE, region=BANJAR).single(strict=True)
    params = {"inn": scope["inn"], "act": scope["act"], "chunk": 1000}
    assert params["inn"], "the seed has innovations in Banjar"
    for section, query in q.snapshot_queries(scoped=True).items():
        rows, left = entities_left(seeded_neo4j, query, params)
        assert left == 0, f"{section}: {left} nodes/relationships kept by the driver"
        assert rows or section in ("builds_on",), f"{section}: nothing read in Banjar"


@pytest.mark.parametrize("kind", KINDS, ids=[k.section for k in KINDS])
def test_a_list_page_leaves_no_entity_in_the_driver(seeded_neo4j: Neo4jStore, kind: Any) -> None:
    query = q.scan(kind, "", paged=True)
    rows, left = entities_left(seeded_neo4j, query, {"offset": 0, "limit": 50})
    assert rows > 0
    assert left == 0


def test_the_snapshot_is_the_same_in_chunks_of_any_size(
    seeded_neo4j: Neo4jStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The snapshot reads each kind in rows of SNAPSHOT_CHUNK records: the order and the records
    # must not depend on where the chunks end.
    whole, region = seeded_neo4j.snapshot(), seeded_neo4j.snapshot(BANJAR)
    assert len(whole.collaborations) > 2 * 3
    monkeypatch.setattr(neo4j_store, "SNAPSHOT_CHUNK", 3)
    assert seeded_neo4j.snapshot() == whole
    assert seeded_neo4j.snapshot(BANJAR) == region
    monkeypatch.setattr(neo4j_store, "SNAPSHOT_CHUNK", 1)
    assert seeded_neo4j.snapshot(BANJAR) == region
