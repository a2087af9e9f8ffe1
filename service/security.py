"""Who may do what, and how much: API keys with roles, the audit trail of writes, body-size and
rate limits, CORS and trusted hosts.

- `AccessGuard` (ASGI middleware, every request): refuses bodies over the limit (413), resolves
  the API key sent as `Authorization: Bearer <key>` or `X-API-Key` (401 for an unknown or revoked
  key), asks for a key on `/api/` reads when `HEXAHELIX_READ_ACCESS=key` (401), applies the
  per-key (or per-client-IP) token bucket on `/api/` (429 with `Retry-After`; probes, metrics,
  docs and the web page's files are not counted), and after the response writes
  an audit entry for every request a write dependency marked.
- `require(role)` and `writes_need(role)` (FastAPI dependencies, per route or router): 401 with
  `WWW-Authenticate: Bearer` without a key, 403 when the key's role is too low; the message names
  the role needed.
- With `HEXAHELIX_AUTH=off` every request acts as admin (local development); limits and the
  audit trail still apply.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import math
import re
import time
from collections.abc import Callable, MutableMapping
from dataclasses import dataclass
from typing import Any

import anyio.to_thread
from fastapi import FastAPI, HTTPException, Request, Security
from fastapi.openapi.utils import get_openapi
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from starlette.middleware.cors import CORSMiddleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from graph.errors import StoreUnavailable
from service import idempotency
from service.access import Role
from service.compose import Services
from service.invitations import Invitation, TokenRefused, is_invitation_token
from service.settings import ReadAccess, Settings, Switch

log = logging.getLogger("hexahelix.security")

API_PATH = "/api/"
IMPORT_PATH = "/api/v1/import"
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
READ_POSTS = frozenset({"/api/v1/cypher", "/api/v1/analytics/what-if"})
"""POST routes that only read (their bodies are queries): not write attempts."""
MAX_BUCKETS = 10_000
PUBLIC_READS = frozenset({"/api/v1/vocab"})
"""Reads open without a key whatever HEXAHELIX_READ_ACCESS says: the code vocabularies hold no
data, and the owners' declaration page (an invitation token, not a key) needs their names."""

SECURITY_SCHEMES: dict[str, dict[str, Any]] = {
    "bearer": {
        "type": "http",
        "scheme": "bearer",
        "description": "An API key: `Authorization: Bearer hxh_...`.",
    },
    "apiKey": {
        "type": "apiKey",
        "in": "header",
        "name": "X-API-Key",
        "description": "The same API key in the `X-API-Key` header.",
    },
}

_ERROR_REF = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}
ACCESS_RESPONSES: dict[str, dict[str, Any]] = {
    "401": {
        "description": "No API key, or an unknown or revoked one (`WWW-Authenticate: Bearer`).",
        "content": _ERROR_REF,
    },
    "429": {
        "description": "Too many requests from this key or client; retry after `Retry-After`.",
        "content": _ERROR_REF,
    },
}
PUBLIC_READ_RESPONSES: dict[str, dict[str, Any]] = {
    "401": {
        "description": "Only for an unknown or revoked API key while keys are checked "
        "(`HEXAHELIX_AUTH=on`): without a key this read is open, whatever "
        "`HEXAHELIX_READ_ACCESS` says (`WWW-Authenticate: Bearer`).",
        "content": _ERROR_REF,
    },
    "403": {
        "description": "An invitation token: it only opens its own declaration form.",
        "content": _ERROR_REF,
    },
    "429": ACCESS_RESPONSES["429"],
    "503": {
        "description": "The key store is unreachable while a presented key is checked; retry "
        "after `Retry-After` (or send no key).",
        "content": _ERROR_REF,
    },
}
"""The access errors of the `PUBLIC_READS`: none for a request without a key."""
ROLE_RESPONSE: dict[str, Any] = {
    "description": "The key's role does not allow this; the message names the role needed.",
    "content": _ERROR_REF,
}
MALFORMED_RESPONSE: dict[str, Any] = {
    "description": "The body cannot be parsed at all (e.g. not UTF-8 JSON).",
    "content": _ERROR_REF,
}
BODY_RESPONSE: dict[str, Any] = {
    "description": "The request body is larger than the limit.",
    "content": _ERROR_REF,
}
VALIDATION_RESPONSE: dict[str, Any] = {
    "description": "Invalid body or parameter; names the field and the allowed values.",
    "content": _ERROR_REF,
}


@dataclass(frozen=True)
class Principal:
    """Who sends a request: a key's name and role, or nobody (`role` None)."""

    name: str | None
    role: Role | None
    invitation: Invitation | None = None  # set for an invitation token (no role at all)

    @property
    def label(self) -> str:
        return f"key {self.name!r} ({self.role})" if self.name else "this request"


ANONYMOUS = Principal(None, None)
DECLARATION_ROUTES = frozenset(
    {
        ("GET", "/api/v1/declarations/current"),
        ("GET", "/api/v1/declarations/actors"),
        ("POST", "/api/v1/declarations"),
    }
)
"""The only requests an invitation token may make (see `service.invitations`)."""
FOREIGN_TOKEN = (
    "an invitation token only opens its own innovation's declaration form: "
    "GET /api/v1/declarations/current, GET /api/v1/declarations/actors, POST /api/v1/declarations"
)
AUTH_OFF = Principal(None, Role.ADMIN)


# -- rate limit ----------------------------------------------------------------------------
class TokenBucket:
    """Per-client token buckets: `per_minute` requests a minute, bursts up to `per_minute`."""

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0
        self.clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}

    def take(self, client: str) -> float:
        """Take a token for `client`: 0 if granted, else the seconds until one is free."""
        now = self.clock()
        tokens, last = self._buckets.get(client, (self.capacity, now))
        tokens = min(self.capacity, tokens + (now - last) * self.rate)
        if tokens >= 1.0:
            self._buckets[client] = (tokens - 1.0, now)
            if len(self._buckets) > MAX_BUCKETS:
                self._prune(now)
            return 0.0
        self._buckets[client] = (tokens, now)
        return (1.0 - tokens) / self.rate

    def peek(self, client: str) -> float:
        """0 if `client` has a token left (none is taken), else the seconds until it has."""
        now = self.clock()
        tokens, last = self._buckets.get(client, (self.capacity, now))
        tokens = min(self.capacity, tokens + (now - last) * self.rate)
        return 0.0 if tokens >= 1.0 else (1.0 - tokens) / self.rate

    def _prune(self, now: float) -> None:
        """Forget clients whose bucket has refilled (they are as if new)."""
        full = [
            client
            for client, (tokens, last) in self._buckets.items()
            if tokens + (now - last) * self.rate >= self.capacity
        ]
        for client in full:
            del self._buckets[client]


# -- middleware ----------------------------------------------------------------------------
class BodyTooLarge(HTTPException):
    """Raised while reading a body past the limit; FastAPI answers it with 413."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"request body larger than {limit} bytes")


def presented_key(headers: MutableMapping[str, str] | Any) -> str | None:
    """The API key of a request, from `Authorization: Bearer` or `X-API-Key`."""
    authorization: str = headers.get("authorization", "")
    scheme, _, credentials = authorization.partition(" ")
    if scheme.lower() == "bearer" and credentials.strip():
        return credentials.strip()
    key: str | None = headers.get("x-api-key")
    return key.strip() if key and key.strip() else None


class AccessGuard:
    """Body limit, key resolution, read access, rate limit and audit for every request."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings
        per_minute = settings.rate_limit_per_minute
        self.bucket = TokenBucket(per_minute) if per_minute > 0 else None
        # Its own threads: key look-ups and audit entries must not queue behind slow routes.
        self.threads = anyio.CapacityLimiter(4)
        self.failures = TokenBucket(settings.auth_failures_per_minute)
        self.proxies = trusted_networks(settings.trusted_proxies)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        state: dict[str, Any] = scope.setdefault("state", {})
        client = state["client"] = client_address(scope, headers, self.proxies)
        # Every attempt to write is audited, refused ones included (reads sent as POST are not).
        attempt = (
            scope["method"] in WRITE_METHODS
            and path.startswith(API_PATH)
            and path not in READ_POSTS
        )
        key = presented_key(headers)
        key_note = [f"key_id={_key_id(key)}"] if key and _key_id(key) else []

        async def refuse(status: int, detail: str, extra: dict[str, str] | None = None) -> None:
            await _reject(scope, receive, send, status, detail, extra)
            if attempt:
                try:
                    await self._audit(scope, ANONYMOUS, status, "", {"audit_ids": key_note})
                except StoreUnavailable as error:  # a refusal acknowledges nothing
                    log.error("audit entry not recorded: %s", error)

        limit = (
            self.settings.max_import_bytes if path == IMPORT_PATH else self.settings.max_body_bytes
        )
        length = headers.get("content-length", "")
        if length.isdigit() and int(length) > limit:
            await refuse(413, f"request body larger than {limit} bytes")
            return

        principal = ANONYMOUS
        on = self.settings.auth is Switch.ON
        if key is not None and (on or is_invitation_token(key)):
            wait = self.failures.peek(f"ip:{client}")
            if wait > 0:
                retry = {"Retry-After": str(max(1, math.ceil(wait)))}
                await refuse(429, "too many failed authentications from this address", retry)
                return
        if key is not None and is_invitation_token(key):
            # Whether auth is on or off: the token names the innovation the request acts on.
            if (scope["method"], path) not in DECLARATION_ROUTES:
                await refuse(403, FOREIGN_TOKEN)
                return
            try:
                invitation = await anyio.to_thread.run_sync(
                    _services(scope).invitations.resolve, key, limiter=self.threads
                )
            except TokenRefused as refused:
                self.failures.take(f"ip:{client}")
                await refuse(refused.status, str(refused))
                return
            principal = Principal(f"invitation:{invitation.id}", None, invitation)
        elif not on:
            principal = AUTH_OFF
        elif key is not None:
            try:
                info = await anyio.to_thread.run_sync(
                    _services(scope).access.authenticate, key, limiter=self.threads
                )
            except StoreUnavailable as error:
                # Middleware runs outside the app's error handlers: answer the documented 503.
                later = {"Retry-After": str(self.settings.retry_after_seconds)}
                await refuse(503, str(error), later)
                return
            if info is None:
                self.failures.take(f"ip:{client}")
                await refuse(401, "unknown or revoked API key")
                return
            principal = Principal(info.name, info.role)
        elif (
            self.settings.read_access is ReadAccess.KEY
            and path.startswith(API_PATH)
            and path not in PUBLIC_READS
            and scope["method"] != "OPTIONS"
        ):
            await refuse(401, _missing_key_message(Role.READER))
            return

        if self.bucket is not None and path.startswith(API_PATH):
            bucket = f"key:{principal.name}" if principal.name else f"ip:{client}"
            wait = self.bucket.take(bucket)
            if wait > 0:
                seconds = str(max(1, math.ceil(wait)))
                await refuse(429, "rate limit exceeded", {"Retry-After": seconds})
                return

        state["principal"] = principal
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        audited = False
        replaced = False  # the audit entry could not be written: the answer became a 503

        async def watching_send(message: Message) -> None:
            # The audit entry of a write is recorded before its answer leaves, so a write the
            # client sees acknowledged always has one; if it cannot be recorded, the client
            # gets a 503 that says so instead of the acknowledgement.
            nonlocal audited, replaced
            if replaced:
                return  # the body of the answer that was replaced
            if message["type"] == "http.response.start" and (state.get("audit") or attempt):
                location = ""
                for name, value in message.get("headers", []):
                    if name.lower() == b"location":
                        location = value.decode("latin-1")
                audited = True
                try:
                    await self._audit(scope, principal, message["status"], location, state)
                except StoreUnavailable as error:
                    log.error("audit entry not recorded: %s", error)
                    if message["status"] >= 400:
                        await send(message)  # a refusal acknowledges nothing: pass it on
                        return
                    replaced = True
                    await _send_json(
                        send,
                        503,
                        f"the request was processed but its audit entry could not be recorded "
                        f"({error}), so it is not acknowledged: check the state before retrying",
                        {"Retry-After": str(self.settings.retry_after_seconds)},
                    )
                    return
            await send(message)

        try:
            await self.app(scope, limited_receive, watching_send)
        finally:
            if (
                state.get("audit") or attempt
            ) and not audited:  # no answer was sent (an error escaped)
                try:
                    await self._audit(scope, principal, 500, "", state)
                except StoreUnavailable as error:
                    log.error("audit entry not recorded: %s", error)

    async def _audit(
        self,
        scope: Scope,
        principal: Principal,
        status: int,
        location: str,
        state: dict[str, Any],
    ) -> None:
        ids = [str(v) for v in scope.get("path_params", {}).values()]
        if location.startswith("/api/"):
            ids.extend(location.split("/")[4:])
        ids.extend(state.get("audit_ids", []))
        await anyio.to_thread.run_sync(
            lambda: _services(scope).access.record(
                key_name=principal.name,
                role=principal.role,
                client=_client(scope),
                method=scope["method"],
                path=scope["path"],
                status=status,
                ids=ids,
            ),
            limiter=self.threads,
        )


def _services(scope: Scope) -> Services:
    """What the app composed in its lifespan (`service.compose`): the access store is there."""
    services: Services = scope["app"].state.services
    return services


def _client(scope: Scope) -> str:
    known: str | None = scope.get("state", {}).get("client")
    if known:
        return known
    client = scope.get("client")
    return str(client[0]) if client else "unknown"


async def _send_json(
    send: Send, status: int, detail: str, headers: dict[str, str] | None = None
) -> None:
    """Send a whole JSON error answer through `send` (no request needed)."""
    response = JSONResponse({"detail": detail}, status_code=status, headers=headers)
    await send({"type": "http.response.start", "status": status, "headers": response.raw_headers})
    await send({"type": "http.response.body", "body": response.body})


def _key_id(key: str) -> str | None:
    """The public id of a presented key (`hxh_<id>_...`), to name it in the audit trail; never
    the secret."""
    match = re.match(r"^hxh_([0-9a-f]{8})_", key)
    return match[1] if match else None


Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def trusted_networks(entries: list[str]) -> list[Network]:
    """The proxies whose `X-Forwarded-For` is believed (addresses or CIDR blocks)."""
    return [ipaddress.ip_network(entry.strip(), strict=False) for entry in entries if entry.strip()]


def client_address(scope: Scope, headers: dict[str, str], proxies: list[Network]) -> str:
    """The client's address: the peer's, or, when the peer is a trusted proxy, the last address
    in `X-Forwarded-For` that is not itself a trusted proxy (anything left of it was written by
    the client and proves nothing).

    >>> scope = {"client": ("10.0.0.2", 1234)}
    >>> xff = {"x-forwarded-for": "6.6.6.6, 203.0.113.9"}
    >>> client_address(scope, xff, [])
    '10.0.0.2'
    >>> client_address(scope, xff, trusted_networks(["10.0.0.0/8"]))
    '203.0.113.9'
    """
    peer = scope.get("client")
    address = str(peer[0]) if peer else "unknown"
    forwarded = headers.get("x-forwarded-for")
    if not proxies or not forwarded or not _within(address, proxies):
        return address
    for hop in reversed([part.strip() for part in forwarded.split(",")]):
        if not _within(hop, proxies):
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                return address  # a forged or broken header: the proxy is the client we know
    return address


def _within(address: str, networks: list[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


async def _reject(
    scope: Scope,
    receive: Receive,
    send: Send,
    status: int,
    detail: str,
    headers: dict[str, str] | None = None,
) -> None:
    headers = dict(headers or {})
    if status == 401:
        headers["WWW-Authenticate"] = "Bearer"
    await JSONResponse({"detail": detail}, status_code=status, headers=headers)(
        scope, receive, send
    )


# -- dependencies --------------------------------------------------------------------------
def _missing_key_message(role: Role) -> str:
    return f"needs an API key with the {role} role (`Authorization: Bearer <key>` or `X-API-Key`)"


def _check(request: Request, role: Role) -> Principal:
    principal: Principal = getattr(request.state, "principal", ANONYMOUS)
    if principal.role is None:
        raise HTTPException(401, _missing_key_message(role), {"WWW-Authenticate": "Bearer"})
    if not principal.role.allows(role):
        raise HTTPException(403, f"needs the {role} role; {principal.label} is not enough")
    return principal


bearer_scheme = HTTPBearer(
    auto_error=False,
    scheme_name="bearer",
    description="An API key: `Authorization: Bearer hxh_...`.",
)
api_key_scheme = APIKeyHeader(
    name="X-API-Key",
    auto_error=False,
    scheme_name="apiKey",
    description="The same API key in the `X-API-Key` header.",
)


def require(role: Role, audit: bool = False) -> Callable[..., Principal]:
    """A route dependency: the request's key must have `role` (401 without a key, 403 with a
    lower role); `audit` records the request in the audit trail, whatever its outcome.

    The two security schemes are declared with the role as scope, so the OpenAPI shows which
    role each operation needs (the key itself was already resolved by `AccessGuard`)."""
    bearer = Security(bearer_scheme, scopes=[role.value])
    api_key = Security(api_key_scheme, scopes=[role.value])

    def dependency(
        request: Request,
        _bearer: HTTPAuthorizationCredentials | None = bearer,
        _key: str | None = api_key,
    ) -> Principal:
        if audit:
            request.state.audit = True
        return _check(request, role)

    return dependency


def has_role(request: Request, role: Role) -> bool:
    """Whether the request's key has `role` (e.g. to allow an admin higher Cypher limits)."""
    principal: Principal = getattr(request.state, "principal", ANONYMOUS)
    return principal.role is not None and principal.role.allows(role)


def caller_of(request: Request) -> str:
    """Who a per-caller limit counts: the key's name, else the client address."""
    principal: Principal = getattr(request.state, "principal", ANONYMOUS)
    return f"key:{principal.name}" if principal.name else f"ip:{_client(request.scope)}"


def require_role(request: Request, role: Role) -> Principal:
    """Inside a route: the request's principal if its key has `role` (401 or 403 otherwise)."""
    return _check(request, role)


def audit_ids(request: Request, *ids: str) -> None:
    """Add ids (or counts) to the request's audit entry."""
    request.state.audit_ids = [*getattr(request.state, "audit_ids", []), *ids]


# -- installation --------------------------------------------------------------------------
def install_security(app: FastAPI, settings: Settings) -> None:
    """Add the access guard, trusted hosts and CORS to `app`, and document the access errors in
    its OpenAPI. The guard uses the access store of the app's services (`service.compose`)."""
    app.add_middleware(AccessGuard, settings=settings)
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=settings.allowed_hosts())
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "PATCH", "DELETE", "OPTIONS"],
            allow_headers=[
                "Authorization",
                "X-API-Key",
                "Content-Type",
                "If-Match",
                "Idempotency-Key",
            ],
            expose_headers=["Location", "Retry-After", "ETag", "Idempotency-Replayed"],
            max_age=600,
        )
    app.openapi = _documented_openapi(app, settings)  # type: ignore[method-assign]


def _documented_openapi(app: FastAPI, settings: Settings) -> Callable[[], dict[str, Any]]:
    """The app's OpenAPI with the access rules of every `/api/` operation (whichever module added
    it): 401 and 429 on all, 413 on those with a body, and 403 and the role needed on those whose
    security requirement names a role (see `require`); with `HEXAHELIX_READ_ACCESS=key` the other
    operations need a reader key, except the `PUBLIC_READS`."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(
            title=app.title, version=app.version, description=app.description, routes=app.routes
        )
        keyed_reads = settings.read_access is ReadAccess.KEY
        for path, operations in schema.get("paths", {}).items():
            if not path.startswith(API_PATH):
                continue
            for method, operation in operations.items():
                responses = operation.setdefault("responses", {})
                if "422" in responses:  # service.errors answers every 422 with an ErrorBody
                    responses["422"] = VALIDATION_RESPONSE
                public = path in PUBLIC_READS
                for status, response in (
                    PUBLIC_READ_RESPONSES if public else ACCESS_RESPONSES
                ).items():
                    responses.setdefault(status, response)
                if "requestBody" in operation or method.upper() in WRITE_METHODS:
                    responses.setdefault("413", BODY_RESPONSE)
                if "requestBody" in operation:
                    responses.setdefault("400", MALFORMED_RESPONSE)
                if method == "post":
                    idempotency.document(operation)
                if public:
                    continue  # no role, even with HEXAHELIX_READ_ACCESS=key
                scopes = [
                    s for req in operation.get("security", []) for v in req.values() for s in v
                ]
                role = scopes[0] if scopes else (Role.READER.value if keyed_reads else None)
                if role is None:
                    continue
                operation["security"] = [{name: [role]} for name in SECURITY_SCHEMES]
                responses.setdefault("403", ROLE_RESPONSE)
                note = f"Needs an API key with the `{role}` role."
                operation["description"] = f"{operation.get('description', '')}\n\n{note}".strip()
        components = schema.setdefault("components", {})
        components.setdefault("securitySchemes", {}).update(SECURITY_SCHEMES)
        components.setdefault("schemas", {}).setdefault("ErrorBody", _error_body_schema())
        _drop_unreferenced(schema, ("HTTPValidationError", "ValidationError"))
        app.openapi_schema = schema
        return schema

    return openapi


def _drop_unreferenced(schema: dict[str, Any], names: tuple[str, ...]) -> None:
    """Remove the named component schemas that nothing refers to any more, in order (FastAPI's
    own 422 models, once every 422 is documented as an `ErrorBody`; `ValidationError` is only
    referred to by `HTTPValidationError`)."""
    schemas: dict[str, Any] = schema.get("components", {}).get("schemas", {})
    for name in names:
        ref = json.dumps(f"#/components/schemas/{name}")
        if name in schemas and ref not in json.dumps(schema):
            del schemas[name]


def _error_body_schema() -> dict[str, Any]:
    from service.errors import ErrorBody

    return ErrorBody.model_json_schema()
