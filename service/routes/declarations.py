"""Collecting the real network: invitations (curator), declarations (owner, with an invitation
token) and their curation (curator). See `service.invitations`, `service.declarations` and
`service.curation`; the access guard lets an invitation token reach only the three owner routes."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query, Request, Response, status
from pydantic import BaseModel, Field, StringConstraints

from graph.errors import NotFound
from graph.models import Page
from graph.provenance import tie_provenance
from graph.store import ActorFilter, PageRequest
from graph.vocab import Helix, Provenance, Role
from service.curation import (
    Review,
    accept,
    check_actors,
    current_ties,
    reject,
    review,
)
from service.declarations import (
    MAX_PER_DAY,
    Declaration,
    DeclarationIn,
    DeclarationStatus,
)
from service.deps import (
    CURATOR_READ,
    CURATOR_WRITE,
    DeclarationsDep,
    InvitationsDep,
    PageDep,
    StoreDep,
    TokenDep,
    principal_of,
)
from service.errors import ERRORS
from service.invitations import (
    DEFAULT_DAYS,
    MAX_DAYS,
    CreatedInvitation,
    Invitation,
    InvitationStatus,
)
from service.security import audit_ids

router = APIRouter(tags=["declarations"])
ACTOR_SEARCH_LIMIT = 20


def curator_name(request: Request) -> str:
    """How the source of an accepted tie names the curator: the key's name."""
    return principal_of(request).name or "local administrator (auth off)"


DeclarationId = Annotated[
    int, Path(ge=1, le=2**63 - 1, description="Declaration id (SQLite's integer range).")
]


# -- invitations (curator) -------------------------------------------------------------------
class InvitationRequest(BaseModel):
    """How long the link works."""

    days: int = Field(
        DEFAULT_DAYS, ge=1, le=MAX_DAYS, description="Days until it expires.", examples=[30]
    )


@router.post(
    "/innovations/{innovation_id}/invitations",
    status_code=status.HTTP_201_CREATED,
    summary="Invite an innovation's owner to declare its partners",
    responses=ERRORS,
    dependencies=[CURATOR_WRITE],
)
def create_invitation(
    request: Request,
    response: Response,
    store: StoreDep,
    invitations: InvitationsDep,
    innovation_id: str,
    body: InvitationRequest | None = None,
) -> CreatedInvitation:
    """A link for the owner of one innovation: `{token, url, expires_at}`. The token is shown
    only in this answer (only its hash is kept); it opens that innovation's declaration form and
    nothing else, until it expires (default 30 days) or is revoked."""
    store.get_innovation(innovation_id)
    created = invitations.create(
        innovation_id,
        principal_of(request).name,
        str(request.base_url),
        (body or InvitationRequest()).days,
    )
    audit_ids(request, f"invitation={created.id}")
    response.headers["Location"] = f"/api/v1/invitations/{created.id}"
    return created


@router.get(
    "/invitations",
    summary="List invitations",
    responses=ERRORS,
    dependencies=[CURATOR_READ],
)
def list_invitations(
    invitations: InvitationsDep,
    page: PageDep,
    innovation_id: Annotated[str | None, Query(description="Of this innovation.")] = None,
    state: Annotated[
        InvitationStatus | None,
        Query(alias="status", description="open, answered, expired or revoked."),
    ] = None,
) -> Page[Invitation]:
    """Invitations, newest first (never their tokens)."""
    return invitations.find(innovation_id, state, page.limit, page.offset)


@router.delete(
    "/invitations/{invitation_id}",
    summary="Revoke an invitation",
    responses=ERRORS,
    dependencies=[CURATOR_WRITE],
)
def revoke_invitation(invitations: InvitationsDep, invitation_id: str) -> Invitation:
    """The link stops working at once; its declarations stay in the queue."""
    return invitations.revoke(invitation_id)


# -- the owner's form (invitation token) ------------------------------------------------------
class FormInnovation(BaseModel):
    """The innovation the token is for."""

    id: str = Field(description="Innovation id.")
    name: str = Field(description="Innovation name.")
    description: str = Field(description="What it does.")
    owner_id: str | None = Field(description="Owning actor id.")
    owner_name: str | None = Field(description="Owning actor name.")
    region: str = Field(description="BPS region code.")


class FormTie(BaseModel):
    """A tie of the innovation today, as the form shows it."""

    actor_id: str = Field(description="Actor id.")
    name: str = Field(description="Actor name.")
    helix: Helix = Field(description="Actor's helix kind.")
    kind: str = Field(description="Actor's sub-type.")
    role: Role = Field(description="Role on the innovation.")
    strength: int = Field(description="1 occasional, 2 regular, 3 core.")
    since: date = Field(description="First day of the tie.")
    until: date | None = Field(description="First day no longer active; null: open.")
    provenance: Provenance = Field(description="reported or illustrative (an invented example).")
    source: str = Field(description="The tie's source: a citation, or `illustrative`.")


class DeclarationForm(BaseModel):
    """What the declaration page needs: the innovation, its ties, the invitation's state."""

    innovation: FormInnovation = Field(description="The innovation.")
    ties: list[FormTie] = Field(description="Its ties today (active and ended), by helix, name.")
    expires_at: datetime = Field(description="When the link stops working.")
    sent: int = Field(description="Declarations already sent through this link.", examples=[0])


@router.get(
    "/declarations/current",
    summary="The declaration form of the token's innovation",
    responses=ERRORS,
)
def declaration_form(
    store: StoreDep, declarations: DeclarationsDep, invitation: TokenDep
) -> DeclarationForm:
    """The innovation of the invitation token and its current ties. Needs an invitation token."""
    innovation = store.get_innovation(invitation.innovation_id)
    owner_name = None
    if innovation.owner_id:
        try:
            owner_name = store.get_actor(innovation.owner_id).name
        except NotFound:
            owner_name = None
    ties = []
    order = list(Helix)
    for tie in current_ties(store, innovation.id).values():
        actor = store.get_actor(tie.actor_id)
        ties.append(
            FormTie(
                actor_id=actor.id,
                name=actor.name,
                helix=actor.helix,
                kind=actor.kind,
                role=tie.role,
                strength=tie.strength,
                since=tie.since,
                until=tie.until,
                provenance=tie_provenance(tie.source),
                source=tie.source,
            )
        )
    ties.sort(key=lambda t: (order.index(t.helix), t.name.lower()))
    _, sent = declarations.find(None, innovation.id, 1, 0)
    return DeclarationForm(
        innovation=FormInnovation(
            id=innovation.id,
            name=innovation.name,
            description=innovation.description,
            owner_id=innovation.owner_id,
            owner_name=owner_name,
            region=innovation.region,
        ),
        ties=ties,
        expires_at=invitation.expires_at,
        sent=sent,
    )


class ActorChoice(BaseModel):
    """An existing actor the owner can pick as a partner."""

    id: str = Field(description="Actor id.", examples=["universitas-a"])
    name: str = Field(description="Actor name.")
    helix: Helix = Field(description="Helix kind.")
    kind: str = Field(description="Sub-type.")
    region: str = Field(description="BPS region code.")


@router.get(
    "/declarations/actors",
    summary="Search existing actors to declare as partners",
    responses=ERRORS,
)
def search_actors(
    store: StoreDep,
    _: TokenDep,
    q: Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=2, max_length=100),
        Query(description="Part of the name (at least 2 characters)."),
    ],
) -> list[ActorChoice]:
    """At most 20 actors whose name contains `q`: what the form's search needs, no more.
    Needs an invitation token."""
    page = store.list_actors(ActorFilter(q=q), PageRequest(limit=ACTOR_SEARCH_LIMIT))
    return [
        ActorChoice(id=a.id, name=a.name, helix=a.helix, kind=a.kind, region=a.region)
        for a in page.items
    ]


@router.post(
    "/declarations",
    status_code=status.HTTP_201_CREATED,
    summary="Declare the innovation's partners",
    responses=ERRORS,
)
def declare(
    request: Request,
    response: Response,
    store: StoreDep,
    declarations: DeclarationsDep,
    invitations: InvitationsDep,
    invitation: TokenDep,
    body: DeclarationIn,
) -> Declaration:
    """Send the innovation's partners as they really are. The declaration waits as `proposed`
    for a curator and changes nothing until accepted. Needs an invitation token; at most
    10 declarations a day per link (429)."""
    request.state.audit = True
    if declarations.recent_count(invitation.id) >= MAX_PER_DAY:
        raise HTTPException(
            429,
            f"this link already sent {MAX_PER_DAY} declarations in 24 hours; "
            "wait for the curator, or ask Bappedalitbang",
            {"Retry-After": "3600"},
        )
    check_actors(store, body)
    created = declarations.add(invitation.innovation_id, body, invitation.id)
    invitations.mark_answered(invitation.id)
    audit_ids(request, invitation.innovation_id, f"declaration={created.id}")
    response.headers["Location"] = f"/api/v1/declarations/{created.id}"
    return created


# -- curation (curator) ---------------------------------------------------------------------
class AcceptRequest(BaseModel):
    """Which items to accept (default all; the others are rejected) and why."""

    items: list[int] | None = Field(
        None,
        description="Positions of the items to accept; default: every item.",
        examples=[[0, 1, 3]],
    )
    reason: Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000)] | None = (
        Field(None, description="Why (e.g. how it was verified).")
    )


class RejectRequest(BaseModel):
    """Why the declaration is rejected."""

    reason: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=3, max_length=1000)
    ] = Field(
        description="Why it is rejected (shown to whoever reads the record).",
        examples=["The sender is not from the owning office."],
    )


@router.get(
    "/declarations",
    summary="The curation queue",
    responses=ERRORS,
    dependencies=[CURATOR_READ],
)
def list_declarations(
    request: Request,
    store: StoreDep,
    declarations: DeclarationsDep,
    page: PageDep,
    state: Annotated[
        DeclarationStatus | None,
        Query(alias="status", description="proposed, accepting, accepted or rejected."),
    ] = None,
    innovation_id: Annotated[str | None, Query(description="Of this innovation.")] = None,
) -> Page[Review]:
    """Declarations, oldest first, each with what accepting it would change: ties added,
    changed, confirmed or ended, and likely duplicates of new actors."""
    items, total = declarations.find(state, innovation_id, page.limit, page.offset)
    curator = curator_name(request)
    neighbours: dict[str, list[tuple[str, str]]] = {}  # each province read once per page
    return Page[Review](
        items=[review(store, d, curator, neighbours=neighbours) for d in items],
        total=total,
        limit=page.limit,
        offset=page.offset,
    )


@router.get(
    "/declarations/{declaration_id}",
    summary="A declaration with its comparison",
    responses=ERRORS,
    dependencies=[CURATOR_READ],
)
def get_declaration(
    request: Request, store: StoreDep, declarations: DeclarationsDep, declaration_id: DeclarationId
) -> Review:
    """One declaration and what accepting it would change."""
    return review(store, declarations.get(declaration_id), curator_name(request))


@router.post(
    "/declarations/{declaration_id}/accept",
    summary="Accept a declaration",
    responses=ERRORS,
    dependencies=[CURATOR_WRITE],
)
def accept_declaration(
    request: Request,
    store: StoreDep,
    declarations: DeclarationsDep,
    declaration_id: DeclarationId,
    body: AcceptRequest | None = None,
) -> Review:
    """Write the accepted items in one transaction, as `reported` ties whose source names the
    declarer and the curator, replacing the ties they confirm; 409 unless proposed."""
    body = body or AcceptRequest()
    curator = curator_name(request)
    decided = accept(store, declarations, declaration_id, curator, body.reason, body.items)
    audit_ids(
        request,
        decided.innovation_id,
        *(d.actor_id for d in decided.decisions if d.accepted and d.actor_id),
    )
    return review(store, decided, curator)


@router.post(
    "/declarations/{declaration_id}/reject",
    summary="Reject a declaration",
    responses=ERRORS,
    dependencies=[CURATOR_WRITE],
)
def reject_declaration(
    request: Request,
    store: StoreDep,
    declarations: DeclarationsDep,
    declaration_id: DeclarationId,
    body: RejectRequest,
) -> Review:
    """Record the rejection and its reason; the graph is not touched. 409 unless proposed."""
    curator = curator_name(request)
    decided = reject(declarations, declaration_id, curator, body.reason)
    audit_ids(request, decided.innovation_id)
    return review(store, decided, curator)
