"""Introduction paths and ego networks."""

from __future__ import annotations

from itertools import islice, pairwise

import pytest
from analytics_builders import A, G, M, actor, graph, innovation, partner, project, tie

from graph.analytics.paths import ego_network, introduction_paths
from graph.errors import Invalid, NotFound
from graph.messages import render
from graph.models import GraphData
from graph.vocab import PartnershipKind


def two_routes() -> GraphData:
    """a reaches c through b (core ties on two innovations) or through d (occasional ties)."""
    return graph(
        [actor("a"), actor("b", A), actor("c", M), actor("d", A), actor("e")],
        [innovation(k) for k in ("p", "q", "r", "s", "t")],
        [
            tie("a", "p", 3),
            tie("b", "p", 3),
            tie("b", "q", 3),
            tie("c", "q", 3),
            tie("a", "r", 1),
            tie("d", "r", 1),
            tie("d", "s", 1),
            tie("c", "s", 1),
        ],
        [partner("b", "c", PartnershipKind.PKS)],
    )


def test_stronger_ties_make_shorter_paths() -> None:
    result = introduction_paths(project(two_routes()), "a", "c", k=3)
    assert [[x.id for x in p.actors] for p in result.paths] == [["a", "b", "c"], ["a", "d", "c"]]
    assert result.paths[0].cost == pytest.approx(1 / 3 + 1 / 6)  # b-c: q (3) + PKS (3)
    assert result.paths[1].cost == pytest.approx(2.0)
    hop = result.paths[0].hops[1]
    assert hop.shared_innovations == ["q"] and hop.partnership == "pks"
    assert hop.explanation.code == "hop_shared_partnership"
    assert render(hop.explanation.code, hop.explanation.params, "en") == (
        "B and C work together on Q and have a partnership (cooperation agreement (PKS))"
    )
    assert not result.direct and all(not p.direct for p in result.paths)


def test_path_errors_and_no_path() -> None:
    proj = project(two_routes())
    with pytest.raises(Invalid):
        introduction_paths(proj, "a", "c", k=0)
    with pytest.raises(Invalid):
        introduction_paths(proj, "a", "c", k=11)
    with pytest.raises(Invalid):
        introduction_paths(proj, "a", "a")
    with pytest.raises(NotFound):
        introduction_paths(proj, "a", "nobody")
    assert introduction_paths(proj, "a", "e").paths == []


def test_ego_of_actor() -> None:
    proj = project(two_routes())
    one = ego_network(proj, "actor", "b", depth=1)
    assert {n.key for n in one.nodes} == {"actor:b", "innovation:p", "innovation:q", "actor:c"}
    assert {(e.source, e.target, e.type) for e in one.edges} == {
        ("actor:b", "innovation:p", "collaborates_on"),
        ("actor:b", "innovation:q", "collaborates_on"),
        ("actor:b", "actor:c", "partners_with"),
        ("actor:c", "innovation:q", "collaborates_on"),
    }
    two = ego_network(proj, "actor", "b", depth=2)
    assert {n.key for n in two.nodes if n.distance == 2} == {"actor:a", "innovation:s"}
    assert not two.truncated


def test_ego_of_innovation_and_errors() -> None:
    proj = project(two_routes())
    ego = ego_network(proj, "innovation", "p", depth=1)
    assert [n.key for n in ego.nodes] == ["innovation:p", "actor:a", "actor:b"]
    with pytest.raises(NotFound):
        ego_network(proj, "innovation", "nope")
    with pytest.raises(Invalid):
        ego_network(proj, "actor", "a", depth=0)


def test_ties_outside_at_are_not_paths() -> None:
    data = graph(
        [actor("a", G), actor("b", G)],
        [innovation("p")],
        [tie("a", "p"), tie("b", "p", until=project(GraphData()).at)],
    )
    assert introduction_paths(project(data), "a", "b").paths == []


def test_paths_match_networkx_yen() -> None:
    """igraph's k shortest paths cost what networkx's `shortest_simple_paths` finds."""
    import networkx as nx

    from graph.synth import generate

    proj = project(generate("regional", 7))
    largest = sorted(max(nx.connected_components(proj.graph), key=len))
    pairs = [(largest[0], largest[-1]), (largest[1], largest[len(largest) // 2])]
    pairs.append((largest[2], next(a.id for a in proj.actors if a.id not in largest)))
    for source, target in pairs:
        ours = introduction_paths(proj, source, target, k=5)
        theirs = []
        direct = proj.graph.has_edge(source, target)
        if nx.has_path(proj.graph, source, target):
            for nodes in islice(nx.shortest_simple_paths(proj.graph, source, target, "cost"), 6):
                if len(nodes) > 2:  # introductions; the direct link is listed first anyway
                    theirs.append(sum(proj.graph[a][b]["cost"] for a, b in pairwise(nodes)))
        introductions = [p for p in ours.paths if not p.direct]
        assert [p.cost for p in introductions] == pytest.approx(theirs[:5], abs=1e-6)
        assert (
            ours.direct == direct
            and [p.direct for p in ours.paths][:1] == [direct][: len(ours.paths)]
        )
        assert len(introductions) == (5 if target in largest else 0)
        for p in ours.paths:
            assert len({a.id for a in p.actors}) == len(p.actors)  # simple paths
