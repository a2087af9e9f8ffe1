"""Optimistic concurrency in the store contract: every record has an ETag (a revision of its
stored fields); an update or delete with `if_match` is checked in the write's own transaction,
on both stores, and a refused write changes nothing."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from factories import actor, innovation, partnership, tie

from graph.bundle import load_seed
from graph.errors import PreconditionFailed
from graph.models import ActorPatch, CollaborationPatch, InnovationPatch, PartnershipPatch
from graph.revision import IfMatch, etag_of
from graph.store import Store


def seeded(store: Store) -> None:
    store.create_actor(actor("a"))
    store.create_actor(actor("b"))
    store.create_innovation(innovation("i", owner_id="a"))
    store.create_collaboration(tie("a", "i"))
    store.create_partnership(partnership("a", "b"))


# (read, update with a patch that changes it, delete), per kind; partnerships by the other
# direction too, which names the same record.
KINDS: dict[str, tuple[Callable[..., Any], Callable[..., Any], Callable[..., Any]]] = {
    "innovation": (
        lambda s: s.get_innovation("i"),
        lambda s, m, d="x": s.update_innovation("i", InnovationPatch(description=d), if_match=m),
        lambda s, m: s.delete_innovation("i", cascade=True, if_match=m),
    ),
    "actor": (
        lambda s: s.get_actor("b"),
        lambda s, m, d="x": s.update_actor("b", ActorPatch(description=d), if_match=m),
        lambda s, m: s.delete_actor("b", cascade=True, if_match=m),
    ),
    "collaboration": (
        lambda s: s.get_collaboration("a", "i"),
        lambda s, m, d="x": s.update_collaboration(
            "a", "i", CollaborationPatch(source=f"src {d}"), if_match=m
        ),
        lambda s, m: s.delete_collaboration("a", "i", if_match=m),
    ),
    "partnership": (
        lambda s: s.get_partnership("b", "a"),
        lambda s, m, d="x": s.update_partnership(
            "b", "a", PartnershipPatch(source=f"src {d}"), if_match=m
        ),
        lambda s, m: s.delete_partnership("b", "a", if_match=m),
    ),
}


def test_a_record_keeps_its_etag_until_it_changes(store: Store) -> None:
    seeded(store)
    for read, update, _ in KINDS.values():
        before = etag_of(read(store))
        assert before == etag_of(read(store))
        changed = update(store, IfMatch.parse(before))
        assert etag_of(changed) == etag_of(read(store)) != before


def test_the_etag_is_the_same_on_every_store(store: Store) -> None:
    """A digest of the record's fields: what the other store gives for the same record."""
    seeded(store)
    assert etag_of(store.get_innovation("i")) == etag_of(innovation("i", owner_id="a"))
    assert etag_of(store.get_collaboration("a", "i")) == etag_of(tie("a", "i"))
    assert etag_of(store.get_partnership("b", "a")) == etag_of(partnership("a", "b"))


@pytest.mark.parametrize("kind", list(KINDS))
def test_a_stale_or_bogus_if_match_is_refused_and_writes_nothing(store: Store, kind: str) -> None:
    seeded(store)
    read, update, delete = KINDS[kind]
    stale = etag_of(read(store))
    update(store, None, "someone else's change")
    current = read(store)
    version = store.version()
    for header in (stale, '"bogus"', "bogus", f"W/{etag_of(current)}"):
        with pytest.raises(PreconditionFailed) as refused:
            update(store, IfMatch.parse(header), "mine")
        assert refused.value.current == etag_of(current)
        assert etag_of(current) in str(refused.value)
        with pytest.raises(PreconditionFailed):
            delete(store, IfMatch.parse(header))
    assert store.version() == version  # nothing was written
    assert read(store) == current


@pytest.mark.parametrize("kind", list(KINDS))
def test_a_current_etag_or_star_lets_the_write_through(store: Store, kind: str) -> None:
    seeded(store)
    read, update, delete = KINDS[kind]
    current = etag_of(read(store))
    changed = update(store, IfMatch.parse(f'"other", {current}'), "mine")
    assert read(store) == changed
    update(store, IfMatch.parse("*"), "again")
    delete(store, IfMatch.parse(etag_of(read(store))))
    with pytest.raises(Exception, match="not found"):
        read(store)


def test_concurrent_read_then_write_increments_lose_nothing(store: Store) -> None:
    """8 writers each add 1 to a counter 5 times, reading, writing with `if_match` and
    retrying on PreconditionFailed: the counter ends at exactly 40."""
    store.create_actor(actor("counter", description="0"))
    writers, increments = 8, 5
    refused = [0]
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(increments):
                while True:
                    seen = store.get_actor("counter")
                    patch = ActorPatch(description=str(int(seen.description) + 1))
                    try:
                        store.update_actor("counter", patch, if_match=IfMatch.parse(etag_of(seen)))
                        break
                    except PreconditionFailed:
                        refused[0] += 1
        except BaseException as exc:  # reported below, not lost in the thread
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert store.get_actor("counter").description == str(writers * increments)


def test_every_seed_record_has_the_same_etag_on_every_store(store: Store) -> None:
    """The whole seed (every field shape: absent, empty, lists, dates) read back from the store
    has the ETags of the bundle's records, which no store touched: one ETag per record whichever
    store serves it, and a client may keep it across a restore into the other store."""
    seed = load_seed()
    store.load(seed)
    for node in seed.innovations:
        assert etag_of(store.get_innovation(node.id)) == etag_of(node), node.id
    for found in seed.actors:
        assert etag_of(store.get_actor(found.id)) == etag_of(found), found.id
    for tie_ in seed.collaborations:
        assert etag_of(store.get_collaboration(*tie_.key)) == etag_of(tie_), tie_.key
    for pair in seed.partnerships:
        assert etag_of(store.get_partnership(*pair.key)) == etag_of(pair), pair.key
