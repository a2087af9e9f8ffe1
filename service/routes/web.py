"""The web page: `index.html` at `/`, its static files under `/static/`, and the map's data.

`router` serves the page and the static files; `api_router` (mounted under /api/v1) serves the
map's layout (cached per graph version and region), its data and the region list.
"""

from __future__ import annotations

import time
from collections import Counter
from datetime import date
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, ConfigDict, Field
from starlette.responses import Response
from starlette.types import Scope

from graph.analytics.engine import Freshness
from graph.asof import active_view
from graph.layout import Layout, compute_positions
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
from service.regions import RegionScope
from service.reported import QueryStoreDep
from service.routes.analytics import ANALYTICS_RESPONSES
from service.shared import KeptAnswers, with_freshness

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


def _kept(request: Request) -> KeptAnswers:
    """The app's kept map answers (opened in the lifespan)."""
    kept: KeptAnswers = request.app.state.kept
    return kept


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


def region_counts(store: Store, version: int) -> Regions:
    """Regions holding innovations, most first, computed from the store."""
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
    return Regions(version=version, default=regions[0].code if regions else None, regions=regions)


def _regions(kept: KeptAnswers, store: Store, version: int) -> tuple[Regions, Freshness]:
    return kept.get("regions", "", version, Regions, lambda: region_counts(store, version))


def _scope(region: str | None) -> str | None:
    """`id` (Indonesia) and an empty value mean the whole graph."""
    return None if region in (None, "", "id") else region


def _inside(code: str, region: str | None) -> bool:
    return region is None or code == region or code.startswith(region + ".")


@api_router.get(
    "/map/regions",
    summary="Regions for the map's region selector",
    response_model=Regions,
    responses=ANALYTICS_RESPONSES,
)
def map_regions(request: Request, store: StoreDep) -> Response:
    """Regions that hold innovations, most first; `default` is the one with the most.
    Kept per graph version (stale while a newer list is computed on a large graph)."""
    return with_freshness(*_regions(_kept(request), store, store.version()))


@api_router.get(
    "/map",
    summary="What the map draws for a region",
    response_model=MapData,
    responses=ANALYTICS_RESPONSES,
)
def map_data(
    request: Request,
    store: StoreDep,
    drawn: QueryStoreDep,
    at: DayDep,
    region: RegionParam = None,
) -> Response:
    """The region's innovations and actors (as in a snapshot) with the collaborations and
    partnerships active on `at`; with `provenance=reported`, only the reported ones. A region
    with more than `max_nodes` nodes is not drawn: `aggregate` then counts its innovations per
    region inside it. Kept per graph version like the analytics."""
    region = _scope(region)
    version = store.version()
    kept = _kept(request)
    regions, _ = _regions(kept, store, version)
    scope = "all" if drawn is store else "reported"
    key = f"{scope}|{region or ''}|{at.isoformat()}"
    answer, freshness = kept.get(
        "map", key, version, MapData, lambda: map_data_of(drawn, regions, version, region, at)
    )
    return with_freshness(answer, freshness)


def map_data_of(
    drawn: Store, regions: Regions, version: int, region: str | None, at: date
) -> MapData:
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


@api_router.get(
    "/layout",
    summary="Stable node positions for the map",
    response_model=Layout,
    responses=ANALYTICS_RESPONSES,
)
def layout(request: Request, store: StoreDep, region: RegionParam = None) -> Response:
    """Positions (0..1000) of the region's innovations and actors, computed once per graph
    version and region with a fixed seed, so the map looks the same between visits. Kept like
    the analytics: a large region's last layout is answered (stale) while a newer one is
    computed; an API process beside a worker never computes one itself (503 until it exists)."""
    region = _scope(region)
    version = store.version()
    kept = _kept(request)
    regions, _ = _regions(kept, store, version)
    answer, freshness = kept.get(
        "layout",
        region or "",
        version,
        Layout,
        lambda: layout_of(store, regions, version, region),
        readers_compute=False,
    )
    return with_freshness(answer, freshness)


def layout_of(store: Store, regions: Regions, version: int, region: str | None) -> Layout:
    """The region's layout (no nodes when it is too large to draw)."""
    inside = [r for r in regions.regions if _inside(r.code, region)]
    if sum(r.innovations for r in inside) > MAX_MAP_NODES:
        return Layout(version=version, region=region, nodes=[])
    started = time.perf_counter()
    positions = compute_positions(store.snapshot(region))
    return Layout(
        version=version,
        region=region,
        nodes=positions,
        seconds=round(time.perf_counter() - started, 4),
    )
