"""The helix kinds in the analytics' fixed array order, without numpy: one innovation's metrics
(`graph.analytics.local`) are computed on plain values, so a process answering them never has
to import the array libraries (`graph.analytics.projection` re-uses these)."""

from __future__ import annotations

from graph.vocab import Helix

HELIXES: tuple[Helix, ...] = tuple(Helix)
"""The helix kinds in their fixed array order (that of `Helix`: government first)."""
HELIX_INDEX: dict[Helix, int] = {helix: k for k, helix in enumerate(HELIXES)}
GOVERNMENT = HELIX_INDEX[Helix.GOVERNMENT]
N_HELIX = len(HELIXES)
