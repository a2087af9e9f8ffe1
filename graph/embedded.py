"""The embedded store: SQLite on disk in WAL mode, the default on a machine with no Neo4j.

One file, `<data_dir>/hexahelix.sqlite3`. Each thread gets its own connection; every write is one
`BEGIN IMMEDIATE` transaction, so writers from other threads and processes queue on SQLite's lock
(up to the busy timeout) instead of failing. Nodes keep their filterable fields in indexed columns
and the whole model as JSON beside them, so what `get` returns equals what was created.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date
from itertools import groupby
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from graph.errors import Conflict, StoreDamaged, StoreUnavailable
from graph.kinds import ACTOR, INNOVATION, KINDS, NODE_SECTIONS, RecordKind
from graph.models import GraphData
from graph.regions import SEPARATOR
from graph.store import (
    CASELESS_FIELDS,
    Around,
    CoverageGap,
    InnovationSpan,
    Key,
    PageRequest,
    SourcedInnovation,
    Store,
    TieSpan,
    key_of,
)
from graph.vocab import Helix

DB_FILE = "hexahelix.sqlite3"
BUSY_TIMEOUT_MS = 10_000
_CHUNK = 500  # ids per `IN (...)` query, well under SQLite's bound-variable limit
MIN_FREE_BYTES = 1024 * 1024  # /readyz: less free space than this on the disk is "full"
PROBE_BYTES = 65_536  # what the readiness probe writes (and deletes) to prove a write fits
RESTORE_HINT = (
    "restore it from a backup (`hexahelix restore BACKUP`), or move it away to start an empty store"
)
# SQLite result codes (the primary code is the low byte of an extended one)
_DAMAGED_CODES = {11: "corrupt", 26: "not a database"}  # SQLITE_CORRUPT, SQLITE_NOTADB
_WRITE_FAULT_CODES = {
    8: "read-only",  # SQLITE_READONLY
    10: "disk I/O error",  # SQLITE_IOERR
    13: "disk full",  # SQLITE_FULL
    14: "cannot open",  # SQLITE_CANTOPEN
}

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
INSERT OR IGNORE INTO meta (key, value) VALUES ('version', 0);
-- the readiness probe's scratch row (written and deleted in one transaction)
CREATE TABLE IF NOT EXISTS probe (id INTEGER PRIMARY KEY, pad BLOB);

CREATE TABLE IF NOT EXISTS regions (
    code TEXT PRIMARY KEY, name TEXT NOT NULL, level TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS actors (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, helix TEXT NOT NULL, kind TEXT NOT NULL,
    region TEXT NOT NULL, district TEXT, scope TEXT NOT NULL, sector TEXT, data TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS innovations (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, origin TEXT NOT NULL,
    owner_id TEXT REFERENCES actors (id), region TEXT NOT NULL, district TEXT, sector TEXT,
    stage TEXT NOT NULL, form TEXT NOT NULL, program TEXT, data TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS collaborations (
    actor_id TEXT NOT NULL REFERENCES actors (id),
    innovation_id TEXT NOT NULL REFERENCES innovations (id),
    role TEXT NOT NULL, strength INTEGER NOT NULL, since TEXT NOT NULL, until TEXT,
    source TEXT NOT NULL,
    PRIMARY KEY (actor_id, innovation_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS partnerships (
    source_id TEXT NOT NULL REFERENCES actors (id),
    target_id TEXT NOT NULL REFERENCES actors (id),
    kind TEXT NOT NULL, since TEXT NOT NULL, until TEXT, source TEXT NOT NULL,
    PRIMARY KEY (source_id, target_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS part_of (
    child_id TEXT NOT NULL REFERENCES actors (id),
    parent_id TEXT NOT NULL REFERENCES actors (id),
    PRIMARY KEY (child_id, parent_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS builds_on (
    innovation_id TEXT NOT NULL REFERENCES innovations (id),
    base_id TEXT NOT NULL REFERENCES innovations (id),
    kind TEXT NOT NULL, source TEXT NOT NULL DEFAULT 'illustrative',
    PRIMARY KEY (innovation_id, base_id)
) WITHOUT ROWID;

-- one partnership per unordered pair
CREATE UNIQUE INDEX IF NOT EXISTS partnerships_pair
    ON partnerships (min(source_id, target_id), max(source_id, target_id));
CREATE INDEX IF NOT EXISTS partnerships_target ON partnerships (target_id);
CREATE INDEX IF NOT EXISTS collaborations_innovation ON collaborations (innovation_id);
CREATE INDEX IF NOT EXISTS part_of_parent ON part_of (parent_id);
CREATE INDEX IF NOT EXISTS builds_on_base ON builds_on (base_id);
CREATE INDEX IF NOT EXISTS innovations_origin ON innovations (origin);
CREATE INDEX IF NOT EXISTS innovations_owner ON innovations (owner_id);
CREATE INDEX IF NOT EXISTS innovations_region ON innovations (region);
CREATE INDEX IF NOT EXISTS innovations_district ON innovations (district);
CREATE INDEX IF NOT EXISTS innovations_sector ON innovations (sector);
CREATE INDEX IF NOT EXISTS innovations_stage ON innovations (stage);
CREATE INDEX IF NOT EXISTS innovations_form ON innovations (form);
CREATE INDEX IF NOT EXISTS innovations_program ON innovations (program);
CREATE INDEX IF NOT EXISTS actors_helix ON actors (helix);
CREATE INDEX IF NOT EXISTS actors_kind ON actors (kind);
CREATE INDEX IF NOT EXISTS actors_region ON actors (region);
CREATE INDEX IF NOT EXISTS actors_district ON actors (district);
CREATE INDEX IF NOT EXISTS actors_scope ON actors (scope);
CREATE INDEX IF NOT EXISTS actors_sector ON actors (sector);
CREATE INDEX IF NOT EXISTS actors_provenance ON actors (json_extract(data, '$.provenance'));
CREATE INDEX IF NOT EXISTS innovations_provenance
    ON innovations (json_extract(data, '$.provenance'));
"""

T = TypeVar("T", bound=BaseModel)
R = TypeVar("R")


def _day(value: str | None) -> date | None:
    """A stored ISO day, or None."""
    return None if value is None else date.fromisoformat(value)


_NODE_COLUMNS: dict[str, tuple[str, ...]] = {
    INNOVATION.section: (
        "name",
        "origin",
        "owner_id",
        "region",
        "district",
        "sector",
        "stage",
        "form",
        "program",
    ),
    ACTOR.section: ("name", "helix", "kind", "region", "district", "scope", "sector"),
}
"""The filterable fields a node table keeps in columns beside the whole model as JSON."""


def _migrate(conn: sqlite3.Connection) -> None:
    """Bring a store file written by an older version up to the schema: builds_on gained its
    `source` (ties of older files were never cited, so they are illustrative)."""
    columns = {row[1] for row in conn.execute("PRAGMA table_info(builds_on)")}
    if "source" not in columns:
        conn.executescript(
            "BEGIN IMMEDIATE; ALTER TABLE builds_on"
            " ADD COLUMN source TEXT NOT NULL DEFAULT 'illustrative'; COMMIT;"
        )


# -- small SQL helpers -------------------------------------------------------------------------
def _lower(text: str | None) -> str | None:
    """Unicode-aware lower() for SQL (SQLite's own only folds ASCII)."""
    return None if text is None else text.lower()


def _active(alias: str) -> str:
    """SQL: the tie `alias` is active on :at (since <= at < until)."""
    return f"({alias}.since <= :at AND ({alias}.until IS NULL OR :at < {alias}.until))"


def _launched(alias: str) -> str:
    """SQL: the innovation `alias` counts on :at (launched by then, or launch day unknown; the
    meaning of graph.asof.launched)."""
    day = f"json_extract({alias}.data, '$.launched_on')"
    return f"({day} IS NULL OR {day} <= :at)"


ABOVE_SEPARATOR = chr(ord(SEPARATOR) + 1)
"""The character after the separator: the upper bound of the codes inside a region."""


def _region_clause(column: str, region: str, params: dict[str, Any]) -> str:
    """SQL: `column` is `region` or lies inside it (`graph.regions.region_contains`): equal, or
    in the range of strings that start with `region` + SEPARATOR (`/` follows `.`)."""
    params.update(region=region, region_lo=region + SEPARATOR, region_hi=region + ABOVE_SEPARATOR)
    return f"({column} = :region OR ({column} > :region_lo AND {column} < :region_hi))"


def _filter_clauses(kind: RecordKind, filters: BaseModel, params: dict[str, Any]) -> list[str]:
    """SQL conditions for the set fields of a list filter (field names equal column names;
    `actor_id` of a symmetric tie matches either end)."""
    clauses = []
    for field, value in filters.model_dump(mode="json", exclude_none=True).items():
        params[field] = value
        if field == "region":
            clauses.append(_region_clause("region", value, params))
        elif field == "q":
            clauses.append("instr(hx_lower(name), hx_lower(:q)) > 0")
        elif field == "provenance":  # a node's, in its JSON only (indexed as written here)
            clauses.append("json_extract(data, '$.provenance') = :provenance")
        elif field in CASELESS_FIELDS:
            clauses.append(f"hx_lower({field}) = hx_lower(:{field})")
        elif kind.symmetric and field == "actor_id":
            clauses.append(" OR ".join(f"{end} = :{field}" for end in kind.key).join("()"))
        else:
            clauses.append(f"{field} = :{field}")
    return clauses


def _where(clauses: list[str]) -> str:
    return " WHERE " + " AND ".join(clauses) if clauses else ""


def _to_model(model: type[T], row: sqlite3.Row) -> T:
    """A model from a row: nodes from their JSON column, the rest from their columns."""
    if "data" in row.keys():  # noqa: SIM118 (`in row` would search the values)
        return model.model_validate_json(row["data"])
    return model.model_validate(dict(row))


def _row(kind: RecordKind, record: BaseModel) -> dict[str, Any]:
    """The table row of a record: its fields, or for a node its filter columns and its JSON."""
    dumped = record.model_dump(mode="json")
    columns = _NODE_COLUMNS.get(kind.section)
    if columns is None:
        return dumped
    return {"id": dumped["id"], **{c: dumped[c] for c in columns}, "data": record.model_dump_json()}


def _upsert_sql(table: str, columns: Iterable[str], *keys: tuple[str, ...]) -> str:
    """INSERT ... ON CONFLICT DO UPDATE for each unique key (DO NOTHING if all are key)."""
    columns = list(columns)
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
    for key in keys:
        sets = ", ".join(f"{c} = excluded.{c}" for c in columns if c not in key)
        action = f"DO UPDATE SET {sets}" if sets else "DO NOTHING"
        sql += f" ON CONFLICT ({', '.join(key)}) {action}"
    return sql


_SCOPE_SETS = {"actor": "act", "innovation": "inn"}
"""The CTE of a region snapshot holding the ids of each node kind (see `snapshot`)."""


def _scope_condition(kind: RecordKind) -> str | None:
    """SQL: a record of `kind` belongs to a region snapshot (None: every record does)."""
    if kind.tie:
        # Only the first end searches the table's key; the unary `+` keeps SQLite from also
        # searching by the second end (which paired every id of one set with every id of the
        # other: quadratic in the region's size) and makes it a look-up in that end's set.
        first, second = kind.ends
        return (
            f"{first.field} IN {_SCOPE_SETS[first.node]}"
            f" AND +{second.field} IN {_SCOPE_SETS[second.node]}"
        )
    node = next((n for n, k in NODE_SECTIONS.items() if k is kind), None)
    return None if node is None else f"{kind.key[0]} IN {_SCOPE_SETS[node]}"


# bundle sections, from the registry of kinds: (table, model, sort order, condition when a
# snapshot is limited to a region)
_SECTIONS: dict[str, tuple[str, type[BaseModel], str, str | None]] = {
    kind.section: (kind.section, kind.model, ", ".join(kind.key), _scope_condition(kind))
    for kind in KINDS
}


def set_aside(data_dir: Path) -> Path:
    """Move a (damaged) database file and its WAL files away, beside it; returns the new name.

    Nothing is deleted: the file stays for inspection, and the next open starts a new store.
    """
    path = Path(data_dir) / DB_FILE
    aside = path.with_name(f"{DB_FILE}.damaged-{time.strftime('%Y%m%dT%H%M%S')}")
    for suffix in ("-wal", "-shm", ""):
        source = Path(str(path) + suffix)
        if source.exists():
            os.replace(source, Path(str(aside) + suffix))
    return aside


def _sqlite_code(exc: sqlite3.Error) -> int:
    """The primary SQLite result code of an error (0 if unknown)."""
    return int(getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF


class EmbeddedStore(Store):
    """The graph in one SQLite file under `data_dir`, durable and safe across processes.

    Opening checks the file (`PRAGMA quick_check`) and refuses a damaged, foreign or 0-byte one
    (StoreDamaged naming the path and what to do); `new=True` accepts a 0-byte file as a new
    store. A write that fails for want of disk (full, read-only, I/O error) is remembered, so
    `ping` (readiness) reports it until a write succeeds again; a damaged file is remembered
    for good.
    """

    def __init__(self, data_dir: Path, *, new: bool = False) -> None:
        self.path = Path(data_dir) / DB_FILE
        self._local = threading.local()
        self._lock = threading.Lock()
        self._connections: list[sqlite3.Connection] = []
        self._closed = False
        self._damaged: str | None = None
        self._write_fault: str | None = None
        if not new and self.path.is_file() and self.path.stat().st_size == 0:
            raise StoreDamaged(
                f"{self.path} is empty (0 bytes) where a database was expected: {RESTORE_HINT}; "
                "or start a new empty store there with `--new`"
            )
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = self._connection()
            self._check_file(conn)
            conn.executescript(f"BEGIN IMMEDIATE; {_SCHEMA} COMMIT;")
            _migrate(conn)
        except StoreDamaged:
            self.close()
            raise
        except (OSError, sqlite3.Error) as exc:
            self.close()
            if isinstance(exc, sqlite3.Error) and _sqlite_code(exc) in _DAMAGED_CODES:
                raise StoreDamaged(f"{self.path} is damaged ({exc}): {RESTORE_HINT}") from exc
            raise StoreUnavailable(f"cannot open the embedded store at {self.path}: {exc}") from exc

    def _check_file(self, conn: sqlite3.Connection) -> None:
        """StoreDamaged unless the file is an intact Hexahelix database (or a new one)."""
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if tables and not {"meta", "actors", "innovations"} <= tables:
            raise StoreDamaged(
                f"{self.path} is a SQLite database of something else (tables: "
                f"{', '.join(sorted(tables)[:5])}), not a Hexahelix store: {RESTORE_HINT}"
            )
        problems = [" ".join(str(r[0]).split()) for r in conn.execute("PRAGMA quick_check(3)")]
        if problems != ["ok"]:
            raise StoreDamaged(f"{self.path} is damaged ({'; '.join(problems)}): {RESTORE_HINT}")

    # -- connections and transactions ------------------------------------------------------
    def _connection(self) -> sqlite3.Connection:
        """This thread's connection, opened on first use."""
        if self._closed:
            raise StoreUnavailable("the embedded store is closed")
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(
                self.path,
                isolation_level=None,  # autocommit; transactions are explicit
                timeout=BUSY_TIMEOUT_MS / 1000,
                check_same_thread=False,  # only so that close() can close every thread's one
            )
            conn.row_factory = sqlite3.Row
            conn.create_function("hx_lower", 1, _lower, deterministic=True)
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA foreign_keys = ON")
            # WAL + NORMAL: a commit is in the WAL file when COMMIT returns, so it survives a
            # crash or SIGKILL of the process; only an OS crash or power cut may lose the last
            # commits (never corrupting the file). FULL would fsync on every commit.
            conn.execute("PRAGMA synchronous = NORMAL")
            self._local.conn = conn
            with self._lock:
                self._connections.append(conn)
        return conn

    @contextmanager
    def _transaction(self, write: bool = False) -> Iterator[sqlite3.Connection]:
        """One transaction; a write takes the lock at once and bumps the version on commit."""
        conn = self._connection()
        try:
            conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            try:
                yield conn
                if write:
                    conn.execute("UPDATE meta SET value = value + 1 WHERE key = 'version'")
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
        except sqlite3.ProgrammingError:
            raise
        except sqlite3.IntegrityError as exc:
            raise Conflict(f"the write clashes with the graph: {exc}") from exc
        except sqlite3.DatabaseError as exc:  # locked, busy, disk full, corrupt file...
            raise self._classify(exc) from exc
        if write:
            self._write_fault = None  # a write went through: the disk takes writes again

    def _classify(self, exc: sqlite3.DatabaseError) -> StoreUnavailable | StoreDamaged:
        """The domain error of a SQLite failure, remembering faults that readiness reports."""
        code = _sqlite_code(exc)
        if code in _DAMAGED_CODES:
            self._damaged = f"{self.path} is damaged ({exc}): {RESTORE_HINT}"
            return StoreDamaged(self._damaged)
        if code in _WRITE_FAULT_CODES:
            self._write_fault = (
                f"the embedded store cannot write ({_WRITE_FAULT_CODES[code]}: {exc}) at "
                f"{self.path.parent}; nothing was written"
            )
            return StoreUnavailable(self._write_fault)
        return StoreUnavailable(f"embedded store unavailable: {exc}")

    # -- lifecycle -------------------------------------------------------------------------
    def copy_to(self, target: Path) -> None:
        """Write a consistent copy of the database to `target` while the store stays online
        (`VACUUM INTO`: one read transaction, so concurrent writes are either in or not)."""
        partial = target.with_name(target.name + ".partial")
        partial.unlink(missing_ok=True)
        try:
            self._connection().execute("VACUUM INTO ?", (str(partial),))
            os.replace(partial, target)  # the target is whole or absent, never half-written
        except sqlite3.DatabaseError as exc:
            partial.unlink(missing_ok=True)
            raise self._classify(exc) from exc

    def close(self) -> None:
        """Close every connection this store opened, in any thread."""
        self._closed = True
        with self._lock:
            connections, self._connections = self._connections, []
        for conn in connections:
            conn.close()

    def ping(self) -> None:
        """Raise unless a write would succeed now: StoreDamaged for a damaged file,
        StoreUnavailable (with the reason) for a full or read-only disk or a failing write.

        The probe writes and deletes PROBE_BYTES in one committed transaction that leaves the
        graph version alone, so a disk that cannot take a small write is caught before a client
        finds out, and a success clears a write fault a client met.
        """
        if self._damaged:
            raise StoreDamaged(self._damaged)
        folder = self.path.parent
        try:
            stat = os.statvfs(folder)
        except OSError as exc:
            raise StoreUnavailable(f"the embedded store's folder {folder}: {exc}") from exc
        if stat.f_flag & os.ST_RDONLY:
            raise StoreUnavailable(f"the embedded store cannot write: {folder} is read-only")
        free = stat.f_bavail * stat.f_frsize
        if free < MIN_FREE_BYTES:
            raise StoreUnavailable(
                f"the embedded store cannot write: the disk of {folder} is full ({free:,} bytes "
                "free)"
            )
        conn = self._connection()
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                conn.execute("INSERT OR REPLACE INTO probe VALUES (1, zeroblob(?))", (PROBE_BYTES,))
                conn.execute("DELETE FROM probe")
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
        except sqlite3.DatabaseError as exc:
            raise self._classify(exc) from exc
        self._write_fault = None

    def version(self) -> int:
        """The graph version, increased by one in every committed write transaction."""
        with self._transaction() as conn:
            return int(conn.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()[0])

    # -- primitives ------------------------------------------------------------------------
    def _run(self, work: Callable[[sqlite3.Connection], R], *, write: bool = False) -> R:
        """`work` in one transaction (see `_transaction`)."""
        with self._transaction(write) as conn:
            return work(conn)

    def _fetch_many(
        self, conn: sqlite3.Connection, kind: RecordKind, keys: Collection[Key]
    ) -> dict[Key, Any]:
        """The records with these keys, in batches of `IN` (row values for a pair)."""
        found: dict[Key, Any] = {}
        wanted = sorted(set(keys))
        columns = ", ".join(kind.key)
        step = _CHUNK // len(kind.key)
        for start in range(0, len(wanted), step):
            chunk = wanted[start : start + step]
            if len(kind.key) == 1:
                condition = f"{columns} IN ({', '.join('?' * len(chunk))})"
            else:
                pair = f"({', '.join('?' * len(kind.key))})"
                condition = f"({columns}) IN (VALUES {', '.join([pair] * len(chunk))})"
            params = [value for key in chunk for value in key]
            for row in conn.execute(f"SELECT * FROM {kind.section} WHERE {condition}", params):
                record = _to_model(kind.model, row)
                found[key_of(kind, record)] = record
        return found

    def _put(self, conn: sqlite3.Connection, kind: RecordKind, records: Sequence[Any]) -> None:
        """Upsert rows; a pair stored the other way round is updated through its pair index."""
        rows = [_row(kind, record) for record in records]
        columns = list(rows[0])
        keys = [kind.key]
        if kind.symmetric:
            a, b = kind.key
            keys.append((f"min({a}, {b})", f"max({a}, {b})"))
        conn.executemany(
            _upsert_sql(kind.section, columns, *keys), ([row[c] for c in columns] for row in rows)
        )

    def _remove(self, conn: sqlite3.Connection, kind: RecordKind, keys: Collection[Key]) -> None:
        match = " AND ".join(f"{c} = ?" for c in kind.key)
        conn.executemany(f"DELETE FROM {kind.section} WHERE {match}", list(keys))

    def _scan(
        self,
        conn: sqlite3.Connection,
        kind: RecordKind,
        filters: BaseModel | None,
        page: PageRequest | None,
    ) -> tuple[list[Any], int]:
        params: dict[str, Any] = {}
        where = _where(_filter_clauses(kind, filters, params) if filters else [])
        select = f"SELECT * FROM {kind.section}{where} ORDER BY {', '.join(kind.key)}"
        if page is None:
            items = [_to_model(kind.model, r) for r in conn.execute(select, params)]
            return items, len(items)
        total = conn.execute(f"SELECT COUNT(*) FROM {kind.section}{where}", params).fetchone()[0]
        rows = conn.execute(
            f"{select} LIMIT :limit OFFSET :offset",
            params | {"limit": page.limit, "offset": page.offset},
        )
        return [_to_model(kind.model, r) for r in rows], total

    def _find(
        self,
        conn: sqlite3.Connection,
        kind: RecordKind,
        match: Mapping[str, Collection[str]],
        at: date | None = None,
    ) -> list[Any]:
        """One indexed `IN` query per field and batch of values."""
        found: dict[Key, Any] = {}
        active = "" if at is None else " AND since <= ? AND (until IS NULL OR ? < until)"
        extra = [] if at is None else [at.isoformat()] * 2
        for field, values in match.items():
            wanted = sorted(set(values))
            for start in range(0, len(wanted), _CHUNK):
                chunk = wanted[start : start + _CHUNK]
                rows = conn.execute(
                    f"SELECT * FROM {kind.section}"
                    f" WHERE {field} IN ({', '.join('?' * len(chunk))}){active}",
                    [*chunk, *extra],
                )
                for row in rows:
                    record = _to_model(kind.model, row)
                    found[key_of(kind, record)] = record
        return list(found.values())

    def _clear(self, conn: sqlite3.Connection, *, whole: bool) -> bool:
        """Delete every row of the graph, ties before the nodes they reference."""
        for kind in reversed(KINDS):  # the registry's load order, reversed
            conn.execute(f"DELETE FROM {kind.section}")
        return True

    # -- whole graph -----------------------------------------------------------------------
    def snapshot(self, region: str | None = None) -> GraphData:
        """The whole graph, or a region's part: its innovations; the actors tied to them, owning
        them or located in the region; the ties among those; and all regions."""
        params: dict[str, Any] = {}
        scope = ""
        if region is not None:
            in_region = _region_clause("region", region, params)
            scope = f"""WITH inn AS (SELECT id FROM innovations WHERE {in_region}),
                act AS (SELECT actor_id FROM collaborations WHERE innovation_id IN inn
                        UNION SELECT owner_id FROM innovations
                              WHERE id IN inn AND owner_id IS NOT NULL
                        UNION SELECT id FROM actors WHERE {in_region})
            """
        sections: dict[str, list[BaseModel]] = {}
        with self._transaction() as conn:
            for section, (table, model, order, condition) in _SECTIONS.items():
                where = f" WHERE {condition}" if region is not None and condition else ""
                rows = conn.execute(f"{scope}SELECT * FROM {table}{where} ORDER BY {order}", params)
                sections[section] = [_to_model(model, r) for r in rows]
        return GraphData.model_validate(sections)

        """Delete every row of the graph, ties before the nodes they reference."""
        for kind in reversed(KINDS):  # the registry's load order, reversed
            conn.execute(f"DELETE FROM {kind.section}")

    # -- speed overrides (Store.SPEED_OVERRIDES) -------------------------------------------
    def coverage_gaps(
        self, threshold: int, at: date, region: str | None = None
    ) -> list[CoverageGap]:
        """The rule of `Store.coverage_gaps` in one grouped query (a speed override: the national
        graph in seconds instead of a minute)."""
        params: dict[str, Any] = {"at": at.isoformat(), "threshold": threshold}
        where = f"WHERE {_launched('i')}"
        if region is not None:
            where += f" AND {_region_clause('i.region', region, params)}"
        with self._transaction() as conn:
            # Adding the owner can only raise coverage: rows at the threshold already are out.
            rows = conn.execute(
                f"""SELECT i.id, i.name, group_concat(DISTINCT a.helix) AS helixes,
                           (SELECT o.helix FROM actors o WHERE o.id = i.owner_id
                            AND NOT EXISTS (SELECT 1 FROM collaborations r
                                WHERE r.actor_id = i.owner_id AND r.innovation_id = i.id))
                           AS owner_helix
                    FROM innovations i
                    LEFT JOIN collaborations c ON c.innovation_id = i.id AND {_active("c")}
                    LEFT JOIN actors a ON a.id = c.actor_id
                    {where}
                    GROUP BY i.id
                    HAVING COUNT(DISTINCT a.helix) < :threshold""",
                params,
            ).fetchall()
        gaps = []
        for row in rows:
            present = set(filter(None, (row["helixes"] or "").split(",")))
            present |= {row["owner_helix"]} if row["owner_helix"] else set()
            if len(present) < threshold:
                gaps.append(
                    CoverageGap(
                        innovation_id=row["id"],
                        name=row["name"],
                        coverage=len(present),
                        missing=[h for h in Helix if h.value not in present],
                    )
                )
        return sorted(gaps, key=lambda g: (g.coverage, g.innovation_id))

    def tie_sources(self, region: str | None, at: date) -> list[SourcedInnovation]:
        """`Store.tie_sources` counted in one query (the ties' sources, not the records)."""
        params: dict[str, Any] = {"at": at.isoformat()}
        where = f" WHERE {_region_clause('i.region', region, params)}" if region else ""
        with self._transaction() as conn:
            rows = conn.execute(
                "SELECT i.id, i.name, c.source, count(c.source) FROM innovations AS i"
                " LEFT JOIN collaborations AS c ON c.innovation_id = i.id AND c.since <= :at"
                f" AND (c.until IS NULL OR :at < c.until){where}"
                " GROUP BY i.id, c.source ORDER BY i.id, c.source",
                params,
            ).fetchall()
        return [
            SourcedInnovation(id, name, tuple((s, n) for _, _, s, n in group if s is not None))
            for (id, name), group in groupby(rows, key=lambda row: (row[0], row[1]))
        ]

    def around(self, actor_ids: Collection[str]) -> Around:
        """`Store.around` reading only its fields (the launch day from the JSON, nothing else of
        it), in batches of actors."""
        ties: list[TieSpan] = []
        innovations: dict[str, InnovationSpan] = {}
        with self._transaction() as conn:
            wanted = sorted(set(actor_ids))
            for chunk in (wanted[i : i + _CHUNK] for i in range(0, len(wanted), _CHUNK)):
                marks = ", ".join("?" * len(chunk))
                rows = conn.execute(
                    "SELECT actor_id, innovation_id, since, until FROM collaborations"
                    f" WHERE actor_id IN ({marks})",
                    chunk,
                )
                ties.extend(TieSpan(a, i, date.fromisoformat(s), _day(u)) for a, i, s, u in rows)
                rows = conn.execute(
                    "SELECT id, region, json_extract(data, '$.launched_on'), owner_id"
                    " FROM innovations WHERE id IN (SELECT innovation_id FROM collaborations"
                    f" WHERE actor_id IN ({marks})) OR owner_id IN ({marks})",
                    chunk + chunk,
                )
                innovations.update((i, InnovationSpan(i, r, _day(d), o)) for i, r, d, o in rows)
        return Around(
            ties=sorted(ties, key=lambda t: (t.actor_id, t.innovation_id)),
            innovations=[innovations[k] for k in sorted(innovations)],
        )
