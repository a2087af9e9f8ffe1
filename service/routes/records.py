"""CRUD routes for innovations, actors, collaborations and partnerships."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from graph.models import (
    Actor,
    ActorPatch,
    Collaboration,
    CollaborationPatch,
    Innovation,
    InnovationPatch,
    Page,
    Partnership,
    PartnershipPatch,
)
from graph.provenance import CollaborationOut, PartnershipOut
from graph.store import (
    ActorFilter,
    CollaborationFilter,
    InnovationFilter,
    PartnershipFilter,
)
from service.deps import EDITOR_WRITE, IfMatchDep, PageDep, RegionBookDep, StoreDep
from service.errors import ERRORS
from service.preconditions import CHANGED, CONDITIONAL, CREATED, READ, tagged

router = APIRouter()
Cascade = Annotated[
    bool, Query(description="Also delete the record's ties instead of refusing with 409.")
]


# -- innovations ---------------------------------------------------------------------------
@router.get("/innovations", tags=["innovations"], summary="List innovations", responses=ERRORS)
def list_innovations(
    store: StoreDep,
    book: RegionBookDep,
    filters: Annotated[InnovationFilter, Query()],
    page: PageDep,
) -> Page[Innovation]:
    """Innovations matching every given filter, ordered by id. `region` (a code or a name; `id`
    is the whole country) also matches the regions inside it (`63` matches `63.03`)."""
    scoped = filters.model_copy(update={"region": book.scope(filters.region)})
    return store.list_innovations(scoped, page)


@router.post(
    "/innovations",
    tags=["innovations"],
    status_code=status.HTTP_201_CREATED,
    summary="Create an innovation",
    responses=CREATED,
    dependencies=[EDITOR_WRITE],
)
def create_innovation(
    store: StoreDep, book: RegionBookDep, innovation: Innovation, response: Response
) -> Innovation:
    """Add an innovation. Its `owner_id`, when given, must be an existing actor; its `region`
    a region the graph knows."""
    book.check(innovation.region)
    created = store.create_innovation(innovation)
    response.headers["Location"] = f"/api/v1/innovations/{created.id}"
    tagged(response, created)
    return created


@router.get(
    "/innovations/{innovation_id}",
    tags=["innovations"],
    summary="Get an innovation",
    responses=READ,
)
def get_innovation(store: StoreDep, innovation_id: str, response: Response) -> Innovation:
    """The innovation with this id; its `ETag` is the revision a change names in `If-Match`."""
    found = store.get_innovation(innovation_id)
    tagged(response, found)
    return found


@router.patch(
    "/innovations/{innovation_id}",
    tags=["innovations"],
    summary="Change an innovation",
    responses=CHANGED,
    dependencies=[EDITOR_WRITE],
)
def update_innovation(
    store: StoreDep,
    book: RegionBookDep,
    innovation_id: str,
    patch: InnovationPatch,
    if_match: IfMatchDep,
    response: Response,
) -> Innovation:
    """Change the fields given in the body; the others stay as they are. With `If-Match`, only
    if the innovation is still at that revision (412 otherwise)."""
    if patch.region is not None:
        book.check(patch.region)
    updated = store.update_innovation(innovation_id, patch, if_match=if_match)
    tagged(response, updated)
    return updated


@router.delete(
    "/innovations/{innovation_id}",
    tags=["innovations"],
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete an innovation",
    responses=CONDITIONAL,
    dependencies=[EDITOR_WRITE],
)
def delete_innovation(
    store: StoreDep, innovation_id: str, if_match: IfMatchDep, cascade: Cascade = False
) -> None:
    """Delete an innovation; refused with 409 while ties remain, unless `cascade=true`. With
    `If-Match`, only if the innovation is still at that revision (412 otherwise)."""
    store.delete_innovation(innovation_id, cascade=cascade, if_match=if_match)


# -- actors --------------------------------------------------------------------------------
@router.get("/actors", tags=["actors"], summary="List actors", responses=ERRORS)
def list_actors(
    store: StoreDep, book: RegionBookDep, filters: Annotated[ActorFilter, Query()], page: PageDep
) -> Page[Actor]:
    """Actors matching every given filter, ordered by id."""
    scoped = filters.model_copy(update={"region": book.scope(filters.region)})
    return store.list_actors(scoped, page)


@router.post(
    "/actors",
    tags=["actors"],
    status_code=status.HTTP_201_CREATED,
    summary="Create an actor",
    responses=CREATED,
    dependencies=[EDITOR_WRITE],
)
def create_actor(store: StoreDep, book: RegionBookDep, actor: Actor, response: Response) -> Actor:
    """Add an actor, located in a region the graph knows."""
    book.check(actor.region)
    created = store.create_actor(actor)
    response.headers["Location"] = f"/api/v1/actors/{created.id}"
    tagged(response, created)
    return created


@router.get(
    "/actors/{actor_id}",
    tags=["actors"],
    summary="Get an actor",
    responses=READ,
)
def get_actor(store: StoreDep, actor_id: str, response: Response) -> Actor:
    """The actor with this id; its `ETag` is the revision a change names in `If-Match`."""
    found = store.get_actor(actor_id)
    tagged(response, found)
    return found


@router.patch(
    "/actors/{actor_id}",
    tags=["actors"],
    summary="Change an actor",
    responses=CHANGED,
    dependencies=[EDITOR_WRITE],
)
def update_actor(
    store: StoreDep,
    book: RegionBookDep,
    actor_id: str,
    patch: ActorPatch,
    if_match: IfMatchDep,
    response: Response,
) -> Actor:
    """Change the fields given in the body; the others stay as they are. With `If-Match`, only
    if the actor is still at that revision (412 otherwise)."""
    if patch.region is not None:
        book.check(patch.region)
    updated = store.update_actor(actor_id, patch, if_match=if_match)
    tagged(response, updated)
    return updated


@router.delete(
    "/actors/{actor_id}",
    tags=["actors"],
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete an actor",
    responses=CONDITIONAL,
    dependencies=[EDITOR_WRITE],
)
def delete_actor(
    store: StoreDep, actor_id: str, if_match: IfMatchDep, cascade: Cascade = False
) -> None:
    """Delete an actor; refused with 409 while it has ties or owns innovations, unless
    `cascade=true` (which removes its ties and clears it as owner). With `If-Match`, only if
    the actor is still at that revision (412 otherwise)."""
    store.delete_actor(actor_id, cascade=cascade, if_match=if_match)


# -- collaborations ------------------------------------------------------------------------
@router.get(
    "/collaborations",
    tags=["collaborations"],
    summary="List collaborations",
    responses=ERRORS,
    response_model=Page[CollaborationOut],
)
def list_collaborations(
    store: StoreDep, filters: Annotated[CollaborationFilter, Query()], page: PageDep
) -> Page[Collaboration]:
    """Actor–innovation ties, ended ones included, ordered by actor then innovation."""
    return store.list_collaborations(filters, page)


@router.post(
    "/collaborations",
    tags=["collaborations"],
    status_code=status.HTTP_201_CREATED,
    summary="Create a collaboration",
    responses=CREATED,
    dependencies=[EDITOR_WRITE],
    response_model=CollaborationOut,
)
def create_collaboration(store: StoreDep, tie: Collaboration, response: Response) -> Collaboration:
    """Tie an actor to an innovation (one tie per pair)."""
    created = store.create_collaboration(tie)
    response.headers["Location"] = (
        f"/api/v1/collaborations/{created.actor_id}/{created.innovation_id}"
    )
    tagged(response, created)
    return created


@router.get(
    "/collaborations/{actor_id}/{innovation_id}",
    tags=["collaborations"],
    summary="Get a collaboration",
    responses=READ,
    response_model=CollaborationOut,
)
def get_collaboration(
    store: StoreDep, actor_id: str, innovation_id: str, response: Response
) -> Collaboration:
    """The tie between this actor and innovation; its `ETag` is the revision a change names in
    `If-Match`."""
    found = store.get_collaboration(actor_id, innovation_id)
    tagged(response, found)
    return found


@router.patch(
    "/collaborations/{actor_id}/{innovation_id}",
    tags=["collaborations"],
    summary="Change a collaboration",
    responses=CHANGED,
    dependencies=[EDITOR_WRITE],
    response_model=CollaborationOut,
)
def update_collaboration(
    store: StoreDep,
    actor_id: str,
    innovation_id: str,
    patch: CollaborationPatch,
    if_match: IfMatchDep,
    response: Response,
) -> Collaboration:
    """Change role, strength, dates or source of a tie. With `If-Match`, only if the tie is
    still at that revision (412 otherwise)."""
    updated = store.update_collaboration(actor_id, innovation_id, patch, if_match=if_match)
    tagged(response, updated)
    return updated


@router.delete(
    "/collaborations/{actor_id}/{innovation_id}",
    tags=["collaborations"],
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete a collaboration",
    responses=CONDITIONAL,
    dependencies=[EDITOR_WRITE],
)
def delete_collaboration(
    store: StoreDep, actor_id: str, innovation_id: str, if_match: IfMatchDep
) -> None:
    """Remove a tie. To record that a tie ended, set its `until` instead. With `If-Match`, only
    if the tie is still at that revision (412 otherwise)."""
    store.delete_collaboration(actor_id, innovation_id, if_match=if_match)


# -- partnerships --------------------------------------------------------------------------
@router.get(
    "/partnerships",
    tags=["partnerships"],
    summary="List partnerships",
    responses=ERRORS,
    response_model=Page[PartnershipOut],
)
def list_partnerships(
    store: StoreDep, filters: Annotated[PartnershipFilter, Query()], page: PageDep
) -> Page[Partnership]:
    """Actor–actor partnerships; `actor_id` matches either end."""
    return store.list_partnerships(filters, page)


@router.post(
    "/partnerships",
    tags=["partnerships"],
    status_code=status.HTTP_201_CREATED,
    summary="Create a partnership",
    responses=CREATED,
    dependencies=[EDITOR_WRITE],
    response_model=PartnershipOut,
)
def create_partnership(
    store: StoreDep, partnership: Partnership, response: Response
) -> Partnership:
    """Record a partnership (one per pair of actors, in either direction)."""
    created = store.create_partnership(partnership)
    response.headers["Location"] = f"/api/v1/partnerships/{created.source_id}/{created.target_id}"
    tagged(response, created)
    return created


@router.get(
    "/partnerships/{source_id}/{target_id}",
    tags=["partnerships"],
    summary="Get a partnership",
    responses=READ,
    response_model=PartnershipOut,
)
def get_partnership(
    store: StoreDep, source_id: str, target_id: str, response: Response
) -> Partnership:
    """The partnership between two actors, in either order; its `ETag` is the revision a
    change names in `If-Match`."""
    found = store.get_partnership(source_id, target_id)
    tagged(response, found)
    return found


@router.patch(
    "/partnerships/{source_id}/{target_id}",
    tags=["partnerships"],
    summary="Change a partnership",
    responses=CHANGED,
    dependencies=[EDITOR_WRITE],
    response_model=PartnershipOut,
)
def update_partnership(
    store: StoreDep,
    source_id: str,
    target_id: str,
    patch: PartnershipPatch,
    if_match: IfMatchDep,
    response: Response,
) -> Partnership:
    """Change kind, dates or source of a partnership. With `If-Match`, only if the partnership
    is still at that revision (412 otherwise)."""
    updated = store.update_partnership(source_id, target_id, patch, if_match=if_match)
    tagged(response, updated)
    return updated


@router.delete(
    "/partnerships/{source_id}/{target_id}",
    tags=["partnerships"],
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete a partnership",
    responses=CONDITIONAL,
    dependencies=[EDITOR_WRITE],
)
def delete_partnership(
    store: StoreDep, source_id: str, target_id: str, if_match: IfMatchDep
) -> None:
    """Remove a partnership. With `If-Match`, only if it is still at that revision (412
    otherwise)."""
    store.delete_partnership(source_id, target_id, if_match=if_match)
