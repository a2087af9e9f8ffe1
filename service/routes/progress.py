"""How far collecting the real network has come: per innovation and for the portfolio, ties
verified (declared by an owner and accepted), otherwise reported, still illustrative, and items
waiting in the queue; invitations open, answered, expired or revoked."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from graph.provenance import tie_provenance
from graph.store import SourcedInnovation
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
    innovation_count: int = Field(
        description="Innovations of the scope, all of them whatever `limit`.", examples=[54]
    )
    innovations: list[InnovationProgress] = Field(
        description="Per innovation, the largest share of illustrative ties first, then by id "
        "(the first `limit` of them)."
    )


def _counts(sources: Iterable[tuple[str, int]], proposed: int) -> dict[str, int]:
    """Ties by where they come from, from their sources and how many ties cite each."""
    kinds: Counter[str] = Counter()
    for source, ties in sources:
        if source.startswith(DECLARED):
            kinds["verified"] += ties
        elif tie_provenance(source) is Provenance.ILLUSTRATIVE:
            kinds["illustrative"] += ties
        else:
            kinds["reported"] += ties
    return {
        "ties": kinds.total(),
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
    limit: Annotated[
        int | None,
        Query(ge=1, description="Most innovations listed, least verified first; default: all."),
    ] = None,
) -> Progress:
    """Per innovation and for the portfolio: ties active on `at` that are verified (declared
    and accepted), otherwise reported, or still illustrative; declaration items waiting; and the
    invitations open, answered, expired or revoked."""
    innovations = store.tie_sources(region, at)
    ids = {i.id for i in innovations}
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
    counts = {i.id: _counts(i.sources, waiting[i.id]) for i in innovations}

    def least_verified(i: SourcedInnovation) -> tuple[float, str]:
        tally = counts[i.id]
        return (-(tally["illustrative"] / tally["ties"] if tally["ties"] else 0.0), i.id)

    listed = sorted(innovations, key=least_verified)[:limit]
    rows = [
        InnovationProgress(
            innovation_id=i.id, name=i.name, invitation=newest.get(i.id), **counts[i.id]
        )
        for i in listed
    ]
    return Progress(
        portfolio=TieCounts(
            **_counts(
                (counted for i in innovations for counted in i.sources), sum(waiting.values())
            )
        ),
        invitations=InvitationCounts(**{s.value: statuses[s] for s in InvitationStatus}),
        innovation_count=len(innovations),
        innovations=rows,
    )
