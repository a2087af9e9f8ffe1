"""Read-only Cypher for researchers: checked in layers, then run in a read transaction.

1. The text: bounded length and nesting; no `USE`, `SHOW`, `TERMINATE`, `LOAD CSV`,
   `IN TRANSACTIONS`, `EXPLAIN`/`PROFILE` or admin command words outside strings and comments.
2. The plan (`EXPLAIN`, which runs nothing): the query type must be `r` (read only); no operator
   that loads CSV, shows or terminates anything, runs transactions in batches, or calls a
   procedure outside a small allowlist.
3. The run: a READ access-mode session and managed read transaction (the server refuses any
   write), with a server-side timeout, and caps on rows and on the size of the answer.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

import neo4j
from neo4j import Driver, ManagedTransaction, unit_of_work
from neo4j.exceptions import ClientError, CypherSyntaxError, Neo4jError
from neo4j.graph import Node, Path, Relationship

from graph.errors import HexahelixError, StoreUnavailable

ALLOWED_PROCEDURES = frozenset(
    {"db.labels", "db.relationshipTypes", "db.propertyKeys", "db.schema.visualization"}
)
MAX_QUERY_CHARS = 5_000
MAX_NESTING = 40
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
    (?P<comment>//[^\n]*|/\*.*?(?:\*/|\Z))
    |(?P<string>'(?:[^'\\]|\\.)*(?:'|\Z)|"(?:[^"\\]|\\.)*(?:"|\Z))
    |(?P<quoted>`(?:[^`]|``)*(?:`|\Z))
    |(?P<word>[A-Za-z_][A-Za-z0-9_]*)
    |(?P<open>[\(\[\{])
    |(?P<close>[\)\]\}])
    """,
    re.VERBOSE | re.DOTALL,
)


class QueryRefused(HexahelixError):
    """The query is not a plain read of the graph; the message says why."""


class QueryTimedOut(HexahelixError):
    """The query ran longer than its time limit."""


class QueryFailed(HexahelixError):
    """The server rejected the query (syntax, types, unknown function...)."""


@dataclass
class Limits:
    """How much one query may take."""

    timeout_seconds: float = 10.0
    max_rows: int = 1_000
    max_bytes: int = 2_000_000


@dataclass
class CypherAnswer:
    """Columns and rows of a query, rows as JSON-ready values."""

    columns: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    truncated: bool = False
    reason: str | None = None


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


def to_json(value: Any) -> Any:
    """A driver value as JSON: nodes, relationships and paths as maps, temporals as ISO text."""
    if isinstance(value, Node):
        return {
            "element_id": value.element_id,
            "labels": sorted(value.labels),
            "properties": {k: to_json(v) for k, v in value.items()},
        }
    if isinstance(value, Relationship):
        return {
            "element_id": value.element_id,
            "type": value.type,
            "start": value.start_node.element_id if value.start_node else None,
            "end": value.end_node.element_id if value.end_node else None,
            "properties": {k: to_json(v) for k, v in value.items()},
        }
    if isinstance(value, Path):
        return {
            "nodes": [to_json(n) for n in value.nodes],
            "relationships": [to_json(r) for r in value.relationships],
        }
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_json(v) for v in value]
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
    return value


def _timed_out(exc: Neo4jError) -> bool:
    return "TransactionTimedOut" in (exc.code or "") or "Terminated" in (exc.code or "")


def run_read_only(
    driver: Driver,
    database: str,
    query: str,
    parameters: dict[str, Any] | None = None,
    limits: Limits | None = None,
) -> CypherAnswer:
    """Check `query` in layers, then run it read-only within `limits`."""
    limits = limits or Limits()
    params = dict(parameters or {})
    check_text(query)

    @unit_of_work(timeout=limits.timeout_seconds)
    def explain(tx: ManagedTransaction) -> tuple[str | None, dict[str, Any] | None]:
        summary = tx.run("EXPLAIN " + query, params).consume()
        return summary.query_type, summary.plan

    @unit_of_work(timeout=limits.timeout_seconds)
    def read(tx: ManagedTransaction) -> CypherAnswer:
        result = tx.run(query, params)
        answer = CypherAnswer(columns=list(result.keys()))
        size = 0
        for record in result:
            if len(answer.rows) >= limits.max_rows:
                answer.truncated, answer.reason = True, f"more than {limits.max_rows} rows"
                break
            row = [to_json(v) for v in record.values()]
            size += len(json.dumps(row, default=str))
            if size > limits.max_bytes:
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
        if _timed_out(exc):
            raise QueryTimedOut(f"the query timed out after {limits.timeout_seconds:g} s") from exc
        if isinstance(exc, ClientError) and "AccessMode" in (exc.code or ""):
            raise QueryRefused(f"the server refused a write: {exc.message}") from exc
        if isinstance(exc, ClientError) and "Security" in (exc.code or ""):
            raise QueryRefused(f"not allowed: {exc.message}") from exc
        if isinstance(exc, ClientError):
            raise QueryFailed(f"the query failed: {exc.message}") from exc
        raise StoreUnavailable(f"Neo4j unavailable: {exc}") from exc
    except (neo4j.exceptions.DriverError, OSError) as exc:
        raise StoreUnavailable(f"Neo4j unavailable: {exc}") from exc
