"""`ETag` and `If-Match` on the record routes: optimistic concurrency over HTTP.

GET, POST and PATCH of a record answer its `ETag` (`graph.revision.etag_of`); PATCH and DELETE
take `If-Match` and pass it to the store, which checks it inside the write's own transaction
(412 naming the current ETag when the record changed). With `HEXAHELIX_REQUIRE_IF_MATCH=true` a
PATCH or DELETE without `If-Match` is refused with 428 before anything is read.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Header, Request, Response
from pydantic import BaseModel

from graph.errors import PreconditionRequired
from graph.revision import IfMatch, etag_of
from service.errors import ERRORS, ErrorBody, PreconditionBody

IF_MATCH_DESCRIPTION = (
    "The record's `ETag` as read (from GET, POST or the last PATCH): the write happens only if "
    "the record has not changed since, else 412 naming its current ETag. `*` matches any "
    "existing record. Required (428 without it) when the server sets "
    "`HEXAHELIX_REQUIRE_IF_MATCH=true`."
)

# The responses of a conditional write, on top of the usual ERRORS.
CONDITIONAL: dict[int | str, dict[str, Any]] = {
    **ERRORS,
    412: {
        "model": PreconditionBody,
        "description": "`If-Match` names no current revision: the record changed since it was "
        "read. The body's `etag` (and the `ETag` header) is the current one; read the record "
        "again and reapply the change.",
    },
    428: {
        "model": ErrorBody,
        "description": "`If-Match` is missing and this server requires it on writes.",
    },
}
# The `ETag` header of an answer carrying one record.
WITH_ETAG: dict[str, Any] = {
    "headers": {
        "ETag": {
            "description": "The record's revision: send it back as `If-Match` to change it.",
            "schema": {"type": "string"},
        }
    }
}


CREATED = {**ERRORS, 201: WITH_ETAG}
"""The responses of a record's creation."""
READ = {**ERRORS, 200: WITH_ETAG}
"""The responses of a record's read."""
CHANGED = {**CONDITIONAL, 200: WITH_ETAG}
"""The responses of a record's conditional change."""


def if_match_param(
    request: Request,
    if_match: Annotated[
        str | None, Header(alias="If-Match", description=IF_MATCH_DESCRIPTION)
    ] = None,
) -> IfMatch | None:
    """The parsed `If-Match` of a write; PreconditionRequired (428) when the server requires
    one and none was sent."""
    if if_match is None or not if_match.strip():
        if request.app.state.settings.require_if_match:
            raise PreconditionRequired(
                "this server requires If-Match on writes: GET the record, then send its ETag "
                "as If-Match (or `If-Match: *` to change it whatever its revision)"
            )
        return None
    return IfMatch.parse(if_match)


def tagged(response: Response, record: BaseModel) -> None:
    """Put the record's ETag on the answer."""
    response.headers["ETag"] = etag_of(record)
