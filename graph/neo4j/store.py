"""The Neo4j store: the graph in a Neo4j server, through the official driver and Cypher.

One driver per store (one store per process). Reads run in managed read transactions, writes in
managed write transactions that the driver retries on transient errors; every write transaction
first bumps the `(:Meta {key: 'graph'})` version, which also serialises writers on that node so a
check-then-write inside one transaction is safe. The schema (constraints, indexes, a `:Helix`
node per helix kind, the Meta node) is created with `IF NOT EXISTS` when the server first answers: the
store comes up while Neo4j is down and catches up when it is back.
"""

from __future__ import annotations

import functools
import logging
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from datetime import date
from enum import Enum
from typing import Any, TypeVar

import neo4j
from neo4j import Driver, GraphDatabase, ManagedTransaction
from neo4j.exceptions import (
    AuthError,
    ClientError,
    ConstraintError,
    DriverError,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
    TransientError,
)
from pydantic import BaseModel

from graph.errors import (
    Conflict,
    HexahelixError,
    Invalid,
    NotFound,
    StoreFailed,
    StoreUnavailable,
)
from graph.kinds import BY_SECTION, RecordKind
from graph.models import Actor, GraphData, Innovation
from graph.neo4j import cypher as q
from graph.neo4j.readonly import count_research, terminate_research
from graph.neo4j.sandbox import Connection, CypherSandbox
from graph.store import (
    CASELESS_FIELDS,
    Around,
    CoverageGap,
    InnovationSpan,
    Key,
    PageRequest,
    PartnerTies,
    SourcedInnovation,
    Store,
    TieSpan,
    key_of,
)
from graph.vocab import HELIX_NAMES, Helix, PartnershipKind

log = logging.getLogger("hexahelix.neo4j")

BATCH = 5000  # rows per UNWIND statement of a bulk load, nodes per clear transaction
WARM_LIST_SIZES = (1, 10, 100)  # one list of each size bucket Neo4j plans apart (see _warm)
SNAPSHOT_CHUNK = 2000  # nodes per page of a snapshot read (see cypher.chunked)
PROBE_SECONDS = 0.5  # how often the background probe tries a write while the circuit is open
STALE_SECONDS = 0.25  # a failure this fast may be a pooled connection to a restarted server
# Transient codes that mean "retry and it will pass" (contention); the others, such as a memory
# pool exhausted or a transaction terminated, are reported as failures, not as outages.
_BUSY_CODES = ("Deadlock", "LockAcquisition", "LeaderSwitch", "NotALeader")
_OUTAGE_CODES = ("DatabaseUnavailable",)
T = TypeVar("T")


def _native(value: Any) -> Any:
    """A driver value as plain Python (neo4j.time.Date -> datetime.date)."""
    if isinstance(value, neo4j.time.Date):
        return value.to_native()
    if isinstance(value, list):
        return [_native(v) for v in value]
    return value


@functools.cache
def _fields(model: type[BaseModel]) -> frozenset[str]:
    """The model's field names (pydantic's `model_fields` is rebuilt on every access)."""
    return frozenset(model.model_fields)


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


def _enum_free(dumped: dict[str, Any]) -> dict[str, Any]:
    """Enum members as their string values (lists element-wise), other values unchanged."""
    out: dict[str, Any] = {}
    for k, v in dumped.items():
        if isinstance(v, list):
            out[k] = [_plain(x) for x in v]
        else:
            out[k] = _plain(v)
    return out


def _to_neo4j(record: BaseModel, exclude: set[str] | None = None) -> dict[str, Any]:
    """Python -> Neo4j: a model as properties (enums as codes, None left out)."""
    dumped = record.model_dump(mode="python", exclude=exclude, exclude_none=True)
    return _enum_free(dumped)


def _record(kind: RecordKind, row: Mapping[str, Any]) -> Any:
    """A record of `kind` from a row of `cypher.returned(kind)` (or an item of a list of them):
    absent properties take their defaults, properties the model does not know are left out."""
    fields = _fields(kind.model)
    if not kind.tie:
        return kind.model.model_validate(
            {k: _native(v) for k, v in row["n"].items() if k in fields}
        )
    values = {k: _native(v) for k, v in row["r"].items() if k in fields}
    for field in kind.key:
        values[field] = row[field]
    return kind.model.model_validate(values)


def _rows(tx: ManagedTransaction, query: str, **params: Any) -> list[Any]:
    """The one list `rows` a bulk read answers."""
    rows: list[Any] = tx.run(query, params).single(strict=True)["rows"]
    return rows


# -- bundles -----------------------------------------------------------------------------------
def _batches(rows: list[T]) -> Iterator[list[T]]:
    for start in range(0, len(rows), BATCH):
        yield rows[start : start + BATCH]


def _filters(kind: RecordKind, filters: BaseModel, params: dict[str, Any]) -> list[str]:
    """Cypher conditions for the set fields of a list filter over `cypher.match(kind)` (field
    names = property names; a tie's key fields name its ends, `actor_id` of a symmetric tie
    either end)."""
    clauses = []
    var = "r" if kind.tie else "n"
    for field, value in filters.model_dump(mode="json", exclude_none=True).items():
        if field == "region":
            clauses.append(q.region_clause(var))
        elif field == "q":
            clauses.append(f"toLower({var}.name) CONTAINS $q")
            value = value.lower()
        elif field in CASELESS_FIELDS:
            clauses.append(f"toLower({var}.{field}) = ${field}")
            value = value.lower()
        elif kind.symmetric and field == "actor_id":
            clauses.append(f"(x.id = ${field} OR y.id = ${field})")
        elif kind.tie and field in kind.key:
            clauses.append(f"{'x' if field == kind.key[0] else 'y'}.id = ${field}")
        else:
            clauses.append(f"{var}.{field} = ${field}")
        params[field] = value
    return clauses


def _where(clauses: list[str]) -> str:
    return "WHERE " + " AND ".join(clauses) if clauses else ""


class Neo4jStore(Store):
    """The graph in a Neo4j 5 server (or cluster, or Aura) at `uri`."""

    def __init__(
        self,
        uri: str,
        user: str,
        password: str,
        database: str = "neo4j",
        *,
        connection_timeout: float = 0.4,
        connection_acquisition_timeout: float = 5.0,
        max_transaction_retry_time: float = 5.0,
    ) -> None:
        self.uri = uri
        self.database = database
        self._user, self._password = user, password
        self._schema_ready = False
        self._schema_lock = threading.Lock()
        # The circuit: while an outage is known, calls fail at once (no connect, no retries);
        # a background probe closes it when a write succeeds again.
        self._outage: str | None = None
        self._outage_lock = threading.Lock()
        self._closed = threading.Event()
        self._warmer: threading.Thread | None = None
        self._retry_seconds = max_transaction_retry_time
        try:
            self._driver: Driver = GraphDatabase.driver(
                uri,
                auth=(user, password),
                connection_timeout=connection_timeout,
                connection_acquisition_timeout=connection_acquisition_timeout,
                # one attempt per call: _run retries contention itself and never an outage
                max_transaction_retry_time=-1,
                liveness_check_timeout=30.0,
                # The store's queries name every label and type; on an empty database the
                # server's "type does not exist" warnings would be logged as noise (the CLI
                # printed a screenful of them on a new user's first import).
                notifications_min_severity="OFF",
            )
        except (ValueError, DriverError) as exc:
            raise StoreUnavailable(f"cannot use the Neo4j URI {uri!r}: {exc}") from exc
        try:
            self._ensure_schema()
        except StoreUnavailable as exc:
            log.warning("Neo4j not ready at start (%s); the schema will be created later", exc)
        except StoreFailed:  # wrong credentials and the like: say so at once
            self.close()
            raise
        else:
            self._warmer = threading.Thread(target=self._warm, name="neo4j-warm", daemon=True)
            self._warmer.start()

    def _warm(self) -> None:
        """Run the bulk reads of a touched innovation's neighbourhood twice on ids no node has,
        off the request path: Neo4j plans a query on its first run and compiles it on the second
        (measured: 1.3 s, then 0.6 s on a busy machine), which the first read after a write
        would pay otherwise. The plans stay in the server's cache for every process.

        Neo4j keeps a plan per size bucket of each list parameter and per length bucket of each
        string one (measured on 5.26: 0, 1, 2-10, 11-100, 101-1000), and per parameter type.
        The neighbourhood's reads pass strings in lists (their items are not bucketed), and
        those taking its actors are run here with 1, 10 and 100 ids: warmed with one id only, a
        touched innovation with 7 or 13 actors planned its reads on the request, 0.3-1 s each
        while the worker's snapshot kept the server busy."""
        reads: list[Callable[[], object]] = [
            lambda: self.records(Innovation, [""]),
            lambda: self.ties_touching(innovation_ids=[""]),
        ]
        for size in WARM_LIST_SIZES:
            nobody = [f"#{n}" for n in range(size)]  # no id has a '#'
            reads += [
                functools.partial(self.records, Actor, nobody),
                functools.partial(self.reach, "", nobody, date.min, None),
                functools.partial(self.reach, "", nobody, date.min, "63"),
            ]
        for read in reads * 2:
            if self._closed.is_set():  # close() waits for this thread: stop at once
                return
            try:
                read()
            except Exception as exc:  # closed, or the server went away: reads plan as they come
                log.debug("Neo4j warm-up stopped: %s", exc)
                return

    @property
    def driver(self) -> Driver:
        """The store's driver (for tests and the read-only Cypher endpoint)."""
        return self._driver

    def cypher_sandbox(self, *, workers: int, per_caller: int, memory_bytes: int) -> CypherSandbox:
        """A sandbox running research Cypher against this store's server in killable worker
        processes (see graph/neo4j/sandbox.py)."""
        connection = Connection(self.uri, self._user, self._password, self.database, memory_bytes)
        return CypherSandbox(
            connection,
            workers=workers,
            per_caller=per_caller,
            count_alive=lambda: count_research(self._driver),
            terminate=lambda token: terminate_research(self._driver, token),
        )

    # -- plumbing --------------------------------------------------------------------------
    def _translate(self, exc: Exception) -> HexahelixError:
        """A driver error as the domain error it means; an outage opens the circuit."""
        code = getattr(exc, "code", None) or ""
        if isinstance(exc, AuthError):
            return StoreFailed(
                f"Neo4j at {self.uri} refused the credentials (check NEO4J_USER and"
                f" NEO4J_PASSWORD): {exc.message}"
            )
        if isinstance(exc, ConstraintError):
            return Conflict(f"the write clashes with the graph: {exc.message}")
        if isinstance(exc, ServiceUnavailable | SessionExpired | OSError) or any(
            c in code for c in _OUTAGE_CODES
        ):
            return self._open_circuit(f"Neo4j at {self.uri} is unavailable: {exc}")
        if isinstance(exc, TransientError) and any(c in code for c in _BUSY_CODES):
            return StoreUnavailable(f"Neo4j is busy ({code}); retry: {exc.message}")
        if isinstance(exc, ClientError) and "Statement" in code:
            # Our statements are fixed: a statement error means a value of the request is out
            # of what Neo4j takes (e.g. SKIP + LIMIT past 64 bits); the request's fault.
            return Invalid(f"Neo4j cannot use a value of this request: {exc.message}")
        if isinstance(exc, Neo4jError):
            return StoreFailed(f"Neo4j could not complete the request ({code}): {exc.message}")
        return StoreFailed(f"Neo4j error: {exc}")

    # -- the circuit ---------------------------------------------------------------------------
    def _open_circuit(self, reason: str) -> StoreUnavailable:
        """Remember an outage (calls fail at once from now on) and start the probe."""
        with self._outage_lock:
            start_probe = self._outage is None and not self._closed.is_set()
            self._outage = reason
        if start_probe:
            log.warning("%s; failing fast until a probe write succeeds", reason)
            threading.Thread(target=self._probe_loop, name="neo4j-probe", daemon=True).start()
        return StoreUnavailable(reason)

    def _fail_fast(self) -> None:
        """StoreUnavailable at once while an outage is known."""
        reason = self._outage
        if reason is not None:
            raise StoreUnavailable(f"{reason} (known outage; probed every {PROBE_SECONDS} s)")

    def _probe_loop(self) -> None:
        """Try a write every PROBE_SECONDS; close the circuit when one succeeds."""
        while not self._closed.wait(PROBE_SECONDS):
            try:
                self._write_probe()
            except (Neo4jError, DriverError, OSError) as exc:
                with self._outage_lock:
                    self._outage = f"Neo4j at {self.uri} is unavailable: {exc}"
                continue
            with self._outage_lock:
                self._outage = None
            log.warning("Neo4j at %s answers writes again", self.uri)
            return

    def _write_probe(self) -> None:
        """One small committed write that leaves the graph version alone."""
        with self._driver.session(database=self.database) as session:
            session.execute_write(lambda tx: tx.run(q.PROBE).consume())

    def _ensure_schema(self) -> None:
        """Create constraints, indexes, the helix nodes and the Meta node, once they are missing."""
        if self._schema_ready:
            return
        with self._schema_lock:
            if self._schema_ready:
                return
            try:
                with self._driver.session(database=self.database) as session:
                    names = set(session.run(q.SHOW_SCHEMA).single(strict=True)["names"])
                    for statement in q.SCHEMA_STATEMENTS:
                        if statement.split()[2] not in names:
                            session.run(statement).consume()
                    present = session.run(q.SCHEMA_NODES_PRESENT).single(strict=True)
                    if not present["meta"] or present["helixes"] != len(Helix):
                        helixes = [
                            {"code": h.value, "name_id": names_[0], "name_en": names_[1]}
                            for h, names_ in HELIX_NAMES.items()
                        ]
                        session.execute_write(
                            lambda tx: tx.run(q.SCHEMA_NODES, helixes=helixes).consume()
                        )
            except (Neo4jError, DriverError, OSError) as exc:
                raise self._translate(exc) from exc
            self._schema_ready = True

    def _run(self, work: Callable[[ManagedTransaction], T], write: bool = False) -> T:
        """Run `work` in one managed transaction; a write bumps the version first.

        Fails at once while an outage is known. Contention (deadlocks) is retried with backoff
        for up to `max_transaction_retry_time`; a connection failure only once, at once and
        only if it came fast (a pooled connection to a restarted server), so a request meets
        an outage within about `connection_timeout`.
        """
        self._fail_fast()
        self._ensure_schema()

        def bumped(tx: ManagedTransaction) -> T:
            tx.run(q.BUMP).consume()
            return work(tx)

        deadline = time.monotonic() + self._retry_seconds
        delay, stale_retry = 0.05, True
        while True:
            started = time.monotonic()
            try:
                with self._driver.session(database=self.database) as session:
                    if write:
                        return session.execute_write(bumped)
                    return session.execute_read(work)
            except HexahelixError:
                raise
            except (ServiceUnavailable, SessionExpired) as exc:
                if stale_retry and time.monotonic() - started < STALE_SECONDS:
                    stale_retry = False
                    continue
                raise self._translate(exc) from exc
            except TransientError as exc:
                busy = any(c in (exc.code or "") for c in _BUSY_CODES)
                if busy and time.monotonic() + delay < deadline:
                    time.sleep(delay)
                    delay *= 2
                    continue
                raise self._translate(exc) from exc
            except (Neo4jError, DriverError, OSError) as exc:
                raise self._translate(exc) from exc

    # -- lifecycle -------------------------------------------------------------------------
    def close(self) -> None:
        """Stop the probe and close the driver and its connections."""
        self._closed.set()
        if self._warmer is not None:  # its connection must not be closed under it
            self._warmer.join(timeout=60)
        self._driver.close()

    def ping(self) -> None:
        """Return only if a write would succeed now: a small committed probe write (the graph
        version stays); at once StoreUnavailable while an outage is known."""
        self._fail_fast()
        try:
            self._write_probe()
        except (Neo4jError, DriverError, OSError) as exc:
            raise self._translate(exc) from exc
        self._ensure_schema()

    def version(self) -> int:
        """The graph version, increased by one in every committed write transaction."""

        def work(tx: ManagedTransaction) -> int:
            row = tx.run(q.VERSION).single()
            return 0 if row is None else int(row["version"])

        return self._run(work)

    # -- primitives ------------------------------------------------------------------------
    def _fetch_many(
        self, tx: ManagedTransaction, kind: RecordKind, keys: Collection[Key]
    ) -> dict[Key, Any]:
        found: dict[Key, Any] = {}
        for batch in _batches([list(k) for k in set(keys)]):
            for row in _rows(tx, q.fetch_many(kind), keys=batch):
                record = _record(kind, row)
                found[key_of(kind, record)] = record
        return found

    def _put(self, tx: ManagedTransaction, kind: RecordKind, records: Sequence[Any]) -> None:
        """Upsert in UNWIND batches of BATCH rows."""
        if kind.tie:
            rows = [
                {f: getattr(r, f) for f in kind.key} | {"props": _to_neo4j(r, set(kind.key))}
                for r in records
            ]
        else:
            rows = [_to_neo4j(r) for r in records]
        for batch in _batches(rows):
            tx.run(q.put(kind), rows=batch).consume()

    def _remove(self, tx: ManagedTransaction, kind: RecordKind, keys: Collection[Key]) -> None:
        for batch in _batches([list(k) for k in keys]):
            tx.run(q.remove(kind), keys=batch).consume()

    def _scan(
        self,
        tx: ManagedTransaction,
        kind: RecordKind,
        filters: BaseModel | None,
        page: PageRequest | None,
    ) -> tuple[list[Any], int]:
        params: dict[str, Any] = {}
        where = _where(_filters(kind, filters, params) if filters else [])
        if page is None:
            items = [_record(kind, r) for r in tx.run(q.scan(kind, where, paged=False), params)]
            return items, len(items)
        total = tx.run(q.count(kind, where), params).single(strict=True)["total"]
        params |= {"offset": page.offset, "limit": page.limit}
        items = [_record(kind, r) for r in tx.run(q.scan(kind, where, paged=True), params)]
        return items, total

    def _find(
        self,
        tx: ManagedTransaction,
        kind: RecordKind,
        match: Mapping[str, Collection[str]],
        at: date | None = None,
    ) -> list[Any]:
        """One query per field (an index seek per id)."""
        found: dict[Key, Any] = {}
        for field, values in match.items():
            if not values:
                continue
            query = q.find(kind, field, at is not None)
            for row in _rows(tx, query, ids=sorted(set(values)), at=at):
                record = _record(kind, row)
                found[key_of(kind, record)] = record
        return list(found.values())

    def _clear(self, tx: ManagedTransaction, *, whole: bool) -> bool:
        """Delete BATCH nodes with their ties at a time (all of them if `whole`); the helix and
        Meta nodes, constraints and indexes stay."""
        while True:
            deleted = int(tx.run(q.CLEAR_BATCH, batch=BATCH).single(strict=True)["deleted"])
            if deleted < BATCH:
                return True
            if not whole:
                return False

    # -- whole graph -----------------------------------------------------------------------
    def snapshot(self, region: str | None = None) -> GraphData:
        """The whole graph, or a region's part: its innovations; the actors tied to them, owning
        them or located in the region; the ties among those; and all regions."""

        def work(tx: ManagedTransaction) -> GraphData:
            params: dict[str, Any] = {}
            if region is not None:
                scope = tx.run(q.REGION_SCOPE, region=region).single(strict=True)
                params = {"inn": scope["inn"], "act": scope["act"]}
            sections: dict[str, list[BaseModel]] = {}
            for section, query in q.snapshot_queries(region is not None).items():
                kind = BY_SECTION[section]
                records = sections[section] = []
                after: str | None = ""
                while after is not None:  # page by page (cypher.chunked)
                    page = tx.run(query, params, after=after, chunk=SNAPSHOT_CHUNK).single(
                        strict=True
                    )
                    records.extend(_record(kind, item) for item in page["rows"])
                    after = page["last"]
            return GraphData.model_validate(sections)

        return self._run(work)

    # -- speed overrides (Store.SPEED_OVERRIDES) -------------------------------------------
    def coverage_gaps(
        self, threshold: int, at: date, region: str | None = None
    ) -> list[CoverageGap]:
        """The rule of `Store.coverage_gaps` in one Cypher query (a speed override)."""
        params: dict[str, Any] = {"threshold": threshold, "at": at, "region": region}
        query = q.coverage_gaps(region is not None)
        rows = self._run(lambda tx: list(tx.run(query, params)))
        return [
            CoverageGap(
                innovation_id=r["id"],
                name=r["name"],
                coverage=r["coverage"],
                missing=[h for h in Helix if h.value not in set(r["present"])],
            )
            for r in rows
        ]

    def tie_sources(self, region: str | None, at: date) -> list[SourcedInnovation]:
        """`Store.tie_sources` counted in one query (the ties' sources, not the records)."""
        rows = self._run(lambda tx: list(tx.run(q.TIE_SOURCES, region=region, at=at)))
        return [
            SourcedInnovation(r["id"], r["name"], tuple(sorted((s, n) for s, n in r["sources"])))
            for r in rows
        ]

    def around(self, actor_ids: Collection[str]) -> Around:
        """`Store.around` reading four properties of each, not the whole node, in one query."""
        ids = sorted(set(actor_ids))
        row = self._run(lambda tx: tx.run(q.AROUND, ids=ids).single(strict=True))
        ties: list[TieSpan] = []
        innovations: dict[str, InnovationSpan] = {}
        for a, i, since, until, region, launched_on, owner in row["ties"]:
            ties.append(TieSpan(a, i, _native(since), _native(until)))
            innovations[i] = InnovationSpan(i, region, _native(launched_on), owner)
        for i, region, launched_on, owner in row["owned"]:
            innovations[i] = InnovationSpan(i, region, _native(launched_on), owner)
        return Around(
            ties=sorted(ties, key=lambda t: (t.actor_id, t.innovation_id)),
            innovations=[innovations[k] for k in sorted(innovations)],
        )

    def reach(
        self, innovation_id: str, actor_ids: Collection[str], day: date, region: str | None
    ) -> int:
        """`Store.reach` counted in one query: one number, where the rule reads every tie of
        the actors (3,382 ties and innovations around a ministry: 40 ms of decoding)."""
        params = {
            "ids": sorted(set(actor_ids)),
            "not": [innovation_id],
            "at": day,
            "within": [] if region is None else [region],
        }
        row = self._run(lambda tx: tx.run(q.REACH, params).single(strict=True))
        return int(row["reach"])

    def _partner_ties(self, tx: ManagedTransaction, actor_id: str, at: date) -> PartnerTies:
        """`Store._partner_ties` in one query (partners and common ground were six round trips)."""
        row = tx.run(q.PARTNER_TIES, id=actor_id, at=at).single(strict=True)
        if not row["found"]:
            raise NotFound(f"actor '{actor_id}' not found")
        shared: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
        for other, innovation, mine, theirs in sorted(row["shared"]):
            shared[other].append((innovation, mine, theirs))
        formal = {other: (PartnershipKind(kind), source) for other, kind, source in row["formal"]}
        return dict(shared), formal
