"""Soak: the service under sustained writes and analytics reads, with its RSS curve.

    python -m bench.soak [--minutes 10] [--short] [--store embedded|neo4j]

Two writer threads create and delete actors (each write bumps the graph version, so every
analytics read after it works on a new version) while one reader cycles the portfolio, the
under-connected innovations and two lists, on the synthetic regional graph. The RSS of the
`hexahelix serve` process is sampled every few seconds; the run passes when no sample after the
warm-up exceeds 1.2x the RSS at the end of the warm-up. `--short` is a 90 s run (20 s warm-up)
for CI; the default is 10 minutes after a 60 s warm-up. Writes bench/results/soak.json.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import threading
import time
from contextlib import closing
from pathlib import Path
from typing import Any

import httpx

from bench import server
from graph.synth import Scale, generate

RESULTS = Path(__file__).resolve().parent / "results"
LIMIT = 1.2
READS = (
    "/api/v1/analytics/portfolio",
    "/api/v1/innovations/under-connected",
    "/api/v1/innovations?limit=50",
    "/api/v1/actors?limit=50",
)


def _writer(base: str, name: str, stop: threading.Event, counts: dict[str, int]) -> None:
    """Create and delete actors until told to stop (the graph keeps its size)."""
    with httpx.Client(base_url=base, timeout=30) as client:
        n = 0
        while not stop.is_set():
            actor_id = f"soak-{name}-{n}"
            body = {"id": actor_id, "name": f"Soak {n}", "helix": "private", "region": "63"}
            created = client.post("/api/v1/actors", json=body)
            deleted = client.delete(f"/api/v1/actors/{actor_id}")
            counts["writes"] += 2
            if created.status_code != 201 or deleted.status_code != 204:
                counts["errors"] += 1
            n += 1


def _reader(base: str, stop: threading.Event, counts: dict[str, int]) -> None:
    """Cycle the analytics and list reads until told to stop."""
    with httpx.Client(base_url=base, timeout=120) as client:
        while not stop.is_set():
            for path in READS:
                if client.get(path).status_code != 200:
                    counts["errors"] += 1
                counts["reads"] += 1


def soak(store: str, minutes: float, warmup: float, every: float) -> dict[str, Any]:
    """Run the soak; returns the RSS curve and the verdict."""
    with tempfile.TemporaryDirectory(prefix="hexahelix-soak-") as tmp:
        data_dir = Path(tmp) / "data"
        neo4j = server.neo4j_server() if store == "neo4j" else None
        try:
            with closing(server.open_store(store, data_dir, neo4j)) as opened:
                opened.load(generate(Scale.REGIONAL, 1), replace=True)
            service = server.Service(server.server_env(store, data_dir, neo4j), Path(tmp) / "log")
            try:
                service.wait_ready()
                return _drive(service, minutes, warmup, every)
            finally:
                service.stop()
        finally:
            if neo4j is not None:
                neo4j.stop()


def _drive(service: server.Service, minutes: float, warmup: float, every: float) -> dict[str, Any]:
    stop = threading.Event()
    counts = {"writes": 0, "reads": 0, "errors": 0}
    threads = [
        threading.Thread(target=_writer, args=(service.base, f"w{i}", stop, counts))
        for i in range(2)
    ]
    threads.append(threading.Thread(target=_reader, args=(service.base, stop, counts)))
    for thread in threads:
        thread.start()
    curve: list[dict[str, float]] = []
    started = time.monotonic()
    try:
        while (elapsed := time.monotonic() - started) < warmup + minutes * 60:
            rss = service.peak_rss_mib()["VmRSS"]
            curve.append({"seconds": round(elapsed, 1), "rss_mib": rss, **counts})
            print(f"{elapsed:6.0f} s  RSS {rss:7.1f} MiB  {counts}", file=sys.stderr, flush=True)
            time.sleep(every)
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    baseline = next(p for p in curve if p["seconds"] >= warmup)["rss_mib"]
    worst = max(p["rss_mib"] for p in curve if p["seconds"] >= warmup)
    return {
        "warmup_seconds": warmup,
        "minutes": minutes,
        "rss_after_warmup_mib": baseline,
        "max_rss_after_warmup_mib": worst,
        "ratio": round(worst / baseline, 3),
        "limit": LIMIT,
        "met": worst <= LIMIT * baseline,
        "counts": counts,
        "curve": curve,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.soak", description=__doc__)
    parser.add_argument("--store", choices=["embedded", "neo4j"], default="embedded")
    parser.add_argument("--minutes", type=float, default=10.0, help="after the warm-up")
    parser.add_argument("--short", action="store_true", help="a 90 s run with 20 s warm-up")
    parser.add_argument("--out", type=Path, default=RESULTS / "soak.json")
    args = parser.parse_args(argv)
    minutes, warmup, every = (70 / 60, 20.0, 5.0) if args.short else (args.minutes, 60.0, 10.0)
    result = soak(args.store, minutes, warmup, every)
    result["store"] = args.store
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(
        f"{args.store}: RSS {result['rss_after_warmup_mib']} MiB after warm-up, at most "
        f"{result['max_rss_after_warmup_mib']} MiB after ({result['ratio']}x, limit {LIMIT}x): "
        f"{'met' if result['met'] else 'NOT met'}; {result['counts']}"
    )
    return 0 if result["met"] and not result["counts"]["errors"] else 1


if __name__ == "__main__":
    sys.exit(main())
