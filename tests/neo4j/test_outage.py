"""Neo4j going away and coming back, under a running app, on a private server of its own.

The service starts before the database (schema created lazily), answers 503 with Retry-After
(never 500) while Neo4j is down, keeps /healthz up and /readyz not ready, and recovers by itself
when Neo4j is back — the same app object, no restart — with every acknowledged write present.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from factories import actor
from fastapi.testclient import TestClient
from neo4j_support import LocalNeo4j

from graph.errors import StoreFailed
from graph.neo4j import Neo4jStore
from service.app import create_app
from service.settings import Settings, StoreKind

pytestmark = [pytest.mark.neo4j, pytest.mark.slow]
OWN_NEO4J = True  # needs no session server: it runs its own (tests/conftest.py)


@pytest.fixture
def server() -> Iterator[LocalNeo4j]:
    """A private server (not started yet); stopped and removed afterwards."""
    local = LocalNeo4j.in_temp_dir("hexahelix-outage-")
    try:
        yield local
    finally:
        local.remove()


def wait_for(check: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.25)
    pytest.fail(f"{what} within {seconds} s")


def assert_unavailable(response: httpx.Response) -> None:
    assert response.status_code == 503, response.text
    assert int(response.headers["Retry-After"]) >= 1
    assert "Neo4j" in response.json()["detail"]


def test_service_outlives_neo4j_outages(server: LocalNeo4j, tmp_path: Path) -> None:
    store = Neo4jStore(server.uri, server.user, server.password)  # Neo4j not started yet
    settings = Settings(store=StoreKind.NEO4J, data_dir=tmp_path, auth="off")
    acknowledged: list[str] = []

    unavailable_seconds: list[float] = []  # how long each 503 took

    def create(actor_id: str) -> httpx.Response:
        body = actor(actor_id).model_dump(mode="json")
        started = time.monotonic()
        response = client.post("/api/v1/actors", json=body)
        assert response.status_code in (201, 503), response.text
        if response.status_code == 201:
            acknowledged.append(actor_id)
        else:
            unavailable_seconds.append(time.monotonic() - started)
        return response

    with TestClient(create_app(settings, store=store)) as client:
        # 1. the service is up before the database
        assert client.get("/healthz").status_code == 200
        assert_unavailable(client.get("/readyz"))
        assert_unavailable(client.get("/api/v1/actors"))
        assert_unavailable(create("early"))

        # 2. the database arrives: the same app recovers and creates the schema lazily
        server.start()
        wait_for(lambda: client.get("/readyz").status_code == 200, 30, "ready after start")
        for i in range(5):
            assert create(f"before-{i}").status_code == 201
        constraints = store.driver.execute_query("SHOW CONSTRAINTS YIELD name RETURN name")
        assert {"actor_id", "innovation_id"} <= {r["name"] for r in constraints.records}

        # 3. the database stops during a run of requests
        stopper = threading.Thread(target=server.stop)
        stopper.start()
        statuses: list[int] = []
        n = 0
        # Bounded in time, not in requests: a stop's checkpoint takes longer on a busy machine.
        deadline = time.monotonic() + 120
        while stopper.is_alive() or statuses.count(503) < 2:
            statuses.append(create(f"during-{n}").status_code)
            n += 1
            assert time.monotonic() < deadline, "Neo4j did not stop"
        stopper.join()
        assert 503 in statuses
        assert client.get("/healthz").status_code == 200
        assert_unavailable(client.get("/readyz"))
        assert_unavailable(client.get("/api/v1/actors/before-0"))
        # Every 503 comes within 1 s, the first ones included. A transaction begun while the
        # database stops waits for it up to Neo4j's internal.dbms.transaction_start_timeout
        # (1 s by default: such requests took 1.03-1.08 s); scripts/neo4j-local sets 100 ms.
        print(f"slowest 503s: {sorted(unavailable_seconds)[-3:]}")
        assert max(unavailable_seconds) <= 1.0, unavailable_seconds
        # once the outage is known (the circuit is open), 503s come at once: p95 <= 100 ms, over
        # 150 requests (over 30, a loaded machine's 2 slow ones made a p95 of 107 ms)
        known: list[float] = []
        for path in ["/api/v1/innovations", "/api/v1/actors/before-0", "/readyz"] * 50:
            started = time.monotonic()
            assert_unavailable(client.get(path))
            known.append(time.monotonic() - started)
        known.sort()
        p95 = known[int(0.95 * len(known)) - 1]
        print(f"503s while down: first {unavailable_seconds[:3]}, known p95 {p95 * 1000:.1f} ms")
        assert p95 <= 0.1, known

        # 4. it comes back: the same app recovers by itself, nothing acknowledged is lost
        server.start()
        wait_for(lambda: client.get("/readyz").status_code == 200, 30, "ready after restart")
        assert create("after").status_code == 201
        listed = client.get("/api/v1/actors", params={"limit": 500}).json()
        present = {item["id"] for item in listed["items"]}
        assert set(acknowledged) <= present, set(acknowledged) - present
        assert client.get("/api/v1/actors/before-0").status_code == 200

    # wrong credentials: a failure (not an outage: waiting will not mend it) that says so, at
    # once when the store is opened
    with pytest.raises(StoreFailed, match="credentials"):
        Neo4jStore(server.uri, server.user, "not-the-password")
