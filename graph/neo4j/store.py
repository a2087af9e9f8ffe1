"""The Neo4j store: the graph in a Neo4j server, through the official driver and Cypher.

One driver per store (one store per process). Reads run in managed read transactions, writes in
managed write transactions that the driver retries on transient errors; every write transaction
first bumps the `(:Meta {key: 'graph'})` version, which also serialises writers on that node so a
check-then-write inside one transaction is safe. The schema (constraints, indexes, the six
`:Helix` nodes, the Meta node) is created with `IF NOT EXISTS` when the server first answers: the
store comes up while Neo4j is down and catches up when it is back.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Collection, Iterator, Mapping
from datetime import date
from enum import Enum
from typing import Any, TypeVar

import neo4j
from neo4j import Driver, GraphDatabase, ManagedTransaction, Record
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

from graph import revision
from graph.errors import (
    Conflict,
    HexahelixError,
    Invalid,
    NotFound,
    StoreFailed,
    StoreUnavailable,
)
from graph.integrity import bundle_problems
from graph.kinds import BY_SECTION, COLLABORATION, PARTNERSHIP, NodeKind
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
from graph.neo4j import cypher as q
from graph.neo4j.readonly import count_research, terminate_research
from graph.neo4j.sandbox import Connection, CypherSandbox
from graph.provenance import link_evidence, overall
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
from graph.vocab import HELIX_NAMES, Helix

log = logging.getLogger("hexahelix.neo4j")

BATCH = 5000  # rows per UNWIND statement of a bulk load, nodes per clear transaction
PROBE_SECONDS = 0.5  # how often the background probe tries a write while the circuit is open
STALE_SECONDS = 0.25  # a failure this fast may be a pooled connection to a restarted server
# Transient codes that mean "retry and it will pass" (contention); the others, such as a memory
# pool exhausted or a transaction terminated, are reported as failures, not as outages.
_BUSY_CODES = ("Deadlock", "LockAcquisition", "LeaderSwitch", "NotALeader")
_OUTAGE_CODES = ("DatabaseUnavailable",)
T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)
N = TypeVar("N", Innovation, Actor)

# Node kinds: (name in messages, label, model, what its delete refuses on, in message order)
_KINDS: dict[type[BaseModel], tuple[str, str]] = {
    Innovation: ("innovation", q.INN),
    Actor: ("actor", q.ACT),
}


def _native(value: Any) -> Any:
    """A driver value as plain Python (neo4j.time.Date -> datetime.date)."""
    if isinstance(value, neo4j.time.Date):
        return value.to_native()
    if isinstance(value, list):
        return [_native(v) for v in value]
    return value


def _from_neo4j(entity: Any) -> dict[str, Any]:
    """Neo4j -> Python: the properties of a node, relationship or map as plain values."""
    return {k: _native(v) for k, v in dict(entity).items()}


def _model(model: type[M], values: dict[str, Any]) -> M:
    """A model from stored properties (absent properties take their defaults)."""
    return model.model_validate({k: v for k, v in values.items() if k in model.model_fields})


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


def _single(tx: ManagedTransaction, query: str, **params: Any) -> Record | None:
    return tx.run(query, params).single()


def _listed(tx: ManagedTransaction, query: str, **params: Any) -> list[Any]:
    """The one list a bulk read answers (its single row's single column)."""
    items: list[Any] = tx.run(query, params).single(strict=True)[0]
    return items


def _require(tx: ManagedTransaction, label: str, name: str, node_id: str) -> None:
    """NotFound naming the kind and id unless the node exists."""
    if _single(tx, q.exists(label), id=node_id) is None:
        raise NotFound(f"{name} '{node_id}' not found")


# -- bundles -----------------------------------------------------------------------------------
def _batches(rows: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(rows), BATCH):
        yield rows[start : start + BATCH]


def _filters(
    var: str, filters: BaseModel, params: dict[str, Any], skip: tuple[str, ...] = ()
) -> list[str]:
    """Cypher conditions for the set fields of a list filter (field names = property names)."""
    clauses = []
    for field, value in filters.model_dump(mode="json", exclude_none=True).items():
        if field in skip:
            continue
        if field == "region":
            clauses.append(q.region_clause(var))
        elif field == "q":
            clauses.append(f"toLower({var}.name) CONTAINS $q")
            value = value.lower()
        elif field in CASELESS_FIELDS:
            clauses.append(f"toLower({var}.{field}) = ${field}")
            value = value.lower()
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
            row = _single(tx, q.VERSION)
            return 0 if row is None else int(row["version"])

        return self._run(work)

    # -- generic node operations -----------------------------------------------------------
    def _fetch(self, tx: ManagedTransaction, model: type[N], node_id: str) -> N:
        name, label = _KINDS[model]
        row = _single(tx, q.exists(label), id=node_id)
        if row is None:
            raise NotFound(f"{name} '{node_id}' not found")
        return _model(model, _from_neo4j(row["n"]))

    def _check_owner(self, tx: ManagedTransaction, node: BaseModel) -> None:
        if isinstance(node, Innovation) and node.owner_id is not None:
            _require(tx, q.ACT, "actor", node.owner_id)

    def _write_node(self, tx: ManagedTransaction, node: Innovation | Actor) -> None:
        _, label = _KINDS[type(node)]
        tx.run(q.upsert_nodes(label), rows=[_to_neo4j(node)]).consume()

    def _create_node(self, node: N) -> N:
        name, label = _KINDS[type(node)]

        def work(tx: ManagedTransaction) -> None:
            self._check_owner(tx, node)
            if _single(tx, q.exists(label), id=node.id) is not None:
                raise Conflict(f"{name} '{node.id}' already exists")
            self._write_node(tx, node)

        self._run(work, write=True)
        return node

    def _get_node(self, model: type[N], node_id: str) -> N:
        return self._run(lambda tx: self._fetch(tx, model, node_id))

    def _list_nodes(self, model: type[N], filters: BaseModel, page: PageRequest) -> Page[N]:
        _, label = _KINDS[model]
        params: dict[str, Any] = {"offset": page.offset, "limit": page.limit}
        where = _where(_filters("n", filters, params))

        def work(tx: ManagedTransaction) -> Page[N]:
            total = tx.run(q.count_nodes(label, where), params).single(strict=True)["total"]
            rows = tx.run(q.page_nodes(label, where), params)
            items = [_model(model, _from_neo4j(r["n"])) for r in rows]
            return Page(items=items, total=total, limit=page.limit, offset=page.offset)

        return self._run(work)

    def _update_node(
        self, model: type[N], node_id: str, patch: BaseModel, if_match: IfMatch | None
    ) -> N:
        name, _ = _KINDS[model]

        def work(tx: ManagedTransaction) -> N:
            stored = self._fetch(tx, model, node_id)
            revision.check(if_match, stored, f"{name} '{node_id}'")
            node = apply_patch(stored, patch)
            self._check_owner(tx, node)
            self._write_node(tx, node)
            return node

        return self._run(work, write=True)

    def _delete_node(
        self, model: type[N], node_id: str, cascade: bool, if_match: IfMatch | None
    ) -> None:
        name, label = _KINDS[model]

        def work(tx: ManagedTransaction) -> None:
            counts = _single(tx, q.attachments(label), id=node_id)
            if counts is None:
                raise NotFound(f"{name} '{node_id}' not found")
            if if_match is not None:
                revision.check(if_match, self._fetch(tx, model, node_id), f"{name} '{node_id}'")
            if cascade:
                if label == q.ACT:  # an actor's cascade clears it as owner too
                    tx.run(q.DISOWN, id=node_id).consume()
            else:
                attached = [f"{n} {what}" for what, n in counts.data().items() if n]
                if attached:
                    raise Conflict(
                        f"{name} '{node_id}' still has {', '.join(attached)};"
                        " remove them first or delete with cascade"
                    )
            tx.run(q.delete_node(label), id=node_id).consume()

        self._run(work, write=True)

    # -- innovations -----------------------------------------------------------------------
    def create_innovation(self, innovation: Innovation) -> Innovation:
        """Add an innovation; Conflict if the id exists, NotFound if its owner does not."""
        return self._create_node(innovation)

    def get_innovation(self, innovation_id: str) -> Innovation:
        """The innovation with this id, or NotFound."""
        return self._get_node(Innovation, innovation_id)

    def list_innovations(self, filters: InnovationFilter, page: PageRequest) -> Page[Innovation]:
        """Innovations matching the filters, ordered by id."""
        return self._list_nodes(Innovation, filters, page)

    def update_innovation(
        self, innovation_id: str, patch: InnovationPatch, *, if_match: IfMatch | None = None
    ) -> Innovation:
        """Change the given fields; NotFound for an unknown id or owner."""
        return self._update_node(Innovation, innovation_id, patch, if_match)

    def delete_innovation(
        self, innovation_id: str, cascade: bool = False, *, if_match: IfMatch | None = None
    ) -> None:
        """Delete; Conflict while collaborations or builds_on ties remain, unless `cascade`."""
        self._delete_node(Innovation, innovation_id, cascade, if_match)

    # -- actors ----------------------------------------------------------------------------
    def create_actor(self, actor: Actor) -> Actor:
        """Add an actor; Conflict if the id exists."""
        return self._create_node(actor)

    def get_actor(self, actor_id: str) -> Actor:
        """The actor with this id, or NotFound."""
        return self._get_node(Actor, actor_id)

    def list_actors(self, filters: ActorFilter, page: PageRequest) -> Page[Actor]:
        """Actors matching the filters, ordered by id."""
        return self._list_nodes(Actor, filters, page)

    def update_actor(
        self, actor_id: str, patch: ActorPatch, *, if_match: IfMatch | None = None
    ) -> Actor:
        """Change the given fields; NotFound for an unknown id."""
        return self._update_node(Actor, actor_id, patch, if_match)

    def delete_actor(
        self, actor_id: str, cascade: bool = False, *, if_match: IfMatch | None = None
    ) -> None:
        """Delete; Conflict while ties or owned innovations remain, unless `cascade`."""
        self._delete_node(Actor, actor_id, cascade, if_match)

    # -- collaborations --------------------------------------------------------------------
    @staticmethod
    def _collaboration(row: Mapping[str, Any]) -> Collaboration:
        return _model(
            Collaboration,
            _from_neo4j(row["c"])
            | {"actor_id": row["actor_id"], "innovation_id": row["innovation_id"]},
        )

    def _fetch_collaboration(
        self, tx: ManagedTransaction, actor_id: str, innovation_id: str
    ) -> Collaboration:
        row = _single(tx, q.GET_COLLAB, a=actor_id, i=innovation_id)
        if row is None:
            raise NotFound(f"{describe_collaboration(actor_id, innovation_id)} not found")
        return self._collaboration(row)

    def create_collaboration(self, tie: Collaboration) -> Collaboration:
        """Add a tie; NotFound if either end is missing, Conflict if the pair has one."""

        def work(tx: ManagedTransaction) -> None:
            _require(tx, q.ACT, "actor", tie.actor_id)
            _require(tx, q.INN, "innovation", tie.innovation_id)
            if _single(tx, q.GET_COLLAB, a=tie.actor_id, i=tie.innovation_id) is not None:
                raise Conflict(f"{describe_collaboration(*tie.key)} already exists")
            props = _to_neo4j(tie, exclude={"actor_id", "innovation_id"})
            tx.run(q.CREATE_COLLAB, a=tie.actor_id, i=tie.innovation_id, props=props).consume()

        self._run(work, write=True)
        return tie

    def get_collaboration(self, actor_id: str, innovation_id: str) -> Collaboration:
        """The tie between this actor and innovation, or NotFound."""
        return self._run(lambda tx: self._fetch_collaboration(tx, actor_id, innovation_id))

    def list_collaborations(
        self, filters: CollaborationFilter, page: PageRequest
    ) -> Page[Collaboration]:
        """Ties matching the filters, ordered by (actor_id, innovation_id)."""
        params: dict[str, Any] = {"offset": page.offset, "limit": page.limit}
        clauses = []
        if filters.actor_id is not None:
            clauses.append("a.id = $actor_id")
            params["actor_id"] = filters.actor_id
        if filters.innovation_id is not None:
            clauses.append("i.id = $innovation_id")
            params["innovation_id"] = filters.innovation_id
        if filters.role is not None:
            clauses.append("c.role = $role")
            params["role"] = filters.role.value
        where = _where(clauses)

        def work(tx: ManagedTransaction) -> Page[Collaboration]:
            total = tx.run(q.count_collabs(where), params).single(strict=True)["total"]
            items = [self._collaboration(r) for r in tx.run(q.page_collabs(where), params)]
            return Page(items=items, total=total, limit=page.limit, offset=page.offset)

        return self._run(work)

    def update_collaboration(
        self,
        actor_id: str,
        innovation_id: str,
        patch: CollaborationPatch,
        *,
        if_match: IfMatch | None = None,
    ) -> Collaboration:
        """Change the given fields of a tie, or NotFound."""

        def work(tx: ManagedTransaction) -> Collaboration:
            stored = self._fetch_collaboration(tx, actor_id, innovation_id)
            revision.check(if_match, stored, describe_collaboration(actor_id, innovation_id))
            tie = apply_patch(stored, patch)
            props = _to_neo4j(tie, exclude={"actor_id", "innovation_id"})
            tx.run(q.UPDATE_COLLAB, a=actor_id, i=innovation_id, props=props).consume()
            return tie

        return self._run(work, write=True)

    def delete_collaboration(
        self, actor_id: str, innovation_id: str, *, if_match: IfMatch | None = None
    ) -> None:
        """Remove a tie, or NotFound."""

        def work(tx: ManagedTransaction) -> None:
            stored = self._fetch_collaboration(tx, actor_id, innovation_id)
            revision.check(if_match, stored, describe_collaboration(actor_id, innovation_id))
            tx.run(q.DELETE_COLLAB, a=actor_id, i=innovation_id).consume()

        self._run(work, write=True)

    # -- partnerships ----------------------------------------------------------------------
    @staticmethod
    def _partnership(row: Record) -> Partnership:
        return _model(
            Partnership,
            _from_neo4j(row["p"]) | {"source_id": row["source_id"], "target_id": row["target_id"]},
        )

    def _fetch_partnership(self, tx: ManagedTransaction, a: str, b: str) -> Partnership:
        row = _single(tx, q.GET_PAIR, a=a, b=b)
        if row is None:
            raise NotFound(f"{describe_partnership(a, b)} not found")
        return self._partnership(row)

    def create_partnership(self, partnership: Partnership) -> Partnership:
        """Add a partnership; NotFound for a missing actor, Conflict if the pair has one."""
        a, b = partnership.key

        def work(tx: ManagedTransaction) -> None:
            _require(tx, q.ACT, "actor", a)
            _require(tx, q.ACT, "actor", b)
            if _single(tx, q.GET_PAIR, a=a, b=b) is not None:
                raise Conflict(f"{describe_partnership(a, b)} already exists")
            props = _to_neo4j(partnership, exclude={"source_id", "target_id"})
            tx.run(q.CREATE_PAIR, a=a, b=b, props=props).consume()

        self._run(work, write=True)
        return partnership

    def get_partnership(self, source_id: str, target_id: str) -> Partnership:
        """The partnership between the two actors (either direction), or NotFound."""
        return self._run(lambda tx: self._fetch_partnership(tx, source_id, target_id))

    def list_partnerships(self, filters: PartnershipFilter, page: PageRequest) -> Page[Partnership]:
        """Partnerships matching the filters (`actor_id` at either end), by (source, target)."""
        params: dict[str, Any] = {"offset": page.offset, "limit": page.limit}
        clauses = []
        if filters.actor_id is not None:
            clauses.append("(s.id = $actor_id OR t.id = $actor_id)")
            params["actor_id"] = filters.actor_id
        if filters.kind is not None:
            clauses.append("p.kind = $kind")
            params["kind"] = filters.kind.value
        where = _where(clauses)

        def work(tx: ManagedTransaction) -> Page[Partnership]:
            total = tx.run(q.count_pairs(where), params).single(strict=True)["total"]
            items = [self._partnership(r) for r in tx.run(q.page_pairs(where), params)]
            return Page(items=items, total=total, limit=page.limit, offset=page.offset)

        return self._run(work)

    def update_partnership(
        self,
        source_id: str,
        target_id: str,
        patch: PartnershipPatch,
        *,
        if_match: IfMatch | None = None,
    ) -> Partnership:
        """Change the given fields of a partnership (either direction), or NotFound."""

        def work(tx: ManagedTransaction) -> Partnership:
            stored = self._fetch_partnership(tx, source_id, target_id)
            revision.check(if_match, stored, describe_partnership(source_id, target_id))
            updated = apply_patch(stored, patch)
            props = _to_neo4j(updated, exclude={"source_id", "target_id"})
            tx.run(q.UPDATE_PAIR, a=source_id, b=target_id, props=props).consume()
            return updated

        return self._run(work, write=True)

    def delete_partnership(
        self, source_id: str, target_id: str, *, if_match: IfMatch | None = None
    ) -> None:
        """Remove a partnership (either direction), or NotFound."""

        def work(tx: ManagedTransaction) -> None:
            stored = self._fetch_partnership(tx, source_id, target_id)
            revision.check(if_match, stored, describe_partnership(source_id, target_id))
            tx.run(q.DELETE_PAIR, a=source_id, b=target_id).consume()

        self._run(work, write=True)

    # -- whole graph -----------------------------------------------------------------------
    def records(self, model: type[N], ids: Collection[str]) -> list[N]:
        """The stored nodes of `model` among `ids`, by id, in one query."""
        _, label = _KINDS[model]
        nodes = self._run(lambda tx: _listed(tx, q.nodes_by_id(label), ids=sorted(set(ids))))
        return sorted((_model(model, _from_neo4j(n)) for n in nodes), key=lambda n: n.id)

    def ties_touching(
        self, *, innovation_ids: Collection[str] = (), actor_ids: Collection[str] = ()
    ) -> list[Collaboration]:
        """Every tie to one of `innovation_ids` or of one of `actor_ids`, each once, by
        (actor_id, innovation_id), in one query."""
        params = {
            "innovation_ids": sorted(set(innovation_ids)),
            "actor_ids": sorted(set(actor_ids)),
        }
        ties = self._run(lambda tx: _listed(tx, q.TIES_TOUCHING, **params))
        return sorted((self._collaboration(t) for t in ties), key=lambda t: t.key)

    def around(self, actor_ids: Collection[str]) -> Around:
        """In brief, the ties of `actor_ids` and the innovations they are tied to or own (four
        properties of each, not the whole node), in one query."""
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

    def load(self, data: GraphData, *, replace: bool = False) -> dict[str, int]:
        """Upsert a whole bundle in one transaction (idempotent), in UNWIND batches.

        Every reference must resolve within the bundle or the store (only the bundle with
        `replace`), else Invalid listing each problem and nothing is written. A partnership
        given in the reverse direction of a stored one updates the stored one (which keeps its
        direction). With `replace` the old graph is deleted in the same transaction: Neo4j
        rolls back a transaction whose client dies or that fails (time-out, memory limit), so
        the store holds the old graph or the new one. The transaction must fit the server's
        `db.transaction.timeout` and `dbms.memory.transaction.total.max` (README).
        """

        def work(tx: ManagedTransaction) -> None:
            def existing(kind: NodeKind, ids: set[str]) -> set[str]:
                if replace:
                    return set()
                label = q.ACT if kind == "actor" else q.INN
                return {n["id"] for n in _listed(tx, q.nodes_by_id(label), ids=sorted(ids))}

            problems = bundle_problems(data, existing)
            if problems:
                raise Invalid(
                    f"the bundle has {len(problems)} problem(s); nothing was written", problems
                )
            while replace:
                deleted = int(_single(tx, q.CLEAR_BATCH, batch=BATCH)["deleted"])  # type: ignore[index]
                if deleted < BATCH:
                    break
            steps: list[tuple[str, list[dict[str, Any]]]] = [
                (q.UPSERT_REGIONS, [_to_neo4j(r) for r in data.regions]),
                (q.upsert_nodes(q.ACT), [_to_neo4j(a) for a in data.actors]),
                (q.upsert_nodes(q.INN), [_to_neo4j(i) for i in data.innovations]),
                (
                    q.UPSERT_COLLABS,
                    [
                        {
                            "actor_id": c.actor_id,
                            "innovation_id": c.innovation_id,
                            "props": _to_neo4j(c, exclude={"actor_id", "innovation_id"}),
                        }
                        for c in data.collaborations
                    ],
                ),
                (
                    q.UPSERT_PAIRS,
                    [
                        {
                            "source_id": p.source_id,
                            "target_id": p.target_id,
                            "props": _to_neo4j(p, exclude={"source_id", "target_id"}),
                        }
                        for p in data.partnerships
                    ],
                ),
                (q.UPSERT_PART_OF, [_to_neo4j(p) for p in data.part_of]),
                (q.UPSERT_BUILDS_ON, [_to_neo4j(b) for b in data.builds_on]),
            ]
            for query, rows in steps:
                for batch in _batches(rows):
                    tx.run(query, rows=batch).consume()

        self._run(work, write=True)
        return data.counts()

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
                rows = tx.run(query, params)
                if kind is COLLABORATION:
                    sections[section] = [self._collaboration(r) for r in rows]
                elif kind is PARTNERSHIP:
                    sections[section] = [self._partnership(r) for r in rows]
                elif kind.tie:
                    sections[section] = [_model(kind.model, r.data()) for r in rows]
                else:
                    sections[section] = [_model(kind.model, _from_neo4j(r["n"])) for r in rows]
            return GraphData.model_validate(sections)

        return self._run(work)

    def regions(self) -> list[Region]:
        """Every region, by code."""
        query = q.snapshot_queries(False)["regions"]
        return self._run(lambda tx: [_model(Region, _from_neo4j(r["n"])) for r in tx.run(query)])

    def clear(self) -> None:
        """Delete every innovation, actor and region with their ties (batches of BATCH nodes,
        one transaction each); the helix and Meta nodes, constraints and indexes stay."""
        while True:
            deleted: int = self._run(
                lambda tx: int(_single(tx, q.CLEAR_BATCH, batch=BATCH)["deleted"]),  # type: ignore[index]
                write=True,
            )
            if deleted < BATCH:
                return

    def is_empty(self) -> bool:
        """Whether the store holds no innovation and no actor."""
        return self._run(lambda tx: bool(_single(tx, q.IS_EMPTY)["empty"]))  # type: ignore[index]

    # -- collaboration queries -------------------------------------------------------------
    def collaborators(self, innovation_id: str, at: date) -> list[CollaboratorTie]:
        """Actors with a tie to the innovation active on `at`, by helix (enum order) then id."""
        row = self._run(
            lambda tx: _single(tx, q.COLLABORATORS, id=innovation_id, at=at, rank=q.HELIX_RANK)
        )
        if row is None:
            raise NotFound(f"innovation '{innovation_id}' not found")
        return [CollaboratorTie.model_validate(_from_neo4j(r)) for r in row["rows"]]

    def actor_innovations(self, actor_id: str, at: date) -> list[ActorInnovation]:
        """Innovations the actor has a tie to active on `at`, by id."""
        row = self._run(lambda tx: _single(tx, q.ACTOR_INNOVATIONS, id=actor_id, at=at))
        if row is None:
            raise NotFound(f"actor '{actor_id}' not found")
        return [ActorInnovation.model_validate(_from_neo4j(r)) for r in row["rows"]]

    def _partner_ties(self, ids: list[str], at: date) -> list[Record]:
        """For each actor of `ids` (NotFound for the first missing one): its co-collaborators,
        partnerships and active innovations, in one query."""
        rows = self._run(lambda tx: list(tx.run(q.PARTNER_TIES, ids=ids, at=at)))
        for row in rows:
            if not row["found"]:
                raise NotFound(f"actor '{row['id']}' not found")
        return rows

    @staticmethod
    def _partners_of(me: str, row: Record) -> list[Partner]:
        found: dict[str, dict[str, Any]] = {}
        for co in row["co"]:
            shared = [(s["id"], s["mine"], s["theirs"]) for s in co["shared"]]
            found[co["id"]] = {"name": co["name"], "helix": co["helix"], "shared": shared}
        for formal in row["formal"]:
            entry = found.setdefault(
                formal["id"], {"name": formal["name"], "helix": formal["helix"], "shared": []}
            )
            entry["formal"] = (formal["kind"], formal["source"])
        ids = sorted(found, key=lambda a: (-len(found[a]["shared"]), a))
        result = []
        for a in ids:
            entry = found[a]
            evidence = link_evidence(me, a, entry["shared"], entry.get("formal"))
            result.append(
                Partner(
                    actor_id=a,
                    name=entry["name"],
                    helix=entry["helix"],
                    shared_innovations=[i for i, _, _ in entry["shared"]],
                    partnership=entry["formal"][0] if "formal" in entry else None,
                    evidence=evidence,
                    provenance=overall(evidence),
                )
            )
        return result

    def partners(self, actor_id: str, at: date) -> list[Partner]:
        """Co-collaborators and partners of the actor on `at`, most shared innovations first,
        then by id."""
        (row,) = self._partner_ties([actor_id], at)
        return self._partners_of(actor_id, row)

    def common(self, actor_a: str, actor_b: str, at: date) -> CommonGround:
        """Innovations and partners two actors share on `at`, and their direct partnership."""
        rows = self._partner_ties([actor_a, actor_b], at)
        found = [self._partners_of(me, r) for me, r in zip((actor_a, actor_b), rows, strict=True)]
        partners = [{p.actor_id for p in listed} for listed in found]
        link = next((p for p in found[0] if p.actor_id == actor_b), None)
        evidence = link.evidence if link else []
        return CommonGround(
            innovations=sorted(link.shared_innovations) if link else [],
            partners=sorted((partners[0] & partners[1]) - {actor_a, actor_b}),
            partnership=link.partnership if link else None,
            evidence=evidence,
            provenance=overall(evidence),
        )

    def coverage_gaps(
        self, threshold: int, at: date, region: str | None = None
    ) -> list[CoverageGap]:
        """Innovations (with active ties or none) covering fewer than `threshold` helix kinds,
        fewest first, then by id; `missing` lists the absent kinds in Helix order."""
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
