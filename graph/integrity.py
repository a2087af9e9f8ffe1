"""Integrity of a bundle before a store loads it: duplicate records and broken references.

Both stores call `bundle_problems`, so a bundle is refused for the same reasons, with the same
messages, whichever store loads it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any, Literal

from graph.models import GraphData

NodeKind = Literal["actor", "innovation"]

# The fields that identify a record of each bundle section (also its sort order).
BUNDLE_KEYS: dict[str, tuple[str, ...]] = {
    "regions": ("code",),
    "actors": ("id",),
    "innovations": ("id",),
    "collaborations": ("actor_id", "innovation_id"),
    "partnerships": ("source_id", "target_id"),
    "part_of": ("child_id", "parent_id"),
    "builds_on": ("innovation_id", "base_id"),
}
# Bundle sections whose fields reference nodes: (field, node kind, name in messages).
REFERENCES: dict[str, tuple[tuple[str, NodeKind, str], ...]] = {
    "innovations": (("owner_id", "actor", "owner actor"),),
    "collaborations": (
        ("actor_id", "actor", "actor"),
        ("innovation_id", "innovation", "innovation"),
    ),
    "partnerships": (("source_id", "actor", "actor"), ("target_id", "actor", "actor")),
    "part_of": (("child_id", "actor", "actor"), ("parent_id", "actor", "actor")),
    "builds_on": (
        ("innovation_id", "innovation", "innovation"),
        ("base_id", "innovation", "innovation"),
    ),
}


def bundle_key(section: str, record: Any) -> Any:
    """The identity of a bundle record (partnerships: the unordered pair)."""
    key = tuple(getattr(record, field) for field in BUNDLE_KEYS[section])
    return frozenset(key) if section == "partnerships" else key


def bundle_problems(
    data: GraphData, existing: Callable[[NodeKind, set[str]], set[str]]
) -> list[str]:
    """Every duplicate record and broken reference of a bundle, each naming its record.

    `existing(kind, ids)` says which of `ids` the store already holds.

    >>> from graph.models import Actor, Collaboration
    >>> data = GraphData(
    ...     actors=[Actor(id="a", name="A", helix="media", region="63")],
    ...     collaborations=[Collaboration(actor_id="a", innovation_id="x", role="funder",
    ...                                   since="2025-01-01")],
    ... )
    >>> bundle_problems(data, lambda kind, ids: set())
    ["collaborations[0]: innovation 'x' not found"]
    """
    problems: list[str] = []
    for section in BUNDLE_KEYS:
        seen: dict[Any, int] = {}
        records = getattr(data, section)
        for i, record in enumerate(records):
            key = bundle_key(section, record)
            if key in seen:
                j = seen[key]
                same = section != "partnerships" or records[j].key == record.key
                how = "duplicates" if same else "is the reverse of"
                problems.append(f"{section}[{i}]: {how} {section}[{j}]")
            seen.setdefault(key, i)
    known: dict[NodeKind, set[str]] = {
        "actor": {a.id for a in data.actors},
        "innovation": {i.id for i in data.innovations},
    }
    wanted: dict[NodeKind, set[str]] = defaultdict(set)
    for section, refs in REFERENCES.items():
        for record in getattr(data, section):
            for field, kind, _ in refs:
                value = getattr(record, field)
                if value is not None and value not in known[kind]:
                    wanted[kind].add(value)
    for kind, ids in wanted.items():
        known[kind] |= existing(kind, ids)
    for section, refs in REFERENCES.items():
        for i, record in enumerate(getattr(data, section)):
            for field, kind, name in refs:
                value = getattr(record, field)
                if value is not None and value not in known[kind]:
                    problems.append(f"{section}[{i}]: {name} '{value}' not found")
    return problems
