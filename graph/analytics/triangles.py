"""Triangles of a symmetric sparse matrix, in bounded chunks, with the CSR positions of their
six directed edges: the building block of every measure that needs two-paths restricted to the
existing edges (Burt's constraint and effective size, closed pairs of brokerage).

``(A @ A)`` on the national actor projection has hundreds of millions of entries (a few
actors have more than 10,000 neighbours), while the sums those measures need only run over the
common neighbours q of an existing edge (i, j), that is over the triangles i-j-q. Triangles are
found once each by orienting every edge from its lower-ranked end to its higher-ranked end (rank =
degree, then index), pairing the out-neighbours of each node (the wedges) and keeping the pairs
that are themselves linked. With this orientation no node has more than about sqrt(2m)
out-neighbours, so the wedges stay few (13 million for 1.3 million edges nationally) and are
processed `max_wedges` at a time (memory stays bounded; nationally about 26 chunks).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from graph.analytics.projection import IntArray

MAX_WEDGES = 500_000
"""Wedges examined per chunk: with the measures' own per-chunk arrays, about 100 MB."""


@dataclass(frozen=True)
class Triangles:
    """A chunk of triangles v-a-b (v the lowest-ranked corner) and the CSR positions of their
    directed edges: ``va`` is the position of the entry (v, a), ``av`` of (a, v), and so on."""

    v: IntArray
    a: IntArray
    b: IntArray
    va: IntArray
    av: IntArray
    vb: IntArray
    bv: IntArray
    ab: IntArray
    ba: IntArray


def canonical(adjacency: sparse.csr_array) -> sparse.csr_array:
    """The matrix in canonical CSR form (sorted indices, no duplicates), which positions need."""
    adj = sparse.csr_array(adjacency)
    if not adj.has_canonical_format:
        adj = adj.copy()
        adj.sum_duplicates()
    return adj


def entry_rows(adjacency: sparse.csr_array) -> IntArray:
    """Row of every stored entry of a CSR matrix."""
    n = adjacency.shape[0]
    return np.repeat(np.arange(n, dtype=np.int64), np.diff(adjacency.indptr))


def _keys(adjacency: sparse.csr_array) -> IntArray:
    n = adjacency.shape[0]
    return entry_rows(adjacency) * n + adjacency.indices.astype(np.int64)


def transpose_positions(adjacency: sparse.csr_array) -> IntArray:
    """For every entry (i, j) of a symmetric canonical CSR matrix, the position of (j, i).

    >>> a = sparse.csr_array(np.array([[0, 1, 1], [1, 0, 0], [1, 0, 0]], dtype=float))
    >>> transpose_positions(a).tolist()
    [2, 3, 0, 1]
    """
    n = adjacency.shape[0]
    keys = _keys(adjacency)
    flipped = adjacency.indices.astype(np.int64) * n + entry_rows(adjacency)
    return np.asarray(np.searchsorted(keys, flipped), dtype=np.int64)


def triangles(adjacency: sparse.csr_array, max_wedges: int = MAX_WEDGES) -> Iterator[Triangles]:
    """Every triangle of a symmetric canonical CSR matrix (no self-loops) exactly once.

    >>> k4 = sparse.csr_array(np.ones((4, 4)) - np.eye(4))
    >>> sum(len(t.v) for t in triangles(k4))
    4
    """
    n = adjacency.shape[0]
    if n == 0 or adjacency.nnz == 0:
        return
    # positions and node numbers fit in 32 bits (2 billion entries) and halve the memory
    small = np.int32 if max(n, adjacency.nnz) < 2**31 else np.int64
    indptr = adjacency.indptr
    indices = adjacency.indices.astype(small)
    keys = _keys(adjacency)
    flip = transpose_positions(adjacency).astype(small)
    rows = entry_rows(adjacency).astype(small)
    degree = np.diff(indptr)
    rank = np.empty(n, dtype=np.int64)
    rank[np.lexsort((np.arange(n), degree))] = np.arange(n)
    forward = np.flatnonzero(rank[rows] < rank[indices]).astype(small)  # oriented, by row
    forward_row = rows[forward]
    ends = np.cumsum(np.bincount(forward_row, minlength=n))
    # each oriented entry k pairs with the later oriented entries of its row
    later = ends[forward_row] - np.arange(len(forward)) - 1
    cumulative = np.cumsum(later)
    start = 0
    while start < len(forward):
        base = cumulative[start - 1] if start else 0
        stop = int(np.searchsorted(cumulative, base + max_wedges, side="right"))
        stop = max(stop, start + 1)
        counts = later[start:stop]
        total = int(counts.sum())
        if total:
            first = np.repeat(np.arange(start, stop, dtype=np.int64), counts)
            offsets = np.arange(total, dtype=np.int64) - np.repeat(
                np.cumsum(counts) - counts, counts
            )
            second = first + 1 + offsets
            va, vb = forward[first], forward[second]
            del first, offsets, second
            a, b = indices[va], indices[vb]
            wanted = a.astype(np.int64) * n + b
            found = np.minimum(np.searchsorted(keys, wanted), len(keys) - 1)
            closed = keys[found] == wanted
            if closed.any():
                va, vb, a, b = va[closed], vb[closed], a[closed], b[closed]
                ab = found[closed].astype(small)
                yield Triangles(
                    v=rows[va],
                    a=a,
                    b=b,
                    va=va,
                    av=flip[va],
                    vb=vb,
                    bv=flip[vb],
                    ab=ab,
                    ba=flip[ab],
                )
        start = stop
