"""Operational routes: liveness, readiness, Prometheus metrics."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from graph.errors import StoreDamaged, StoreFailed, StoreUnavailable
from service.deps import SettingsDep, StoreDep

router = APIRouter(tags=["operations"])


@router.get(
    "/healthz",
    summary="Liveness",
    responses={
        200: {
            "description": "The process is up.",
            "content": {"application/json": {"example": {"status": "ok"}}},
        }
    },
)
async def healthz() -> dict[str, str]:
    """200 while the process serves requests, whatever the store's state (on the event loop,
    so no busy thread pool can delay it)."""
    return {"status": "ok"}


@router.get(
    "/readyz",
    summary="Readiness",
    responses={
        200: {
            "description": "The store answers. `worker` (a single `hexahelix serve` only): its "
            "analytics worker process, `running` or `restarting` (it ended: the global "
            "analytics are the last ones kept, marked stale, until it runs again), with its "
            "`restarts` and `last_exit_code` once it ended.",
            "content": {
                "application/json": {
                    "example": {
                        "status": "ready",
                        "store": "embedded",
                        "graph_version": 12,
                        "worker": {"state": "running"},
                    }
                }
            },
        },
        503: {
            "description": "A write would not succeed now: the store does not answer, its disk "
            "is full or read-only (`unavailable`, with `Retry-After`), or it is damaged "
            "(`damaged`: restore from a backup; no `Retry-After`) or failing (`failed`).",
            "content": {
                "application/json": {
                    "example": {
                        "status": "unavailable",
                        "store": "neo4j",
                        "detail": "Neo4j unavailable: Couldn't connect to neo4j:7687",
                    }
                }
            },
        },
    },
)
def readyz(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
) -> JSONResponse:
    """200 only when a write would succeed now; else 503 with the reason. The analytics
    worker of a single `hexahelix serve` is reported, not required: writes and reads go on
    while it restarts."""
    try:
        store.ping()
    except StoreUnavailable as error:
        return JSONResponse(
            {"status": "unavailable", "store": settings.store.value, "detail": str(error)},
            status_code=503,
            headers={"Retry-After": str(settings.retry_after_seconds)},
        )
    except StoreFailed as error:  # a fault that waiting will not mend: no Retry-After
        status = "damaged" if isinstance(error, StoreDamaged) else "failed"
        return JSONResponse(
            {"status": status, "store": settings.store.value, "detail": str(error)},
            status_code=503,
        )
    ready: dict[str, object] = {
        "status": "ready",
        "store": settings.store.value,
        "graph_version": store.version(),
    }
    worker = getattr(request.app.state, "worker", None)
    if worker is not None:
        ready["worker"] = worker.state()
    return JSONResponse(ready)


@router.get("/metrics", summary="Prometheus metrics", response_class=Response)
async def metrics() -> Response:
    """Request counts and latencies in the Prometheus text format."""
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
