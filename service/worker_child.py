"""`hexahelix worker` as a child of a single `hexahelix serve`.

A single `hexahelix serve` used to recompute the whole graph's analytics in a thread of its own
process. On a national graph that thread holds the interpreter's lock for minutes (decoding the
snapshot, building the projection), so every request waited for it: on Neo4j one innovation's
metrics took 3-20 times longer than alone. Now `serve` starts `hexahelix worker` as a child
process and answers as the API processes of a deployment do (from the shared results file,
one innovation's metrics from its neighbourhood): the recompute runs beside the requests.

`WorkerChild` starts the child, restarts it when it ends on its own (logged, with a growing
pause; `state()` says so for /readyz) and stops it with the server. The child also ends when the
server dies without stopping it (Linux: the parent-death signal), so no worker outlives it.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence

log = logging.getLogger("hexahelix.serve")
POLL_SECONDS = 0.25
"""How often the child looks at the graph version: a write shows in the global answers this
long, plus their computation, after it."""
STOP_SECONDS = 5.0
"""How long a stopping child may take to end before it is killed (a pass in progress is
dropped; its answers are computed again on the next start)."""
FIRST_PAUSE, LONGEST_PAUSE = 1.0, 60.0
"""Pauses before restarting a child that ended: the first, then doubled up to the longest."""
RAN_WELL_SECONDS = 600.0
"""A child that ran this long before it ended is restarted after the first pause again."""
PR_SET_PDEATHSIG = 1
NICENESS = 10
"""How much lower the child's CPU priority is than the server's."""


def worker_command(poll: float = POLL_SECONDS) -> list[str]:
    """The child's command line: this interpreter's `hexahelix worker`, told its parent."""
    return [
        sys.executable,
        "-m",
        "service.cli",
        "worker",
        "--poll",
        str(poll),
        "--parent",
        str(os.getpid()),
    ]


def as_child_of(parent: int) -> bool:
    """In the child (`hexahelix worker --parent PID`), before it works: give way to the
    server's requests (a lower CPU priority: on a small machine the recompute would otherwise
    take a core the requests need), and be killed when the thread of `parent` that started it
    ends, i.e. when the server dies without stopping it (Linux; elsewhere `WorkerChild.stop` is
    what ends it). SIGKILL, not SIGTERM: a pass in progress would otherwise run on for minutes;
    the results file loses nothing (each answer is written in one transaction). False when
    `parent` is gone already."""
    with contextlib.suppress(OSError):  # not allowed here: the server's priority
        os.nice(NICENESS)
    with contextlib.suppress(OSError, AttributeError):  # no prctl: not Linux
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    return os.getppid() == parent


class WorkerChild:
    """One supervised child process running `command` (see the module docstring)."""

    def __init__(
        self, command: Sequence[str] | None = None, env: dict[str, str] | None = None
    ) -> None:
        self.command = list(command or worker_command())
        self.env = env
        self._process: subprocess.Popen[bytes] | None = None
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self.restarts = 0
        self.last_exit: int | None = None
        self._started_at = 0.0

    def start(self) -> None:
        """Start the child and the thread that watches it (which also starts the restarts: the
        parent-death signal follows the thread that started a child, and this one lives until
        `stop`)."""
        started = threading.Event()
        self._thread = threading.Thread(
            target=self._watch, args=(started.set,), name="hexahelix-worker-child", daemon=True
        )
        self._thread.start()
        started.wait(30)

    def _spawn(self) -> None:
        with self._lock:
            if self._stopping.is_set():
                return
            # The child inherits stdout and stderr: its log lines are the server's.
            self._process = subprocess.Popen(self.command, env=self.env)
            self._started_at = time.monotonic()
        log.info("analytics worker started (pid %d)", self._process.pid)

    def _watch(self, started: Callable[[], None]) -> None:
        pause = FIRST_PAUSE
        try:
            self._spawn()
        finally:
            started()
        while not self._stopping.is_set():
            process = self._process
            if process is None:
                return
            code = process.wait()
            if self._stopping.is_set():
                return
            if time.monotonic() - self._started_at > RAN_WELL_SECONDS:
                pause = FIRST_PAUSE  # it ran well for a while: this is a new failure
            with self._lock:
                self.last_exit = code
            log.error(
                "the analytics worker (pid %d) ended with exit code %d; restarting it in %.0f s "
                "(meanwhile the global analytics are the last ones kept, marked stale)",
                process.pid,
                code,
                pause,
            )
            if self._stopping.wait(pause):
                return
            self.restarts += 1
            self._spawn()
            pause = min(pause * 2, LONGEST_PAUSE)

    def pid(self) -> int | None:
        """The running child's process id (None before the start or once it ended)."""
        process = self._process
        return process.pid if process is not None and process.poll() is None else None

    def state(self) -> dict[str, object]:
        """What /readyz says of the worker: running or restarting, its restarts and last exit."""
        running = self.pid() is not None
        state: dict[str, object] = {"state": "running" if running else "restarting"}
        if self.restarts or self.last_exit is not None:
            state |= {"restarts": self.restarts, "last_exit_code": self.last_exit}
        return state

    def stop(self) -> None:
        """End the child (SIGTERM, then SIGKILL after STOP_SECONDS) and stop restarting it."""
        self._stopping.set()
        with self._lock:
            process = self._process
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(STOP_SECONDS)
            except subprocess.TimeoutExpired:
                log.warning("the analytics worker did not end in %.0f s: killed", STOP_SECONDS)
                process.kill()
                process.wait()
        if self._thread is not None:
            self._thread.join(STOP_SECONDS)
