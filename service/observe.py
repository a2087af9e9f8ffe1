"""Per-request observation: one access-log line with the timing, and Prometheus figures."""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from typing import Any

from prometheus_client import Counter, Histogram
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("hexahelix.access")

REQUESTS = Counter(
    "hexahelix_requests_total", "HTTP requests served.", ["method", "route", "status"]
)
LATENCY = Histogram(
    "hexahelix_request_seconds", "HTTP request latency in seconds.", ["method", "route"]
)


class RequestObserver:
    """ASGI middleware (plain ASGI: cheaper than `BaseHTTPMiddleware` on every request)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def watching_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, watching_send)
        finally:
            elapsed = time.perf_counter() - started
            method, path = scope["method"], scope["path"]
            template = route_template(scope)
            REQUESTS.labels(method, template, str(status)).inc()
            LATENCY.labels(method, template).observe(elapsed)
            log.info("%s %s %d %.1fms", method, path, status, elapsed * 1000)


def route_template(scope: Mapping[str, Any]) -> str:
    """The matched path with its parameters put back as `{name}`, so metrics stay low-cardinality.

    >>> route_template({"route": object(), "path": "/api/v1/actors/ulm", "path_params": {"actor_id": "ulm"}})
    '/api/v1/actors/{actor_id}'
    >>> route_template({"path": "/nowhere"})
    'unmatched'
    """
    if scope.get("route") is None:
        return "unmatched"
    names = {str(value): name for name, value in scope.get("path_params", {}).items()}
    return "/".join(
        f"{{{names[part]}}}" if part in names else part for part in scope["path"].split("/")
    )
