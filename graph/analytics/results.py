"""Computed answers kept in a SQLite file, shared by every process of a deployment.

The analytics of a national graph take a minute and a map layout longer; kept in memory only,
they are lost at every restart and computed again by each API process. A `ResultStore` keeps
them beside the store (`<data_dir>/results.sqlite3`, or `HEXAHELIX_RESULTS_DB`): one process
computes (`hexahelix worker`, or a single `hexahelix serve`), the others read.

Each row is one answer (`kind`, e.g. `portfolio`, and a `key` naming its arguments) computed
on one graph version, with the seconds it took; the body is the answer's JSON, compressed.
`latest` gives the newest row at or below the store's current version, so a reader answers at
once with the last complete result and says how far behind it is. Readers ask for what they
miss with `want`; the worker reads `wanted`. The two newest versions of each answer are kept.

SQLite in WAL mode lets many readers and one writer work at once across processes; every
process opens its own connection per thread.

>>> import tempfile, pathlib
>>> with tempfile.TemporaryDirectory() as tmp:
...     results = ResultStore(pathlib.Path(tmp) / "r.sqlite3")
...     results.put("portfolio", "x", 3, b'{"a": 1}', seconds=2.5)
...     results.put("portfolio", "x", 5, b'{"a": 2}', seconds=2.0)
...     kept = results.latest("portfolio", "x", 4)
...     newest = results.latest("portfolio", "x", 9)
...     results.close()
>>> kept.version, kept.body, newest.version, newest.seconds
(3, b'{"a": 1}', 5, 2.0)
"""

from __future__ import annotations

import sqlite3
import threading
import time
import zlib
from dataclasses import dataclass
from pathlib import Path

KEEP_VERSIONS = 2
SCHEMA = """
CREATE TABLE IF NOT EXISTS results (
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    version INTEGER NOT NULL,
    seconds REAL NOT NULL,
    stored_at REAL NOT NULL,
    body BLOB NOT NULL,
    PRIMARY KEY (kind, key, version)
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS wanted (
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    asked_at REAL NOT NULL,
    PRIMARY KEY (kind, key)
);
"""


@dataclass(frozen=True)
class Stored:
    """One kept answer: its graph version, how long it took, and its JSON bytes."""

    version: int
    seconds: float
    body: bytes


class ResultStore:
    """Answers by (kind, key, graph version) in one SQLite file; see the module docstring."""

    def __init__(self, path: Path, identity: str = "", busy_timeout: float = 10.0) -> None:
        self.path = path
        self._busy_timeout = busy_timeout
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._conn() as conn:
            conn.executescript(SCHEMA)
        self._claim(identity)

    def _claim(self, identity: str) -> None:
        """Forget every answer when the file last served another graph (`identity` names the
        store: versions of two graphs say nothing about each other)."""
        with self._conn() as conn:
            conn.execute("BEGIN IMMEDIATE")
            row = conn.execute("SELECT value FROM meta WHERE key = 'identity'").fetchone()
            if row is None or row[0] != identity:
                conn.execute("DELETE FROM results")
                conn.execute("DELETE FROM wanted")
                conn.execute("INSERT OR REPLACE INTO meta VALUES ('identity', ?)", (identity,))

    def _conn(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=self._busy_timeout, check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            self._local.conn = conn
            with self._lock:
                self._connections.append(conn)
        return conn

    def close(self) -> None:
        """Close every connection this object opened."""
        with self._lock:
            for conn in self._connections:
                conn.close()
            self._connections.clear()
        self._local = threading.local()

    def put(self, kind: str, key: str, version: int, body: bytes, seconds: float) -> None:
        """Keep an answer (replacing one of the same version); drop all but the newest two."""
        packed = zlib.compress(body, 1)  # fast: the national lists are tens of MB of JSON
        with self._conn() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO results VALUES (?, ?, ?, ?, ?, ?)",
                (kind, key, version, seconds, time.time(), packed),
            )
            conn.execute(
                """DELETE FROM results WHERE kind = ? AND key = ? AND version NOT IN (
                       SELECT version FROM results WHERE kind = ? AND key = ?
                       ORDER BY version DESC LIMIT ?)""",
                (kind, key, kind, key, KEEP_VERSIONS),
            )

    def version_of(self, kind: str, key: str, at_most: int) -> tuple[int, float] | None:
        """The version and seconds of the newest answer at or below `at_most` (no body read)."""
        row = (
            self._conn()
            .execute(
                "SELECT version, seconds FROM results WHERE kind = ? AND key = ? AND version <= ? "
                "ORDER BY version DESC LIMIT 1",
                (kind, key, at_most),
            )
            .fetchone()
        )
        return None if row is None else (int(row[0]), float(row[1]))

    def latest(self, kind: str, key: str, at_most: int) -> Stored | None:
        """The newest answer computed at or below version `at_most`, or None."""
        row = (
            self._conn()
            .execute(
                "SELECT version, seconds, body FROM results WHERE kind = ? AND key = ? "
                "AND version <= ? ORDER BY version DESC LIMIT 1",
                (kind, key, at_most),
            )
            .fetchone()
        )
        if row is None:
            return None
        return Stored(int(row[0]), float(row[1]), zlib.decompress(row[2]))

    def generation(self) -> float:
        """Changes whenever an answer is kept (by any process): a stale answer read before
        stays right until then."""
        row = self._conn().execute("SELECT max(stored_at) FROM results").fetchone()
        return float(row[0] or 0.0)

    def forget_above(self, version: int) -> int:
        """Drop answers of versions above `version` (the store went back: another graph under
        the same name). Returns how many were dropped."""
        with self._conn() as conn:
            return conn.execute("DELETE FROM results WHERE version > ?", (version,)).rowcount

    def want(self, kind: str, key: str) -> None:
        """Ask the computing process for a newer (kind, key)."""
        with self._conn() as conn:
            conn.execute("INSERT OR REPLACE INTO wanted VALUES (?, ?, ?)", (kind, key, time.time()))

    def wanted(self, since: float) -> list[tuple[str, str]]:
        """The (kind, key) asked for at or after `since` (a time.time()), oldest ask first."""
        rows = (
            self._conn()
            .execute("SELECT kind, key FROM wanted WHERE asked_at >= ? ORDER BY asked_at", (since,))
            .fetchall()
        )
        return [(str(kind), str(key)) for kind, key in rows]
