"""The one place where domain errors become HTTP responses."""

from __future__ import annotations

import logging
import math
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from graph.errors import (
    MAX_PROBLEMS,
    BadQuery,
    Busy,
    Computing,
    Conflict,
    HexahelixError,
    Invalid,
    NotFound,
    PreconditionFailed,
    PreconditionRequired,
    Refused,
    StoreDamaged,
    StoreFailed,
    StoreUnavailable,
    TimedOut,
    Unsupported,
    capped,
)
from service.settings import Settings

log = logging.getLogger("hexahelix.errors")


class ErrorBody(BaseModel):
    """What every error response carries."""

    detail: str = Field(description="What went wrong, naming the id or field.")
    problems: list[str] | None = Field(None, description="Each problem, for invalid input.")


class PreconditionBody(ErrorBody):
    """A 412: the record changed since it was read."""

    etag: str = Field(
        description="The record's current ETag (also in the `ETag` header).",
        examples=['"3f2a9c0e1b7d4a6f8e5c2b1a0d9f8e7c"'],
    )


ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorBody, "description": "A referenced id does not exist."},
    409: {"model": ErrorBody, "description": "Duplicate id, or ties still attached."},
    422: {"model": ErrorBody, "description": "Invalid body or parameter; names the field."},
    500: {
        "model": ErrorBody,
        "description": "The store failed for a reason that is not an outage, or its data is "
        "damaged (restore from a backup); no `Retry-After`.",
    },
    503: {
        "model": ErrorBody,
        "description": "Store unreachable, or the answer is still being computed; retry after "
        "`Retry-After`.",
    },
}

STATUS: dict[type[HexahelixError], int] = {
    NotFound: 404,
    Conflict: 409,
    Invalid: 422,
    PreconditionFailed: 412,
    PreconditionRequired: 428,
    StoreUnavailable: 503,
    Computing: 503,
    StoreDamaged: 500,
    StoreFailed: 500,
    BadQuery: 400,
    Refused: 403,
    TimedOut: 408,
    Busy: 429,
    Unsupported: 501,
}


def _status_of(error: HexahelixError) -> int:
    for kind, status in STATUS.items():
        if isinstance(error, kind):
            return status
    return 400


def install_error_handlers(app: FastAPI, settings: Settings) -> None:
    """Map every domain error, and request validation errors, to a JSON error body."""

    async def domain_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, HexahelixError)
        status = _status_of(exc)
        body: dict[str, object] = {"detail": str(exc)}
        if isinstance(exc, StoreUnavailable) and not _is_admin(request):
            # The store's words name its address and internals: for the log and admins only.
            log.warning("%s %s: %s", request.method, request.url.path, exc)
            body["detail"] = UNAVAILABLE
        if isinstance(exc, Invalid):
            body["problems"] = exc.problems
        headers = {"Retry-After": str(settings.retry_after_seconds)} if status == 503 else None
        if isinstance(exc, Busy):
            headers = {"Retry-After": str(exc.retry_after)}
        if isinstance(exc, PreconditionFailed):
            body["etag"] = exc.current
            headers = {"ETag": exc.current}
        return JSONResponse(body, status_code=status, headers=headers)

    async def validation_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        content_type = request.headers.get("content-type", "")
        errors = exc.errors()
        problems = capped(
            [_describe(error, exc.body, content_type) for error in errors[:MAX_PROBLEMS]],
            len(errors),
        )
        return JSONResponse(
            {
                "detail": "; ".join(problems[:5]) + ("; ..." if len(problems) > 5 else ""),
                "problems": problems,
                "errors": [_jsonable(_excerpted(error)) for error in errors[:MAX_PROBLEMS]],
            },
            status_code=422,
        )

    app.add_exception_handler(HexahelixError, domain_error)
    app.add_exception_handler(RequestValidationError, validation_error)


UNAVAILABLE = "the graph store is unavailable right now; retry after `Retry-After` seconds"


def _is_admin(request: Request) -> bool:
    role = getattr(getattr(request.state, "principal", None), "role", None)
    return role is not None and role.value == "admin"


def _describe(error: dict[str, object], body: object = None, content_type: str = "") -> str:
    """One line naming the field and what is wrong: the value given and the allowed values of
    an enum (once), where malformed JSON breaks and what it expected there, and that a body
    must be sent as JSON."""
    loc = error.get("loc", ())
    kind = error.get("type")
    message = str(error.get("msg", "invalid"))
    ctx = error.get("ctx")
    if kind == "json_invalid" and isinstance(loc, tuple) and len(loc) == 2:
        return _json_position(body, loc[1], ctx)
    field = ".".join(str(part) for part in loc if part != "body") if isinstance(loc, tuple) else ""
    if (
        loc == ("body",)
        and kind in ("model_attributes_type", "dict_type")
        and "json" not in content_type.lower()
    ):
        sent = f"Content-Type {content_type!r}" if content_type else "no Content-Type"
        return f"body: send application/json (with Content-Type: application/json); got {sent}"
    if kind == "enum" or (isinstance(ctx, dict) and "expected" in ctx):
        # pydantic's message already lists the allowed values: add the value given, not them.
        message = f"{message}; got {excerpt(error.get('input'))!r}"
    return f"{field or 'body'}: {message}"


def _json_position(body: object, position: object, ctx: object) -> str:
    """Where malformed JSON breaks (line, column, the text around it) and what was expected.

    >>> print(_json_position('{"a": 1 "b": 2}', 8, {"error": "Expecting ',' delimiter"}))
    body: invalid JSON at line 1, column 9 (near '{"a": 1 ⟨"b": 2}'): Expecting ',' delimiter
    """
    expected = str(ctx.get("error", "")) if isinstance(ctx, dict) else ""
    if not isinstance(body, str | bytes) or not isinstance(position, int):
        return f"body: invalid JSON at character {position}: {expected}"
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    line = text.count("\n", 0, position) + 1
    column = position - (text.rfind("\n", 0, position) + 1) + 1
    near = text[max(0, position - 20) : position] + "⟨" + text[position : position + 20]
    return f"body: invalid JSON at line {line}, column {column} (near {near!r}): {expected}"


EXCERPT_CHARS = 80
"""Most characters of the refused input a 422 quotes."""


def _excerpted(error: Any) -> Any:
    """A validation error with its `input` as a short excerpt (an input may be 1 MB, or a
    NaN that JSON cannot carry)."""
    if not isinstance(error, dict) or "input" not in error:
        return error
    return {**error, "input": excerpt(error["input"])}


def excerpt(value: object) -> str | int | bool | None:
    """A short, JSON-safe quote of a value.

    >>> excerpt("x" * 1000).endswith("x... (1000 characters)")
    True
    >>> excerpt(float("nan"))
    'nan'
    """
    if value is None or (isinstance(value, bool | int) and abs(value) < 2**53):
        return value
    text = value if isinstance(value, str) else repr(value)
    if len(text) <= EXCERPT_CHARS:
        return text
    return f"{text[:EXCERPT_CHARS]}... ({len(text)} characters)"


def _jsonable(errors: object) -> object:
    """Validation error details without the raw exception objects pydantic may attach."""
    if isinstance(errors, list | tuple):
        return [_jsonable(item) for item in errors]
    if isinstance(errors, dict):
        return {key: _jsonable(value) for key, value in errors.items()}
    if isinstance(errors, float) and not math.isfinite(errors):
        return str(errors)
    if isinstance(errors, str | int | float | bool) or errors is None:
        return errors
    return str(errors)
