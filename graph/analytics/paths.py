"""Introduction paths between actors, and ego networks of actors and innovations.

Paths: first the direct link when the two already work together (shared innovations or a
partnership), then the k cheapest introductions: simple paths through others on the actor
projection (Yen's algorithm, python-igraph's
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
from typing import TYPE_CHECKING, Literal

from graph.analytics.innovation_schemas import ActorRef
from graph.analytics.paths_schemas import EgoEdge, EgoNetwork, EgoNode, Hop, Path, Paths
from graph.errors import Invalid, NotFound
from graph.messages import msg
from graph.provenance import IllustrativeShare, illustrative_share, overall, tie_provenance
from graph.vocab import Provenance

if TYPE_CHECKING:
    from graph.analytics.projection import Projection

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
    names = [proj.innovations[j].name for j in shared]
    if shared and partnership is not None:
        explanation = msg(
            "hop_shared_partnership", a=na, b=nb, innovations=names, kind=partnership.kind.value
        )
    elif shared:
        explanation = msg("hop_shared", a=na, b=nb, innovations=names)
    else:
        assert partnership is not None  # adjacent on the projection: one or the other
        explanation = msg("hop_partnership", a=na, b=nb, kind=partnership.kind.value)
    weight = float(proj.adjacency[ia, ib])
    evidence = proj.link_evidence(ia, ib)
    return Hop(
        source=a,
        target=b,
        weight=round(weight, 4),
        shared_innovations=[proj.innovations[j].id for j in shared],
        partnership=partnership.kind.value if partnership else None,
        explanation=explanation,
        evidence=evidence,
        provenance=overall(evidence),
    )


def _cost(proj: Projection, a: str, b: str) -> float:
    return 1.0 / float(proj.adjacency[proj.actor_index[a], proj.actor_index[b]])


def _path(proj: Projection, nodes: list[str]) -> Path:
    hops = [explain_hop(proj, a, b) for a, b in pairwise(nodes)]
    actors = [proj.actors[proj.actor_index[n]] for n in nodes]
    if len(hops) == 1:
        hop = hops[0]
        names = [proj.innovations[proj.innovation_index[j]].name for j in hop.shared_innovations]
        a, b = actors[0].name, actors[1].name
        note = (
            msg("path_direct", a=a, b=b, innovations=names)
            if names
            else msg("path_direct_partnership", a=a, b=b, kind=hop.partnership)
        )
    else:
        note = msg("path_introduction", via=[x.name for x in actors[1:-1]], hops=len(hops))
    invented = any(hop.provenance is Provenance.ILLUSTRATIVE for hop in hops)
    return Path(
        actors=[ActorRef.of(a) for a in actors],
        cost=round(sum(_cost(proj, a, b) for a, b in pairwise(nodes)), 6),
        hops=hops,
        direct=len(hops) == 1,
        note=note,
        provenance=Provenance.ILLUSTRATIVE if invented else Provenance.REPORTED,
        illustrative_note=msg("rests_on_illustrative") if invented else None,
    )


def rests_on(proj: Projection, paths: list[Path]) -> IllustrativeShare:
    """What the listed paths rest on, each fact once: the innovations their hops share, the
    two ties behind each shared innovation, and their partnerships."""
    ties: set[int] = set()
    pairs: set[frozenset[str]] = set()
    innovations: set[int] = set()
    for hop in (hop for path in paths for hop in path.hops):
        for fact in hop.evidence:
            if fact.innovation_id is None:
                pairs.add(frozenset(fact.actors))
                continue
            j = proj.innovation_index[fact.innovation_id]
            innovations.add(j)
            ties |= {proj.tie_at[(proj.actor_index[a], j)] for a in fact.actors}
    return illustrative_share(
        [proj.innovations[j] for j in sorted(innovations)],
        [proj.ties[k] for k in sorted(ties)],
        [proj.partnership_of[pair] for pair in pairs],
    )


def introduction_paths(proj: Projection, source: str, target: str, k: int = 3) -> Paths:
    """Whether the two already work together (the direct link first: shared innovations or a
    partnership), then up to k cheapest introductions through others (Yen's algorithm).

    A direct link is always listed first, however weak: a planner asking how to reach a
    partner must first see that they already work together, whatever a chain of strong ties
    would cost."""
    if not 1 <= k <= MAX_K:
        raise Invalid(f"k must be between 1 and {MAX_K}", [f"k: must be between 1 and {MAX_K}"])
    _actor(proj, source)
    _actor(proj, target)
    if source == target:
        raise Invalid("source and target must differ", ["target: must differ from source"])
    ia, ib = proj.actor_index[source], proj.actor_index[target]
    direct = bool(proj.adjacency[ia, ib])
    with warnings.catch_warnings():  # "Couldn't reach some vertices": no path, an empty list
        warnings.simplefilter("ignore", RuntimeWarning)
        routes = proj.igraph.get_k_shortest_paths(ia, ib, k=k + int(direct), weights="cost")
    found = [[proj.actors[v].id for v in vertices] for vertices in routes if len(vertices) > 2]
    paths = [_path(proj, [source, target])] if direct else []
    paths += [_path(proj, nodes) for nodes in found[:k]]
    return Paths(
        source=source,
        target=target,
        at=proj.at,
        direct=direct,
        paths=paths,
        illustrative=rests_on(proj, paths),
    )


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
                provenance=tie_provenance(tie.source),
                provenance_source=tie.source,
            ),
        )
    for p in proj.partnerships:
        a, b = f"actor:{p.source_id}", f"actor:{p.target_id}"
        edge = EgoEdge(
            source=a,
            target=b,
            type="partners_with",
            kind=p.kind.value,
            provenance=tie_provenance(p.source),
            provenance_source=p.source,
        )
        link(a, b, edge)

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
                    provenance=actor.provenance,
                )
            )
        else:
            inv = proj.innovations[proj.innovation_index[ident]]
            nodes.append(
                EgoNode(
                    key=key,
                    id=ident,
                    type="innovation",
                    name=inv.name,
                    distance=dist,
                    provenance=inv.provenance,
                )
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
