"""Restart to first answer, and two API processes beside one worker, on a large graph.

    python -m bench.restart [--scale national] [--store embedded|neo4j] [--data DIR] [--writes 10]

With `--data` an embedded store already imported there is used (else the synthetic graph is
built and imported into a temporary one). Steps:

1. `hexahelix worker --once` computes the results (the whole country, the map's default region,
   its layout) into the results file: its time and peak RSS.
2. A restarted `hexahelix serve` (computing role: it answers as a reader and starts its worker
   as a child): the time from the process's start to `/healthz`, then to each first answer the
   page asks for (regions, the default region's map and layout, the national portfolio and the
   first page of the under-connected). Then the same for a restarted API process of a
   deployment (HEXAHELIX_ANALYTICS_COMPUTE=off: no worker of its own).
3. Two `hexahelix serve` with HEXAHELIX_ANALYTICS_COMPUTE=off beside `hexahelix worker`: a write
   through the first, then at once the touched innovation through the second (must be fresh;
   the first of these is the second process's first read since it started) and the portfolio
   (the worker's last result, stale); the RSS of each process at the end.

Writes bench/results/restart-<scale>-<store>.json.
"""

from __future__ import annotations

import argparse
import compileall
import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from bench import machine
from bench.live import RESULTS, TOUCHED_P95_TARGET_MS, _cli, _summary, _timed
from bench.server import REPO, Neo4jServer, Service, neo4j_server, server_env

RESTART_TARGET_MS = 3000.0
API_RSS_TARGET_MIB = 400.0
WORKER_RSS_TARGET_MIB = 2048.0


def _rss(pid: int) -> dict[str, float]:
    figures: dict[str, float] = {}
    with open(f"/proc/{pid}/status", encoding="utf-8") as status:
        for line in status:
            key = line.split(":", 1)[0]
            if key in ("VmHWM", "VmRSS"):
                figures[key] = round(int(line.split()[1]) / 1024, 1)
    return figures


def _worker_once(env: dict[str, str]) -> dict[str, Any]:
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "service.cli", "worker", "--once"], cwd=REPO, env=env
    )
    peak = 0.0
    while process.poll() is None:
        with contextlib.suppress(OSError):
            peak = max(peak, _rss(process.pid).get("VmHWM", 0.0))
        time.sleep(0.5)
    if process.returncode != 0:
        raise RuntimeError(f"worker --once exited with {process.returncode}")
    return {"seconds": round(time.perf_counter() - started, 1), "peak_rss_mib": peak}


def computed_copy(data: Path, tmp: Path) -> tuple[dict[str, str], dict[str, Any]]:
    """A copy of the embedded store in `data` at `tmp`/data with its results computed there
    (`worker --once`: a results file is bound to its store's path, so a copy's are computed
    again): the copy's service environment, and the worker's time and peak RSS."""
    copy = tmp / "data"
    shutil.copytree(data, copy)
    env = server_env("embedded", copy, None)
    once = _worker_once(env)
    print("worker --once", once, flush=True)
    return env, once


def _first_answers(service: Service, started: float) -> dict[str, Any]:
    """Times from the process's start to /healthz and to each answer the page asks first."""
    service.wait_ready(timeout=600)
    ready_ms = (time.perf_counter() - started) * 1000
    api = service.base + "/api/v1"
    answers: dict[str, Any] = {"healthz_ms_since_start": round(ready_ms, 1)}
    with httpx.Client(timeout=900) as client:
        ms, regions = _timed(client, "GET", api + "/map/regions")
        regions.raise_for_status()
        default = regions.json()["default"]
        answers["default_region"] = default
        calls = {
            "map_regions": None,
            "map": f"/map?region={default}",
            "layout": f"/layout?region={default}",
            "portfolio_national": "/analytics/portfolio?region=id",
            "under_connected_national": "/innovations/under-connected?region=id&limit=20",
            "innovations_national_page": "/analytics/innovations?region=id&limit=50",
        }
        answers["map_regions"] = {
            "ms": round(ms, 1),
            "stale": regions.headers.get("hexahelix-stale"),
        }
        for name, path in calls.items():
            if path is None:
                continue
            ms, answer = _timed(client, "GET", api + path)
            answer.raise_for_status()
            answers[name] = {"ms": round(ms, 1), "stale": answer.headers.get("hexahelix-stale")}
            if name == "layout":
                answers["first_map_ms_since_start"] = round(
                    (time.perf_counter() - started) * 1000, 1
                )
        answers["dashboard_ms_since_start"] = round((time.perf_counter() - started) * 1000, 1)
    return answers


def _restart(env: dict[str, str], log: Path) -> dict[str, Any]:
    """A `hexahelix serve` started now: its first answers (`_first_answers`) and its RSS."""
    started = time.perf_counter()
    service = Service(env, log)
    try:
        answers = _first_answers(service, started)
        answers["rss_mib"] = _rss(service.process.pid)
    finally:
        service.stop()
    return answers


def _shared(
    env: dict[str, str], tmp: Path, innovations: list[str], actors: list[str], writes: int
) -> dict[str, Any]:
    """Two reading API processes and a worker: a write through one, reads through the other."""
    readers = env | {"HEXAHELIX_ANALYTICS_COMPUTE": "off"}
    worker = subprocess.Popen(
        [sys.executable, "-m", "service.cli", "worker", "--poll", "1"],
        cwd=REPO,
        env=env,
        stdout=(tmp / "worker.log").open("w"),
        stderr=subprocess.STDOUT,
    )
    one = Service(readers, tmp / "api-1.log")
    two = Service(readers, tmp / "api-2.log")
    try:
        one.wait_ready(timeout=600)
        two.wait_ready(timeout=600)
        touched: list[float] = []
        portfolio: list[float] = []
        fresh = stale = 0
        with httpx.Client(timeout=900) as client:
            step = max(1, len(innovations) // (writes + 1))
            for n in range(writes):
                innovation = innovations[(n + 1) * step + 1]
                for attempt in range(50):  # a pair tied by an earlier run: the next actor
                    made = client.post(
                        one.base + "/api/v1/collaborations",
                        json={
                            "actor_id": actors[(n * 7907 + attempt * 104729) % len(actors)],
                            "innovation_id": innovation,
                            "role": "advocate",
                            "since": "2020-01-01",
                        },
                    )
                    if made.status_code != 409:
                        break
                made.raise_for_status()
                ms, answer = _timed(
                    client, "GET", f"{two.base}/api/v1/analytics/innovations/{innovation}"
                )
                answer.raise_for_status()
                touched.append(ms)
                fresh += answer.headers["hexahelix-stale"] == "false"
                ms, answer = _timed(
                    client, "GET", two.base + "/api/v1/analytics/portfolio?region=id"
                )
                answer.raise_for_status()
                portfolio.append(ms)
                stale += answer.headers["hexahelix-stale"] == "true"
                print(f"shared write {n}: touched {touched[-1]:.0f} ms, portfolio {ms:.0f} ms")
            rss = {"api_1": _rss(one.process.pid), "api_2": _rss(two.process.pid)}
            rss["worker"] = _rss(worker.pid)
            ms, answer = _timed(
                client, "GET", two.base + "/api/v1/innovations/under-connected?region=id&limit=20"
            )
            answer.raise_for_status()
            dashboard = {
                "under_connected_national_ms": round(ms, 1),
                "stale": answer.headers["hexahelix-stale"],
                "rss_mib_before": rss["api_2"],
                "rss_mib_after": _rss(two.process.pid),
            }
        return {
            "reader_national_under_connected": dashboard,
            "touched_innovation_through_the_other_api": _summary(touched),
            # In order: the first is the second process's first read after it started.
            "touched_innovation_ms_each": [round(ms, 1) for ms in touched],
            "touched_fresh": f"{fresh}/{len(touched)}",
            "portfolio_national_through_the_other_api": _summary(portfolio),
            "portfolio_stale": f"{stale}/{len(portfolio)}",
            "rss_mib": rss,
        }
    finally:
        one.stop()
        two.stop()
        worker.terminate()
        try:
            worker.wait(timeout=120)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


def _compile_project() -> None:
    """Compile the project's modules to bytecode, as an installed service has them (pip
    compiles on install): with PYTHONDONTWRITEBYTECODE set (the Dockerfile sets it, so may a
    shell) an editable checkout would compile about 80 modules from source at every start,
    which is not what a restart of a deployed process costs."""
    for package in ("graph", "service"):
        compileall.compile_dir(REPO / package, quiet=1)


def run(scale: str, store: str, data: Path | None, writes: int, seed: int) -> dict[str, Any]:
    load_at_start = [round(x, 2) for x in os.getloadavg()]
    _compile_project()
    neo: Neo4jServer | None = neo4j_server() if store == "neo4j" else None
    try:
        with tempfile.TemporaryDirectory(prefix="hexahelix-restart-") as name:
            tmp = Path(name)
            env = server_env(store, data or tmp / "data", neo)
            bundle = tmp / "graph.json"
            _cli(env, "synth", "--scale", scale, "--seed", str(seed), "--out", str(bundle))
            if data is None:
                _cli(env, "import", str(bundle), "--replace")
            records = json.loads(bundle.read_text())
            actors = [a["id"] for a in records["actors"]]
            innovations = [i["id"] for i in records["innovations"]]
            del records
            result: dict[str, Any] = {"worker_once": _worker_once(env)}
            print("worker --once", result["worker_once"], flush=True)
            result["restart"] = _restart(env, tmp / "serve.log")
            print("restart", result["restart"], flush=True)
            reader = env | {"HEXAHELIX_ANALYTICS_COMPUTE": "off"}
            result["restart_reader"] = _restart(reader, tmp / "reader.log")
            print("restart of an API process", result["restart_reader"], flush=True)
            result["shared"] = _shared(env, tmp, innovations, actors, writes)
    finally:
        if neo is not None:
            neo.stop()
    restart, reader = result["restart"], result["restart_reader"]
    rss = result["shared"]["rss_mib"]
    return {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine.machine(),
        # The other jobs on the machine: what the figures were measured beside.
        "load_average": {"start": load_at_start, "end": [round(x, 2) for x in os.getloadavg()]},
        "versions": machine.versions(),
        "command": f"python -m bench.restart --scale {scale} --store {store} --writes {writes}"
        + (f" --data {data}" if data else ""),
        **result,
        "targets": {
            "first_map_and_dashboard_after_restart_ms": RESTART_TARGET_MS,
            "touched_through_the_other_api_p95_ms": TOUCHED_P95_TARGET_MS,
            "api_rss_mib": API_RSS_TARGET_MIB,
            "worker_rss_mib": WORKER_RSS_TARGET_MIB,
        },
        "met": {
            "first_map_since_start": restart["first_map_ms_since_start"] <= RESTART_TARGET_MS,
            "dashboard_since_start": restart["dashboard_ms_since_start"] <= RESTART_TARGET_MS,
            "api_process_first_map_since_start": reader["first_map_ms_since_start"]
            <= RESTART_TARGET_MS,
            "api_process_dashboard_since_start": reader["dashboard_ms_since_start"]
            <= RESTART_TARGET_MS,
            "touched_through_the_other_api_p95": result["shared"][
                "touched_innovation_through_the_other_api"
            ]["p95_ms"]
            <= TOUCHED_P95_TARGET_MS,
            "api_rss": max(rss["api_1"]["VmHWM"], rss["api_2"]["VmHWM"]) <= API_RSS_TARGET_MIB,
            "api_rss_after_national_under_connected": result["shared"][
                "reader_national_under_connected"
            ]["rss_mib_after"]["VmHWM"]
            <= API_RSS_TARGET_MIB,
            "worker_rss": result["worker_once"]["peak_rss_mib"] <= WORKER_RSS_TARGET_MIB,
        },
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.restart")
    parser.add_argument("--scale", choices=["national", "regional"], default="national")
    parser.add_argument("--store", choices=["embedded", "neo4j"], default="embedded")
    parser.add_argument("--data", type=Path, help="an embedded store already imported here")
    parser.add_argument("--writes", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    result = run(args.scale, args.store, args.data, args.writes, args.seed)
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"restart-{args.scale}-{args.store}.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps({k: result[k] for k in result if k not in ("machine", "versions")}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
