"""Separate thread pools for the heavy routes, so they cannot starve the rest of the API.

FastAPI runs every sync route in one shared pool (40 threads). Exports and imports hold a
thread for seconds, the access file's look-ups must not queue behind them, and `/cypher` runs in
worker processes (graph/neo4j/sandbox.py) awaited without any thread. Each kind of work below
has its own capacity; requests beyond it wait without a thread, and beyond `max_waiting` they are
refused at once with 429 and `Retry-After`, so a flood of exports cannot even fill the queue.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import ParamSpec, TypeVar

import anyio
import anyio.to_thread
from fastapi import HTTPException, Request

P = ParamSpec("P")
T = TypeVar("T")


class Pool:
    """A named capacity of threads for one kind of work."""

    def __init__(self, name: str, threads: int, max_waiting: int, retry_after: int = 5) -> None:
        self.name = name
        self.threads = threads
        self.max_waiting = max_waiting
        self.retry_after = retry_after
        self._limiter: anyio.CapacityLimiter | None = None

    @property
    def limiter(self) -> anyio.CapacityLimiter:
        # Made on first use: a CapacityLimiter belongs to the running event loop's library.
        if self._limiter is None:
            self._limiter = anyio.CapacityLimiter(self.threads)
        return self._limiter

    async def run(self, func: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """`func(*args, **kwargs)` on one of this pool's threads; 429 when too many wait."""
        stats = self.limiter.statistics()
        if stats.borrowed_tokens >= self.threads and stats.tasks_waiting >= self.max_waiting:
            raise HTTPException(
                429,
                f"too many {self.name} at once; retry later",
                {"Retry-After": str(self.retry_after)},
            )
        return await anyio.to_thread.run_sync(lambda: func(*args, **kwargs), limiter=self.limiter)


@dataclass
class Pools:
    """The pools of one app (limiters belong to the event loop that serves it)."""

    exports: Pool = field(default_factory=lambda: Pool("exports", threads=2, max_waiting=8))
    """Whole-graph exports: a snapshot and a serialisation each."""
    imports: Pool = field(default_factory=lambda: Pool("imports", threads=1, max_waiting=2))
    """Imports: parsing, validating and writing a whole file (writes serialise anyway)."""


def pools_of(request: Request) -> Pools:
    """The pools of the app serving `request`."""
    pools: Pools = request.app.state.pools
    return pools
