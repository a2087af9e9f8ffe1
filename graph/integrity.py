"""Integrity of a bundle before a store loads it: duplicate records and broken references.

Both stores call `bundle_problems`, so a bundle is refused for the same reasons, with the same
messages, whichever store loads it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from graph.kinds import BY_SECTION, KINDS, NODE_SECTIONS, NodeKind
from graph.models import GraphData


def bundle_key(section: str, record: Any) -> Any:
    """The identity of a bundle record (partnerships: the unordered pair)."""
    kind = BY_SECTION[section]
    key = tuple(getattr(record, field) for field in kind.key)
    return frozenset(key) if kind.symmetric else key


def bundle_problems(
    data: GraphData, existing: Callable[[NodeKind, set[str]], set[str]]
) -> list[str]:
    """Every duplicate record and broken reference of a bundle, each naming where the record
    is (`section[index]`, which `Bundle.explain` turns into a file and line), which record it
    is, and the field and value that break.

    `existing(kind, ids)` says which of `ids` the store already holds.

    >>> from graph.models import Actor, Collaboration
    >>> data = GraphData(
    ...     actors=[Actor(id="a", name="A", helix="media", region="63")],
    ...     collaborations=[Collaboration(actor_id="a", innovation_id="x", role="funder",
    ...                                   since="2025-01-01")],
    ... )
    >>> bundle_problems(data, lambda kind, ids: set())
    ["collaborations[0]: collaborates_on 'a' -> 'x', field innovation_id: innovation 'x' not found"]
    >>> bundle_problems(GraphData(actors=data.actors * 2), lambda kind, ids: set())
    ["actors[1]: actor 'a' duplicates actors[0]"]
    """
    problems: list[str] = []
    for kind in KINDS:
        section = kind.section
        seen: dict[Any, int] = {}
        records = getattr(data, section)
        for i, record in enumerate(records):
            key = bundle_key(section, record)
            if key in seen:
                j = seen[key]
                same = not kind.symmetric or records[j].key == record.key
                how = "duplicates" if same else "is the reverse of"
                problems.append(f"{section}[{i}]: {kind.describe(record)} {how} {section}[{j}]")
            seen.setdefault(key, i)
    known: dict[NodeKind, set[str]] = {
        node: {record.id for record in getattr(data, kind.section)}
        for node, kind in NODE_SECTIONS.items()
    }
    wanted: dict[NodeKind, set[str]] = defaultdict(set)
    for kind in KINDS:
        for record in getattr(data, kind.section):
            for ref in kind.references:
                value = getattr(record, ref.field)
                if value is not None and value not in known[ref.node]:
                    wanted[ref.node].add(value)
    for node, ids in wanted.items():
        known[node] |= existing(node, ids)
    for kind in KINDS:
        for i, record in enumerate(getattr(data, kind.section)):
            for ref in kind.references:
                value = getattr(record, ref.field)
                if value is not None and value not in known[ref.node]:
                    problems.append(
                        f"{kind.section}[{i}]: {kind.describe(record)}, field {ref.field}: "
                        f"{ref.name} '{value}' not found"
                    )
    return problems
