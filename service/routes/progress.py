"""How far collecting the real network has come: per innovation and for the portfolio, ties
verified (declared by an owner and accepted), otherwise reported, still illustrative, and items
waiting in the queue; invitations open, answered, expired or revoked.

The ties' sources per innovation (`Store.tie_sources`) are kept per graph version like the map
(`KeptAnswers`): the whole country's take a second to read, and after a write the last ones
are answered, marked stale, while newer ones are read. The queue and the invitations are read
on each request (they change without the graph)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field
from starlette.responses import Response

from graph.provenance import tie_provenance
from graph.vocab import Provenance
from service.declarations import DeclarationStatus
from service.deps import DayDep, DeclarationsDep, InvitationsDep, KeptDep, StoreDep
from service.invitations import InvitationStatus
from service.routes.analytics import ANALYTICS_RESPONSES
from service.shared import with_freshness

router = APIRouter(tags=["declarations"])
DECLARED = "declared by "
"""How the source of a tie written by an accepted declaration begins (service.curation)."""


class TieSources(BaseModel):
    """`Store.tie_sources` of a scope and day, as kept: (id, name, [(source, ties), ...])."""

    innovations: list[tuple[str, str, list[tuple[str, int]]]]


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
    sources, freshness = kept.get(
        "tie-sources",
        f"{region or ''}|{at.isoformat()}",
        version,
        TieSources,
        lambda: TieSources(
            innovations=[(i.id, i.name, list(i.sources)) for i in store.tie_sources(region, at)]
        ),
    )
    innovations = sources.innovations
    ids = {id for id, _, _ in innovations}
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
    counts = {id: _counts(counted, waiting[id]) for id, _, counted in innovations}

    def least_verified(row: tuple[str, str, list[tuple[str, int]]]) -> tuple[float, str]:
        tally = counts[row[0]]
        return (-(tally["illustrative"] / tally["ties"] if tally["ties"] else 0.0), row[0])

    rows = [
        InnovationProgress(innovation_id=id, name=name, invitation=newest.get(id), **counts[id])
        for id, name, _ in sorted(innovations, key=least_verified)[:limit]
    ]
    every_tie = (pair for _, _, counted in innovations for pair in counted)
    answer = Progress(
        portfolio=TieCounts(**_counts(every_tie, sum(waiting.values()))),
        invitations=InvitationCounts(**{s.value: statuses[s] for s in InvitationStatus}),
        innovation_count=len(innovations),
        innovations=rows,
    )
    return with_freshness(answer, freshness)
