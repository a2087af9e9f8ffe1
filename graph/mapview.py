"""What the web map draws, from a store's reads: the regions holding innovations, a region's
nodes and active ties, and stable positions. Pure functions of the store and the graph version;
the service keeps their answers per version (`service.shared.KeptAnswers`), its web routes and
the worker ask them here.
"""

from __future__ import annotations

import time
from collections import Counter
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from graph.analytics.portfolio_schemas import CommunitiesResult
from graph.asof import active_view
from graph.errors import NotFound
from graph.layout import Layout, compute_positions
from graph.mapcommunities import COMMUNITY_EXAMPLE, CommunityNode, CommunityTie, grouping, overview
from graph.models import Actor, Collaboration, Innovation, model_examples
from graph.provenance import (
    CollaborationOut,
    IllustrativeShare,
    PartnershipOut,
    illustrative_share,
    partnership_with_provenance,
    with_provenance,
)
from graph.regions import region_contains
from graph.store import MAX_PAGE, InnovationFilter, PageRequest, Store

MAX_MAP_NODES = 4000
"""Above this many nodes the map shows regions instead of drawing every node."""
MAX_DRAWN_NODES = 1000
"""Above this many nodes (and up to MAX_MAP_NODES) a region's map is its communities, one node
each, with a drill-down into each (graph.mapcommunities). Measured with bench.page_national in
headless Chromium on this machine (software drawing, 2 cores shared; bench/results/LIVE.md,
Chromium section): the default region drawn node by node (2,672 nodes, 10,637 elements) was
ready in 4.1-6.0 s, its first frame alone 1.8 s, a hairball at every zoom; region 81.03 (1,196
nodes, 4,396 elements) still took 4.0 s to its first view, its first frame a 1.2 s task. The
first frame's cost follows the elements drawn; under 1,000 nodes (about 3,300 elements) it
stays under a second. The Banjar seed (176 nodes) is drawn node by node."""

MapView = Literal["nodes", "communities", "regions"]


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
    version (`view` "nodes"). A region with more than `draw_limit` nodes is answered by
    community (`view` "communities": `communities` and `community_ties`, no node lists; one of
    them is drawn with `community=`); one with more than `max_nodes` (`too_large`, `view`
    "regions") counts innovations per region inside it in `aggregate` instead."""

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
                    "view": "nodes",
                    "draw_limit": MAX_DRAWN_NODES,
                    "community": None,
                    "communities": [],
                    "community_ties": [],
                },
                {
                    "version": 12,
                    "region": "74.06",
                    "at": "2025-06-01",
                    "node_count": 2672,
                    "too_large": False,
                    "max_nodes": MAX_MAP_NODES,
                    "innovations": [],
                    "not_launched": 0,
                    "actors": [],
                    "collaborations": [],
                    "partnerships": [],
                    "illustrative": {
                        "innovations": 800,
                        "illustrative_innovations": 800,
                        "ties": 7165,
                        "illustrative_ties": 7165,
                        "partnerships": 800,
                        "illustrative_partnerships": 800,
                    },
                    "aggregate": [],
                    "view": "communities",
                    "draw_limit": MAX_DRAWN_NODES,
                    "community": None,
                    "communities": [COMMUNITY_EXAMPLE],
                    "community_ties": [{"source": 0, "target": 3, "ties": 41, "illustrative": 41}],
                    "innovations_without_community": 0,
                    "actors_without_community": 0,
                },
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
    view: MapView = Field(
        "nodes",
        description="`nodes`: the lists are drawn one node each (the region, or with "
        "`community` one community of it); `communities`: the region has more than "
        "`draw_limit` nodes and is drawn one node per community (`communities`, "
        "`community_ties`); `regions`: too large, see `aggregate`.",
    )
    draw_limit: int = Field(
        MAX_DRAWN_NODES,
        description="Most nodes drawn one by one; a region with more is answered by community.",
    )
    community: int | None = Field(
        None, description="The community drawn (`community=`), else null: the whole region."
    )
    communities: list[CommunityNode] = Field(
        default_factory=list,
        description="View `communities`: the region's Louvain communities (those of "
        "`/analytics/communities` for the same region and day), largest first; else empty.",
    )
    community_ties: list[CommunityTie] = Field(
        default_factory=list,
        description="View `communities`: active ties between communities, counted per pair; "
        "else empty.",
    )
    innovations_without_community: int = Field(
        0,
        description="View `communities`: launched innovations in no community (no active tie "
        "to an actor of one); not drawn.",
    )
    actors_without_community: int = Field(
        0,
        description="View `communities`: actors in no community (added since the communities "
        "were computed; they are while stale); not drawn.",
    )


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


def inside_regions(regions: Regions, region: str | None) -> list[RegionCount]:
    """The regions of the list that lie in `region` (all of them for None)."""
    return [r for r in regions.regions if region_contains(region, r.code)]


def map_data_of(
    drawn: Store, regions: Regions, version: int, region: str | None, at: date
) -> MapData:
    """What the map draws of `region` on `at` from `drawn` (the store, or its reported part):
    its innovations and actors with the ties active on `at`; a region with more than
    `MAX_MAP_NODES` nodes is not drawn but counted per region inside it."""
    inside = inside_regions(regions, region)

    def too_large(node_count: int) -> MapData:
        """Not drawn: the count, and the regions inside with their counts."""
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
            view="regions",
        )

    innovations = sum(r.innovations for r in inside)
    if innovations > MAX_MAP_NODES:
        return too_large(innovations)
    data = drawn.snapshot(region)
    node_count = len(data.innovations) + len(data.actors)
    if node_count > MAX_MAP_NODES:
        return too_large(node_count)
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


def layout_of(store: Store, regions: Regions, version: int, region: str | None) -> Layout:
    """The region's layout (no nodes when it is too large to draw)."""
    inside = inside_regions(regions, region)
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


def _drawn_ties(data: MapData) -> list[tuple[str, str]]:
    return [(t.actor_id, t.innovation_id) for t in data.collaborations]


def by_community(data: MapData, communities: CommunitiesResult) -> MapData:
    """The region's map (`data`, drawn node by node) as its communities: one node each, the
    ties between them counted, no node lists."""
    group = grouping(communities, (a.id for a in data.actors), _drawn_ties(data))
    nodes, ties = overview(
        group, data.actors, data.innovations, data.collaborations, data.partnerships
    )
    return data.model_copy(
        update={
            "view": "communities",
            "innovations": [],
            "actors": [],
            "collaborations": [],
            "partnerships": [],
            "communities": nodes,
            "community_ties": ties,
            "innovations_without_community": sum(
                i.id not in group.innovation_community for i in data.innovations
            ),
            "actors_without_community": sum(a.id not in group.actor_community for a in data.actors),
        }
    )


def community_map(data: MapData, communities: CommunitiesResult, community: int) -> MapData:
    """One community of the region's map (`data`): its actors, the innovations it carries and
    the active ties between them (NotFound when the region has no such community)."""
    if not any(c.id == community for c in communities.communities):
        raise NotFound(
            f"community {community} not found in {data.region or 'Indonesia'} on "
            f"{data.at.isoformat()} (it has {len(communities.communities)}, numbered from 0)"
        )
    group = grouping(communities, (a.id for a in data.actors), _drawn_ties(data))
    actors = [a for a in data.actors if group.actor_community.get(a.id) == community]
    innovations = [i for i in data.innovations if group.innovation_community.get(i.id) == community]
    actor_ids = {a.id for a in actors}
    innovation_ids = {i.id for i in innovations}
    return data.model_copy(
        update={
            "community": community,
            "node_count": len(actors) + len(innovations),
            "not_launched": 0,
            "innovations": innovations,
            "actors": actors,
            "collaborations": [
                t
                for t in data.collaborations
                if t.actor_id in actor_ids and t.innovation_id in innovation_ids
            ],
            "partnerships": [
                p
                for p in data.partnerships
                if p.source_id in actor_ids and p.target_id in actor_ids
            ],
        }
    )
