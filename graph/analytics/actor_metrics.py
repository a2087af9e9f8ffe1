"""Per-actor network measures on the actor projection.

Degree, PageRank and brokerage run on the scipy matrices; betweenness, Burt's measures and
Louvain run on the networkx graph of the projection.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

import networkx as nx
import numpy as np
from scipy import sparse

from graph.analytics.projection import N_HELIX, FloatArray, IntArray, Projection
from graph.analytics.schemas import ActorMetrics, Brokerage

SEED = 42
"""Seed of Louvain and of sampled betweenness: results are stable between runs."""
EXACT_BETWEENNESS_LIMIT = 5000
"""Above this many actors, betweenness is sampled from 256 sources (see docs/METRICS.md)."""
BETWEENNESS_SAMPLES = 256


def pagerank(adjacency: sparse.csr_array, damping: float = 0.85, tol: float = 1e-10) -> FloatArray:
    """Weighted PageRank by power iteration on a symmetric sparse matrix.

    Dangling (isolated) nodes spread their rank evenly, as `nx.pagerank` does.

    >>> a = sparse.csr_array(np.array([[0, 1, 1], [1, 0, 0], [1, 0, 0]], dtype=float))
    >>> [round(float(x), 4) for x in pagerank(a)]
    [0.4865, 0.2568, 0.2568]
    """
    n = adjacency.shape[0]
    if n == 0:
        return np.zeros(0)
    out = np.asarray(adjacency.sum(axis=1)).ravel()
    dangling = out == 0
    inv = np.divide(1.0, out, out=np.zeros(n), where=~dangling)
    transition = sparse.csr_array(sparse.diags_array(inv) @ adjacency)
    rank = np.full(n, 1.0 / n)
    for _ in range(1000):
        spread = rank[dangling].sum() / n
        new = damping * (transition.T @ rank + spread) + (1 - damping) / n
        if np.abs(new - rank).sum() < n * tol:
            return np.asarray(new)
        rank = new
    return np.asarray(rank)


def brokerage_counts(adjacency: sparse.csr_array, helix: IntArray) -> dict[str, IntArray]:
    """Gould-Fernandez counts per actor over unordered open two-paths a-b-c with broker b.

    All pairs of b's neighbours are counted from the helix counts of its neighbourhood; the
    closed pairs (a linked to c) are counted with sparse products and subtracted.

    >>> # a path gov - aca - gov: the academic is an itinerant broker
    >>> a = sparse.csr_array(np.array([[0, 1, 0], [1, 0, 1], [0, 1, 0]], dtype=float))
    >>> {k: v.tolist() for k, v in brokerage_counts(a, np.array([0, 1, 0])).items()}["itinerant"]
    [0, 1, 0]
    """
    n = adjacency.shape[0]
    adj = sparse.csr_array(adjacency.copy())
    adj.data = np.ones_like(adj.data)
    onehot = sparse.csr_array((np.ones(n), (np.arange(n), helix)), shape=(n, N_HELIX))
    by_kind = np.asarray((adj @ onehot).toarray(), dtype=np.int64)  # neighbours per kind
    own = by_kind[np.arange(n), helix] if n else np.zeros(0, dtype=np.int64)
    degree = by_kind.sum(axis=1)
    other = degree - own
    pairs_in_kind = by_kind * (by_kind - 1) // 2
    coord_all = own * (own - 1) // 2
    itin_all = pairs_in_kind.sum(axis=1) - coord_all
    mixed_all = own * other
    sq = (by_kind**2).sum(axis=1) - own**2
    liaison_all = (other**2 - sq) // 2

    coo = adj.tocoo()
    same_mask = helix[coo.row] == helix[coo.col]
    same = sparse.csr_array(
        (coo.data[same_mask], (coo.row[same_mask], coo.col[same_mask])), shape=(n, n)
    )
    diff = sparse.csr_array(
        (coo.data[~same_mask], (coo.row[~same_mask], coo.col[~same_mask])), shape=(n, n)
    )

    def rowsum(m: sparse.csr_array) -> IntArray:
        return np.rint(np.asarray(m.sum(axis=1)).ravel()).astype(np.int64)

    closed_all = rowsum((adj @ adj) * adj) // 2
    closed_coord = rowsum((same @ same) * same) // 2
    closed_mixed = rowsum((same @ diff) * diff)
    closed_itin = rowsum((diff @ same) * diff) // 2
    closed_liaison = closed_all - closed_coord - closed_mixed - closed_itin

    coordinator = coord_all - closed_coord
    itinerant = itin_all - closed_itin
    mixed = mixed_all - closed_mixed
    liaison = liaison_all - closed_liaison
    return {
        "coordinator": coordinator,
        "itinerant": itinerant,
        "representative": mixed,
        "gatekeeper": mixed,
        "liaison": liaison,
        "cross_helix": itinerant + mixed + liaison,
    }


def betweenness(proj: Projection) -> FloatArray:
    """Normalised betweenness on the projection with edge length `cost` = 1 / weight.

    Exact up to EXACT_BETWEENNESS_LIMIT actors, else estimated from BETWEENNESS_SAMPLES source
    actors (seeded) and scaled by n / samples. Runs in python-igraph when it is installed
    (about 30x faster), else in networkx; both give the same values (Brandes' algorithm).
    """
    n = proj.n_actors
    if n < 3:
        return np.zeros(n)
    sources: list[int] | None = None
    if n > EXACT_BETWEENNESS_LIMIT:
        sources = sorted(random.Random(SEED).sample(range(n), BETWEENNESS_SAMPLES))
    scale = 2.0 / ((n - 1) * (n - 2))  # undirected normalisation, as networkx
    try:
        import igraph
    except ImportError:  # pragma: no cover - depends on the environment
        return _betweenness_networkx(proj, sources, scale)
    upper = sparse.triu(proj.adjacency, k=1, format="coo")
    edges = list(zip(upper.row.tolist(), upper.col.tolist(), strict=True))
    g = igraph.Graph(n=n, edges=edges)
    costs = (1.0 / upper.data).tolist()
    raw = np.asarray(g.betweenness(directed=False, weights=costs, sources=sources), dtype=float)
    if sources is not None:
        raw *= n / len(sources)
    return raw * scale


def _betweenness_networkx(proj: Projection, sources: list[int] | None, scale: float) -> FloatArray:
    k = None if sources is None else len(sources)
    values = nx.betweenness_centrality(proj.graph, k=k, weight="cost", normalized=True, seed=SEED)
    return np.array([values[a.id] for a in proj.actors], dtype=float)


def louvain(graph: nx.Graph) -> list[list[str]]:
    """Louvain communities (weight, seed 42), largest first, then by first member id."""
    if graph.number_of_nodes() == 0:
        return []
    parts = nx.community.louvain_communities(graph, weight="weight", seed=SEED)
    groups = [sorted(p) for p in parts]
    groups.sort(key=lambda g: (-len(g), g[0]))
    return groups


def modularity(graph: nx.Graph, communities: list[list[str]]) -> float | None:
    """Newman modularity of the partition (weighted); None for a graph without edges."""
    if graph.number_of_edges() == 0:
        return None
    return float(nx.community.modularity(graph, communities, weight="weight"))


def _finite(value: object) -> float | None:
    if value is None:
        return None
    number = float(value)  # type: ignore[arg-type]
    return None if math.isnan(number) else round(number, 6)


@dataclass
class ActorResult:
    """Actor metrics with the communities they were computed with."""

    metrics: list[ActorMetrics]
    communities: list[list[str]]


def actor_metrics(proj: Projection) -> ActorResult:
    """Metrics of every actor of the projection, in id order."""
    if proj.n_actors == 0:
        return ActorResult(metrics=[], communities=[])
    graph = proj.graph
    adj = proj.adjacency
    n = proj.n_actors
    degree = np.diff(adj.indptr)
    weighted = np.asarray(adj.sum(axis=1)).ravel()
    ranks = pagerank(adj)
    between = betweenness(proj)
    constraint = nx.constraint(graph, weight="weight")
    effective = nx.effective_size(graph, weight="weight")
    brokers = brokerage_counts(adj, proj.actor_helix)
    communities = louvain(graph)
    community_of = {a: k for k, group in enumerate(communities) for a in group}
    innovations = np.bincount(proj.tie_actor, minlength=n)
    partnerships = np.zeros(n, dtype=np.int64)
    for p in proj.partnerships:
        partnerships[proj.actor_index[p.source_id]] += 1
        partnerships[proj.actor_index[p.target_id]] += 1

    metrics: list[ActorMetrics] = []
    for k, actor in enumerate(proj.actors):
        isolated = degree[k] == 0
        metrics.append(
            ActorMetrics(
                id=actor.id,
                name=actor.name,
                helix=actor.helix,
                region=actor.region,
                district=actor.district,
                innovation_count=int(innovations[k]),
                partnership_count=int(partnerships[k]),
                active_ties=int(innovations[k] + partnerships[k]),
                degree=int(degree[k]),
                weighted_degree=round(float(weighted[k]), 4),
                betweenness=round(float(between[k]), 6),
                pagerank=round(float(ranks[k]), 6),
                constraint=None if isolated else _finite(constraint.get(actor.id)),
                effective_size=None if isolated else _finite(effective.get(actor.id)),
                brokerage=Brokerage(**{key: int(v[k]) for key, v in brokers.items()}),
                community=community_of[actor.id],
            )
        )
    return ActorResult(metrics=metrics, communities=communities)
