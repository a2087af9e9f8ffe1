"""Store operations on the embedded store at national scale, called in-process (no HTTP): the
bulk load, a region's first page, the collaboration queries, a write and the coverage gaps.

    python -m bench.store_ops [--calls 300] [--seed 1]

Prints one JSON object: the load in seconds, then p50 and p95 milliseconds of each operation
over `--calls` calls on random ids. To compare two versions of the code, run it with
`PYTHONPATH` set to each checkout in turn (alternating, so both see the same machine load).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from graph.embedded import EmbeddedStore
from graph.models import CollaborationPatch
from graph.store import InnovationFilter, PageRequest
from graph.synth import generate
from graph.vocab import Helix

AT = date(2026, 1, 1)


def timed(call: Callable[[], object], calls: int) -> dict[str, float]:
    """p50 and p95 milliseconds of `calls` calls."""
    times = []
    for _ in range(calls):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
    return {"p50_ms": round(statistics.median(times), 3), "p95_ms": round(p95, 3)}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=300, help="calls per operation")
    parser.add_argument("--seed", type=int, default=1, help="seed of the synthetic graph")
    args = parser.parse_args(argv)
    data = generate("national", args.seed)
    rng = random.Random(7)
    innovations = [i.id for i in data.innovations]
    actors = [a.id for a in data.actors]
    ties = [c.key for c in data.collaborations]
    regions = sorted({i.region for i in data.innovations})
    with tempfile.TemporaryDirectory() as work:
        store = EmbeddedStore(Path(work))
        start = time.perf_counter()
        store.load(data)
        out: dict[str, object] = {"load_s": round(time.perf_counter() - start, 2)}
        operations: dict[str, tuple[Callable[[], object], int]] = {
            "list_innovations(region)": (
                lambda: store.list_innovations(
                    InnovationFilter(region=rng.choice(regions)), PageRequest(limit=50)
                ),
                args.calls,
            ),
            "collaborators": (lambda: store.collaborators(rng.choice(innovations), AT), args.calls),
            "partners": (lambda: store.partners(rng.choice(actors), AT), args.calls),
            "actor_innovations": (
                lambda: store.actor_innovations(rng.choice(actors), AT),
                args.calls,
            ),
            "update_collaboration": (
                lambda: store.update_collaboration(
                    *rng.choice(ties), CollaborationPatch(strength=rng.choice([1, 2, 3]))
                ),
                args.calls,
            ),
            "coverage_gaps(national)": (lambda: store.coverage_gaps(len(Helix), AT), 3),
        }
        for name, (call, calls) in operations.items():
            out[name] = timed(call, calls)
        store.close()
    print(json.dumps(out))


if __name__ == "__main__":
    main()
