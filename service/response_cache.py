"""Repeated reads of the same graph version answered from memory, with `ETag` and 304.

Every answer of the graph API (records, queries, analytics, the map) is a function of the graph
version, the request (path, query, language) and the day (the default `at=` is today). The
`ResponseCache` middleware keeps the bytes of each 200 answer under that key and serves them again
without routing, validation or serialisation; `If-None-Match` with the answer's `ETag` gets 304.

The graph version is read from the store at most once per `version_ttl` seconds (a read costs a
round trip on Neo4j); a write that passes through this process forgets the cached version at
once, so its own next read is fresh, and writes of other processes (or the CLI) are seen within
`version_ttl`. Answers marked stale by the analytics (`Hexahelix-Stale: true`) are the last
complete results while newer ones are computed: they are kept too, with the results file's
generation when they were computed (it moves whenever any process keeps a newer result); a stale
entry is replayed only while the generation is unchanged (read at most every `version_ttl`, and
only for stale entries), so the recomputed answer replaces it as soon as it exists.
"""

from __future__ import annotations

import hashlib
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from graph.errors import HexahelixError

# Reads whose answer depends only on the graph, the request and the day. Role-dependent or
# per-caller answers (audit, declarations, invitations, cypher) are not listed.
CACHEABLE_PREFIXES = (
    "/api/v1/innovations",
    "/api/v1/actors",
    "/api/v1/collaborations",
    "/api/v1/partnerships",
    "/api/v1/analytics",
    "/api/v1/paths",
    "/api/v1/map",
    "/api/v1/layout",
    "/api/v1/vocab",
)
VARY_HEADERS = (b"accept-language",)
STALE_HEADER = b"hexahelix-stale"
MAX_ENTRY_BYTES = 32 * 1024 * 1024
"""The national portfolio is about 21 MB of JSON: kept too, so it is serialised once per version."""


@dataclass(frozen=True)
class Entry:
    """One kept answer."""

    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes
    etag: bytes
    generation: float | None = None  # a stale answer's results generation; None: fresh


def etag_of(body: bytes) -> bytes:
    """A strong validator of the body's bytes.

    >>> etag_of(b"{}")
    b'"bf21a9e8fbc5a3846fb05b4fa0859e0917b2202f"'
    """
    return b'"' + hashlib.sha1(body, usedforsecurity=False).hexdigest().encode() + b'"'


def matches(if_none_match: bytes, etag: bytes) -> bool:
    """Whether an `If-None-Match` value names `etag` (weak comparison, `*` included).

    >>> matches(b'W/"a", "b"', b'"b"'), matches(b'"a"', b'"b"'), matches(b"*", b'"b"')
    (True, False, True)
    """
    if if_none_match.strip() == b"*":
        return True
    candidates = {c.strip().removeprefix(b"W/") for c in if_none_match.split(b",")}
    return etag in candidates


class ResponseCache:
    """ASGI middleware; see the module docstring. Counts its hits and misses for tests/metrics."""

    def __init__(
        self,
        app: ASGIApp,
        version_ttl: float = 0.1,
        max_bytes: int = 64 * 1024 * 1024,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.app = app
        self.version_ttl = version_ttl
        self.max_bytes = max_bytes
        self.clock = clock
        self._entries: OrderedDict[tuple[object, ...], Entry] = OrderedDict()
        self._bytes = 0
        self._version: int | None = None
        self._generation = 0.0
        self._generation_read_at = float("-inf")
        self._version_read_at = float("-inf")
        self.hits = 0
        self.misses = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        method = scope["method"]
        if method not in ("GET", "HEAD"):
            try:
                await self.app(scope, receive, send)
            finally:
                self._version_read_at = float("-inf")  # a write may have happened
            return
        path: str = scope["path"]
        if not path.startswith(CACHEABLE_PREFIXES):
            await self.app(scope, receive, send)
            return
        version = self._graph_version(scope)
        if version is None:  # the store does not answer: let the route say so
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        key = (
            version,
            date.today(),
            method,
            path,
            scope["query_string"],
            *(headers.get(h, b"") for h in VARY_HEADERS),
        )
        entry = self._entries.get(key)
        if entry is not None and entry.generation not in (None, self._results_generation(scope)):
            self._drop(key)  # a newer result exists: compute the answer again
            entry = None
        if entry is not None:
            self.hits += 1
            self._entries.move_to_end(key)
            await self._replay(entry, headers.get(b"if-none-match"), method, send)
            return
        self.misses += 1
        self._generation_read_at = float("-inf")  # the generation this answer is computed at
        generation = self._results_generation(scope)
        await self._fill(key, generation, scope, receive, send, headers.get(b"if-none-match"))

    def _graph_version(self, scope: Scope) -> int | None:
        now = self.clock()
        if self._version is None or now - self._version_read_at >= self.version_ttl:
            services = scope["app"].state.services
            store = services.store
            try:
                version = int(store.version())
            except HexahelixError:
                return None
            if version != self._version:
                self._entries.clear()
                self._bytes = 0
            self._version, self._version_read_at = version, now
        return self._version

    def _results_generation(self, scope: Scope) -> float:
        """The results file's generation, read at most every `version_ttl` seconds."""
        now = self.clock()
        if now - self._generation_read_at >= self.version_ttl:
            self._generation = scope["app"].state.services.results.generation()
            self._generation_read_at = now
        return self._generation

    def _drop(self, key: tuple[object, ...]) -> None:
        dropped = self._entries.pop(key, None)
        if dropped is not None:
            self._bytes -= len(dropped.body)

    async def _replay(
        self, entry: Entry, if_none_match: bytes | None, method: str, send: Send
    ) -> None:
        if if_none_match is not None and matches(if_none_match, entry.etag):
            await send(
                {"type": "http.response.start", "status": 304, "headers": [(b"etag", entry.etag)]}
            )
            await send({"type": "http.response.body", "body": b""})
            return
        await send(
            {"type": "http.response.start", "status": entry.status, "headers": entry.headers}
        )
        await send({"type": "http.response.body", "body": b"" if method == "HEAD" else entry.body})

    async def _fill(
        self,
        key: tuple[object, ...],
        generation: float,
        scope: Scope,
        receive: Receive,
        send: Send,
        if_none_match: bytes | None,
    ) -> None:
        """Run the route, keep its 200 answer, and add the ETag (or answer 304)."""
        start: Message | None = None
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
                return
            if message["type"] != "http.response.body" or start is None:
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            await self._finish(key, generation, start, b"".join(chunks), if_none_match, send)

        await self.app(scope, receive, capture)

    async def _finish(
        self,
        key: tuple[object, ...],
        generation: float,
        start: Message,
        body: bytes,
        if_none_match: bytes | None,
        send: Send,
    ) -> None:
        status: int = start["status"]
        # A record's answer carries the record's own ETag (its revision, which `If-Match` names):
        # keep it; other answers get a validator of their bytes.
        own = [v for k, v in start.get("headers", []) if k.lower() == b"etag"]
        headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"etag"]
        if status != 200:
            await send({**start, "headers": headers})
            await send({"type": "http.response.body", "body": body})
            return
        etag = own[0] if own else etag_of(body)
        headers.append((b"etag", etag))
        stale = any(k.lower() == STALE_HEADER and v == b"true" for k, v in headers)
        entry = Entry(status, headers, body, etag, generation if stale else None)
        if len(body) <= MAX_ENTRY_BYTES:
            self._keep(key, entry)
        await self._replay(entry, if_none_match, str(key[2]), send)

    def _keep(self, key: tuple[object, ...], entry: Entry) -> None:
        if key[0] != self._version:  # the graph changed while this answer was computed
            return
        self._entries[key] = entry
        self._bytes += len(entry.body)
        while self._bytes > self.max_bytes and self._entries:
            _, dropped = self._entries.popitem(last=False)
            self._bytes -= len(dropped.body)
