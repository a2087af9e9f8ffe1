"""Per-innovation metrics against values worked out by hand."""

from __future__ import annotations

import math
from datetime import date

import pytest
from analytics_builders import (
    AT,
    A,
    C,
    G,
    M,
    N,
    P,
    actor,
    graph,
    innovation,
    project,
    team_graph,
    tie,
)
from pydantic import ValidationError

from graph.analytics.innovation_metrics import (
    IGA_KINDS,
    iga_actor_score,
    innovation_metrics,
    under_connected,
    weakest,
)
from graph.analytics.innovation_schemas import InnovationMetrics
from graph.analytics.weights import IndexWeights
from graph.messages import render
from graph.models import GraphData
from graph.vocab import Helix


def one(data: GraphData, **kw: object) -> InnovationMetrics:
    (m,) = innovation_metrics(project(data), **kw)  # type: ignore[arg-type]
    return m


def test_empty_graph_has_no_metrics() -> None:
    assert innovation_metrics(project(GraphData())) == []


def test_innovation_without_ties() -> None:
    m = one(graph([], [innovation("x")]))
    assert (m.coverage, m.diversity, m.resilience, m.actor_count, m.reach) == (0, 0.0, 0.0, 0, 0)
    assert m.missing == [G, A, P, C, N, M]
    assert m.non_government_share == 0.0
    assert m.iga_actor_score == 0
    assert m.under_connected and [r.code for r in m.reasons] == ["no_active_actor"]
    assert render("no_active_actor", {}, "en") == "no active actor: nobody carries it"


def test_single_actor_carries_everything() -> None:
    m = one(team_graph([("dinkes", G, 3)]))
    assert m.coverage == 1
    assert m.resilience == 0.0
    assert m.diversity == 0.0
    assert m.fragile_helices == [G]
    assert [a.id for a in m.critical_actors] == ["dinkes"]
    assert [render(r.code, r.params, "en") for r in m.reasons] == [
        "covers 1 of 6 helix kinds (missing: Academia, Private sector, Community, "
        "Non-governmental organisations and Media)",
        "one actor carries every helix kind",
        "only 1 actor",
    ]
    assert [render(r.code, r.params, "id") for r in m.reasons][1:] == [
        "satu aktor mengusung semua unsur",
        "hanya 1 aktor",
    ]


def test_all_six_kinds_two_actors_each() -> None:
    team = [(f"{h.value}-{k}", h, 2) for h in (G, A, P, C, N, M) for k in (1, 2)]
    m = one(team_graph(team))
    assert m.coverage == 6 and m.missing == []
    assert m.diversity == pytest.approx(1.0)
    assert m.resilience == 1.0
    assert m.fragile_helices == [] and m.critical_actors == []
    assert m.depth == {h: 2 for h in (G, A, P, C, N, M)}
    assert m.non_government_share == pytest.approx(10 / 12, abs=1e-4)
    assert m.iga_actor_score == 3
    assert not m.under_connected and m.reasons == []
    # six kinds, each with strength 4 (fully carried) and two actors; reach 0 (weight 0.2 of
    # the quality): 100 * (6 + 0.8) / 7
    assert m.components.depth == 1.0 and m.components.resilience == 1.0
    assert m.sustainability_index == 97.1


def test_ties_outside_at_do_not_count() -> None:
    data = graph(
        [actor("g1", G), actor("u1", A), actor("m1", M), actor("n1", N)],
        [innovation("x")],
        [
            tie("g1", "x"),
            tie("u1", "x", until=date(2025, 1, 1)),  # ended before
            tie("m1", "x", since=date(2025, 7, 1)),  # starts after
            tie("n1", "x", until=AT),  # until is exclusive
        ],
    )
    m = one(data)
    assert m.coverage == 1 and m.actor_count == 1
    assert one(data, threshold=4).missing == [A, P, C, N, M]
    earlier = innovation_metrics(project(data, date(2024, 6, 1)))[0]
    assert earlier.coverage == 3  # g1, u1 and n1 were active then


def test_fragile_helix_and_critical_actor() -> None:
    m = one(team_graph([("g1", G, 2), ("g2", G, 2), ("u1", A, 1)]))
    assert m.depth == {G: 2, A: 1}
    assert m.fragile_helices == [A]
    assert [a.id for a in m.critical_actors] == ["u1"]
    assert m.resilience == 0.5  # losing u1 leaves 1 of 2 kinds


def test_resilience_between_zero_and_one() -> None:
    m = one(team_graph([("g1", G, 1), ("g2", G, 1), ("c1", C, 1), ("c2", C, 1), ("m1", M, 1)]))
    assert m.resilience == pytest.approx(2 / 3, abs=1e-4)
    one_per_kind = one(team_graph([("g1", G, 1), ("c1", C, 1)]))
    assert one_per_kind.resilience == 0.5
    assert one_per_kind.fragile_helices == [G, C]


def test_diversity_two_equal_kinds_is_ln2_over_ln6() -> None:
    m = one(team_graph([("g1", G, 2), ("u1", A, 2)]))
    assert m.diversity == pytest.approx(math.log(2) / math.log(6), abs=1e-4)


def test_diversity_is_strength_weighted() -> None:
    m = one(team_graph([("g1", G, 3), ("m1", M, 1)]))
    expected = -(0.75 * math.log(0.75) + 0.25 * math.log(0.25)) / math.log(6)
    assert m.diversity == pytest.approx(expected, abs=1e-4)
    assert m.non_government_share == 0.25


def test_reach_counts_innovations_sharing_an_actor() -> None:
    data = graph(
        [actor("g1"), actor("g2"), actor("u1", A)],
        [innovation("a"), innovation("b"), innovation("c")],
        [tie("g1", "a"), tie("g1", "b"), tie("u1", "b"), tie("g2", "c")],
    )
    reach = {m.id: m.reach for m in innovation_metrics(project(data))}
    assert reach == {"a": 1, "b": 1, "c": 0}


def test_sustainability_index_by_hand() -> None:
    m = one(team_graph([("g1", G, 2), ("g2", G, 2), ("u1", A, 1)]))
    # two kinds; government carried by strength 4 (full), academia by one occasional tie (1/4);
    # one of the two kinds backed by two actors; reach 0
    assert m.components.coverage == pytest.approx(1 / 3, abs=1e-4)
    assert m.components.depth == pytest.approx((1 + 0.25) / 2)
    assert m.components.resilience == 0.5
    assert m.components.reach == 0.0
    quality = 0.4 * 0.625 + 0.4 * 0.5 + 0.2 * 0
    assert m.sustainability_index == pytest.approx(100 * (2 + quality) / 7, abs=0.05)
    diversity = -(0.8 * math.log(0.8) + 0.2 * math.log(0.2)) / math.log(6)
    assert m.diversity == pytest.approx(diversity, abs=1e-4)  # reported, not in the index
    assert m.weights == IndexWeights()


def test_weights_are_normalised_and_shown() -> None:
    only_depth = IndexWeights(depth=2, resilience=0, reach=0)
    m = one(team_graph([("g1", G, 1), ("u1", A, 1), ("c1", C, 1)]), weights=only_depth)
    assert m.sustainability_index == round(100 * (3 + 0.25) / 7, 1)
    assert m.weights.depth == 2


def test_weights_must_not_all_be_zero() -> None:
    with pytest.raises(ValidationError):
        IndexWeights(depth=0, resilience=0, reach=0)


def test_iga_actor_score_bands() -> None:
    assert [iga_actor_score(c) for c in range(7)] == [0, 0, 0, 1, 2, 2, 3]


def test_under_connected_rules_and_order() -> None:
    data = graph(
        [actor("g1"), actor("g2"), actor("u1", A), actor("c1", C), actor("m1", M), actor("p1", P)],
        [innovation("solo"), innovation("thin"), innovation("broad")],
        [
            tie("g1", "solo"),
            tie("g1", "thin"),
            tie("u1", "thin"),
            tie("g2", "broad"),
            tie("u1", "broad"),
            tie("c1", "broad"),
            tie("m1", "broad"),
            tie("p1", "broad"),
        ],
    )
    metrics = innovation_metrics(project(data))
    flagged = under_connected(metrics)
    assert [m.id for m in flagged] == ["solo", "thin"]  # lowest index first
    assert [(r.code, r.params) for r in flagged[1].reasons] == [
        ("missing_kinds", {"covered": 2, "missing": ["private", "community", "ngo", "media"]})
    ]
    assert [m.id for m in weakest(metrics, limit=1)] == ["solo"]
    assert [m.id for m in weakest(metrics, only_under_connected=False)][-1] == "broad"
    assert under_connected(innovation_metrics(project(data), threshold=2)) == flagged[:1]


def test_each_helix_kind_is_one_iga_kind() -> None:
    # On purpose: IGA's rubric (IGA_BANDS) counts its own six stakeholder kinds, and the score
    # counts helix kinds as IGA kinds one to one. A new helix kind must say which IGA kind it
    # is (see IGA_BANDS) before this can change.
    assert len(Helix) == IGA_KINDS
