"""Curation: compare a declaration with the graph, and write what a curator accepts.

The comparison says, item by item, what accepting would do to the innovation's ties: add one,
change one, confirm one as it is, or end one. Accepting writes the accepted items in one store
transaction (`Store.load`, the store's atomic upsert): each tie gets the source
"declared by <declarer> on <day>; verified by <curator> on <day>", so it is `reported`, and it
replaces the (often illustrative) tie of the same actor and innovation.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import BaseModel, Field

from graph.errors import Invalid, NotFound
from graph.models import Actor, Collaboration, GraphData, slugify
from graph.names import likely_duplicates
from graph.provenance import tie_provenance
from graph.store import ActorFilter, CollaborationFilter, PageRequest, Store
from graph.vocab import Helix, Provenance, Role
from service.declarations import (
    Declaration,
    DeclarationIn,
    DeclarationStatus,
    DeclarationStore,
    DeclaredTie,
    ItemDecision,
)

MAX_SOURCE = 500
DUPLICATE_SCAN = 5000
"""At most this many actors of the new actor's province are compared for duplicates."""


class Change(StrEnum):
    """What accepting an item would do to the graph."""

    ADDED = "added"
    CHANGED = "changed"
    CONFIRMED = "confirmed"
    ENDED = "ended"


class TieValues(BaseModel):
    """A tie's values, before or after a change."""

    role: Role = Field(description="What the actor does on the innovation.")
    strength: int = Field(description="1 occasional, 2 regular, 3 core.")
    since: date = Field(description="First day of the tie.")
    until: date | None = Field(None, description="First day no longer active; null: open.")
    provenance: Provenance = Field(description="reported or illustrative.")
    source: str = Field(description="The tie's source.")


class ActorRef(BaseModel):
    """An actor named in a review."""

    id: str = Field(description="Actor id.")
    name: str = Field(description="Actor name.")


class DiffItem(BaseModel):
    """One declared item against the graph."""

    index: int = Field(description="Position of the item in the declaration.")
    change: Change = Field(description="added, changed, confirmed or ended.")
    actor_id: str | None = Field(description="Existing actor; null for a new one.")
    actor_name: str = Field(description="The actor's name (as declared, for a new one).")
    helix: Helix | None = Field(description="The actor's helix kind.")
    new_actor: bool = Field(description="Whether accepting creates the actor.")
    before: TieValues | None = Field(description="The tie today; null when there is none.")
    after: TieValues = Field(description="The tie once accepted (source as it will be written).")
    changed_fields: list[str] = Field(description="Fields that differ from today's tie.")
    evidence: str | None = Field(None, description="The declarer's evidence.")
    likely_duplicates: list[ActorRef] = Field(
        default_factory=list,
        description="Existing actors probably the same as a new one (spelling-tolerant match).",
    )


class Review(BaseModel):
    """A declaration with what accepting it would change."""

    declaration: Declaration = Field(description="The declaration as stored.")
    innovation_name: str | None = Field(
        description="Name of the innovation (null if deleted).", examples=["GEOLASTING"]
    )
    diff: list[DiffItem] = Field(description="Each item against today's ties.")
    untouched: list[str] = Field(
        description="Actors tied to the innovation today that the declaration does not mention."
    )


def current_ties(store: Store, innovation_id: str) -> dict[str, Collaboration]:
    """Every tie of an innovation (active or ended), by actor id."""
    ties: dict[str, Collaboration] = {}
    offset = 0
    while True:
        page = store.list_collaborations(
            CollaborationFilter(innovation_id=innovation_id), PageRequest(limit=500, offset=offset)
        )
        ties.update((tie.actor_id, tie) for tie in page.items)
        offset += len(page.items)
        if not page.items or offset >= page.total:
            return ties


def check_actors(store: Store, declaration: DeclarationIn) -> None:
    """Invalid naming each item whose existing actor is unknown."""
    problems = []
    for index, item in enumerate(declaration.items):
        if item.actor_id is None:
            continue
        try:
            store.get_actor(item.actor_id)
        except NotFound:
            problems.append(f"items.{index}.actor_id: no actor {item.actor_id!r}")
    if problems:
        raise Invalid("; ".join(problems), problems)


def source_text(
    declared_by: str, declared_on: date, curator: str, verified_on: date, evidence: str | None
) -> str:
    """The source written on an accepted tie or actor.

    >>> source_text("Rina, Kasi", date(2026, 1, 5), "bappedalitbang", date(2026, 1, 9), None)
    'declared by Rina, Kasi on 2026-01-05; verified by bappedalitbang on 2026-01-09'
    """
    text = f"declared by {declared_by} on {declared_on}; verified by {curator} on {verified_on}"
    if evidence:
        text += f"; evidence: {evidence}"
    return text[:MAX_SOURCE]


def _after(item: DeclaredTie, source: str) -> TieValues:
    return TieValues(
        role=item.role,
        strength=item.strength,
        since=item.since,
        until=item.ended_on,
        provenance=tie_provenance(source),
        source=source,
    )


def _before(tie: Collaboration) -> TieValues:
    return TieValues(
        role=tie.role,
        strength=tie.strength,
        since=tie.since,
        until=tie.until,
        provenance=tie_provenance(tie.source),
        source=tie.source,
    )


def _neighbours(store: Store, region: str) -> list[tuple[str, str]]:
    """(id, name) of actors in the region's province, to look for duplicates among."""
    found: list[tuple[str, str]] = []
    scope = region[:2]  # a province code, or `id` (the whole country)
    while len(found) < DUPLICATE_SCAN:
        page = store.list_actors(
            ActorFilter(region=scope), PageRequest(limit=500, offset=len(found))
        )
        found.extend((a.id, a.name) for a in page.items)
        if not page.items or len(found) >= page.total:
            break
    return found


def review(
    store: Store,
    declaration: Declaration,
    curator: str = "<curator>",
    today: date | None = None,
    neighbours: dict[str, list[tuple[str, str]]] | None = None,
) -> Review:
    """The declaration against the innovation's ties today. `neighbours` (actors by province,
    filled as needed) can be shared by the reviews of one queue page, to read each province once."""
    today = today or date.today()
    ties = current_ties(store, declaration.innovation_id)
    try:
        innovation_name: str | None = store.get_innovation(declaration.innovation_id).name
    except NotFound:
        innovation_name = None
    names = neighbours if neighbours is not None else {}
    diff: list[DiffItem] = []
    mentioned: set[str] = set()
    for index, item in enumerate(declaration.items):
        source = source_text(
            declaration.declared_by, declaration.submitted_at.date(), curator, today, item.evidence
        )
        after = _after(item, source)
        duplicates: list[ActorRef] = []
        if item.new_actor is not None:
            province = item.new_actor.region[:2]
            if province not in names:
                names[province] = _neighbours(store, province)
            lookup = dict(names[province])
            duplicates = [
                ActorRef(id=i, name=lookup[i])
                for i in likely_duplicates(item.new_actor.name, names[province])
            ]
            actor_name, helix, before = item.new_actor.name, item.new_actor.helix, None
        else:
            assert item.actor_id is not None
            mentioned.add(item.actor_id)
            try:
                actor = store.get_actor(item.actor_id)
                actor_name, helix = actor.name, actor.helix
            except NotFound:
                actor_name, helix = item.actor_id, None
            tie = ties.get(item.actor_id)
            before = _before(tie) if tie is not None else None
        changed = _changed_fields(before, after)
        diff.append(
            DiffItem(
                index=index,
                change=_change(before, after, changed),
                actor_id=item.actor_id,
                actor_name=actor_name,
                helix=helix,
                new_actor=item.new_actor is not None,
                before=before,
                after=after,
                changed_fields=changed,
                evidence=item.evidence,
                likely_duplicates=duplicates,
            )
        )
    return Review(
        declaration=declaration,
        innovation_name=innovation_name,
        diff=diff,
        untouched=sorted(set(ties) - mentioned),
    )


def _changed_fields(before: TieValues | None, after: TieValues) -> list[str]:
    if before is None:
        return []
    return [
        f for f in ("role", "strength", "since", "until") if getattr(before, f) != getattr(after, f)
    ]


def _change(before: TieValues | None, after: TieValues, changed: list[str]) -> Change:
    if before is None:
        return Change.ADDED
    if after.until is not None and before.until != after.until:
        return Change.ENDED
    return Change.CHANGED if changed else Change.CONFIRMED


def _free_id(store: Store, name: str, taken: set[str]) -> str:
    """A new actor id from its name, not used by the store or earlier in the same write."""
    base = slugify(name) or "actor"
    candidate, number = base, 1
    while True:
        if candidate not in taken:
            try:
                store.get_actor(candidate)
            except NotFound:
                return candidate
        number += 1
        suffix = f"-{number}"
        candidate = base[: 64 - len(suffix)].rstrip("-") + suffix


def writes(
    store: Store, declaration: Declaration, accepted: list[int], curator: str, today: date
) -> tuple[GraphData, list[ItemDecision]]:
    """The bundle accepting these items writes, and the decision on every item."""
    actors: list[Actor] = []
    ties: list[Collaboration] = []
    decisions: list[ItemDecision] = []
    taken: set[str] = set()
    for index, item in enumerate(declaration.items):
        if index not in accepted:
            decisions.append(ItemDecision(index=index, accepted=False, actor_id=item.actor_id))
            continue
        source = source_text(
            declaration.declared_by, declaration.submitted_at.date(), curator, today, item.evidence
        )
        actor_id = item.actor_id
        if item.new_actor is not None:
            actor_id = _free_id(store, item.new_actor.name, taken)
            taken.add(actor_id)
            actors.append(
                Actor(
                    id=actor_id,
                    name=item.new_actor.name,
                    helix=item.new_actor.helix,
                    kind=item.new_actor.kind,
                    region=item.new_actor.region,
                    provenance=Provenance.REPORTED,
                    source=source,
                )
            )
        assert actor_id is not None
        ties.append(
            Collaboration(
                actor_id=actor_id,
                innovation_id=declaration.innovation_id,
                role=item.role,
                strength=item.strength,
                since=item.since,
                until=item.ended_on,
                source=source,
            )
        )
        decisions.append(ItemDecision(index=index, accepted=True, actor_id=actor_id))
    return GraphData(actors=actors, collaborations=ties), decisions


def accept(
    store: Store,
    declarations: DeclarationStore,
    declaration_id: int,
    curator: str,
    reason: str | None,
    items: list[int] | None,
    today: date | None = None,
) -> Declaration:
    """Write the accepted items (all by default) in one transaction and record the decision;
    the other items are recorded as rejected with the same reason. Conflict unless proposed;
    Invalid (and nothing written, the declaration still proposed) if the graph refuses it."""
    today = today or date.today()
    declaration = declarations.claim(declaration_id)
    try:
        chosen = list(range(len(declaration.items))) if items is None else sorted(set(items))
        wrong = [i for i in chosen if not 0 <= i < len(declaration.items)]
        if wrong:
            raise Invalid(
                f"items: no item {wrong[0]} (the declaration has {len(declaration.items)})"
            )
        data, decisions = writes(store, declaration, chosen, curator, today)
        store.load(data)
    except BaseException:
        declarations.release(declaration_id)
        raise
    return declarations.decide(
        declaration_id,
        DeclarationStatus.ACCEPTED,
        curator,
        reason,
        decisions,
        expected=DeclarationStatus.ACCEPTING,
    )


def reject(
    declarations: DeclarationStore, declaration_id: int, curator: str, reason: str
) -> Declaration:
    """Record a rejection; the graph is not touched."""
    declaration = declarations.get(declaration_id)
    decisions = [
        ItemDecision(index=i, accepted=False, actor_id=item.actor_id)
        for i, item in enumerate(declaration.items)
    ]
    return declarations.decide(
        declaration_id,
        DeclarationStatus.REJECTED,
        curator,
        reason,
        decisions,
        expected=DeclarationStatus.PROPOSED,
    )
