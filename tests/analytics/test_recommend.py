"""Partner recommendation rules."""

from __future__ import annotations

import pytest
from analytics_builders import A, C, G, M, N, P, actor, graph, innovation, project, tie

from graph.analytics.recommend import recommend
from graph.errors import NotFound
from graph.messages import join_texts, render
from graph.models import GraphData
from graph.vocab import Helix


def health_graph() -> GraphData:
    """x (health, Martapura) is carried by dinkes alone; ulm already works with dinkes on y."""
    return graph(
        [
            actor("dinkes", G, district="Martapura"),
            actor("ulm", A, district="Martapura"),
            actor("far-uni", A, region="63.71"),
            actor("busy-uni", A, district="Martapura"),
            actor("radio", M, district="Gambut"),
        ],
        [
            innovation("x", sector="health", district="Martapura"),
            innovation("y", sector="health"),
            *[innovation(f"z{k}", sector="education") for k in range(10)],
        ],
        [
            tie("dinkes", "x", 3),
            tie("dinkes", "y", 2),
            tie("ulm", "y", 2),
            *[tie("busy-uni", f"z{k}") for k in range(10)],
        ],
    )


def test_targets_gaps_and_ranking() -> None:
    r = recommend(project(health_graph()), "x")
    assert [(t.helix, t.why) for t in r.targets] == [
        (A, "missing"),
        (P, "missing"),
        (C, "missing"),
        (N, "missing"),
        (M, "missing"),
        (G, "fragile"),
    ]
    academics = [x for x in r.recommendations if x.helix is Helix.ACADEMIA]
    assert [x.actor_id for x in academics] == ["ulm", "far-uni", "busy-uni"]
    best = academics[0]
    assert [r.code for r in best.reasons] == [
        "rec_brings_missing",
        "rec_works_with_sector",
        "rec_sector_record",
        "rec_same_district",
        "rests_on_illustrative",  # the factory's ties are illustrative
    ]
    assert best.provenance.value == "illustrative"
    assert join_texts(best.reasons, "en") == (
        "brings the missing Academia kind; works with DINKES on 1 health innovation (Y); "
        "works in health on 1 of its 1 innovation; same district (Martapura); "
        "rests on illustrative (example) ties, not on reported data"
    )
    assert join_texts(best.reasons, "id") == (
        "membawa unsur Akademisi yang belum ada; bekerja bersama DINKES pada 1 inovasi "
        "kesehatan (Y); bekerja di sektor kesehatan pada 1 dari 1 inovasinya; kecamatan yang "
        "sama (Martapura); berdasar relasi ilustratif (contoh), bukan data terlapor"
    )
    assert best.model_dump(context={"lang": "en"})["reason"] == join_texts(best.reasons, "en")
    assert [a.id for a in best.shared_partners] == ["dinkes"]
    assert best.shared_innovations == ["y"]
    assert academics[2].load_penalty > 0
    assert "rec_stretched" in [x.code for x in academics[2].reasons]
    assert {(g.helix, g.why) for g in r.gaps} == {
        (P, "no_actor"),
        (C, "no_actor"),
        (N, "no_actor"),
        (G, "no_actor"),
        (M, "no_evidence"),  # the radio shares nothing with x: no ranking by name
    }
    gap = {g.helix: g.message for g in r.gaps}
    assert gap[P].code == "gap_no_actor" and gap[G].code == "gap_no_other_actor"
    assert render(gap[G].code, gap[G].params, "en").startswith(
        "the graph has no other Government actor to propose"
    )
    assert gap[M].code == "no_strong_candidate" and gap[M].params["candidates"] == 1


def test_never_proposes_team_members_or_covered_kinds() -> None:
    data = graph(
        [
            actor("g1"),
            actor("g2"),
            actor("g3"),
            actor("u1", A),
            actor("u2", A, sector="health"),
            actor("m1", M, sector="health"),
        ],
        [innovation("x", sector="health")],
        [tie("g1", "x"), tie("g2", "x"), tie("u1", "x")],
    )
    r = recommend(project(data), "x")
    ids = {x.actor_id for x in r.recommendations}
    assert ids == {"u2", "m1"}  # g3 is government, which is neither missing nor fragile
    assert next(x for x in r.recommendations if x.actor_id == "u2").why == "fragile"


def test_unknown_innovation() -> None:
    with pytest.raises(NotFound):
        recommend(project(health_graph()), "nope")


def test_limit_per_kind() -> None:
    data = graph(
        [actor("g1"), *[actor(f"u{k}", A, sector="health") for k in range(8)]],
        [innovation("x", sector="health")],
        [tie("g1", "x")],
    )
    r = recommend(project(data), "x", limit=3)
    assert len([x for x in r.recommendations if x.helix is A]) == 3


def test_equal_scores_are_ordered_by_what_candidates_share() -> None:
    """Same score (no partner in common, same region): own sector first, then the lighter load;
    the alphabet only last."""
    data = graph(
        [
            actor("g1"),
            actor("a-busy", M, sector="law"),
            actor("b-far", M),
            actor("c-sector", M, sector="law"),
            actor("d-idle", M, sector="law"),
        ],
        [innovation("x", sector="law"), *[innovation(f"w{k}", sector="law") for k in range(3)]],
        [tie("g1", "x"), *[tie("a-busy", f"w{k}") for k in range(3)]],
    )
    r = recommend(project(data), "x")
    media = [x.actor_id for x in r.recommendations if x.helix is M]
    # a-busy's three law innovations give it sector 1.0; c and d only their own sector (1.0 as
    # actors without innovations) and tie with it: the lighter load goes first
    assert media[:3] == ["c-sector", "d-idle", "a-busy"]
    assert media[-1] == "b-far"


def test_no_strong_candidate_instead_of_a_ranking_by_name() -> None:
    data = graph(
        [actor("g1"), actor("g2"), *[actor(f"u{k}", A) for k in range(4)]],
        [innovation("x", sector="law")],
        [tie("g1", "x"), tie("g2", "x")],
    )
    r = recommend(project(data), "x")
    assert not [x for x in r.recommendations if x.helix is A]
    gap = next(g for g in r.gaps if g.helix is A)
    assert gap.why == "no_evidence" and gap.message.params == {"helix": "academia", "candidates": 4}
    assert render(gap.message.code, gap.message.params, "en").startswith(
        "no strong candidate yet for the Academia kind"
    )
