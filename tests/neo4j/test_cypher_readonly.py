"""POST /api/v1/cypher: reads answer as JSON; anything else is refused and changes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import make_store
from fastapi.testclient import TestClient

from graph.bundle import load_seed
from graph.embedded import EmbeddedStore
from graph.models import GraphData
from graph.neo4j import Neo4jStore
from graph.neo4j.readonly import QueryRefused, check_text
from graph.research import Limits
from service.access import Role
from service.app import create_app
from service.settings import Settings

URL = "/api/v1/cypher"


def app_for(store: object, tmp_path: Path, auth: str = "off") -> TestClient:
    settings = Settings(data_dir=tmp_path, auth=auth)  # type: ignore[arg-type]
    return TestClient(create_app(settings, store=store))  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, Neo4jStore]]:
    tmp = tmp_path_factory.mktemp("cypher")
    store = make_store("neo4j", tmp)
    assert isinstance(store, Neo4jStore)
    store.load(load_seed())
    with app_for(store, tmp) as client:
        yield client, store
    store.close()


def test_reads_answer_with_nodes_relationships_paths_and_dates(
    seeded: tuple[TestClient, Neo4jStore],
) -> None:
    client, _ = seeded
    body = {
        "query": """MATCH p = (a:Actor)-[c:COLLABORATES_ON]->(i:Innovation {region: $r})
                    RETURN a, c, i, p, c.since AS since ORDER BY a.id, i.id LIMIT 3""",
        "parameters": {"r": "63.03"},
    }
    response = client.post(URL, json=body)
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["columns"] == ["a", "c", "i", "p", "since"]
    a, c, i, p, since = answer["rows"][0]
    assert a["labels"] == ["Actor"] and "id" in a["properties"] and a["element_id"]
    assert c["type"] == "COLLABORATES_ON" and (c["start"], c["end"]) == (
        a["element_id"],
        i["element_id"],
    )
    assert len(p["nodes"]) == 2 and len(p["relationships"]) == 1
    assert isinstance(since, str) and since == c["properties"]["since"]
    labels = client.post(URL, json={"query": "CALL db.labels() YIELD label RETURN label"})
    assert labels.status_code == 200 and ["Innovation"] in labels.json()["rows"]
    count = client.post(URL, json={"query": "MATCH (i:Innovation) RETURN count(i) AS n"})
    assert count.json()["rows"] == [[55]]


def test_row_cap_truncates(seeded: tuple[TestClient, Neo4jStore]) -> None:
    client, _ = seeded
    response = client.post(URL, json={"query": "UNWIND range(1, 5000) AS x RETURN x"})
    answer = response.json()
    assert answer["truncated"] and len(answer["rows"]) == Limits().max_rows


HOSTILE = [
    "CREATE (:Actor {id: 'evil'})",
    "MATCH (a:Actor) SET a.name = 'x'",
    "MATCH (n) DETACH DELETE n",
    "MATCH (a:Actor) CALL (a) { SET a.pwned = true } RETURN count(*)",
    "MATCH (a:Actor) WITH a LIMIT 1 CALL { MERGE (:Innovation {id: 'evil'}) } RETURN a",
    "MATCH (a:Actor) FOREACH (x IN [1] | CREATE (:Actor {id: 'evil'})) RETURN a",
    "MATCH (a:Actor) RETURN a UNION MATCH (b:Actor) REMOVE b.name RETURN b AS a",
    "LOAD CSV FROM 'file:///etc/passwd' AS row RETURN row",
    "load csv from 'http://169.254.169.254/latest/meta-data/' as row return row",
    "LoAd /* hidden */ CSV WITH HEADERS FROM 'https://example.org/x.csv' AS r RETURN r",
    "CALL dbms.components()",
    "CALL dbms.listConfig() YIELD name RETURN name",
    "CALL dbms.security.createUser('x', 'y', false)",
    "CALL db.createLabel('Evil')",
    "CALL db.index.fulltext.createNodeIndex('x', ['Actor'], ['name'])",
    "CALL dbms.killQueries(['1'])",
    "CALL { MATCH (n) DETACH DELETE n } IN TRANSACTIONS OF 10 ROWS",
    "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS",
    "SHOW DATABASES",
    "SHOW USERS",
    "show /* x */ transactions",
    "TERMINATE TRANSACTIONS 'neo4j-transaction-1'",
    "USE system SHOW USERS",
    "USE neo4j MATCH (n) RETURN n",
    "CREATE USER evil SET PASSWORD 'password1'",
    "GRANT ROLE admin TO neo4j",
    "DROP CONSTRAINT actor_id",
    "CREATE INDEX evil FOR (n:Actor) ON (n.evil)",
    "STOP DATABASE neo4j",
    "EXPLAIN MATCH (n) RETURN n",
    "PROFILE MATCH (n) DETACH DELETE n",
    "MATCH (n) RETURN n; MATCH (n) DETACH DELETE n",
    "MATCH (n) RETURN n // comment\n; CREATE (:X)",
    "cReAtE (:Actor {id: 'evil'})",
    "MATCH (a) /* RETURN a */ DELETE a",
    "MATCH (a:Actor) WITH a MERGE (a)-[:PART_OF]->(a) RETURN a",
    "RETURN " + "(" * 200 + "1" + ")" * 200,
    "MATCH (n) WHERE n.name = '" + "x" * 10_000 + "' RETURN n",
    "CALL apoc.cypher.runWrite('CREATE (:Evil)', {})",
]


@pytest.mark.parametrize("query", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_queries_are_refused_and_change_nothing(
    seeded: tuple[TestClient, Neo4jStore], query: str
) -> None:
    client, store = seeded
    before, version = store.snapshot(), store.version()
    response = client.post(URL, json={"query": query})
    assert response.status_code in (400, 403, 422), (query, response.text)
    assert response.json()["detail"]
    assert store.snapshot() == before
    assert store.version() == version
    extra = store.driver.execute_query("MATCH (n) WHERE n:Evil OR n.id = 'evil' RETURN count(n)")
    assert extra.records[0][0] == 0


def test_timeout_is_reported(seeded: tuple[TestClient, Neo4jStore]) -> None:
    client, _ = seeded
    slow = "UNWIND range(1, 100000000) AS x WITH x WHERE x % 7 = 99 RETURN count(x)"
    response = client.post(URL, json={"query": slow, "timeout_seconds": 1})
    assert response.status_code == 408, response.text
    assert "timed out after 1 s" in response.json()["detail"]


def test_raised_limits_need_an_admin_key(
    seeded: tuple[TestClient, Neo4jStore], tmp_path: Path
) -> None:
    client, store = seeded
    many = {"query": "UNWIND range(1, 5000) AS x RETURN x", "max_rows": 3000}
    with app_for(store, tmp_path, auth="on") as keyed:
        reader = {"X-API-Key": keyed.app.state.services.access.create_key("reader", Role.READER)}  # type: ignore[attr-defined]
        refused = keyed.post(URL, json=many, headers=reader)
        assert refused.status_code == 403 and "admin" in refused.json()["detail"]
        within = keyed.post(URL, json={**many, "max_rows": 10}, headers=reader)
        assert within.status_code == 200 and len(within.json()["rows"]) == 10
    as_admin = client.post(URL, json=many)  # auth off: every request acts as admin
    assert as_admin.status_code == 200 and len(as_admin.json()["rows"]) == 3000


def test_embedded_store_answers_501(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "data")
    try:
        with app_for(store, tmp_path) as client:
            response = client.post(URL, json={"query": "RETURN 1"})
        assert response.status_code == 501
        assert "Neo4j" in response.json()["detail"]
    finally:
        store.close()


def test_text_check_ignores_words_in_strings_and_comments() -> None:
    check_text("MATCH (a:Actor) WHERE a.name CONTAINS 'load csv; show use' RETURN a // drop")
    with pytest.raises(QueryRefused):
        check_text("MATCH (a) RETURN a /* ok */ ; SHOW USERS")


@pytest.mark.parametrize("end", ["\r", "\u2028", "\x85"])
def test_a_line_comment_ends_where_neo4j_ends_it(end: str) -> None:
    # Neo4j ends `//` at a carriage return: the words after it are code, not comment.
    for hidden in ("LOAD CSV FROM 'file:///etc/passwd' AS r RETURN r", "SHOW USERS"):
        with pytest.raises(QueryRefused):
            check_text(f"RETURN 1 // note{end}{hidden}")
    assert GraphData() == GraphData()
