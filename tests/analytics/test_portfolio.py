"""Portfolio figures on small graphs."""

from __future__ import annotations

import numpy as np
import pytest
from analytics_builders import A, C, M, actor, graph, innovation, partner, project, tie
from scipy import sparse

from graph.analytics.actor_metrics import actor_metrics
from graph.analytics.innovation_metrics import innovation_metrics
from graph.analytics.portfolio import ei_by_helix, helix_assortativity, portfolio
from graph.analytics.portfolio_schemas import Portfolio
from graph.analytics.weights import IndexWeights
from graph.models import GraphData
from graph.vocab import Form, Helix, Origin


def run(data: GraphData) -> Portfolio:
    proj = project(data)
    return portfolio(
        proj, innovation_metrics(proj), actor_metrics(proj), IndexWeights(), 4, region="63.03"
    )


def test_ei_index_tiny_example() -> None:
    # g1 - g2 (internal to government), g1 - u1 (external for both kinds)
    adj = sparse.csr_array(np.array([[0, 1, 1], [1, 0, 0], [1, 0, 0]], dtype=float))
    per, overall = ei_by_helix(adj, np.array([0, 0, 1]))
    assert per[Helix.GOVERNMENT] == 0.0  # (1 - 1) / 2
    assert per[Helix.ACADEMIA] == 1.0  # (1 - 0) / 1
    assert per[Helix.MEDIA] is None
    assert overall == 0.0


def test_assortativity_perfect_and_none() -> None:
    data = graph(
        [actor("g1"), actor("g2"), actor("u1", A), actor("u2", A)],
        partnerships=[partner("g1", "g2"), partner("u1", "u2")],
    )
    proj = project(data)
    assert helix_assortativity(proj.adjacency, proj.actor_helix) == pytest.approx(1.0)
    alone = project(graph([actor("g1")]))
    assert helix_assortativity(alone.adjacency, alone.actor_helix) is None


def test_empty_portfolio() -> None:
    p = run(GraphData())
    assert p.innovation_count == 0 and p.coverage_histogram == [0] * 7
    assert p.modularity is None and p.helix_assortativity is None
    assert p.mean_sustainability_index is None and p.communities == []


def test_portfolio_counts_and_matrices() -> None:
    innovations = [innovation("a"), innovation("b"), innovation("c")]
    innovations[1] = innovations[1].model_copy(
        update={"origin": Origin.MASYARAKAT, "form": Form.TATA_KELOLA, "digital": True}
    )
    data = graph(
        [actor("g1"), actor("u1", A), actor("c1", C), actor("m1", M)],
        innovations,
        [
            tie("g1", "a"),
            tie("u1", "a"),
            tie("c1", "a"),
            tie("g1", "b"),
            tie("m1", "b"),
        ],
    )
    p = run(data)
    assert p.by_origin == {"masyarakat": 1, "perangkat_daerah": 2}
    assert p.by_form == {"pelayanan_publik": 2, "tata_kelola": 1}
    assert p.digital_count == 1
    assert p.coverage_histogram == [1, 0, 1, 1, 0, 0, 0]
    assert p.helix_participation == {
        Helix.GOVERNMENT: 2,
        Helix.ACADEMIA: 1,
        Helix.PRIVATE: 0,
        Helix.COMMUNITY: 1,
        Helix.NGO: 0,
        Helix.MEDIA: 1,
    }
    matrix = p.co_participation.matrix
    assert matrix[0][0] == 2 and matrix[0][1] == 1 and matrix[0][5] == 1 and matrix[1][5] == 0
    assert matrix == [list(row) for row in zip(*matrix, strict=True)]  # symmetric
    assert p.iga_actor_scores == {"a": 1, "b": 0, "c": 0}
    assert p.iga_actor_score_distribution == {"0": 2, "1": 1, "2": 0, "3": 0}
    assert [m.id for m in p.under_connected] == ["c", "b", "a"]
    assert p.active_innovation_count == 2 and p.tie_count == 5
    assert p.ei_index[Helix.GOVERNMENT] == 1.0  # g1 links only to other kinds
    assert p.top_brokers[0].id == "g1"  # bridges a's team and m1
    assert sum(c.size for c in p.communities) == 4
    assert p.mean_coverage == pytest.approx((3 + 2 + 0) / 3, abs=1e-4)
