"""Computed answers kept in a SQLite file, shared by every process of a deployment.

The analytics of a national graph take a minute and a map layout longer; kept in memory only,
they are lost at every restart and computed again by each API process. A `ResultStore` keeps
them beside the store (`<data_dir>/results.sqlite3`, or `HEXAHELIX_RESULTS_DB`): one process
computes (`hexahelix worker`: a single `hexahelix serve` runs one as its child), the
others read.

Each row is one answer (`kind`, e.g. `portfolio`, and a `key` naming its arguments) computed
on one graph version, with the seconds it took; the body is the answer's JSON, compressed.
`latest` gives the newest row at or below the store's current version, so a reader answers at
once with the last complete result and says how far behind it is. Readers ask for what they
miss with `want` (which never waits for the worker's writes); the worker reads `wanted`. The
two newest versions of each answer are kept.

Lists (every innovation's or actor's metrics: 36 MB of JSON nationally) are kept as one row per
item (`put_list`), so a process answers a page of them (`page`: filters and sort keys on the
items' JSON fields, LIMIT/OFFSET, the total) without parsing, or holding, the whole list.
`KeptReader` reads answers back, each parsed once per kept version: the one way every process
reads this file.

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

import logging
import queue
import sqlite3
import threading
import time
import zlib
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any, Literal, NamedTuple

log = logging.getLogger("hexahelix.results")

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
CREATE TABLE IF NOT EXISTS lists (
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    version INTEGER NOT NULL,
    seconds REAL NOT NULL,
    stored_at REAL NOT NULL,
    total INTEGER NOT NULL,
    PRIMARY KEY (kind, key, version)
);
CREATE TABLE IF NOT EXISTS rows (
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    version INTEGER NOT NULL,
    position INTEGER NOT NULL,
    rank INTEGER NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (kind, key, version, position)
);
CREATE INDEX IF NOT EXISTS rows_by_flag ON rows
    (kind, key, version, json_extract(body, '$.under_connected'), rank);
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


@dataclass(frozen=True)
class Match:
    """One filter of a page of a kept list: the item's top-level JSON `field` is `value`
    (`is`), equals it whatever the case (`caseless`), or is a list holding it (`has`)."""

    field: str
    value: str | int | bool
    how: Literal["is", "caseless", "has"] = "is"


class Window(NamedTuple):
    """Which items of a kept list a page answers, in `ResultStore.page`'s argument order."""

    matches: Sequence[Match] = ()
    order: Sequence[tuple[str, bool]] = ()
    offset: int = 0
    limit: int = 50
    ranked: bool = False


ASK = "INSERT OR REPLACE INTO wanted VALUES (?, ?, ?)"
"""Records an ask of `want`: (kind, key, when)."""


def _is_busy(error: sqlite3.OperationalError) -> bool:
    """Whether SQLite refused because another connection holds the file."""
    return getattr(error, "sqlite_errorcode", None) in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)


def _lower(value: str | int | float | None) -> str | int | float | None:
    """Python's lower() for SQL (SQLite's own lower() folds ASCII only: not 'İ' or 'Ö')."""
    return value.lower() if isinstance(value, str) else value


def _path(field: str) -> str:
    """The JSON path of a top-level field, written into the SQL (not bound) so that SQLite can
    use the index on an expression (`rows_by_flag`); only plain names are accepted."""
    if not field.isidentifier() or not field.isascii():
        raise ValueError(f"not a field name: {field!r}")
    return f"'$.{field}'"


def _bound(value: str | int | bool) -> str | int:
    return value.value if isinstance(value, Enum) else value


class ResultStore:
    """Answers by (kind, key, graph version) in one SQLite file; see the module docstring."""

    def __init__(self, path: Path, identity: str = "", busy_timeout: float = 10.0) -> None:
        self.path = path
        self._busy_timeout = busy_timeout
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._later: queue.SimpleQueue[tuple[str, str, float]] = queue.SimpleQueue()
        self._asker: threading.Thread | None = None
        self._closed = False
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
                for table in ("results", "lists", "rows", "wanted"):
                    conn.execute(f"DELETE FROM {table}")
                conn.execute("INSERT OR REPLACE INTO meta VALUES ('identity', ?)", (identity,))

    def _conn(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=self._busy_timeout, check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.create_function("hexahelix_lower", 1, _lower, deterministic=True)
            self._local.conn = conn
            with self._lock:
                self._connections.append(conn)
        return conn

    def close(self) -> None:
        """Close every connection this object opened (asks not written yet are dropped)."""
        with self._lock:
            self._closed = True
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
        return self._newest("results", kind, key, at_most)

    def _newest(
        self, table: Literal["results", "lists"], kind: str, key: str, at_most: int
    ) -> tuple[int, float] | None:
        """The version and seconds of the newest row of `table` at or below `at_most`."""
        row = (
            self._conn()
            .execute(
                f"SELECT version, seconds FROM {table} WHERE kind = ? AND key = ? AND version <= ?"
                " ORDER BY version DESC LIMIT 1",
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
        row = (
            self._conn()
            .execute(  # SQLite's max(a, b) is NULL when either is: an empty table counts as 0
                "SELECT max(coalesce((SELECT max(stored_at) FROM results), 0),"
                " coalesce((SELECT max(stored_at) FROM lists), 0))"
            )
            .fetchone()
        )
        return float(row[0] or 0.0)

    def forget_above(self, version: int) -> int:
        """Drop answers of versions above `version` (the store went back: another graph under
        the same name). Returns how many were dropped."""
        with self._conn() as conn:
            conn.execute("DELETE FROM rows WHERE version > ?", (version,))
            dropped = conn.execute("DELETE FROM lists WHERE version > ?", (version,)).rowcount
            return (
                dropped + conn.execute("DELETE FROM results WHERE version > ?", (version,)).rowcount
            )

    def put_list(
        self,
        kind: str,
        key: str,
        version: int,
        items: Sequence[bytes],
        ranks: Sequence[int],
        seconds: float,
    ) -> None:
        """Keep a list answer as one row per item (its JSON, its place in the list and its
        `ranks` place in a second order), in one transaction; drop all but the newest two."""
        where = "kind = ? AND key = ? AND version = ?"
        with self._conn() as conn:
            conn.execute(f"DELETE FROM rows WHERE {where}", (kind, key, version))
            conn.executemany(
                "INSERT INTO rows VALUES (?, ?, ?, ?, ?, ?)",
                (
                    (kind, key, version, n, rank, item.decode())
                    for n, (item, rank) in enumerate(zip(items, ranks, strict=True))
                ),
            )
            conn.execute(
                "INSERT OR REPLACE INTO lists VALUES (?, ?, ?, ?, ?, ?)",
                (kind, key, version, seconds, time.time(), len(items)),
            )
            old = conn.execute(
                "SELECT version FROM lists WHERE kind = ? AND key = ? "
                "ORDER BY version DESC LIMIT -1 OFFSET ?",
                (kind, key, KEEP_VERSIONS),
            ).fetchall()
            for (gone,) in old:
                conn.execute(f"DELETE FROM rows WHERE {where}", (kind, key, gone))
                conn.execute(f"DELETE FROM lists WHERE {where}", (kind, key, gone))

    def list_version(self, kind: str, key: str, at_most: int) -> tuple[int, float] | None:
        """The version and seconds of the newest kept list at or below `at_most`."""
        return self._newest("lists", kind, key, at_most)

    def latest_list(self, kind: str, key: str, at_most: int) -> Stored | None:
        """The newest kept list at or below `at_most` as one JSON array (for whoever needs it
        whole: an export, the CLI)."""
        found = self.list_version(kind, key, at_most)
        if found is None:
            return None
        rows = self._conn().execute(
            "SELECT body FROM rows WHERE kind = ? AND key = ? AND version = ? ORDER BY position",
            (kind, key, found[0]),
        )
        body = "[" + ",".join(item for (item,) in rows) + "]"
        return Stored(found[0], found[1], body.encode())

    def page(
        self,
        kind: str,
        key: str,
        version: int,
        matches: Sequence[Match] = (),
        order: Sequence[tuple[str, bool]] = (),
        offset: int = 0,
        limit: int = 50,
        ranked: bool = False,
    ) -> tuple[int, list[bytes]]:
        """The total and one window of the kept list's items matching every `matches`, sorted
        by `order` ((field, descending) pairs; empty values last either way; ties keep the
        list's order, or the `ranks` order when `ranked`), as their JSON.

        >>> import tempfile, pathlib
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     results = ResultStore(pathlib.Path(tmp) / "r.sqlite3")
        ...     items = [b'{"id": "a", "n": 2}', b'{"id": "b", "n": null}', b'{"id": "c", "n": 1}']
        ...     results.put_list("xs", "k", 1, items, [2, 0, 1], seconds=0.1)
        ...     pages = [
        ...         results.page("xs", "k", 1, order=[("n", False)], limit=2),
        ...         results.page("xs", "k", 1, ranked=True, offset=1),
        ...         results.page("xs", "k", 1, [Match("id", "A", "caseless")]),
        ...     ]
        ...     results.close()
        >>> [(total, [b[8:9].decode() for b in bodies]) for total, bodies in pages]
        [(3, ['c', 'a']), (3, ['c', 'a']), (1, ['a'])]
        """
        where = ["kind = ?", "key = ?", "version = ?"]
        params: list[Any] = [kind, key, version]
        for match in matches:
            path = _path(match.field)
            if match.how == "has":
                where.append(f"EXISTS (SELECT 1 FROM json_each(body, {path}) WHERE value = ?)")
                params.append(_bound(match.value))
            elif match.how == "caseless":
                where.append(f"hexahelix_lower(json_extract(body, {path})) = ?")
                params.append(str(match.value).lower())
            else:
                where.append(f"json_extract(body, {path}) = ?")
                params.append(_bound(match.value))
        condition = " AND ".join(where)
        conn = self._conn()
        if matches:
            total = int(
                conn.execute(f"SELECT count(*) FROM rows WHERE {condition}", params).fetchone()[0]
            )
        else:
            row = conn.execute(
                "SELECT total FROM lists WHERE kind = ? AND key = ? AND version = ?", params
            ).fetchone()
            total = 0 if row is None else int(row[0])
        sorting: list[str] = []
        for name, descending in order:
            value = f"json_extract(body, {_path(name)})"
            sorting.append(f"{value} IS NULL, {value} {'DESC' if descending else 'ASC'}")
        sorting.append("rank" if ranked else "position")
        rows = conn.execute(
            f"SELECT body FROM rows WHERE {condition} ORDER BY {', '.join(sorting)} LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )
        return total, [str(body).encode() for (body,) in rows]

    def want(self, kind: str, key: str) -> None:
        """Ask the computing process for a newer (kind, key), without waiting: while the
        worker holds the file to keep an answer (a national list takes a second or more), the
        ask is written by a background thread once it is free. A stale read asks, and must
        not wait for the very write that will make it fresh."""
        ask = (kind, key, time.time())
        conn = self._conn()
        conn.execute("PRAGMA busy_timeout = 0")
        try:
            with conn:
                conn.execute(ASK, ask)
        except sqlite3.OperationalError as error:
            if not _is_busy(error):
                raise
            self._ask_later(ask)
        finally:
            conn.execute(f"PRAGMA busy_timeout = {int(self._busy_timeout * 1000)}")

    def _ask_later(self, ask: tuple[str, str, float]) -> None:
        self._later.put(ask)
        with self._lock:
            if self._asker is None or not self._asker.is_alive():
                self._asker = threading.Thread(
                    target=self._write_later, name="hexahelix-results-ask", daemon=True
                )
                self._asker.start()

    def _write_later(self) -> None:
        """Write the asks `want` could not (waiting for the file as long as it takes)."""
        while True:
            ask = self._later.get()
            if self._closed:
                return
            try:
                with self._conn() as conn:
                    conn.execute(ASK, ask)
            except sqlite3.Error:  # closed, or busy beyond the timeout: an ask is only a hint
                log.warning("could not ask for %s %r", ask[0], ask[1], exc_info=True)

    def wanted(self, since: float) -> list[tuple[str, str]]:
        """The (kind, key) asked for at or after `since` (a time.time()), oldest ask first."""
        rows = (
            self._conn()
            .execute("SELECT kind, key FROM wanted WHERE asked_at >= ? ORDER BY asked_at", (since,))
            .fetchall()
        )
        return [(str(kind), str(key)) for kind, key in rows]


@dataclass(frozen=True)
class Loaded:
    """An answer read back from a ResultStore (or just computed): its version, the seconds it
    took, and its parsed value."""

    version: int
    seconds: float
    value: Any


class KeptReader:
    """Answers read back from a ResultStore, each parsed once per kept version; the newest few
    stay in memory (at most `max_entries`, and `max_bytes` of those that are bytes). Safe to
    share between threads."""

    def __init__(
        self, results: ResultStore, max_entries: int = 32, max_bytes: int | None = None
    ) -> None:
        self.results = results
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._memory: OrderedDict[tuple[str, str], Loaded] = OrderedDict()
        self._lock = threading.Lock()

    def get(
        self,
        kind: str,
        key: str,
        at_most: int,
        parse: Callable[[bytes], Any],
        listed: bool = False,
    ) -> Loaded | None:
        """The newest answer of (kind, key) at or below version `at_most` (a `put_list` list
        when `listed`), parsed by `parse`; None when none is kept or it does not parse (kept
        by code whose answers had another shape)."""
        with self._lock:
            cached = self._memory.get((kind, key))
        if cached is not None and cached.version == at_most:
            return cached  # the newest there can be: no need to ask the file
        versions = self.results.list_version if listed else self.results.version_of
        found = versions(kind, key, at_most)
        if found is None:
            return None
        if cached is not None and cached.version == found[0]:
            return cached
        stored = (self.results.latest_list if listed else self.results.latest)(kind, key, at_most)
        if stored is None:
            return None
        try:
            value = parse(stored.body)
        except ValueError:
            log.warning("a kept %s of %r does not read back; ignored", kind, key)
            return None
        loaded = Loaded(stored.version, stored.seconds, value)
        self.remember(kind, key, loaded)
        return loaded

    def remember(self, kind: str, key: str, loaded: Loaded) -> None:
        """Keep `loaded` as the newest answer of (kind, key) in memory."""
        with self._lock:
            self._memory[(kind, key)] = loaded
            self._memory.move_to_end((kind, key))
            while len(self._memory) > self.max_entries or (
                self.max_bytes is not None
                and len(self._memory) > 1
                and sum(len(v.value) for v in self._memory.values() if isinstance(v.value, bytes))
                > self.max_bytes
            ):
                self._memory.popitem(last=False)
