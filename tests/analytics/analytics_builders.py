"""Small hand-made graphs for the analytics tests."""

from __future__ import annotations

from datetime import date

from graph.analytics.projection import Projection
from graph.models import Actor, Collaboration, GraphData, Innovation, Partnership
from graph.vocab import Helix, Origin, PartnershipKind, Role

START = date(2024, 1, 1)
AT = date(2025, 6, 1)

G, A, P, C, N, M = (
    Helix.GOVERNMENT,
    Helix.ACADEMIA,
    Helix.PRIVATE,
    Helix.COMMUNITY,
    Helix.NGO,
    Helix.MEDIA,
)


def actor(
    id: str,
    helix: Helix = G,
    region: str = "63.03",
    district: str | None = None,
    sector: str | None = None,
) -> Actor:
    return Actor(
        id=id, name=id.upper(), helix=helix, region=region, district=district, sector=sector
    )


def innovation(
    id: str, sector: str | None = None, district: str | None = None, region: str = "63.03"
) -> Innovation:
    return Innovation(
        id=id,
        name=id.upper(),
        origin=Origin.PERANGKAT_DAERAH,
        region=region,
        sector=sector,
        district=district,
    )


def tie(
    actor_id: str,
    innovation_id: str,
    strength: int = 1,
    since: date = START,
    until: date | None = None,
) -> Collaboration:
    return Collaboration(
        actor_id=actor_id,
        innovation_id=innovation_id,
        role=Role.IMPLEMENTER,
        strength=strength,
        since=since,
        until=until,
    )


def partner(
    a: str, b: str, kind: PartnershipKind = PartnershipKind.INFORMAL, since: date = START
) -> Partnership:
    return Partnership(source_id=a, target_id=b, kind=kind, since=since)


def graph(
    actors: list[Actor],
    innovations: list[Innovation] | None = None,
    ties: list[Collaboration] | None = None,
    partnerships: list[Partnership] | None = None,
) -> GraphData:
    return GraphData(
        actors=actors,
        innovations=innovations or [],
        collaborations=ties or [],
        partnerships=partnerships or [],
    )


def team_graph(team: list[tuple[str, Helix, int]], innovation_id: str = "x") -> GraphData:
    """One innovation and its team of (actor id, helix, strength)."""
    return graph(
        [actor(a, h) for a, h, _ in team],
        [innovation(innovation_id)],
        [tie(a, innovation_id, s) for a, _, s in team],
    )


def project(data: GraphData, at: date = AT) -> Projection:
    return Projection(data, at)
