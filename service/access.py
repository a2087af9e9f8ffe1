"""API keys and the audit trail, in a small SQLite file beside (not inside) the graph store.

The file (`HEXAHELIX_ACCESS_DB`, default `<data_dir>/access.sqlite3`) is independent of the store
kind, so it is the same for the embedded and the Neo4j store. Several API processes of one
deployment must share it (a shared volume, WAL mode): a key created or revoked by
`hexahelix keys` takes effect in every process at its next request, since nothing is cached.

Keys look like `hxh_<key id>_<secret>`: 8 hex characters that name the row, and 32 random bytes
(URL-safe base64). Only the SHA-256 of the whole key is stored. A plain fast hash is enough here,
unlike for passwords: a key carries 256 bits of randomness, so even a stolen file of hashes cannot
be reversed by guessing, and a slow KDF (bcrypt, argon2) would only add ~100 ms to every request.
The lookup goes by the public key id, then the stored and the presented hash are compared in
constant time (`hmac.compare_digest`).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from graph.errors import Conflict, Invalid, NotFound, StoreUnavailable
from graph.models import Page
from service.private_files import ensure_private

KEY_PREFIX = "hxh_"
NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS api_keys (
    name TEXT PRIMARY KEY,
    key_id TEXT NOT NULL UNIQUE,
    key_hash TEXT NOT NULL,
    role TEXT NOT NULL,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);
CREATE TABLE IF NOT EXISTS audit (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    key_name TEXT,
    role TEXT,
    client TEXT,
    method TEXT NOT NULL,
    path TEXT NOT NULL,
    status INTEGER NOT NULL,
    ids TEXT NOT NULL DEFAULT ''
);
"""


class Role(StrEnum):
    """What a key may do; each role includes the ones before it."""

    READER = "reader"
    EDITOR = "editor"
    CURATOR = "curator"  # an editor who also invites innovation owners and curates declarations
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        return list(Role).index(self)

    def allows(self, needed: Role) -> bool:
        """Whether this role includes `needed`."""
        return self.rank >= needed.rank


class KeyInfo(BaseModel):
    """An API key as listed (never the key itself)."""

    name: str
    role: Role
    key_id: str = Field(description="Public part of the key, after `hxh_`.")
    created_at: datetime
    revoked_at: datetime | None = None


class AuditEntry(BaseModel):
    """One write request: who, what, when and how it ended."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "seq": 42,
                    "at": "2025-06-01T03:14:15.926000+00:00",
                    "key_name": "bappedalitbang",
                    "role": "editor",
                    "client": "10.0.0.7",
                    "method": "POST",
                    "path": "/api/v1/collaborations",
                    "status": 201,
                    "ids": ["universitas-a", "geolasting"],
                }
            ]
        }
    )

    seq: int = Field(description="Position in the trail (increasing).")
    at: datetime = Field(description="When the request was answered (UTC).")
    key_name: str | None = Field(
        None, description="Name of the key used; null when none was sent (auth off, or refused)."
    )
    role: Role | None = Field(None, description="Role of the key; null when no key was used.")
    client: str | None = Field(None, description="Client address.")
    method: str = Field(description="HTTP method.")
    path: str = Field(description="Request path.")
    status: int = Field(description="HTTP status of the answer.")
    ids: list[str] = Field(description="Ids the request named (path) or created (Location).")


def hash_key(key: str) -> str:
    """SHA-256 hex digest of a key."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


class AccessStore:
    """Keys and audit entries in one SQLite file; a short connection per call."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            ensure_private(self.path)  # key hashes, invitations, the audit: owner only (0600)
            with self._connect() as conn:
                conn.execute("PRAGMA journal_mode=WAL")
                conn.executescript(_SCHEMA)
        except (OSError, sqlite3.Error) as error:
            raise StoreUnavailable(f"cannot open the access file {self.path}: {error}") from error

    @contextmanager
    def connect(self) -> Iterator[sqlite3.Connection]:
        """A short autocommit connection to the access file (for the modules that keep their
        own tables in it: invitations, declarations)."""
        with self._connect() as conn:
            yield conn

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        try:
            conn = sqlite3.connect(self.path, timeout=10, isolation_level=None)
        except sqlite3.Error as error:
            raise StoreUnavailable(f"cannot open the access file {self.path}: {error}") from error
        try:
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA busy_timeout=10000")
            yield conn
        except (sqlite3.OperationalError, sqlite3.DatabaseError) as error:
            # disk full, read-only, locked, damaged: no key can be checked, no entry recorded
            raise StoreUnavailable(f"access file {self.path}: {error}") from error
        finally:
            conn.close()

    # -- keys ------------------------------------------------------------------------------
    def create_key(self, name: str, role: Role) -> str:
        """A new key for `name`; returns the key, which is not stored and cannot be shown again."""
        if not re.match(NAME_PATTERN, name):
            raise Invalid(f"key name {name!r}: use 1-64 letters, digits, `_.@-`")
        key_id = secrets.token_hex(4)
        key = f"{KEY_PREFIX}{key_id}_{secrets.token_urlsafe(32)}"
        with self._connect() as conn:
            try:
                conn.execute(
                    "INSERT INTO api_keys (name, key_id, key_hash, role, created_at)"
                    " VALUES (?, ?, ?, ?, ?)",
                    (name, key_id, hash_key(key), role.value, _now()),
                )
            except sqlite3.IntegrityError as error:
                raise Conflict(
                    f"a key named {name!r} exists (revoked keys keep their name)"
                ) from error
        return key

    def list_keys(self) -> list[KeyInfo]:
        """Every key, revoked ones included, by name."""
        with self._connect() as conn:
            rows = conn.execute(
                "SELECT name, role, key_id, created_at, revoked_at FROM api_keys ORDER BY name"
            ).fetchall()
        return [KeyInfo.model_validate(dict(row)) for row in rows]

    def revoke(self, name: str) -> None:
        """Revoke a key by name: it stops working at once, in every process."""
        with self._connect() as conn:
            cursor = conn.execute(
                "UPDATE api_keys SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL",
                (_now(), name),
            )
            if cursor.rowcount == 0:
                exists = conn.execute("SELECT 1 FROM api_keys WHERE name = ?", (name,)).fetchone()
                if exists is None:
                    raise NotFound(f"no key named {name!r}")

    def authenticate(self, key: str) -> KeyInfo | None:
        """The live key matching `key`, or None."""
        if not key.startswith(KEY_PREFIX):
            return None
        key_id, _, secret = key[len(KEY_PREFIX) :].partition("_")
        if not key_id or not secret:
            return None
        with self._connect() as conn:
            row = conn.execute(
                "SELECT name, role, key_id, key_hash, created_at, revoked_at FROM api_keys"
                " WHERE key_id = ?",
                (key_id,),
            ).fetchone()
        if row is None or not hmac.compare_digest(row["key_hash"], hash_key(key)):
            return None
        if row["revoked_at"] is not None:
            return None
        fields = dict(row)
        del fields["key_hash"]
        return KeyInfo.model_validate(fields)

    # -- audit -----------------------------------------------------------------------------
    def record(
        self,
        *,
        key_name: str | None,
        role: Role | None,
        client: str | None,
        method: str,
        path: str,
        status: int,
        ids: list[str],
    ) -> None:
        """Append one entry to the audit trail."""
        with self._connect() as conn:
            conn.execute(
                "INSERT INTO audit (at, key_name, role, client, method, path, status, ids)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    _now(),
                    key_name,
                    role.value if role else None,
                    client,
                    method,
                    path,
                    status,
                    "\n".join(ids),
                ),
            )

    def audit(self, limit: int, offset: int) -> Page[AuditEntry]:
        """A page of the audit trail, newest first."""
        with self._connect() as conn:
            total = conn.execute("SELECT count(*) FROM audit").fetchone()[0]
            rows = conn.execute(
                "SELECT * FROM audit ORDER BY seq DESC LIMIT ? OFFSET ?", (limit, offset)
            ).fetchall()
        items = [
            AuditEntry.model_validate(
                {**dict(row), "ids": row["ids"].split("\n") if row["ids"] else []}
            )
            for row in rows
        ]
        return Page[AuditEntry](items=items, total=total, limit=limit, offset=offset)
