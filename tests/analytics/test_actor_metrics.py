"""Actor-projection measures against hand values on small graphs."""

from __future__ import annotations

import itertools
import math

import networkx as nx
import numpy as np
import pytest
from analytics_builders import A, G, M, actor, graph, innovation, partner, project, tie
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import sparse

from graph.analytics.actor_metrics import actor_metrics, betweenness, brokerage_counts, pagerank
from graph.analytics.actor_schemas import ActorMetrics
from graph.models import GraphData
from graph.synth import generate
from graph.vocab import Helix, PartnershipKind


def by_id(data: GraphData) -> dict[str, ActorMetrics]:
    return {m.id: m for m in actor_metrics(project(data)).metrics}


def star() -> GraphData:
    """Centre gov 'c' partnered (informal, weight 1) with three leaves."""
    return graph(
        [actor("c"), actor("l1", A), actor("l2", A), actor("l3", M)],
        partnerships=[partner("c", "l1"), partner("c", "l2"), partner("c", "l3")],
    )


def test_projection_weights() -> None:
    data = graph(
        [actor("a"), actor("b"), actor("c"), actor("d")],
        [innovation("x"), innovation("y")],
        [
            tie("a", "x", 3),
            tie("b", "x", 3),
            tie("c", "x", 1),
            tie("a", "y", 1),
            tie("d", "y", 1),
        ],
        [partner("a", "d", PartnershipKind.MOU)],
    )
    g = project(data).graph
    assert g["a"]["b"]["weight"] == pytest.approx(3.0)  # sqrt(3 * 3)
    assert g["a"]["c"]["weight"] == pytest.approx(math.sqrt(3))
    assert g["a"]["d"]["weight"] == pytest.approx(1 + 2)  # shared y + MoU
    assert g["a"]["d"]["partnership"] == "mou" and g["a"]["d"]["shared"] == 1
    assert g["a"]["b"]["cost"] == pytest.approx(1 / 3)


def test_star_degree_constraint_effective_size_betweenness() -> None:
    m = by_id(star())
    centre, leaf = m["c"], m["l1"]
    assert (centre.degree, centre.weighted_degree) == (3, 3.0)
    assert centre.constraint == pytest.approx(1 / 3, abs=1e-6)  # 3 * (1/3)^2
    assert centre.effective_size == pytest.approx(3.0)
    assert leaf.constraint == pytest.approx(1.0)
    assert leaf.effective_size == pytest.approx(1.0)
    assert centre.betweenness == pytest.approx(1.0)  # all 3 leaf pairs pass through it
    assert leaf.betweenness == 0.0
    assert centre.partnership_count == 3 and centre.active_ties == 3
    ranks = nx.pagerank(project(star()).graph, weight="weight")
    assert centre.pagerank == pytest.approx(ranks["c"], abs=1e-6)


def test_isolated_actor_has_null_burt_measures() -> None:
    m = by_id(graph([actor("alone"), actor("b"), actor("c")], partnerships=[partner("b", "c")]))
    assert m["alone"].degree == 0
    assert m["alone"].constraint is None and m["alone"].effective_size is None
    assert m["alone"].pagerank > 0


def path_roles(helices: tuple[Helix, Helix, Helix]) -> dict[str, int]:
    """Brokerage of the middle actor of a path a - b - c with the given kinds."""
    data = graph(
        [actor("a", helices[0]), actor("b", helices[1]), actor("c", helices[2])],
        partnerships=[partner("a", "b"), partner("b", "c")],
    )
    return by_id(data)["b"].brokerage.model_dump()


def test_gould_fernandez_coordinator() -> None:
    assert path_roles((G, G, G)) == {
        "coordinator": 1,
        "itinerant": 0,
        "representative": 0,
        "gatekeeper": 0,
        "liaison": 0,
        "cross_helix": 0,
    }


def test_gould_fernandez_itinerant() -> None:
    roles = path_roles((G, A, G))
    assert roles["itinerant"] == 1 and roles["cross_helix"] == 1
    assert roles["coordinator"] == roles["liaison"] == roles["representative"] == 0


def test_gould_fernandez_representative_and_gatekeeper() -> None:
    roles = path_roles((G, G, A))
    assert roles["representative"] == roles["gatekeeper"] == 1
    assert roles["coordinator"] == roles["itinerant"] == roles["liaison"] == 0


def test_gould_fernandez_liaison() -> None:
    roles = path_roles((G, A, M))
    assert roles["liaison"] == 1 and roles["cross_helix"] == 1


def test_closed_triad_brokers_nothing() -> None:
    data = graph(
        [actor("a", G), actor("b", A), actor("c", M)],
        partnerships=[partner("a", "b"), partner("b", "c"), partner("a", "c")],
    )
    assert all(v == 0 for v in by_id(data)["b"].brokerage.model_dump().values())


def brute_force(adj: np.ndarray, helix: np.ndarray) -> dict[str, list[int]]:  # type: ignore[type-arg]
    n = len(helix)
    out = {k: [0] * n for k in ("coordinator", "itinerant", "representative", "liaison")}
    for b in range(n):
        neighbours = [x for x in range(n) if adj[b, x]]
        for a, c in itertools.combinations(neighbours, 2):
            if adj[a, c]:
                continue
            ga, gb, gc = helix[a], helix[b], helix[c]
            if ga == gb == gc:
                out["coordinator"][b] += 1
            elif ga == gc:
                out["itinerant"][b] += 1
            elif gb in (ga, gc):
                out["representative"][b] += 1
            else:
                out["liaison"][b] += 1
    return out


@settings(max_examples=60, deadline=None)
@given(
    st.integers(min_value=2, max_value=12).flatmap(
        lambda n: st.tuples(
            st.lists(st.integers(0, 5), min_size=n, max_size=n),
            st.lists(st.booleans(), min_size=n * (n - 1) // 2, max_size=n * (n - 1) // 2),
        )
    )
)
def test_brokerage_matches_brute_force(case: tuple[list[int], list[bool]]) -> None:
    helix_list, flags = case
    n = len(helix_list)
    adj = np.zeros((n, n))
    for (i, j), on in zip(itertools.combinations(range(n), 2), flags, strict=True):
        adj[i, j] = adj[j, i] = float(on)
    helix = np.array(helix_list)
    fast = brokerage_counts(sparse.csr_array(adj), helix)
    slow = brute_force(adj, helix)
    for role, counts in slow.items():
        assert fast[role].tolist() == counts, role


def test_pagerank_matches_networkx() -> None:
    proj = project(generate("regional", 7))
    ours = pagerank(proj.adjacency)
    theirs = nx.pagerank(proj.graph, weight="weight", tol=1e-12)
    assert max(abs(ours[k] - theirs[a.id]) for k, a in enumerate(proj.actors)) < 1e-6


def test_betweenness_matches_networkx() -> None:
    proj = project(generate("regional", 7))
    ours = betweenness(proj)
    theirs = nx.betweenness_centrality(proj.graph, weight="cost")
    # equal up to float ties between equally long paths
    assert max(abs(ours[k] - theirs[a.id]) for k, a in enumerate(proj.actors)) < 1e-3


def test_louvain_finds_two_cliques_and_is_stable() -> None:
    left = [f"l{k}" for k in range(4)]
    right = [f"r{k}" for k in range(4)]
    pairs = list(itertools.combinations(left, 2)) + list(itertools.combinations(right, 2))
    data = graph(
        [actor(a) for a in left + right],
        partnerships=[partner(a, b) for a, b in [*pairs, ("l0", "r0")]],
    )
    first = actor_metrics(project(data))
    second = actor_metrics(project(data))
    assert sorted(first.communities) == [left, right]
    assert first.communities == second.communities
    assert {m.community for m in first.metrics if m.id in left} != {
        m.community for m in first.metrics if m.id in right
    }
