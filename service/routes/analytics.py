"""Analytics routes: helix metrics, actor positions, portfolio, recommendations, paths, what-if.

Mount this router under /api/v1 **before** the records router, so that
`/innovations/under-connected` is not taken for an innovation id.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Body, Query
from fastapi.responses import Response
from pydantic import BaseModel

from graph.analytics.actor_schemas import ActorMetrics
from graph.analytics.duty_schemas import YearlyDuty
from graph.analytics.engine import Analytics
from graph.analytics.history_schemas import PortfolioHistory, Step
from graph.analytics.iga_schemas import IgaGain, IgaPortfolio
from graph.analytics.innovation_schemas import InnovationMetrics
from graph.analytics.paths import MAX_DEPTH, MAX_K
from graph.analytics.paths_schemas import EgoNetwork, Paths
from graph.analytics.portfolio_schemas import CommunitiesResult, Portfolio
from graph.analytics.recommend_schemas import Recommendations
from graph.analytics.results import Match, Window
from graph.analytics.whatif_schemas import WhatIfRequest, WhatIfResult
from graph.models import Page
from graph.store import PageRequest, same_name
from graph.vocab import Helix
from service.deps import (
    AnalyticsDep,
    DayDep,
    LangDep,
    PageDep,
    PortfolioScope,
    RegionScope,
    StoreDep,
    ThresholdQuery,
)
from service.errors import ERRORS
from service.lang import localized
from service.regions import outside_explained
from service.routes.listing import SortQuery, page_of, sort_keys

router = APIRouter(tags=["analytics"])


FRESHNESS_HEADERS = {
    "Hexahelix-Graph-Version": {
        "description": "The store's graph version when the answer was given.",
        "schema": {"type": "integer"},
    },
    "Hexahelix-Computed-At-Version": {
        "description": "The graph version the answer was computed on.",
        "schema": {"type": "integer"},
    },
    "Hexahelix-Stale": {
        "description": "`true` while the answer is the last complete one and a newer one is "
        "being computed in the background (a large graph after a write), else `false`.",
        "schema": {"type": "string", "enum": ["true", "false"]},
    },
}


ANALYTICS_RESPONSES: dict[int | str, dict[str, Any]] = {
    **ERRORS,
    200: {"description": "The answer, with its freshness.", "headers": FRESHNESS_HEADERS},
}


class _Bodies:
    """The JSON of the last few whole results (the same object answers every graph version
    while it is the last complete one: the national portfolio is about 21 MB of JSON, and
    serialising it again after each write took seconds)."""

    def __init__(self, max_bytes: int = 48 * 1024 * 1024) -> None:
        self.max_bytes = max_bytes
        self._lock = threading.Lock()
        # id(value) is unique while the value lives: each entry holds its value.
        self._entries: OrderedDict[tuple[int, str], tuple[BaseModel, Response]] = OrderedDict()
        self._bytes = 0

    def response(self, value: BaseModel, lang: str) -> Response:
        key = (id(value), lang)
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None and entry[0] is value:
                self._entries.move_to_end(key)
                return _copy(entry[1])
        response = localized(value, lang)
        with self._lock:
            self._entries[key] = (value, response)
            self._bytes += len(response.body)
            while self._bytes > self.max_bytes and len(self._entries) > 1:
                _, (_, dropped) = self._entries.popitem(last=False)
                self._bytes -= len(dropped.body)
        return _copy(response)


def _copy(response: Response) -> Response:
    """A new response with the same body (headers are added per request)."""
    return Response(
        content=response.body,
        media_type=response.media_type,
        headers={k: v for k, v in response.headers.items() if k != "content-length"},
    )


BODIES = _Bodies()


def answered_whole(
    engine: Analytics, kind: str, region: str | None, at: date, lang: str
) -> Response | None:
    """A whole kept answer (portfolio, communities) straight from the results file, when it
    comes from there (see `Analytics.answer_json`), with its freshness; else None."""
    body = engine.answer_json(kind, region, at, lang)
    if body is None:
        return None
    response = Response(
        content=body,
        media_type="application/json",
        headers={"Content-Language": lang, "Vary": "Accept-Language"},
    )
    return with_freshness_headers(engine, response)


def with_freshness_headers(engine: Analytics, response: Response) -> Response:
    """The response with the freshness of what the engine last used on this thread."""
    freshness = engine.freshness()
    if freshness is not None:
        response.headers["Hexahelix-Graph-Version"] = str(freshness.graph_version)
        response.headers["Hexahelix-Computed-At-Version"] = str(freshness.computed_at_version)
        response.headers["Hexahelix-Stale"] = "true" if freshness.stale else "false"
    return response


def answered(
    engine: Analytics, value: BaseModel | Sequence[BaseModel], lang: str, kept: bool = False
) -> Response:
    """The localized answer with the freshness of what the engine used for it (`kept`: the
    value is one the engine keeps, such as the portfolio, so its JSON is kept with it)."""
    if kept and isinstance(value, BaseModel):
        response = BODIES.response(value, lang)
    else:
        response = localized(value, lang)
    return with_freshness_headers(engine, response)


def kept_page(
    engine: Analytics,
    kind: str,
    model: type[BaseModel],
    region: str | None,
    at: date,
    page: PageRequest,
    sort: str | None,
    matches: list[Match],
    ranked: bool = False,
    threshold: int | None = None,
) -> Page[Any] | None:
    """A page of a kept list straight from the results file (see `Analytics.kept_page` and,
    at another threshold, `Analytics.threshold_page`), or None when the list is computed here
    (then it is filtered and paged in memory)."""
    order = sort_keys(model, sort)
    window = Window(matches, order, page.offset, page.limit, ranked)
    if threshold is not None and threshold != engine.threshold:
        found = engine.threshold_page(region, at, threshold, window)
    else:
        found = engine.kept_page(kind, region, at, window)
    if found is None:
        return None
    total, items = found
    return Page[model](items=items, total=total, limit=page.limit, offset=page.offset)  # type: ignore[valid-type]


@router.get(
    "/analytics/innovations",
    summary="Helix metrics of every innovation",
    description=(
        "Coverage, missing kinds, diversity, depth, fragile kinds and critical actors, "
        "resilience, non-government share, reach, the estimated IGA actor score and the "
        "sustainability index (with its components and weights) of each innovation, by id. "
        "Only ties active on `at` count."
    ),
    response_model=Page[InnovationMetrics],
    responses=ANALYTICS_RESPONSES,
)
def innovations(
    engine: AnalyticsDep,
    at: DayDep,
    lang: LangDep,
    page: PageDep,
    region: PortfolioScope = None,
    threshold: ThresholdQuery = None,
    sort: SortQuery = None,
    under_connected: Annotated[
        bool | None, Query(description="Only the under-connected (true) or the others (false).")
    ] = None,
    lacks: Annotated[
        list[Helix] | None,
        Query(description="Only innovations missing every one of these helix kinds (repeat it)."),
    ] = None,
    sector: Annotated[str | None, Query(description="Only this sector.")] = None,
    district: Annotated[str | None, Query(description="Only this kecamatan (any case).")] = None,
) -> Response:
    matches = [Match("missing", kind, "has") for kind in lacks or []]
    if under_connected is not None:
        matches.append(Match("under_connected", under_connected))
    if sector is not None:
        matches.append(Match("sector", sector))
    if district is not None:
        matches.append(Match("district", district, "caseless"))
    kept = kept_page(
        engine, "innovations", InnovationMetrics, region, at, page, sort, matches, False, threshold
    )
    if kept is not None:
        return answered(engine, kept, lang)
    items = [
        m
        for m in engine.innovations(region, at, threshold)
        if (under_connected is None or m.under_connected is under_connected)
        and all(kind in m.missing for kind in lacks or [])
        and (sector is None or m.sector == sector)
        and (district is None or same_name(m.district, district))
    ]
    return answered(engine, page_of(InnovationMetrics, items, page, sort), lang)


@router.get(
    "/analytics/innovations/{innovation_id}",
    summary="Helix metrics of one innovation",
    description="The metrics object of one innovation (see `/analytics/innovations`); 404 if unknown.",
    response_model=InnovationMetrics,
    responses=ANALYTICS_RESPONSES,
)
def innovation(
    engine: AnalyticsDep,
    store: StoreDep,
    innovation_id: str,
    at: DayDep,
    lang: LangDep,
    region: RegionScope = None,
    threshold: ThresholdQuery = None,
) -> Response:
    with outside_explained(store, region, innovations=[innovation_id]):
        return answered(engine, engine.innovation(innovation_id, region, at, threshold), lang)


@router.get(
    "/analytics/actors",
    summary="Network position of every actor",
    description=(
        "Degree and weighted degree, betweenness and PageRank on the actor projection, Burt's "
        "constraint and effective size, Gould-Fernandez brokerage counts across helix kinds and "
        "the Louvain community (fixed seed), by actor id unless `sort` says otherwise "
        "(`sort=-betweenness` puts the brokers first)."
    ),
    response_model=Page[ActorMetrics],
    responses=ANALYTICS_RESPONSES,
)
def actors(
    engine: AnalyticsDep,
    at: DayDep,
    lang: LangDep,
    page: PageDep,
    region: PortfolioScope = None,
    sort: SortQuery = None,
    helix: Annotated[Helix | None, Query(description="Only actors of this helix kind.")] = None,
    community: Annotated[int | None, Query(description="Only this Louvain community.")] = None,
    district: Annotated[str | None, Query(description="Only this kecamatan (any case).")] = None,
) -> Response:
    matches = [] if helix is None else [Match("helix", helix)]
    if community is not None:
        matches.append(Match("community", community))
    if district is not None:
        matches.append(Match("district", district, "caseless"))
    kept = kept_page(engine, "actors", ActorMetrics, region, at, page, sort, matches)
    if kept is not None:
        return answered(engine, kept, lang)
    items = [
        m
        for m in engine.actors(region, at)
        if (helix is None or m.helix is helix)
        and (community is None or m.community == community)
        and (district is None or same_name(m.district, district))
    ]
    return answered(engine, page_of(ActorMetrics, items, page, sort), lang)


@router.get(
    "/analytics/portfolio",
    summary="Portfolio figures",
    description=(
        "Counts by origin, form and stage; coverage histogram; helix participation and "
        "co-participation; E-I index per kind; helix assortativity; modularity and communities; "
        "top brokers; the under-connected list; mean sustainability index; estimated IGA actor "
        "scores."
    ),
    response_model=Portfolio,
    responses=ANALYTICS_RESPONSES,
)
def portfolio(
    engine: AnalyticsDep, at: DayDep, lang: LangDep, region: PortfolioScope = None
) -> Response:
    whole = answered_whole(engine, "portfolio", region, at, lang)
    return whole or answered(engine, engine.portfolio(region, at), lang, kept=True)


@router.get(
    "/analytics/portfolio/history",
    summary="Portfolio headline figures over time",
    description=(
        "One point every `step` (year, quarter or month) from `from` to `to` inclusive, each "
        "computed on the ties active that day. 422 when `from` is after `to` or there would be "
        "more than 240 points."
    ),
    response_model=PortfolioHistory,
    responses=ANALYTICS_RESPONSES,
)
def portfolio_history(
    engine: AnalyticsDep,
    lang: LangDep,
    start: Annotated[date, Query(alias="from", description="First day.", examples=["2022-01-01"])],
    end: Annotated[
        date, Query(alias="to", description="Last day (inclusive).", examples=["2025-12-31"])
    ],
    step: Annotated[Step, Query(description="Spacing of the points.")] = "year",
    region: PortfolioScope = None,
) -> Response:
    return answered(engine, engine.history(start, end, step, region), lang)


@router.get(
    "/analytics/communities",
    summary="Communities of actors",
    description="Louvain communities of the actor projection (seed 42) with their helix mix.",
    response_model=CommunitiesResult,
    responses=ANALYTICS_RESPONSES,
)
def communities(
    engine: AnalyticsDep, at: DayDep, lang: LangDep, region: PortfolioScope = None
) -> Response:
    whole = answered_whole(engine, "communities", region, at, lang)
    return whole or answered(engine, engine.communities(region, at), lang, kept=True)


@router.post(
    "/analytics/what-if",
    summary="What if actors leave or join",
    description=(
        "Remove actors, add hypothetical actors and ties (starting on `at`), and see each changed "
        "innovation's metrics before and after, and which become or stop being under-connected. "
        "Nothing is written to the graph."
    ),
    response_model=WhatIfResult,
    responses=ANALYTICS_RESPONSES,
)
def what_if(
    engine: AnalyticsDep,
    lang: LangDep,
    request: Annotated[WhatIfRequest, Body()],
    at: DayDep,
    region: RegionScope = None,
) -> Response:
    return answered(engine, engine.what_if(request, region, at), lang)


@router.get(
    "/innovations/under-connected",
    summary="Under-connected innovations, most urgent first",
    description=(
        "Innovations covering fewer helix kinds than the threshold (default 4), or carried by one "
        "actor across all their kinds (resilience 0), or with fewer than 2 actors; each with "
        "plain-language reasons. Sorted by sustainability index (lowest first), then coverage, "
        "actor count and id (or by `sort`)."
    ),
    response_model=Page[InnovationMetrics],
    responses=ANALYTICS_RESPONSES,
)
def under_connected(
    engine: AnalyticsDep,
    lang: LangDep,
    at: DayDep,
    page: PageDep,
    region: PortfolioScope = None,
    threshold: ThresholdQuery = None,
    sort: SortQuery = None,
) -> Response:
    urgent = [Match("under_connected", True)]
    kept = kept_page(
        engine, "innovations", InnovationMetrics, region, at, page, sort, urgent, True, threshold
    )
    if kept is not None:
        return answered(engine, kept, lang)
    weakest = engine.weakest(region, at, threshold=threshold)
    return answered(engine, page_of(InnovationMetrics, weakest, page, sort), lang)


@router.get(
    "/innovations/{innovation_id}/recommendations",
    summary="Who could partner with this innovation",
    description=(
        "For each missing or fragile helix kind, actors of that kind not on the innovation, "
        "ranked by shared partners with its team (Adamic-Adar), sector overlap and locality, "
        "minus a load penalty; each with a reason. `gaps` lists kinds with no candidate at all."
    ),
    response_model=Recommendations,
    responses=ANALYTICS_RESPONSES,
)
def recommendations(
    engine: AnalyticsDep,
    store: StoreDep,
    lang: LangDep,
    innovation_id: str,
    at: DayDep,
    region: RegionScope = None,
    limit: Annotated[int, Query(ge=1, le=50, description="Candidates per helix kind.")] = 5,
) -> Response:
    with outside_explained(store, region, innovations=[innovation_id]):
        return answered(engine, engine.recommendations(innovation_id, region, at, limit), lang)


@router.get(
    "/paths",
    summary="Introduction paths between two actors",
    description=(
        "The k cheapest simple paths on the actor projection, where a hop costs 1 / tie weight "
        "(stronger ties are shorter); each hop names the shared innovations or partnership."
    ),
    response_model=Paths,
    responses=ANALYTICS_RESPONSES,
)
def paths(
    engine: AnalyticsDep,
    store: StoreDep,
    lang: LangDep,
    source: Annotated[
        str, Query(description="Actor id to start from.", examples=["universitas-a"])
    ],
    target: Annotated[str, Query(description="Actor id to reach.", examples=["bank-daerah-a"])],
    at: DayDep,
    k: Annotated[int, Query(description=f"Number of paths, 1..{MAX_K}.")] = 3,
    region: RegionScope = None,
) -> Response:
    with outside_explained(store, region, actors=[source, target]):
        return answered(engine, engine.paths(source, target, k, at, region), lang)


@router.get(
    "/actors/{actor_id}/ego",
    summary="Ego network of an actor",
    description=(
        f"Actors and innovations within `depth` (1..{MAX_DEPTH}) steps on the actor-innovation "
        "graph plus partnerships, with every edge among them; node keys are `actor:<id>` and "
        "`innovation:<id>`."
    ),
    response_model=EgoNetwork,
    responses=ANALYTICS_RESPONSES,
)
def actor_ego(
    engine: AnalyticsDep,
    store: StoreDep,
    lang: LangDep,
    actor_id: str,
    at: DayDep,
    depth: Annotated[int, Query(description=f"Steps, 1..{MAX_DEPTH}.")] = 2,
    region: RegionScope = None,
) -> Response:
    with outside_explained(store, region, actors=[actor_id]):
        return answered(engine, engine.ego("actor", actor_id, depth, at, region), lang)


@router.get(
    "/innovations/{innovation_id}/ego",
    summary="Ego network of an innovation",
    description=(
        f"Actors and innovations within `depth` (1..{MAX_DEPTH}) steps of the innovation; see "
        "`/actors/{id}/ego`."
    ),
    response_model=EgoNetwork,
    responses=ANALYTICS_RESPONSES,
)
def innovation_ego(
    engine: AnalyticsDep,
    store: StoreDep,
    lang: LangDep,
    innovation_id: str,
    at: DayDep,
    depth: Annotated[int, Query(description=f"Steps, 1..{MAX_DEPTH}.")] = 2,
    region: RegionScope = None,
) -> Response:
    with outside_explained(store, region, innovations=[innovation_id]):
        return answered(engine, engine.ego("innovation", innovation_id, depth, at, region), lang)


@router.get(
    "/analytics/iga-gain",
    summary="Which changes raise the estimated IGA actor scores most",
    description=(
        "For the innovations whose estimated IGA 'keterlibatan aktor' score can rise, the "
        "smallest change (the fewest kinds to add, e.g. 'add a media partner: 1 → 2') with "
        "candidate partners, fewest kinds first; and the estimated effect of taking them all "
        "(scores before and after). `uncertainty` says how far the estimate goes."
    ),
    response_model=IgaPortfolio,
    responses=ERRORS,
)
def iga_gain(
    engine: AnalyticsDep,
    at: DayDep,
    lang: LangDep,
    region: PortfolioScope = None,
    limit: Annotated[int, Query(ge=1, le=500, description="At most this many actions.")] = 20,
) -> Response:
    return answered(engine, engine.iga_portfolio(region, at, limit), lang)


@router.get(
    "/innovations/{innovation_id}/iga-gain",
    summary="The smallest change raising one innovation's estimated IGA actor score",
    description="See `/analytics/iga-gain`; 404 if the innovation is unknown (or not launched).",
    response_model=IgaGain,
    responses=ERRORS,
)
def innovation_iga_gain(
    engine: AnalyticsDep,
    store: StoreDep,
    innovation_id: str,
    at: DayDep,
    lang: LangDep,
    region: RegionScope = None,
) -> Response:
    with outside_explained(store, region, innovations=[innovation_id]):
        return answered(engine, engine.iga_gain(innovation_id, region, at), lang)


@router.get(
    "/analytics/yearly-duty",
    summary="Which perangkat daerah, kecamatan and puskesmas launched no innovation in a year",
    description=(
        "The government units below an organisation in the PART_OF hierarchy, each with the "
        "innovations it owns launched in `year` (default: this year); those with none first. "
        "Innovations without a launch day are counted apart (`undated`)."
    ),
    response_model=YearlyDuty,
    responses=ERRORS,
)
def yearly_duty(
    engine: AnalyticsDep,
    lang: LangDep,
    year: Annotated[
        int | None, Query(ge=1945, le=2100, description="Year (default: this year).")
    ] = None,
    region: PortfolioScope = None,
) -> Response:
    return answered(engine, engine.yearly_duty(year or date.today().year, region), lang)
