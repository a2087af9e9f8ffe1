"""The analytics view of a graph snapshot on one day: indexes, tie arrays, sparse matrices.

Everything else in `graph.analytics` reads a `Projection`. It keeps what counts on `at`
(`graph.asof.active_view`: launched innovations, active ties plus the owners' implicit ties,
active partnerships) whose ends are in the snapshot.

Actor projection weight (documented in docs/METRICS.md): two actors are linked with
``sum over shared innovations of sqrt(s_a * s_b)`` (the geometric mean of the two tie
strengths, so two core ties give 3 and two occasional ties give 1; computed at once as
``Bᵀ·B`` with ``B[i, a] = sqrt(strength)``) plus a partnership weight (PKS 3, MoU 2,
informal 1). The python-igraph graph of the projection (betweenness, Louvain, introduction
paths) and the networkx graph (a view for callers and the tests' oracle; no analytics endpoint
builds it) are built from the sparse matrix on first use; the networkx graph carries ``weight``, ``cost = 1 / weight`` (for shortest paths and betweenness), ``shared``
(number of shared innovations) and ``partnership`` (kind or None) on every edge.
"""

from __future__ import annotations

from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
from scipy import sparse

from graph.analytics.helixes import HELIX_INDEX
from graph.asof import active_view
from graph.models import Actor, Collaboration, GraphData, Innovation, Partnership
from graph.provenance import IllustrativeShare, TieEvidence, illustrative_share, link_evidence
from graph.vocab import PartnershipKind

if TYPE_CHECKING:  # imported where used: one innovation's metrics need neither
    import igraph
    import networkx as nx

PARTNERSHIP_WEIGHT: dict[PartnershipKind, float] = {
    PartnershipKind.PKS: 3.0,
    PartnershipKind.MOU: 2.0,
    PartnershipKind.INFORMAL: 1.0,
}

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


class Projection:
    """Indexes, active-tie arrays and matrices of one snapshot on one day."""

    def __init__(self, data: GraphData, at: date) -> None:
        self.data = data
        self.at = at
        view = active_view(data, at)  # the one meaning of "as of" (graph/asof.py)
        self.innovations: list[Innovation] = sorted(view.innovations, key=lambda i: i.id)
        self.actors: list[Actor] = sorted(data.actors, key=lambda a: a.id)
        self.innovation_index = {inv.id: k for k, inv in enumerate(self.innovations)}
        self.actor_index = {actor.id: k for k, actor in enumerate(self.actors)}
        self.actor_helix: IntArray = np.array(
            [HELIX_INDEX[a.helix] for a in self.actors], dtype=np.int64
        )
        self.ties: list[Collaboration] = sorted(
            (
                tie
                for tie in view.collaborations
                if tie.actor_id in self.actor_index and tie.innovation_id in self.innovation_index
            ),
            key=lambda t: (t.innovation_id, t.actor_id),
        )
        self.tie_actor: IntArray = np.array(
            [self.actor_index[t.actor_id] for t in self.ties], dtype=np.int64
        )
        self.tie_innovation: IntArray = np.array(
            [self.innovation_index[t.innovation_id] for t in self.ties], dtype=np.int64
        )
        self.tie_strength: FloatArray = np.array(
            [float(t.strength) for t in self.ties], dtype=np.float64
        )
        self.tie_helix: IntArray = self.actor_helix[self.tie_actor]
        self.partnerships: list[Partnership] = sorted(
            (
                p
                for p in view.partnerships
                if p.source_id in self.actor_index and p.target_id in self.actor_index
            ),
            key=lambda p: p.key,
        )

    # -- sizes -----------------------------------------------------------------------------
    @property
    def n_innovations(self) -> int:
        return len(self.innovations)

    @property
    def n_actors(self) -> int:
        return len(self.actors)

    # -- sparse matrices -------------------------------------------------------------------
    @cached_property
    def incidence(self) -> sparse.csr_array:
        """Innovation × actor matrix of active tie strengths."""
        return sparse.csr_array(
            (self.tie_strength, (self.tie_innovation, self.tie_actor)),
            shape=(self.n_innovations, self.n_actors),
        )

    @cached_property
    def incidence_binary(self) -> sparse.csr_array:
        """Innovation × actor matrix with 1 for every active tie."""
        return sparse.csr_array(
            (np.ones(len(self.ties)), (self.tie_innovation, self.tie_actor)),
            shape=(self.n_innovations, self.n_actors),
        )

    @cached_property
    def shared_innovations(self) -> sparse.csr_array:
        """Actor × actor number of shared innovations (zero diagonal)."""
        b = self.incidence_binary
        shared = sparse.csr_array(b.T @ b)
        shared.setdiag(0)
        shared.eliminate_zeros()
        return shared

    @cached_property
    def adjacency(self) -> sparse.csr_array:
        """Weighted actor projection: co-innovation weight plus partnership weight."""
        root = sparse.csr_array(
            (np.sqrt(self.tie_strength), (self.tie_innovation, self.tie_actor)),
            shape=(self.n_innovations, self.n_actors),
        )
        co = sparse.csr_array(root.T @ root)
        co.setdiag(0)
        if self.partnerships:
            src = np.array([self.actor_index[p.source_id] for p in self.partnerships])
            dst = np.array([self.actor_index[p.target_id] for p in self.partnerships])
            weight = np.array([PARTNERSHIP_WEIGHT[p.kind] for p in self.partnerships])
            part = sparse.csr_array(
                (
                    np.concatenate([weight, weight]),
                    (np.concatenate([src, dst]), np.concatenate([dst, src])),
                ),
                shape=(self.n_actors, self.n_actors),
            )
            co = sparse.csr_array(co + part)
        co.eliminate_zeros()
        return co

    @cached_property
    def adjacency_binary(self) -> sparse.csr_array:
        """Unweighted actor projection (1 where two actors are linked)."""
        adj = self.adjacency.copy()
        adj.data = np.ones_like(adj.data)
        return adj

    @cached_property
    def reach(self) -> IntArray:
        """For each innovation, the number of other innovations sharing an active actor with it:
        the row nnz of ``B·Bᵀ`` (computed in float32 and not kept: nationally it has about
        8 million entries)."""
        b = sparse.csr_array(
            (
                np.ones(len(self.ties), dtype=np.float32),
                (self.tie_innovation, self.tie_actor),
            ),
            shape=(self.n_innovations, self.n_actors),
        )
        links = sparse.csr_array(b @ b.T)
        rows = np.repeat(np.arange(self.n_innovations), np.diff(links.indptr))
        diagonal = np.bincount(rows[rows == links.indices], minlength=self.n_innovations)
        return np.asarray(np.diff(links.indptr) - diagonal, dtype=np.int64)

    @cached_property
    def illustrative(self) -> IllustrativeShare:
        """How much of what the analytics use on `at` is invented: the launched innovations,
        the active ties (owners' implicit ties included) and the active partnerships."""
        return illustrative_share(self.innovations, self.ties, self.partnerships)

    # -- lookups ---------------------------------------------------------------------------
    @cached_property
    def partnership_of(self) -> dict[frozenset[str], Partnership]:
        """Active partnership of an unordered actor pair."""
        return {frozenset(p.key): p for p in self.partnerships}

    @cached_property
    def actor_ties(self) -> list[list[int]]:
        """For each actor index, the indexes (into `ties`) of its active ties."""
        result: list[list[int]] = [[] for _ in self.actors]
        for k, a in enumerate(self.tie_actor.tolist()):
            result[a].append(k)
        return result

    @cached_property
    def innovation_ties(self) -> list[list[int]]:
        """For each innovation index, the indexes (into `ties`) of its active ties."""
        result: list[list[int]] = [[] for _ in self.innovations]
        for k, i in enumerate(self.tie_innovation.tolist()):
            result[i].append(k)
        return result

    @cached_property
    def tie_at(self) -> dict[tuple[int, int], int]:
        """Index (into `ties`) of the active tie of (actor index, innovation index)."""
        return {
            (int(a), int(i)): k
            for k, (a, i) in enumerate(zip(self.tie_actor, self.tie_innovation, strict=True))
        }

    def link_evidence(self, a: int, b: int) -> list[TieEvidence]:
        """The facts linking actors `a` and `b` (indexes): each innovation both work on, with
        their two ties' sources, and their partnership."""
        ia, ib = self.actors[a].id, self.actors[b].id
        shared = sorted(
            self.actor_innovation_set(a) & self.actor_innovation_set(b),
            key=lambda j: self.innovations[j].id,
        )
        facts = [
            (
                self.innovations[j].id,
                self.ties[self.tie_at[(a, j)]].source,
                self.ties[self.tie_at[(b, j)]].source,
            )
            for j in shared
        ]
        pair = self.partnership_of.get(frozenset((ia, ib)))
        return link_evidence(ia, ib, facts, (pair.kind, pair.source) if pair else None)

    def actor_innovation_set(self, actor: int) -> set[int]:
        """Innovation indexes the actor works on (active ties)."""
        return {int(self.tie_innovation[k]) for k in self.actor_ties[actor]}

    def team(self, innovation: int) -> list[int]:
        """Actor indexes with an active tie to the innovation."""
        return [int(self.tie_actor[k]) for k in self.innovation_ties[innovation]]

    def neighbours(self, actor: int) -> IntArray:
        """Actor indexes linked to `actor` on the projection."""
        adj = self.adjacency
        return np.asarray(adj.indices[adj.indptr[actor] : adj.indptr[actor + 1]], dtype=np.int64)

    # -- igraph and networkx views ----------------------------------------------------------
    @cached_property
    def igraph(self) -> igraph.Graph:
        """The actor projection as an undirected python-igraph graph (vertex k = actor k) with
        edge attributes ``weight`` and ``cost = 1 / weight``: what betweenness and Louvain run
        on. Built once from a list of tuples (a numpy edge array is much slower)."""
        import igraph

        upper = sparse.triu(self.adjacency, k=1, format="coo")
        g = igraph.Graph(
            n=self.n_actors, edges=list(zip(upper.row.tolist(), upper.col.tolist(), strict=True))
        )
        g.es["weight"] = upper.data.tolist()
        g.es["cost"] = (1.0 / upper.data).tolist()
        return g

    @cached_property
    def graph(self) -> nx.Graph:
        """The actor projection as a networkx graph (nodes are actor ids)."""
        import networkx as nx

        g = nx.Graph()
        for actor in self.actors:
            g.add_node(actor.id, helix=actor.helix.value, name=actor.name)
        upper = sparse.triu(self.adjacency, k=1, format="coo")
        shared: list[float] = []
        if upper.nnz:
            shared = np.asarray(self.shared_innovations[upper.row, upper.col]).ravel().tolist()
        ids = [a.id for a in self.actors]
        partnership_of = self.partnership_of
        rows, cols, weights = upper.row.tolist(), upper.col.tolist(), upper.data.tolist()
        for r, c, w, n_shared in zip(rows, cols, weights, shared, strict=True):
            a, b = ids[r], ids[c]
            p = partnership_of.get(frozenset((a, b)))
            g.add_edge(
                a,
                b,
                weight=w,
                cost=1.0 / w,
                shared=int(n_shared),
                partnership=p.kind.value if p else None,
            )
        return g
