"""Refuse JSON bodies the API cannot carry, before any route sees them.

Python's JSON reader accepts `NaN`, `Infinity`, `1e999` (infinity), integers of any size, lone
surrogate escapes (`"\\ud800"`) and nesting until the interpreter's recursion limit. Each of those
used to end in a 500 somewhere later (a response that cannot be encoded, a driver overflow, a
RecursionError). `JsonGuard` reads a JSON request body once (the access guard already bounds its
size), parses it strictly and answers 422 naming the first such value; other bodies pass on
unchanged, replayed to the app.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from fastapi import HTTPException
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_DEPTH = 16
"""Deepest nesting of lists and objects in a request body."""
MAX_INT = 2**63 - 1
"""Largest integer a body may hold (Neo4j's and SQLite's integers are 64-bit)."""
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
_SURROGATE = re.compile("[\ud800-\udfff]")


class Refused(ValueError):
    """A value the API does not accept; the message says which."""


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise Refused(f"number {text[:40]} is out of range")
    return value


def _int(text: str) -> int:
    value = int(text)
    if abs(value) > MAX_INT:
        raise Refused(f"integer {text[:40]}... is out of the 64-bit range")
    return value


def _constant(name: str) -> float:
    raise Refused(f"{name} is not a number JSON allows")


def check_json(body: bytes) -> str | None:
    """Why a JSON body is refused, or None if it is fine (or not JSON at all: the app then
    answers its own parse error)."""
    try:
        value = json.loads(body, parse_float=_float, parse_int=_int, parse_constant=_constant)
    except Refused as refused:
        return str(refused)
    except RecursionError:
        return f"the body nests deeper than {MAX_DEPTH} levels"
    except (ValueError, UnicodeDecodeError):
        return None
    return _check_value(value)


def _check_value(value: Any) -> str | None:
    """Walk the parsed body (without recursion) for depth and unencodable text."""
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            if _SURROGATE.search(item):
                return "text holds a lone UTF-16 surrogate (\\ud800-\\udfff), not a character"
        elif isinstance(item, list | dict):
            if depth >= MAX_DEPTH:
                return f"the body nests deeper than {MAX_DEPTH} levels"
            children = [*item.keys(), *item.values()] if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
    return None


class JsonGuard:
    """ASGI middleware: 422 for JSON bodies with non-finite or out-of-range numbers, lone
    surrogates or deep nesting."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in _BODY_METHODS or not _is_json(scope):
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        try:
            while True:
                message = await receive()
                if message["type"] != "http.request":
                    break
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False):
                    break
        except HTTPException as error:  # the access guard's body limit (413)
            response = JSONResponse({"detail": error.detail}, status_code=error.status_code)
            await response(scope, receive, send)
            return
        body = b"".join(chunks)
        reason = check_json(body) if body else None
        if reason is not None:
            response = JSONResponse(
                {"detail": f"body: {reason}", "problems": [f"body: {reason}"]}, status_code=422
            )
            await response(scope, receive, send)
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


def _is_json(scope: Scope) -> bool:
    for name, value in scope.get("headers", []):
        if name == b"content-type":
            return b"json" in value.lower()
    return False
