"""Section 1: each analytics measure through the project's `graph.analytics`, and the same
measure in python-igraph (the peer) in the same run, on the same actor projection."""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from datetime import date
from typing import Any

import numpy as np
from scipy import sparse

from graph.analytics import actor_metrics as am
from graph.analytics.engine import Analytics, Context
from graph.analytics.innovation_metrics import innovation_metrics
from graph.analytics.projection import Projection
from graph.analytics.weights import IndexWeights
from graph.models import GraphData

AT = date(2025, 12, 11)


class MemoryStore:
    """Just enough of a store for the engine: a fixed version and snapshots by region."""

    def __init__(self, data: GraphData) -> None:
        self.data = data

    def version(self) -> int:
        return 1

    def snapshot(self, region: str | None = None) -> GraphData:
        return self.data if region is None else region_slice(self.data, region)


def region_slice(data: GraphData, region: str) -> GraphData:
    """A region's innovations, the actors tied to them, and the ties among those."""
    innovations = [i for i in data.innovations if i.region == region]
    ids = {i.id for i in innovations}
    ties = [c for c in data.collaborations if c.innovation_id in ids]
    actor_ids = {c.actor_id for c in ties} | {i.owner_id for i in innovations if i.owner_id}
    return GraphData(
        regions=[r for r in data.regions if r.code == region],
        actors=[a for a in data.actors if a.id in actor_ids],
        innovations=innovations,
        collaborations=ties,
        partnerships=[
            p for p in data.partnerships if p.source_id in actor_ids and p.target_id in actor_ids
        ],
    )


def timed(fn: Callable[[], object]) -> tuple[float, object]:
    """Seconds one call takes, and its result."""
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def best_of(fn: Callable[[], object], runs: int) -> float:
    """The fastest of `runs` calls, in seconds (less noise on a shared machine)."""
    return min(timed(fn)[0] for _ in range(runs))


def _igraph_peer(proj: Projection, sources: list[int] | None) -> dict[str, float]:
    """The same measures in python-igraph, from the project's incidence arrays."""
    import igraph

    n_inn, n_act = proj.n_innovations, proj.n_actors
    times: dict[str, float] = {}
    # actor projection: igraph's bipartite projection of the innovation-actor graph
    edges = list(zip(proj.tie_innovation.tolist(), (proj.tie_actor + n_inn).tolist(), strict=True))
    types = [False] * n_inn + [True] * n_act
    start = time.perf_counter()
    bip = igraph.Graph.Bipartite(types, edges)
    bip.bipartite_projection(which=1, multiplicity=True)
    times["actor projection"] = time.perf_counter() - start
    # the projection graph itself, built once from a list of tuples (the fast way)
    upper = sparse.triu(proj.adjacency, k=1, format="coo")
    start = time.perf_counter()
    g = igraph.Graph(n=n_act, edges=list(zip(upper.row.tolist(), upper.col.tolist(), strict=True)))
    weights = upper.data.tolist()
    costs = (1.0 / upper.data).tolist()
    times["build graph"] = time.perf_counter() - start
    times["degree"] = best_of(lambda: (g.degree(), g.strength(weights=weights)), 3)
    times["pagerank"] = best_of(lambda: g.pagerank(weights=weights, damping=0.85), 3)
    times["betweenness"] = timed(
        lambda: g.betweenness(directed=False, weights=costs, sources=sources)
    )[0]
    times["louvain"] = timed(lambda: g.community_multilevel(weights=weights))[0]
    return times


def run(data: GraphData, scale: str, regions: dict[str, str]) -> dict[str, Any]:
    """Time every measure on `data` with the igraph peer, and the full pass of `regions`
    (label: code) through the cached engine."""
    import igraph  # noqa: F401 - imported before any timing, as a running service has it

    weights = IndexWeights()
    if scale != "national":  # warm caches of first calls (cheap at this size)
        Context(Projection(data, AT), None, weights, 4).full_pass()
    rows: list[dict[str, Any]] = []
    project: dict[str, float] = {}
    note: dict[str, str] = {}

    project["projection (snapshot to arrays)"], proj_any = timed(lambda: Projection(data, AT))
    proj: Projection = proj_any  # type: ignore[assignment]
    project["actor projection"] = timed(lambda: proj.adjacency)[0]
    project["innovation metrics (all)"] = best_of(
        lambda: innovation_metrics(proj, weights, 4), 1 if scale == "national" else 5
    )
    adj = proj.adjacency
    project["degree"] = best_of(
        lambda: (np.diff(adj.indptr), np.asarray(adj.sum(axis=1)).ravel()), 3
    )
    project["pagerank"] = best_of(lambda: am.pagerank(adj), 3)
    n = proj.n_actors
    sources = None
    if n > am.EXACT_BETWEENNESS_LIMIT:
        sources = am.betweenness_sources(n)
        note["betweenness"] = f"sampled: {len(sources)} sources, seed {am.SEED}"
    else:
        note["betweenness"] = "exact"
    project["build graph"] = timed(lambda: proj.igraph)[0]
    note["build graph"] = "python-igraph graph of the projection, built once"
    project["betweenness"] = timed(lambda: am.betweenness(proj))[0]
    project["louvain"] = timed(lambda: am.louvain(proj))[0]
    note["louvain"] = f"igraph community_multilevel, seed {am.SEED}"
    project["burt constraint + effective size"] = timed(lambda: am.burt(adj))[0]
    note["burt constraint + effective size"] = "scipy sparse over the triangles"
    project["brokerage"] = timed(lambda: am.brokerage_counts(adj, proj.actor_helix))[0]
    # the full pass, cold, stage by stage on a fresh projection (what a first request pays)
    start = time.perf_counter()
    ctx = Context(Projection(data, AT), None, weights, 4)
    ctx.innovation_metrics()
    after_innovations = time.perf_counter()
    ctx.actor_result()
    after_actors = time.perf_counter()
    ctx.portfolio()
    end = time.perf_counter()
    project["actor metrics (all, incl. Burt)"] = after_actors - after_innovations
    note["actor metrics (all, incl. Burt)"] = "inside the full pass below"
    project["portfolio (given metrics)"] = end - after_actors
    note["portfolio (given metrics)"] = "inside the full pass below"
    project["full pass, cold"] = end - start
    note["full pass, cold"] = "snapshot to portfolio: every measure above"

    peer = _igraph_peer(proj, sources)
    peer_full = sum(peer.values())
    peer["full pass, cold"] = peer_full
    note_peer = {
        "actor projection": "Graph.Bipartite + bipartite_projection",
        "full pass, cold": "sum of the igraph measures (no per-innovation metrics, no Burt)",
    }
    for name, seconds in project.items():
        peer_s = peer.get(name)
        rows.append(
            {
                "measure": name,
                "seconds": round(seconds, 4),
                "igraph_seconds": None if peer_s is None else round(peer_s, 4),
                "ratio": None if not peer_s else round(seconds / peer_s, 2),
                "note": note.get(name, note_peer.get(name, "")),
            }
        )

    targets: list[dict[str, Any]] = []
    if scale == "national":
        full = project["full pass, cold"]
        targets.append(_target("national full pass < 60 s", full, full < 60))
        targets.append(
            _target("national full pass within 3x igraph", full / peer_full, full <= 3 * peer_full)
        )
    if scale == "national":
        inn = project["innovation metrics (all)"]
        targets.append(_target("per-innovation metrics, all < 2 s", inn, inn < 2))
    engine = Analytics(MemoryStore(data))
    for label, code in regions.items():
        size = sum(inv.region == code for inv in data.innovations)
        build = functools.partial(engine.portfolio, code, AT)
        cold = timed(build)[0]
        cached = best_of(build, 20)
        for kind, seconds, note_text in (
            ("cold", cold, "engine: region snapshot (slice), projection, every metric"),
            ("cached", cached, "same (version, region, day)"),
        ):
            rows.append(
                {
                    "measure": f"region {code} ({label}, {size} innovations) full pass, {kind}",
                    "seconds": round(seconds, 6),
                    "igraph_seconds": None,
                    "ratio": None,
                    "note": note_text,
                }
            )
        who = f"{label} region ({size} innovations)"
        targets.append(_target(f"{who} full pass cold < 200 ms", cold, cold < 0.2))
        targets.append(_target(f"{who} full pass cached < 5 ms", cached, cached < 0.005))
    return {
        "graph": {
            "innovations": proj.n_innovations,
            "actors": n,
            "active ties": len(proj.ties),
            "projection edges": int(sparse.triu(adj, k=1).nnz),
        },
        "rows": rows,
        "targets": targets,
    }


def _target(name: str, value: float, met: bool) -> dict[str, Any]:
    return {"target": name, "value": round(value, 6), "met": bool(met)}
