"""One meaning of "as of", and the owner as a carrier (graph/asof.py through the analytics)."""

from __future__ import annotations

from datetime import date
from typing import Any

from analytics_builders import AT, A, G, N, actor, graph, innovation, project, tie

from graph.analytics.innovation_metrics import innovation_metrics
from graph.analytics.paths import ego_network
from graph.analytics.weights import IndexWeights
from graph.analytics.whatif import what_if
from graph.analytics.whatif_schemas import WhatIfRequest
from graph.asof import ILLUSTRATIVE_OWNER_SOURCE, OWNER_SOURCE
from graph.models import GraphData, Innovation
from graph.provenance import tie_provenance
from graph.vocab import Provenance


def owned(owner: str, launched_on: date | None = None) -> Innovation:
    return innovation("x").model_copy(update={"owner_id": owner, "launched_on": launched_on})


def ngo_owned() -> GraphData:
    """x is owned by an NGO and has one recorded tie, a university's."""
    return graph([actor("ngo", N), actor("uni", A)], [owned("ngo")], [tie("uni", "x")])


def test_the_owner_carries_its_innovation() -> None:
    m = innovation_metrics(project(ngo_owned()))[0]
    assert m.coverage == 2 and N not in m.missing
    assert m.actor_count == 2


def test_a_recorded_tie_of_the_owner_says_otherwise() -> None:
    data = ngo_owned()
    ended = tie("ngo", "x", until=date(2025, 1, 1))
    data = data.model_copy(update={"collaborations": [*data.collaborations, ended]})
    m = innovation_metrics(project(data))[0]  # AT is after the owner's tie ended
    assert m.coverage == 1 and N in m.missing


def test_removing_the_owner_removes_its_implicit_tie() -> None:
    result = what_if(project(ngo_owned()), WhatIfRequest(remove_actors=["ngo"]), IndexWeights(), 4)
    change = result.changes[0]
    assert (change.before.coverage, change.after.coverage) == (2, 1)
    assert change.sustainability_delta < 0


def test_innovations_not_launched_and_their_ties_do_not_count() -> None:
    data = graph(
        [actor("g1", G), actor("uni", A)],
        [owned("g1", date(2026, 1, 1)), innovation("y")],
        [tie("uni", "x"), tie("uni", "y"), tie("g1", "y")],
    )
    before = project(data, AT)
    assert [i.id for i in before.innovations] == ["y"]
    assert [(t.actor_id, t.innovation_id) for t in before.ties] == [("g1", "y"), ("uni", "y")]
    after = project(data, date(2026, 1, 1))
    assert [i.id for i in after.innovations] == ["x", "y"]
    x = innovation_metrics(after)[0]
    assert x.id == "x" and x.coverage == 2  # the owner's implicit tie starts at the launch


def _reported(record: Any) -> Any:
    return record.model_copy(update={"provenance": Provenance.REPORTED, "source": "page"})


def test_an_implicit_owner_tie_is_as_known_as_what_it_comes_from() -> None:
    """The owner of an invented innovation is not known: its implicit tie is illustrative; a
    reported innovation with a reported owner gives a reported one."""
    invented = graph([_reported(actor("ngo", N))], [owned("ngo")])
    known = graph([_reported(actor("ngo", N))], [_reported(owned("ngo"))])
    invented_owner = graph([actor("ngo", N)], [_reported(owned("ngo"))])
    sources = {
        name: [(t.source, tie_provenance(t.source).value) for t in project(data).ties]
        for name, data in (("invented", invented), ("known", known), ("owner", invented_owner))
    }
    assert sources["invented"] == [(ILLUSTRATIVE_OWNER_SOURCE, "illustrative")]
    assert sources["known"] == [(OWNER_SOURCE, "reported")]
    assert sources["owner"] == [(ILLUSTRATIVE_OWNER_SOURCE, "illustrative")]
    # what rests on it says so: completeness, the ego edge, the critical actor
    m = innovation_metrics(project(invented))[0]
    assert m.data_completeness == 0.0
    assert innovation_metrics(project(known))[0].data_completeness == 1.0
    edge = ego_network(project(invented), "innovation", "x").edges[0]
    assert edge.provenance is Provenance.ILLUSTRATIVE
    assert [c.provenance for c in m.critical_actors] == [Provenance.ILLUSTRATIVE]
