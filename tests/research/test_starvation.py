"""The rest of the API keeps answering while exports and imports are saturated: they run in
their own small pools (service/pools.py), and /healthz on the event loop. /cypher floods are
tested against a real Neo4j in tests/neo4j/test_cypher_bounds.py."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import anyio
import httpx
import pytest
from fastapi import HTTPException
from neo4j_support import free_port

from graph.bundle import load_seed
from graph.embedded import EmbeddedStore
from service.pools import Pool


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`hexahelix serve` over the seeded embedded store, in its own process (so the flood's
    client threads do not share the server's interpreter)."""
    data = tmp_path_factory.mktemp("starve")
    store = EmbeddedStore(data)
    store.load(load_seed())
    store.close()
    port = free_port()
    env = os.environ | {
        "HEXAHELIX_DATA_DIR": str(data),
        "HEXAHELIX_AUTH": "off",
        "HEXAHELIX_RATE_LIMIT_PER_MINUTE": "0",
        "HEXAHELIX_LOG_LEVEL": "warning",
    }
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "hexahelix"), "serve", "--port", str(port)], env=env
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(base + "/healthz").status_code == 200:
                    break
            except httpx.TransportError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(30)


def test_a_full_pool_refuses_at_once_and_leaves_other_threads_free() -> None:
    pool = Pool("exports", threads=1, max_waiting=0)
    release = threading.Event()

    async def main() -> None:
        async with anyio.create_task_group() as group:
            group.start_soon(pool.run, release.wait)
            await anyio.sleep(0.1)  # the first call holds the only thread
            with pytest.raises(HTTPException) as refused:
                await pool.run(time.sleep, 0)
            assert refused.value.status_code == 429
            assert refused.value.headers == {"Retry-After": "5"}
            # The default pool is untouched by this one.
            assert await anyio.to_thread.run_sync(lambda: 42) == 42
            release.set()
        assert await pool.run(lambda: "free again") == "free again"

    # In a thread of its own: an earlier test (Playwright, a TestClient portal) may have left
    # an event loop running in this one, and anyio.run refuses to nest.
    with ThreadPoolExecutor(max_workers=1) as runner:
        runner.submit(anyio.run, main).result(timeout=30)


def test_flooding_exports_and_imports_leaves_health_and_reads_answering(server: str) -> None:
    client = httpx.Client(base_url=server, timeout=60)
    graphml = client.get("/api/v1/export", params={"format": "graphml"}).content
    latencies: dict[str, list[float]] = {"/healthz": [], "/api/v1/innovations/geolasting": []}
    stop = threading.Event()

    def probe() -> None:
        while not stop.is_set():
            for url, times in latencies.items():
                start = time.perf_counter()
                assert client.get(url).status_code == 200
                times.append(time.perf_counter() - start)
            stop.wait(0.05)

    def export(i: int) -> int:
        fmt = ("graphml", "gexf", "csv", "json")[i % 4]
        return client.get("/api/v1/export", params={"format": fmt, "metrics": True}).status_code

    def import_(_: int) -> int:
        return client.post("/api/v1/import", content=graphml).status_code

    prober = threading.Thread(target=probe)
    prober.start()
    try:
        with ThreadPoolExecutor(64) as flood:
            exports = flood.map(export, range(120))
            imports = flood.map(import_, range(16))
            statuses = [*exports, *imports]
    finally:
        stop.set()
        prober.join()
    assert set(statuses) <= {200, 429}, statuses
    assert 200 in statuses
    for url, times in latencies.items():
        assert len(times) >= 3, (url, times)
        assert statistics.median(times) <= 0.2, (url, times)
