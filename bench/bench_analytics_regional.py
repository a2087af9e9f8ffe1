"""Regional benchmark of the analytics full pass (all metrics of one regency).

Uses the Banjar seed (`graph.bundle.load_seed`) when it loads, else a generated graph of the
same size (55 innovations, 130 actors, 300 ties). Prints the median of N runs of:
- cold: projection + every metric from a snapshot (what the first request after a write pays);
- cached: the same call on the engine once the (version, region, at) entry is built.

    .venv/bin/python bench/bench_analytics_regional.py [--runs 30] [--synthetic]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repo root, for `seed`

from graph.analytics.engine import Analytics, Context
from graph.analytics.projection import Projection
from graph.analytics.recommend import recommend
from graph.analytics.synthetic import synthetic_graph
from graph.analytics.weights import IndexWeights
from graph.models import GraphData

AT = date(2025, 12, 11)


class MemoryStore:
    """Just enough of a store for the engine: a fixed version and snapshot."""

    def __init__(self, data: GraphData) -> None:
        self.data = data

    def version(self) -> int:
        return 1

    def snapshot(self, region: str | None = None) -> GraphData:
        return self.data


def median_ms(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--synthetic", action="store_true", help="use a generated graph")
    args = parser.parse_args()

    data: GraphData | None = None
    source = "generated (55 innovations, 130 actors, 300 ties)"
    if not args.synthetic:
        try:
            from graph.bundle import load_seed

            data = load_seed()
            source = "Banjar seed"
        except Exception as error:  # the seed may be missing or mid-edit
            print(f"seed not loaded ({error}); using a generated graph")
    if data is None:
        data = synthetic_graph(55, 130, 300)
    counts = data.counts()
    print(
        f"graph: {source}: {counts['innovations']} innovations, {counts['actors']} actors, "
        f"{counts['collaborations']} ties, {counts['partnerships']} partnerships; at {AT}"
    )

    weights = IndexWeights()

    def cold() -> object:
        ctx = Context(Projection(data, AT), None, weights, 4)
        portfolio = ctx.full_pass()
        for m in portfolio.under_connected:
            recommend(ctx.projection, m.id)
        return portfolio

    cold()  # warm imports (igraph, scipy) once
    parts: dict[str, Callable[[], object]] = {
        "projection": lambda: Projection(data, AT).adjacency,
        "innovation metrics": lambda: Context(
            Projection(data, AT), None, weights, 4
        ).innovation_metrics(),
        "actor metrics": lambda: Context(Projection(data, AT), None, weights, 4).actor_result(),
        "full pass (portfolio: all metrics)": lambda: Context(
            Projection(data, AT), None, weights, 4
        ).full_pass(),
        "full pass + recommendations for every under-connected innovation": cold,
    }
    for name, fn in parts.items():
        print(f"cold  {name:<66} {median_ms(fn, args.runs):8.2f} ms")

    engine = Analytics(MemoryStore(data))
    engine.portfolio(at=AT)
    print(
        f"cached portfolio (engine, same version/region/at) {' ' * 21}"
        f"{median_ms(lambda: engine.portfolio(at=AT), args.runs * 10):8.4f} ms"
    )
    print(f"median of {args.runs} runs")


if __name__ == "__main__":
    main()
