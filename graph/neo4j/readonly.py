"""Read-only Cypher for researchers: checked in layers, then run in a read transaction.

1. The text: bounded length and nesting; no `USE`, `SHOW`, `TERMINATE`, `LOAD CSV`,
   `IN TRANSACTIONS`, `EXPLAIN`/`PROFILE` or admin command words outside strings and comments.
2. The plan (`EXPLAIN`, which runs nothing): the query type must be `r` (read only); no operator
   that loads CSV, shows or terminates anything, runs transactions in batches, or calls a
   procedure outside a small allowlist.
3. The run: a READ access-mode session and managed read transaction (the server refuses any
   write), with a server-side timeout, and caps on rows, on the size of the answer and on the
   depth of values, applied value by value as each row is converted.

The API runs these in killable worker processes (`graph/neo4j/sandbox.py`), since Neo4j does not
stop every query at its timeout.
"""

from __future__ import annotations

import logging
import math
import re
from datetime import date, datetime, time, timedelta
from typing import Any

import neo4j
from neo4j import Driver, ManagedTransaction, unit_of_work
from neo4j.exceptions import ClientError, CypherSyntaxError, Neo4jError
from neo4j.graph import Node, Path, Relationship

from graph.errors import BadQuery, HexahelixError, Invalid, Refused, StoreUnavailable, TimedOut
from graph.research import MAX_QUERY_CHARS, CypherAnswer, Limits

log = logging.getLogger("hexahelix.cypher")

ALLOWED_PROCEDURES = frozenset(
    {"db.labels", "db.relationshipTypes", "db.propertyKeys", "db.schema.visualization"}
)
MAX_NESTING = 40
MAX_VALUE_DEPTH = 32
"""Deepest list or map nesting of a value in an answer (nodes, relationships and paths count
one level)."""
METADATA_KEY = "hexahelix_research"
"""Transaction metadata key naming a research query (to find and terminate it on the server)."""
# Words refused anywhere outside string literals and comments (upper case, whole words).
_FORBIDDEN_WORDS = {
    "USE": "USE (switching databases) is not allowed",
    "SHOW": "SHOW commands are not allowed",
    "TERMINATE": "TERMINATE commands are not allowed",
    "EXPLAIN": "EXPLAIN/PROFILE prefixes are not allowed (plans are checked by the server)",
    "PROFILE": "EXPLAIN/PROFILE prefixes are not allowed (plans are checked by the server)",
    "LOAD": "LOAD CSV is not allowed",
    "TRANSACTIONS": "CALL { ... } IN TRANSACTIONS is not allowed",
    "GRANT": "administration commands are not allowed",
    "REVOKE": "administration commands are not allowed",
    "DENY": "administration commands are not allowed",
    "ALTER": "administration commands are not allowed",
    "START": "administration commands are not allowed",
    "STOP": "administration commands are not allowed",
    "DROP": "schema and administration commands are not allowed",
}
# Plan operators refused even inside a read query.
_FORBIDDEN_OPERATORS = ("LoadCSV", "Show", "Terminate", "Transaction", "SystemProcedureCall")
_TOKENS = re.compile(
    r"""
    (?P<comment>//[^\r\n\x85\u2028\u2029]*|/\*.*?(?:\*/|\Z))
    |(?P<string>'(?:[^'\\]|\\.)*(?:'|\Z)|"(?:[^"\\]|\\.)*(?:"|\Z))
    |(?P<quoted>`(?:[^`]|``)*(?:`|\Z))
    |(?P<word>[A-Za-z_][A-Za-z0-9_]*)
    |(?P<open>[\(\[\{])
    |(?P<close>[\)\]\}])
    """,
    re.VERBOSE | re.DOTALL,
)


class QueryRefused(Refused):
    """The query is not a plain read of the graph; the message says why."""

    def __str__(self) -> str:
        return f"query refused: {super().__str__()}"


class QueryTimedOut(TimedOut):
    """The query ran longer than its time limit."""


class QueryFailed(BadQuery):
    """The server rejected the query (syntax, types, unknown function...)."""


class AnswerTooLarge(Invalid):
    """A value of the answer is larger or deeper than allowed, or needs too much memory."""


def check_text(query: str) -> None:
    """Layer 1: refuse text that is too long, too deeply nested or uses a forbidden word."""
    if not query.strip():
        raise QueryRefused("the query is empty")
    if len(query) > MAX_QUERY_CHARS:
        raise QueryRefused(f"the query is longer than {MAX_QUERY_CHARS} characters")
    depth = 0
    for match in _TOKENS.finditer(query):
        kind = match.lastgroup
        if kind == "word":
            word = match.group().upper()
            if word in _FORBIDDEN_WORDS:
                raise QueryRefused(_FORBIDDEN_WORDS[word])
        elif kind == "open":
            depth += 1
            if depth > MAX_NESTING:
                raise QueryRefused(f"the query nests deeper than {MAX_NESTING} levels")
        elif kind == "close":
            depth -= 1
    bare = _TOKENS.sub(
        lambda m: " " if m.lastgroup in ("comment", "string", "quoted") else m.group(), query
    )
    if ";" in bare.rstrip().rstrip(";"):
        raise QueryRefused("only one statement is allowed")


def _procedure_name(details: str) -> str:
    """`db.labels() :: (label :: STRING)` -> `db.labels`."""
    return details.split("(", 1)[0].strip()


def check_plan(plan: dict[str, Any] | None) -> None:
    """Layer 2: refuse forbidden operators anywhere in the plan tree."""
    if plan is None:
        raise QueryRefused("the server gave no plan for the query")
    stack = [plan]
    while stack:
        step = stack.pop()
        operator = str(step.get("operatorType", "")).split("@")[0]
        if operator.startswith(_FORBIDDEN_OPERATORS):
            raise QueryRefused(f"operator {operator} is not allowed")
        if "ProcedureCall" in operator:
            details = str(step.get("args", {}).get("Details", ""))
            name = _procedure_name(details)
            if name not in ALLOWED_PROCEDURES:
                allowed = ", ".join(sorted(ALLOWED_PROCEDURES))
                raise QueryRefused(f"procedure {name or '?'} is not allowed (allowed: {allowed})")
        stack.extend(step.get("children", []))


class _Budget:
    """What is left of the answer's byte cap; `spend` raises AnswerTooLarge past it."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.left = max_bytes

    def spend(self, size: int) -> None:
        self.left -= size
        if self.left < 0:
            raise _OverBudget(f"the answer is larger than {self.max_bytes} bytes")


class _OverBudget(AnswerTooLarge):
    """The answer reached its byte cap (the rows so far are kept, as truncated)."""


def to_json(value: Any, budget: _Budget | None = None, depth: int = 0) -> Any:
    """A driver value as JSON: nodes, relationships and paths as maps, temporals as ISO text.

    With a `budget`, each value's approximate JSON size is charged as it is converted, so an
    oversized row stops at the cap; values nested deeper than MAX_VALUE_DEPTH are refused."""
    if depth > MAX_VALUE_DEPTH:
        raise AnswerTooLarge(f"a value is nested deeper than {MAX_VALUE_DEPTH} levels")
    below = depth + 1
    if budget is not None:
        budget.spend(_SIZE_OF.get(type(value), 0) or _size(value))
    if isinstance(value, Node):
        return {
            "element_id": value.element_id,
            "labels": sorted(value.labels),
            "properties": {k: to_json(v, budget, below) for k, v in value.items()},
        }
    if isinstance(value, Relationship):
        return {
            "element_id": value.element_id,
            "type": value.type,
            "start": value.start_node.element_id if value.start_node else None,
            "end": value.end_node.element_id if value.end_node else None,
            "properties": {k: to_json(v, budget, below) for k, v in value.items()},
        }
    if isinstance(value, Path):
        return {
            "nodes": [to_json(n, budget, below) for n in value.nodes],
            "relationships": [to_json(r, budget, below) for r in value.relationships],
        }
    if isinstance(value, dict):
        return {str(k): to_json(v, budget, below) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_json(v, budget, below) for v in value]
    if isinstance(
        value, neo4j.time.Date | neo4j.time.DateTime | neo4j.time.Time | neo4j.time.Duration
    ):
        return value.iso_format()
    if isinstance(value, date | datetime | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, bytes | bytearray):
        return value.hex()
    if isinstance(value, neo4j.spatial.Point):
        return {"srid": value.srid, "coordinates": list(value)}
    if isinstance(value, float) and not math.isfinite(value):
        return None  # JSON has no NaN or infinity
    return value


_SIZE_OF: dict[type, int] = {type(None): 4, bool: 5, int: 20, float: 24}


def _size(value: Any) -> int:
    """Approximate JSON bytes of a value itself (its items are charged on their own)."""
    if isinstance(value, str):
        return len(value) + 3
    if isinstance(value, bytes | bytearray):
        return 2 * len(value) + 3
    if isinstance(value, Node | Relationship):
        return 80
    return 8


def _timed_out(exc: Neo4jError) -> bool:
    return "TransactionTimedOut" in (exc.code or "") or "Terminated" in (exc.code or "")


def _out_of_memory(exc: Neo4jError) -> bool:
    return "MemoryPool" in (exc.code or "") or "OutOfMemory" in (exc.code or "")


def run_read_only(
    driver: Driver,
    database: str,
    query: str,
    parameters: dict[str, Any] | None = None,
    limits: Limits | None = None,
    metadata: dict[str, Any] | None = None,
) -> CypherAnswer:
    """Check `query` in layers, then run it read-only within `limits`; `metadata` is attached
    to both transactions (to find them on the server)."""
    limits = limits or Limits()
    params = dict(parameters or {})
    check_text(query)

    @unit_of_work(timeout=limits.timeout_seconds, metadata=metadata)
    def explain(tx: ManagedTransaction) -> tuple[str | None, dict[str, Any] | None]:
        summary = tx.run("EXPLAIN " + query, params).consume()
        return summary.query_type, summary.plan

    @unit_of_work(timeout=limits.timeout_seconds, metadata=metadata)
    def read(tx: ManagedTransaction) -> CypherAnswer:
        result = tx.run(query, params)
        answer = CypherAnswer(columns=list(result.keys()))
        budget = _Budget(limits.max_bytes)
        for record in result:
            if len(answer.rows) >= limits.max_rows:
                answer.truncated, answer.reason = True, f"more than {limits.max_rows} rows"
                break
            try:
                row = [to_json(v, budget) for v in record.values()]
            except _OverBudget:
                answer.truncated, answer.reason = True, f"more than {limits.max_bytes} bytes"
                break
            answer.rows.append(row)
        return answer

    try:
        with driver.session(database=database, default_access_mode=neo4j.READ_ACCESS) as session:
            query_type, plan = session.execute_read(explain)
            if query_type != "r":
                raise QueryRefused(f"only read queries are allowed (query type {query_type!r})")
            check_plan(plan)
            return session.execute_read(read)
    except HexahelixError:
        raise
    except CypherSyntaxError as exc:
        raise QueryFailed(f"invalid Cypher: {exc.message}") from exc
    except Neo4jError as exc:
        raise _query_error(exc, limits) from exc
    except (neo4j.exceptions.DriverError, OSError) as exc:
        raise StoreUnavailable("Neo4j did not answer the research query") from exc


def _query_error(exc: Neo4jError, limits: Limits) -> HexahelixError:
    """The domain error of a server error: the query's fault (4xx) with the server's words
    about the query, or the server's (503) without its internals."""
    if _timed_out(exc):
        return QueryTimedOut(f"the query timed out after {limits.timeout_seconds:g} s")
    if _out_of_memory(exc):
        return AnswerTooLarge("the query needs more memory than Neo4j allows a transaction")
    if isinstance(exc, ClientError) and "AccessMode" in (exc.code or ""):
        return QueryRefused(f"the server refused a write: {exc.message}")
    if isinstance(exc, ClientError) and "Security" in (exc.code or ""):
        return QueryRefused("not allowed by the server's security rules")
    if isinstance(exc, ClientError):
        return QueryFailed(f"the query failed: {exc.message}")
    if "Statement" in (exc.code or "") or "ArithmeticError" in (exc.code or ""):
        return QueryFailed(f"the query failed: {exc.message}")
    return StoreUnavailable("Neo4j could not run the research query; retry later")


def count_research(driver: Driver) -> int:
    """How many research transactions the server is running (killed ones included)."""
    with driver.session(database="system") as session:
        record = session.run(
            "SHOW TRANSACTIONS YIELD metaData WHERE metaData[$key] IS NOT NULL "
            "RETURN count(*) AS n",
            key=METADATA_KEY,
        ).single(strict=True)
    return int(record["n"])


def terminate_research(driver: Driver, token: str) -> None:
    """Ask the server to terminate the research transactions of one request (best effort:
    Neo4j marks them terminated, and stops them where its runtime checks)."""
    try:
        with driver.session(database="system") as session:
            ids = [
                r["id"]
                for r in session.run(
                    "SHOW TRANSACTIONS YIELD transactionId AS id, metaData "
                    "WHERE metaData[$key] = $token RETURN id",
                    key=METADATA_KEY,
                    token=token,
                )
            ]
            if ids:
                session.run("TERMINATE TRANSACTIONS $ids", ids=ids).consume()
    except Exception:  # best effort, on a thread nobody waits for
        log.info("could not terminate research transaction %s", token, exc_info=True)
