"""Per-innovation helix metrics, computed for all innovations at once with `np.bincount`.

The scalar functions below state each formula on plain values (with doctests); the vectorised
`innovation_metrics` computes the same figures for every innovation of a `Projection`, and
`one_innovation_metrics` for one innovation from its ties on plain values (no numpy: the
incremental read after a write, `graph.analytics.local`, must not import the array libraries
on a request). Both assemble the answer in `_metrics`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from graph.analytics.gcpause import paused_gc
from graph.analytics.helixes import GOVERNMENT, HELIX_INDEX, HELIXES, N_HELIX
from graph.analytics.innovation_schemas import (
    CriticalActor,
    IndexComponents,
    InnovationMetrics,
)
from graph.analytics.weights import DEFAULT_THRESHOLD, IndexWeights
from graph.messages import Message, msg
from graph.models import Actor, Collaboration, Innovation
from graph.provenance import is_reported, tie_provenance
from graph.vocab import Helix

if TYPE_CHECKING:  # the vectorised pass imports numpy where it runs (see the module docstring)
    from graph.analytics.projection import FloatArray, Projection

LN_HELIX = math.log(N_HELIX)

IGA_BANDS: tuple[tuple[int, int], ...] = ((6, 3), (4, 2), (3, 1))
"""IGA's 'keterlibatan aktor' rubric as (kinds at least, score), highest first. Kemendagri's
published rubric, in counts of IGA's own six stakeholder kinds (government, business,
community, academia, media, other), so it is not derived from `Helix`. Each helix kind is one
IGA kind (`ngo` is IGA's "other"), so the number of helix kinds present is the number IGA
scores (a test holds `len(Helix)` to `IGA_KINDS`). A new helix kind must say which IGA kind it
is; if it shares one with another helix kind, the score must count distinct IGA kinds instead.
See docs/METRICS.md."""
IGA_KINDS = 6
"""How many stakeholder kinds IGA's rubric lists."""


def diversity(strength_by_helix: Iterable[float]) -> float:
    """Shannon entropy of the helix shares of tie strength, divided by ln N_HELIX (0..1).

    >>> diversity([2, 2]) == math.log(2) / LN_HELIX  # two kinds with equal weight
    True
    >>> diversity([3])
    0.0
    >>> round(diversity([1] * N_HELIX), 6)
    1.0
    >>> diversity([])
    0.0
    """
    values = [v for v in strength_by_helix if v > 0]
    total = sum(values)
    if total <= 0:
        return 0.0
    entropy = -sum((v / total) * math.log(v / total) for v in values)
    return max(0.0, entropy / LN_HELIX)


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
    kinds 0 (`IGA_BANDS`).

    >>> [iga_actor_score(c) for c in range(7)]
    [0, 0, 0, 1, 2, 2, 3]
    """
    return next((score for least, score in IGA_BANDS if coverage >= least), 0)


def index_components(
    coverage: int,
    strength_by_helix: Sequence[float],
    fragile: int,
    reach: int,
    weights: IndexWeights,
) -> IndexComponents:
    """The components of the sustainability index, each 0..1.

    `strength_by_helix` holds the total tie strength of each present kind.

    >>> c = index_components(2, [1.0, 6.0], 1, 10, IndexWeights())
    >>> c.coverage == 2 / N_HELIX, c.depth, c.resilience, c.reach  # one occasional tie: 1/4
    (True, 0.625, 0.5, 1.0)
    >>> index_components(0, [], 0, 0, IndexWeights()).depth
    0.0
    """
    present = [s for s in strength_by_helix if s > 0]
    return IndexComponents(
        coverage=coverage / N_HELIX,
        depth=(
            sum(min(1.0, s / weights.depth_target) for s in present) / len(present)
            if present
            else 0.0
        ),
        resilience=(1 - fragile / coverage) if coverage else 0.0,
        reach=min(1.0, reach / weights.reach_saturation),
    )


def quality(components: IndexComponents, weights: IndexWeights) -> float:
    """The weighted mean (0..1) of the components other than coverage.

    >>> full = IndexComponents(coverage=1, depth=1, resilience=1, reach=1)
    >>> quality(full, IndexWeights()), quality(full.model_copy(update={"reach": 0}), IndexWeights())
    (1.0, 0.8)
    """
    total = (
        weights.depth * components.depth
        + weights.resilience * components.resilience
        + weights.reach * components.reach
    )
    return total / weights.total()


def sustainability_index(components: IndexComponents, weights: IndexWeights) -> float:
    """100 × (kinds present + quality) / (N_HELIX + 1), rounded to 0.1: each kind is one step
    of 100/(N_HELIX + 1) points and the quality of how they are carried adds at most one more
    step, so an innovation never ranks above one with more kinds.

    >>> full = IndexComponents(coverage=1, depth=1, resilience=1, reach=1)
    >>> sustainability_index(full, IndexWeights())
    100.0
    >>> two_kinds = IndexComponents(coverage=2 / N_HELIX, depth=1, resilience=1, reach=1)
    >>> three_thin = IndexComponents(coverage=3 / N_HELIX, depth=0.25, resilience=0, reach=0)
    >>> two, three = (sustainability_index(c, IndexWeights()) for c in (two_kinds, three_thin))
    >>> two < three  # one more kind outranks any quality (42.9 < 44.3 with six kinds)
    True
    """
    kinds = round(components.coverage * N_HELIX)
    return round(100 * (kinds + quality(components, weights)) / (N_HELIX + 1), 1)


def under_connected_reasons(
    coverage: int,
    missing: Sequence[Helix],
    resilience_value: float,
    actor_count: int,
    threshold: int,
) -> list[Message]:
    """Why an innovation is under-connected, as message codes (empty when it is not).

    >>> [m.code for m in under_connected_reasons(2, [Helix.ACADEMIA, Helix.MEDIA], 0.5, 3, 4)]
    ['missing_kinds']
    >>> under_connected_reasons(2, [Helix.ACADEMIA, Helix.MEDIA], 0.5, 3, 4)[0].params
    {'covered': 2, 'missing': ['academia', 'media']}
    >>> [m.code for m in under_connected_reasons(1, [], 0.0, 1, 1)]
    ['one_actor_carries_all', 'few_actors']
    """
    if actor_count == 0:
        return [msg("no_active_actor")]
    reasons: list[Message] = []
    if coverage < threshold:
        reasons.append(msg("missing_kinds", covered=coverage, missing=[h.value for h in missing]))
    if resilience_value == 0:
        reasons.append(msg("one_actor_carries_all"))
    if actor_count < 2:
        reasons.append(msg("few_actors", count=actor_count))
    return reasons


def innovation_metrics(
    proj: Projection,
    weights: IndexWeights | None = None,
    threshold: int = DEFAULT_THRESHOLD,
    reach: Sequence[int] | None = None,
) -> list[InnovationMetrics]:
    """Metrics of every innovation of the projection, in id order. `reach` (one count per
    innovation) replaces the projection's when it was counted on more of the graph than the
    projection holds (graph.analytics.local)."""
    with paused_gc():
        return _innovation_metrics(proj, weights, threshold, reach)


def _innovation_metrics(
    proj: Projection, weights: IndexWeights | None, threshold: int, reach: Sequence[int] | None
) -> list[InnovationMetrics]:
    import numpy as np  # here: one innovation's metrics (`one_innovation_metrics`) need none

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
    diversities: FloatArray = np.clip(-(shares * logs).sum(axis=1) / LN_HELIX, 0.0, 1.0) + 0.0
    fragile = counts == 1
    n_fragile = fragile.sum(axis=1)
    resiliences = np.where(
        coverage == 0, 0.0, np.where(n_fragile > 0, (coverage - 1) / np.maximum(coverage, 1), 1.0)
    )
    non_gov = np.divide(total - strength[:, GOVERNMENT], total, out=np.zeros(n), where=total > 0)
    reaches = proj.reach if reach is None else np.asarray(reach, dtype=np.int64)

    critical: dict[int, list[CriticalActor]] = {}
    for k in np.flatnonzero(fragile[proj.tie_innovation, proj.tie_helix]).tolist():
        critical.setdefault(int(proj.tie_innovation[k]), []).append(
            _critical(proj.actors[int(proj.tie_actor[k])], proj.ties[k])
        )
    reported_ties = np.bincount(
        proj.tie_innovation,
        weights=np.array([is_reported(t.source) for t in proj.ties], dtype=np.float64),
        minlength=n,
    )
    rows = zip(
        counts.tolist(),
        strength.tolist(),
        diversities.tolist(),
        resiliences.tolist(),
        non_gov.tolist(),
        reported_ties.tolist(),
        reaches.tolist(),
        strict=True,
    )
    return [
        _metrics(inv, cnt, stg, div, res, ngs, critical.get(i, []), rep, rch, weights, threshold)
        for i, (inv, (cnt, stg, div, res, ngs, rep, rch)) in enumerate(
            zip(proj.innovations, rows, strict=True)
        )
    ]


def one_innovation_metrics(
    innovation: Innovation,
    ties: Iterable[Collaboration],
    actors: Mapping[str, Actor],
    reach: int,
    weights: IndexWeights | None = None,
    threshold: int = DEFAULT_THRESHOLD,
) -> InnovationMetrics:
    """The metrics of one innovation from its ties active that day (those of actors missing
    from `actors` are left out, as in a projection) and its reach: what `innovation_metrics`
    gives for it, on plain values with the scalar formulas above.

    >>> from graph.models import Actor, Collaboration, Innovation
    >>> inv = Innovation(id="i", name="I", origin="masyarakat", region="63")
    >>> people = {a.id: a for a in (
    ...     Actor(id="g", name="G", helix="government", region="63"),
    ...     Actor(id="u", name="U", helix="academia", region="63"),
    ...     Actor(id="v", name="V", helix="academia", region="63"))}
    >>> ties = [Collaboration(actor_id=a, innovation_id="i", role="advocate", since="2024-01-01")
    ...         for a in people]
    >>> m = one_innovation_metrics(inv, ties, people, reach=0)
    >>> m.coverage, m.depth, m.resilience, [a.id for a in m.critical_actors]
    (2, {<Helix.GOVERNMENT: 'government'>: 1, <Helix.ACADEMIA: 'academia'>: 2}, 0.5, ['g'])
    """
    weights = weights or IndexWeights()
    mine = sorted(
        (t for t in ties if t.actor_id in actors and t.innovation_id == innovation.id),
        key=lambda t: t.actor_id,  # a projection's order: the same sums, to the last bit
    )
    counts = [0] * N_HELIX
    strength = [0.0] * N_HELIX
    for tie in mine:
        h = HELIX_INDEX[actors[tie.actor_id].helix]
        counts[h] += 1
        strength[h] += float(tie.strength)
    total = 0.0
    for value in strength:  # in helix order, as numpy sums a row
        total += value
    critical = [
        _critical(actors[t.actor_id], t)
        for t in mine
        if counts[HELIX_INDEX[actors[t.actor_id].helix]] == 1
    ]
    return _metrics(
        innovation,
        counts,
        strength,
        min(1.0, diversity(strength)),
        resilience({HELIXES[h]: c for h, c in enumerate(counts)}),
        (total - strength[GOVERNMENT]) / total if total > 0 else 0.0,
        critical,
        float(sum(1 for t in mine if is_reported(t.source))),
        reach,
        weights,
        threshold,
    )


def _critical(actor: Actor, tie: Collaboration) -> CriticalActor:
    """The only actor of its kind on an innovation, with its tie's provenance."""
    return CriticalActor(
        id=actor.id,
        name=actor.name,
        helix=actor.helix,
        provenance=tie_provenance(tie.source),
        source=tie.source,
        note=None if is_reported(tie.source) else msg("rests_on_illustrative"),
    )


def _metrics(
    inv: Innovation,
    counts: Sequence[int],
    strength: Sequence[float],
    diversity_value: float,
    resilience_value: float,
    non_government: float,
    critical: list[CriticalActor],
    reported_ties: float,
    reach: int,
    weights: IndexWeights,
    threshold: int,
) -> InnovationMetrics:
    """One innovation's answer from its per-helix tie counts and strengths (helix order) and
    the figures computed from them."""
    cov = sum(1 for c in counts if c > 0)
    actor_count = sum(counts)
    missing = [HELIXES[h] for h in range(N_HELIX) if counts[h] == 0]
    res = round(resilience_value, 4)
    components = index_components(
        cov, list(strength), sum(1 for c in counts if c == 1), reach, weights
    )
    components = IndexComponents(**{k: round(v, 4) for k, v in components.model_dump().items()})
    reasons = under_connected_reasons(cov, missing, res, actor_count, threshold)
    return InnovationMetrics(
        id=inv.id,
        name=inv.name,
        provenance=inv.provenance,
        program=inv.program,
        membership=inv.membership,
        data_completeness=round(reported_ties / actor_count, 4) if actor_count else None,
        region=inv.region,
        sector=inv.sector,
        district=inv.district,
        coverage=cov,
        missing=missing,
        diversity=round(diversity_value, 4),
        depth={HELIXES[h]: counts[h] for h in range(N_HELIX) if counts[h] > 0},
        fragile_helices=[HELIXES[h] for h in range(N_HELIX) if counts[h] == 1],
        critical_actors=sorted(critical, key=lambda a: (HELIXES.index(a.helix), a.id)),
        resilience=res,
        non_government_share=round(non_government, 4),
        reach=reach,
        actor_count=actor_count,
        iga_actor_score=iga_actor_score(cov),
        sustainability_index=sustainability_index(components, weights),
        components=components,
        weights=weights,
        under_connected=bool(reasons),
        reasons=reasons,
    )


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
