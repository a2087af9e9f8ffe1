"""Introduction paths between actors, and ego networks of actors and innovations.

Paths: the k cheapest simple paths on the actor projection (Yen's algorithm, python-igraph's
`get_k_shortest_paths` on `Projection.igraph`, the paths `nx.shortest_simple_paths` finds) with
edge length ``cost = 1 / weight``: a hop over strong ties (several shared
innovations, core roles, a PKS) is short, an occasional link is long. A path's cost is the sum
of its hop lengths.

Ego networks: breadth-first on the bipartite actor–innovation graph of active ties plus active
partnerships, to `depth` steps (an actor's innovations are 1 step away, their other actors 2).
"""

from __future__ import annotations

import warnings
from collections import deque
from itertools import pairwise
from typing import Literal

from graph.analytics.innovation_schemas import ActorRef
from graph.analytics.paths_schemas import EgoEdge, EgoNetwork, EgoNode, Hop, Path, Paths
from graph.analytics.projection import Projection
from graph.analytics.text import name_list
from graph.errors import Invalid, NotFound

MAX_K = 10
MAX_DEPTH = 4
MAX_EGO_NODES = 2000


def _actor(proj: Projection, actor_id: str) -> int:
    if actor_id not in proj.actor_index:
        raise NotFound(f"actor {actor_id!r} not found")
    return proj.actor_index[actor_id]


def explain_hop(proj: Projection, a: str, b: str) -> Hop:
    """What links two adjacent actors on the projection."""
    ia, ib = proj.actor_index[a], proj.actor_index[b]
    shared = sorted(
        proj.actor_innovation_set(ia) & proj.actor_innovation_set(ib),
        key=lambda j: proj.innovations[j].id,
    )
    partnership = proj.partnership_of.get(frozenset((a, b)))
    na, nb = proj.actors[ia].name, proj.actors[ib].name
    parts: list[str] = []
    if shared:
        parts.append(f"work together on {name_list([proj.innovations[j].name for j in shared])}")
    if partnership is not None:
        parts.append(f"have a partnership ({partnership.kind.value})")
    weight = float(proj.adjacency[ia, ib])
    return Hop(
        source=a,
        target=b,
        weight=round(weight, 4),
        shared_innovations=[proj.innovations[j].id for j in shared],
        partnership=partnership.kind.value if partnership else None,
        explanation=f"{na} and {nb} {' and '.join(parts)}",
    )


def _cost(proj: Projection, a: str, b: str) -> float:
    return 1.0 / float(proj.adjacency[proj.actor_index[a], proj.actor_index[b]])


def introduction_paths(proj: Projection, source: str, target: str, k: int = 3) -> Paths:
    """Up to k cheapest simple paths from source to target (empty when they are not linked)."""
    if not 1 <= k <= MAX_K:
        raise Invalid(f"k must be between 1 and {MAX_K}", [f"k: must be between 1 and {MAX_K}"])
    _actor(proj, source)
    _actor(proj, target)
    if source == target:
        raise Invalid("source and target must differ", ["target: must differ from source"])
    ia, ib = proj.actor_index[source], proj.actor_index[target]
    with warnings.catch_warnings():  # "Couldn't reach some vertices": no path, an empty list
        warnings.simplefilter("ignore", RuntimeWarning)
        routes = proj.igraph.get_k_shortest_paths(ia, ib, k=k, weights="cost")
    found = [[proj.actors[v].id for v in vertices] for vertices in routes if vertices]
    paths: list[Path] = []
    for nodes in found:
        hops = [explain_hop(proj, a, b) for a, b in pairwise(nodes)]
        actors = [proj.actors[proj.actor_index[n]] for n in nodes]
        paths.append(
            Path(
                actors=[ActorRef(id=a.id, name=a.name, helix=a.helix) for a in actors],
                cost=round(sum(_cost(proj, a, b) for a, b in pairwise(nodes)), 6),
                hops=hops,
            )
        )
    return Paths(source=source, target=target, at=proj.at, paths=paths)


def ego_network(
    proj: Projection, kind: Literal["actor", "innovation"], node_id: str, depth: int = 1
) -> EgoNetwork:
    """Nodes within `depth` steps of an actor or innovation, and every edge among them."""
    if not 1 <= depth <= MAX_DEPTH:
        raise Invalid(
            f"depth must be between 1 and {MAX_DEPTH}",
            [f"depth: must be between 1 and {MAX_DEPTH}"],
        )
    if kind == "actor":
        _actor(proj, node_id)
    elif node_id not in proj.innovation_index:
        raise NotFound(f"innovation {node_id!r} not found")
    center = f"{kind}:{node_id}"

    links: dict[str, list[tuple[str, EgoEdge]]] = {}

    def link(a: str, b: str, edge: EgoEdge) -> None:
        links.setdefault(a, []).append((b, edge))
        links.setdefault(b, []).append((a, edge))

    for tie in proj.ties:
        a, i = f"actor:{tie.actor_id}", f"innovation:{tie.innovation_id}"
        link(
            a,
            i,
            EgoEdge(
                source=a,
                target=i,
                type="collaborates_on",
                role=tie.role.value,
                strength=tie.strength,
            ),
        )
    for p in proj.partnerships:
        a, b = f"actor:{p.source_id}", f"actor:{p.target_id}"
        link(a, b, EgoEdge(source=a, target=b, type="partners_with", kind=p.kind.value))

    distance = {center: 0}
    queue = deque([center])
    truncated = False
    while queue:
        node = queue.popleft()
        if distance[node] == depth:
            continue
        for other, _ in links.get(node, []):
            if other in distance:
                continue
            if len(distance) >= MAX_EGO_NODES:
                truncated = True
                break
            distance[other] = distance[node] + 1
            queue.append(other)

    nodes: list[EgoNode] = []
    for key, dist in sorted(distance.items(), key=lambda kv: (kv[1], kv[0])):
        node_kind, _, ident = key.partition(":")
        if node_kind == "actor":
            actor = proj.actors[proj.actor_index[ident]]
            nodes.append(
                EgoNode(
                    key=key,
                    id=ident,
                    type="actor",
                    name=actor.name,
                    helix=actor.helix,
                    distance=dist,
                )
            )
        else:
            inv = proj.innovations[proj.innovation_index[ident]]
            nodes.append(
                EgoNode(key=key, id=ident, type="innovation", name=inv.name, distance=dist)
            )
    seen: set[int] = set()
    edges: list[EgoEdge] = []
    for key in distance:
        for other, edge in links.get(key, []):
            if other in distance and id(edge) not in seen:
                seen.add(id(edge))
                edges.append(edge)
    edges.sort(key=lambda e: (e.source, e.target))
    return EgoNetwork(
        center=center, depth=depth, at=proj.at, nodes=nodes, edges=edges, truncated=truncated
    )
