"""The error of sampled betweenness against exact betweenness on a graph of about 5,000 actors.

    python -m bench.betweenness_error [--seed 1] [--actors 5000] [--samples 64,256,1024]

The graph is the union of whole regions of the synthetic national graph (largest first, until
`--actors` actors): the same shape as the national projection, small enough for exact
betweenness. For each sample size it reports the Spearman rank correlation over all actors, the
overlap of the top 100 (and top 20) actors, the median relative error of the top 100, and the
time; it writes bench/results/betweenness_error.json.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

import numpy as np
from scipy import stats

from bench.analytics import AT
from graph.analytics import actor_metrics as am
from graph.analytics.projection import Projection
from graph.models import GraphData
from graph.synth import Scale, generate_raw

RESULTS = Path(__file__).resolve().parent / "results" / "betweenness_error.json"


def regions_slice(data: GraphData, codes: set[str]) -> GraphData:
    """Some regions' innovations, the actors tied to them, and the ties among those."""
    innovations = [i for i in data.innovations if i.region in codes]
    ids = {i.id for i in innovations}
    ties = [c for c in data.collaborations if c.innovation_id in ids]
    actor_ids = {c.actor_id for c in ties}
    return GraphData(
        regions=[r for r in data.regions if r.code in codes],
        actors=[a for a in data.actors if a.id in actor_ids],
        innovations=innovations,
        collaborations=ties,
        partnerships=[
            p for p in data.partnerships if p.source_id in actor_ids and p.target_id in actor_ids
        ],
    )


def pick_regions(data: GraphData, actors: int) -> set[str]:
    """Whole regions, largest first, until they hold about `actors` actors."""
    tied: dict[str, set[str]] = {}
    region_of = {i.id: i.region for i in data.innovations}
    for c in data.collaborations:
        tied.setdefault(region_of[c.innovation_id], set()).add(c.actor_id)
    chosen: set[str] = set()
    seen: set[str] = set()
    for code in sorted(tied, key=lambda c: (-len(tied[c]), c)):
        if len(seen) >= actors:
            break
        chosen.add(code)
        seen |= tied[code]
    return chosen


def top(values: np.ndarray[Any, Any], k: int) -> set[int]:
    return set(np.argsort(-values, kind="stable")[:k].tolist())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.betweenness_error")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--actors", type=int, default=5000)
    parser.add_argument("--samples", default="64,256,1024")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    data = GraphData.model_validate(generate_raw(Scale.NATIONAL, args.seed))
    codes = pick_regions(data, args.actors)
    proj = Projection(regions_slice(data, codes), AT)
    n = proj.n_actors
    start = time.perf_counter()
    exact = am.betweenness(proj, exact_limit=n)
    exact_s = time.perf_counter() - start
    rows: list[dict[str, Any]] = []
    for samples in [int(s) for s in args.samples.split(",") if s]:
        start = time.perf_counter()
        approx = am.betweenness(proj, exact_limit=0, samples=samples)
        seconds = time.perf_counter() - start
        rho = float(stats.spearmanr(exact, approx).statistic)
        top100 = sorted(top(exact, 100))
        rel = np.abs(approx[top100] - exact[top100]) / exact[top100]
        rows.append(
            {
                "sources": samples,
                "seconds": round(seconds, 3),
                "spearman_all": round(rho, 4),
                "top20_overlap": len(top(exact, 20) & top(approx, 20)) / 20,
                "top100_overlap": len(top(exact, 100) & top(approx, 100)) / 100,
                "top100_median_relative_error": round(float(np.median(rel)), 4),
            }
        )
        print(rows[-1], flush=True)
    result = {
        "graph": {
            "seed": args.seed,
            "regions": len(codes),
            "actors": n,
            "projection edges": int(proj.igraph.ecount()),
            "actors with betweenness > 0": int((exact > 0).sum()),
        },
        "exact_seconds": round(exact_s, 3),
        "sampled": rows,
        "seed of the sources": am.SEED,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result["graph"]), "exact", round(exact_s, 2), "s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
