"""The one place where domain errors become HTTP responses."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from graph.errors import (
    Conflict,
    HexahelixError,
    Invalid,
    NotFound,
    StoreDamaged,
    StoreFailed,
    StoreUnavailable,
)
from service.settings import Settings


class ErrorBody(BaseModel):
    """What every error response carries."""

    detail: str = Field(description="What went wrong, naming the id or field.")
    problems: list[str] | None = Field(None, description="Each problem, for invalid input.")


ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorBody, "description": "A referenced id does not exist."},
    409: {"model": ErrorBody, "description": "Duplicate id, or ties still attached."},
    422: {"model": ErrorBody, "description": "Invalid body or parameter; names the field."},
    500: {
        "model": ErrorBody,
        "description": "The store failed for a reason that is not an outage, or its data is "
        "damaged (restore from a backup); no `Retry-After`.",
    },
    503: {"model": ErrorBody, "description": "Store unreachable; retry after `Retry-After`."},
}

STATUS: dict[type[HexahelixError], int] = {
    NotFound: 404,
    Conflict: 409,
    Invalid: 422,
    StoreUnavailable: 503,
    StoreDamaged: 500,
    StoreFailed: 500,
}


def _status_of(error: HexahelixError) -> int:
    for kind, status in STATUS.items():
        if isinstance(error, kind):
            return status
    return 400


def install_error_handlers(app: FastAPI, settings: Settings) -> None:
    """Map every domain error, and request validation errors, to a JSON error body."""

    async def domain_error(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, HexahelixError)
        status = _status_of(exc)
        body: dict[str, object] = {"detail": str(exc)}
        if isinstance(exc, Invalid):
            body["problems"] = exc.problems
        headers = {"Retry-After": str(settings.retry_after_seconds)} if status == 503 else None
        return JSONResponse(body, status_code=status, headers=headers)

    async def validation_error(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        problems = [_describe(error) for error in exc.errors()]
        return JSONResponse(
            {
                "detail": "; ".join(problems),
                "problems": problems,
                "errors": _jsonable(exc.errors()),
            },
            status_code=422,
        )

    app.add_exception_handler(HexahelixError, domain_error)
    app.add_exception_handler(RequestValidationError, validation_error)


def _describe(error: dict[str, object]) -> str:
    """One line naming the field and what is wrong, with the allowed values for enums."""
    loc = error.get("loc", ())
    field = ".".join(str(part) for part in loc if part != "body") if isinstance(loc, tuple) else ""
    message = str(error.get("msg", "invalid"))
    ctx = error.get("ctx")
    if isinstance(ctx, dict) and "expected" in ctx:
        message = f"{message} (allowed: {ctx['expected']})"
    return f"{field or 'body'}: {message}"


def _jsonable(errors: object) -> object:
    """Validation error details without the raw exception objects pydantic may attach."""
    if isinstance(errors, list | tuple):
        return [_jsonable(item) for item in errors]
    if isinstance(errors, dict):
        return {key: _jsonable(value) for key, value in errors.items()}
    if isinstance(errors, str | int | float | bool) or errors is None:
        return errors
    return str(errors)
