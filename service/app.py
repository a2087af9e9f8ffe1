"""The FastAPI application factory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import ExitStack, asynccontextmanager

from fastapi import Depends, FastAPI

from graph.store import Store
from service.bodyguard import JsonGuard
from service.compose import Services, compose
from service.deps import reject_unknown_query
from service.errors import install_error_handlers
from service.head import HeadAsGet
from service.idempotency import Idempotency, IdempotencyStore
from service.observe import RequestObserver
from service.pools import Pools
from service.response_cache import ResponseCache
from service.routes import (
    analytics,
    collect_pages,
    cypher,
    declarations,
    docs,
    ops,
    progress,
    queries,
    records,
    research,
    spreadsheets,
    vocab,
)
from service.routes import web as web_routes
from service.security import install_security
from service.settings import Settings, get_settings
from service.warmup import start_warm_up

API_PREFIX = "/api/v1"

DESCRIPTION = """
Hexahelix models regional innovations and the actors that carry them — government, academia,
private sector, community, NGOs and media — as a graph, answers collaboration queries and
computes sustainability metrics. Lists are pages `{items, total, limit, offset}`; errors are
`{detail, problems?}` with 404 for unknown ids, 409 for conflicts, 422 naming the invalid field
and 503 (with `Retry-After`) while the store is unreachable.
"""


def create_app(
    settings: Settings | None = None,
    store: Store | None = None,
    services: Services | None = None,
) -> FastAPI:
    """Build the app. Its lifespan composes the services (`service.compose`) over `store`, or
    over the configured store it opens (and closes); given `services`, it serves from those
    (their owner closes them)."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        with ExitStack() as stack:
            app.state.services = services or stack.enter_context(compose(settings, store))
            start_warm_up(app)  # in the background: serving starts at once
            try:
                yield
            finally:
                await cypher.close_sandbox(app)

    app = FastAPI(
        title="Hexahelix",
        version="0.1.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        # /docs is served from vendored files under the page's CSP (service/routes/docs.py);
        # FastAPI's would load Swagger UI from a CDN. One documentation page: no /redoc.
        docs_url=None,
        redoc_url=None,
        # Every route refuses query parameters it does not take, naming them (422).
        dependencies=[Depends(reject_unknown_query)],
    )
    app.state.settings = settings
    app.state.pools = Pools()
    install_error_handlers(app, settings)
    app.include_router(ops.router)
    # Analytics and queries first: their fixed paths (/innovations/under-connected) must win
    # over the records' /innovations/{id}.
    app.include_router(analytics.router, prefix=API_PREFIX)
    app.include_router(queries.router, prefix=API_PREFIX)
    app.include_router(records.router, prefix=API_PREFIX)
    app.include_router(research.router, prefix=API_PREFIX)
    # Fixed /declarations/... paths before the declarations' /declarations/{id}.
    app.include_router(spreadsheets.router, prefix=API_PREFIX)
    app.include_router(progress.router, prefix=API_PREFIX)
    app.include_router(declarations.router, prefix=API_PREFIX)
    app.include_router(cypher.router, prefix=API_PREFIX)
    app.include_router(web_routes.api_router, prefix=API_PREFIX)
    app.include_router(vocab.router, prefix=API_PREFIX)
    app.include_router(web_routes.router)
    app.include_router(docs.router)
    app.include_router(collect_pages.router)
    # Inside the access guard (keys, limits and the audit apply first), outside the routes.
    app.add_middleware(ResponseCache, version_ttl=settings.version_ttl())
    app.add_middleware(JsonGuard)  # inside the access guard, which bounds the body first
    # Inside the access guard too: keys are per caller, and a replay is not a second write.
    app.add_middleware(Idempotency, store=IdempotencyStore(settings.access_db_path()))
    install_security(app, settings)
    app.add_middleware(RequestObserver)
    app.add_middleware(HeadAsGet)  # outermost: every layer sees the GET it answers
    return app
