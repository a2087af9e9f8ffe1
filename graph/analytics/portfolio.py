"""Portfolio-level figures: counts, helix participation, E-I index, assortativity, communities."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np
from scipy import sparse

from graph.analytics.actor_metrics import ActorResult, modularity
from graph.analytics.actor_schemas import ActorMetrics
from graph.analytics.gcpause import paused_gc
from graph.analytics.helixes import HELIXES, N_HELIX
from graph.analytics.innovation_metrics import under_connected
from graph.analytics.innovation_schemas import ActorRef, InnovationMetrics
from graph.analytics.portfolio_schemas import Broker, Community, CoParticipation, Portfolio
from graph.analytics.projection import IntArray, Projection
from graph.analytics.weights import IndexWeights
from graph.vocab import Helix

TOP_BROKERS = 10


def ei_index(external: int, internal: int) -> float | None:
    """Krackhardt & Stern's E-I index: (external - internal) / (external + internal).

    >>> ei_index(3, 1)
    0.5
    >>> ei_index(0, 4)
    -1.0
    >>> ei_index(0, 0) is None
    True
    """
    total = external + internal
    return None if total == 0 else (external - internal) / total


def ei_by_helix(
    adjacency: sparse.csr_array, helix: IntArray
) -> tuple[dict[Helix, float | None], float | None]:
    """E-I index of each kind over the (unweighted) projection, and of the whole network.

    For kind g: internal = ties with both ends in g, external = ties with one end in g.

    >>> a = sparse.csr_array(np.array([[0, 1, 1], [1, 0, 0], [1, 0, 0]], dtype=float))
    >>> per, overall = ei_by_helix(a, np.array([0, 0, 1]))
    >>> per[Helix.GOVERNMENT], per[Helix.ACADEMIA], overall
    (0.0, 1.0, 0.0)
    """
    upper = sparse.triu(adjacency, k=1, format="coo")
    g1, g2 = helix[upper.row], helix[upper.col]
    same = g1 == g2
    internal = np.bincount(g1[same], minlength=N_HELIX)
    external = np.bincount(g1[~same], minlength=N_HELIX) + np.bincount(g2[~same], minlength=N_HELIX)
    per = {HELIXES[g]: ei_index(int(external[g]), int(internal[g])) for g in range(N_HELIX)}
    return per, ei_index(int((~same).sum()), int(same.sum()))


def helix_assortativity(adjacency: sparse.csr_array, helix: IntArray) -> float | None:
    """Newman's attribute assortativity of helix on the (unweighted) projection, as
    `nx.attribute_assortativity_coefficient`: r = (tr e - sum(a b)) / (1 - sum(a b)) with e the
    kind-by-kind mixing matrix over both directions of every edge; None when undefined.

    >>> a = sparse.csr_array(np.array([[0, 1, 0, 0], [1, 0, 0, 0], [0, 0, 0, 1], [0, 0, 1, 0]],
    ...                               dtype=float))
    >>> helix_assortativity(a, np.array([0, 0, 1, 1]))
    1.0
    """
    if adjacency.nnz == 0:
        return None
    coo = adjacency.tocoo()
    mixing = np.bincount(
        helix[coo.row] * N_HELIX + helix[coo.col], minlength=N_HELIX * N_HELIX
    ).reshape(N_HELIX, N_HELIX) / float(adjacency.nnz)
    expected = float((mixing.sum(axis=0) * mixing.sum(axis=1)).sum())
    if expected >= 1.0:
        return None
    value = (float(np.trace(mixing)) - expected) / (1.0 - expected)
    return round(value, 6)


def communities_with_mix(
    proj: Projection, groups: Sequence[Sequence[str]], actors: Sequence[ActorMetrics]
) -> list[Community]:
    """Communities with their helix mix and strongest members."""
    by_id = {m.id: m for m in actors}
    result: list[Community] = []
    for k, group in enumerate(groups):
        members = sorted(group, key=lambda a: (-by_id[a].weighted_degree, a))
        mix = Counter(by_id[a].helix for a in group)
        result.append(
            Community(
                id=k,
                size=len(group),
                helix_mix={h: mix[h] for h in HELIXES if mix[h]},
                coverage=len(mix),
                actors=members,
                top_actors=[
                    ActorRef(
                        id=a,
                        name=by_id[a].name,
                        helix=by_id[a].helix,
                        provenance=by_id[a].provenance,
                    )
                    for a in members[:5]
                ],
            )
        )
    return result


def top_brokers(actors: Sequence[ActorMetrics], limit: int = TOP_BROKERS) -> list[Broker]:
    """Actors brokering most cross-helix open pairs, then by betweenness, then id."""
    ranked = sorted(
        (m for m in actors if m.brokerage.cross_helix > 0),
        key=lambda m: (-m.brokerage.cross_helix, -m.betweenness, m.id),
    )
    return [
        Broker(
            id=m.id,
            name=m.name,
            helix=m.helix,
            provenance=m.provenance,
            cross_helix=m.brokerage.cross_helix,
            betweenness=m.betweenness,
        )
        for m in ranked[:limit]
    ]


def _mean(values: Sequence[float]) -> float | None:
    return round(sum(values) / len(values), 4) if values else None


def helix_presence(proj: Projection) -> IntArray:
    """Innovation × helix matrix of 1 where the kind has an active actor."""
    n = proj.n_innovations
    cell = proj.tie_innovation * N_HELIX + proj.tie_helix
    return (np.bincount(cell, minlength=n * N_HELIX).reshape(n, N_HELIX) > 0).astype(np.int64)


def coverage_histogram(metrics: Sequence[InnovationMetrics]) -> list[int]:
    """Innovations per coverage 0..N_HELIX."""
    counts = Counter(m.coverage for m in metrics)
    return [counts[c] for c in range(N_HELIX + 1)]


def iga_distribution(metrics: Sequence[InnovationMetrics]) -> dict[str, int]:
    """Innovations per estimated IGA actor score 0..3."""
    counts = Counter(m.iga_actor_score for m in metrics)
    return {str(s): counts[s] for s in range(4)}


def portfolio(
    proj: Projection,
    metrics: Sequence[InnovationMetrics],
    actors: ActorResult,
    weights: IndexWeights,
    threshold: int,
    region: str | None = None,
) -> Portfolio:
    """Headline figures of the portfolio from per-innovation and per-actor metrics."""
    with paused_gc():
        return _portfolio(proj, metrics, actors, weights, threshold, region)


def _portfolio(
    proj: Projection,
    metrics: Sequence[InnovationMetrics],
    actors: ActorResult,
    weights: IndexWeights,
    threshold: int,
    region: str | None,
) -> Portfolio:
    presence = helix_presence(proj)
    co = presence.T @ presence
    ei, ei_all = ei_by_helix(proj.adjacency_binary, proj.actor_helix)
    active = [m for m in metrics if m.actor_count > 0]
    return Portfolio(
        at=proj.at,
        region=region,
        innovation_count=proj.n_innovations,
        active_innovation_count=len(active),
        actor_count=proj.n_actors,
        active_actor_count=len(np.unique(proj.tie_actor)),
        tie_count=len(proj.ties),
        partnership_count=len(proj.partnerships),
        by_origin=dict(sorted(Counter(i.origin.value for i in proj.innovations).items())),
        by_form=dict(sorted(Counter(i.form.value for i in proj.innovations).items())),
        by_stage=dict(sorted(Counter(i.stage.value for i in proj.innovations).items())),
        digital_count=sum(1 for i in proj.innovations if i.digital),
        coverage_histogram=coverage_histogram(metrics),
        helix_participation={HELIXES[h]: int(co[h, h]) for h in range(N_HELIX)},
        co_participation=CoParticipation(
            helices=list(HELIXES), matrix=[[int(x) for x in row] for row in co.tolist()]
        ),
        ei_index={h: None if v is None else round(v, 6) for h, v in ei.items()},
        ei_index_overall=None if ei_all is None else round(ei_all, 6),
        helix_assortativity=helix_assortativity(proj.adjacency, proj.actor_helix),
        modularity=_round(modularity(proj, actors.communities)),
        communities=communities_with_mix(proj, actors.communities, actors.metrics),
        top_brokers=top_brokers(actors.metrics),
        under_connected=under_connected(metrics),
        mean_coverage=_mean([m.coverage for m in metrics]),
        mean_diversity=_mean([m.diversity for m in metrics]),
        mean_sustainability_index=_mean([m.sustainability_index for m in metrics]),
        iga_actor_scores={m.id: m.iga_actor_score for m in metrics},
        iga_actor_score_distribution=iga_distribution(metrics),
        weights=weights,
        threshold=threshold,
        illustrative=proj.illustrative,
    )


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 6)
