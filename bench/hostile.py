"""Issue 17's attacks against a running API over Neo4j, with the figures they produce.

    python -m bench.hostile URL API_PID READER_KEY READER2_KEY ADMIN_KEY

The API must serve a Neo4j store with auth on (the default); `API_PID` is its process, for its
memory. Every block prints what it sent, the statuses and times, and /healthz's latency and the
API's RSS sampled every 100 ms meanwhile. Runaway expressions keep Neo4j busy after their 408
(see README, "Access"): the script waits until a research query is admitted again.
"""

from __future__ import annotations

import io
import statistics
import sys
import threading
import time
import zipfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

EXPRESSION = "RETURN reduce(s = 0, x IN range(1, 10000000000) | s + 1)"
DEEP = "RETURN reduce(a = [], x IN range(1, 20000) | [a])"
HUGE = "RETURN range(1, 20000000)"
PATHS = "MATCH p = (a)-[*]-(b) RETURN count(p)"


class Attack:
    """The API under attack: its address, its process and three keys."""

    def __init__(self, url: str, pid: str, reader: str, reader2: str, admin: str) -> None:
        self.url = url
        self.status = Path(f"/proc/{pid}/status")
        self.keys: list[str | None] = [reader, reader2, admin, None]
        self.admin = admin
        self.client = httpx.Client(base_url=url, timeout=600)

    def rss_mb(self) -> int:
        for line in self.status.read_text().splitlines():
            if line.startswith("VmRSS"):
                return int(line.split()[1]) // 1024
        return -1

    def cypher(self, query: str, key: str | None) -> tuple[int, float, str]:
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        start = time.monotonic()
        response = self.client.post("/api/v1/cypher", json={"query": query}, headers=headers)
        return response.status_code, round(time.monotonic() - start, 2), response.text[:100]

    def admitted(self) -> float:
        """Seconds until a research query is admitted again (Neo4j done with runaway work)."""
        start = time.monotonic()
        while self.cypher("RETURN 1", self.keys[0])[0] != 200 and time.monotonic() - start < 600:
            time.sleep(2)
        return round(time.monotonic() - start, 1)

    def at_once(self, count: int, call: Callable[[int], Any]) -> tuple[list[Any], float]:
        results: list[Any] = [None] * count

        def run(i: int) -> None:
            results[i] = call(i)

        threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
        start = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return results, round(time.monotonic() - start, 2)


class Watch:
    """/healthz latency and the API's RSS every 100 ms while a block runs."""

    def __init__(self, attack: Attack) -> None:
        self.attack = attack
        self.latencies: list[float] = []
        self.memory: list[int] = []
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        with httpx.Client(base_url=self.attack.url, timeout=120) as probe:
            while not self.done.is_set():
                start = time.monotonic()
                ok = probe.get("/healthz").status_code == 200
                self.latencies.append((time.monotonic() - start) * 1000 if ok else float("inf"))
                self.memory.append(self.attack.rss_mb())
                self.done.wait(0.1)

    def __enter__(self) -> Watch:
        self.thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.done.set()
        self.thread.join()

    def __str__(self) -> str:
        ms = sorted(self.latencies)
        return (
            f"/healthz n={len(ms)} p50={statistics.median(ms):.0f} ms "
            f"p95={ms[max(0, int(len(ms) * 0.95) - 1)]:.0f} ms max={ms[-1]:.0f} ms; "
            f"API RSS max {max(self.memory)} MB"
        )


def csv_bomb(unpacked: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("nodes.csv", "id,node_type,name\n" + "x,innovation,\n" * (unpacked // 15))
        archive.writestr("edges.csv", "source,target,edge_type\n")
    return buffer.getvalue()


def main(attack: Attack) -> None:
    a = attack
    print("API RSS at start", a.rss_mb(), "MB")
    print("expression past the 10 s limit:", a.cypher(EXPRESSION, a.keys[0]))
    print("value too deep for Neo4j's stack:", a.cypher(DEEP, a.keys[1]))
    print("anonymous caller:", a.cypher("RETURN 1", None)[:2])
    with Watch(a) as watch:
        answers, took = a.at_once(3, lambda i: a.cypher(HUGE, a.keys[i])[:2])
    print(f"3 x {HUGE}: {answers} in {took} s; {watch}; API RSS after {a.rss_mb()} MB")
    print("  until research is admitted again:", a.admitted(), "s")
    with Watch(a) as watch:
        answers, took = a.at_once(42, lambda i: a.cypher(EXPRESSION, a.keys[i % 4])[0])
    print(f"42 expressions at once: {dict(Counter(answers))} in {took} s; {watch}")
    print("  until research is admitted again:", a.admitted(), "s")
    with Watch(a) as watch:
        answers, took = a.at_once(40, lambda i: a.cypher(PATHS, a.keys[i % 4])[0])
    print(f"40 variable-length path queries at once: {dict(Counter(answers))} in {took} s; {watch}")
    print("  until research is admitted again:", a.admitted(), "s")
    for word in ("LOAD CSV FROM 'file:///etc/passwd' AS l RETURN l", "SHOW USERS"):
        print(
            f"// comment ended by \\r, then {word.split()[0]}:",
            a.cypher(f"RETURN 1 //\r{word}", a.admin),
        )
    admin = {"Authorization": f"Bearer {a.admin}", "Content-Type": "application/zip"}
    for unpacked in (20 * 2**20, 200 * 2**20):
        bomb = csv_bomb(unpacked)
        with Watch(a) as watch:
            start = time.monotonic()
            response = a.client.post("/api/v1/import", content=bomb, headers=admin)
            took = round(time.monotonic() - start, 2)
        print(
            f"zip bomb {len(bomb) // 1024} KB -> {unpacked // 2**20} MiB: {response.status_code} "
            f"in {took} s, {len(response.content)} bytes: {response.json()['detail']}; {watch}"
        )
    admin["Content-Type"] = "application/json"
    for name in ("A\u0000B", "bel\u0007l", "abc\u202edcba"):
        actor = {"id": "ctl", "name": name, "helix": "community", "region": "63.03"}
        response = a.client.post("/api/v1/actors", json=actor, headers=admin)
        print(f"actor named {name!r}: {response.status_code} {response.json()['detail']}")
    raw: dict[str, tuple[str, bytes]] = {
        "query Infinity": ("/api/v1/cypher", b'{"query": Infinity}'),
        "what-if NaN": ("/api/v1/analytics/what-if", b'{"remove_actors": NaN}'),
        "nesting 900": ("/api/v1/cypher", b'{"query": "RETURN $p", "parameters": {"p": ' + b"[" * 900 + b"]" * 900 + b"}}"),
        "900 KB name": ("/api/v1/actors", b'{"id": "n", "name": "' + b"x" * 900_000 + b'"}'),
    }  # fmt: skip
    for what, (path, body) in raw.items():
        response = a.client.post(path, content=body, headers=admin)
        print(f"{what}: {response.status_code}, {len(response.content)} bytes")
    offset = a.client.get("/api/v1/innovations", params={"offset": 2**63 - 1})
    print("offset 2^63-1:", offset.status_code, offset.json()["detail"][:90])
    a.client.post("/api/v1/actors", content=b"{not json", headers={"X-Forwarded-For": "6.6.6.6"})
    entries = a.client.get("/api/v1/audit", params={"limit": 1}, headers=admin).json()["items"]
    print(
        "unparseable keyless write with X-Forwarded-For 6.6.6.6 audited as:",
        entries[0]["client"],
        entries[0]["status"],
    )
    codes = Counter(
        a.client.get(
            "/api/v1/actors", headers={"Authorization": f"Bearer hxh_{i:08x}_x"}
        ).status_code
        for i in range(1500)
    )
    print("1500 invalid keys:", dict(codes))
    print("API RSS at end", a.rss_mb(), "MB")


if __name__ == "__main__":
    if len(sys.argv) != 6:
        sys.exit(__doc__)
    main(Attack(*sys.argv[1:6]))
