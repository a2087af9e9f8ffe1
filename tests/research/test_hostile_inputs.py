"""Inputs refused early and cheaply (issue 17): non-finite and out-of-range numbers, deep
nesting, unencodable text, control characters, zip bombs, endless problem lists, huge echoes,
offsets past the total, and store errors that named their internals."""

from __future__ import annotations

import io
import json
import re
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from defusedxml import ElementTree as SafeET
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from neo4j_support import free_port

from graph.bundle import load_seed
from graph.embedded import EmbeddedStore
from graph.errors import MAX_PROBLEMS
from graph.formats import Format, export_bytes, read_graph
from graph.models import Actor, GraphData, Innovation
from graph.neo4j.store import Neo4jStore
from graph.store import MAX_OFFSET, Store
from service.app import create_app
from service.settings import Settings

ACTOR = {"id": "baru", "name": "Baru", "helix": "ngo", "region": "63.03"}


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    store = EmbeddedStore(tmp_path / "data")
    store.load(load_seed())
    values: dict[str, Any] = {
        "auth": "off",
        "rate_limit_per_minute": 0,
        "max_import_unpacked_bytes": 2_000_000,
        "max_import_rows": 20_000,
    }
    with TestClient(create_app(Settings(data_dir=tmp_path, **values), store=store)) as test:
        yield test
    store.close()


def post_raw(client: TestClient, url: str, body: bytes) -> Any:
    return client.post(url, content=body, headers={"Content-Type": "application/json"})


@pytest.mark.parametrize(
    ("url", "body", "named"),
    [
        ("/api/v1/cypher", b'{"query": Infinity}', "Infinity"),
        ("/api/v1/analytics/what-if", b'{"remove_actors": NaN}', "NaN"),
        ("/api/v1/actors", b'{"id": "x", "name": NaN, "helix": "ngo", "region": "63.03"}', "NaN"),
        ("/api/v1/cypher", b'{"query": "RETURN $x", "parameters": {"x": 1e999}}', "range"),
        ("/api/v1/cypher", b'{"query": "RETURN $x", "parameters": {"x": 1' + b"0" * 30 + b"}}", "64-bit"),
        ("/api/v1/cypher", b'{"query": "RETURN $x", "parameters": {"x": ' + b"[" * 900 + b"]" * 900 + b"}}", "deeper"),
        ("/api/v1/import", b'{"nodes": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", "deeper"),
        ("/api/v1/actors", b'{"id": "s", "name": "a\\ud800", "helix": "ngo", "region": "63.03"}', "surrogate"),
    ],
    ids=["infinity", "nan-what-if", "nan-actor", "1e999", "huge-int", "deep-900", "deep-import", "surrogate"],
)  # fmt: skip
def test_unrepresentable_json_answers_422_naming_it(
    client: TestClient, url: str, body: bytes, named: str
) -> None:
    response = post_raw(client, url, body)
    assert response.status_code == 422, response.text
    assert named in response.json()["detail"]


@pytest.mark.parametrize(
    "name", ["a\x00b", "bell\x07", "tab\there", "new\nline", "x\u202ey", "\u2066iso"]
)
def test_control_and_bidi_characters_are_refused_in_names(client: TestClient, name: str) -> None:
    response = client.post("/api/v1/actors", json={**ACTOR, "name": name})
    assert response.status_code == 422, response.text
    assert "is not allowed in a name" in response.json()["detail"]


def test_descriptions_keep_tab_and_newline_but_not_other_controls(client: TestClient) -> None:
    ok = client.post("/api/v1/actors", json={**ACTOR, "description": "satu\tdua\ntiga"})
    assert ok.status_code == 201, ok.text
    bad = client.post("/api/v1/actors", json={**ACTOR, "id": "lain", "description": "a\x1bb"})
    assert bad.status_code == 422 and "U+001B" in bad.json()["detail"]


def test_a_422_quotes_only_a_short_excerpt(client: TestClient) -> None:
    response = client.post("/api/v1/actors", json={**ACTOR, "name": "x" * 900_000})
    assert response.status_code == 422
    assert len(response.content) < 2_000, len(response.content)
    assert "900000 characters" in response.text


def csv_zip(nodes: bytes, edges: bytes = b"source,target,edge_type\n") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("nodes.csv", nodes)
        archive.writestr("edges.csv", edges)
    return buffer.getvalue()


def test_a_zip_bomb_is_refused_while_unpacking(client: TestClient) -> None:
    bomb = csv_zip(b"id,node_type,label\n" + b"x" * 50_000_000)  # 50 MB in ~50 KB
    assert len(bomb) < 100_000
    start = time.perf_counter()
    response = client.post("/api/v1/import", content=bomb)
    assert response.status_code == 422, response.text[:300]
    assert "unpacks to more than 2000000 bytes" in response.json()["detail"]
    assert time.perf_counter() - start < 5
    assert len(response.content) < 2_000


def test_row_budget_and_capped_problem_lists(client: TestClient) -> None:
    bad_rows = b"".join(b"actor:a%d,actor,A\n" % i for i in range(5_000))  # helix missing
    response = client.post("/api/v1/import", content=csv_zip(b"id,node_type,label\n" + bad_rows))
    assert response.status_code == 422
    problems = response.json()["problems"]
    assert len(problems) == MAX_PROBLEMS + 1
    more = re.fullmatch(r"\.\.\. and (\d+) more problems", problems[-1])
    assert more and int(more[1]) >= 5_000 - MAX_PROBLEMS, problems[-1]  # every row is wrong
    assert len(response.content) < 30_000
    many = b"".join(b"actor:a%d,actor,A\n" % i for i in range(20_001))
    over = client.post("/api/v1/import", content=csv_zip(b"id,node_type,label\n" + many))
    assert over.status_code == 422
    assert "more than 20000 nodes, edges or rows" in over.json()["detail"]


def test_rows_over_the_default_budget_are_refused_before_they_are_built(tmp_path: Path) -> None:
    # 1.4 million rows (20 MiB) in a 37 KB zip, under the default 1,000,000-row budget: counted
    # before any row is built (building them took 30 s and 640 MB, with /healthz stalled 2.4 s).
    store = EmbeddedStore(tmp_path / "data")
    settings_ = Settings(data_dir=tmp_path, auth="off", rate_limit_per_minute=0)  # type: ignore[arg-type]
    bomb = csv_zip(b"id,node_type,name\n" + b"x,innovation,\n" * 1_400_000)
    assert len(bomb) < 60_000
    with TestClient(create_app(settings_, store=store)) as client:
        start = time.perf_counter()
        response = client.post("/api/v1/import", content=bomb)
        elapsed = time.perf_counter() - start
    store.close()
    assert response.status_code == 422, response.text[:300]
    assert "more than 1000000 nodes, edges or rows" in response.json()["detail"]
    assert elapsed < 5, elapsed


def test_offsets_past_the_total_give_an_empty_page_on_both_stores(
    store: Store, tmp_path: Path
) -> None:
    store.load(load_seed())
    settings_ = Settings(data_dir=tmp_path, auth="off")  # type: ignore[arg-type]
    with TestClient(create_app(settings_, store=store)) as client:
        for path in ("/api/v1/innovations", "/api/v1/actors", "/api/v1/collaborations"):
            for offset in (10_000, MAX_OFFSET):
                page = client.get(path, params={"offset": offset, "limit": 500})
                assert page.status_code == 200, page.text
                assert page.json()["items"] == [] and page.json()["total"] > 0
            beyond = client.get(path, params={"offset": MAX_OFFSET + 1})
            assert beyond.status_code == 422, beyond.text


def test_an_unreachable_neo4j_is_reported_without_its_address(tmp_path: Path) -> None:
    uri = f"bolt://127.0.0.1:{free_port()}"
    store = Neo4jStore(uri, "neo4j", "secret-password", connection_timeout=1.0)
    settings_ = Settings(data_dir=tmp_path)  # auth on: anonymous readers
    try:
        with TestClient(create_app(settings_, store=store)) as client:
            response = client.get("/api/v1/actors")
        assert response.status_code == 503
        assert response.headers["Retry-After"]
        assert "127.0.0.1" not in response.text and "bolt" not in response.text.lower()
        assert "unavailable" in response.json()["detail"]
    finally:
        store.close()


# -- exports of arbitrary (allowed) names ------------------------------------------------------
ALLOWED = st.characters(
    blacklist_categories=("Cs",),  # no surrogates (JSON and UTF-8 cannot carry them)
    blacklist_characters="\x7f\ufffe\uffff\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069",
    min_codepoint=0x20,
).filter(lambda c: not 0x80 <= ord(c) <= 0x9F)
NAMES = st.text(ALLOWED, min_size=1, max_size=40).map(str.strip).filter(bool)
TEXTS = st.text(st.one_of(ALLOWED, st.sampled_from("\t\n")), max_size=60)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(actor_name=NAMES, innovation_name=NAMES, description=TEXTS)
def test_exports_of_any_allowed_names_are_well_formed_and_round_trip(
    actor_name: str, innovation_name: str, description: str
) -> None:
    data = GraphData(
        actors=[
            Actor(id="a", name=actor_name, helix="ngo", region="63.03", description=description)
        ],  # type: ignore[arg-type]
        innovations=[
            Innovation(id="i", name=innovation_name, origin="perangkat_daerah", region="63.03")  # type: ignore[arg-type]
        ],
    )
    for fmt in (Format.GRAPHML, Format.GEXF):
        content = export_bytes(data, fmt)
        SafeET.fromstring(content, forbid_dtd=True)  # well-formed XML
        back = read_graph(content, fmt).data
        assert back.actors[0].name == actor_name, fmt
        assert back.innovations[0].name == innovation_name, fmt
        # XML turns \r\n into \n; the models refuse \r, so nothing is lost.
        assert back.actors[0].description == description, fmt
    assert json.loads(export_bytes(data, Format.JSON))
