"""Partner recommendation rules."""

from __future__ import annotations

import pytest
from analytics_builders import A, C, G, M, N, P, actor, graph, innovation, project, tie

from graph.analytics.recommend import recommend
from graph.errors import NotFound
from graph.models import GraphData
from graph.vocab import Helix


def health_graph() -> GraphData:
    """x (health, Martapura) is carried by dinkes alone; ulm already works with dinkes on y."""
    return graph(
        [
            actor("dinkes", G, district="Martapura"),
            actor("ulm", A, district="Martapura"),
            actor("far-uni", A, region="63.71"),
            actor("busy-uni", A, district="Martapura"),
            actor("radio", M, district="Gambut"),
        ],
        [
            innovation("x", sector="health", district="Martapura"),
            innovation("y", sector="health"),
            *[innovation(f"z{k}", sector="education") for k in range(10)],
        ],
        [
            tie("dinkes", "x", 3),
            tie("dinkes", "y", 2),
            tie("ulm", "y", 2),
            *[tie("busy-uni", f"z{k}") for k in range(10)],
        ],
    )


def test_targets_gaps_and_ranking() -> None:
    r = recommend(project(health_graph()), "x")
    assert [(t.helix, t.why) for t in r.targets] == [
        (A, "missing"),
        (P, "missing"),
        (C, "missing"),
        (N, "missing"),
        (M, "missing"),
        (G, "fragile"),
    ]
    academics = [x for x in r.recommendations if x.helix is Helix.ACADEMIA]
    assert [x.actor_id for x in academics] == ["ulm", "far-uni", "busy-uni"]
    best = academics[0]
    assert best.reason == (
        "brings the missing academia kind; works with DINKES on 1 health innovation (Y); "
        "works in health on 1 of its 1 innovations; same district (Martapura)"
    )
    assert [a.id for a in best.shared_partners] == ["dinkes"]
    assert best.shared_innovations == ["y"]
    assert academics[2].load_penalty > 0 and "already stretched" in academics[2].reason
    assert {g.helix for g in r.gaps} == {P, C, N, G}
    assert "no private actor" in next(g.message for g in r.gaps if g.helix is P)
    assert "no other government actor" in next(g.message for g in r.gaps if g.helix is G)


def test_never_proposes_team_members_or_covered_kinds() -> None:
    data = graph(
        [actor("g1"), actor("g2"), actor("g3"), actor("u1", A), actor("u2", A), actor("m1", M)],
        [innovation("x")],
        [tie("g1", "x"), tie("g2", "x"), tie("u1", "x")],
    )
    r = recommend(project(data), "x")
    ids = {x.actor_id for x in r.recommendations}
    assert ids == {"u2", "m1"}  # g3 is government, which is neither missing nor fragile
    assert next(x for x in r.recommendations if x.actor_id == "u2").why == "fragile"


def test_unknown_innovation() -> None:
    with pytest.raises(NotFound):
        recommend(project(health_graph()), "nope")


def test_limit_per_kind() -> None:
    data = graph(
        [actor("g1"), *[actor(f"u{k}", A) for k in range(8)]],
        [innovation("x")],
        [tie("g1", "x")],
    )
    r = recommend(project(data), "x", limit=3)
    assert len([x for x in r.recommendations if x.helix is A]) == 3
