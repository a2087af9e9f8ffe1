"""A large region's map overview by community, kept like the other map answers.

Its first computation in a process costs about 0.4 s (networkx's import and the communities'
spring layout), on the page's first request after a start. Kept in the ResultStore, the worker
computes the default region's ahead and every API process (and a restart) reads it. Its key
names the map answer's graph version and the communities' computed version, so an answer kept
for older ones is never taken for this one (the communities can be recomputed while the graph
version stays the same). Each version's overview is a key of its own, kept until the results
file is cleared.
"""

from __future__ import annotations

from graph.analytics.portfolio_schemas import CommunitiesResult
from graph.mapview import MapData, by_community
from service.shared import KeptAnswers

KIND = "map-communities"


def kept_overview(
    kept: KeptAnswers, key: str, answer: MapData, communities: CommunitiesResult, computed_at: int
) -> MapData:
    """The overview of `answer` (the region's map kept under `key`) by `communities` (computed
    at graph version `computed_at`): kept, or computed here and kept."""
    overview, _ = kept.get(
        KIND,
        f"{key}|{answer.version}|{computed_at}",
        answer.version,
        MapData,
        lambda: by_community(answer, communities),
    )
    return overview
