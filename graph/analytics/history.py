"""Time series of the portfolio headline figures, one point per step."""

from __future__ import annotations

import calendar
from collections import Counter
from datetime import date

import numpy as np

from graph.analytics.helixes import HELIXES
from graph.analytics.history_schemas import HistoryPoint, PortfolioHistory, Step
from graph.analytics.innovation_metrics import innovation_metrics
from graph.analytics.portfolio import coverage_histogram, helix_presence, iga_distribution
from graph.analytics.projection import Projection
from graph.analytics.weights import IndexWeights
from graph.errors import Invalid
from graph.models import GraphData

MONTHS: dict[str, int] = {"year": 12, "quarter": 3, "month": 1}
MAX_POINTS = 240


def add_months(day: date, months: int) -> date:
    """The same day `months` later, clamped to the month's end.

    >>> add_months(date(2024, 2, 29), 12)
    datetime.date(2025, 2, 28)
    >>> add_months(date(2025, 1, 31), 1)
    datetime.date(2025, 2, 28)
    """
    total = day.month - 1 + months
    year, month = day.year + total // 12, total % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def steps(start: date, end: date, step: Step = "year") -> list[date]:
    """Days from `start` to `end` inclusive, every `step`.

    >>> steps(date(2023, 1, 1), date(2025, 6, 1))
    [datetime.date(2023, 1, 1), datetime.date(2024, 1, 1), datetime.date(2025, 1, 1)]
    """
    if step not in MONTHS:
        raise Invalid(
            f"step must be one of {', '.join(MONTHS)}", [f"step: one of {', '.join(MONTHS)}"]
        )
    if start > end:
        raise Invalid("from must not be after to", ["from: must not be after to"])
    days: list[date] = []
    k = 0
    while (day := add_months(start, MONTHS[step] * k)) <= end:
        days.append(day)
        k += 1
        if len(days) > MAX_POINTS:
            raise Invalid(
                f"at most {MAX_POINTS} points; use a longer step",
                [f"step: more than {MAX_POINTS} points"],
            )
    return days


def history_point(proj: Projection, weights: IndexWeights, threshold: int) -> HistoryPoint:
    """Headline figures of one day."""
    metrics = [m for m in innovation_metrics(proj, weights, threshold)]
    active = [m for m in metrics if m.actor_count > 0]
    presence = helix_presence(proj).sum(axis=0)
    n = len(metrics)
    return HistoryPoint(
        at=proj.at,
        active_innovation_count=len(active),
        active_actor_count=len(np.unique(proj.tie_actor)),
        tie_count=len(proj.ties),
        partnership_count=len(proj.partnerships),
        mean_coverage=round(sum(m.coverage for m in metrics) / n, 4) if n else None,
        mean_diversity=round(sum(m.diversity for m in metrics) / n, 4) if n else None,
        mean_sustainability_index=(
            round(sum(m.sustainability_index for m in metrics) / n, 4) if n else None
        ),
        under_connected_count=Counter(m.under_connected for m in metrics)[True],
        coverage_histogram=coverage_histogram(metrics),
        helix_participation={h: int(presence[k]) for k, h in enumerate(HELIXES)},
        iga_actor_score_distribution=iga_distribution(metrics),
        illustrative=proj.illustrative,
    )


def portfolio_history(
    data: GraphData,
    start: date,
    end: date,
    step: Step = "year",
    weights: IndexWeights | None = None,
    threshold: int = 4,
    region: str | None = None,
) -> PortfolioHistory:
    """The portfolio headline figures on each step from `start` to `end`."""
    weights = weights or IndexWeights()
    days = steps(start, end, step)
    points = [history_point(Projection(data, day), weights, threshold) for day in days]
    return PortfolioHistory(region=region, step=step, points=points)
