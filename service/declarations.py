"""Declarations: what an innovation's owner says about its partners, kept until a curator decides.

A declaration arrives `proposed` and changes nothing in the graph. It is stored in the access file
(beside the keys and invitations, the same for every store and every API process) with the items
as sent; `service.curation` compares it with the graph and, on acceptance, writes it.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import Annotated, Self

from pydantic import BaseModel, Field, StringConstraints, model_validator

from graph.errors import Conflict, NotFound
from graph.models import Model, Name, RegionCode, Slug, Strength
from graph.vocab import Helix, Role
from service.access import AccessStore

MAX_ITEMS = 200
MAX_PER_DAY = 10
"""Declarations one invitation may send in 24 hours (more: 429)."""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS declarations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    invitation_id TEXT,
    innovation_id TEXT NOT NULL,
    declared_by TEXT NOT NULL,
    submitted_at TEXT NOT NULL,
    channel TEXT NOT NULL DEFAULT 'form',
    status TEXT NOT NULL,
    body TEXT NOT NULL,
    decided_by TEXT,
    decided_at TEXT,
    reason TEXT,
    decisions TEXT
);
CREATE INDEX IF NOT EXISTS declarations_status ON declarations (status, id);
"""

Evidence = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
Kind = Annotated[str, StringConstraints(pattern=r"^[a-z0-9_]{1,40}$")]


class DeclarationStatus(StrEnum):
    """proposed (waiting for a curator), accepting (being written), accepted or rejected."""

    PROPOSED = "proposed"
    ACCEPTING = "accepting"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class NewActor(Model):
    """A partner the graph does not know yet."""

    name: Name = Field(description="Name of the organisation.", examples=["Karang Taruna Desa A"])
    helix: Helix = Field(description="Its Hexahelix kind.")
    kind: Kind = Field(
        "organisation", description="Sub-type within the helix kind.", examples=["youth_group"]
    )
    region: RegionCode = Field(description="BPS code of the region where it is located.")


class DeclaredTie(Model):
    """One partner of the innovation as the owner declares it: an existing actor (`actor_id`) or a
    new one (`new_actor`), its role and strength, since when, and whether the tie has ended."""

    actor_id: Slug | None = Field(None, description="An existing actor (exclusive with new_actor).")
    new_actor: NewActor | None = Field(None, description="A new actor (exclusive with actor_id).")
    role: Role = Field(description="What the partner does on the innovation.")
    strength: Strength = 1
    since: date = Field(description="First day of the tie.")
    ended_on: date | None = Field(
        None, description="The day the tie ended (first day it is no longer active); null: active."
    )
    evidence: Evidence | None = Field(
        None, description="A URL or a document reference (e.g. a PKS number).", examples=[None]
    )

    @model_validator(mode="after")
    def _one_actor(self) -> Self:
        if (self.actor_id is None) == (self.new_actor is None):
            raise ValueError("give exactly one of actor_id (existing) and new_actor (new)")
        if self.ended_on is not None and self.ended_on <= self.since:
            raise ValueError("ended_on must be after since")
        return self


class DeclarationIn(Model):
    """What an owner sends: who answers, and the innovation's partners as they really are."""

    declared_by: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=2, max_length=120)
    ] = Field(description="Name and position of the person answering.", examples=["Rina, Kasi"])
    items: list[DeclaredTie] = Field(
        min_length=1, max_length=MAX_ITEMS, description=f"The ties (1..{MAX_ITEMS})."
    )
    note: Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)] = Field(
        "", description="Anything else the curator should know."
    )

    @model_validator(mode="after")
    def _each_actor_once(self) -> Self:
        seen: set[str] = set()
        for index, item in enumerate(self.items):
            key = item.actor_id or f"new:{item.new_actor.name.lower() if item.new_actor else ''}"
            if key in seen:
                raise ValueError(f"items.{index}: the same partner is declared twice")
            seen.add(key)
        return self


class ItemDecision(BaseModel):
    """A curator's decision on one item."""

    index: int = Field(description="Position of the item in the declaration.")
    accepted: bool = Field(description="Whether the item was written to the graph.")
    actor_id: str | None = Field(None, description="The actor written (new actors get an id).")


class Declaration(BaseModel):
    """A declaration as stored, with the curator's decision once there is one."""

    id: int = Field(description="Declaration id.", examples=[12])
    innovation_id: str = Field(description="The innovation it is about.")
    invitation_id: str | None = Field(description="Invitation it came through (null: upload).")
    channel: str = Field(description="`form` (the declaration page) or `upload` (spreadsheet).")
    declared_by: str = Field(description="Who answered.")
    submitted_at: datetime = Field(description="When it came in (UTC).")
    status: DeclarationStatus = Field(description="proposed, accepting, accepted or rejected.")
    items: list[DeclaredTie] = Field(description="The ties as declared.")
    note: str = Field("", description="The declarer's note.")
    decided_by: str | None = Field(None, description="Curator who decided.")
    decided_at: datetime | None = Field(None, description="When it was decided (UTC).")
    reason: str | None = Field(None, description="The curator's reason.")
    decisions: list[ItemDecision] = Field(
        default_factory=list, description="Per item, once decided."
    )


def _now() -> datetime:
    return datetime.now(UTC)


def _row(row: sqlite3.Row) -> Declaration:
    body = json.loads(row["body"])
    return Declaration.model_validate(
        {
            **{k: v for k, v in dict(row).items() if k not in ("body", "decisions")},
            "items": body["items"],
            "note": body.get("note", ""),
            "decisions": json.loads(row["decisions"]) if row["decisions"] else [],
        }
    )


class DeclarationStore:
    """Declarations in the access file."""

    def __init__(self, access: AccessStore) -> None:
        self.access = access
        with access.connect() as conn:
            conn.executescript(_SCHEMA)

    def add(
        self,
        innovation_id: str,
        declaration: DeclarationIn,
        invitation_id: str | None,
        channel: str = "form",
    ) -> Declaration:
        """Store a proposed declaration; returns it with its id."""
        body = declaration.model_dump(mode="json", include={"items", "note"})
        with self.access.connect() as conn:
            cursor = conn.execute(
                "INSERT INTO declarations (invitation_id, innovation_id, declared_by, submitted_at,"
                " channel, status, body) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    invitation_id,
                    innovation_id,
                    declaration.declared_by,
                    _now().isoformat(timespec="milliseconds"),
                    channel,
                    DeclarationStatus.PROPOSED.value,
                    json.dumps(body),
                ),
            )
            new_id = cursor.lastrowid
        assert new_id is not None
        return self.get(new_id)

    def recent_count(self, invitation_id: str, hours: int = 24) -> int:
        """Declarations sent through an invitation in the last `hours`."""
        since = (_now() - timedelta(hours=hours)).isoformat(timespec="milliseconds")
        with self.access.connect() as conn:
            row = conn.execute(
                "SELECT count(*) FROM declarations WHERE invitation_id = ? AND submitted_at > ?",
                (invitation_id, since),
            ).fetchone()
        return int(row[0])

    def get(self, declaration_id: int) -> Declaration:
        """One declaration, or NotFound."""
        with self.access.connect() as conn:
            row = conn.execute(
                "SELECT * FROM declarations WHERE id = ?", (declaration_id,)
            ).fetchone()
        if row is None:
            raise NotFound(f"no declaration {declaration_id}")
        return _row(row)

    def find(
        self,
        status: DeclarationStatus | None,
        innovation_id: str | None,
        limit: int,
        offset: int,
    ) -> tuple[list[Declaration], int]:
        """A page of declarations, oldest first (a queue), and how many match."""
        clauses, params = [], []
        if status is not None:
            clauses.append("status = ?")
            params.append(status.value)
        if innovation_id is not None:
            clauses.append("innovation_id = ?")
            params.append(innovation_id)
        where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        with self.access.connect() as conn:
            total = conn.execute(f"SELECT count(*) FROM declarations{where}", params).fetchone()[0]
            rows = conn.execute(
                f"SELECT * FROM declarations{where} ORDER BY id LIMIT ? OFFSET ?",
                [*params, limit, offset],
            ).fetchall()
        return [_row(row) for row in rows], int(total)

    def claim(self, declaration_id: int) -> Declaration:
        """Move a proposed declaration to `accepting` (so two curators cannot both write it);
        Conflict if it is not proposed any more."""
        with self.access.connect() as conn:
            cursor = conn.execute(
                "UPDATE declarations SET status = ? WHERE id = ? AND status = ?",
                (
                    DeclarationStatus.ACCEPTING.value,
                    declaration_id,
                    DeclarationStatus.PROPOSED.value,
                ),
            )
        if cursor.rowcount == 0:
            current = self.get(declaration_id)
            raise Conflict(f"declaration {declaration_id} is {current.status}, not proposed")
        return self.get(declaration_id)

    def release(self, declaration_id: int) -> None:
        """Put a claimed declaration back to proposed (its write failed)."""
        with self.access.connect() as conn:
            conn.execute(
                "UPDATE declarations SET status = ? WHERE id = ? AND status = ?",
                (
                    DeclarationStatus.PROPOSED.value,
                    declaration_id,
                    DeclarationStatus.ACCEPTING.value,
                ),
            )

    def decide(
        self,
        declaration_id: int,
        status: DeclarationStatus,
        decided_by: str,
        reason: str | None,
        decisions: list[ItemDecision],
        expected: DeclarationStatus,
    ) -> Declaration:
        """Record the curator's decision; Conflict unless the declaration is `expected`."""
        with self.access.connect() as conn:
            cursor = conn.execute(
                "UPDATE declarations SET status = ?, decided_by = ?, decided_at = ?, reason = ?,"
                " decisions = ? WHERE id = ? AND status = ?",
                (
                    status.value,
                    decided_by,
                    _now().isoformat(timespec="milliseconds"),
                    reason,
                    json.dumps([d.model_dump(mode="json") for d in decisions]),
                    declaration_id,
                    expected.value,
                ),
            )
        if cursor.rowcount == 0:
            current = self.get(declaration_id)
            raise Conflict(f"declaration {declaration_id} is {current.status}, not {expected}")
        return self.get(declaration_id)
