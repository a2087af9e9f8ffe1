"""The registry of record kinds: every kind of record the graph holds, declared once.

Each `RecordKind` names its `GraphData` section (also the embedded table, the bundle section and
the CSV file's stem), its model, its key, its Neo4j label or relationship type and the nodes its
fields refer to. `KINDS` is in load order (what a record refers to loads before it). The stores,
the bundle reader, the integrity check, the formats and the reported part read this table instead
of listing the kinds themselves; a new kind is a new entry here, plus its model and `GraphData`
section, its `Label` or `RelType`, what each store adapter needs to hold it, and tests.
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


def _ref(field: str, node: NodeKind, name: str | None = None) -> Reference:
    return Reference(field, node, name or node)


def _tie(
    section: str,
    model: type[Model],
    rel: RelType,
    ends: tuple[Reference, Reference],
    **flags: bool,
) -> RecordKind:
    """A tie kind: its key is the fields of its two ends."""
    key = (ends[0].field, ends[1].field)
    return RecordKind(section, model, key, rel.value, ends, tie=True, **flags)


REGION = RecordKind("regions", Region, ("code",), Label.REGION.value, required_file=True)
ACTOR = RecordKind("actors", Actor, ("id",), Label.ACTOR.value, required_file=True)
INNOVATION = RecordKind(
    "innovations",
    Innovation,
    ("id",),
    Label.INNOVATION.value,
    (_ref("owner_id", "actor", "owner actor"),),
    required_file=True,
)
COLLABORATION = _tie(
    "collaborations",
    Collaboration,
    RelType.COLLABORATES_ON,
    (_ref("actor_id", "actor"), _ref("innovation_id", "innovation")),
    required_file=True,
)
PARTNERSHIP = _tie(
    "partnerships",
    Partnership,
    RelType.PARTNERS_WITH,
    (_ref("source_id", "actor"), _ref("target_id", "actor")),
    symmetric=True,
)
PART_OF = _tie(
    "part_of", PartOf, RelType.PART_OF, (_ref("child_id", "actor"), _ref("parent_id", "actor"))
)
BUILDS_ON = _tie(
    "builds_on",
    BuildsOn,
    RelType.BUILDS_ON,
    (_ref("innovation_id", "innovation"), _ref("base_id", "innovation")),
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
