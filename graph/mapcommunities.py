"""A large region's map by community: the overview (one node per Louvain community, the ties
between them counted) and the drill-down into one community, both from the region's map data
(`graph.mapview.MapData`) and the analytics engine's communities of the same region and day
(`Analytics.communities`: the dashboard's, never computed a second way here).

An innovation belongs to the community holding most of the actors of its active ties (owners'
implicit ties included, as the map draws them); a tie between two communities breaks to the lower
community number (the larger community). An innovation without an active tie, and an actor the
communities do not know (added since they were computed), are in no community: counted, not drawn.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, Field

from graph.analytics.innovation_schemas import ActorRef
from graph.analytics.portfolio_schemas import CommunitiesResult, Community
from graph.layout import EXTENT, spread
from graph.models import Actor, Innovation
from graph.provenance import CollaborationOut, PartnershipOut, is_reported
from graph.vocab import Helix, Provenance

COMMUNITY_EXAMPLE: dict[str, Any] = {
    "id": 0,
    "actors": 212,
    "innovations": 64,
    "illustrative_actors": 212,
    "illustrative_innovations": 64,
    "helix_mix": {"government": 80, "academia": 30, "private": 40, "community": 42, "media": 20},
    "coverage": 5,
    "top_actors": [
        {
            "id": "dinas-kesehatan",
            "name": "Dinas Kesehatan (contoh)",
            "helix": "government",
            "provenance": "illustrative",
        }
    ],
    "ties_inside": 640,
    "x": 412.5,
    "y": 388.1,
}


class CommunityNode(BaseModel):
    """One community of the region drawn as one node of the overview."""

    id: int = Field(
        description="Community number as `/analytics/communities` gives it (0 is the largest); "
        "`community=` of `/map` draws it."
    )
    actors: int = Field(description="Actors in it (drawn in the region's map).")
    innovations: int = Field(
        description="Innovations it carries: those with most of their active ties' actors in it."
    )
    illustrative_actors: int = Field(description="Of its actors, illustrative (invented) ones.")
    illustrative_innovations: int = Field(
        description="Of its innovations, illustrative (invented) ones."
    )
    helix_mix: dict[Helix, int] = Field(
        description="Actors per helix kind, as `/analytics/communities` (kinds without actors "
        "left out)."
    )
    coverage: int = Field(description="Helix kinds present among its actors.")
    top_actors: list[ActorRef] = Field(description="Up to five members with most weight.")
    ties_inside: int = Field(
        description="Active ties with both ends in it: collaborations of its actors with its "
        "innovations, and partnerships between its actors."
    )
    x: float = Field(description="Horizontal position in the overview, about 0..1000.")
    y: float = Field(
        description="Vertical position (grows downwards): 0..1000 for the communities tied to "
        "each other; communities without a tie to another lie in rows below."
    )


class CommunityTie(BaseModel):
    """The active ties between two communities, counted."""

    source: int = Field(description="The lower community number.")
    target: int = Field(description="The higher community number.")
    ties: int = Field(
        description="Collaborations of an actor of one with an innovation of the other, plus "
        "partnerships between their actors."
    )
    illustrative: int = Field(
        description="Of them, illustrative (invented) ones: drawn dashed unless this is 0."
    )


def community_of_innovations(
    actor_community: dict[str, int], ties: Iterable[tuple[str, str]]
) -> dict[str, int]:
    """Each innovation's community: the one holding most of its tied actors, the lower number on
    a tie; `ties` are (actor id, innovation id). Innovations whose actors are in no community
    are left out.

    >>> community_of_innovations({"a": 0, "b": 1, "c": 1, "d": 2},
    ...     [("a", "x"), ("b", "x"), ("c", "x"), ("a", "y"), ("d", "y"), ("z", "w")])
    {'x': 1, 'y': 0}
    """
    counts: dict[str, Counter[int]] = defaultdict(Counter)
    for actor, innovation in ties:
        if actor in actor_community:
            counts[innovation][actor_community[actor]] += 1
    return {
        innovation: min(by.items(), key=lambda kv: (-kv[1], kv[0]))[0]
        for innovation, by in counts.items()
    }


LONE_GAP = 40.0
"""Spacing of the communities without a tie to another, in rows under the others (they are
mostly single actors, drawn as small dots)."""
LONE_BELOW = 150.0
"""How far under the tied communities' square the rows of lone ones start: clear of the
largest pie drawn at its edge."""


def _positions(
    nodes: Iterable[int], ties: dict[tuple[int, int], int]
) -> dict[int, tuple[float, float]]:
    """Where each community sits: those tied to another spring-laid in the 0..EXTENT square
    (more ties pull closer, by the logarithm: a few large counts would otherwise stack their
    ends), the others in rows under it.

    >>> spots = _positions([0, 1, 2, 3], {(0, 1): 5, (1, 2): 1})
    >>> sorted(spots) == [0, 1, 2, 3] and spots[3] == (0.0, EXTENT + LONE_BELOW)
    True
    """
    import networkx as nx  # on first use, as graph.layout: a reader's start-up never needs it

    tied = {c for pair in ties for c in pair}
    graph = nx.Graph()
    for (a, b), n in ties.items():
        graph.add_edge(f"{a:06d}", f"{b:06d}", weight=math.log1p(n))  # keys sort as numbers
    where = {int(key): xy for key, xy in spread(graph).items()}
    lone = sorted(set(nodes) - tied)
    top = max([EXTENT, *(y for _, y in where.values())]) + LONE_BELOW
    per_row = int(EXTENT // LONE_GAP) + 1
    for k, community in enumerate(lone):
        where[community] = (LONE_GAP * (k % per_row), top + LONE_GAP * (k // per_row))
    return where


@dataclass(frozen=True)
class Grouping:
    """The region's drawn nodes placed in communities."""

    actor_community: dict[str, int]
    innovation_community: dict[str, int]
    by_id: dict[int, Community]


def grouping(
    communities: CommunitiesResult, actor_ids: Iterable[str], ties: Iterable[tuple[str, str]]
) -> Grouping:
    """The communities of the drawn actors (`actor_ids`) and of the innovations their active
    `ties` (actor id, innovation id) reach."""
    drawn = set(actor_ids)
    actor_community = {
        actor: c.id for c in communities.communities for actor in c.actors if actor in drawn
    }
    return Grouping(
        actor_community=actor_community,
        innovation_community=community_of_innovations(actor_community, ties),
        by_id={c.id: c for c in communities.communities},
    )


def _held(
    nodes: Iterable[Actor | Innovation], community: dict[str, int]
) -> tuple[Counter[int], Counter[int]]:
    """How many of `nodes` each community holds, and how many of those are illustrative."""
    held: Counter[int] = Counter()
    invented: Counter[int] = Counter()
    for node in nodes:
        c = community.get(node.id)
        if c is not None:
            held[c] += 1
            invented[c] += node.provenance is Provenance.ILLUSTRATIVE
    return held, invented


def overview(
    group: Grouping,
    actors: Iterable[Actor],
    innovations: Iterable[Innovation],
    collaborations: Iterable[CollaborationOut],
    partnerships: Iterable[PartnershipOut],
) -> tuple[list[CommunityNode], list[CommunityTie]]:
    """One node per community with drawn actors, and the ties between communities counted."""
    actors_in, invented_actors = _held(actors, group.actor_community)
    innovations_in, invented_innovations = _held(innovations, group.innovation_community)
    inside: Counter[int] = Counter()
    between: Counter[tuple[int, int]] = Counter()
    invented: Counter[tuple[int, int]] = Counter()
    ends = [
        (
            group.actor_community.get(t.actor_id),
            group.innovation_community.get(t.innovation_id),
            t.source,
        )
        for t in collaborations
    ] + [
        (group.actor_community.get(p.source_id), group.actor_community.get(p.target_id), p.source)
        for p in partnerships
    ]
    for a, b, source in ends:
        if a is None or b is None:
            continue
        if a == b:
            inside[a] += 1
            continue
        pair = (min(a, b), max(a, b))
        between[pair] += 1
        invented[pair] += not is_reported(source)
    shown = sorted(actors_in)
    where = _positions(shown, dict(between))
    nodes = [
        CommunityNode(
            id=c,
            actors=actors_in[c],
            innovations=innovations_in[c],
            illustrative_actors=invented_actors[c],
            illustrative_innovations=invented_innovations[c],
            helix_mix=group.by_id[c].helix_mix,
            coverage=group.by_id[c].coverage,
            top_actors=group.by_id[c].top_actors,
            ties_inside=inside[c],
            x=round(where[c][0], 2),
            y=round(where[c][1], 2),
        )
        for c in shown
    ]
    ties = [
        CommunityTie(source=a, target=b, ties=n, illustrative=invented[(a, b)])
        for (a, b), n in sorted(between.items())
    ]
    return nodes, ties
