"""The store port stays narrow: adapters write primitives, the rules live once in `Store`."""

from __future__ import annotations

import pytest

from graph.embedded import EmbeddedStore
from graph.neo4j import Neo4jStore
from graph.store import Store

MAX_PRIMITIVES = 12
"""What the README promises an adapter must write, at most."""


def test_an_adapter_writes_at_most_a_dozen_primitives() -> None:
    primitives = sorted(Store.__abstractmethods__)
    assert len(primitives) <= MAX_PRIMITIVES, primitives


def test_both_adapters_are_checked() -> None:
    assert {EmbeddedStore, Neo4jStore} <= set(Store.__subclasses__())


@pytest.mark.parametrize("adapter", Store.__subclasses__(), ids=lambda cls: cls.__name__)
def test_adapters_repeat_none_of_the_rules(adapter: type[Store]) -> None:
    """No adapter (every direct subclass of `Store`) overrides a concrete method of the port
    (the rules, the public methods) but the speed overrides the port names: a store differs only
    in its primitives, so the contract suite judges one set of rules."""
    rules = {
        name
        for name, value in vars(Store).items()
        if callable(value) and name not in Store.__abstractmethods__ and not name.startswith("__")
    }
    assert rules & set(vars(adapter)) <= Store.SPEED_OVERRIDES
