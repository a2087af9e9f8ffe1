"""What-if scenarios and the portfolio history."""

from __future__ import annotations

from datetime import date

import pytest
from analytics_builders import A, C, G, M, actor, graph, innovation, project, tie

from graph.analytics.history import portfolio_history
from graph.analytics.weights import IndexWeights
from graph.analytics.whatif import what_if
from graph.analytics.whatif_schemas import NewTie, WhatIfRequest
from graph.errors import Invalid, NotFound
from graph.models import Actor, GraphData


def portfolio_graph() -> GraphData:
    return graph(
        [actor("g1"), actor("g2"), actor("u1", A), actor("c1", C), actor("c2", C), actor("m1", M)],
        [innovation("x"), innovation("y")],
        [
            tie("g1", "x"),
            tie("g2", "x"),
            tie("u1", "x"),
            tie("c1", "x"),
            tie("c2", "x"),
            tie("m1", "x"),
            tie("g1", "y"),
        ],
    )


def test_removing_a_critical_actor() -> None:
    result = what_if(
        project(portfolio_graph()), WhatIfRequest(remove_actors=["u1"]), IndexWeights(), 4
    )
    change = next(c for c in result.changes if c.id == "x")
    assert change.before.coverage == 4 and change.after.coverage == 3
    assert change.coverage_delta == -1 and change.sustainability_delta < 0
    assert result.became_under_connected == ["x"]
    assert result.under_connected_before == 1 and result.under_connected_after == 2
    assert "y" not in {c.id for c in result.changes}  # its metrics do not change


def test_adding_a_partner_and_a_new_actor() -> None:
    request = WhatIfRequest(
        add_actors=[Actor(id="uni", name="UNI", helix=A, region="63.03")],
        add_ties=[
            NewTie(actor_id="uni", innovation_id="y", strength=3),
            NewTie(actor_id="c1", innovation_id="y"),
            NewTie(actor_id="m1", innovation_id="y"),
            NewTie(actor_id="g2", innovation_id="y"),
        ],
    )
    result = what_if(project(portfolio_graph()), request, IndexWeights(), 4)
    y = next(c for c in result.changes if c.id == "y")
    assert (y.before.coverage, y.after.coverage) == (1, 4)
    assert result.no_longer_under_connected == ["y"]
    # x already shared g1 with y: its reach and every other metric stay the same
    assert [c.id for c in result.changes] == ["y"]
    assert y.after.depth == {G: 2, A: 1, C: 1, M: 1}


def test_what_if_errors() -> None:
    proj = project(portfolio_graph())
    with pytest.raises(NotFound):
        what_if(proj, WhatIfRequest(remove_actors=["nobody"]), IndexWeights(), 4)
    with pytest.raises(NotFound):
        what_if(
            proj,
            WhatIfRequest(add_ties=[NewTie(actor_id="g1", innovation_id="no")]),
            IndexWeights(),
            4,
        )
    with pytest.raises(Invalid):
        what_if(
            proj,
            WhatIfRequest(
                remove_actors=["g1"], add_ties=[NewTie(actor_id="g1", innovation_id="y")]
            ),
            IndexWeights(),
            4,
        )


def test_history_by_year() -> None:
    data = graph(
        [actor("g1"), actor("u1", A)],
        [innovation("x")],
        [
            tie("g1", "x", since=date(2022, 3, 1)),
            tie("u1", "x", since=date(2023, 3, 1), until=date(2024, 12, 1)),
        ],
    )
    history = portfolio_history(data, date(2022, 1, 1), date(2025, 12, 31))
    assert [p.at.year for p in history.points] == [2022, 2023, 2024, 2025]
    assert [p.tie_count for p in history.points] == [0, 1, 2, 1]
    assert [p.mean_coverage for p in history.points] == [0.0, 1.0, 2.0, 1.0]
    quarters = portfolio_history(data, date(2024, 1, 1), date(2024, 12, 31), step="quarter")
    assert len(quarters.points) == 4
    with pytest.raises(Invalid):
        portfolio_history(data, date(2025, 1, 1), date(2024, 1, 1))
    with pytest.raises(Invalid):
        portfolio_history(data, date(1900, 1, 1), date(2025, 1, 1), step="month")
