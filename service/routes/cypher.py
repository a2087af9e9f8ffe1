"""POST /cypher: read-only Cypher over the graph, for researchers (Neo4j store only)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, FastAPI, HTTPException, Request
from pydantic import BaseModel, ConfigDict, Field

from graph.errors import Unsupported
from graph.research import MAX_QUERY_CHARS, CypherReader, CypherRunner, Limits
from service.access import Role
from service.deps import SettingsDep, StoreDep
from service.errors import ErrorBody
from service.security import caller_of, has_role, require_role
from service.settings import ReadAccess, Settings

router = APIRouter(tags=["research"])
MAX_TIMEOUT_SECONDS = 300.0
MAX_ROWS = 100_000


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
    timeout_seconds: float | None = Field(
        None,
        gt=0,
        le=MAX_TIMEOUT_SECONDS,
        description="Time limit of this query; above the deployment's default "
        "(HEXAHELIX_CYPHER_TIMEOUT_SECONDS) it needs an admin key.",
    )
    max_rows: int | None = Field(
        None,
        ge=1,
        le=MAX_ROWS,
        description="Row cap of this query; above the deployment's default "
        "(HEXAHELIX_CYPHER_MAX_ROWS) it needs an admin key.",
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


def limits_for(body: CypherRequest, request: Request, settings: Settings) -> Limits:
    """The limits of one query: the settings' defaults, or higher ones an admin asked for."""
    timeout = body.timeout_seconds or settings.cypher_timeout_seconds
    rows = body.max_rows or settings.cypher_max_rows
    raised = timeout > settings.cypher_timeout_seconds or rows > settings.cypher_max_rows
    if raised and not has_role(request, Role.ADMIN):
        raise HTTPException(
            403,
            f"raising the Cypher limits above {settings.cypher_timeout_seconds:g} s and "
            f"{settings.cypher_max_rows} rows needs an API key with the `admin` role",
        )
    return Limits(timeout_seconds=timeout, max_rows=rows)


def sandbox_of(app: FastAPI, store: CypherReader, settings: Settings) -> CypherRunner:
    """The app's Cypher runner, made on first use (its workers belong to the app's loop)."""
    sandbox: CypherRunner | None = getattr(app.state, "cypher_sandbox", None)
    if sandbox is None:
        sandbox = store.cypher_sandbox(
            workers=settings.cypher_workers,
            per_caller=settings.cypher_per_caller,
            memory_bytes=settings.cypher_worker_memory_mb * 1024 * 1024,
        )
        app.state.cypher_sandbox = sandbox
    return sandbox


async def close_sandbox(app: FastAPI) -> None:
    """Stop the Cypher workers of `app` (at shutdown)."""
    sandbox: CypherRunner | None = getattr(app.state, "cypher_sandbox", None)
    if sandbox is not None:
        await sandbox.close()


@router.post(
    "/cypher",
    summary="Run read-only Cypher",
    response_model=CypherResponse,
    responses={
        400: {"model": ErrorBody, "description": "The query is invalid Cypher."},
        401: {"model": ErrorBody, "description": "No reader key (HEXAHELIX_CYPHER_ACCESS=key)."},
        403: {"model": ErrorBody, "description": "The query is not a plain read; says why."},
        408: {"model": ErrorBody, "description": "The query ran past the time limit."},
        422: {
            "model": ErrorBody,
            "description": "Invalid body, or a value of the answer too large or too deep.",
        },
        429: {
            "model": ErrorBody,
            "description": "Too many research queries running (for this caller, or in all).",
        },
        501: {"model": ErrorBody, "description": "The embedded store has no Cypher."},
        503: {"model": ErrorBody, "description": "Neo4j is unreachable."},
    },
)
async def cypher(
    body: CypherRequest,
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
) -> CypherResponse:
    """Run a read-only query, within the deployment's limits (by default at most 1000 rows
    and 2 MB of answer, 10 s; an admin may ask for more with `timeout_seconds` and `max_rows`).
    By default it needs a reader key; at most 2 queries run at once per key (or client) and
    4 in all, each in a worker process that is stopped at its time limit.

    Refused (403, with the reason): writes (even inside subqueries), LOAD CSV, SHOW, USE,
    TERMINATE and administration commands, `CALL { ... } IN TRANSACTIONS`, and procedures other
    than db.labels, db.relationshipTypes, db.propertyKeys and db.schema.visualization.
    """
    if not isinstance(store, CypherReader):
        raise Unsupported("the Cypher endpoint needs the Neo4j store (HEXAHELIX_STORE=neo4j)")
    if settings.cypher_access is ReadAccess.KEY:
        require_role(request, Role.READER)
    limits = limits_for(body, request, settings)
    sandbox = sandbox_of(request.app, store, settings)
    # Busy (429), Refused (403), TimedOut (408), Invalid (422) and BadQuery (400) are mapped in
    # service/errors.py like every other domain error.
    answer = await sandbox.run(caller_of(request), body.query, body.parameters, limits)
    return CypherResponse(
        columns=answer.columns, rows=answer.rows, truncated=answer.truncated, reason=answer.reason
    )
