"""Spreadsheet templates of the declaration form (XLSX, CSV) and their upload as declarations to
curate (never direct writes). See `service.spreadsheets`. Included before the declarations router,
so that `/declarations/template` and `/declarations/upload` win over `/declarations/{id}`."""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status
from starlette.concurrency import run_in_threadpool

from graph.errors import Invalid
from graph.models import Innovation
from graph.store import ActorFilter, InnovationFilter, PageRequest, Store
from service.declarations import Declaration
from service.deps import CURATOR_READ, CURATOR_WRITE, DeclarationsDep, StoreDep
from service.errors import ERRORS
from service.routes.files import BINARY, file_answer, file_body
from service.security import audit_ids
from service.spreadsheets import (
    XLSX_MEDIA,
    declarations_from,
    template_csv,
    template_rows,
    template_xlsx,
)

router = APIRouter(tags=["declarations"])


class SheetFormat(StrEnum):
    """Spreadsheet format of a template."""

    XLSX = "xlsx"
    CSV = "csv"


def _all_innovations(store: Store, region: str | None) -> list[Innovation]:
    found: list[Innovation] = []
    while True:
        page = store.list_innovations(
            InnovationFilter(region=region), PageRequest(limit=500, offset=len(found))
        )
        found.extend(page.items)
        if not page.items or len(found) >= page.total:
            return found


def _kinds(store: Store) -> set[str]:
    kinds: set[str] = set()
    offset = 0
    while True:
        page = store.list_actors(ActorFilter(), PageRequest(limit=500, offset=offset))
        kinds.update(a.kind for a in page.items)
        offset += len(page.items)
        if not page.items or offset >= page.total:
            return kinds


@router.get(
    "/declarations/template",
    summary="A spreadsheet template of the declaration form",
    responses=file_answer("The template file.", {XLSX_MEDIA: BINARY, "text/csv": BINARY}),
    response_class=Response,
    dependencies=[CURATOR_READ],
)
def template(
    store: StoreDep,
    innovation_id: Annotated[
        str | None, Query(description="One innovation; default: the portfolio.")
    ] = None,
    region: Annotated[
        str | None, Query(description="The portfolio of this region (with regions inside).")
    ] = None,
    fmt: Annotated[SheetFormat, Query(alias="format", description="xlsx or csv.")] = (
        SheetFormat.XLSX
    ),
) -> Response:
    """The current ties of one innovation or the portfolio, one row per tie, for offices that
    answer in a spreadsheet; the XLSX has drop-down lists for helix, kind, role and strength and
    bilingual instructions. Send the filled file to `POST /declarations/upload`."""
    if innovation_id is not None:
        innovations = [store.get_innovation(innovation_id)]
    else:
        innovations = _all_innovations(store, region)
    rows = template_rows(store, innovations)
    scope = re.sub(r"[^A-Za-z0-9._-]", "_", innovation_id or region or "portfolio")[:80]
    name = f"hexahelix-declarations-{scope}.{fmt.value}"  # header-safe, whatever was asked
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    if fmt is SheetFormat.CSV:
        return Response(template_csv(rows), media_type="text/csv; charset=utf-8", headers=headers)
    return Response(template_xlsx(rows, _kinds(store)), media_type=XLSX_MEDIA, headers=headers)


@router.post(
    "/declarations/upload",
    status_code=status.HTTP_201_CREATED,
    summary="Upload a filled template as declarations to curate",
    responses=ERRORS,
    dependencies=[CURATOR_WRITE],
    openapi_extra=file_body(
        "The filled template (XLSX or CSV), size-limited.", (XLSX_MEDIA, "text/csv")
    ),
)
async def upload(
    request: Request,
    store: StoreDep,
    declarations: DeclarationsDep,
    declared_by: Annotated[
        str,
        Query(
            min_length=2,
            max_length=120,
            description="Who filled it in (name and office), as the source will name them.",
        ),
    ],
    fmt: Annotated[
        SheetFormat | None,
        Query(alias="format", description="xlsx or csv; default: from the Content-Type."),
    ] = None,
) -> list[Declaration]:
    """One `proposed` declaration per innovation in the file, to curate like those sent through
    the form: nothing in the graph changes. Every invalid cell is named by its row and column
    (422) and then nothing is kept."""
    content = await request.body()
    if not content:
        raise Invalid("the request body is empty: send the filled template")
    if fmt is None:
        csv_type = request.headers.get("content-type", "").startswith("text/csv")
        fmt = SheetFormat.CSV if csv_type else SheetFormat.XLSX
    found = await run_in_threadpool(
        declarations_from, store, content, fmt.value, declared_by.strip()
    )
    created = [
        declarations.add(innovation_id, declaration, None, channel="upload")
        for innovation_id, declaration in found.items()
    ]
    audit_ids(request, *(f"declaration={d.id}" for d in created))
    return created
