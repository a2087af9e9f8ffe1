"""Loading a bundle read from a file into a store: all of it, or every problem in one pass.

The command line (`hexahelix import`) and the HTTP import (`POST /import`) both load through
here, so a file is refused for the same reasons with the same messages on both.
"""

from __future__ import annotations

from graph.bundle import Bundle
from graph.errors import Invalid
from graph.kinds import NodeKind
from graph.store import Store


def _nothing(_: NodeKind, __: set[str]) -> set[str]:
    return set()


def refusal(bundle: Bundle, store: Store | None, *, replace: bool = False) -> Invalid | None:
    """Every problem of `bundle` against `store` (None: no store exists yet), or None.

    References resolve within the file, or in the store unless the file replaces it."""
    existing = store.existing_ids if store is not None and not replace else _nothing
    return bundle.check(existing)


def load_bundle(store: Store, bundle: Bundle, *, replace: bool = False) -> dict[str, int]:
    """Load `bundle` in one store transaction (see `Store.load`); returns rows per kind.

    Invalid names every problem in one pass (the values of the records that could not be
    read, then duplicates and broken references among the others), each with its file and
    line (or node, edge or `section[index]`), the record's id, the field and the value; nothing
    is written then."""
    if bundle.problems:
        # The store's own check would not see the records left out: check here, then refuse.
        error = refusal(bundle, store, replace=replace)
        assert error is not None  # the bundle's own problems are among them
        raise error
    try:
        return store.load(bundle.data, replace=replace)
    except Invalid as error:
        raise Invalid(str(error), [bundle.explain(p) for p in error.problems]) from error
