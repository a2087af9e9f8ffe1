"""Random sequences of writes against the store and a plain-Python model of the graph.

After every step the store must hold exactly what the model holds (so no duplicate id and no tie
to a missing node), answer the collaboration queries as the model does, and count one version per
acknowledged write; reopening the embedded store on the same directory must change nothing.
One test case per store kind in STORE_KINDS; the reopen step runs on the embedded store only.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from conftest import STORE_KINDS, make_store
from factories import actor, innovation, partnership, tie
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)

from graph.errors import Conflict, NotFound
from graph.models import (
    Actor,
    ActorPatch,
    Collaboration,
    CollaborationPatch,
    GraphData,
    Innovation,
    InnovationPatch,
    Partnership,
    PartnershipPatch,
)
from graph.store import Store
from graph.vocab import Helix, PartnershipKind

ACTOR_POOL = ["a0", "a1", "a2", "a3"]
INNOVATION_POOL = ["i0", "i1", "i2"]
ACTOR_IDS = st.sampled_from(ACTOR_POOL)
INNOVATION_IDS = st.sampled_from(INNOVATION_POOL)
HELIXES = st.sampled_from(list(Helix))
DAYS = st.dates(min_value=date(2024, 1, 1), max_value=date(2024, 1, 9))
LENGTHS = st.none() | st.integers(min_value=1, max_value=5)
QUERY_DAY = date(2024, 1, 5)


def _until(since: date, length: int | None) -> date | None:
    return None if length is None else since + timedelta(days=length)


class StoreMachine(RuleBasedStateMachine):
    """A store of kind `kind` against dictionaries."""

    kind = "embedded"

    def __init__(self) -> None:
        super().__init__()
        self.dir = Path(tempfile.mkdtemp(prefix="hexahelix-prop-"))
        self.store: Store = make_store(self.kind, self.dir)
        self.version = self.store.version()
        self.actors: dict[str, Actor] = {}
        self.innovations: dict[str, Innovation] = {}
        self.ties: dict[tuple[str, str], Collaboration] = {}
        self.pairs: dict[frozenset[str], Partnership] = {}

    def teardown(self) -> None:
        if self.kind == "embedded":
            self.reopen()
        self.store.close()
        shutil.rmtree(self.dir, ignore_errors=True)

    def write(self, call: Callable[[], Any], *errors: type[Exception] | None) -> bool:
        """Run a write: it must fail with one of `errors` if any apply, else succeed."""
        expected = tuple(e for e in errors if e is not None)
        if expected:
            with pytest.raises(expected):
                call()
            return False
        call()
        self.version += 1
        return True

    @initialize(
        helixes=st.lists(HELIXES, min_size=len(ACTOR_POOL), max_size=len(ACTOR_POOL)),
        owners=st.lists(
            st.none() | ACTOR_IDS, min_size=len(INNOVATION_POOL), max_size=len(INNOVATION_POOL)
        ),
        ties=st.lists(st.tuples(ACTOR_IDS, INNOVATION_IDS, DAYS, LENGTHS), min_size=2, max_size=8),
        pairs=st.lists(st.tuples(ACTOR_IDS, ACTOR_IDS, DAYS, LENGTHS), max_size=4),
    )
    def seed(
        self,
        helixes: list[Helix],
        owners: list[str | None],
        ties: list[tuple[str, str, date, int | None]],
        pairs: list[tuple[str, str, date, int | None]],
    ) -> None:
        """Start from a loaded graph with every actor and innovation and a few ties."""
        for actor_id, helix in zip(ACTOR_POOL, helixes, strict=True):
            self.actors[actor_id] = actor(actor_id, helix=helix)
        for innovation_id, owner in zip(INNOVATION_POOL, owners, strict=True):
            self.innovations[innovation_id] = innovation(innovation_id, owner_id=owner)
        for a, i, since, length in ties:
            self.ties[(a, i)] = tie(a, i, since=since, until=_until(since, length))
        for a, b, since, length in pairs:
            if a != b and frozenset((a, b)) not in self.pairs:
                self.pairs[frozenset((a, b))] = partnership(
                    a, b, since=since, until=_until(since, length)
                )
        self.store.load(self.expected())
        self.version += 1

    def pick(
        self, data: st.DataObject, existing: Iterable[Any], pool: st.SearchStrategy[Any]
    ) -> Any:
        """Mostly one of `existing` (so most writes succeed), sometimes anything from `pool`.

        (Hypothesis favours small draws, so index 0.. picks an existing one, the last anything.)
        """
        choices = sorted(existing, key=str)
        index = data.draw(st.integers(0, len(choices)), label="index")
        return choices[index] if index < len(choices) else data.draw(pool)

    def actor_id(self, data: st.DataObject) -> str:
        return str(self.pick(data, self.actors, ACTOR_IDS))

    def innovation_id(self, data: st.DataObject) -> str:
        return str(self.pick(data, self.innovations, INNOVATION_IDS))

    # -- actors ----------------------------------------------------------------------------
    @rule(data=st.data(), helix=HELIXES)
    def create_actor(self, data: st.DataObject, helix: Helix) -> None:
        actor_id = self.pick(data, set(ACTOR_POOL) - self.actors.keys(), ACTOR_IDS)
        record = actor(actor_id, helix=helix)
        duplicate = Conflict if actor_id in self.actors else None
        if self.write(lambda: self.store.create_actor(record), duplicate):
            self.actors[actor_id] = record

    @rule(data=st.data(), helix=HELIXES)
    def update_actor(self, data: st.DataObject, helix: Helix) -> None:
        actor_id = self.actor_id(data)
        missing = NotFound if actor_id not in self.actors else None
        if self.write(lambda: self.store.update_actor(actor_id, ActorPatch(helix=helix)), missing):
            self.actors[actor_id] = self.actors[actor_id].model_copy(update={"helix": helix})

    @rule(data=st.data(), cascade=st.booleans())
    def delete_actor(self, data: st.DataObject, cascade: bool) -> None:
        actor_id = self.actor_id(data)
        missing = NotFound if actor_id not in self.actors else None
        attached = (
            any(a == actor_id for a, _ in self.ties)
            or any(actor_id in pair for pair in self.pairs)
            or any(i.owner_id == actor_id for i in self.innovations.values())
        )
        refused = Conflict if not missing and not cascade and attached else None
        if self.write(lambda: self.store.delete_actor(actor_id, cascade), missing, refused):
            del self.actors[actor_id]
            self.ties = {k: t for k, t in self.ties.items() if k[0] != actor_id}
            self.pairs = {k: p for k, p in self.pairs.items() if actor_id not in k}
            for key, record in self.innovations.items():
                if record.owner_id == actor_id:
                    self.innovations[key] = record.model_copy(update={"owner_id": None})

    # -- innovations -----------------------------------------------------------------------
    def owner(self, data: st.DataObject) -> str | None:
        return None if data.draw(st.integers(0, 3), label="no owner?") == 3 else self.actor_id(data)

    @rule(data=st.data())
    def create_innovation(self, data: st.DataObject) -> None:
        innovation_id = self.pick(
            data, set(INNOVATION_POOL) - self.innovations.keys(), INNOVATION_IDS
        )
        owner = self.owner(data)
        record = innovation(innovation_id, owner_id=owner)
        duplicate = Conflict if innovation_id in self.innovations else None
        no_owner = NotFound if owner is not None and owner not in self.actors else None
        if self.write(lambda: self.store.create_innovation(record), duplicate, no_owner):
            self.innovations[innovation_id] = record

    @rule(data=st.data())
    def update_innovation(self, data: st.DataObject) -> None:
        innovation_id, owner = self.innovation_id(data), self.owner(data)
        missing = NotFound if innovation_id not in self.innovations else None
        no_owner = NotFound if owner is not None and owner not in self.actors else None
        patch = InnovationPatch(owner_id=owner)
        if self.write(
            lambda: self.store.update_innovation(innovation_id, patch), missing, no_owner
        ):
            record = self.innovations[innovation_id]
            self.innovations[innovation_id] = record.model_copy(update={"owner_id": owner})

    @rule(data=st.data(), cascade=st.booleans())
    def delete_innovation(self, data: st.DataObject, cascade: bool) -> None:
        innovation_id = self.innovation_id(data)
        missing = NotFound if innovation_id not in self.innovations else None
        attached = any(i == innovation_id for _, i in self.ties)
        refused = Conflict if not missing and not cascade and attached else None
        if self.write(
            lambda: self.store.delete_innovation(innovation_id, cascade), missing, refused
        ):
            del self.innovations[innovation_id]
            self.ties = {k: t for k, t in self.ties.items() if k[1] != innovation_id}

    # -- collaborations --------------------------------------------------------------------
    @rule(data=st.data(), since=DAYS, length=LENGTHS)
    def create_collaboration(self, data: st.DataObject, since: date, length: int | None) -> None:
        actor_id, innovation_id = self.actor_id(data), self.innovation_id(data)
        record = tie(actor_id, innovation_id, since=since, until=_until(since, length))
        missing = (
            NotFound
            if actor_id not in self.actors or innovation_id not in self.innovations
            else None
        )
        duplicate = Conflict if (actor_id, innovation_id) in self.ties else None
        if self.write(lambda: self.store.create_collaboration(record), missing, duplicate):
            self.ties[record.key] = record

    def tie_key(self, data: st.DataObject) -> tuple[str, str]:
        key: tuple[str, str] = self.pick(data, self.ties, st.tuples(ACTOR_IDS, INNOVATION_IDS))
        return key

    @rule(data=st.data(), strength=st.integers(1, 3))
    def update_collaboration(self, data: st.DataObject, strength: int) -> None:
        key = self.tie_key(data)
        missing = NotFound if key not in self.ties else None
        patch = CollaborationPatch(strength=strength)
        if self.write(lambda: self.store.update_collaboration(*key, patch), missing):
            self.ties[key] = self.ties[key].model_copy(update={"strength": strength})

    @rule(data=st.data())
    def delete_collaboration(self, data: st.DataObject) -> None:
        key = self.tie_key(data)
        missing = NotFound if key not in self.ties else None
        if self.write(lambda: self.store.delete_collaboration(*key), missing):
            del self.ties[key]

    # -- partnerships ----------------------------------------------------------------------
    @rule(data=st.data(), since=DAYS, length=LENGTHS)
    def create_partnership(self, data: st.DataObject, since: date, length: int | None) -> None:
        a, b = self.actor_id(data), self.actor_id(data)
        if a == b:
            return
        record = partnership(a, b, since=since, until=_until(since, length))
        missing = NotFound if a not in self.actors or b not in self.actors else None
        duplicate = Conflict if frozenset((a, b)) in self.pairs else None
        if self.write(lambda: self.store.create_partnership(record), missing, duplicate):
            self.pairs[frozenset((a, b))] = record

    def pair(self, data: st.DataObject) -> tuple[str, str]:
        """Two actors, in either order, mostly of an existing partnership."""
        existing = [tuple(sorted(k)) for k in self.pairs]
        a, b = self.pick(data, existing, st.tuples(ACTOR_IDS, ACTOR_IDS))
        return (b, a) if data.draw(st.booleans(), label="reversed?") else (a, b)

    @rule(data=st.data(), kind=st.sampled_from(list(PartnershipKind)))
    def update_partnership(self, data: st.DataObject, kind: PartnershipKind) -> None:
        a, b = self.pair(data)
        key = frozenset((a, b))
        missing = NotFound if key not in self.pairs else None
        patch = PartnershipPatch(kind=kind)
        if self.write(lambda: self.store.update_partnership(a, b, patch), missing):
            self.pairs[key] = self.pairs[key].model_copy(update={"kind": kind})

    @rule(data=st.data())
    def delete_partnership(self, data: st.DataObject) -> None:
        a, b = self.pair(data)
        key = frozenset((a, b))
        missing = NotFound if key not in self.pairs else None
        if self.write(lambda: self.store.delete_partnership(a, b), missing):
            del self.pairs[key]

    # -- durability ------------------------------------------------------------------------
    @precondition(lambda self: self.kind == "embedded")
    @rule()
    def reopen(self) -> None:
        """A new store on the same directory sees exactly what was acknowledged."""
        self.store.close()
        self.store = make_store(self.kind, self.dir)
        self.same_graph()

    # -- invariants ------------------------------------------------------------------------
    def expected(self) -> GraphData:
        return GraphData(
            actors=sorted(self.actors.values(), key=lambda a: a.id),
            innovations=sorted(self.innovations.values(), key=lambda i: i.id),
            collaborations=sorted(self.ties.values(), key=lambda t: t.key),
            partnerships=sorted(self.pairs.values(), key=lambda p: p.key),
        )

    @invariant()
    def same_graph(self) -> None:
        snap = self.store.snapshot()
        assert snap == self.expected()
        actor_ids = [a.id for a in snap.actors]
        innovation_ids = [i.id for i in snap.innovations]
        assert len(set(actor_ids)) == len(actor_ids)
        assert len(set(innovation_ids)) == len(innovation_ids)
        for t in snap.collaborations:
            assert t.actor_id in actor_ids and t.innovation_id in innovation_ids
        for p in snap.partnerships:
            assert p.source_id in actor_ids and p.target_id in actor_ids
        assert self.store.version() == self.version

    @invariant()
    def queries_match_the_model(self) -> None:
        day = QUERY_DAY
        active = [t for t in self.ties.values() if t.active_on(day)]
        gaps = []
        for i, record in self.innovations.items():
            present = {self.actors[t.actor_id].helix for t in active if t.innovation_id == i}
            owner = record.owner_id
            if owner is not None and (owner, i) not in self.ties:  # the owner carries it
                present.add(self.actors[owner].helix)
            gaps.append((len(present), i, [h for h in Helix if h not in present]))
        got = [(g.coverage, g.innovation_id, g.missing) for g in self.store.coverage_gaps(7, day)]
        assert got == sorted(gaps)
        for a in self.actors:
            mine = {t.innovation_id for t in active if t.actor_id == a}
            shared: dict[str, list[str]] = {}
            for t in active:
                if t.actor_id != a and t.innovation_id in mine:
                    shared.setdefault(t.actor_id, []).append(t.innovation_id)
            kinds = {
                next(iter(k - {a})): p.kind
                for k, p in self.pairs.items()
                if a in k and p.active_on(day)
            }
            expected = sorted(
                (
                    (b, sorted(shared.get(b, [])), kinds.get(b))
                    for b in shared.keys() | kinds.keys()
                ),
                key=lambda row: (-len(row[1]), row[0]),
            )
            got_partners = [
                (p.actor_id, p.shared_innovations, p.partnership)
                for p in self.store.partners(a, day)
            ]
            assert got_partners == expected


# A server round trip costs ~100x an embedded call: fewer examples there keep the suite quick.
MAX_EXAMPLES = {"embedded": 60}
for _kind in STORE_KINDS:
    _machine = type(f"StoreMachine_{_kind}", (StoreMachine,), {"kind": _kind})
    _case = _machine.TestCase
    _case.settings = settings(
        max_examples=MAX_EXAMPLES.get(_kind, 20),
        stateful_step_count=40,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    # named per kind, so that conftest marks the neo4j one `neo4j`
    _case.__name__ = _case.__qualname__ = f"TestStoreMachine_{_kind}"
    globals()[_case.__name__] = _case
del _kind, _machine, _case
