"""Section 2: the API under load. A small asyncio HTTP/1.1 client (keep-alive, one connection per
client) sends a fixed mix of reads and 5% writes to 127.0.0.1; it stops after a number of
requests or seconds, whichever comes first."""

from __future__ import annotations

import asyncio
import json
import random
import time
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import numpy as np

from graph.models import GraphData

API = "/api/v1"
MIX: tuple[tuple[str, float], ...] = (
    ("collaborators", 0.30),
    ("partners", 0.25),
    ("innovations by region", 0.20),
    ("actor innovations", 0.20),
    ("patch collaboration", 0.05),
)


@dataclass(frozen=True)
class Request:
    """One request of the mix."""

    kind: str
    method: str
    path: str
    body: bytes = b""


def request_mix(data: GraphData, count: int, seed: int = 1) -> list[Request]:
    """`count` requests drawn from MIX over ids of `data` (seeded)."""
    rng = random.Random(seed)
    innovations = [i.id for i in data.innovations]
    actors = sorted({c.actor_id for c in data.collaborations})
    regions = sorted({i.region for i in data.innovations})
    ties = [(c.actor_id, c.innovation_id) for c in data.collaborations]
    kinds = [k for k, _ in MIX]
    weights = [w for _, w in MIX]
    out: list[Request] = []
    for kind in rng.choices(kinds, weights, k=count):
        if kind == "collaborators":
            out.append(
                Request(kind, "GET", f"{API}/innovations/{rng.choice(innovations)}/collaborators")
            )
        elif kind == "partners":
            out.append(Request(kind, "GET", f"{API}/actors/{rng.choice(actors)}/partners"))
        elif kind == "innovations by region":
            out.append(Request(kind, "GET", f"{API}/innovations?region={rng.choice(regions)}"))
        elif kind == "actor innovations":
            out.append(Request(kind, "GET", f"{API}/actors/{rng.choice(actors)}/innovations"))
        else:
            actor, innovation = rng.choice(ties)
            body = json.dumps({"strength": rng.randint(1, 3)}).encode()
            out.append(Request(kind, "PATCH", f"{API}/collaborations/{actor}/{innovation}", body))
    return out


async def _send(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, req: Request, port: int
) -> int:
    head = f"{req.method} {req.path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
    if req.body:
        head += f"Content-Type: application/json\r\nContent-Length: {len(req.body)}\r\n"
    writer.write(head.encode() + b"\r\n" + req.body)
    await writer.drain()
    header = await reader.readuntil(b"\r\n\r\n")
    lines = header.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    length = None
    chunked = False
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.lower() == "content-length":
            length = int(value)
        elif name.lower() == "transfer-encoding" and "chunked" in value.lower():
            chunked = True
    if length is not None:
        await reader.readexactly(length)
    elif chunked:
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    return status


async def _client(
    port: int,
    queue: asyncio.Queue[Request],
    deadline: float,
    results: dict[str, list[float]],
    errors: dict[str, int],
) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        while time.monotonic() < deadline:
            try:
                req = queue.get_nowait()
            except asyncio.QueueEmpty:
                return
            start = time.perf_counter()
            try:
                status = await _send(reader, writer, req, port)
            except (OSError, asyncio.IncompleteReadError, ValueError):
                errors[req.kind] += 1
                writer.close()
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
                continue
            results[req.kind].append(time.perf_counter() - start)
            if status >= 400:
                errors[req.kind] += 1
    finally:
        writer.close()


async def _run(port: int, requests: list[Request], clients: int, seconds: float) -> dict[str, Any]:
    queue: asyncio.Queue[Request] = asyncio.Queue()
    for req in requests:
        queue.put_nowait(req)
    results: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    start = time.perf_counter()
    deadline = time.monotonic() + seconds
    await asyncio.gather(*(_client(port, queue, deadline, results, errors) for _ in range(clients)))
    elapsed = time.perf_counter() - start
    return {"elapsed": elapsed, "results": results, "errors": errors}


def _percentiles(latencies: list[float]) -> dict[str, float | None]:
    if not latencies:
        return {"p50_ms": None, "p95_ms": None, "p99_ms": None}
    a = np.array(latencies) * 1000
    return {
        "p50_ms": round(float(np.percentile(a, 50)), 2),
        "p95_ms": round(float(np.percentile(a, 95)), 2),
        "p99_ms": round(float(np.percentile(a, 99)), 2),
    }


def run_load(
    port: int,
    data: GraphData,
    requests: int = 4000,
    clients: int = 32,
    seconds: float = 60.0,
    warmup: int = 200,
) -> dict[str, Any]:
    """Warm up, then send `requests` (at most `seconds`) from `clients` concurrent clients."""
    mix = request_mix(data, warmup + requests)
    asyncio.run(_run(port, mix[:warmup], min(clients, 8), 30.0))
    out = asyncio.run(_run(port, mix[warmup:], clients, seconds))
    results: dict[str, list[float]] = out["results"]
    errors: dict[str, int] = out["errors"]
    every = [x for values in results.values() for x in values]
    rows = []
    for kind, _ in MIX:
        rows.append(
            {
                "request": kind,
                "count": len(results[kind]),
                "errors": errors[kind],
                **_percentiles(results[kind]),
            }
        )
    rows.append(
        {
            "request": "all",
            "count": len(every),
            "errors": sum(errors.values()),
            **_percentiles(every),
        }
    )
    return {
        "clients": clients,
        "seconds": round(out["elapsed"], 2),
        "throughput_rps": round(len(every) / out["elapsed"], 1),
        "rows": rows,
    }
