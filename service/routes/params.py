"""Query parameters shared by several routes."""

from __future__ import annotations

from datetime import date
from difflib import get_close_matches
from typing import Annotated

from fastapi import Query, Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from pydantic import BaseModel

from graph.errors import Invalid
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


def declared_query_names(dependant: Dependant) -> set[str]:
    """Every query parameter name a route takes, through its dependencies and query models."""
    names: set[str] = set()
    for param in dependant.query_params:
        annotation = param.field_info.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            names.update(f.alias or n for n, f in annotation.model_fields.items())
        else:
            names.add(param.alias)
    for sub in dependant.dependencies:
        names |= declared_query_names(sub)
    return names


def reject_unknown_query(request: Request) -> None:
    """422 naming every query parameter the route does not take (a misspelt `regoin=` would
    otherwise be ignored and answer for the whole country)."""
    route = request.scope.get("route")
    # The API only: the web page keeps its own state (day, region, tab) in its URL.
    if not isinstance(route, APIRoute) or not request.url.path.startswith("/api/"):
        return
    known = declared_query_names(route.dependant)
    unknown = sorted({name for name in request.query_params if name not in known})
    if not unknown:
        return
    problems = []
    for name in unknown:
        close = get_close_matches(name, known, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        problems.append(f"query parameter {name!r} is not taken by this route{hint}")
    takes = ", ".join(sorted(known)) or "none"
    raise Invalid("; ".join(problems) + f"; it takes: {takes}", problems)
