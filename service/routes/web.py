"""The web page: `index.html` at `/`, its static files under `/static/`, and the map's data.

`router` serves the page and the static files; `api_router` (mounted under /api/v1) serves the
map's layout (cached per graph version and region), its data and the region list.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles
from starlette.responses import Response
from starlette.types import Scope

from graph import mapview
from graph.analytics.engine import Freshness
from graph.errors import Invalid
from graph.layout import Layout
from graph.mapview import (
    MapData,
    Regions,
    community_map,
    layout_of,
    map_data_of,
    region_counts,
)
from graph.store import Store
from service.deps import AnalyticsDep, DayDep, KeptDep, QueryStoreDep, RegionScope, StoreDep
from service.map_overview import kept_overview
from service.routes.analytics import ANALYTICS_RESPONSES
from service.shared import KeptAnswers, with_freshness

WEB_DIR = Path(__file__).resolve().parent.parent / "web"

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
def _regions(kept: KeptAnswers, store: Store, version: int) -> tuple[Regions, Freshness]:
    return kept.get("regions", "", version, Regions, lambda: region_counts(store, version))


@api_router.get(
    "/map/regions",
    summary="Regions for the map's region selector",
    response_model=Regions,
    responses=ANALYTICS_RESPONSES,
)
def map_regions(kept: KeptDep, store: StoreDep) -> Response:
    """Regions that hold innovations, most first; `default` is the one with the most.
    Kept per graph version (stale while a newer list is computed on a large graph)."""
    return with_freshness(*_regions(kept, store, store.version()))


CommunityQuery = Annotated[
    int | None,
    Query(
        ge=0,
        le=1_000_000,
        description="Draw this community of the region (its number in `communities`, as "
        "`/analytics/communities` numbers them): its actors, the innovations it carries and "
        "the active ties between them. 404 for a community the region does not have; 422 "
        "when the region is too large (`view` `regions`).",
    ),
]


@api_router.get(
    "/map",
    summary="What the map draws for a region",
    response_model=MapData,
    responses=ANALYTICS_RESPONSES,
)
def map_data(
    kept: KeptDep,
    store: StoreDep,
    drawn: QueryStoreDep,
    engine: AnalyticsDep,
    at: DayDep,
    region: RegionScope = None,
    community: CommunityQuery = None,
) -> Response:
    """The region's innovations and actors (as in a snapshot) with the collaborations and
    partnerships active on `at`; with `provenance=reported`, only the reported ones. A region
    with more than `draw_limit` nodes is answered by community (`view` `communities`: one node
    per Louvain community with its counts and helix mix, and the ties between communities),
    and `community=` draws one of them. A region with more than `max_nodes` nodes is not drawn:
    `aggregate` then counts its innovations per region inside it. Kept per graph version like
    the analytics; an answer by community is as fresh as the older of the map's answer and the
    communities' (503 while the communities are first computed)."""
    version = store.version()
    regions, _ = _regions(kept, store, version)
    scope = "all" if drawn is store else "reported"
    key = f"{scope}|{region or ''}|{at.isoformat()}"
    answer, freshness = kept.get(
        "map", key, version, MapData, lambda: map_data_of(drawn, regions, version, region, at)
    )
    if answer.too_large:
        if community is not None:
            raise Invalid(
                f"community: {region or 'Indonesia'} is too large to draw by community "
                f"({answer.node_count} nodes, more than {answer.max_nodes}); pick a region "
                "inside it"
            )
        return with_freshness(answer, freshness)
    limit = mapview.MAX_DRAWN_NODES  # read on each call: tests lower it
    if community is None and answer.node_count <= limit:
        return with_freshness(answer.model_copy(update={"draw_limit": limit}), freshness)
    communities = engine.communities(region, at)
    grouped = engine.freshness() or Freshness(version, version)
    if community is None:
        shown = kept_overview(kept, key, answer, communities, grouped.computed_at_version)
    else:
        shown = community_map(answer, communities, community)
    computed = min(freshness.computed_at_version, grouped.computed_at_version)
    return with_freshness(
        shown.model_copy(update={"draw_limit": limit}), Freshness(version, computed)
    )


@api_router.get(
    "/layout",
    summary="Stable node positions for the map",
    response_model=Layout,
    responses=ANALYTICS_RESPONSES,
)
def layout(kept: KeptDep, store: StoreDep, region: RegionScope = None) -> Response:
    """Positions (0..1000) of the region's innovations and actors, computed once per graph
    version and region with a fixed seed, so the map looks the same between visits. Kept like
    the analytics: a large region's last layout is answered (stale) while a newer one is
    computed; an API process beside a worker never computes one itself (503 until it exists)."""
    version = store.version()
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
