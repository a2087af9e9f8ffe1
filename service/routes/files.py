"""How the routes that take or give a file document their bodies and answers in OpenAPI."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from service.errors import ERRORS

BINARY: dict[str, Any] = {"schema": {"type": "string", "format": "binary"}}
"""A file's bytes, in a body or an answer."""


def file_body(description: str, media_types: Iterable[str]) -> dict[str, Any]:
    """The `openapi_extra` of a route whose (required) body is a file of one of `media_types`."""
    content = dict.fromkeys(media_types, BINARY)
    return {"requestBody": {"required": True, "description": description, "content": content}}


def file_answer(description: str, content: dict[str, Any]) -> dict[int | str, dict[str, Any]]:
    """The `responses` of a route answering a file (`content`: media type -> schema), with the
    usual errors."""
    return {**ERRORS, 200: {"description": description, "content": content}}
