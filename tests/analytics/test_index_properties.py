"""The sustainability index agrees with coverage (property tests on random teams):

(a) adding an actor of a missing kind never lowers an innovation's index, and removing the only
    actor of a kind never raises it;
(b) an innovation never outranks one covering more kinds unless better on every other
    component;
(c) a kind present by one occasional tie counts less than the same kind carried by several.
"""

from __future__ import annotations

from analytics_builders import actor, graph, innovation, project, tie
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.analytics.innovation_metrics import innovation_metrics
from graph.analytics.innovation_schemas import InnovationMetrics
from graph.models import GraphData
from graph.vocab import Helix

HELIXES = list(Helix)

# A team: (helix, strength) per actor of the innovation "x"; other innovations "o0".. share
# some of its actors (reach).
members = st.lists(st.tuples(st.sampled_from(HELIXES), st.integers(1, 3)), min_size=0, max_size=10)
shared = st.lists(st.integers(0, 9), max_size=8)


def build(
    team: list[tuple[Helix, int]], links: list[int], extra: list[tuple[Helix, int]]
) -> GraphData:
    """Innovation x with `team` + `extra`; innovation o<k> shares actor k of the team."""
    everyone = team + extra
    actors = [actor(f"a{k}", h) for k, (h, _) in enumerate(everyone)]
    ties = [tie(f"a{k}", "x", s) for k, (_, s) in enumerate(everyone)]
    others = sorted({k for k in links if k < len(team)})
    ties += [tie(f"a{k}", f"o{k}") for k in others]
    return graph(actors, [innovation("x"), *[innovation(f"o{k}") for k in others]], ties)


def x_metrics(data: GraphData) -> InnovationMetrics:
    return next(m for m in innovation_metrics(project(data)) if m.id == "x")


@settings(max_examples=150, deadline=None)
@given(members, shared, st.sampled_from(HELIXES), st.integers(1, 3))
def test_a_adding_a_missing_kind_never_lowers_the_index(
    team: list[tuple[Helix, int]], links: list[int], new: Helix, strength: int
) -> None:
    present = {h for h, _ in team}
    if new in present:
        return
    before = x_metrics(build(team, links, []))
    after = x_metrics(build(team, links, [(new, strength)]))
    assert after.coverage == before.coverage + 1
    assert after.sustainability_index >= before.sustainability_index


@settings(max_examples=150, deadline=None)
@given(members, shared)
def test_a_removing_the_only_actor_of_a_kind_never_raises_the_index(
    team: list[tuple[Helix, int]], links: list[int]
) -> None:
    for k, (h, _) in enumerate(team):
        if sum(1 for g, _ in team if g == h) != 1:
            continue
        before = x_metrics(build(team, links, []))
        without = team[:k] + team[k + 1 :]
        # the links follow the actors that stay (actor numbers shift after k)
        kept = [j if j < k else j - 1 for j in links if j != k]
        after = x_metrics(build(without, kept, []))
        assert after.coverage == before.coverage - 1
        assert after.sustainability_index <= before.sustainability_index


@settings(max_examples=150, deadline=None)
@given(members, shared, members, shared)
def test_b_fewer_kinds_never_outrank_more_unless_better_on_every_other_component(
    team1: list[tuple[Helix, int]],
    links1: list[int],
    team2: list[tuple[Helix, int]],
    links2: list[int],
) -> None:
    m1 = x_metrics(build(team1, links1, []))
    m2 = x_metrics(build(team2, links2, []))
    if m1.coverage == m2.coverage:
        return
    fewer, more = (m1, m2) if m1.coverage < m2.coverage else (m2, m1)
    if fewer.sustainability_index > more.sustainability_index:
        others = ("depth", "resilience", "reach")
        assert all(getattr(fewer.components, c) > getattr(more.components, c) for c in others), (
            fewer,
            more,
        )


@settings(max_examples=150, deadline=None)
@given(
    members, shared, st.sampled_from(HELIXES), st.lists(st.integers(1, 3), min_size=2, max_size=4)
)
def test_c_one_occasional_tie_counts_less_than_several(
    team: list[tuple[Helix, int]], links: list[int], new: Helix, strengths: list[int]
) -> None:
    if new in {h for h, _ in team}:
        return
    thin = x_metrics(build(team, links, [(new, 1)]))
    carried = x_metrics(build(team, links, [(new, s) for s in strengths]))
    assert thin.coverage == carried.coverage
    assert carried.sustainability_index > thin.sustainability_index


def test_the_what_if_case_removing_ulm_from_mitra_bungas_banjar() -> None:
    """The issue's case on the seed: removing ULM takes MITRA BUNGAS BANJAR from 4 kinds to 3;
    its index must not rise (it rose by 1.6 under the old weighted mean)."""
    from analytics_builders import AT

    from graph.analytics.weights import IndexWeights
    from graph.analytics.whatif import what_if
    from graph.analytics.whatif_schemas import WhatIfRequest
    from graph.bundle import load_seed

    seed = load_seed()
    day = max(AT, *(i.launched_on for i in seed.innovations if i.launched_on))
    result = what_if(
        project(seed, day), WhatIfRequest(remove_actors=["universitas-a"]), IndexWeights(), 4
    )
    change = next(c for c in result.changes if c.id == "sadar-data")
    assert change.coverage_delta == -1
    assert change.sustainability_delta < 0
    assert [n.code for n in change.notes][:1] == ["whatif_loses_kinds"]
