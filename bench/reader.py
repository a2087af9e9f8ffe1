"""Every read the page makes, through an API process beside a worker, before and after writes.

    python -m bench.reader --data DIR [--writes 3]

DIR is an embedded store holding a large graph (the national synthetic one). It is copied;
`hexahelix worker --once` computes its results; then an API process
(HEXAHELIX_ANALYTICS_COMPUTE=off, as the compose replicas) and `hexahelix worker` start. For
the map's default region and for the whole country, the page's reads (map, layout, portfolio,
its history, every innovation's and actor's metrics (first page), IGA gain, the
under-connected, communities, yearly duty, the collection progress, the reported-only map) are
asked once and waited for (the worker computes what was never asked), then timed: once before
any write, then right after each of `writes` new ties while the worker recomputes. Each read's
time, status and whether it said it was stale; the API process's peak RSS at the end.
Writes bench/results/reader-national-embedded.json.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from bench import machine
from bench.live import READ_DURING_RECOMPUTE_TARGET_MS, RESULTS, _summary, _tie, _timed
from bench.restart import API_RSS_TARGET_MIB, _rss, computed_copy
from bench.server import REPO, Service

WAIT_SECONDS = 600.0
"""How long the first asks may take to be computed by the worker (the whole country's)."""


def reads(region: str | None, scope: str, day: str) -> dict[str, str]:
    """The page's reads of `region` (None: the whole country, asked as the page asks it: no
    region, and no layout, its map being counts per region), named with `scope`."""
    year = day[:4]
    where = "" if region is None else f"region={region}&"
    paths = {
        "map": f"/map?{where}at={day}",
        "layout": f"/layout?{where}",
        "portfolio": f"/analytics/portfolio?{where}at={day}",
        "history": f"/analytics/portfolio/history?{where}from={int(year) - 5}-01-01&to={day}",
        "innovations": f"/analytics/innovations?{where}at={day}&limit=500",
        "actors": f"/analytics/actors?{where}at={day}&limit=500",
        "iga gain": f"/analytics/iga-gain?{where}at={day}&limit=10",
        "under-connected": f"/innovations/under-connected?{where}at={day}&limit=20",
        "communities": f"/analytics/communities?{where}at={day}",
        "yearly duty": f"/analytics/yearly-duty?{where}year={year}",
        "collection progress": f"/declarations/progress?{where}at={day}&limit=10",
        "reported-only map": f"/map?{where}at={day}&provenance=reported",
    }
    if region is None:
        del paths["layout"]
    return {f"{scope} {name}": path for name, path in paths.items()}


def _pass(client: httpx.Client, api: str, paths: dict[str, str]) -> dict[str, dict[str, Any]]:
    """Each read once, in order: its time, status and staleness."""
    answers: dict[str, dict[str, Any]] = {}
    for name, path in paths.items():
        ms, answer = _timed(client, "GET", api + path)
        answers[name] = {
            "ms": round(ms, 1),
            "status": answer.status_code,
            "stale": answer.headers.get("hexahelix-stale"),
        }
    return answers


def _warm(client: httpx.Client, api: str, paths: dict[str, str]) -> float:
    """Ask each read until it answers 200 (the worker computes what was never asked)."""
    started = time.perf_counter()
    waiting = dict(paths)
    while waiting:
        if time.perf_counter() - started > WAIT_SECONDS:
            raise TimeoutError(f"never answered: {sorted(waiting)}")
        for name, path in list(waiting.items()):
            answer = client.get(api + path)
            if answer.status_code == 200:
                del waiting[name]
            elif answer.status_code != 503:
                raise RuntimeError(f"{name}: {answer.status_code} {answer.text[:200]}")
        time.sleep(1)
    return round(time.perf_counter() - started, 1)


def _pairs(client: httpx.Client, api: str, region: str) -> list[tuple[str, str]]:
    """Actors and innovations of `region` to tie (new ties: the writes)."""
    actors = client.get(api + "/actors", params={"region": region, "limit": 20}).json()["items"]
    innovations = client.get(
        api + "/innovations", params={"region": region, "limit": 20, "offset": 20}
    ).json()["items"]
    return [(a["id"], i["id"]) for i in innovations for a in actors]


def run(data: Path, writes: int) -> dict[str, Any]:
    """Serve a copy of `data` from an API process beside a worker; time the page's reads."""
    started_machine = machine.machine()
    with tempfile.TemporaryDirectory(prefix="hexahelix-reader-") as name:
        tmp = Path(name)
        env, once = computed_copy(data, tmp)
        api_env = env | {"HEXAHELIX_ANALYTICS_COMPUTE": "off"}
        service = Service(api_env, tmp / "api.log")
        worker = subprocess.Popen(
            [sys.executable, "-m", "service.cli", "worker", "--poll", "0.25"],
            cwd=REPO,
            env=env | {"HEXAHELIX_LOG_LEVEL": "info"},
            stdout=(tmp / "worker.log").open("w"),
            stderr=subprocess.STDOUT,
        )
        try:
            service.wait_ready(timeout=600)
            api = service.base + "/api/v1"
            with httpx.Client(timeout=900) as client:
                day = datetime.now(UTC).date().isoformat()
                default = client.get(api + "/map/regions").json()["default"]
                paths = reads(default, "region", day) | reads(None, "Indonesia", day)
                warmed = _warm(client, api, paths)
                print("asked once and computed in", warmed, "s", flush=True)
                passes = [{"write": None, "reads": _pass(client, api, paths)}]
                pairs = iter(_pairs(client, api, default))
                for _ in range(writes):
                    actor, innovation = next(p for p in pairs if _tie(client, api, *p))
                    passes.append(
                        {"write": f"{actor} -> {innovation}", "reads": _pass(client, api, paths)}
                    )
                    print("pass after a write", _brief(passes[-1]["reads"]), flush=True)
                rss = _rss(service.process.pid)
            worker_log = (tmp / "worker.log").read_text().splitlines()
        finally:
            worker.terminate()  # a worker in a national pass ends at its next answer: killed
            try:
                worker.wait(10)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()
            service.stop()
    after = [r for p in passes[1:] for r in p["reads"].values()]
    return {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": started_machine,
        "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
        "versions": machine.versions(),
        "command": f"python -m bench.reader --data {data} --writes {writes}",
        "worker_once_on_the_copy": once,
        "default_region": default,
        "asked_once_and_computed_s": warmed,
        "passes": passes,
        "after_writes": _summary([r["ms"] for r in after]),
        "api_process_rss_mib": rss,
        "worker_log": [line for line in worker_log if "comput" in line],
        "targets": {
            "read_after_a_write_ms": READ_DURING_RECOMPUTE_TARGET_MS,
            "api_process_rss_mib": API_RSS_TARGET_MIB,
        },
        "met": {
            "every_read_answered": all(r["status"] == 200 for r in after),
            "no_read_over_1_s_after_a_write": max(r["ms"] for r in after)
            <= READ_DURING_RECOMPUTE_TARGET_MS,
            "api_process_rss": rss.get("VmHWM", 1e9) <= API_RSS_TARGET_MIB,
        },
    }


def _brief(answers: dict[str, dict[str, Any]]) -> dict[str, float]:
    """The slowest reads of a pass, for the console."""
    slowest = sorted(answers.items(), key=lambda item: -item[1]["ms"])[:3]
    return {name: answer["ms"] for name, answer in slowest}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.reader", description=__doc__)
    parser.add_argument("--data", type=Path, required=True, help="an embedded store's folder")
    parser.add_argument("--writes", type=int, default=3, help="writes, each followed by a pass")
    args = parser.parse_args(argv)
    if not (args.data / "hexahelix.sqlite3").is_file():
        parser.error(f"{args.data} holds no embedded store (hexahelix.sqlite3)")
    result = run(args.data, args.writes)
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / "reader-national-embedded.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result["after_writes"] | result["met"] | result["api_process_rss_mib"]))
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
