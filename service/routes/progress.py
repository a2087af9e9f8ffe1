"""How far collecting the real network has come: per innovation and for the portfolio, ties
verified (declared by an owner and accepted), otherwise reported, still illustrative, and items
waiting in the queue; invitations open, answered, expired or revoked."""

from __future__ import annotations

from collections import Counter
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from graph.models import Collaboration
from graph.provenance import tie_provenance
from graph.vocab import Provenance
from service.declarations import DeclarationStatus
from service.deps import DayDep, DeclarationsDep, InvitationsDep, StoreDep
from service.errors import ERRORS
from service.invitations import InvitationStatus

router = APIRouter(tags=["declarations"])
DECLARED = "declared by "
"""How the source of a tie written by an accepted declaration begins (service.curation)."""


class TieCounts(BaseModel):
    """Ties active on the day, by where they come from."""

    ties: int = Field(description="Active ties.", examples=[12])
    verified: int = Field(description="Declared by the owner and accepted by a curator.")
    reported: int = Field(description="Reported from another source (a public page, a report).")
    illustrative: int = Field(description="Still illustrative (invented examples).")
    proposed_items: int = Field(description="Items of proposed declarations waiting for a curator.")


class InvitationCounts(BaseModel):
    """Invitations by status."""

    open: int = Field(description="Usable, nothing sent yet.", examples=[3])
    answered: int = Field(description="A declaration came in.")
    expired: int = Field(description="Expired without being revoked.")
    revoked: int = Field(description="Revoked.")


class InnovationProgress(TieCounts):
    """One innovation's progress."""

    innovation_id: str = Field(description="Innovation id.", examples=["geolasting"])
    name: str = Field(description="Innovation name.")
    invitation: InvitationStatus | None = Field(
        description="Status of its newest invitation; null: never invited."
    )


class Progress(BaseModel):
    """The portfolio's progress and each innovation's, least verified first."""

    portfolio: TieCounts = Field(
        description="All innovations of the scope together.",
        examples=[
            {"ties": 280, "verified": 12, "reported": 24, "illustrative": 244, "proposed_items": 9}
        ],
    )
    invitations: InvitationCounts = Field(description="Invitations of the scope's innovations.")
    innovations: list[InnovationProgress] = Field(
        description="Per innovation, the largest share of illustrative ties first, then by id."
    )


def _counts(ties: list[Collaboration], proposed: int) -> dict[str, int]:
    kinds = Counter(
        "verified"
        if t.source.startswith(DECLARED)
        else "illustrative"
        if tie_provenance(t.source) is Provenance.ILLUSTRATIVE
        else "reported"
        for t in ties
    )
    return {
        "ties": len(ties),
        "verified": kinds["verified"],
        "reported": kinds["reported"],
        "illustrative": kinds["illustrative"],
        "proposed_items": proposed,
    }


@router.get(
    "/declarations/progress",
    summary="Progress of collecting the real network",
    responses=ERRORS,
)
def progress(
    store: StoreDep,
    at: DayDep,
    invitations: InvitationsDep,
    declarations: DeclarationsDep,
    region: Annotated[
        str | None, Query(description="Region code (with the regions inside); default: all.")
    ] = None,
) -> Progress:
    """Per innovation and for the portfolio: ties active on `at` that are verified (declared
    and accepted), otherwise reported, or still illustrative; declaration items waiting; and the
    invitations open, answered, expired or revoked."""
    data = store.snapshot(region)
    ids = {i.id for i in data.innovations}
    ties: dict[str, list[Collaboration]] = {i: [] for i in ids}
    for tie in data.collaborations:
        if tie.innovation_id in ids and tie.active_on(at):
            ties[tie.innovation_id].append(tie)
    waiting: Counter[str] = Counter()
    queue, _ = declarations.find(DeclarationStatus.PROPOSED, None, 2**31, 0)
    for declaration in queue:
        if declaration.innovation_id in ids:
            waiting[declaration.innovation_id] += len(declaration.items)
    newest: dict[str, InvitationStatus] = {}
    statuses: Counter[InvitationStatus] = Counter()
    for invitation in invitations.find(None, None, 2**31, 0).items:  # newest first
        if invitation.innovation_id in ids:
            newest.setdefault(invitation.innovation_id, invitation.status)
            statuses[invitation.status] += 1
    rows = [
        InnovationProgress(
            innovation_id=i.id,
            name=i.name,
            invitation=newest.get(i.id),
            **_counts(ties[i.id], waiting[i.id]),
        )
        for i in data.innovations
    ]
    rows.sort(key=lambda r: (-(r.illustrative / r.ties if r.ties else 0.0), r.innovation_id))
    everything = [t for i in ids for t in ties[i]]
    return Progress(
        portfolio=TieCounts(**_counts(everything, sum(waiting.values()))),
        invitations=InvitationCounts(**{s.value: statuses[s] for s in InvitationStatus}),
        innovations=rows,
    )
