"""The store contract: every adapter in STORE_KINDS must pass these, with the same answers."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from factories import DAY, actor, builds_on, innovation, part_of, partnership, region, tie

from graph.errors import Conflict, Invalid, NotFound
from graph.models import (
    Actor,
    ActorPatch,
    CollaborationPatch,
    GraphData,
    Innovation,
    InnovationPatch,
    PartnershipPatch,
)
from graph.provenance import reported_part
from graph.store import (
    ActorFilter,
    Around,
    CollaborationFilter,
    InnovationFilter,
    InnovationSpan,
    PageRequest,
    PartnershipFilter,
    Store,
    TieSpan,
)
from graph.vocab import (
    Form,
    Helix,
    Origin,
    PartnershipKind,
    RegionLevel,
    Role,
    Scope,
    Stage,
)

ALL = PageRequest(limit=500)
G, A, P, C, N, M = (
    Helix.GOVERNMENT,
    Helix.ACADEMIA,
    Helix.PRIVATE,
    Helix.COMMUNITY,
    Helix.NGO,
    Helix.MEDIA,
)


def ids(page: Any) -> list[Any]:
    """The keys of a page's items (ids of nodes, (a, b) pairs of ties)."""
    out: list[Any] = []
    for item in page.items:
        if hasattr(item, "id"):
            out.append(item.id)
        else:
            out.append(item.key)
    return out


# -- nodes ---------------------------------------------------------------------------------------
def test_fresh_store_is_empty_and_answers(store: Store) -> None:
    store.ping()
    assert store.is_empty()
    assert store.snapshot() == GraphData()
    assert isinstance(store.version(), int)


def test_create_and_get_round_trip_every_field(store: Store) -> None:
    owner = actor(
        "dinkes-banjar",
        helix=G,
        kind="dinas",
        district="Martapura",
        scope=Scope.PROVINCIAL,
        sector="health",
        description="Dinas Kesehatan",
        provenance="reported",
        source="DOMAIN.md",
    )
    full = innovation(
        "geolasting",
        name="GEOLASTING",
        description="Geospatial collaboration against stunting.",
        origin=Origin.PUSKESMAS,
        owner_id="dinkes-banjar",
        district="Martapura",
        sector="health",
        form=Form.TATA_KELOLA,
        digital=True,
        stage=Stage.PENERAPAN,
        labinov_stage="deliver",
        launched_on=date(2023, 5, 17),
        program="INTAN BANJAR 2025",
        tags=["stunting", "gis"],
        provenance="reported",
        source="DOMAIN.md",
    )
    assert store.create_actor(owner) == owner
    assert store.create_innovation(full) == full
    assert store.get_actor("dinkes-banjar") == owner
    assert store.get_innovation("geolasting") == full
    assert not store.is_empty()


@pytest.mark.parametrize("kind", ["innovation", "actor"])
def test_unknown_and_duplicate_ids(store: Store, kind: str) -> None:
    create = getattr(store, f"create_{kind}")
    record = innovation("x") if kind == "innovation" else actor("x")
    patch = InnovationPatch(name="N") if kind == "innovation" else ActorPatch(name="N")
    for call in (
        lambda: getattr(store, f"get_{kind}")("nope"),
        lambda: getattr(store, f"update_{kind}")("nope", patch),
        lambda: getattr(store, f"delete_{kind}")("nope"),
    ):
        with pytest.raises(NotFound, match=f"{kind} 'nope'"):
            call()
    create(record)
    with pytest.raises(Conflict, match=f"{kind} 'x' already exists"):
        create(record)


def test_owner_must_exist(store: Store) -> None:
    with pytest.raises(NotFound, match="actor 'ghost'"):
        store.create_innovation(innovation("i", owner_id="ghost"))
    assert store.is_empty()
    store.create_innovation(innovation("i"))
    with pytest.raises(NotFound, match="actor 'ghost'"):
        store.update_innovation("i", InnovationPatch(owner_id="ghost"))
    assert store.get_innovation("i").owner_id is None
    store.create_actor(actor("owner"))
    assert store.update_innovation("i", InnovationPatch(owner_id="owner")).owner_id == "owner"


def test_update_changes_only_given_fields_and_persists(store: Store) -> None:
    store.create_actor(actor("a", sector="health"))
    updated = store.update_actor("a", ActorPatch(helix=A, name="Renamed"))
    assert (updated.helix, updated.name, updated.sector) == (A, "Renamed", "health")
    assert store.get_actor("a") == updated
    assert store.list_actors(ActorFilter(helix=A), ALL).total == 1
    assert store.list_actors(ActorFilter(helix=G), ALL).total == 0

    store.create_actor(actor("o"))
    store.create_innovation(innovation("i", owner_id="o", sector="health", tags=["x"]))
    changed = store.update_innovation("i", InnovationPatch(stage=Stage.UJI_COBA, owner_id=None))
    assert changed.stage is Stage.UJI_COBA
    assert changed.owner_id is None  # explicit null clears
    assert changed.sector == "health" and changed.tags == ["x"]
    assert store.get_innovation("i") == changed
    assert store.list_innovations(InnovationFilter(owner_id="o"), ALL).total == 0


def test_update_that_breaks_a_rule_is_invalid(store: Store) -> None:
    store.create_innovation(innovation("i"))
    with pytest.raises(Invalid):
        store.update_innovation("i", InnovationPatch(tags=["Not A Tag"]))
    assert store.get_innovation("i").tags == []


def _filter_graph(store: Store) -> None:
    store.create_actor(actor("gov", helix=G, kind="dinas", sector="health", district="Martapura"))
    store.create_actor(
        actor("kampus", helix=A, kind="university", region="63.71", scope=Scope.PROVINCIAL)
    )
    store.create_actor(actor("toko", name="Toko Sinar Banjar", helix=P, region="63"))
    store.create_actor(actor("ormas", helix=N, region="64.01", sector="health"))
    store.create_innovation(
        innovation(
            "alpha",
            name="Alpha Sehat",
            sector="health",
            district="Martapura",
            owner_id="gov",
            program="INTAN",
        )
    )
    store.create_innovation(
        innovation(
            "beta",
            origin=Origin.KECAMATAN,
            stage=Stage.PENERAPAN,
            form=Form.TATA_KELOLA,
            region="63.71",
            program="INTAN",
        )
    )
    store.create_innovation(innovation("gamma", name="Gamma SEHAT Ibu", region="63.03"))
    store.create_innovation(innovation("delta", region="64.01", origin=Origin.PUSKESMAS))
    store.create_innovation(innovation("epsilon", region="63"))


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, ["alpha", "beta", "delta", "epsilon", "gamma"]),
        ({"origin": Origin.KECAMATAN}, ["beta"]),
        ({"origin": Origin.PERANGKAT_DAERAH}, ["alpha", "epsilon", "gamma"]),
        ({"sector": "health"}, ["alpha"]),
        ({"district": "Martapura"}, ["alpha"]),
        ({"district": "mARTAPURA"}, ["alpha"]),  # names people type: any case
        ({"stage": Stage.PENERAPAN}, ["beta"]),
        ({"form": Form.TATA_KELOLA}, ["beta"]),
        ({"region": "63"}, ["alpha", "beta", "epsilon", "gamma"]),
        ({"region": "63.03"}, ["alpha", "gamma"]),
        ({"region": "63.7"}, []),  # a prefix of a code is not a region containing it
        ({"region": "64"}, ["delta"]),
        ({"owner_id": "gov"}, ["alpha"]),
        ({"program": "INTAN"}, ["alpha", "beta"]),
        ({"q": "sehat"}, ["alpha", "gamma"]),
        ({"q": "SEHAT i"}, ["gamma"]),
        ({"q": "sehat", "region": "63.03", "owner_id": "gov"}, ["alpha"]),
        ({"origin": Origin.KECAMATAN, "region": "64"}, []),
    ],
)
def test_list_innovations_filters(
    store: Store, filters: dict[str, Any], expected: list[str]
) -> None:
    _filter_graph(store)
    page = store.list_innovations(InnovationFilter(**filters), ALL)
    assert ids(page) == expected
    assert page.total == len(expected)


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, ["gov", "kampus", "ormas", "toko"]),
        ({"helix": A}, ["kampus"]),
        ({"kind": "dinas"}, ["gov"]),
        ({"region": "63"}, ["gov", "kampus", "toko"]),
        ({"region": "63.71"}, ["kampus"]),
        ({"district": "Martapura"}, ["gov"]),
        ({"district": "martapura"}, ["gov"]),
        ({"scope": Scope.PROVINCIAL}, ["kampus"]),
        ({"sector": "health"}, ["gov", "ormas"]),
        ({"q": "sinar"}, ["toko"]),
        ({"sector": "health", "region": "64"}, ["ormas"]),
    ],
)
def test_list_actors_filters(store: Store, filters: dict[str, Any], expected: list[str]) -> None:
    _filter_graph(store)
    page = store.list_actors(ActorFilter(**filters), ALL)
    assert ids(page) == expected
    assert page.total == len(expected)


def test_paging_windows_and_total(store: Store) -> None:
    for i in range(7):
        store.create_actor(actor(f"a{i}"))
    pages = [store.list_actors(ActorFilter(), PageRequest(limit=3, offset=o)) for o in (0, 3, 6, 9)]
    assert [ids(p) for p in pages] == [["a0", "a1", "a2"], ["a3", "a4", "a5"], ["a6"], []]
    assert {p.total for p in pages} == {7}
    assert (pages[1].limit, pages[1].offset) == (3, 3)


# -- ties ----------------------------------------------------------------------------------------
def _two_by_two(store: Store) -> None:
    for a in ("a", "b"):
        store.create_actor(actor(a))
    for i in ("i", "j"):
        store.create_innovation(innovation(i))


def test_collaboration_crud(store: Store) -> None:
    _two_by_two(store)
    first = tie("a", "i", role=Role.FUNDER, strength=3, until=date(2025, 1, 1), source="report")
    assert store.create_collaboration(first) == first
    assert store.get_collaboration("a", "i") == first
    with pytest.raises(Conflict, match=r"'a'.*'i'.*already exists"):
        store.create_collaboration(tie("a", "i"))
    store.create_collaboration(tie("b", "i", role=Role.EVALUATOR))
    store.create_collaboration(tie("a", "j"))

    all_ties = store.list_collaborations(CollaborationFilter(), ALL)
    assert ids(all_ties) == [("a", "i"), ("a", "j"), ("b", "i")]
    assert ids(store.list_collaborations(CollaborationFilter(innovation_id="i"), ALL)) == [
        ("a", "i"),
        ("b", "i"),
    ]
    assert ids(store.list_collaborations(CollaborationFilter(actor_id="a"), ALL)) == [
        ("a", "i"),
        ("a", "j"),
    ]
    by_role = store.list_collaborations(CollaborationFilter(role=Role.EVALUATOR), ALL)
    assert ids(by_role) == [("b", "i")] and by_role.total == 1
    page = store.list_collaborations(CollaborationFilter(), PageRequest(limit=1, offset=1))
    assert ids(page) == [("a", "j")] and page.total == 3

    updated = store.update_collaboration("a", "i", CollaborationPatch(strength=2, until=None))
    assert (updated.strength, updated.until, updated.role) == (2, None, Role.FUNDER)
    assert store.get_collaboration("a", "i") == updated
    with pytest.raises(Invalid):
        store.update_collaboration("a", "i", CollaborationPatch(until=date(2023, 1, 1)))
    assert store.get_collaboration("a", "i") == updated

    store.delete_collaboration("a", "i")
    with pytest.raises(NotFound, match=r"'a'.*'i'"):
        store.get_collaboration("a", "i")
    with pytest.raises(NotFound, match=r"'a'.*'i'"):
        store.delete_collaboration("a", "i")
    with pytest.raises(NotFound, match=r"'a'.*'i'"):
        store.update_collaboration("a", "i", CollaborationPatch(strength=1))


def test_collaboration_to_missing_node(store: Store) -> None:
    _two_by_two(store)
    with pytest.raises(NotFound, match="actor 'ghost'"):
        store.create_collaboration(tie("ghost", "i"))
    with pytest.raises(NotFound, match="innovation 'ghost'"):
        store.create_collaboration(tie("a", "ghost"))
    assert store.list_collaborations(CollaborationFilter(), ALL).total == 0


def test_partnership_either_direction(store: Store) -> None:
    for a in ("a", "b", "c"):
        store.create_actor(actor(a))
    ab = partnership("b", "a", kind=PartnershipKind.MOU)
    assert store.create_partnership(ab) == ab
    with pytest.raises(Conflict, match="already exists"):
        store.create_partnership(partnership("a", "b"))
    with pytest.raises(Conflict, match="already exists"):
        store.create_partnership(partnership("b", "a"))
    assert store.get_partnership("a", "b") == ab
    assert store.get_partnership("b", "a") == ab
    store.create_partnership(partnership("a", "c", kind=PartnershipKind.PKS))

    assert ids(store.list_partnerships(PartnershipFilter(), ALL)) == [("a", "c"), ("b", "a")]
    assert ids(store.list_partnerships(PartnershipFilter(actor_id="a"), ALL)) == [
        ("a", "c"),
        ("b", "a"),
    ]
    assert ids(store.list_partnerships(PartnershipFilter(actor_id="c"), ALL)) == [("a", "c")]
    assert ids(store.list_partnerships(PartnershipFilter(kind=PartnershipKind.MOU), ALL)) == [
        ("b", "a")
    ]
    pks_of_b = store.list_partnerships(PartnershipFilter(actor_id="b", kind="pks"), ALL)
    assert pks_of_b.total == 0

    updated = store.update_partnership("a", "b", PartnershipPatch(kind=PartnershipKind.PKS))
    assert updated.key == ("b", "a") and updated.kind is PartnershipKind.PKS
    assert store.get_partnership("b", "a") == updated
    store.delete_partnership("a", "b")
    with pytest.raises(NotFound, match="partnership between actors 'b' and 'a' not found"):
        store.get_partnership("b", "a")
    with pytest.raises(NotFound):
        store.delete_partnership("b", "a")
    with pytest.raises(NotFound):
        store.update_partnership("b", "a", PartnershipPatch(kind="mou"))
    with pytest.raises(NotFound, match="actor 'ghost'"):
        store.create_partnership(partnership("a", "ghost"))


# -- deletes -------------------------------------------------------------------------------------
def _attached(store: Store) -> None:
    """Actor `hub` with every kind of attachment; innovation `core` with both of its kinds."""
    for a in ("hub", "other", "unit"):
        store.create_actor(actor(a))
    store.create_innovation(innovation("core", owner_id="hub"))
    store.create_innovation(innovation("copy"))
    store.create_innovation(innovation("free"))
    store.create_collaboration(tie("hub", "core"))
    store.create_collaboration(tie("other", "core"))
    store.create_partnership(partnership("other", "hub"))
    store.load(GraphData(part_of=[part_of("unit", "hub")], builds_on=[builds_on("copy", "core")]))


def test_delete_with_ties_is_refused_and_changes_nothing(store: Store) -> None:
    _attached(store)
    before, version = store.snapshot(), store.version()
    with pytest.raises(Conflict, match="actor 'hub'") as refused:
        store.delete_actor("hub")
    for what in ("collaboration", "partnership", "part_of", "own"):
        assert what in str(refused.value)
    with pytest.raises(Conflict, match="innovation 'core'") as refused:
        store.delete_innovation("core")
    for what in ("collaboration", "builds_on"):
        assert what in str(refused.value)
    with pytest.raises(Conflict, match=r"actor 'unit'.*part_of"):
        store.delete_actor("unit")  # the child end counts too
    with pytest.raises(Conflict, match=r"innovation 'copy'.*builds_on"):
        store.delete_innovation("copy")
    assert store.snapshot() == before
    assert store.version() == version
    store.delete_innovation("free")  # nothing attached: no cascade needed
    with pytest.raises(NotFound):
        store.get_innovation("free")


def test_owner_alone_blocks_actor_delete(store: Store) -> None:
    store.create_actor(actor("o"))
    store.create_innovation(innovation("i", owner_id="o"))
    with pytest.raises(Conflict, match="actor 'o'"):
        store.delete_actor("o")


def test_cascade_delete_actor(store: Store) -> None:
    _attached(store)
    store.delete_actor("hub", cascade=True)
    with pytest.raises(NotFound):
        store.get_actor("hub")
    snap = store.snapshot()
    assert [a.id for a in snap.actors] == ["other", "unit"]
    assert [c.key for c in snap.collaborations] == [("other", "core")]
    assert snap.partnerships == [] and snap.part_of == []
    assert store.get_innovation("core").owner_id is None
    assert store.list_innovations(InnovationFilter(owner_id="hub"), ALL).total == 0
    assert snap.builds_on == [builds_on("copy", "core")]


def test_cascade_delete_innovation(store: Store) -> None:
    _attached(store)
    store.delete_innovation("core", cascade=True)
    snap = store.snapshot()
    assert [i.id for i in snap.innovations] == ["copy", "free"]
    assert snap.collaborations == [] and snap.builds_on == []
    assert len(snap.partnerships) == 1 and snap.part_of == [part_of("unit", "hub")]
    store.delete_actor("hub", cascade=True)  # still has its partnership and unit
    assert [a.id for a in store.snapshot().actors] == ["other", "unit"]


# -- version -------------------------------------------------------------------------------------
def test_every_write_bumps_version_once_and_reads_do_not(store: Store) -> None:
    v = store.version()

    def bumps(n: int) -> None:
        nonlocal v
        assert store.version() == v + n
        v += n

    store.create_actor(actor("a"))
    bumps(1)
    store.create_actor(actor("b"))
    bumps(1)
    store.create_innovation(innovation("i", owner_id="a"))
    bumps(1)
    store.update_actor("a", ActorPatch(name="A2"))
    bumps(1)
    store.update_innovation("i", InnovationPatch(name="I2"))
    bumps(1)
    store.create_collaboration(tie("a", "i"))
    bumps(1)
    store.update_collaboration("a", "i", CollaborationPatch(strength=3))
    bumps(1)
    store.create_partnership(partnership("a", "b"))
    bumps(1)
    store.update_partnership("b", "a", PartnershipPatch(kind="pks"))
    bumps(1)

    store.get_actor("a")
    store.get_innovation("i")
    store.get_collaboration("a", "i")
    store.get_partnership("a", "b")
    store.list_actors(ActorFilter(), ALL)
    store.list_innovations(InnovationFilter(), ALL)
    store.list_collaborations(CollaborationFilter(), ALL)
    store.list_partnerships(PartnershipFilter(), ALL)
    store.snapshot()
    store.snapshot("63")
    store.is_empty()
    store.ping()
    store.collaborators("i", DAY)
    store.actor_innovations("a", DAY)
    store.partners("a", DAY)
    store.common("a", "b", DAY)
    store.coverage_gaps(6, DAY)
    bumps(0)

    for failing in (
        lambda: store.create_actor(actor("a")),
        lambda: store.create_collaboration(tie("a", "i")),
        lambda: store.create_collaboration(tie("ghost", "i")),
        lambda: store.delete_actor("a"),
        lambda: store.update_actor("ghost", ActorPatch(name="x")),
        lambda: store.load(GraphData(collaborations=[tie("ghost", "i")])),
    ):
        with pytest.raises((Conflict, NotFound, Invalid)):
            failing()
    bumps(0)

    store.delete_collaboration("a", "i")
    bumps(1)
    store.delete_partnership("b", "a")
    bumps(1)
    store.delete_actor("a", cascade=True)
    bumps(1)
    store.delete_innovation("i")
    bumps(1)
    store.load(GraphData(actors=[actor("c"), actor("d")]))
    bumps(1)
    store.clear()
    bumps(1)
    assert store.is_empty()


# -- load ----------------------------------------------------------------------------------------
def _bundle() -> GraphData:
    return GraphData(
        regions=[
            region("63.03", "Kabupaten Banjar"),
            region("63", "Kalimantan Selatan", RegionLevel.PROVINCE),
        ],
        actors=[actor("b-gov"), actor("a-uni", helix=A, region="63.71"), actor("c-ngo", helix=N)],
        innovations=[innovation("two", owner_id="b-gov"), innovation("one")],
        collaborations=[tie("b-gov", "two"), tie("a-uni", "two", role=Role.EVALUATOR)],
        partnerships=[partnership("b-gov", "a-uni", kind="mou")],
        part_of=[part_of("c-ngo", "b-gov")],
        builds_on=[builds_on("two", "one")],
    )


def _sorted(data: GraphData) -> GraphData:
    """The bundle in snapshot order."""
    return GraphData(
        regions=sorted(data.regions, key=lambda r: r.code),
        actors=sorted(data.actors, key=lambda a: a.id),
        innovations=sorted(data.innovations, key=lambda i: i.id),
        collaborations=sorted(data.collaborations, key=lambda c: c.key),
        partnerships=sorted(data.partnerships, key=lambda p: p.key),
        part_of=sorted(data.part_of, key=lambda p: (p.child_id, p.parent_id)),
        builds_on=sorted(data.builds_on, key=lambda b: (b.innovation_id, b.base_id)),
    )


def test_load_then_snapshot_gives_the_bundle_back_sorted(store: Store) -> None:
    bundle = _bundle()
    v = store.version()
    assert store.load(bundle) == bundle.counts()
    assert store.version() == v + 1
    assert store.snapshot() == _sorted(bundle)
    assert store.get_innovation("two") == bundle.innovations[0]
    assert store.regions() == _sorted(bundle).regions and store.regions()


def test_load_is_idempotent(store: Store) -> None:
    store.load(_bundle())
    first, v = store.snapshot(), store.version()
    gaps = store.coverage_gaps(6, DAY)
    assert store.load(_bundle()) == _bundle().counts()
    assert store.snapshot() == first
    assert store.version() == v + 1
    assert store.coverage_gaps(6, DAY) == gaps
    assert store.partners("b-gov", DAY) == store.partners("b-gov", DAY)


def test_load_upserts_and_keeps_what_it_does_not_mention(store: Store) -> None:
    store.load(_bundle())
    store.create_actor(actor("z-extra"))
    change = GraphData(
        actors=[actor("c-ngo", helix=N, name="Renamed")],
        collaborations=[tie("b-gov", "two", strength=3), tie("z-extra", "one")],
        # the stored pair is (b-gov, a-uni): given reversed, it updates the stored one
        partnerships=[partnership("a-uni", "b-gov", kind="pks")],
    )
    store.load(change)
    assert store.get_actor("c-ngo").name == "Renamed"
    assert store.get_actor("z-extra") == actor("z-extra")  # references to the store resolve
    assert store.get_collaboration("b-gov", "two").strength == 3
    pairs = store.list_partnerships(PartnershipFilter(), ALL)
    assert pairs.total == 1
    assert store.get_partnership("b-gov", "a-uni").kind is PartnershipKind.PKS
    assert len(store.snapshot().collaborations) == 3


def test_load_with_bad_references_writes_nothing(store: Store) -> None:
    store.create_actor(actor("known"))
    before, v = store.snapshot(), store.version()
    bad = GraphData(
        actors=[actor("new")],
        innovations=[innovation("i", owner_id="nobody"), innovation("ok", owner_id="known")],
        collaborations=[tie("new", "ok"), tie("ghost", "i"), tie("known", "phantom")],
        partnerships=[
            partnership("new", "known"),
            partnership("known", "new"),
            partnership("x", "new"),
        ],
        part_of=[part_of("new", "absent")],
        builds_on=[builds_on("ok", "vanished")],
    )
    with pytest.raises(Invalid) as err:
        store.load(bad)
    problems = err.value.problems
    expected = [
        ("innovations[0]", "nobody"),
        ("collaborations[1]", "ghost"),
        ("collaborations[2]", "phantom"),
        ("partnerships[1]", "partnerships[0]"),
        ("partnerships[2]", "'x'"),
        ("part_of[0]", "absent"),
        ("builds_on[0]", "vanished"),
    ]
    for where, what in expected:
        assert any(p.startswith(where) and what in p for p in problems), (where, problems)
    assert len(problems) == len(expected)
    assert store.snapshot() == before
    assert store.version() == v


def test_load_replace_swaps_the_whole_graph_in_one_write(store: Store) -> None:
    store.load(_bundle())
    store.create_actor(actor("z-extra"))
    v = store.version()
    new = GraphData(actors=[actor("n-one"), actor("n-two")], innovations=[innovation("fresh")])
    assert store.load(new, replace=True) == new.counts()
    assert store.snapshot() == _sorted(new)
    assert store.version() == v + 1


def test_load_replace_resolves_references_in_the_bundle_alone(store: Store) -> None:
    store.load(_bundle())
    before, v = store.snapshot(), store.version()
    # b-gov and two exist in the store, but the store's graph is what is being replaced
    with pytest.raises(Invalid) as err:
        store.load(GraphData(collaborations=[tie("b-gov", "two")]), replace=True)
    assert "nothing was written" in str(err.value)
    assert store.snapshot() == before
    assert store.version() == v


def test_load_refuses_duplicates_in_the_bundle(store: Store) -> None:
    with pytest.raises(Invalid) as err:
        store.load(GraphData(actors=[actor("a"), actor("a", name="Other")]))
    assert any(p.startswith("actors[1]") for p in err.value.problems)
    assert store.is_empty()


# -- bulk reads ----------------------------------------------------------------------------------
def _hub_bundle() -> GraphData:
    """A hub actor tied to many innovations, an owner, a tie ended and one to come."""
    many = [innovation(f"i{n:02d}", owner_id="owner" if n % 3 == 0 else None) for n in range(40)]
    return GraphData(
        actors=[actor("hub", helix=A), actor("owner"), actor("lone", helix=M)],
        innovations=many,
        collaborations=[
            *(tie("hub", i.id) for i in many),
            tie("owner", "i01", until=date(2024, 6, 1)),
            tie("lone", "i02", since=date(2030, 1, 1)),
        ],
    )


def test_records_reads_many_nodes_of_one_kind_by_id(store: Store) -> None:
    bundle = _hub_bundle()
    store.load(bundle)
    wanted = ["i07", "i03", "nope", "i39", "i03", "hub"]
    got = store.records(Innovation, wanted)
    assert [i.id for i in got] == ["i03", "i07", "i39"]  # by id, once, the unknown left out
    assert got == [store.get_innovation(i) for i in ("i03", "i07", "i39")]
    assert [a.id for a in store.records(Actor, ["owner", "i03", "hub"])] == ["hub", "owner"]
    assert store.records(Actor, []) == [] and store.records(Innovation, ["nope"]) == []
    assert store.existing_ids("innovation", {"i00", "hub", "nope"}) == {"i00"}
    assert store.existing_ids("actor", {"i00", "hub", "lone"}) == {"hub", "lone"}
    # more ids than one batch of the embedded store (500)
    ids = {f"i{n:02d}" for n in range(40)} | {f"x{n}" for n in range(1200)}
    assert [i.id for i in store.records(Innovation, ids)] == [f"i{n:02d}" for n in range(40)]
    assert Store.records(store, Innovation, wanted) == got  # the port's default agrees


def test_ties_touching_reads_the_ties_of_many_nodes_at_once(store: Store) -> None:
    bundle = _hub_bundle()
    store.load(bundle)
    by_key = {t.key: t for t in bundle.collaborations}
    got = store.ties_touching(innovation_ids=["i01", "i02"])
    assert [t.key for t in got] == [
        ("hub", "i01"),
        ("hub", "i02"),
        ("lone", "i02"),
        ("owner", "i01"),
    ]
    assert got == [by_key[t.key] for t in got]  # every field, ended and future ties too
    hub = store.ties_touching(actor_ids=["hub"])
    assert [t.key for t in hub] == [("hub", f"i{n:02d}") for n in range(40)]
    both = store.ties_touching(innovation_ids=["i01", "nope"], actor_ids=["owner", "lone"])
    assert [t.key for t in both] == [("hub", "i01"), ("lone", "i02"), ("owner", "i01")]
    assert store.ties_touching() == [] and store.ties_touching(actor_ids=["nope"]) == []
    assert store.ties_touching(actor_ids=["hub", "owner", "lone"]) == sorted(
        bundle.collaborations, key=lambda t: t.key
    )
    assert Store.ties_touching(store, innovation_ids=["i01"], actor_ids=["lone"]) == (
        store.ties_touching(innovation_ids=["i01"], actor_ids=["lone"])
    )


def test_around_reads_ties_and_innovations_of_many_actors_in_brief(store: Store) -> None:
    bundle = _hub_bundle()
    launch = date(2025, 3, 1)
    bundle.innovations[5] = bundle.innovations[5].model_copy(update={"launched_on": launch})
    bundle.innovations.append(innovation("far", owner_id="owner", region="91.01"))
    store.load(bundle)
    got = store.around(["owner", "lone", "nope"])
    assert got.ties == [
        TieSpan("lone", "i02", date(2030, 1, 1), None),
        TieSpan("owner", "i01", DAY, date(2024, 6, 1)),
    ]
    owned = [f"i{n:02d}" for n in range(0, 40, 3)]
    assert [i.id for i in got.innovations] == sorted(["far", "i01", "i02", *owned])
    spans = {i.id: i for i in got.innovations}
    assert spans["far"] == InnovationSpan("far", "91.01", None, "owner")
    assert spans["i02"] == InnovationSpan("i02", "63.03", None, None)
    hub = store.around(["hub"])
    assert len(hub.ties) == 40 and len(hub.innovations) == 40
    assert {i.id: i for i in hub.innovations}["i05"].launched_on == launch
    assert store.around([]) == Around(ties=[], innovations=[])
    assert Store.around(store, ["owner", "lone", "nope"]) == got  # the port's default agrees


def test_reach_counts_the_other_innovations_the_actors_carry(store: Store) -> None:
    """Recorded ties active that day, an owner's implicit ties, launches, regions, the
    innovation itself left out; the adapter's answer is the rule's."""
    bundle = _hub_bundle()
    bundle.innovations[6] = bundle.innovations[6].model_copy(
        update={"launched_on": date(2025, 3, 1)}
    )
    bundle.innovations.append(innovation("far", owner_id="owner", region="91.01"))
    store.load(bundle)
    later, before_launch, tie_active = date(2025, 6, 1), date(2025, 1, 1), date(2024, 3, 1)
    cases = [
        (("i00", ["hub"], later, None), 39),
        # the owner carries i03, i06, ..., i39 and far (no recorded tie); its tie to i01 ended
        (("i00", ["owner"], later, None), 14),
        (("i00", ["owner"], before_launch, None), 13),  # i06 not launched yet
        (("i00", ["owner"], tie_active, None), 14),  # i01 while the tie lasted, no i06
        (("i00", ["owner"], later, "63.03"), 13),
        (("i00", ["owner"], later, "91"), 1),
        (("i02", ["lone"], later, None), 0),  # its tie begins in 2030
        (("far", ["hub", "owner", "nope"], later, "63"), 40),
        (("i00", [], later, None), 0),
    ]
    for args, expected in cases:
        assert store.reach(*args) == expected, args
        assert Store.reach(store, *args) == expected, args


# -- snapshot by region and the collaboration queries ----------------------------------------------
AT = date(2024, 6, 1)


def _query_graph(store: Store) -> None:
    """A small graph whose answers below are worked out by hand.

    i1: gov1 (active), biz (active until 2025), uni (ended 2024-05-01), ngo1 (from 2024-07-01)
    i2: gov1, gov2, uni, biz (all active)
    i3 (63.03): media1; i4 (63.71, owned by uni): gov2; i5: nobody
    partnerships: uni-gov1 mou (stored as (uni, gov1)), gov1-media1 pks, ngo1-gov1 ended,
    media1-gov2 informal; gov2 is part of gov1; i2 and i4 build on i1.
    """
    store.load(
        GraphData(
            regions=[region("63.03"), region("63.71", level=RegionLevel.CITY)],
            actors=[
                actor("gov1", helix=G),
                actor("gov2", helix=G),
                actor("uni", helix=A),
                actor("biz", helix=P),
                actor("ngo1", helix=N),
                actor("media1", helix=M, region="63.71"),
                actor("comm", helix=C, region="64.01"),
            ],
            innovations=[
                innovation("i1"),
                innovation("i2"),
                innovation("i3"),
                innovation("i4", region="63.71", owner_id="uni"),
                innovation("i5"),
            ],
            collaborations=[
                tie("gov1", "i1", role=Role.INITIATOR, strength=3),
                tie("biz", "i1", role=Role.FUNDER, until=date(2025, 1, 1)),
                tie("uni", "i1", until=date(2024, 5, 1)),
                tie("ngo1", "i1", since=date(2024, 7, 1)),
                tie("gov1", "i2"),
                tie("gov2", "i2"),
                tie("uni", "i2", role=Role.KNOWLEDGE_PARTNER, strength=2),
                tie("biz", "i2"),
                tie("media1", "i3", role=Role.PUBLICIST),
                tie("gov2", "i4"),
            ],
            partnerships=[
                partnership("uni", "gov1", kind="mou"),
                partnership("gov1", "media1", kind="pks"),
                partnership("ngo1", "gov1", until=date(2024, 3, 1)),
                partnership("media1", "gov2"),
            ],
            part_of=[part_of("gov2", "gov1")],
            builds_on=[builds_on("i2", "i1"), builds_on("i4", "i1", kind="replicates")],
        )
    )


def test_snapshot_by_region(store: Store) -> None:
    _query_graph(store)
    city = store.snapshot("63.71")
    assert [r.code for r in city.regions] == ["63.03", "63.71"]
    assert [i.id for i in city.innovations] == ["i4"]
    # gov2 is tied to i4, media1 is located there, uni owns i4
    assert [a.id for a in city.actors] == ["gov2", "media1", "uni"]
    assert [c.key for c in city.collaborations] == [("gov2", "i4")]
    assert [p.key for p in city.partnerships] == [("media1", "gov2")]
    assert city.part_of == [] and city.builds_on == []

    regency = store.snapshot("63.03")
    assert [i.id for i in regency.innovations] == ["i1", "i2", "i3", "i5"]
    assert [a.id for a in regency.actors] == ["biz", "gov1", "gov2", "media1", "ngo1", "uni"]
    assert len(regency.collaborations) == 9
    assert [p.key for p in regency.partnerships] == [
        ("gov1", "media1"),
        ("media1", "gov2"),
        ("ngo1", "gov1"),
        ("uni", "gov1"),
    ]
    assert regency.part_of == [part_of("gov2", "gov1")]
    assert regency.builds_on == [builds_on("i2", "i1")]

    whole = store.snapshot()
    assert store.snapshot("63") == whole.model_copy(
        update={"actors": [a for a in whole.actors if a.id != "comm"]}
    )
    assert store.snapshot("99").innovations == []


def test_collaborators(store: Store) -> None:
    _query_graph(store)
    got = store.collaborators("i1", AT)
    assert [(c.actor_id, c.helix, c.role, c.strength) for c in got] == [
        ("gov1", G, Role.INITIATOR, 3),
        ("biz", P, Role.FUNDER, 1),
    ]
    assert (got[1].name, got[1].since, got[1].until) == ("Biz", DAY, date(2025, 1, 1))
    # by helix (in Helix order: government, academia, private, ...), then id
    assert [c.actor_id for c in store.collaborators("i2", AT)] == ["gov1", "gov2", "uni", "biz"]
    assert [c.actor_id for c in store.collaborators("i1", date(2024, 4, 30))] == [
        "gov1",
        "uni",
        "biz",
    ]
    assert [c.actor_id for c in store.collaborators("i1", date(2024, 5, 1))] == ["gov1", "biz"]
    assert [c.actor_id for c in store.collaborators("i1", date(2024, 7, 1))] == [
        "gov1",
        "biz",
        "ngo1",
    ]
    assert store.collaborators("i1", date(2023, 12, 31)) == []
    assert store.collaborators("i5", AT) == []
    with pytest.raises(NotFound, match="innovation 'nope'"):
        store.collaborators("nope", AT)


def test_actor_innovations(store: Store) -> None:
    _query_graph(store)
    got = store.actor_innovations("uni", AT)
    assert [(x.innovation_id, x.role, x.strength) for x in got] == [
        ("i2", Role.KNOWLEDGE_PARTNER, 2)
    ]
    assert got[0].origin is Origin.PERANGKAT_DAERAH and got[0].name == "I2"
    assert [x.innovation_id for x in store.actor_innovations("uni", date(2024, 2, 1))] == [
        "i1",
        "i2",
    ]
    assert [x.innovation_id for x in store.actor_innovations("gov2", AT)] == ["i2", "i4"]
    assert store.actor_innovations("comm", AT) == []
    assert store.actor_innovations("gov1", date(2023, 1, 1)) == []
    with pytest.raises(NotFound, match="actor 'nope'"):
        store.actor_innovations("nope", AT)


def test_partners(store: Store) -> None:
    _query_graph(store)
    got = store.partners("gov1", AT)
    assert [(p.actor_id, p.shared_innovations, p.partnership) for p in got] == [
        ("biz", ["i1", "i2"], None),
        ("gov2", ["i2"], None),
        ("uni", ["i2"], PartnershipKind.MOU),  # uni's i1 tie has ended
        ("media1", [], PartnershipKind.PKS),
    ]  # ngo1: its i1 tie has not started and its partnership has ended
    assert (got[0].name, got[0].helix) == ("Biz", P)
    later = store.partners("gov1", date(2024, 8, 1))
    assert [(p.actor_id, p.shared_innovations) for p in later] == [
        ("biz", ["i1", "i2"]),
        ("gov2", ["i2"]),
        ("ngo1", ["i1"]),
        ("uni", ["i2"]),
        ("media1", []),
    ]
    assert [p.actor_id for p in store.partners("ngo1", date(2024, 2, 1))] == ["gov1"]
    assert store.partners("gov1", date(2023, 1, 1)) == []
    assert store.partners("comm", AT) == []
    with pytest.raises(NotFound, match="actor 'nope'"):
        store.partners("nope", AT)


def test_common(store: Store) -> None:
    _query_graph(store)
    gov1_biz = store.common("gov1", "biz", AT)
    assert gov1_biz.innovations == ["i1", "i2"]
    assert gov1_biz.partners == ["gov2", "uni"]
    assert gov1_biz.partnership is None
    gov1_uni = store.common("gov1", "uni", AT)
    assert (gov1_uni.innovations, gov1_uni.partners, gov1_uni.partnership) == (
        ["i2"],
        ["biz", "gov2"],
        PartnershipKind.MOU,
    )
    assert store.common("uni", "gov1", AT) == gov1_uni
    # gov1 and gov2 share i2; both partner with media1 (pks / informal) and with uni and biz
    gov1_gov2 = store.common("gov1", "gov2", AT)
    assert gov1_gov2.innovations == ["i2"]
    assert gov1_gov2.partners == ["biz", "media1", "uni"]
    assert store.common("gov1", "ngo1", date(2024, 2, 1)).partnership is PartnershipKind.INFORMAL
    assert store.common("gov1", "ngo1", AT).partnership is None
    with pytest.raises(NotFound, match="actor 'nope'"):
        store.common("gov1", "nope", AT)
    with pytest.raises(NotFound, match="actor 'nope'"):
        store.common("nope", "gov1", AT)


def test_coverage_gaps(store: Store) -> None:
    _query_graph(store)
    got = store.coverage_gaps(2, AT)
    # i4's owner (uni, academia) has no recorded tie to it: it carries it (graph.asof)
    assert [(g.innovation_id, g.coverage) for g in got] == [("i5", 0), ("i3", 1)]
    assert got[0].missing == list(Helix)
    assert got[0].name == "I5"
    assert got[1].missing == [G, A, P, C, N]
    wide = store.coverage_gaps(4, AT)
    assert [(g.innovation_id, g.coverage) for g in wide] == [
        ("i5", 0),
        ("i3", 1),
        ("i1", 2),  # uni has left, ngo1 not yet come
        ("i4", 2),  # gov2 and its owner uni
        ("i2", 3),
    ]
    assert wide[2].missing == [A, C, N, M]
    assert wide[3].missing == [P, C, N, M]
    assert wide[4].missing == [C, N, M]
    assert [g.coverage for g in store.coverage_gaps(7, date(2024, 7, 1))][3:] == [3, 3]
    assert [g.innovation_id for g in store.coverage_gaps(2, AT, region="63.03")] == ["i5", "i3"]
    assert [g.innovation_id for g in store.coverage_gaps(2, AT, region="63")] == ["i5", "i3"]
    assert store.coverage_gaps(0, AT) == []
    # before any tie only the owner's implicit tie counts (i4 has no launch day: always counts)
    assert [g.coverage for g in store.coverage_gaps(6, date(2020, 1, 1))] == [0, 0, 0, 0, 1]


@pytest.mark.parametrize("day", [date(2020, 1, 1), date(2024, 7, 1), AT])
def test_speed_overrides_answer_as_the_rule(store: Store, day: date) -> None:
    """An adapter's own query for a speed override (`Store.SPEED_OVERRIDES`) gives what the
    rule of the port, over the adapter's primitives, gives."""
    _query_graph(store)
    overrides = {"coverage_gaps", "around", "reach", "_partner_ties", "tie_sources"}
    assert overrides == Store.SPEED_OVERRIDES  # each is checked here
    actors = [None, "gov1", "uni", "biz", "media1", "ngo1", "comm", "nope"]
    for n in range(len(actors)):
        some = [a for a in actors[n:] if a is not None]
        assert store.around(some) == Store.around(store, some), some
        for innovation_id in ("i1", "i4", "nope"):
            for code in (None, "63", "63.03", "64"):
                fast = store.reach(innovation_id, some, day, code)
                rule = Store.reach(store, innovation_id, some, day, code)
                assert fast == rule, (innovation_id, some, code)
    for one in actors[1:-1]:
        assert store._run(lambda tx, a=one: store._partner_ties(tx, a, day)) == store._run(
            lambda tx, a=one: Store._partner_ties(store, tx, a, day)
        ), one
    for threshold in range(len(Helix) + 2):
        for code in (None, "63", "63.03", "64"):
            fast = store.coverage_gaps(threshold, day, code)
            assert fast == Store.coverage_gaps(store, threshold, day, code), (threshold, code)
    for code in (None, "63", "63.03", "63.71", "64"):
        assert store.tie_sources(code, day) == Store.tie_sources(store, code, day), code


def test_tie_sources(store: Store) -> None:
    _query_graph(store)
    store.update_collaboration("gov1", "i1", CollaborationPatch(source="a public page"))

    def counted(code: str | None) -> list[tuple[str, str, tuple[tuple[str, int], ...]]]:
        return [(i.id, i.name, i.sources) for i in store.tie_sources(code, AT)]

    assert counted("63.03") == [
        ("i1", "I1", (("a public page", 1), ("illustrative", 1))),  # uni ended, ngo1 not yet
        ("i2", "I2", (("illustrative", 4),)),
        ("i3", "I3", (("illustrative", 1),)),
        ("i5", "I5", ()),
    ]
    assert counted("63.71") == [("i4", "I4", (("illustrative", 1),))]
    assert [i for i, _, _ in counted(None)] == ["i1", "i2", "i3", "i4", "i5"]
    assert counted("64") == []


def test_clear(store: Store) -> None:
    _query_graph(store)
    store.clear()
    assert store.is_empty()
    assert store.snapshot() == GraphData()


def test_the_reported_records_are_the_reported_part_of_the_snapshot(store: Store) -> None:
    """`reported_records` reads only the reported nodes and their ties, and answers what
    `reported_part` keeps of the whole snapshot, for every tie kind."""
    known = {"provenance": "reported", "source": "a public page"}
    store.load(
        GraphData(
            regions=[region("63.03")],
            actors=[
                actor("gov1", **known),
                actor("gov2", **known),
                actor("gov3"),
                actor("uni", helix=Helix.ACADEMIA, **known),
                actor("media1", helix=Helix.MEDIA),
            ],
            innovations=[
                innovation("i1", **known),
                innovation("i2", owner_id="media1", **known),
                innovation("i3"),
            ],
            collaborations=[
                tie("gov1", "i1", source="a public page"),
                tie("uni", "i2", source="a public page"),
                tie("gov2", "i1", source="illustrative"),
                tie("media1", "i1", source="a public page"),
                tie("gov1", "i3", source="a public page"),
            ],
            partnerships=[
                partnership("uni", "gov1", source="a public page"),
                partnership("gov2", "gov1", source="illustrative"),
                partnership("media1", "gov2", source="a public page"),
            ],
            part_of=[part_of("gov2", "gov1"), part_of("gov3", "gov1")],
            builds_on=[builds_on("i2", "i1", source="a public page"), builds_on("i3", "i1")],
        )
    )
    part = store.reported_records()
    assert part == reported_part(store.snapshot())
    assert [a.id for a in part.actors] == ["gov1", "gov2", "uni"]
    assert [(i.id, i.owner_id) for i in part.innovations] == [("i1", None), ("i2", None)]
    assert [t.key for t in part.collaborations] == [("gov1", "i1"), ("uni", "i2")]
    assert [p.key for p in part.partnerships] == [("uni", "gov1")]
    assert part.part_of == [part_of("gov2", "gov1")]
    assert part.builds_on == [builds_on("i2", "i1", source="a public page")]
    assert [r.code for r in part.regions] == ["63.03"]
