"""The web page: `index.html` at `/`, its static files under `/static/`, and the map's data.

`router` serves the page and the static files; `api_router` (mounted under /api/v1) serves the
map's layout (cached per graph version and region), its data and the region list.
"""

from __future__ import annotations

import threading
from collections import Counter
from datetime import date
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, ConfigDict, Field
from starlette.responses import Response
from starlette.types import Scope

from graph.asof import active_view
from graph.layout import Layout, LayoutCache
from graph.models import Actor, Collaboration, Innovation, model_examples
from graph.provenance import (
    CollaborationOut,
    IllustrativeShare,
    PartnershipOut,
    illustrative_share,
    partnership_with_provenance,
    with_provenance,
)
from graph.store import MAX_PAGE, InnovationFilter, PageRequest, Store
from service.deps import DayDep, StoreDep
from service.errors import ERRORS
from service.regions import RegionScope
from service.reported import QueryStoreDep

WEB_DIR = Path(__file__).resolve().parent.parent / "web"
MAX_MAP_NODES = 4000
"""Above this many nodes the map shows regions instead of drawing every node."""

SECURITY_HEADERS: dict[str, str] = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
        "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
        "form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}

RegionParam = RegionScope


class _SecureStaticFiles(StaticFiles):
    """StaticFiles that sends the page's security headers with every file."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        response.headers.update(SECURITY_HEADERS)
        return response


router = APIRouter(include_in_schema=False)
router.mount("/static", _SecureStaticFiles(directory=WEB_DIR), name="static")
api_router = APIRouter(tags=["web map"])


@router.get("/", summary="The web page")
def index() -> FileResponse:
    """The single page of the web UI (no inline scripts or styles)."""
    return FileResponse(
        WEB_DIR / "index.html",
        media_type="text/html; charset=utf-8",
        headers={**SECURITY_HEADERS, "Cache-Control": "no-cache"},
    )


# -- caches kept on the app, one per store ---------------------------------------------------
class RegionCount(BaseModel):
    """A region with how many innovations lie in it (directly)."""

    code: str = Field(description="BPS region code.", examples=["63.03"])
    name: str = Field(
        description="Region name; the code when the name is unknown.", examples=["Kabupaten Banjar"]
    )
    level: str | None = Field(
        None, description="Administrative level (province, regency, city); null when unknown."
    )
    innovations: int = Field(description="Innovations recorded directly in this region.")


class Regions(BaseModel):
    """Regions holding innovations, most innovations first, and the page's default region."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "version": 12,
                    "default": "63.03",
                    "regions": [
                        {
                            "code": "63.03",
                            "name": "Kabupaten Banjar",
                            "level": "regency",
                            "innovations": 54,
                        }
                    ],
                }
            ]
        }
    )

    version: int = Field(description="Graph version the list was computed for.")
    default: str | None = Field(description="The region with the most innovations.")
    regions: list[RegionCount] = Field(
        description="Regions with at least one innovation, most first, then by code."
    )


class MapData(BaseModel):
    """Everything the map draws for a region: nodes, ties active on `at`, and positions'
    version. When the region is too large to draw (`too_large`), the lists are empty and
    `aggregate` counts innovations per region inside it instead."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "version": 12,
                    "region": "63.03",
                    "at": "2025-06-01",
                    "node_count": 2,
                    "too_large": False,
                    "max_nodes": MAX_MAP_NODES,
                    "innovations": model_examples(Innovation),
                    "actors": model_examples(Actor),
                    "collaborations": model_examples(CollaborationOut),
                    "partnerships": [],
                    "illustrative": illustrative_share(
                        [Innovation.model_validate(x) for x in model_examples(Innovation)],
                        [Collaboration.model_validate(x) for x in model_examples(Collaboration)],
                    ).model_dump(),
                    "aggregate": [],
                }
            ]
        }
    )

    version: int = Field(description="Graph version the data was read at.")
    region: str | None = Field(description="Region code; null: all regions.")
    at: date = Field(description="Day whose active ties are drawn.")
    node_count: int = Field(
        description="Innovations plus actors of the region; when its innovations alone exceed "
        "`max_nodes`, their count."
    )
    too_large: bool = Field(description="Whether the region has more than `max_nodes` nodes.")
    max_nodes: int = Field(description="Most nodes the map draws (innovations plus actors).")
    innovations: list[Innovation] = Field(
        description="The region's innovations launched by `at` (or with no launch day); empty "
        "if too large."
    )
    not_launched: int = Field(
        0, description="The region's innovations not launched yet on `at` (left out)."
    )
    actors: list[Actor] = Field(
        description="Actors tied to its innovations or located in it; empty if too large."
    )
    collaborations: list[CollaborationOut] = Field(
        description="Collaborations active on `at` with launched innovations, including the "
        "owners' implicit initiator ties (source `implicit: …`, or `illustrative (implicit: …)` "
        "when the innovation or its owner is invented); empty if too large."
    )
    partnerships: list[PartnershipOut] = Field(
        description="Partnerships active on `at`; empty if too large."
    )
    illustrative: IllustrativeShare | None = Field(
        None,
        description="How many of the region's innovations and ties (all, ended ones too) are "
        "illustrative; null when the region is too large to read.",
    )
    aggregate: list[RegionCount] = Field(
        default_factory=list,
        description="When too large: innovations per region inside it; otherwise empty.",
    )


class _WebState:
    def __init__(self) -> None:
        self.layouts = LayoutCache()
        self.lock = threading.Lock()
        self.regions: Regions | None = None


def _state(request: Request) -> _WebState:
    state = getattr(request.app.state, "web", None)
    if state is None:
        with _STATE_LOCK:
            state = getattr(request.app.state, "web", None)
            if state is None:
                state = _WebState()
                request.app.state.web = state
    assert isinstance(state, _WebState)
    return state


_STATE_LOCK = threading.Lock()


def _all_innovations(store: Store) -> list[Innovation]:
    items: list[Innovation] = []
    offset = 0
    while True:
        page = store.list_innovations(
            InnovationFilter(), PageRequest(limit=MAX_PAGE, offset=offset)
        )
        items.extend(page.items)
        offset += len(page.items)
        if not page.items or offset >= page.total:
            return items


def _regions(store: Store, state: _WebState) -> Regions:
    version = store.version()
    cached = state.regions
    if cached is not None and cached.version == version:
        return cached
    counts = Counter(innovation.region for innovation in _all_innovations(store))
    names: dict[str, tuple[str, str | None]] = {}
    if counts:
        top = counts.most_common(1)[0][0]
        for region in store.snapshot(top).regions:
            names[region.code] = (region.name, region.level.value)
    regions = sorted(
        (
            RegionCount(
                code=code,
                name=names.get(code, (code, None))[0],
                level=names.get(code, (code, None))[1],
                innovations=n,
            )
            for code, n in counts.items()
        ),
        key=lambda r: (-r.innovations, r.code),
    )
    result = Regions(version=version, default=regions[0].code if regions else None, regions=regions)
    state.regions = result
    return result


def _scope(region: str | None) -> str | None:
    """`id` (Indonesia) and an empty value mean the whole graph."""
    return None if region in (None, "", "id") else region


def _inside(code: str, region: str | None) -> bool:
    return region is None or code == region or code.startswith(region + ".")


@api_router.get("/map/regions", summary="Regions for the map's region selector", responses=ERRORS)
def map_regions(request: Request, store: StoreDep) -> Regions:
    """Regions that hold innovations, most first; `default` is the one with the most.
    Cached per graph version."""
    return _regions(store, _state(request))


@api_router.get("/map", summary="What the map draws for a region", responses=ERRORS)
def map_data(
    request: Request,
    store: StoreDep,
    drawn: QueryStoreDep,
    at: DayDep,
    region: RegionParam = None,
) -> MapData:
    """The region's innovations and actors (as in a snapshot) with the collaborations and
    partnerships active on `at`; with `provenance=reported`, only the reported ones. A region
    with more than `max_nodes` nodes is not drawn: `aggregate` then counts its innovations per
    region inside it."""
    region = _scope(region)
    version = store.version()
    state = _state(request)
    regions = _regions(store, state)
    inside = [r for r in regions.regions if _inside(r.code, region)]
    if sum(r.innovations for r in inside) > MAX_MAP_NODES:
        return MapData(
            version=version,
            region=region,
            at=at,
            node_count=sum(r.innovations for r in inside),
            too_large=True,
            max_nodes=MAX_MAP_NODES,
            innovations=[],
            actors=[],
            collaborations=[],
            partnerships=[],
            aggregate=inside,
        )
    data = drawn.snapshot(region)
    node_count = len(data.innovations) + len(data.actors)
    if node_count > MAX_MAP_NODES:
        return MapData(
            version=version,
            region=region,
            at=at,
            node_count=node_count,
            too_large=True,
            max_nodes=MAX_MAP_NODES,
            innovations=[],
            actors=[],
            collaborations=[],
            partnerships=[],
            aggregate=inside,
        )
    view = active_view(data, at)  # the same active set as the analytics
    actor_ids = {a.id for a in data.actors}
    return MapData(
        version=version,
        region=region,
        at=at,
        node_count=node_count,
        too_large=False,
        max_nodes=MAX_MAP_NODES,
        innovations=view.innovations,
        not_launched=len(data.innovations) - len(view.innovations),
        actors=data.actors,
        collaborations=[with_provenance(t) for t in view.collaborations if t.actor_id in actor_ids],
        partnerships=[partnership_with_provenance(p) for p in view.partnerships],
        illustrative=illustrative_share(data.innovations, data.collaborations, data.partnerships),
    )


@api_router.get("/layout", summary="Stable node positions for the map", responses=ERRORS)
def layout(request: Request, store: StoreDep, region: RegionParam = None) -> Layout:
    """Positions (0..1000) of the region's innovations and actors, computed once per graph
    version and region with a fixed seed, so the map looks the same between visits."""
    region = _scope(region)
    version = store.version()
    state = _state(request)
    inside = [r for r in _regions(store, state).regions if _inside(r.code, region)]
    if sum(r.innovations for r in inside) > MAX_MAP_NODES:
        return Layout(version=version, region=region, nodes=[])
    return state.layouts.get(version, region, lambda: store.snapshot(region))
