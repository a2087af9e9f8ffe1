"""Research queries (read-only Cypher) as an optional capability of a store.

A store that can run them implements `CypherReader` (the Neo4j adapter does); the service asks
`isinstance(store, CypherReader)` and answers 501 (`Unsupported`) otherwise. A runner raises the
domain errors the service maps once (`service/errors.py`): `Refused` (403) for anything but a
plain read, `TimedOut` (408), `BadQuery` (400), `Invalid` (422) for an answer too large,
`Busy` (429) over a concurrency limit, `StoreUnavailable` (503).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

MAX_QUERY_CHARS = 5_000
"""Longest query text accepted."""


@dataclass
class Limits:
    """How much one query may take."""

    timeout_seconds: float = 10.0
    max_rows: int = 1_000
    max_bytes: int = 2_000_000


@dataclass
class CypherAnswer:
    """Columns and rows of a query, rows as JSON-ready values."""

    columns: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    truncated: bool = False
    reason: str | None = None


class CypherRunner(Protocol):
    """Runs research queries within limits, a few at a time per caller."""

    async def run(
        self, caller: str, query: str, parameters: dict[str, Any], limits: Limits
    ) -> CypherAnswer:
        """One query for `caller` within `limits`."""
        ...

    async def close(self) -> None:
        """Stop whatever runs the queries."""
        ...


@runtime_checkable
class CypherReader(Protocol):
    """The optional store capability: a runner of read-only Cypher over the store's graph."""

    def cypher_sandbox(self, *, workers: int, per_caller: int, memory_bytes: int) -> CypherRunner:
        """A runner with at most `workers` queries at once, `per_caller` per caller, each
        within `memory_bytes`."""
        ...
