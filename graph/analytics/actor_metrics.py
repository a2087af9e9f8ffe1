"""Per-actor network measures on the actor projection.

Degree, PageRank, Burt's measures, brokerage and modularity run on the scipy matrices (Burt and
brokerage over the triangles of the projection, never a dense or two-hop product); betweenness
and Louvain run in python-igraph on the projection converted once (`Projection.igraph`).
"""

from __future__ import annotations

import math
import random
import threading
from dataclasses import dataclass

import igraph
import numpy as np
from scipy import sparse

from graph.analytics.actor_schemas import ActorMetrics, Brokerage
from graph.analytics.gcpause import paused_gc
from graph.analytics.helixes import N_HELIX
from graph.analytics.projection import FloatArray, IntArray, Projection
from graph.analytics.triangles import canonical, entry_rows, triangles

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


def burt(adjacency: sparse.csr_array) -> tuple[FloatArray, FloatArray]:
    """Burt's constraint and effective size of every node of a weighted undirected graph, with
    the definitions and weights of `nx.constraint` and `nx.effective_size` (NaN when isolated).
    Effective size is Burt's formula as networkx computes it node by node (``nodes=...``); its
    all-nodes sparse path divides by column instead of row maxima on weighted graphs (networkx
    PR #8906). Without weights it is Borgatti's n - 2t/n.

    With p_ij = w_ij / sum_k w_ik (the normalised mutual weight: on an undirected graph
    w_ij + w_ji = 2 w_ij) and m_ij = w_ij / max_k w_ik:

    - constraint c_i = sum over neighbours j of (p_ij + sum_q p_iq p_qj)^2;
    - effective size e_i = sum over neighbours j of (1 - sum_q p_iq m_jq).

    Both inner sums run over the common neighbours q of i and j only, so they are accumulated
    over the triangles i-j-q (see `graph.analytics.triangles`), never as a dense n x n product.

    >>> star = sparse.csr_array(np.array([[0, 1, 1, 1], [1, 0, 0, 0], [1, 0, 0, 0],
    ...                                   [1, 0, 0, 0]], dtype=float))
    >>> c, e = burt(star)
    >>> [round(float(x), 4) for x in c], e.tolist()
    ([0.3333, 1.0, 1.0, 1.0], [3.0, 1.0, 1.0, 1.0])
    """
    adj = canonical(adjacency)
    n = adj.shape[0]
    rows = entry_rows(adj)
    w = np.asarray(adj.data, dtype=np.float64)
    degree = np.diff(adj.indptr)
    strength = np.bincount(rows, weights=w, minlength=n)
    top = np.zeros(n)
    nonempty = degree > 0
    if adj.nnz:
        top[nonempty] = np.maximum.reduceat(w, adj.indptr[:-1][nonempty])
    p = w / strength[rows] if adj.nnz else w
    m = w / top[rows] if adj.nnz else w
    indirect = np.zeros(adj.nnz)  # sum_q p_iq p_qj on each entry (i, j)
    redundant = np.zeros(adj.nnz)  # sum_q p_iq m_jq on each entry (i, j)
    for t in triangles(adj):
        # each entry (i, j) of the triangle with its third corner q: positions of (i, j),
        # (i, q), (q, j) and (j, q)
        target = np.concatenate((t.va, t.av, t.vb, t.bv, t.ab, t.ba))
        iq = p[np.concatenate((t.vb, t.ab, t.va, t.ba, t.av, t.bv))]
        qj = np.concatenate((t.ba, t.bv, t.ab, t.av, t.vb, t.va))
        jq = np.concatenate((t.ab, t.vb, t.ba, t.va, t.bv, t.av))
        indirect += np.bincount(target, weights=iq * p[qj], minlength=adj.nnz)
        redundant += np.bincount(target, weights=iq * m[jq], minlength=adj.nnz)
    constraint = np.asarray(
        np.bincount(rows, weights=(p + indirect) ** 2, minlength=n), dtype=np.float64
    )
    effective = degree - np.asarray(
        np.bincount(rows, weights=redundant, minlength=n), dtype=np.float64
    )
    constraint[~nonempty] = np.nan
    effective[~nonempty] = np.nan
    return constraint, effective


def brokerage_counts(adjacency: sparse.csr_array, helix: IntArray) -> dict[str, IntArray]:
    """Gould-Fernandez counts per actor over unordered open two-paths a-b-c with broker b.

    All pairs of b's neighbours are counted from the helix counts of its neighbourhood; the
    closed pairs (a linked to c) are the triangles a-b-c, counted per corner and subtracted.

    >>> # a path gov - aca - gov: the academic is an itinerant broker
    >>> a = sparse.csr_array(np.array([[0, 1, 0], [1, 0, 1], [0, 1, 0]], dtype=float))
    >>> {k: v.tolist() for k, v in brokerage_counts(a, np.array([0, 1, 0])).items()}["itinerant"]
    [0, 1, 0]
    """
    adj = canonical(adjacency)
    n = adj.shape[0]
    rows = entry_rows(adj)
    by_kind = np.zeros((n, N_HELIX), dtype=np.int64)  # neighbours per kind
    np.add.at(by_kind, (rows, helix[adj.indices]), 1)
    own = by_kind[np.arange(n), helix] if n else np.zeros(0, dtype=np.int64)
    degree = by_kind.sum(axis=1)
    other = degree - own
    pairs_in_kind = by_kind * (by_kind - 1) // 2
    coord_all = own * (own - 1) // 2
    itin_all = pairs_in_kind.sum(axis=1) - coord_all
    mixed_all = own * other
    sq = (by_kind**2).sum(axis=1) - own**2
    liaison_all = (other**2 - sq) // 2

    # closed pairs per broker and role: 0 coordinator, 1 itinerant, 2 mixed, 3 liaison
    closed = np.zeros(n * 4, dtype=np.int64)
    for t in triangles(adj):
        hv, ha, hb = helix[t.v], helix[t.a], helix[t.b]
        # each corner as the broker (kind hy) between the two others (kinds hx and hz)
        broker = np.concatenate((t.v, t.a, t.b))
        hx = np.concatenate((ha, hv, hv))
        hy = np.concatenate((hv, ha, hb))
        hz = np.concatenate((hb, hb, ha))
        role = np.where(hx == hz, np.where(hx == hy, 0, 1), np.where((hy == hx) | (hy == hz), 2, 3))
        closed += np.bincount(broker.astype(np.int64) * 4 + role, minlength=n * 4)
    closed_by_role = closed.reshape(n, 4)

    coordinator = coord_all - closed_by_role[:, 0]
    itinerant = itin_all - closed_by_role[:, 1]
    mixed = mixed_all - closed_by_role[:, 2]
    liaison = liaison_all - closed_by_role[:, 3]
    return {
        "coordinator": coordinator,
        "itinerant": itinerant,
        "representative": mixed,
        "gatekeeper": mixed,
        "liaison": liaison,
        "cross_helix": itinerant + mixed + liaison,
    }


def betweenness(
    proj: Projection,
    exact_limit: int = EXACT_BETWEENNESS_LIMIT,
    samples: int = BETWEENNESS_SAMPLES,
) -> FloatArray:
    """Normalised betweenness on the projection with edge length `cost` = 1 / weight, in
    python-igraph (Brandes' algorithm, the values of `nx.betweenness_centrality`).

    Exact up to `exact_limit` actors, else estimated from `samples` source actors (seeded) and
    scaled by n / samples (the error is measured in docs/METRICS.md).
    """
    n = proj.n_actors
    if n < 3:
        return np.zeros(n)
    sources: list[int] | None = None
    if n > exact_limit and samples < n:
        sources = betweenness_sources(n, samples)
    scale = 2.0 / ((n - 1) * (n - 2))  # undirected normalisation, as networkx
    g = proj.igraph
    raw = np.asarray(
        g.betweenness(directed=False, weights="cost", sources=sources), dtype=np.float64
    )
    if sources is not None:
        raw *= n / len(sources)
    return raw * scale


def betweenness_sources(n: int, samples: int = BETWEENNESS_SAMPLES) -> list[int]:
    """The seeded sample of source actors of approximate betweenness.

    >>> betweenness_sources(10, 3) == betweenness_sources(10, 3)
    True
    """
    return sorted(random.Random(SEED).sample(range(n), samples))


_IGRAPH_RNG = threading.Lock()
"""igraph has one global random number generator: Louvain runs hold this lock while seeding it."""


def louvain(proj: Projection) -> list[list[str]]:
    """Louvain communities (igraph's `community_multilevel` on `weight`, seeded with SEED),
    largest first, then by first member id."""
    if proj.n_actors == 0:
        return []
    g = proj.igraph
    with _IGRAPH_RNG:
        igraph.set_random_number_generator(random.Random(SEED))
        try:
            membership = list(g.community_multilevel(weights="weight").membership)
        finally:
            igraph.set_random_number_generator(random)
    groups: dict[int, list[str]] = {}
    for k, c in enumerate(membership):
        groups.setdefault(c, []).append(proj.actors[k].id)
    result = [sorted(members) for members in groups.values()]
    result.sort(key=lambda group: (-len(group), group[0]))
    return result


def modularity(proj: Projection, communities: list[list[str]]) -> float | None:
    """Newman modularity of the partition (weighted, as `nx.community.modularity`); None for a
    graph without edges.

    Q = sum over communities c of W_c / 2m - (S_c / 2m)^2, with W_c the weight of the entries
    inside c (each edge twice), S_c the total strength of c and 2m the total strength.
    """
    adj = proj.adjacency
    total = float(adj.sum())
    if adj.nnz == 0 or total == 0:
        return None
    membership = np.empty(proj.n_actors, dtype=np.int64)
    for k, group in enumerate(communities):
        membership[[proj.actor_index[a] for a in group]] = k
    rows = entry_rows(adj)
    inside = float(adj.data[membership[rows] == membership[adj.indices]].sum())
    strength = np.bincount(membership[rows], weights=adj.data, minlength=len(communities))
    return inside / total - float((strength**2).sum()) / total**2


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
    with paused_gc():
        return _actor_metrics(proj)


def _actor_metrics(proj: Projection) -> ActorResult:
    adj = proj.adjacency
    n = proj.n_actors
    degree = np.diff(adj.indptr)
    weighted = np.asarray(adj.sum(axis=1)).ravel()
    ranks = pagerank(adj)
    between = betweenness(proj)
    constraint, effective = burt(adj)
    brokers = brokerage_counts(adj, proj.actor_helix)
    communities = louvain(proj)
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
                provenance=actor.provenance,
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
                constraint=None if isolated else _finite(constraint[k]),
                effective_size=None if isolated else _finite(effective[k]),
                brokerage=Brokerage(**{key: int(v[k]) for key, v in brokers.items()}),
                community=community_of[actor.id],
            )
        )
    return ActorResult(metrics=metrics, communities=communities)
