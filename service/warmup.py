"""What a process's first requests would otherwise pay for, done once in the background as soon
as the app starts, so that no request waits for it and serving does not wait either.

FastAPI builds an included router's routes (each one's dependency, parameter and response
models) on the first request that reaches that router: 0.2–0.7 s on the first `/api/v1`
request of a process. The incremental read of one innovation's metrics
(`graph.analytics.local`) is imported here too: it needs no numpy, but its modules are not
imported by the app until a read asks for them.
"""

from __future__ import annotations

import importlib
import logging
import threading

from fastapi import FastAPI
from fastapi.routing import iter_route_contexts

log = logging.getLogger("hexahelix.warmup")

MODULES = ("graph.analytics.local",)
"""Modules the first reads need that the app does not import when it is built."""


def build_routes(app: FastAPI) -> int:
    """Build every route of `app` now (what FastAPI otherwise does on a first request); the
    number of routes."""
    return sum(1 for _ in iter_route_contexts(app.routes))


def warm_up(app: FastAPI) -> None:
    """The routes built and the first reads' modules imported."""
    for name in MODULES:
        importlib.import_module(name)
    routes = build_routes(app)
    log.debug("warmed up: %d routes built, %s imported", routes, ", ".join(MODULES))


def start_warm_up(app: FastAPI) -> threading.Thread:
    """Warm `app` up in a daemon thread (a request arriving meanwhile waits at most for the
    part it needs, as it would have without the warm-up)."""
    thread = threading.Thread(target=_logged, args=(app,), name="hexahelix-warm-up", daemon=True)
    thread.start()
    return thread


def _logged(app: FastAPI) -> None:
    try:
        warm_up(app)
    except Exception:  # a failed warm-up only leaves the work to the first requests
        log.exception("warm-up failed; the first requests will build what they need")
