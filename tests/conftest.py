"""Shared fixtures: `store` runs a test once per store adapter in STORE_KINDS.

The "neo4j" kind needs a real server; tests/neo4j_support.py finds or starts one once per session
(skipping those tests with the reason if there is none, failing instead when
HEXAHELIX_REQUIRE_NEO4J=1). Tests using it carry the `neo4j` marker, so `-m "not neo4j"` leaves
them out and no server is started.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from neo4j_support import NEO4J, Neo4jServer, local_neo4j_problem, required
from pydantic import SecretStr

from graph.bundle import load_seed
from graph.neo4j import Neo4jStore
from graph.store import Store
from service.compose import open_store
from service.settings import Settings, StoreKind

STORE_KINDS: list[str] = ["embedded", "neo4j"]

# Starlette's test client sends `Host: testserver`. Only the tests trust that name (production's
# default is 127.0.0.1, localhost and HEXAHELIX_HOST): every Settings built here reads this.
TEST_HOSTS = "127.0.0.1,localhost,testserver"
os.environ["HEXAHELIX_TRUSTED_HOSTS"] = TEST_HOSTS


def neo4j_server() -> Neo4jServer:
    """The session's Neo4j server; skips the calling test (or fails, in CI) without one."""
    server = NEO4J.get()
    if server is None:
        message = f"NEO4J UNAVAILABLE: {NEO4J.reason}"
        if required():
            pytest.fail(f"{message} (and HEXAHELIX_REQUIRE_NEO4J=1 forbids skipping)")
        pytest.skip(message)
    return server


def store_settings(kind: str, tmp_path: Path) -> Settings:
    """Settings choosing a store of `kind` (embedded in `tmp_path`, or the session's Neo4j)."""
    settings = Settings(store=StoreKind(kind), data_dir=tmp_path / "data")
    if settings.store is StoreKind.NEO4J:
        server = neo4j_server()
        settings = settings.model_copy(
            update={
                "neo4j_uri": server.uri,
                "neo4j_user": server.user,
                "neo4j_password": SecretStr(server.password),
                "neo4j_database": "neo4j",
            }
        )
    return settings


def make_store(kind: str, tmp_path: Path) -> Store:
    """A fresh, empty store of the given kind, opened by the composition root."""
    store = open_store(store_settings(kind, tmp_path))
    if kind == "neo4j":
        store.clear()
    return store


@pytest.fixture(params=STORE_KINDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """An empty store of each kind, closed after the test."""
    s = make_store(request.param, tmp_path)
    try:
        yield s
    finally:
        s.close()


@pytest.fixture
def seeded_neo4j(tmp_path: Path) -> Iterator[Neo4jStore]:
    """A Neo4j store holding the Banjar seed, closed after the test."""
    store = make_store("neo4j", tmp_path)
    assert isinstance(store, Neo4jStore)
    store.load(load_seed())
    try:
        yield store
    finally:
        store.close()


def _uses_neo4j(item: pytest.Item) -> bool:
    callspec = getattr(item, "callspec", None)
    if callspec is not None and "neo4j" in callspec.params.values():
        return True
    cls = getattr(item, "cls", None)
    if cls is not None and cls.__name__.endswith("_neo4j"):  # tests generated per store kind
        return True
    return "neo4j" in Path(str(item.path)).parts


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test that runs on the Neo4j store (or under tests/neo4j/) with `neo4j`."""
    for item in items:
        if _uses_neo4j(item):
            item.add_marker(pytest.mark.neo4j)


@pytest.fixture(autouse=True)
def _neo4j_gate(request: pytest.FixtureRequest) -> None:
    """Resolve the server before a `neo4j` test runs: skip it (or fail in CI) if there is none."""
    if request.node.get_closest_marker("neo4j") is None:
        return
    if getattr(request.module, "OWN_NEO4J", False):  # starts private servers itself
        problem = local_neo4j_problem()
        if problem is not None:
            if required():
                pytest.fail(f"NEO4J UNAVAILABLE: {problem} (HEXAHELIX_REQUIRE_NEO4J=1)")
            pytest.skip(f"NEO4J UNAVAILABLE: {problem}")
        return
    neo4j_server()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Stop the Neo4j server the session started, if any."""
    NEO4J.stop()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say loudly when the Neo4j tests did not run, and which server they used when they did."""
    if NEO4J.used and NEO4J.server is None:
        terminalreporter.write_line(f"NEO4J TESTS SKIPPED: {NEO4J.reason}", red=True, bold=True)
    elif NEO4J.server is not None:
        terminalreporter.write_line(f"neo4j tests ran against {NEO4J.server.how}")
