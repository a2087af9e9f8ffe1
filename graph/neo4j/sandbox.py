"""Research Cypher in child processes that can be killed: a query cannot outlive its limit.

Neo4j stops a query at its transaction timeout only where the runtime checks for it: an
expression such as `reduce(s = 0, x IN range(1, 10^10) | s + 1)` runs on after the timeout and
after `TERMINATE TRANSACTION`, and a value nested too deep for the server's stack leaves the
Bolt connection silent. A thread of the API cannot be stopped in either case, so each query runs
in a worker process (`python -m graph.neo4j.worker`) with its own driver:

- the worker's address space is capped (`RLIMIT_AS`), so a huge answer fails there with a
  MemoryError instead of growing the API; rows are capped by count and bytes, and values by
  depth, as they are converted (`readonly.to_json`);
- the parent waits at most the query's limit plus `GRACE_SECONDS`, counted from the request's
  arrival (so starting a worker is inside it); then it kills the worker
  (which closes its Bolt connection) and asks Neo4j to terminate the transaction, found by the
  metadata every research transaction carries;
- the worker's driver never retries and gives up connecting after a few seconds;
- Neo4j may keep computing a killed query (see above), so a query is admitted only while fewer
  than `workers` research transactions are alive on the server: runaway work cannot pile up.

The protocol is one JSON line each way: the parent sends the connection once, then one request
per line; the worker answers each with `{"answer": ...}` or `{"error": kind, "message": ...}`.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import sys
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

import anyio
import anyio.abc
from anyio.streams.buffered import BufferedByteReceiveStream

from graph.errors import Busy, HexahelixError, StoreUnavailable
from graph.neo4j.readonly import (
    AnswerTooLarge,
    QueryFailed,
    QueryRefused,
    QueryTimedOut,
)
from graph.research import CypherAnswer, Limits

GRACE_SECONDS = 0.3
"""How long past its limit the parent waits for a worker before killing it."""
START_SECONDS = 20.0
"""How long a new worker may take to import the driver and say it is ready."""
ERROR_KINDS: dict[str, type[HexahelixError]] = {
    "refused": QueryRefused,
    "failed": QueryFailed,
    "timeout": QueryTimedOut,
    "too_large": AnswerTooLarge,
    "unavailable": StoreUnavailable,
}


class ResearchBusy(Busy):
    """Too many research queries are running (for this caller, or in all); retry later."""


@dataclass(frozen=True)
class Connection:
    """Where a worker connects, and how much memory it may use."""

    uri: str
    user: str
    password: str
    database: str
    memory_bytes: int


# -- the parent ----------------------------------------------------------------------------
class _Worker:
    """One worker process and its line-buffered output."""

    def __init__(self, process: anyio.abc.Process) -> None:
        self.process = process
        self.ready = False  # said it is ready (its driver is imported)
        self.ready_by = 0.0  # when it must have said so
        assert process.stdout is not None and process.stdin is not None
        self.output = BufferedByteReceiveStream(process.stdout)

    async def send(self, payload: dict[str, Any]) -> None:
        assert self.process.stdin is not None
        await self.process.stdin.send(json.dumps(payload).encode() + b"\n")

    async def receive(self, max_bytes: int) -> dict[str, Any]:
        line = await self.output.receive_until(b"\n", max_bytes)
        reply: dict[str, Any] = json.loads(line)
        return reply

    def kill(self) -> None:
        """Kill the process now; its exit is collected later (see `reap`), so the answer does
        not wait for it."""
        if self.process.returncode is None:
            self.process.kill()

    async def reap(self) -> None:
        self.kill()
        with anyio.move_on_after(5):
            await self.process.wait()


class CypherSandbox:
    """Runs research queries in at most `workers` worker processes, `per_caller` at a time for
    one caller; `terminate` ends the server-side transactions of killed workers."""

    def __init__(
        self,
        connection: Connection,
        *,
        workers: int,
        per_caller: int,
        count_alive: Callable[[], int],
        terminate: Callable[[str], None],
    ) -> None:
        self.connection = connection
        self.workers = workers
        self.per_caller = per_caller
        self._count_alive = count_alive
        self._terminate = terminate
        self._idle: list[_Worker] = []
        self._dead: list[_Worker] = []  # killed, exit not yet collected
        self._running: dict[str, int] = {}
        self._checks = anyio.CapacityLimiter(2)

    @property
    def running(self) -> int:
        """Queries this process is running now."""
        return sum(self._running.values())

    async def run(
        self, caller: str, query: str, parameters: dict[str, Any], limits: Limits
    ) -> CypherAnswer:
        """Run one query for `caller` within `limits`; ResearchBusy when over a concurrency
        limit, QueryTimedOut at most `GRACE_SECONDS` after the time limit."""
        retry = limits.timeout_seconds
        if self._running.get(caller, 0) >= self.per_caller:
            raise ResearchBusy(
                f"at most {self.per_caller} research queries at a time per caller; "
                "wait for the running one",
                retry,
            )
        if self.running >= self.workers:
            raise ResearchBusy(f"all {self.workers} research slots are busy; retry later", retry)
        self._running[caller] = self._running.get(caller, 0) + 1
        # One deadline for everything the caller waits for: the check, starting a worker (a
        # killed one is replaced: about 3 s on a loaded machine) and the query itself.
        deadline = anyio.current_time() + limits.timeout_seconds + GRACE_SECONDS
        try:
            alive = await anyio.to_thread.run_sync(self._count_alive, limiter=self._checks)
            if alive >= self.workers:
                raise ResearchBusy(
                    f"Neo4j is still working on {alive} earlier research queries; retry later",
                    retry,
                )
            return await self._run(query, parameters, limits, deadline)
        finally:
            self._running[caller] -= 1
            if not self._running[caller]:
                del self._running[caller]

    async def _run(
        self, query: str, parameters: dict[str, Any], limits: Limits, deadline: float
    ) -> CypherAnswer:
        token = secrets.token_hex(8)
        request = {
            "query": query,
            "parameters": parameters,
            "limits": asdict(limits),
            "token": token,
        }
        worker = self._idle.pop() if self._idle else await self._spawn()
        sent = False
        reply: dict[str, Any] | None = None
        try:
            with anyio.CancelScope(deadline=deadline):
                await self._ready(worker)
                sent = True
                await worker.send(request)
                reply = await worker.receive(limits.max_bytes * 2 + 65_536)
        except (anyio.BrokenResourceError, anyio.EndOfStream, anyio.IncompleteRead, OSError):
            reply = {"error": "unavailable", "message": "the research worker stopped"}
        except (anyio.DelimiterNotFound, ValueError):
            reply = {"error": "too_large", "message": "the answer is larger than allowed"}
        if not sent:  # the deadline passed while the worker was still starting: keep it
            self._idle.append(worker)
            raise QueryTimedOut(f"the query timed out after {limits.timeout_seconds:g} s")
        if reply is None or "answer" not in reply:
            worker.kill()
            self._dead.append(worker)
            await self._replace()
            if reply is None:
                # Killing the worker closed its connection; the server may still compute.
                threading.Thread(target=self._terminate, args=(token,), daemon=True).start()
                raise QueryTimedOut(f"the query timed out after {limits.timeout_seconds:g} s")
            raise ERROR_KINDS.get(reply.get("error", ""), QueryFailed)(str(reply.get("message")))
        if len(self._idle) < self.workers:
            self._idle.append(worker)
        else:
            worker.kill()
            self._dead.append(worker)
        return CypherAnswer(**reply["answer"])

    async def _replace(self) -> None:
        """Start a worker in place of a killed one now, so that it has imported its driver
        by the next query (the start counts against that query's limit)."""
        if len(self._idle) >= self.workers:
            return
        with contextlib.suppress(OSError):  # the next query starts one and reports that
            self._idle.append(await self._spawn())

    async def _spawn(self) -> _Worker:
        """A new worker process, told where to connect. It gets ready on its own (importing
        the driver takes seconds); `_ready` waits for that."""
        self._dead = [w for w in self._dead if w.process.returncode is None]
        env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "HEXAHELIX_"))}
        process = await anyio.open_process(
            [sys.executable, "-m", "graph.neo4j.worker"], env=env, stderr=None
        )
        worker = _Worker(process)
        worker.ready_by = anyio.current_time() + START_SECONDS
        await worker.send(asdict(self.connection))
        return worker

    async def _ready(self, worker: _Worker) -> None:
        """Wait until `worker` said it is ready (at once if it did); StoreUnavailable if it
        does not within START_SECONDS of its start."""
        if worker.ready:
            return
        ready: dict[str, Any] = {}
        try:
            with anyio.CancelScope(deadline=worker.ready_by) as scope:
                ready = await worker.receive(1024)
        except (anyio.EndOfStream, anyio.BrokenResourceError, ValueError):
            pass
        if scope.cancelled_caught or not ready.get("ready"):
            await worker.reap()
            raise StoreUnavailable("the research worker did not start")
        worker.ready = True

    async def close(self) -> None:
        """Stop the workers."""
        workers, self._idle, self._dead = [*self._idle, *self._dead], [], []
        for worker in workers:
            await worker.reap()
