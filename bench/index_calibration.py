"""Calibration table of the sustainability index on the Banjar seed (docs/METRICS.md).

    python -m bench.index_calibration [--at 2026-01-01]

For each number of kinds: how many innovations, the range of the earlier weighted-mean index
(recomputed from the reported metrics) and the min / median / max of the index now; then how
many pairs of innovations rank one with fewer kinds above one with more, under each form.
"""

from __future__ import annotations

import argparse
import statistics
from collections import defaultdict
from datetime import date

from graph.analytics.innovation_metrics import innovation_metrics
from graph.analytics.innovation_schemas import InnovationMetrics
from graph.analytics.projection import Projection
from graph.bundle import load_seed


def earlier_index(m: InnovationMetrics) -> float:
    """The weighted mean used before issue 14 (coverage .30, diversity .15, resilience .20,
    share of non-fragile kinds .15, non-government .10, reach .10)."""
    cov = m.coverage
    non_fragile = (1 - len(m.fragile_helices) / cov) if cov else 0.0
    total = (
        0.30 * cov / 6
        + 0.15 * m.diversity
        + 0.20 * m.resilience
        + 0.15 * non_fragile
        + 0.10 * min(1.0, m.non_government_share / 0.5)
        + 0.10 * min(1.0, m.reach / 5)
    )
    return round(100 * total, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--at", type=date.fromisoformat, default=date(2026, 1, 1))
    args = parser.parse_args()
    metrics = innovation_metrics(Projection(load_seed(), args.at))
    by_kinds: dict[int, list[InnovationMetrics]] = defaultdict(list)
    for m in metrics:
        by_kinds[m.coverage].append(m)
    print("| kinds | innovations | old index min–max | new index min / median / max |")
    print("|---:|---:|---|---|")
    for kinds, rows in sorted(by_kinds.items()):
        old = [earlier_index(m) for m in rows]
        new = [m.sustainability_index for m in rows]
        print(
            f"| {kinds} | {len(rows)} | {min(old)}–{max(old)} | "
            f"{min(new)} / {statistics.median(new)} / {max(new)} |"
        )
    pairs = [(a, b) for a in metrics for b in metrics if a.coverage < b.coverage]
    old_inv = sum(1 for a, b in pairs if earlier_index(a) > earlier_index(b))
    new_inv = sum(1 for a, b in pairs if a.sustainability_index > b.sustainability_index)
    print(f"\npairs where fewer kinds rank above more: old {old_inv}, new {new_inv}")


if __name__ == "__main__":
    main()
