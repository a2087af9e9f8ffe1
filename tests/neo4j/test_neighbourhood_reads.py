"""The touched innovation's reads on Neo4j seek by index and answer little.

After a write, an innovation's metrics are read from its neighbourhood (`graph.analytics.local`):
its record, its ties, its actors, and its reach (`Store.reach`). On the national graph one of
those actors may be a ministry with 1,500+ ties: the reach must be counted in the server (one
row holding one number) by index seeks, never by scanning a label, so the read stays in
milliseconds while the worker's snapshot keeps the same server busy. That the counts are right is
the contract suite's (`test_reach_counts_the_other_innovations_the_actors_carry`, and the
per-innovation read equal to the whole pass in `tests/analytics/test_freshness.py`).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from graph.bundle import load_seed
from graph.neo4j import Neo4jStore
from graph.neo4j import cypher as q

SCANS = {"AllNodesScan", "NodeByLabelScan", "DirectedAllRelationshipsScan"}


def operators(plan: dict[str, Any]) -> set[str]:
    """Every operator of a plan (the driver's dict), without the runtime's '@neo4j' suffix."""
    found = {plan["operatorType"].split("@")[0]}
    for child in plan.get("children", []):
        found |= operators(child)
    return found


def profiled(store: Neo4jStore, query: str, params: dict[str, Any]) -> tuple[list[Any], Any]:
    """The rows and the profile of `query` run as the store runs it."""
    with store.driver.session(database=store.database) as session:
        result = session.run("PROFILE " + query, params)
        rows = list(result)
        return rows, result.consume().profile


@pytest.mark.parametrize("region", [None, "63.03"])
def test_reach_is_counted_by_index_seeks_in_one_row(
    seeded_neo4j: Neo4jStore, region: str | None
) -> None:
    seed = load_seed()
    hub = max(
        {t.actor_id for t in seed.collaborations},
        key=lambda a: sum(t.actor_id == a for t in seed.collaborations),
    )
    within = [] if region is None else [region]
    params = {"ids": [hub, "nope"], "not": ["nope"], "at": date(2026, 1, 1), "within": within}
    rows, profile = profiled(seeded_neo4j, q.REACH, params)
    assert len(rows) == 1 and rows[0].keys() == ["reach"]
    assert (
        rows[0]["reach"] == seeded_neo4j.reach("nope", [hub, "nope"], date(2026, 1, 1), region) > 0
    )
    used = operators(profile)
    assert not used & SCANS, used
    assert {"NodeUniqueIndexSeek", "NodeIndexSeek"} <= used, used  # actors by id, owners
