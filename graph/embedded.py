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
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from graph import revision
from graph.errors import Conflict, Invalid, NotFound, StoreDamaged, StoreUnavailable
from graph.integrity import bundle_problems
from graph.kinds import BY_SECTION, KINDS, NODE_SECTIONS, RecordKind
from graph.models import (
    Actor,
    ActorPatch,
    Collaboration,
    CollaborationPatch,
    GraphData,
    Innovation,
    InnovationPatch,
    Page,
    Partnership,
    PartnershipPatch,
    Region,
    apply_patch,
    describe_collaboration,
    describe_partnership,
)
from graph.provenance import link_evidence, overall
from graph.regions import SEPARATOR
from graph.revision import IfMatch
from graph.store import (
    CASELESS_FIELDS,
    ActorFilter,
    ActorInnovation,
    Around,
    CollaborationFilter,
    CollaboratorTie,
    CommonGround,
    CoverageGap,
    InnovationFilter,
    InnovationSpan,
    PageRequest,
    Partner,
    PartnershipFilter,
    Store,
    TieSpan,
)
from graph.vocab import Helix, PartnershipKind

DB_FILE = "hexahelix.sqlite3"
BUSY_TIMEOUT_MS = 10_000
_CHUNK = 500  # ids per `IN (...)` query, well under SQLite's bound-variable limit


def _day(value: str | None) -> date | None:
    """A stored ISO day, or None."""
    return None if value is None else date.fromisoformat(value)


def _chunks(ids: list[str]) -> Iterator[list[str]]:
    """`ids` in batches of _CHUNK (one `IN (...)` query each)."""
    for start in range(0, len(ids), _CHUNK):
        yield ids[start : start + _CHUNK]


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
"""

N = TypeVar("N", Innovation, Actor)
T = TypeVar("T", bound=BaseModel)


@dataclass(frozen=True)
class _NodeKind(Generic[N]):
    """How one node kind is stored: its table, model, filter columns and what can hang on it."""

    name: str
    table: str
    model: type[N]
    columns: tuple[str, ...]
    # (label, table, columns that may hold the node's id); table `innovations` means ownership
    attachments: tuple[tuple[str, str, tuple[str, ...]], ...]


_INNOVATION = _NodeKind(
    "innovation",
    "innovations",
    Innovation,
    ("name", "origin", "owner_id", "region", "district", "sector", "stage", "form", "program"),
    (
        ("collaborations", "collaborations", ("innovation_id",)),
        ("builds_on", "builds_on", ("innovation_id", "base_id")),
    ),
)
_ACTOR = _NodeKind(
    "actor",
    "actors",
    Actor,
    ("name", "helix", "kind", "region", "district", "scope", "sector"),
    (
        ("collaborations", "collaborations", ("actor_id",)),
        ("partnerships", "partnerships", ("source_id", "target_id")),
        ("part_of", "part_of", ("child_id", "parent_id")),
        ("owned innovations", "innovations", ("owner_id",)),
    ),
)
_HELIX_RANK = "CASE a.helix " + " ".join(f"WHEN '{h.value}' THEN {i}" for i, h in enumerate(Helix))
_HELIX_RANK += " END"


def _migrate(conn: sqlite3.Connection) -> None:
    """Bring a store file written by an older version up to the schema: builds_on gained its
    `source` (ties of older files were never cited, so they are illustrative)."""
    columns = {row[1] for row in conn.execute("PRAGMA table_info(builds_on)")}
    if "source" not in columns:
        conn.executescript(
            "BEGIN IMMEDIATE; ALTER TABLE builds_on"
            " ADD COLUMN source TEXT NOT NULL DEFAULT 'illustrative'; COMMIT;"
        )


# Co-collaborators -> [(innovation, my source, their source)], partners -> (kind, source).
_PartnerTies = tuple[dict[str, list[tuple[str, str, str]]], dict[str, tuple[str, str]]]


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


def _filter_clauses(filters: BaseModel, params: dict[str, Any]) -> list[str]:
    """SQL conditions for the set fields of a list filter (field names equal column names)."""
    clauses = []
    for field, value in filters.model_dump(mode="json", exclude_none=True).items():
        if field == "region":
            clauses.append(_region_clause("region", value, params))
        elif field == "q":
            clauses.append("instr(hx_lower(name), hx_lower(:q)) > 0")
            params["q"] = value
        elif field in CASELESS_FIELDS:
            clauses.append(f"hx_lower({field}) = hx_lower(:{field})")
            params[field] = value
        else:
            clauses.append(f"{field} = :{field}")
            params[field] = value
    return clauses


def _where(clauses: list[str]) -> str:
    return " WHERE " + " AND ".join(clauses) if clauses else ""


def _to_model(model: type[T], row: sqlite3.Row) -> T:
    """A model from a row: nodes from their JSON column, the rest from their columns."""
    if "data" in row.keys():  # noqa: SIM118 (`in row` would search the values)
        return model.model_validate_json(row["data"])
    return model.model_validate(dict(row))


def _node_row(kind: _NodeKind[N], node: N) -> dict[str, Any]:
    dumped = node.model_dump(mode="json")
    return {"id": node.id, **{c: dumped[c] for c in kind.columns}, "data": node.model_dump_json()}


def _insert(conn: sqlite3.Connection, table: str, row: dict[str, Any], what: str) -> None:
    """Insert a row, or Conflict naming `what` if its key is taken."""
    columns = ", ".join(row)
    values = ", ".join(f":{c}" for c in row)
    try:
        conn.execute(f"INSERT INTO {table} ({columns}) VALUES ({values})", row)
    except sqlite3.IntegrityError as exc:
        raise Conflict(f"{what} already exists") from exc


def _update(conn: sqlite3.Connection, table: str, row: dict[str, Any], key: dict[str, Any]) -> None:
    sets = ", ".join(f"{c} = :{c}" for c in row if c not in key)
    match = " AND ".join(f"{c} = :{c}" for c in key)
    conn.execute(f"UPDATE {table} SET {sets} WHERE {match}", row | key)


def _upsert_sql(table: str, columns: Iterable[str], *keys: tuple[str, ...]) -> str:
    """INSERT ... ON CONFLICT DO UPDATE for each unique key (DO NOTHING if all are key)."""
    columns = list(columns)
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
    for key in keys:
        sets = ", ".join(f"{c} = excluded.{c}" for c in columns if c not in key)
        action = f"DO UPDATE SET {sets}" if sets else "DO NOTHING"
        sql += f" ON CONFLICT ({', '.join(key)}) {action}"
    return sql


_PAIR = "((source_id = :a AND target_id = :b) OR (source_id = :b AND target_id = :a))"

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


def _key_columns(section: str) -> tuple[str, ...]:
    """The key columns of a bundle section (its sort order)."""
    return tuple(_SECTIONS[section][2].split(", "))


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

    # -- generic node operations -----------------------------------------------------------
    def _fetch(self, conn: sqlite3.Connection, kind: _NodeKind[N], node_id: str) -> N:
        """The node, or NotFound naming its kind and id."""
        row = conn.execute(f"SELECT data FROM {kind.table} WHERE id = ?", (node_id,)).fetchone()
        if row is None:
            raise NotFound(f"{kind.name} '{node_id}' not found")
        return kind.model.model_validate_json(row["data"])

    def _require(self, conn: sqlite3.Connection, kind: _NodeKind[Any], node_id: str) -> None:
        """NotFound naming the kind and id unless the node exists."""
        if conn.execute(f"SELECT 1 FROM {kind.table} WHERE id = ?", (node_id,)).fetchone() is None:
            raise NotFound(f"{kind.name} '{node_id}' not found")

    def _check_owner(self, conn: sqlite3.Connection, node: Innovation | Actor) -> None:
        if isinstance(node, Innovation) and node.owner_id is not None:
            self._require(conn, _ACTOR, node.owner_id)

    def _create_node(self, kind: _NodeKind[N], node: N) -> N:
        with self._transaction(write=True) as conn:
            self._check_owner(conn, node)
            _insert(conn, kind.table, _node_row(kind, node), f"{kind.name} '{node.id}'")
        return node

    def _get_node(self, kind: _NodeKind[N], node_id: str) -> N:
        with self._transaction() as conn:
            return self._fetch(conn, kind, node_id)

    def _list_nodes(self, kind: _NodeKind[N], filters: BaseModel, page: PageRequest) -> Page[N]:
        params: dict[str, Any] = {}
        return self._page(
            kind.table, kind.model, _filter_clauses(filters, params), params, "id", page
        )

    def _update_node(
        self, kind: _NodeKind[N], node_id: str, patch: BaseModel, if_match: IfMatch | None
    ) -> N:
        with self._transaction(write=True) as conn:
            stored = self._fetch(conn, kind, node_id)
            revision.check(if_match, stored, f"{kind.name} '{node_id}'")
            node = apply_patch(stored, patch)
            self._check_owner(conn, node)
            _update(conn, kind.table, _node_row(kind, node), {"id": node_id})
        return node

    def _delete_node(
        self, kind: _NodeKind[Any], node_id: str, cascade: bool, if_match: IfMatch | None
    ) -> None:
        with self._transaction(write=True) as conn:
            if if_match is None:
                self._require(conn, kind, node_id)
            else:
                stored = self._fetch(conn, kind, node_id)
                revision.check(if_match, stored, f"{kind.name} '{node_id}'")
            attached = []
            for label, table, columns in kind.attachments:
                match = " OR ".join(f"{c} = :id" for c in columns)
                if cascade and table == "innovations":
                    conn.execute(
                        f"UPDATE innovations SET owner_id = NULL,"
                        f" data = json_set(data, '$.owner_id', NULL) WHERE {match}",
                        {"id": node_id},
                    )
                elif cascade:
                    conn.execute(f"DELETE FROM {table} WHERE {match}", {"id": node_id})
                else:
                    count = conn.execute(
                        f"SELECT COUNT(*) FROM {table} WHERE {match}", {"id": node_id}
                    ).fetchone()[0]
                    if count:
                        attached.append(f"{count} {label}")
            if attached:
                raise Conflict(
                    f"{kind.name} '{node_id}' still has {', '.join(attached)};"
                    " remove them first or delete with cascade"
                )
            conn.execute(f"DELETE FROM {kind.table} WHERE id = ?", (node_id,))

    def _page(
        self,
        table: str,
        model: type[T],
        clauses: list[str],
        params: dict[str, Any],
        order: str,
        page: PageRequest,
    ) -> Page[T]:
        """One page of `table` rows matching `clauses`, and how many match in all."""
        where = _where(clauses)
        with self._transaction() as conn:
            total = conn.execute(f"SELECT COUNT(*) FROM {table}{where}", params).fetchone()[0]
            rows = conn.execute(
                f"SELECT * FROM {table}{where} ORDER BY {order} LIMIT :limit OFFSET :offset",
                params | {"limit": page.limit, "offset": page.offset},
            ).fetchall()
        return Page(
            items=[_to_model(model, r) for r in rows],
            total=total,
            limit=page.limit,
            offset=page.offset,
        )

    # -- innovations -----------------------------------------------------------------------
    def create_innovation(self, innovation: Innovation) -> Innovation:
        """Add an innovation; Conflict if the id exists, NotFound if its owner does not."""
        return self._create_node(_INNOVATION, innovation)

    def get_innovation(self, innovation_id: str) -> Innovation:
        """The innovation with this id, or NotFound."""
        return self._get_node(_INNOVATION, innovation_id)

    def list_innovations(self, filters: InnovationFilter, page: PageRequest) -> Page[Innovation]:
        """Innovations matching the filters, ordered by id."""
        return self._list_nodes(_INNOVATION, filters, page)

    def update_innovation(
        self, innovation_id: str, patch: InnovationPatch, *, if_match: IfMatch | None = None
    ) -> Innovation:
        """Change the given fields; NotFound for an unknown id or owner."""
        return self._update_node(_INNOVATION, innovation_id, patch, if_match)

    def delete_innovation(
        self, innovation_id: str, cascade: bool = False, *, if_match: IfMatch | None = None
    ) -> None:
        """Delete; Conflict while collaborations or builds_on ties remain, unless `cascade`."""
        self._delete_node(_INNOVATION, innovation_id, cascade, if_match)

    # -- actors ----------------------------------------------------------------------------
    def create_actor(self, actor: Actor) -> Actor:
        """Add an actor; Conflict if the id exists."""
        return self._create_node(_ACTOR, actor)

    def get_actor(self, actor_id: str) -> Actor:
        """The actor with this id, or NotFound."""
        return self._get_node(_ACTOR, actor_id)

    def list_actors(self, filters: ActorFilter, page: PageRequest) -> Page[Actor]:
        """Actors matching the filters, ordered by id."""
        return self._list_nodes(_ACTOR, filters, page)

    def update_actor(
        self, actor_id: str, patch: ActorPatch, *, if_match: IfMatch | None = None
    ) -> Actor:
        """Change the given fields; NotFound for an unknown id."""
        return self._update_node(_ACTOR, actor_id, patch, if_match)

    def delete_actor(
        self, actor_id: str, cascade: bool = False, *, if_match: IfMatch | None = None
    ) -> None:
        """Delete; Conflict while ties or owned innovations remain, unless `cascade`."""
        self._delete_node(_ACTOR, actor_id, cascade, if_match)

    # -- collaborations --------------------------------------------------------------------
    def _fetch_collaboration(
        self, conn: sqlite3.Connection, actor_id: str, innovation_id: str
    ) -> Collaboration:
        row = conn.execute(
            "SELECT * FROM collaborations WHERE actor_id = ? AND innovation_id = ?",
            (actor_id, innovation_id),
        ).fetchone()
        if row is None:
            raise NotFound(f"{describe_collaboration(actor_id, innovation_id)} not found")
        return _to_model(Collaboration, row)

    def create_collaboration(self, tie: Collaboration) -> Collaboration:
        """Add a tie; NotFound if either end is missing, Conflict if the pair has one."""
        with self._transaction(write=True) as conn:
            self._require(conn, _ACTOR, tie.actor_id)
            self._require(conn, _INNOVATION, tie.innovation_id)
            _insert(
                conn,
                "collaborations",
                tie.model_dump(mode="json"),
                describe_collaboration(*tie.key),
            )
        return tie

    def get_collaboration(self, actor_id: str, innovation_id: str) -> Collaboration:
        """The tie between this actor and innovation, or NotFound."""
        with self._transaction() as conn:
            return self._fetch_collaboration(conn, actor_id, innovation_id)

    def list_collaborations(
        self, filters: CollaborationFilter, page: PageRequest
    ) -> Page[Collaboration]:
        """Ties matching the filters, ordered by (actor_id, innovation_id)."""
        params: dict[str, Any] = {}
        return self._page(
            "collaborations",
            Collaboration,
            _filter_clauses(filters, params),
            params,
            "actor_id, innovation_id",
            page,
        )

    def update_collaboration(
        self,
        actor_id: str,
        innovation_id: str,
        patch: CollaborationPatch,
        *,
        if_match: IfMatch | None = None,
    ) -> Collaboration:
        """Change the given fields of a tie, or NotFound."""
        with self._transaction(write=True) as conn:
            stored = self._fetch_collaboration(conn, actor_id, innovation_id)
            revision.check(if_match, stored, describe_collaboration(actor_id, innovation_id))
            tie = apply_patch(stored, patch)
            _update(
                conn,
                "collaborations",
                tie.model_dump(mode="json"),
                {"actor_id": actor_id, "innovation_id": innovation_id},
            )
        return tie

    def delete_collaboration(
        self, actor_id: str, innovation_id: str, *, if_match: IfMatch | None = None
    ) -> None:
        """Remove a tie, or NotFound."""
        with self._transaction(write=True) as conn:
            stored = self._fetch_collaboration(conn, actor_id, innovation_id)
            revision.check(if_match, stored, describe_collaboration(actor_id, innovation_id))
            conn.execute(
                "DELETE FROM collaborations WHERE actor_id = ? AND innovation_id = ?",
                (actor_id, innovation_id),
            )

    # -- partnerships ----------------------------------------------------------------------
    def _fetch_partnership(self, conn: sqlite3.Connection, a: str, b: str) -> Partnership:
        """The partnership between a and b in whichever direction it is stored, or NotFound."""
        row = conn.execute(f"SELECT * FROM partnerships WHERE {_PAIR}", {"a": a, "b": b}).fetchone()
        if row is None:
            raise NotFound(f"{describe_partnership(a, b)} not found")
        return _to_model(Partnership, row)

    def create_partnership(self, partnership: Partnership) -> Partnership:
        """Add a partnership; NotFound for a missing actor, Conflict if the pair has one."""
        a, b = partnership.key
        with self._transaction(write=True) as conn:
            self._require(conn, _ACTOR, a)
            self._require(conn, _ACTOR, b)
            _insert(
                conn,
                "partnerships",
                partnership.model_dump(mode="json"),
                describe_partnership(a, b),
            )
        return partnership

    def get_partnership(self, source_id: str, target_id: str) -> Partnership:
        """The partnership between the two actors (either direction), or NotFound."""
        with self._transaction() as conn:
            return self._fetch_partnership(conn, source_id, target_id)

    def list_partnerships(self, filters: PartnershipFilter, page: PageRequest) -> Page[Partnership]:
        """Partnerships matching the filters (`actor_id` at either end), by (source, target)."""
        params: dict[str, Any] = {}
        clauses = _filter_clauses(filters.model_copy(update={"actor_id": None}), params)
        if filters.actor_id is not None:
            clauses.append("(source_id = :actor_id OR target_id = :actor_id)")
            params["actor_id"] = filters.actor_id
        return self._page(
            "partnerships", Partnership, clauses, params, "source_id, target_id", page
        )

    def update_partnership(
        self,
        source_id: str,
        target_id: str,
        patch: PartnershipPatch,
        *,
        if_match: IfMatch | None = None,
    ) -> Partnership:
        """Change the given fields of a partnership (either direction), or NotFound."""
        with self._transaction(write=True) as conn:
            stored = self._fetch_partnership(conn, source_id, target_id)
            revision.check(if_match, stored, describe_partnership(source_id, target_id))
            updated = apply_patch(stored, patch)
            _update(
                conn,
                "partnerships",
                updated.model_dump(mode="json"),
                {"source_id": stored.source_id, "target_id": stored.target_id},
            )
        return updated

    def delete_partnership(
        self, source_id: str, target_id: str, *, if_match: IfMatch | None = None
    ) -> None:
        """Remove a partnership (either direction), or NotFound."""
        with self._transaction(write=True) as conn:
            stored = self._fetch_partnership(conn, source_id, target_id)
            revision.check(if_match, stored, describe_partnership(source_id, target_id))
            conn.execute(
                f"DELETE FROM partnerships WHERE {_PAIR}", {"a": source_id, "b": target_id}
            )

    # -- whole graph -----------------------------------------------------------------------
    def _fetch_many(
        self, conn: sqlite3.Connection, kind: _NodeKind[N], ids: Iterable[str]
    ) -> list[N]:
        """The stored nodes among `ids`, by id, in `IN (...)` batches."""
        found: list[N] = []
        for chunk in _chunks(sorted(set(ids))):
            marks = ", ".join("?" * len(chunk))
            rows = conn.execute(f"SELECT data FROM {kind.table} WHERE id IN ({marks})", chunk)
            found.extend(kind.model.model_validate_json(r[0]) for r in rows)
        return sorted(found, key=lambda node: node.id)

    def records(self, model: type[N], ids: Collection[str]) -> list[N]:
        """The stored nodes of `model` among `ids`, by id, in batches."""
        kind: _NodeKind[Any] = _ACTOR if model is Actor else _INNOVATION
        with self._transaction() as conn:
            return self._fetch_many(conn, kind, ids)

    def ties_touching(
        self, *, innovation_ids: Collection[str] = (), actor_ids: Collection[str] = ()
    ) -> list[Collaboration]:
        """Every tie to one of `innovation_ids` or of one of `actor_ids`, each once, by
        (actor_id, innovation_id): one indexed query per batch of ids."""
        found: dict[tuple[str, str], Collaboration] = {}
        with self._transaction() as conn:
            for column, ids in (("innovation_id", innovation_ids), ("actor_id", actor_ids)):
                for chunk in _chunks(sorted(set(ids))):
                    marks = ", ".join("?" * len(chunk))
                    for row in conn.execute(
                        f"SELECT * FROM collaborations WHERE {column} IN ({marks})", chunk
                    ):
                        key = (row["actor_id"], row["innovation_id"])
                        if key not in found:
                            found[key] = _to_model(Collaboration, row)
        return [found[key] for key in sorted(found)]

    def around(self, actor_ids: Collection[str]) -> Around:
        """In brief, the ties of `actor_ids` and the innovations they are tied to or own (the
        launch day read from the JSON, nothing else of it), in batches of actors."""
        ties: list[TieSpan] = []
        innovations: dict[str, InnovationSpan] = {}
        with self._transaction() as conn:
            for chunk in _chunks(sorted(set(actor_ids))):
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

    def load(self, data: GraphData, *, replace: bool = False) -> dict[str, int]:
        """Upsert a whole bundle in one transaction (idempotent); returns rows per kind.

        Every reference must resolve within the bundle or the store (only the bundle with
        `replace`), else Invalid listing each problem and nothing is written. A partnership
        given in the reverse direction of a stored one updates the stored one (which keeps its
        direction). With `replace` the old graph is deleted in the same transaction, so a crash
        at any point leaves the old graph (SQLite rolls the transaction back at the next open)
        or, once committed, the new one.
        """
        with self._transaction(write=True) as conn:
            nodes: dict[str, _NodeKind[Any]] = {"actor": _ACTOR, "innovation": _INNOVATION}
            problems = bundle_problems(
                data,
                lambda kind, ids: (
                    set() if replace else {n.id for n in self._fetch_many(conn, nodes[kind], ids)}
                ),
            )
            if problems:
                raise Invalid(
                    f"the bundle has {len(problems)} problem(s); nothing was written", problems
                )
            if replace:
                self._delete_all(conn)
            nodes_by_section = {node.table: node for node in nodes.values()}
            rows: dict[str, list[dict[str, Any]]] = {
                kind.section: [
                    _node_row(nodes_by_section[kind.section], r)
                    if kind.section in nodes_by_section
                    else r.model_dump(mode="json")
                    for r in getattr(data, kind.section)
                ]
                for kind in KINDS
            }
            for section, section_rows in rows.items():
                if section_rows:
                    columns = list(section_rows[0])
                    keys = [_key_columns(section)]
                    if BY_SECTION[section].symmetric:  # the pair stored the other way round
                        keys.append(("min(source_id, target_id)", "max(source_id, target_id)"))
                    conn.executemany(
                        _upsert_sql(_SECTIONS[section][0], columns, *keys),
                        ([row[c] for c in columns] for row in section_rows),
                    )
        return data.counts()

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

    @staticmethod
    def _delete_all(conn: sqlite3.Connection) -> None:
        """Delete every row of the graph, ties before the nodes they reference."""
        for kind in reversed(KINDS):  # the registry's load order, reversed
            conn.execute(f"DELETE FROM {kind.section}")

    def regions(self) -> list[Region]:
        """Every region, by code."""
        with self._transaction() as conn:
            rows = conn.execute("SELECT * FROM regions ORDER BY code").fetchall()
        return [_to_model(Region, r) for r in rows]

    def clear(self) -> None:
        """Delete everything; the version keeps increasing."""
        with self._transaction(write=True) as conn:
            self._delete_all(conn)

    def is_empty(self) -> bool:
        """Whether the store holds no innovation and no actor."""
        with self._transaction() as conn:
            row = conn.execute(
                "SELECT EXISTS (SELECT 1 FROM innovations) OR EXISTS (SELECT 1 FROM actors)"
            ).fetchone()
        return not row[0]

    # -- collaboration queries -------------------------------------------------------------
    def collaborators(self, innovation_id: str, at: date) -> list[CollaboratorTie]:
        """Actors with a tie to the innovation active on `at`, by helix (enum order) then id."""
        with self._transaction() as conn:
            self._require(conn, _INNOVATION, innovation_id)
            rows = conn.execute(
                f"""SELECT a.id AS actor_id, a.name, a.helix, c.role, c.strength, c.since, c.until,
                           c.source
                    FROM collaborations c JOIN actors a ON a.id = c.actor_id
                    JOIN innovations i ON i.id = c.innovation_id
                    WHERE c.innovation_id = :id AND {_active("c")} AND {_launched("i")}
                    ORDER BY {_HELIX_RANK}, a.id""",
                {"id": innovation_id, "at": at.isoformat()},
            ).fetchall()
        return [_to_model(CollaboratorTie, r) for r in rows]

    def actor_innovations(self, actor_id: str, at: date) -> list[ActorInnovation]:
        """Innovations the actor has a tie to active on `at`, by id."""
        with self._transaction() as conn:
            self._require(conn, _ACTOR, actor_id)
            rows = conn.execute(
                f"""SELECT i.id AS innovation_id, i.name, i.origin, c.role, c.strength,
                           c.since, c.until, c.source
                    FROM collaborations c JOIN innovations i ON i.id = c.innovation_id
                    WHERE c.actor_id = :id AND {_active("c")} AND {_launched("i")}
                    ORDER BY i.id""",
                {"id": actor_id, "at": at.isoformat()},
            ).fetchall()
        return [_to_model(ActorInnovation, r) for r in rows]

    def _partner_ties(self, conn: sqlite3.Connection, actor_id: str, at: date) -> _PartnerTies:
        """The actor's co-collaborators with their shared innovations (sorted, with both ties'
        sources), and its active partnerships (kind, source) by partner id; the actor must
        exist."""
        self._require(conn, _ACTOR, actor_id)
        params = {"id": actor_id, "at": at.isoformat()}
        shared: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
        for row in conn.execute(
            f"""SELECT o.actor_id, o.innovation_id, m.source, o.source
                FROM collaborations m
                JOIN collaborations o ON o.innovation_id = m.innovation_id AND o.actor_id != :id
                WHERE m.actor_id = :id AND {_active("m")} AND {_active("o")}
                ORDER BY o.actor_id, o.innovation_id""",
            params,
        ):
            shared[row[0]].append((row[1], row[2], row[3]))
        formal = {
            row[0]: (row[1], row[2])
            for row in conn.execute(
                f"""SELECT CASE WHEN p.source_id = :id THEN p.target_id ELSE p.source_id END,
                           p.kind, p.source
                    FROM partnerships p
                    WHERE (p.source_id = :id OR p.target_id = :id) AND {_active("p")}""",
                params,
            )
        }
        return dict(shared), formal

    def partners(self, actor_id: str, at: date) -> list[Partner]:
        """Co-collaborators and partners of the actor on `at`, most shared innovations first,
        then by id."""
        with self._transaction() as conn:
            shared, formal = self._partner_ties(conn, actor_id, at)
            ids = sorted(shared.keys() | formal.keys(), key=lambda a: (-len(shared.get(a, [])), a))
            actors = {a: self._fetch(conn, _ACTOR, a) for a in ids}
        result = []
        for a in ids:
            evidence = link_evidence(actor_id, a, shared.get(a, []), formal.get(a))
            result.append(
                Partner(
                    actor_id=a,
                    name=actors[a].name,
                    helix=actors[a].helix,
                    shared_innovations=[i for i, _, _ in shared.get(a, [])],
                    partnership=PartnershipKind(formal[a][0]) if a in formal else None,
                    evidence=evidence,
                    provenance=overall(evidence),
                )
            )
        return result

    def common(self, actor_a: str, actor_b: str, at: date) -> CommonGround:
        """Innovations both actors work on, actors partnering both (by the `partners`
        definition), and their direct partnership, all on `at`."""
        partners: list[set[str]] = []
        with self._transaction() as conn:
            found = [self._partner_ties(conn, actor, at) for actor in (actor_a, actor_b)]
        for shared, formal in found:
            partners.append(shared.keys() | formal.keys())
        shared_a, formal_a = found[0]
        evidence = link_evidence(actor_a, actor_b, shared_a.get(actor_b, []), formal_a.get(actor_b))
        direct = formal_a.get(actor_b)
        return CommonGround(
            innovations=sorted(i for i, _, _ in shared_a.get(actor_b, [])),
            partners=sorted((partners[0] & partners[1]) - {actor_a, actor_b}),
            partnership=PartnershipKind(direct[0]) if direct is not None else None,
            evidence=evidence,
            provenance=overall(evidence),
        )

    def coverage_gaps(
        self, threshold: int, at: date, region: str | None = None
    ) -> list[CoverageGap]:
        """Launched innovations (with active ties or none) covering fewer than `threshold` helix
        kinds, fewest first, then by id; `missing` lists the absent kinds in Helix order. The
        owner counts as a carrier unless it has a recorded tie (graph.asof)."""
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
