"""Per-innovation helix metrics, computed for all innovations at once with `np.bincount`.

The scalar functions below state each formula on plain values (with doctests); the vectorised
`innovation_metrics` computes the same figures for every innovation of a `Projection`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence

import numpy as np

from graph.analytics.gcpause import paused_gc
from graph.analytics.innovation_schemas import ActorRef, IndexComponents, InnovationMetrics
from graph.analytics.projection import GOVERNMENT, HELIXES, N_HELIX, FloatArray, Projection
from graph.analytics.weights import IndexWeights
from graph.vocab import Helix

LN6 = math.log(N_HELIX)
DEFAULT_THRESHOLD = 4


def diversity(strength_by_helix: Iterable[float]) -> float:
    """Shannon entropy of the helix shares of tie strength, divided by ln 6 (0..1).

    >>> diversity([2, 2])  # two kinds with equal weight: ln 2 / ln 6
    0.3868528072345416
    >>> diversity([3])
    0.0
    >>> round(diversity([1, 1, 1, 1, 1, 1]), 6)
    1.0
    >>> diversity([])
    0.0
    """
    values = [v for v in strength_by_helix if v > 0]
    total = sum(values)
    if total <= 0:
        return 0.0
    entropy = -sum((v / total) * math.log(v / total) for v in values)
    return max(0.0, entropy / LN6)


def resilience(actors_by_helix: Mapping[Helix, int]) -> float:
    """min over actors a of coverage(without a) / coverage; 0 when coverage is 0.

    An actor belongs to one kind, so removing it lowers coverage by one exactly when it is the
    only actor of its kind: resilience is 1 without fragile kinds, else (coverage - 1) / coverage.

    >>> resilience({Helix.GOVERNMENT: 2, Helix.ACADEMIA: 3})
    1.0
    >>> resilience({Helix.GOVERNMENT: 1})  # one actor carries everything
    0.0
    >>> round(resilience({Helix.GOVERNMENT: 2, Helix.MEDIA: 1, Helix.NGO: 4}), 4)
    0.6667
    >>> resilience({})
    0.0
    """
    present = [n for n in actors_by_helix.values() if n > 0]
    coverage = len(present)
    if coverage == 0:
        return 0.0
    if any(n == 1 for n in present):
        return (coverage - 1) / coverage
    return 1.0


def iga_actor_score(coverage: int) -> int:
    """Estimated IGA 'keterlibatan aktor' score from the number of kinds involved.

    Reported bands: more than 5 kinds 3, 4 kinds 2, 3 kinds 1. Five kinds is not reported; we
    score it 2 (it is not "more than 5", and the bands rise with the count), and fewer than 3
    kinds 0.

    >>> [iga_actor_score(c) for c in range(7)]
    [0, 0, 0, 1, 2, 2, 3]
    """
    if coverage >= 6:
        return 3
    if coverage >= 4:
        return 2
    if coverage == 3:
        return 1
    return 0


def index_components(
    coverage: int,
    diversity_value: float,
    resilience_value: float,
    fragile: int,
    non_government_share: float,
    reach: int,
    weights: IndexWeights,
) -> IndexComponents:
    """The six 0..1 components of the sustainability index.

    >>> c = index_components(3, 0.5, 2 / 3, 1, 0.25, 10, IndexWeights())
    >>> c.coverage, round(c.depth, 4), c.non_government, c.reach
    (0.5, 0.6667, 0.5, 1.0)
    """
    return IndexComponents(
        coverage=coverage / N_HELIX,
        diversity=diversity_value,
        resilience=resilience_value,
        depth=(1 - fragile / coverage) if coverage else 0.0,
        non_government=min(1.0, non_government_share / weights.non_government_target),
        reach=min(1.0, reach / weights.reach_saturation),
    )


def sustainability_index(components: IndexComponents, weights: IndexWeights) -> float:
    """100 × weighted mean of the components, rounded to 0.1.

    >>> full = IndexComponents(coverage=1, diversity=1, resilience=1, depth=1,
    ...                        non_government=1, reach=1)
    >>> sustainability_index(full, IndexWeights())
    100.0
    >>> half = full.model_copy(update={"coverage": 0.5})
    >>> sustainability_index(half, IndexWeights())  # coverage weighs 0.30
    85.0
    """
    total = (
        weights.coverage * components.coverage
        + weights.diversity * components.diversity
        + weights.resilience * components.resilience
        + weights.depth * components.depth
        + weights.non_government * components.non_government
        + weights.reach * components.reach
    )
    return round(100 * total / weights.total(), 1)


def under_connected_reasons(
    coverage: int,
    missing: Sequence[Helix],
    resilience_value: float,
    actor_count: int,
    threshold: int,
) -> list[str]:
    """Plain-language reasons an innovation is under-connected (empty when it is not).

    >>> under_connected_reasons(2, [Helix.ACADEMIA, Helix.NGO, Helix.MEDIA, Helix.PRIVATE], 0.5, 3, 4)
    ['covers 2 of 6 helix kinds (missing: academia, ngo, media, private)']
    >>> under_connected_reasons(1, [], 0.0, 1, 1)
    ['one actor carries every helix kind', 'only 1 actor']
    """
    reasons: list[str] = []
    if actor_count == 0:
        return ["no active actor: nobody carries it"]
    if coverage < threshold:
        names = ", ".join(h.value for h in missing)
        reasons.append(f"covers {coverage} of 6 helix kinds (missing: {names})")
    if resilience_value == 0:
        reasons.append("one actor carries every helix kind")
    if actor_count < 2:
        reasons.append(f"only {actor_count} actor")
    return reasons


def innovation_metrics(
    proj: Projection, weights: IndexWeights | None = None, threshold: int = DEFAULT_THRESHOLD
) -> list[InnovationMetrics]:
    """Metrics of every innovation of the projection, in id order."""
    with paused_gc():
        return _innovation_metrics(proj, weights, threshold)


def _innovation_metrics(
    proj: Projection, weights: IndexWeights | None, threshold: int
) -> list[InnovationMetrics]:
    weights = weights or IndexWeights()
    n = proj.n_innovations
    cell = proj.tie_innovation * N_HELIX + proj.tie_helix
    counts = np.bincount(cell, minlength=n * N_HELIX).reshape(n, N_HELIX)
    strength = (
        np.bincount(cell, weights=proj.tie_strength, minlength=n * N_HELIX)
        .astype(np.float64)
        .reshape(n, N_HELIX)
    )
    coverage = (counts > 0).sum(axis=1)
    total = strength.sum(axis=1)
    shares = np.divide(
        strength, total[:, None], out=np.zeros_like(strength), where=total[:, None] > 0
    )
    logs = np.log(shares, out=np.zeros_like(shares), where=shares > 0)
    diversities: FloatArray = np.clip(-(shares * logs).sum(axis=1) / LN6, 0.0, 1.0) + 0.0
    fragile = counts == 1
    n_fragile = fragile.sum(axis=1)
    resiliences = np.where(
        coverage == 0, 0.0, np.where(n_fragile > 0, (coverage - 1) / np.maximum(coverage, 1), 1.0)
    )
    non_gov = np.divide(total - strength[:, GOVERNMENT], total, out=np.zeros(n), where=total > 0)
    actor_count = np.bincount(proj.tie_innovation, minlength=n)
    reach = proj.reach

    critical: dict[int, list[ActorRef]] = {}
    for k in np.flatnonzero(fragile[proj.tie_innovation, proj.tie_helix]).tolist():
        actor = proj.actors[int(proj.tie_actor[k])]
        critical.setdefault(int(proj.tie_innovation[k]), []).append(
            ActorRef(id=actor.id, name=actor.name, helix=actor.helix)
        )

    result: list[InnovationMetrics] = []
    for i, inv in enumerate(proj.innovations):
        cov = int(coverage[i])
        missing = [HELIXES[h] for h in range(N_HELIX) if counts[i, h] == 0]
        div = round(float(diversities[i]), 4)
        res = round(float(resiliences[i]), 4)
        ngs = round(float(non_gov[i]), 4)
        components = index_components(cov, div, res, int(n_fragile[i]), ngs, int(reach[i]), weights)
        components = IndexComponents(**{k: round(v, 4) for k, v in components.model_dump().items()})
        reasons = under_connected_reasons(cov, missing, res, int(actor_count[i]), threshold)
        result.append(
            InnovationMetrics(
                id=inv.id,
                name=inv.name,
                region=inv.region,
                sector=inv.sector,
                district=inv.district,
                coverage=cov,
                missing=missing,
                diversity=div,
                depth={HELIXES[h]: int(counts[i, h]) for h in range(N_HELIX) if counts[i, h] > 0},
                fragile_helices=[HELIXES[h] for h in range(N_HELIX) if fragile[i, h]],
                critical_actors=sorted(
                    critical.get(i, []), key=lambda a: (HELIXES.index(a.helix), a.id)
                ),
                resilience=res,
                non_government_share=ngs,
                reach=int(reach[i]),
                actor_count=int(actor_count[i]),
                iga_actor_score=iga_actor_score(cov),
                sustainability_index=sustainability_index(components, weights),
                components=components,
                weights=weights,
                under_connected=bool(reasons),
                reasons=reasons,
            )
        )
    return result


def urgency_key(metrics: InnovationMetrics) -> tuple[float, int, int, str]:
    """Sort key of under-connected innovations: lowest sustainability index first, then lowest
    coverage, then fewest actors, then id."""
    return (metrics.sustainability_index, metrics.coverage, metrics.actor_count, metrics.id)


def under_connected(metrics: Iterable[InnovationMetrics]) -> list[InnovationMetrics]:
    """The under-connected innovations, most urgent first (see `urgency_key`)."""
    return sorted((m for m in metrics if m.under_connected), key=urgency_key)


def weakest(
    metrics: Iterable[InnovationMetrics],
    limit: int | None = None,
    only_under_connected: bool = True,
) -> list[InnovationMetrics]:
    """The weakest innovations, most urgent first: what `hexahelix analyze` prints."""
    chosen = [m for m in metrics if m.under_connected or not only_under_connected]
    chosen.sort(key=urgency_key)
    return chosen if limit is None else chosen[:limit]
