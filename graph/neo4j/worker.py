"""The worker process of the Cypher sandbox (`python -m graph.neo4j.worker`): reads the
connection, then one query per line on stdin, and answers each with one JSON line on stdout.
See graph/neo4j/sandbox.py for why queries run here."""

from __future__ import annotations

import json
import resource
import sys
from dataclasses import asdict
from typing import Any

from neo4j import Driver, GraphDatabase

from graph.errors import HexahelixError
from graph.neo4j.readonly import METADATA_KEY, run_read_only
from graph.neo4j.sandbox import ERROR_KINDS, Connection
from graph.research import Limits

TOO_LARGE = {"error": "too_large", "message": "the answer needs more memory than allowed"}


def _cap_memory(limit: int) -> None:
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard == resource.RLIM_INFINITY or limit < hard:
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _answer(driver: Driver, database: str, request: dict[str, Any]) -> dict[str, Any]:
    limits = Limits(**request["limits"])
    try:
        answer = run_read_only(
            driver,
            database,
            request["query"],
            request["parameters"],
            limits,
            metadata={METADATA_KEY: request["token"]},
        )
    except MemoryError:
        return TOO_LARGE
    except RecursionError:
        return {"error": "too_large", "message": "a value is nested too deeply"}
    except HexahelixError as exc:
        kind = next((k for k, cls in ERROR_KINDS.items() if isinstance(exc, cls)), "failed")
        return {"error": kind, "message": str(exc.args[0]) if exc.args else str(exc)}
    return {"answer": asdict(answer)}


def worker_main() -> None:
    """Serve research queries on stdin/stdout until stdin closes."""
    connection = Connection(**json.loads(sys.stdin.readline()))
    driver = GraphDatabase.driver(
        connection.uri,
        auth=(connection.user, connection.password),
        connection_timeout=3.0,
        connection_acquisition_timeout=3.0,
        max_transaction_retry_time=0.0,
        fetch_size=100,
        max_connection_pool_size=2,
    )
    _cap_memory(connection.memory_bytes)
    out = sys.stdout
    out.write('{"ready": true}\n')
    out.flush()
    for line in sys.stdin:
        try:
            reply = _answer(driver, connection.database, json.loads(line))
            text = json.dumps(reply)
        except MemoryError:
            text = json.dumps(TOO_LARGE)
        out.write(text + "\n")
        out.flush()


if __name__ == "__main__":
    worker_main()
