"""A single `hexahelix serve` computes the global analytics in a child `hexahelix worker`
(service/worker_child.py), on both stores: the freshness contract holds through the real
server (a write shows in the next read of the touched innovation; a global answer read while
the worker has not recomputed yet is the last one kept, marked stale; then fresh), the child
ends with the server (SIGTERM, and when the server is killed), and a child that ends on its own
is logged, shown in /readyz and started again; it runs at a lower CPU priority than the server.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from cli_support import cli_env
from conftest import STORE_KINDS, make_store
from factories import SEED_INNOVATION, SEED_NEW_TIE
from neo4j_support import free_port

INNOVATION = SEED_INNOVATION
NEW_TIE = SEED_NEW_TIE


@dataclass
class Served:
    """A running `hexahelix serve` and where its output goes."""

    process: subprocess.Popen[bytes]
    base: str
    log: Path

    def get(self, path: str) -> httpx.Response:
        return httpx.get(self.base + path, timeout=30)

    def worker(self) -> dict[str, object]:
        state: dict[str, object] = self.get("/readyz").json()["worker"]
        return state

    def child(self) -> int:
        """The process id of the server's worker (its only child, started by one of its
        threads)."""
        tasks = Path(f"/proc/{self.process.pid}/task")
        pids = [int(pid) for task in tasks.iterdir() for pid in children(task)]
        assert len(pids) == 1, pids
        return pids[0]


def children(task: Path) -> list[str]:
    try:
        return (task / "children").read_text().split()
    except FileNotFoundError:  # the thread ended
        return []


def cpu_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime, stime


def idle(pid: int) -> bool:
    """Whether the worker is between passes with nothing to compute (it barely runs)."""
    before = cpu_ticks(pid)
    time.sleep(1)
    return cpu_ticks(pid) - before <= 5


def until(check: Callable[[], bool], what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, what
        time.sleep(0.1)


def alive(pid: int) -> bool:
    """Whether `pid` runs (a zombie, dead but not yet reaped, does not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def versions(response: httpx.Response) -> tuple[int, int, str]:
    headers = response.headers
    return (
        int(headers["Hexahelix-Graph-Version"]),
        int(headers["Hexahelix-Computed-At-Version"]),
        headers["Hexahelix-Stale"],
    )


@pytest.fixture(params=STORE_KINDS)
def served(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Served]:
    """`hexahelix serve` over the Banjar seed, its first global analytics computed."""
    kind = request.param
    if kind == "neo4j":
        make_store(kind, tmp_path).close()  # an empty graph
    env = cli_env(kind, tmp_path / "data") | {
        "HEXAHELIX_AUTH": "off",
        "HEXAHELIX_RATE_LIMIT_PER_MINUTE": "0",
        "HEXAHELIX_LOG_LEVEL": "info",
    }
    command = [sys.executable, "-m", "service.cli"]
    subprocess.run([*command, "seed"], env=env, check=True, capture_output=True, timeout=300)
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [*command, "serve", "--port", str(port)], env=env, stdout=out, stderr=out
        )
    server = Served(process, f"http://127.0.0.1:{port}", log)
    try:

        def first_portfolio() -> bool:
            assert process.poll() is None, log.read_text()
            try:
                return server.get("/api/v1/analytics/portfolio").status_code == 200
            except httpx.TransportError:
                return False

        until(first_portfolio, "the worker computed no portfolio", seconds=120)
        yield server
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=30)


def test_a_write_shows_at_once_for_its_innovation_and_later_in_the_global_answers(
    served: Served,
) -> None:
    before = served.get(f"/api/v1/analytics/innovations/{INNOVATION}").json()
    child = served.child()
    # Stopped between passes (not in the middle of writing the results file), the worker
    # cannot recompute until it goes on.
    until(lambda: idle(child), "the worker did not finish its first passes", seconds=120)
    os.kill(child, signal.SIGSTOP)
    try:
        made = httpx.post(served.base + "/api/v1/collaborations", json=NEW_TIE, timeout=30)
        assert made.status_code == 201, made.text
        after = served.get(f"/api/v1/analytics/innovations/{INNOVATION}")
        graph_version, computed_at, stale = versions(after)
        assert (computed_at, stale) == (graph_version, "false")
        assert after.json()["actor_count"] == before["actor_count"] + 1
        during = served.get("/api/v1/analytics/portfolio")
        assert during.status_code == 200
        graph_version, computed_at, stale = versions(during)
        assert computed_at < graph_version and stale == "true"
    finally:
        os.kill(child, signal.SIGCONT)

    def fresh() -> bool:
        return versions(served.get("/api/v1/analytics/portfolio"))[2] == "false"

    until(fresh, "the worker did not recompute after the write")
    assert served.worker() == {"state": "running"}


def test_a_worker_that_ends_is_logged_shown_and_started_again(served: Served) -> None:
    first = served.child()
    os.kill(first, signal.SIGKILL)
    until(lambda: served.worker().get("last_exit_code") == -signal.SIGKILL, "not shown")
    until(lambda: served.worker() == {"state": "running", "restarts": 1, "last_exit_code": -9}, "")
    restarted = served.child()
    assert restarted != first
    # It gives way to the server's requests (a lower CPU priority), the restarted one too.
    server_priority = os.getpriority(os.PRIO_PROCESS, served.process.pid)
    until(lambda: os.getpriority(os.PRIO_PROCESS, restarted) > server_priority, "not lower")
    assert "the analytics worker (pid" in served.log.read_text()
    assert "ended with exit code -9" in served.log.read_text()


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGKILL])
def test_the_worker_ends_with_the_server(served: Served, stop: signal.Signals) -> None:
    child = served.child()
    served.process.send_signal(stop)
    served.process.wait(timeout=30)
    until(lambda: not alive(child), f"the worker outlived the server ({stop.name})", seconds=15)
