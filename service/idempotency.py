"""`Idempotency-Key` on POST: the same key and request give the same answer, with one write.

A client that did not get an answer (a timeout, a dropped connection, a 503 saying a write was
processed but not acknowledged) can send the POST again with the same `Idempotency-Key` header:
if the first one was done, its stored answer comes back (`Idempotency-Replayed: true`) and
nothing is written twice. The same key with a different method, path or body is refused (422);
while the first is still running, a second gets 409 with `Retry-After`.

Keys live per caller (the API key's name, or the client address without one) in the access file
(`HEXAHELIX_ACCESS_DB`), so every API process of a deployment sees them. An answer of 5xx is not
kept (the request may be sent again); answers are kept for `KEEP_SECONDS`, and a claim whose
process died before answering is given up after `ABANDONED_SECONDS`.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import anyio.to_thread
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from graph.errors import StoreUnavailable

HEADER = b"idempotency-key"
MAX_KEY_LENGTH = 255
KEEP_SECONDS = 24 * 3600
ABANDONED_SECONDS = 60.0
API_PATH = "/api/"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS idempotency (
    caller TEXT NOT NULL,
    key TEXT NOT NULL,
    request TEXT NOT NULL,
    claimed_at REAL NOT NULL,
    status INTEGER,
    headers TEXT,
    body BLOB,
    PRIMARY KEY (caller, key)
);
"""


@dataclass(frozen=True)
class Stored:
    """What a key holds: its request's fingerprint and, once answered, the answer."""

    request: str
    claimed_at: float
    status: int | None
    headers: list[tuple[bytes, bytes]]
    body: bytes


class IdempotencyStore:
    """Claims and answers by (caller, key) in a SQLite file; a short connection per call."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StoreUnavailable(f"cannot create {self.path.parent}: {error}") from error
        with self._connect() as conn:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.executescript(_SCHEMA)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        try:
            conn = sqlite3.connect(self.path, timeout=10, isolation_level=None)
        except sqlite3.Error as error:
            raise StoreUnavailable(f"cannot open {self.path}: {error}") from error
        try:
            yield conn
        except sqlite3.DatabaseError as error:
            raise StoreUnavailable(f"idempotency keys in {self.path}: {error}") from error
        finally:
            conn.close()

    def claim(self, caller: str, key: str, request: str) -> Stored | None:
        """Claim the key for this request (None), or what it already holds."""
        now = time.time()
        with self._connect() as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                conn.execute("DELETE FROM idempotency WHERE claimed_at < ?", (now - KEEP_SECONDS,))
                conn.execute(
                    "DELETE FROM idempotency WHERE caller = ? AND key = ? AND status IS NULL"
                    " AND claimed_at < ?",
                    (caller, key, now - ABANDONED_SECONDS),
                )
                row = conn.execute(
                    "SELECT request, claimed_at, status, headers, body FROM idempotency"
                    " WHERE caller = ? AND key = ?",
                    (caller, key),
                ).fetchone()
                if row is None:
                    conn.execute(
                        "INSERT INTO idempotency (caller, key, request, claimed_at)"
                        " VALUES (?, ?, ?, ?)",
                        (caller, key, request, now),
                    )
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        if row is None:
            return None
        headers = [
            (k.encode("latin-1"), v.encode("latin-1")) for k, v in json.loads(row[3] or "[]")
        ]
        return Stored(row[0], row[1], row[2], headers, row[4] or b"")

    def answer(
        self, caller: str, key: str, status: int, headers: list[tuple[bytes, bytes]], body: bytes
    ) -> None:
        """Keep the answer of a claimed key."""
        kept = json.dumps([(k.decode("latin-1"), v.decode("latin-1")) for k, v in headers])
        with self._connect() as conn:
            conn.execute(
                "UPDATE idempotency SET status = ?, headers = ?, body = ?"
                " WHERE caller = ? AND key = ?",
                (status, kept, body, caller, key),
            )

    def release(self, caller: str, key: str) -> None:
        """Give a claim up (its request failed in a way that may be retried)."""
        with self._connect() as conn:
            conn.execute("DELETE FROM idempotency WHERE caller = ? AND key = ?", (caller, key))


KEY_PARAMETER: dict[str, Any] = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": (
        f"Any 1 to {MAX_KEY_LENGTH} characters naming this request (a UUID, say). Sent again "
        "with the same method, path and body, the first answer comes back "
        "(`Idempotency-Replayed: true`) and nothing is written twice; answers are kept "
        f"{KEEP_SECONDS // 3600} hours, 5xx answers not at all. The same key with another "
        "request: 422."
    ),
    "schema": {"type": "string", "minLength": 1, "maxLength": MAX_KEY_LENGTH},
}
_ERROR_CONTENT = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}
_KEY_ANSWERS = {
    "409": "a request with this `Idempotency-Key` is still running (retry after `Retry-After`)",
    "422": "the `Idempotency-Key` was used for another request, or is longer than allowed",
}


def document(operation: dict[str, Any]) -> None:
    """Add the `Idempotency-Key` header and its answers to a POST's OpenAPI operation (the
    middleware takes the header on every POST under /api/)."""
    parameters = operation.setdefault("parameters", [])
    if all(p.get("name") != KEY_PARAMETER["name"] for p in parameters):
        parameters.append(KEY_PARAMETER)
    responses = operation.setdefault("responses", {})
    for status, why in _KEY_ANSWERS.items():
        known = responses.get(status)
        if known is None:
            responses[status] = {
                "description": why[0].upper() + why[1:] + ".",
                "content": _ERROR_CONTENT,
            }
        elif why not in known.get("description", ""):
            responses[status] = {**known, "description": f"{known['description']} Or: {why}."}
    for status, response in responses.items():
        if status.startswith("2"):
            response.setdefault("headers", {})["Idempotency-Replayed"] = {
                "description": "`true` when this is the kept answer to an earlier request with "
                "the same `Idempotency-Key` (nothing was written this time).",
                "schema": {"type": "string", "enum": ["true"]},
            }


def _error(status: int, detail: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"detail": detail}, status_code=status, headers=headers)


class Idempotency:
    """ASGI middleware for POSTs under /api/ that carry an `Idempotency-Key` header."""

    def __init__(self, app: ASGIApp, store: IdempotencyStore) -> None:
        self.app = app
        self.store = store

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        key_header = dict(scope["headers"]).get(HEADER) if scope["type"] == "http" else None
        if (
            key_header is None
            or scope["method"] != "POST"
            or not str(scope["path"]).startswith(API_PATH)
        ):
            await self.app(scope, receive, send)
            return
        key = key_header.decode("latin-1").strip()
        if not 1 <= len(key) <= MAX_KEY_LENGTH:
            await _error(422, f"Idempotency-Key: 1 to {MAX_KEY_LENGTH} characters")(
                scope, receive, send
            )
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body", False):
                break
        fingerprint = hashlib.sha256(
            b"\n".join([b"POST", str(scope["path"]).encode(), scope["query_string"], body])
        ).hexdigest()
        principal = scope.get("state", {}).get("principal")
        name = getattr(principal, "name", None)
        client = scope.get("client")
        caller = f"key:{name}" if name else f"ip:{client[0] if client else 'unknown'}"
        stored = await anyio.to_thread.run_sync(self.store.claim, caller, key, fingerprint)
        if stored is not None:
            await self._existing(stored, fingerprint, scope, receive, send)
            return

        replayed = False

        async def replay_receive() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()  # the client's disconnect, if any
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        start: Message = {}
        chunks: list[bytes] = []

        async def keeping_send(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            status: int = start["status"]
            headers = list(start.get("headers", []))
            whole = b"".join(chunks)
            if status >= 500:
                await anyio.to_thread.run_sync(self.store.release, caller, key)
            else:
                await anyio.to_thread.run_sync(
                    self.store.answer, caller, key, status, headers, whole
                )
            await send(start)
            await send({"type": "http.response.body", "body": whole})

        try:
            await self.app(scope, replay_receive, keeping_send)
        except BaseException:
            await anyio.to_thread.run_sync(self.store.release, caller, key)
            raise

    async def _existing(
        self, stored: Stored, fingerprint: str, scope: Scope, receive: Receive, send: Send
    ) -> None:
        """Answer a request whose key is taken: replay, wait, or refuse a different request."""
        if stored.request != fingerprint:
            await _error(
                422,
                "this Idempotency-Key was used for a different request (method, path or body): "
                "use a new key for a new request",
            )(scope, receive, send)
            return
        if stored.status is None:
            await _error(
                409,
                "a request with this Idempotency-Key is still running: retry shortly",
                {"Retry-After": "1"},
            )(scope, receive, send)
            return
        headers = [*stored.headers, (b"idempotency-replayed", b"true")]
        await send({"type": "http.response.start", "status": stored.status, "headers": headers})
        await send({"type": "http.response.body", "body": stored.body})
