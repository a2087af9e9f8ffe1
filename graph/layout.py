"""Node positions for the web map: one force-directed layout per graph version and region.

The layout runs over the bipartite graph of a snapshot (innovations and actors, linked by their
collaborations, whatever their dates, plus actor partnerships at a lower weight) with a fixed
seed, so the same graph version always gives the same picture. Connected nodes are scaled to
0..1000 on both axes; smaller components sit in rows below. `LayoutCache` keeps the last few layouts
by (graph version, region); any write bumps the version, so a changed graph gets a fresh layout
on the next request.
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field

from graph.models import GraphData

if TYPE_CHECKING:
    import networkx as nx

SEED = 20251211
"""Fixed layout seed (the INTAN BANJAR 2025 launch day)."""
EXTENT = 1000.0
PARTNERSHIP_WEIGHT = 0.5
SMALL_GAP = 50.0
"""Spacing of the small components (and untied nodes) lined up under the main one."""

NodeKind = Literal["innovation", "actor"]


class NodePosition(BaseModel):
    """Where one node sits on the map."""

    id: str = Field(description="Innovation or actor id.")
    kind: NodeKind = Field(description="Whether the node is an innovation or an actor.")
    x: float = Field(description="Horizontal position, about 0..1000.")
    y: float = Field(
        description="Vertical position (grows downwards): 0..1000 for the largest connected "
        "component; smaller components and untied nodes lie in rows below 1000."
    )


class Layout(BaseModel):
    """Positions of every node of a region's snapshot, for one graph version."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "version": 12,
                    "region": "63.03",
                    "nodes": [
                        {"id": "universitas-a", "kind": "actor", "x": 412.5, "y": 388.07},
                        {"id": "geolasting", "kind": "innovation", "x": 455.1, "y": 402.3},
                    ],
                    "seconds": 0.84,
                }
            ]
        }
    )

    version: int = Field(description="Graph version the positions were computed for.")
    region: str | None = Field(description="Region code; null: all regions.")
    nodes: list[NodePosition] = Field(
        description="One position per node, actors then innovations, each by id; empty "
        "when the region is too large to draw."
    )
    seconds: float = Field(0.0, description="Time the layout took to compute, in seconds.")


def _key(kind: NodeKind, node_id: str) -> str:
    return f"{kind}:{node_id}"


def bipartite_graph(data: GraphData) -> nx.Graph:
    """Innovations and actors as one undirected graph; node keys are `kind:id`."""
    import networkx as nx  # on first use: a process reading kept layouts never needs it

    graph = nx.Graph()
    for innovation in sorted(data.innovations, key=lambda i: i.id):
        graph.add_node(_key("innovation", innovation.id), kind="innovation", id=innovation.id)
    for actor in sorted(data.actors, key=lambda a: a.id):
        graph.add_node(_key("actor", actor.id), kind="actor", id=actor.id)
    for tie in sorted(data.collaborations, key=lambda t: (t.actor_id, t.innovation_id)):
        a_key, i_key = _key("actor", tie.actor_id), _key("innovation", tie.innovation_id)
        if a_key in graph and i_key in graph:
            graph.add_edge(a_key, i_key, weight=float(tie.strength))
    for partnership in sorted(data.partnerships, key=lambda p: (p.source_id, p.target_id)):
        source, target = _key("actor", partnership.source_id), _key("actor", partnership.target_id)
        if source in graph and target in graph and not graph.has_edge(source, target):
            graph.add_edge(source, target, weight=PARTNERSHIP_WEIGHT)
    return graph


def spread(graph: nx.Graph) -> dict[str, tuple[float, float]]:
    """Positions of `graph`'s nodes (keys sorted, so deterministic): the largest connected
    component spring-laid (fixed seed, `weight`) in the 0..EXTENT square, the smaller ones and
    lone nodes in rows under it. Shared by the map's layout and its community overview."""
    import networkx as nx  # on first use: a process reading kept layouts never needs it

    if graph.number_of_nodes() == 0:
        return {}
    components = sorted(
        (sorted(c) for c in nx.connected_components(graph)), key=lambda c: (-len(c), c[0])
    )
    coords: dict[str, tuple[float, float]] = {}
    main, rest = components[0], components[1:]
    coords.update(_spring(graph.subgraph(main), EXTENT, 0.0, 0.0))
    # Smaller components go in rows under the main one, each in a box sized by its node count.
    x, y = 0.0, EXTENT + SMALL_GAP
    row_height = 0.0
    for component in rest:
        box = SMALL_GAP * math.sqrt(len(component)) if len(component) > 1 else 0.0
        if x > 0 and x + box > EXTENT:
            x, y = 0.0, y + row_height + SMALL_GAP
            row_height = 0.0
        coords.update(_spring(graph.subgraph(component), box, x, y))
        x += box + SMALL_GAP
        row_height = max(row_height, box)
    return coords


def compute_positions(data: GraphData) -> list[NodePosition]:
    """Force-directed positions (Fruchterman-Reingold, fixed seed) scaled to 0..EXTENT.

    The largest connected component fills the square; smaller components and nodes without
    any tie (e.g. an agency located in the region that works on nothing yet) are lined up in
    rows under it instead of being flung to its edges. Deterministic for a given snapshot: nodes and edges are added in
    id order.
    """
    graph = bipartite_graph(data)
    coords = spread(graph)
    positions = [
        NodePosition(
            id=graph.nodes[key]["id"],
            kind=graph.nodes[key]["kind"],
            x=round(x, 2),
            y=round(y, 2),
        )
        for key, (x, y) in coords.items()
    ]
    positions.sort(key=lambda p: (p.kind, p.id))
    return positions


def _spring(graph: nx.Graph, extent: float, x0: float, y0: float) -> dict[str, tuple[float, float]]:
    """Spring layout of one component scaled into the square at (x0, y0) of side `extent`."""
    import networkx as nx  # on first use: a process reading kept layouts never needs it

    nodes = sorted(graph.nodes)
    if len(nodes) == 1:
        return {nodes[0]: (x0, y0)}
    n = len(nodes)
    raw = nx.spring_layout(graph, k=2.5 / math.sqrt(n), iterations=300, seed=SEED, weight="weight")
    xs = [float(p[0]) for p in raw.values()]
    ys = [float(p[1]) for p in raw.values()]
    left, top = min(xs), min(ys)
    span = max(max(xs) - left, max(ys) - top) or 1.0
    return {
        key: (x0 + (float(px) - left) / span * extent, y0 + (float(py) - top) / span * extent)
        for key, (px, py) in raw.items()
    }


class LayoutCache:
    """The last `size` layouts by (graph version, region); computed once per key.

    Thread-safe: concurrent requests for the same key wait for one computation.
    """

    def __init__(self, size: int = 16) -> None:
        self._size = size
        self._layouts: OrderedDict[tuple[int, str | None], Layout] = OrderedDict()
        self._lock = threading.Lock()
        self._key_locks: dict[tuple[int, str | None], threading.Lock] = {}
        self.computed = 0

    def get(
        self,
        version: int,
        region: str | None,
        snapshot: Callable[[], GraphData],
        clock: Callable[[], float] | None = None,
    ) -> Layout:
        """The cached layout for (version, region), computing it from `snapshot()` if needed."""
        key = (version, region)
        with self._lock:
            cached = self._layouts.get(key)
            if cached is not None:
                self._layouts.move_to_end(key)
                return cached
            key_lock = self._key_locks.setdefault(key, threading.Lock())
        with key_lock:
            with self._lock:
                cached = self._layouts.get(key)
            if cached is not None:
                return cached
            tick = clock or time.perf_counter
            started = tick()
            positions = compute_positions(snapshot())
            layout = Layout(
                version=version, region=region, nodes=positions, seconds=round(tick() - started, 4)
            )
            with self._lock:
                self._layouts[key] = layout
                self._layouts.move_to_end(key)
                while len(self._layouts) > self._size:
                    self._layouts.popitem(last=False)
                self._key_locks.pop(key, None)
                self.computed += 1
            return layout
