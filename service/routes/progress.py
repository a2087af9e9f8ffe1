"""How far collecting the real network has come: per innovation and for the portfolio, ties
verified (declared by an owner and accepted), otherwise reported, still illustrative, and items
waiting in the queue; invitations open, answered, expired or revoked.

Each innovation's ties tallied from their sources (`Store.tie_sources`), least verified first,
are kept per graph version like the map (`KeptAnswers`): the whole country's take a second to
read, and after a write the last ones are answered, marked stale, while newer ones are read. The
queue and the invitations are read on each request (they change without the graph)."""

from __future__ import annotations

from collections import Counter
from typing import Annotated, NamedTuple

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field
from starlette.responses import Response

from graph.provenance import tie_provenance
from graph.store import SourcedInnovation
from graph.vocab import Provenance
from service.declarations import DeclarationStatus
from service.deps import DayDep, DeclarationsDep, InvitationsDep, KeptDep, StoreDep
from service.invitations import InvitationStatus
from service.routes.analytics import ANALYTICS_RESPONSES
from service.shared import with_freshness

router = APIRouter(tags=["declarations"])
DECLARED = "declared by "
"""How the source of a tie written by an accepted declaration begins (service.curation)."""


class Tally(NamedTuple):
    """An innovation's active ties by where they come from (kept: a row of `KeptTally`)."""

    id: str
    name: str
    ties: int
    verified: int
    reported: int
    illustrative: int


class KeptTally(BaseModel):
    """A scope's innovations with their ties tallied, least verified first (kept per graph
    version: the sort does not depend on the queue or the invitations)."""

    innovations: list[Tally]


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


def _tally(innovation: SourcedInnovation) -> Tally:
    """The innovation's ties by where they come from, from their sources."""
    kinds: Counter[str] = Counter()
    for source, ties in innovation.sources:
        if source.startswith(DECLARED):
            kinds["verified"] += ties
        elif tie_provenance(source) is Provenance.ILLUSTRATIVE:
            kinds["illustrative"] += ties
        else:
            kinds["reported"] += ties
    return Tally(
        innovation.id,
        innovation.name,
        kinds.total(),
        kinds["verified"],
        kinds["reported"],
        kinds["illustrative"],
    )


def _least_verified_first(innovations: list[SourcedInnovation]) -> KeptTally:
    """Tallies, the largest share of illustrative ties first, then by id."""
    rows = [_tally(i) for i in innovations]
    rows.sort(key=lambda r: (-(r.illustrative / r.ties if r.ties else 0.0), r.id))
    return KeptTally(innovations=rows)


@router.get(
    "/declarations/progress",
    summary="Progress of collecting the real network",
    response_model=Progress,
    responses=ANALYTICS_RESPONSES,
)
def progress(
    store: StoreDep,
    kept: KeptDep,
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
) -> Response:
    """Per innovation and for the portfolio: ties active on `at` that are verified (declared
    and accepted), otherwise reported, or still illustrative; declaration items waiting; and the
    invitations open, answered, expired or revoked. The ties are kept per graph version like
    the map (stale for a moment after a write on a large graph)."""
    version = store.version()
    tallied, freshness = kept.get(
        "tie-tally",
        f"{region or ''}|{at.isoformat()}",
        version,
        KeptTally,
        lambda: _least_verified_first(store.tie_sources(region, at)),
    )
    rows = tallied.innovations
    ids = {row.id for row in rows}
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
    answer = Progress(
        portfolio=TieCounts(
            ties=sum(r.ties for r in rows),
            verified=sum(r.verified for r in rows),
            reported=sum(r.reported for r in rows),
            illustrative=sum(r.illustrative for r in rows),
            proposed_items=sum(waiting.values()),
        ),
        invitations=InvitationCounts(**{s.value: statuses[s] for s in InvitationStatus}),
        innovation_count=len(rows),
        innovations=[
            InnovationProgress(
                innovation_id=row.id,
                name=row.name,
                invitation=newest.get(row.id),
                ties=row.ties,
                verified=row.verified,
                reported=row.reported,
                illustrative=row.illustrative,
                proposed_items=waiting[row.id],
            )
            for row in rows[:limit]
        ],
    )
    return with_freshness(answer, freshness)
