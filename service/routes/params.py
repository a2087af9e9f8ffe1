"""Query parameters shared by several routes."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Query

from graph.store import MAX_OFFSET, MAX_PAGE, PageRequest


def page_params(
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE, description="Items per page.")] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Items to skip.")] = 0,
) -> PageRequest:
    """The page window of a list request."""
    return PageRequest(limit=limit, offset=offset)


def day_param(
    at: Annotated[
        date | None,
        Query(description="Only ties active on this day (YYYY-MM-DD); default today."),
    ] = None,
) -> date:
    """The day whose active ties a query considers."""
    return at or date.today()
