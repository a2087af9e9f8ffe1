"""Every store kind reads "as of" as graph/asof.py does: innovations not launched do not
count, and the owner carries its innovation unless it has a recorded tie."""

from __future__ import annotations

from datetime import date

from factories import DAY, actor, innovation, tie

from graph.analytics.innovation_metrics import innovation_metrics
from graph.analytics.projection import Projection
from graph.models import GraphData
from graph.store import Store
from graph.vocab import Helix

LATER = date(2025, 1, 1)


def load(store: Store) -> GraphData:
    data = GraphData(
        actors=[actor("ngo", Helix.NGO), actor("uni", Helix.ACADEMIA), actor("gov")],
        innovations=[
            innovation("owned", owner_id="ngo"),  # owner with no recorded tie: carries it
            innovation("tied", owner_id="gov"),  # owner's recorded tie has ended: it does not
            innovation("later", owner_id="ngo", launched_on=LATER),
        ],
        collaborations=[
            tie("uni", "owned"),
            tie("uni", "tied"),
            tie("gov", "tied", until=date(2024, 6, 1)),
            tie("uni", "later"),
        ],
    )
    store.load(data)
    return data


def test_coverage_gaps_count_the_owner_and_only_launched_innovations(store: Store) -> None:
    data = load(store)
    at = date(2024, 7, 1)
    gaps = {g.innovation_id: g for g in store.coverage_gaps(7, at)}
    assert set(gaps) == {"owned", "tied"}  # "later" is not launched on `at`
    assert gaps["owned"].coverage == 2 and Helix.NGO not in gaps["owned"].missing
    assert gaps["tied"].coverage == 1 and Helix.GOVERNMENT in gaps["tied"].missing
    # the analytics read the same active set
    metrics = {m.id: m for m in innovation_metrics(Projection(data, at))}
    assert {k: m.coverage for k, m in metrics.items()} == {k: g.coverage for k, g in gaps.items()}
    after = {g.innovation_id: g.coverage for g in store.coverage_gaps(7, LATER)}
    assert after == {"owned": 2, "tied": 1, "later": 2}
    for day in (at, LATER):  # an adapter's speed override answers as the port's rule
        assert store.coverage_gaps(7, day) == Store.coverage_gaps(store, 7, day)
    assert store.collaborators("later", DAY) == []
    assert [c.actor_id for c in store.collaborators("later", LATER)] == ["uni"]
    assert {i.innovation_id for i in store.actor_innovations("uni", DAY)} == {"owned", "tied"}
