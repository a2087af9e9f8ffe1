"""A reading API process starts answering at once and its first reads pay for no start-up work:
the routes are built in the background as it starts (`service.warmup`), and one innovation's
metrics are computed without numpy, scipy or networkx (none of which it imports at all)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from graph.bundle import load_seed
from graph.embedded import EmbeddedStore

# Run in a fresh interpreter: the test process has long imported the array libraries.
READER = """
import json, sys, threading
from unittest import mock

from fastapi.testclient import TestClient

from service.app import create_app
from service.settings import Settings

settings = Settings(data_dir=sys.argv[1], auth="off", analytics_compute="off")
with TestClient(create_app(settings)) as client:
    [warm_up] = [t for t in threading.enumerate() if t.name == "hexahelix-warm-up"]
    warm_up.join(60)
    # Every route must be built already: building one on a request now fails it.
    with mock.patch(
        "fastapi.routing._IncludedRouter._build_effective_context",
        side_effect=AssertionError("a route was built on a request"),
    ):
        answer = client.get("/api/v1/analytics/innovations/geolasting")
        regions = client.get("/api/v1/map/regions")
print(json.dumps({
    "warmed": not warm_up.is_alive(),
    "status": [answer.status_code, regions.status_code],
    "stale": answer.headers.get("hexahelix-stale"),
    "coverage": answer.json().get("coverage"),
    "imported": sorted(m for m in ("numpy", "scipy", "networkx", "igraph") if m in sys.modules),
}))
"""


def test_a_readers_first_reads_need_no_array_library_and_no_route_building(
    tmp_path: Path,
) -> None:
    store = EmbeddedStore(tmp_path)
    store.load(load_seed())
    store.close()
    run = subprocess.run(
        [sys.executable, "-c", READER, str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout.splitlines()[-1])
    assert result["warmed"] and result["status"] == [200, 200], result
    assert result["stale"] == "false" and result["coverage"] >= 1, result
    assert result["imported"] == [], result
