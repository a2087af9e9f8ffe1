"""The store's driver asks the server for no notifications: a query naming a label or type the
database has never held (every query of the store on a new, empty database) logs nothing, so a
new user's first `hexahelix import` into Neo4j is not a screenful of server warnings."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from conftest import make_store

from graph.neo4j import Neo4jStore


def test_no_server_notifications_are_logged(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    store = make_store("neo4j", tmp_path)
    assert isinstance(store, Neo4jStore)
    try:
        with caplog.at_level(logging.INFO, logger="neo4j"):
            store.driver.execute_query(
                "MATCH (:NeverAHexahelixLabel)-[r:NEVER_A_HEXAHELIX_TYPE]->() RETURN count(r)",
                database_=store.database,
            )
        assert not [r for r in caplog.records if "notification" in r.getMessage().lower()]
    finally:
        store.close()
