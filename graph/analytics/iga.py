"""IGA gain: the smallest change that raises an innovation's estimated IGA actor-involvement
score ("keterlibatan aktor", `innovation_metrics.iga_actor_score`), with candidate partners,
and the portfolio's top actions with their estimated effect.

The score rises in bands of kinds (`IGA_BANDS`: 3 kinds 1, 4–5 kinds 2, 6 or more kinds 3), so
the smallest change is the fewest missing kinds to reach the next band. Which kinds: those whose best candidate
(the recommendation ranking) has the strongest evidence first; kinds without a candidate last.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from graph.analytics.helixes import N_HELIX
from graph.analytics.iga_schemas import IgaGain, IgaPortfolio, KindToAdd
from graph.analytics.innovation_metrics import iga_actor_score
from graph.analytics.innovation_schemas import ActorRef, InnovationMetrics
from graph.analytics.projection import Projection
from graph.analytics.recommend import recommend
from graph.analytics.weights import RecommendationWeights
from graph.errors import NotFound
from graph.messages import msg

CANDIDATES = 3
"""Candidate partners shown per kind to add."""


def kinds_to_next_score(coverage: int) -> int:
    """Fewest kinds to add for the next estimated score; 0 at the maximum.

    >>> [kinds_to_next_score(c) for c in range(7)]
    [3, 2, 1, 1, 2, 1, 0]
    """
    score = iga_actor_score(coverage)
    for extra in range(1, N_HELIX - coverage + 1):
        if iga_actor_score(coverage + extra) > score:
            return extra
    return 0


def iga_gain(
    proj: Projection, metrics: InnovationMetrics, weights: RecommendationWeights | None = None
) -> IgaGain:
    """The smallest change raising the innovation's estimated score, with candidates."""
    needed = kinds_to_next_score(metrics.coverage)
    score = metrics.iga_actor_score
    if needed == 0:
        return IgaGain(
            innovation_id=metrics.id,
            name=metrics.name,
            coverage=metrics.coverage,
            score=score,
            next_score=None,
            kinds_needed=0,
            add=[],
            action=msg("iga_at_maximum"),
        )
    recs = recommend(proj, metrics.id, weights, limit=CANDIDATES)
    best: dict[str, float] = {}
    for rec in recs.recommendations:
        if rec.why == "missing":
            best[rec.helix.value] = max(best.get(rec.helix.value, -1.0), rec.score)
    # kinds with a candidate first (best candidate's score), then the others in kind order
    ranked = sorted(metrics.missing, key=lambda h: (h.value not in best, -best.get(h.value, 0.0)))
    add = [
        KindToAdd(
            helix=h,
            candidates=[
                ActorRef.of(proj.actors[proj.actor_index[r.actor_id]])
                for r in recs.recommendations
                if r.helix is h and r.why == "missing"
            ],
        )
        for h in ranked[:needed]
    ]
    after = iga_actor_score(metrics.coverage + needed)
    kinds = [k.helix.value for k in add]
    action = (
        msg("iga_add_kind", helix=kinds[0], before=score, after=after)
        if needed == 1
        else msg("iga_add_kinds", kinds=kinds, before=score, after=after)
    )
    return IgaGain(
        innovation_id=metrics.id,
        name=metrics.name,
        coverage=metrics.coverage,
        score=score,
        next_score=after,
        kinds_needed=needed,
        add=add,
        action=action,
    )


def innovation_iga_gain(
    proj: Projection,
    metrics: Sequence[InnovationMetrics],
    innovation_id: str,
    weights: RecommendationWeights | None = None,
) -> IgaGain:
    """`iga_gain` of one innovation, or NotFound."""
    for m in metrics:
        if m.id == innovation_id:
            return iga_gain(proj, m, weights)
    raise NotFound(f"innovation {innovation_id!r} not found")


def iga_portfolio(
    proj: Projection,
    metrics: Sequence[InnovationMetrics],
    region: str | None,
    limit: int = 20,
    weights: RecommendationWeights | None = None,
) -> IgaPortfolio:
    """The top `limit` actions (fewest kinds to add first, then the lowest score, then id) and
    the estimated effect of taking them all."""
    open_ = [m for m in metrics if kinds_to_next_score(m.coverage) > 0]
    open_.sort(key=lambda m: (kinds_to_next_score(m.coverage), m.iga_actor_score, m.id))
    actions = [iga_gain(proj, m, weights) for m in open_[:limit]]
    before = Counter(m.iga_actor_score for m in metrics)
    after = before.copy()
    for a in actions:
        after[a.score] -= 1
        after[a.next_score or a.score] += 1
    total_before = sum(m.iga_actor_score for m in metrics)
    return IgaPortfolio(
        at=proj.at,
        region=region,
        actions=actions,
        actionable=len(open_),
        total_score_before=total_before,
        total_score_after=total_before + sum((a.next_score or a.score) - a.score for a in actions),
        distribution_before={str(s): before[s] for s in range(4)},
        distribution_after={str(s): after[s] for s in range(4)},
        uncertainty=msg("iga_uncertain"),
    )
