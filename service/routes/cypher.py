"""POST /cypher: read-only Cypher over the graph, for researchers (Neo4j store only)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from graph.neo4j.readonly import (
    MAX_QUERY_CHARS,
    Limits,
    QueryFailed,
    QueryRefused,
    QueryTimedOut,
    run_read_only,
)
from graph.neo4j.store import Neo4jStore
from graph.store import Store
from service.deps import get_store
from service.errors import ErrorBody

router = APIRouter(tags=["research"])


class CypherRequest(BaseModel):
    """A read-only Cypher query and its parameters."""

    query: str = Field(
        max_length=MAX_QUERY_CHARS,
        description=f"A read-only Cypher query, at most {MAX_QUERY_CHARS} characters.",
        examples=["MATCH (a:Actor)-[:IN_HELIX]->(h:Helix) RETURN h.code, count(a) ORDER BY h.code"],
    )
    parameters: dict[str, Any] = Field(
        default_factory=dict,
        description="Query parameters by name (`$name` in the query).",
        examples=[{}],
    )


class CypherResponse(BaseModel):
    """The columns and rows of the answer; nodes, relationships and paths as maps."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "columns": ["h.code", "count(a)"],
                    "rows": [["academia", 9], ["community", 22], ["government", 71]],
                    "truncated": False,
                    "reason": None,
                }
            ]
        }
    )

    columns: list[str] = Field(description="Column names, in the order of `RETURN`.")
    rows: list[list[Any]] = Field(description="One list of values per row, in column order.")
    truncated: bool = Field(False, description="Whether a row or size cap cut the answer.")
    reason: str | None = Field(None, description="Which cap, when truncated.")


LIMITS = Limits()


@router.post(
    "/cypher",
    summary="Run read-only Cypher",
    response_model=CypherResponse,
    responses={
        400: {"model": ErrorBody, "description": "The query is invalid Cypher."},
        403: {"model": ErrorBody, "description": "The query is not a plain read; says why."},
        408: {"model": ErrorBody, "description": "The query ran past the time limit."},
        501: {"model": ErrorBody, "description": "The embedded store has no Cypher."},
        503: {"model": ErrorBody, "description": "Neo4j is unreachable."},
    },
)
async def cypher(
    body: CypherRequest, store: Annotated[Store, Depends(get_store)]
) -> CypherResponse:
    """Run a read-only query, at most 1000 rows and 2 MB of answer, 10 s.

    Refused (403, with the reason): writes (even inside subqueries), LOAD CSV, SHOW, USE,
    TERMINATE and administration commands, `CALL { ... } IN TRANSACTIONS`, and procedures other
    than db.labels, db.relationshipTypes, db.propertyKeys and db.schema.visualization.
    """
    if not isinstance(store, Neo4jStore):
        raise HTTPException(
            501, "the Cypher endpoint needs the Neo4j store (HEXAHELIX_STORE=neo4j)"
        )
    try:
        answer = await run_in_threadpool(
            run_read_only, store.driver, store.database, body.query, body.parameters, LIMITS
        )
    except QueryRefused as exc:
        raise HTTPException(403, f"query refused: {exc}") from exc
    except QueryTimedOut as exc:
        raise HTTPException(408, str(exc)) from exc
    except QueryFailed as exc:
        raise HTTPException(400, str(exc)) from exc
    return CypherResponse(
        columns=answer.columns, rows=answer.rows, truncated=answer.truncated, reason=answer.reason
    )
