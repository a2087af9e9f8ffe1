"""Collaboration queries answered by the store (Cypher on Neo4j, SQL on the embedded store)."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from graph.models import Page
from graph.store import (
    ActorInnovation,
    CollaboratorTie,
    CommonGround,
    CoverageGap,
    Partner,
)
from graph.vocab import Helix
from service.deps import (
    DayDep,
    PageDep,
    PortfolioScope,
    QueryStoreDep,
    SettingsDep,
    ThresholdQuery,
)
from service.errors import ERRORS
from service.routes.listing import SortQuery, page_of

router = APIRouter(tags=["collaboration queries"])


class Collaborators(BaseModel):
    """The actors on an innovation, grouped by helix kind."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "innovation_id": "geolasting",
                    "at": "2025-06-01",
                    "coverage": 2,
                    "missing": ["private", "community", "ngo", "media"],
                    "by_helix": {
                        "government": [
                            {
                                "actor_id": "dinkes-banjar",
                                "name": "Dinas Kesehatan Kabupaten Banjar",
                                "helix": "government",
                                "role": "implementer",
                                "strength": 3,
                                "since": "2025-10-07",
                                "until": "2026-12-31",
                                "source": "illustrative",
                                "provenance": "illustrative",
                            }
                        ],
                        "academia": [
                            {
                                "actor_id": "poltekkes-banjarmasin",
                                "name": "Poltekkes Kemenkes Banjarmasin",
                                "helix": "academia",
                                "role": "implementer",
                                "strength": 2,
                                "since": "2025-10-07",
                                "until": "2026-12-31",
                                "source": "bappedalitbang.banjarkab.go.id/?p=17229",
                                "provenance": "reported",
                            }
                        ],
                    },
                }
            ]
        }
    )

    innovation_id: str = Field(description="Innovation id.")
    at: date = Field(description="Day whose active ties are listed.")
    coverage: int = Field(description="Distinct helix kinds among the active collaborators.")
    missing: list[Helix] = Field(description="Helix kinds with no active collaborator.")
    by_helix: dict[Helix, list[CollaboratorTie]] = Field(
        description="Active collaborators per helix kind; kinds without any are left out."
    )


@router.get(
    "/innovations/coverage-gaps",
    summary="Innovations below a helix-coverage threshold",
    responses=ERRORS,
)
def coverage_gaps(
    store: QueryStoreDep,
    at: DayDep,
    page: PageDep,
    settings: SettingsDep,
    threshold: ThresholdQuery = None,
    region: PortfolioScope = None,
    sort: SortQuery = None,
) -> Page[CoverageGap]:
    """Innovations whose active ties cover fewer than `threshold` helix kinds, with
    the kinds they miss; fewest kinds first (or by `sort`)."""
    chosen = settings.under_connected_threshold if threshold is None else threshold
    return page_of(CoverageGap, store.coverage_gaps(chosen, at, region), page, sort)


@router.get(
    "/innovations/{innovation_id}/collaborators",
    summary="Who works on an innovation",
    responses=ERRORS,
)
def collaborators(store: QueryStoreDep, innovation_id: str, at: DayDep) -> Collaborators:
    """Actors with a tie to the innovation active on `at`, grouped by helix kind."""
    ties = store.collaborators(innovation_id, at)
    by_helix: dict[Helix, list[CollaboratorTie]] = {}
    for tie in ties:
        by_helix.setdefault(tie.helix, []).append(tie)
    return Collaborators(
        innovation_id=innovation_id,
        at=at,
        coverage=len(by_helix),
        missing=[helix for helix in Helix if helix not in by_helix],
        by_helix=by_helix,
    )


@router.get("/actors/{actor_id}/innovations", summary="What an actor works on", responses=ERRORS)
def actor_innovations(
    store: QueryStoreDep, actor_id: str, at: DayDep, page: PageDep, sort: SortQuery = None
) -> Page[ActorInnovation]:
    """Innovations the actor has an active tie to on `at`, with its role and strength."""
    return page_of(ActorInnovation, store.actor_innovations(actor_id, at), page, sort)


@router.get("/actors/{actor_id}/partners", summary="Who an actor works with", responses=ERRORS)
def partners(
    store: QueryStoreDep, actor_id: str, at: DayDep, page: PageDep, sort: SortQuery = None
) -> Page[Partner]:
    """Co-collaborators (with the innovations they share) and formal partners of an actor,
    most shared innovations first (or by `sort`)."""
    return page_of(Partner, store.partners(actor_id, at), page, sort)


@router.get(
    "/actors/{actor_id}/common/{other_id}",
    summary="What two actors have in common",
    responses=ERRORS,
)
def common(store: QueryStoreDep, actor_id: str, other_id: str, at: DayDep) -> CommonGround:
    """Innovations both work on, partners both have, and their direct partnership."""
    return store.common(actor_id, other_id, at)
