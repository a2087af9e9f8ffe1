"""Hot reads: the service's throughput on a repeated GET against a bare Starlette app that
returns the same bytes, measured with wrk in alternating rounds (the same machine load for both).

    python -m bench.hot_reads [--seconds 8] [--rounds 3] [--connections 32]

Writes bench/results/hot_reads.json and prints one line per run. Needs `wrk` (Debian package).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx

from bench import machine
from bench.server import Service, free_port, server_env

RESULTS = Path(__file__).resolve().parent / "results"
PATH = "/api/v1/innovations/geolasting/collaborators"
TARGET_RATIO = 0.5


def wrk(url: str, seconds: int, connections: int, headers: dict[str, str]) -> dict[str, float]:
    """Requests/s and latency percentiles (ms) of one wrk run."""
    args = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency"]
    for name, value in headers.items():
        args += ["-H", f"{name}: {value}"]
    out = subprocess.run([*args, url], check=True, capture_output=True, text=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    figures = {"requests_per_s": rps}
    for pct in ("50", "99"):
        m = re.search(rf"^\s+{pct}%\s+([\d.]+)(us|ms|s)\s*$", out, re.MULTILINE)
        if m:
            scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[m.group(2)]
            figures[f"p{pct}_ms"] = round(float(m.group(1)) * scale, 2)
    return figures


def bare_app(body: Path, port: int) -> subprocess.Popen[bytes]:
    """A bare Starlette app on `port` answering every GET with the bytes in `body`."""
    code = textwrap.dedent(
        f"""
        import uvicorn
        from starlette.applications import Starlette
        from starlette.responses import Response
        from starlette.routing import Route
        BODY = open({str(body)!r}, "rb").read()
        async def answer(request):
            return Response(BODY, media_type="application/json")
        app = Starlette(routes=[Route({PATH!r}, answer)])
        uvicorn.run(app, host="127.0.0.1", port={port}, log_level="warning")
        """
    )
    return subprocess.Popen([sys.executable, "-c", code])


def wait(url: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise TimeoutError(url)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.hot_reads")
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        print("bench.hot_reads: wrk is not installed (apt-get install wrk)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="hexahelix-hot-") as tmp:
        data = Path(tmp) / "data"
        env = server_env("embedded", data, None)
        subprocess.run(
            [sys.executable, "-m", "service.cli", "seed", "--if-empty"], env=env, check=True
        )
        service = Service(env, Path(tmp) / "service.log")
        service.wait_ready()
        body = Path(tmp) / "body.json"
        response = httpx.get(service.base + PATH)
        body.write_bytes(response.content)
        port = free_port()
        bare = bare_app(body, port)
        runs: dict[str, list[dict[str, float]]] = {"service": [], "service_304": [], "bare": []}
        try:
            wait(f"http://127.0.0.1:{port}{PATH}")
            etag = response.headers["etag"]
            for _ in range(args.rounds):
                for name, url, headers in (
                    ("service", service.base + PATH, {}),
                    ("service_304", service.base + PATH, {"If-None-Match": etag}),
                    ("bare", f"http://127.0.0.1:{port}{PATH}", {}),
                ):
                    figures = wrk(url, args.seconds, args.connections, headers)
                    runs[name].append(figures)
                    print(f"{name:12s} {figures}", flush=True)
        finally:
            bare.terminate()
            service.stop()
    median = {k: statistics.median(r["requests_per_s"] for r in v) for k, v in runs.items()}
    ratio = round(median["service"] / median["bare"], 3)
    result = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine.machine(),
        "versions": machine.versions(),
        "command": "python -m bench.hot_reads " + " ".join(argv or sys.argv[1:]),
        "path": PATH,
        "connections": args.connections,
        "runs": runs,
        "median_requests_per_s": median,
        "ratio_service_to_bare": ratio,
        "target_ratio": TARGET_RATIO,
        "met": ratio >= TARGET_RATIO,
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "hot_reads.json").write_text(json.dumps(result, indent=2) + "\n")
    print(f"median req/s {median}; service/bare {ratio} (target >= {TARGET_RATIO})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
