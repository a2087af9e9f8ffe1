"""Every FastAPI dependency of the routes: the services the app composed in its lifespan
(`service.compose`), the shared query parameters (page, day, region, provenance, language), the
access rules, and the refusal of query parameters a route does not take. Imports no route
module.
"""

from __future__ import annotations

from datetime import date
from difflib import get_close_matches
from typing import Annotated, Literal

from fastapi import Depends, HTTPException, Query, Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from pydantic import BaseModel

from graph.analytics.engine import Analytics
from graph.errors import Invalid
from graph.revision import IfMatch
from graph.store import MAX_OFFSET, MAX_PAGE, PageRequest, Store
from graph.vocab import Helix
from service.access import AccessStore, Role
from service.compose import Services
from service.declarations import DeclarationStore
from service.invitations import Invitation, InvitationStore
from service.lang import lang_param
from service.preconditions import if_match_param
from service.regions import RegionBook
from service.security import ANONYMOUS, Principal, require
from service.settings import Settings
from service.shared import KeptAnswers


# -- the composed services -------------------------------------------------------------------
def get_services(request: Request) -> Services:
    """What the app's lifespan composed (see `service.compose`)."""
    services: Services = request.app.state.services
    return services


def get_store(request: Request) -> Store:
    """The process's store."""
    return get_services(request).store


def get_app_settings(request: Request) -> Settings:
    """The settings the app was created with."""
    settings: Settings = request.app.state.settings
    return settings


def get_access(request: Request) -> AccessStore:
    """The process's keys and audit trail."""
    return get_services(request).access


def get_invitations(request: Request) -> InvitationStore:
    """The process's invitations."""
    return get_services(request).invitations


def get_declarations(request: Request) -> DeclarationStore:
    """The process's owner declarations."""
    return get_services(request).declarations


def get_regions(request: Request) -> RegionBook:
    """The regions the process's store knows."""
    return get_services(request).regions


def get_kept(request: Request) -> KeptAnswers:
    """The process's kept map answers (shared with the worker through the results file)."""
    return get_services(request).kept


ProvenanceQuery = Annotated[
    Literal["all", "reported"],
    Query(
        description="`all` (default): the whole graph. `reported`: only reported records — "
        "nodes with a public source and the ties citing one between them; the answer is what "
        "a graph of those alone gives."
    ),
]


def get_analytics(request: Request, provenance: ProvenanceQuery = "all") -> Analytics:
    """The analytics engine over the whole graph, or over its reported part
    (`provenance=reported`)."""
    services = get_services(request)
    return services.reported_analytics if provenance == "reported" else services.analytics


def get_query_store(request: Request, provenance: ProvenanceQuery = "all") -> Store:
    """The store a query reads: the app's store, or its reported mirror."""
    services = get_services(request)
    return services.reported.current() if provenance == "reported" else services.store


# -- shared query parameters -----------------------------------------------------------------
def page_params(
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE, description="Items per page.")] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Items to skip.")] = 0,
) -> PageRequest:
    """The page window of a list request."""
    return PageRequest(limit=limit, offset=offset)


ThresholdQuery = Annotated[
    int | None,
    Query(
        ge=1,
        le=len(Helix),  # every kind: nothing is below it
        description="Coverage below this marks an innovation under-connected; default the "
        "HEXAHELIX_UNDER_CONNECTED_THRESHOLD setting (4).",
    ),
]


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


def region_param(
    book: Annotated[RegionBook, Depends(get_regions)],
    region: Annotated[
        str | None,
        Query(
            max_length=100,
            description="Region code (BPS) or name; includes the regions inside it; `id` or "
            "none: the whole country. 422 for a region the graph does not know.",
            examples=["63.03"],
        ),
    ] = None,
) -> str | None:
    """The region a request is scoped to (None: the whole country)."""
    return book.scope(region)


def portfolio_param(
    book: Annotated[RegionBook, Depends(get_regions)],
    settings: Annotated[Settings, Depends(get_app_settings)],
    region: Annotated[
        str | None,
        Query(
            max_length=100,
            description="Region code (BPS) or name; includes the regions inside it. Default: the "
            "portfolio region (HEXAHELIX_PORTFOLIO_REGION, 63.03); `id`: the whole country. "
            "422 for a region the graph does not know.",
            examples=["63.03"],
        ),
    ] = None,
) -> str | None:
    """The region a ranking or analytics list covers: the one asked for, else the portfolio."""
    return book.portfolio(region, settings.portfolio_region)


# -- access ----------------------------------------------------------------------------------
TOKEN_HELP = (
    "needs the invitation token of the link you were sent (`Authorization: Bearer hxi_...`)"
)


def principal_of(request: Request) -> Principal:
    """Who the access guard found the request to come from."""
    principal: Principal = getattr(request.state, "principal", ANONYMOUS)
    return principal


def invitation_token(request: Request) -> Invitation:
    """The invitation the request's token resolved to (401 without one)."""
    invitation = principal_of(request).invitation
    if invitation is None:
        raise HTTPException(401, TOKEN_HELP, {"WWW-Authenticate": "Bearer"})
    return invitation


EDITOR_WRITE = Depends(require(Role.EDITOR, audit=True))
"""Dependency of a write route (records): an editor key, and an audit entry."""
ADMIN_WRITE = Depends(require(Role.ADMIN, audit=True))
"""Dependency of an admin write (import): an admin key, and an audit entry."""
ADMIN_READ = Depends(require(Role.ADMIN))
"""Dependency of an admin read (the audit trail): an admin key."""
CURATOR_WRITE = Depends(require(Role.CURATOR, audit=True))
"""Dependency of a curation write: a curator key, and an audit entry."""
CURATOR_READ = Depends(require(Role.CURATOR))
"""Dependency of a curation read: a curator key."""

StoreDep = Annotated[Store, Depends(get_store)]
QueryStoreDep = Annotated[Store, Depends(get_query_store)]
AnalyticsDep = Annotated[Analytics, Depends(get_analytics)]
SettingsDep = Annotated[Settings, Depends(get_app_settings)]
AccessDep = Annotated[AccessStore, Depends(get_access)]
InvitationsDep = Annotated[InvitationStore, Depends(get_invitations)]
DeclarationsDep = Annotated[DeclarationStore, Depends(get_declarations)]
RegionBookDep = Annotated[RegionBook, Depends(get_regions)]
KeptDep = Annotated[KeptAnswers, Depends(get_kept)]
TokenDep = Annotated[Invitation, Depends(invitation_token)]
LangDep = Annotated[str, Depends(lang_param)]
DayDep = Annotated[date, Depends(day_param)]
PageDep = Annotated[PageRequest, Depends(page_params)]
IfMatchDep = Annotated[IfMatch | None, Depends(if_match_param)]
"""The `If-Match` header of a record write (`service.preconditions`)."""
RegionScope = Annotated[str | None, Depends(region_param)]
"""A `region` query parameter: a known region (code or name), or None for the whole country."""
PortfolioScope = Annotated[str | None, Depends(portfolio_param)]
"""A `region` query parameter defaulting to the portfolio region."""
