"""The registry of record kinds: every kind of record the graph holds, declared once.

Each `RecordKind` names its `GraphData` section (also the embedded table, the bundle section and
the CSV file's stem), its model, its key, its Neo4j label or relationship type and the nodes its
fields refer to. `KINDS` is in load order (what a record refers to loads before it). The stores,
the bundle reader, the integrity check and the formats read this table instead of listing the
kinds themselves; a new kind is a new entry here (plus its model, its table or Cypher, and tests).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from graph.models import (
    Actor,
    BuildsOn,
    Collaboration,
    Innovation,
    Model,
    Partnership,
    PartOf,
    Region,
)
from graph.vocab import Label, RelType

NodeKind = Literal["actor", "innovation"]


@dataclass(frozen=True)
class Reference:
    """A field of a record that names a node: (field, the node's kind, its name in messages)."""

    field: str
    node: NodeKind
    name: str


@dataclass(frozen=True)
class RecordKind:
    """One kind of record: where it lives and what identifies it."""

    section: str
    """`GraphData` field, bundle section, embedded table and CSV file stem."""
    model: type[Model]
    key: tuple[str, ...]
    """Fields identifying a record (also its snapshot order)."""
    label: str
    """Neo4j node label, or relationship type for a tie."""
    references: tuple[Reference, ...] = ()
    tie: bool = False
    """A tie between two nodes (its first two references are its ends) rather than a node."""
    symmetric: bool = False
    """The key is an unordered pair (a partnership a-b is the same as b-a)."""
    required_file: bool = False
    """A CSV bundle must hold this kind's file (possibly with no rows)."""

    @property
    def name(self) -> str:
        """The node or edge type in exported graphs (`actor`, `collaborates_on`, ...)."""
        return self.label.lower()

    @property
    def csv_file(self) -> str:
        """The file name of this kind in a CSV bundle."""
        return f"{self.section}.csv"

    @property
    def ends(self) -> tuple[Reference, ...]:
        """The two nodes a tie links (none for a node kind)."""
        return self.references[:2] if self.tie else ()

    def describe(self, record: object) -> str:
        """How messages name one record of this kind, from a model or a mapping of its fields
        (a row as read): `actor 'dinkes-banjar'`, `collaborates_on 'a' -> 'i'`.

        >>> COLLABORATION.describe({"actor_id": "a", "innovation_id": "i"})
        "collaborates_on 'a' -> 'i'"
        >>> ACTOR.describe({"name": "no id"})
        'actor ?'
        """
        values = [
            record.get(field) if isinstance(record, Mapping) else getattr(record, field, None)
            for field in self.key
        ]
        shown = [repr(str(v)) if v not in (None, "") else "?" for v in values]
        return f"{self.name} {' -> '.join(shown)}"


def _node(kind: NodeKind) -> Reference:
    return Reference(f"{kind}_id", kind, kind)


REGION = RecordKind("regions", Region, ("code",), Label.REGION.value, required_file=True)
ACTOR = RecordKind("actors", Actor, ("id",), Label.ACTOR.value, required_file=True)
INNOVATION = RecordKind(
    "innovations",
    Innovation,
    ("id",),
    Label.INNOVATION.value,
    (Reference("owner_id", "actor", "owner actor"),),
    required_file=True,
)
COLLABORATION = RecordKind(
    "collaborations",
    Collaboration,
    ("actor_id", "innovation_id"),
    RelType.COLLABORATES_ON.value,
    (_node("actor"), _node("innovation")),
    tie=True,
    required_file=True,
)
PARTNERSHIP = RecordKind(
    "partnerships",
    Partnership,
    ("source_id", "target_id"),
    RelType.PARTNERS_WITH.value,
    (Reference("source_id", "actor", "actor"), Reference("target_id", "actor", "actor")),
    tie=True,
    symmetric=True,
)
PART_OF = RecordKind(
    "part_of",
    PartOf,
    ("child_id", "parent_id"),
    RelType.PART_OF.value,
    (Reference("child_id", "actor", "actor"), Reference("parent_id", "actor", "actor")),
    tie=True,
)
BUILDS_ON = RecordKind(
    "builds_on",
    BuildsOn,
    ("innovation_id", "base_id"),
    RelType.BUILDS_ON.value,
    (_node("innovation"), Reference("base_id", "innovation", "innovation")),
    tie=True,
)

KINDS: tuple[RecordKind, ...] = (
    REGION,
    ACTOR,
    INNOVATION,
    COLLABORATION,
    PARTNERSHIP,
    PART_OF,
    BUILDS_ON,
)
"""Every record kind, in load order (a store deletes in the reverse order)."""
BY_SECTION: dict[str, RecordKind] = {kind.section: kind for kind in KINDS}
NODE_SECTIONS: dict[NodeKind, RecordKind] = {"actor": ACTOR, "innovation": INNOVATION}
"""The record kind of each node kind that references name."""
