"""Differential test: the embedded store is the oracle of the Neo4j store.

The same random sequence of operations goes to both stores; each step must give the same answer
(equal return values, or errors of the same class), and afterwards both must hold the same graph
(equal snapshots, whole and by region) and answer every list and collaboration query the same.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from conftest import make_store
from factories import actor, builds_on, innovation, part_of, partnership, region, tie
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.errors import HexahelixError
from graph.models import (
    ActorPatch,
    CollaborationPatch,
    GraphData,
    InnovationPatch,
    PartnershipPatch,
)
from graph.store import (
    ActorFilter,
    CollaborationFilter,
    InnovationFilter,
    PageRequest,
    PartnershipFilter,
    Store,
)
from graph.vocab import Form, Helix, Origin, PartnershipKind, RegionLevel, Role, Scope, Stage

pytestmark = pytest.mark.neo4j

ACTORS = [f"a{i}" for i in range(5)]
INNOVATIONS = [f"i{i}" for i in range(4)]
REGIONS = ["63.03", "63.71", "63", "64.01"]
NAMES = ["Sehat Banjar", "SEHAT ibu", "Pasar Digital", "Éko Desa", "pasar sehat"]
DAYS = st.dates(min_value=date(2024, 1, 1), max_value=date(2024, 1, 12))
LENGTHS = st.none() | st.integers(1, 6)
QUERY_DAYS = [date(2024, 1, 1), date(2024, 1, 6), date(2024, 2, 1)]
ALL = PageRequest(limit=500)

actor_ids = st.sampled_from(ACTORS)
innovation_ids = st.sampled_from(INNOVATIONS)
regions = st.sampled_from(REGIONS)
names = st.sampled_from(NAMES)
sectors = st.none() | st.sampled_from(["health", "education"])


def _until(since: date, length: int | None) -> date | None:
    return None if length is None else since + timedelta(days=length)


actors = st.builds(
    lambda i, h, r, n, s, sc: actor(i, helix=h, region=r, name=n, sector=s, scope=sc),
    actor_ids,
    st.sampled_from(list(Helix)),
    regions,
    names,
    sectors,
    st.sampled_from(list(Scope)),
)
innovations = st.builds(
    lambda i, o, r, n, s, st_, t, d: innovation(
        i, owner_id=o, region=r, name=n, sector=s, stage=st_, tags=t, launched_on=d
    ),
    innovation_ids,
    st.none() | actor_ids,
    regions,
    names,
    sectors,
    st.sampled_from(list(Stage)),
    st.lists(st.sampled_from(["gis", "stunting"]), max_size=2, unique=True),
    st.none() | DAYS,
)
ties = st.builds(
    lambda a, i, role, w, since, length: tie(
        a, i, role=role, strength=w, since=since, until=_until(since, length)
    ),
    actor_ids,
    innovation_ids,
    st.sampled_from(list(Role)),
    st.integers(1, 3),
    DAYS,
    LENGTHS,
)


def _pair_strategy() -> st.SearchStrategy[Any]:
    def build(a: str, b: str, k: PartnershipKind, since: date, length: int | None) -> Any:
        return (
            None if a == b else partnership(a, b, kind=k, since=since, until=_until(since, length))
        )

    return st.builds(
        build, actor_ids, actor_ids, st.sampled_from(list(PartnershipKind)), DAYS, LENGTHS
    ).filter(lambda p: p is not None)


partnerships = _pair_strategy()
bundles = st.builds(
    lambda acts, inns, ts, ps, po, bo: GraphData(
        regions=[region("63.03"), region("63", level=RegionLevel.PROVINCE)],
        actors=acts,
        innovations=inns,
        collaborations=ts,
        partnerships=ps,
        part_of=po,
        builds_on=bo,
    ),
    st.lists(actors, max_size=3, unique_by=lambda a: a.id),
    st.lists(innovations, max_size=2, unique_by=lambda i: i.id),
    st.lists(ties, max_size=4, unique_by=lambda t: t.key),
    st.lists(partnerships, max_size=2),  # may hold a pair twice: Invalid on both
    st.lists(st.tuples(actor_ids, actor_ids).filter(lambda t: t[0] != t[1]), max_size=1).map(
        lambda xs: [part_of(c, p) for c, p in xs]
    ),
    st.lists(
        st.tuples(innovation_ids, innovation_ids).filter(lambda t: t[0] != t[1]), max_size=1
    ).map(lambda xs: [builds_on(i, b) for i, b in xs]),
)

Op = tuple[str, tuple[Any, ...]]
operations: st.SearchStrategy[Op] = st.one_of(
    st.tuples(st.just("create_actor"), st.tuples(actors)),
    st.tuples(st.just("create_innovation"), st.tuples(innovations)),
    st.tuples(
        st.just("update_actor"),
        st.tuples(
            actor_ids,
            st.builds(
                ActorPatch,
                helix=st.none() | st.sampled_from(list(Helix)),
                region=st.none() | regions,
                sector=sectors,
            ),
        ),
    ),
    st.tuples(
        st.just("update_innovation"),
        st.tuples(
            innovation_ids,
            st.builds(
                InnovationPatch,
                owner_id=st.none() | actor_ids,
                region=st.none() | regions,
                form=st.none() | st.sampled_from(list(Form)),
                origin=st.none() | st.sampled_from(list(Origin)),
            ),
        ),
    ),
    st.tuples(st.just("delete_actor"), st.tuples(actor_ids, st.booleans())),
    st.tuples(st.just("delete_innovation"), st.tuples(innovation_ids, st.booleans())),
    st.tuples(st.just("create_collaboration"), st.tuples(ties)),
    st.tuples(st.just("create_collaboration"), st.tuples(ties)),
    st.tuples(
        st.just("update_collaboration"),
        st.tuples(
            actor_ids,
            innovation_ids,
            st.builds(
                CollaborationPatch,
                strength=st.none() | st.integers(1, 3),
                until=st.none() | DAYS,  # may fall before `since`: Invalid on both
            ),
        ),
    ),
    st.tuples(st.just("delete_collaboration"), st.tuples(actor_ids, innovation_ids)),
    st.tuples(st.just("create_partnership"), st.tuples(partnerships)),
    st.tuples(
        st.just("update_partnership"),
        st.tuples(
            actor_ids,
            actor_ids,
            st.builds(PartnershipPatch, kind=st.none() | st.sampled_from(list(PartnershipKind))),
        ),
    ),
    st.tuples(st.just("delete_partnership"), st.tuples(actor_ids, actor_ids)),
    st.tuples(st.just("load"), st.tuples(bundles)),
)


def outcome(call: Callable[[], Any]) -> tuple[str, Any]:
    """("ok", result) or ("error", the domain error's class)."""
    try:
        return ("ok", call())
    except HexahelixError as exc:
        return ("error", type(exc))


def queries(store: Store) -> Iterator[tuple[str, Callable[[], Any]]]:
    """Every read the two stores must answer alike."""
    yield "snapshot", store.snapshot
    for code in ("63", "63.03", "63.71", "64"):
        yield f"snapshot({code})", lambda code=code: store.snapshot(code)
    for f in (
        {},
        {"region": "63"},
        {"q": "sehat"},
        {"sector": "health"},
        {"owner_id": "a0"},
        {"form": Form.TATA_KELOLA},
    ):
        yield f"innovations{f}", lambda f=f: store.list_innovations(InnovationFilter(**f), ALL)
    for f in ({}, {"helix": Helix.GOVERNMENT}, {"region": "63.03"}, {"q": "PASAR"}):
        yield f"actors{f}", lambda f=f: store.list_actors(ActorFilter(**f), ALL)
    yield "actors page", lambda: store.list_actors(ActorFilter(), PageRequest(limit=2, offset=1))
    for cf in ({}, {"actor_id": "a1"}, {"innovation_id": "i0"}, {"role": Role.FUNDER}):
        yield f"ties{cf}", lambda cf=cf: store.list_collaborations(CollaborationFilter(**cf), ALL)
    for pf in ({}, {"actor_id": "a2"}, {"kind": PartnershipKind.MOU}):
        yield f"pairs{pf}", lambda pf=pf: store.list_partnerships(PartnershipFilter(**pf), ALL)
    for day in QUERY_DAYS:
        for i in INNOVATIONS:
            yield f"collaborators({i}, {day})", lambda i=i, day=day: store.collaborators(i, day)
        for a in ACTORS:
            yield f"actor_innovations({a})", lambda a=a, day=day: store.actor_innovations(a, day)
            yield f"partners({a}, {day})", lambda a=a, day=day: store.partners(a, day)
        for a, b in (("a0", "a1"), ("a1", "a2"), ("a3", "a0"), ("a2", "a4")):
            yield f"common({a}, {b})", lambda a=a, b=b, day=day: store.common(a, b, day)
        for threshold in (2, 7):
            yield (
                f"gaps({threshold}, {day})",
                lambda t=threshold, day=day: store.coverage_gaps(t, day),
            )
        yield "gaps(63.03)", lambda day=day: store.coverage_gaps(4, day, region="63.03")


@pytest.fixture(scope="module")
def stores() -> Iterator[tuple[Store, Store]]:
    """The oracle and the Neo4j store, reused by every example (cleared in between)."""
    with tempfile.TemporaryDirectory(prefix="hexahelix-diff-") as tmp:
        oracle = make_store("embedded", Path(tmp))
        subject = make_store("neo4j", Path(tmp))
        try:
            yield oracle, subject
        finally:
            oracle.close()
            subject.close()


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(steps=st.lists(operations, min_size=1, max_size=30))
def test_same_operations_same_graph_and_answers(
    stores: tuple[Store, Store], steps: list[Op]
) -> None:
    oracle, subject = stores
    for store in (oracle, subject):
        store.clear()
    versions = [oracle.version(), subject.version()]
    for n, (name, args) in enumerate(steps):
        expected = outcome(partial(getattr(oracle, name), *args))
        got = outcome(partial(getattr(subject, name), *args))
        assert got == expected, f"step {n}: {name}{args}"
    # the same number of acknowledged writes (the absolute numbers may differ)
    assert oracle.version() - versions[0] == subject.version() - versions[1]
    for (label, ask), (_, ask_subject) in zip(queries(oracle), queries(subject), strict=True):
        assert outcome(ask_subject) == outcome(ask), label
