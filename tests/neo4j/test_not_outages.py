"""A Neo4j error that is not an outage is not reported as one: a write transaction terminated
on the server (as an administrator's `TERMINATE TRANSACTIONS` or a lock client stopped does)
fails as StoreFailed (500, no `Retry-After`), writes nothing, and leaves the circuit closed, so
the next request goes to Neo4j as usual instead of failing fast."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from conftest import make_store
from factories import actor
from fastapi.testclient import TestClient

from graph.errors import HexahelixError, StoreFailed, StoreUnavailable
from graph.models import GraphData
from graph.neo4j.store import Neo4jStore
from service.app import create_app
from service.settings import Settings

pytestmark = [pytest.mark.neo4j, pytest.mark.slow]

LOADING = (
    "SHOW TRANSACTIONS YIELD transactionId AS id, currentQuery "
    "WHERE currentQuery CONTAINS 'UNWIND $rows' AND NOT currentQuery STARTS WITH 'SHOW' "
    "RETURN id"
)


def terminate_the_load(store: Neo4jStore, done: threading.Event) -> bool:
    """Terminate the bulk load as soon as the server shows it; whether it was terminated."""
    while not done.is_set():
        with store.driver.session(database="system") as session:
            ids = [r["id"] for r in session.run(LOADING)]
            if ids:
                session.run("TERMINATE TRANSACTIONS $ids", ids=ids).consume()
                return True
        time.sleep(0.01)
    return False


def test_a_terminated_write_is_a_failure_not_an_outage(tmp_path: Path) -> None:
    store = make_store("neo4j", tmp_path)
    assert isinstance(store, Neo4jStore)
    # large enough that the load is still running when the server lists it
    bundle = GraphData(actors=[actor(f"load-{n:05d}") for n in range(20_000)])
    settings = Settings(data_dir=tmp_path / "app", auth="off")
    try:
        with TestClient(create_app(settings, store=store)) as client:
            done = threading.Event()
            failures: list[HexahelixError] = []

            def load() -> None:
                try:
                    store.load(bundle)
                except HexahelixError as exc:
                    failures.append(exc)
                finally:
                    done.set()

            loader = threading.Thread(target=load)
            loader.start()
            terminated = terminate_the_load(store, done)
            loader.join()
            assert terminated, "the load finished before the server listed it"
            assert len(failures) == 1
            assert isinstance(failures[0], StoreFailed), failures[0]
            assert not isinstance(failures[0], StoreUnavailable)
            assert "terminated" in str(failures[0]).lower()
            assert store.is_empty()  # rolled back: nothing of the load was written
            # the circuit stayed closed: the next requests reach Neo4j and succeed
            assert client.get("/readyz").status_code == 200
            created = client.post("/api/v1/actors", json=actor("after").model_dump(mode="json"))
            assert created.status_code == 201, created.text
    finally:
        store.close()
