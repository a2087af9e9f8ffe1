"""A region's snapshot on the embedded store costs in proportion to the region, not to its
square: the work SQLite does (virtual-machine steps, counted by a progress handler, so the test
does not depend on the machine's speed or load) for a region twice as large is about twice as
much. Searching ties by both ends paired every actor of the region with every other one:
province 35 of the national synthetic graph took 68 s to export, now under 2 s."""

from __future__ import annotations

from pathlib import Path

from factories import actor, innovation, partnership, region, tie

from graph.embedded import EmbeddedStore
from graph.models import GraphData


def _region_graph(n: int) -> GraphData:
    """n innovations and 2n actors in 63.03, each actor on two innovations and partnered with
    the next two actors; and as much again in 63.71, which the snapshot leaves out."""
    data = GraphData(regions=[region("63.03"), region("63.71")])
    for code in ("63.03", "63.71"):
        tag = code.replace(".", "")
        actors = [actor(f"a-{tag}-{i}", region=code) for i in range(2 * n)]
        data.actors.extend(actors)
        data.innovations.extend(innovation(f"i-{tag}-{i}", region=code) for i in range(n))
        for i, a in enumerate(actors):
            data.collaborations.extend(tie(a.id, f"i-{tag}-{(i + k) % n}") for k in range(2))
            data.partnerships.extend(
                partnership(a.id, actors[(i + k) % len(actors)].id) for k in (1, 2)
            )
    return data


def _steps(store: EmbeddedStore, code: str) -> int:
    counted = [0]

    def count() -> int:
        counted[0] += 1
        return 0  # go on

    conn = store._connection()  # the test counts the store's own queries
    conn.set_progress_handler(count, 100)
    try:
        snapshot = store.snapshot(code)
    finally:
        conn.set_progress_handler(None, 0)
    assert snapshot.innovations and all(i.region == code for i in snapshot.innovations)
    return counted[0]


def test_a_region_snapshot_costs_in_proportion_to_the_region(tmp_path: Path) -> None:
    steps = []
    for n in (150, 300):
        store = EmbeddedStore(tmp_path / str(n))
        store.load(_region_graph(n))
        steps.append(_steps(store, "63.03"))
        store.close()
    # linear: 2.0x (896 -> 1794 steps); searching ties by both ends was 3.8x (9008 -> 34218)
    assert steps[1] < 2.6 * steps[0], steps
