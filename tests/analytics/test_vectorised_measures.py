"""The vectorised and igraph-based measures against networkx (the oracle) on small graphs."""

from __future__ import annotations

import itertools
import math

import igraph
import networkx as nx
import numpy as np
import pytest
from analytics_builders import project
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import sparse

from graph.analytics.actor_metrics import burt, louvain, modularity
from graph.analytics.portfolio import helix_assortativity
from graph.analytics.triangles import transpose_positions, triangles
from graph.synth import generate

Matrix = np.ndarray  # type: ignore[type-arg]


def random_graph(case: tuple[int, list[int], list[int]]) -> Matrix:
    """A symmetric weighted adjacency matrix: weight 0 means no edge."""
    n, weights, _ = case
    adj = np.zeros((n, n))
    for (i, j), w in zip(itertools.combinations(range(n), 2), weights, strict=True):
        adj[i, j] = adj[j, i] = float(w)
    return adj


graphs = st.integers(min_value=1, max_value=14).flatmap(
    lambda n: st.tuples(
        st.just(n),
        st.lists(
            st.sampled_from([0, 0, 0, 1, 2, 3, 5]),
            min_size=n * (n - 1) // 2,
            max_size=n * (n - 1) // 2,
        ),
        st.lists(st.integers(0, 5), min_size=n, max_size=n),
    )
)


def to_networkx(adj: Matrix) -> nx.Graph:
    g = nx.Graph()
    g.add_nodes_from(range(len(adj)))
    for i, j in zip(*np.nonzero(np.triu(adj, 1)), strict=True):
        g.add_edge(int(i), int(j), weight=float(adj[i, j]))
    return g


def close(ours: float, theirs: float) -> bool:
    if math.isnan(theirs):
        return math.isnan(ours)
    return ours == pytest.approx(theirs, rel=1e-9, abs=1e-9)


@settings(max_examples=150, deadline=None)
@given(graphs)
def test_burt_matches_networkx(case: tuple[int, list[int], list[int]]) -> None:
    adj = random_graph(case)
    g = to_networkx(adj)
    constraint, effective = burt(sparse.csr_array(adj))
    nx_constraint = nx.constraint(g, weight="weight")
    # networkx's per-node path: its all-nodes sparse path divides by the column maxima instead
    # of the row maxima on weighted graphs (networkx PR #8906), so it is not the oracle
    nx_effective = nx.effective_size(g, nodes=list(g), weight="weight")
    for k in range(len(adj)):
        assert close(constraint[k], nx_constraint[k]), k
        assert close(effective[k], nx_effective[k]), k


@settings(max_examples=50, deadline=None)
@given(graphs)
def test_unweighted_effective_size_is_borgatti(case: tuple[int, list[int], list[int]]) -> None:
    adj = (random_graph(case) > 0).astype(float)
    _, effective = burt(sparse.csr_array(adj))
    theirs = nx.effective_size(to_networkx(adj), nodes=list(range(len(adj))))  # n - 2t/n
    for k in range(len(adj)):
        assert close(effective[k], theirs[k]), k


def test_burt_hand_worked_triangle_with_pendant() -> None:
    # triangle 0-1-2 (weight 1) and a pendant 3 on 0
    adj = np.zeros((4, 4))
    for i, j in ((0, 1), (0, 2), (1, 2), (0, 3)):
        adj[i, j] = adj[j, i] = 1.0
    constraint, effective = burt(sparse.csr_array(adj))
    # node 0: p = 1/3 to each; via 1 to 2 and via 2 to 1 adds 1/3 * 1/2 each
    assert constraint[0] == pytest.approx(2 * (1 / 3 + 1 / 6) ** 2 + (1 / 3) ** 2)
    # Borgatti: n - 2t/n with n = 3 contacts and t = 1 tie among them
    assert effective[0] == pytest.approx(3 - 2 / 3)
    assert effective[3] == pytest.approx(1.0)


@settings(max_examples=100, deadline=None)
@given(graphs)
def test_triangles_match_igraph(case: tuple[int, list[int], list[int]]) -> None:
    adj = sparse.csr_array(random_graph(case))
    found = sorted(
        tuple(sorted(t))
        for chunk in triangles(adj, max_wedges=7)  # tiny chunks exercise the chunking
        for t in zip(chunk.v.tolist(), chunk.a.tolist(), chunk.b.tolist(), strict=True)
    )
    upper = sparse.triu(adj, k=1, format="coo")
    edges = list(zip(upper.row.tolist(), upper.col.tolist(), strict=True))
    g = igraph.Graph(n=adj.shape[0], edges=edges)
    assert found == sorted(tuple(sorted(t)) for t in g.list_triangles())
    flip = transpose_positions(adj)
    assert (adj.indices[flip] == np.repeat(np.arange(adj.shape[0]), np.diff(adj.indptr))).all()


@settings(max_examples=100, deadline=None)
@given(graphs)
def test_assortativity_matches_networkx(case: tuple[int, list[int], list[int]]) -> None:
    adj = random_graph(case)
    helix = np.array(case[2])
    g = to_networkx(adj)
    nx.set_node_attributes(g, {k: int(h) for k, h in enumerate(helix)}, "helix")
    ours = helix_assortativity(sparse.csr_array(adj), helix)
    if g.number_of_edges() == 0:
        assert ours is None
        return
    with np.errstate(divide="ignore", invalid="ignore"):
        theirs = float(nx.attribute_assortativity_coefficient(g, "helix"))
    if math.isnan(theirs) or math.isinf(theirs):
        assert ours is None
    else:
        assert ours == pytest.approx(theirs, abs=1e-6)


def test_louvain_and_modularity_on_a_synthetic_region() -> None:
    proj = project(generate("regional", 7))
    first = louvain(proj)
    assert first == louvain(proj) == louvain(project(generate("regional", 7)))  # seeded: stable
    assert sorted(a for group in first for a in group) == sorted(a.id for a in proj.actors)
    assert [len(g) for g in first] == sorted((len(g) for g in first), reverse=True)
    ours = modularity(proj, first)
    theirs = nx.community.modularity(proj.graph, first, weight="weight")
    assert ours == pytest.approx(theirs, abs=1e-9)
    # Louvain in igraph finds a partition as good as networkx's (same objective)
    nx_parts = nx.community.louvain_communities(proj.graph, weight="weight", seed=42)
    assert ours >= nx.community.modularity(proj.graph, nx_parts, weight="weight") - 0.02
