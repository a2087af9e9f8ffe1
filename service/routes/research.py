"""Research routes: the whole graph in standard formats (export, import) and the audit trail."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from graph.analytics.exported import (
    ACTOR_METRIC_ATTRIBUTES,
    METRIC_ATTRIBUTES,
    node_metric_attributes,
)
from graph.errors import ROLLED_BACK, HexahelixError, Invalid
from graph.formats import (
    EDGE_TYPES,
    EXTENSIONS,
    FORMAT_HELP,
    MEDIA_TYPES,
    Format,
    ImportBudget,
    csv_table,
    detect_format,
    export_bytes,
    read_graph,
)
from graph.importing import load_bundle
from graph.models import (
    GraphData,
    Page,
)
from graph.store import Store
from service.access import AuditEntry
from service.deps import (
    ADMIN_READ,
    ADMIN_WRITE,
    AccessDep,
    PageDep,
    RegionScope,
    StoreDep,
    get_analytics,
)
from service.errors import ERRORS
from service.pools import pools_of
from service.routes.files import BINARY, file_answer, file_body
from service.security import audit_ids
from service.settings import Settings

router = APIRouter(tags=["research"])

_FORMATS = "; ".join(f"`{f.value}`: {text}" for f, text in FORMAT_HELP.items())


NODE_LINK_EXAMPLE: dict[str, Any] = {
    "directed": True,
    "multigraph": True,
    "graph": {"name": "hexahelix"},
    "nodes": [
        {
            "node_type": "actor",
            "label": "Universitas A (contoh)",
            "name": "Universitas A (contoh)",
            "helix": "academia",
            "kind": "university",
            "region": "63.71",
            "scope": "provincial",
            "provenance": "illustrative",
            "source": "illustrative",
            "id": "actor:universitas-a",
        },
        {
            "node_type": "innovation",
            "label": "GEOLASTING",
            "name": "GEOLASTING",
            "description": "Geospatial collaboration against stunting.",
            "origin": "perangkat_daerah",
            "owner_id": "bappedalitbang-banjar",
            "region": "63.03",
            "district": "Martapura",
            "sector": "health",
            "form": "tata_kelola",
            "digital": True,
            "stage": "penerapan",
            "program": "INTAN BANJAR 2025",
            "tags": "stunting",
            "provenance": "reported",
            "source": "bappedalitbang.banjarkab.go.id/?p=17229",
            "id": "innovation:geolasting",
        },
    ],
    "edges": [
        {
            "edge_type": "collaborates_on",
            "since": "2022-09-05",
            "role": "knowledge_partner",
            "strength": 2,
            "provenance_source": "illustrative",
            "provenance": "illustrative",
            "weight": 2,
            "source": "actor:universitas-a",
            "target": "innovation:geolasting",
            "key": "e0",
        }
    ],
}
"""The documented export in the default format (node-link JSON): what the exporter makes of the
record models' first examples (one actor, one innovation, their tie; a test holds it to that).
Written out rather than exported when the app is built, which would import networkx in every
process at start-up for its documentation alone."""


class ImportResult(BaseModel):
    """What an import wrote."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "format": "graphml",
                    "written": {
                        "regions": 3,
                        "actors": 121,
                        "innovations": 54,
                        "collaborations": 140,
                        "partnerships": 29,
                        "part_of": 40,
                        "builds_on": 2,
                    },
                    "graph_version": 7,
                }
            ]
        }
    )

    format: Format = Field(description="Format the file was read as (given or detected).")
    written: dict[str, int] = Field(description="Records written (inserted or updated) per kind.")
    graph_version: int = Field(description="Graph version after the import.")


def export_filename(fmt: Format, region: str | None) -> str:
    """The suggested file name of an export."""
    return f"hexahelix{'-' + region if region else ''}{EXTENSIONS[fmt]}"


@router.get(
    "/export",
    summary="Export the graph",
    description="The whole graph, or a region's part, as GraphML, GEXF, a CSV zip, node-link "
    "JSON or the seed-format bundle. Nodes are innovations, actors and regions (`node_type`), "
    "keyed `innovation:<id>`, `actor:<id>`, `region:<code>`; edges carry `edge_type` ("
    + ", ".join(f"`{edge}`" for edge in EDGE_TYPES)  # the registry's tie kinds
    + "). Every format imports back unchanged through `POST /import`; `table=nodes|edges` with "
    "`format=csv` gives that one table as a plain CSV. At most two exports run at once (429 "
    "when many wait).",
    response_class=Response,
    responses=file_answer(
        "The graph as a file (`Content-Disposition: attachment`).",
        {
            media: {"schema": {"type": "object"}, "example": NODE_LINK_EXAMPLE}
            if media == "application/json"
            else BINARY
            for media in sorted({*MEDIA_TYPES.values(), "text/csv"})
        },
    ),
)
async def export(
    request: Request,
    store: StoreDep,
    fmt: Annotated[Format, Query(alias="format", description=_FORMATS)] = Format.JSON,
    region: RegionScope = None,
    table: Annotated[
        Literal["nodes", "edges"] | None,
        Query(description="With `format=csv`: this one table as a plain CSV instead of the zip."),
    ] = None,
    metrics: Annotated[
        bool,
        Query(
            description="Add the metrics (as of `at`) to innovation nodes: "
            + ", ".join(METRIC_ATTRIBUTES)
            + "; and to actor nodes: "
            + ", ".join(ACTOR_METRIC_ATTRIBUTES)
            + " (ignored by the bundle format, and on import)."
        ),
    ] = False,
    at: Annotated[
        date | None, Query(description="With `metrics=true`: the metrics as of this day.")
    ] = None,
) -> Response:
    """The graph as a file in the format asked (the description above: its edge types are
    the registry's tie kinds)."""
    if table is not None and fmt is not Format.CSV:
        raise Invalid(f"table: goes with format=csv, not format={fmt}")
    body = await pools_of(request).exports.run(
        _export, request, store, fmt, region, metrics, table, at
    )
    if table is not None:
        name = export_filename(fmt, region).removesuffix(".zip") + f"-{table}.csv"
        return Response(
            body,
            media_type="text/csv",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )
    name = export_filename(fmt, region)
    return Response(
        body,
        media_type=MEDIA_TYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.post(
    "/import",
    summary="Import a graph file",
    responses=ERRORS,
    dependencies=[ADMIN_WRITE],
    openapi_extra=file_body(
        "The file, as exported by `GET /export` (size-limited).",
        sorted({*MEDIA_TYPES.values(), "application/octet-stream"}),
    ),
)
async def import_graph(
    request: Request,
    store: StoreDep,
    fmt: Annotated[
        Format | None,
        Query(
            alias="format", description="The file's format; guessed from its content if omitted."
        ),
    ] = None,
    replace: Annotated[
        bool,
        Query(
            description="Replace the whole graph with the file (one transaction: the old graph "
            "or the new one, never a mix); references must then resolve within the file."
        ),
    ] = False,
) -> ImportResult:
    """Upsert a whole file (any export format, or a seed-format JSON bundle) into the graph, all
    or nothing: every node and edge is checked first and each problem names its node, edge or
    CSV line (422); references must resolve within the file or the graph. One transaction: a
    failure leaves the graph as it was. Needs an admin key."""
    content = await request.body()
    if not content:
        raise Invalid("the request body is empty: send the file")
    return await pools_of(request).imports.run(_import, request, store, content, fmt, replace)


def _export(
    request: Request,
    store: Store,
    fmt: Format,
    region: str | None,
    metrics: bool,
    table: str | None = None,
    at: date | None = None,
) -> bytes:
    data: GraphData = store.snapshot(region)
    extra = node_metric_attributes(get_analytics(request), region, at) if metrics else None
    return csv_table(data, table, extra) if table else export_bytes(data, fmt, extra)


def _import(
    request: Request, store: Store, content: bytes, fmt: Format | None, replace: bool
) -> ImportResult:
    fmt = fmt or detect_format("", content)
    settings: Settings = request.app.state.settings
    budget = ImportBudget(settings.max_import_unpacked_bytes, settings.max_import_rows)
    bundle = read_graph(content, fmt, budget=budget, partial=True)
    try:
        written = load_bundle(store, bundle, replace=replace)
    except Invalid:
        raise
    except HexahelixError as error:
        raise type(error)(f"{error}; {ROLLED_BACK}") from error
    audit_ids(request, *(f"{kind}={count}" for kind, count in written.items() if count))
    return ImportResult(format=fmt, written=written, graph_version=store.version())


@router.get(
    "/audit",
    summary="The audit trail of writes",
    responses=ERRORS,
    dependencies=[ADMIN_READ],
)
def audit(access: AccessDep, page: PageDep) -> Page[AuditEntry]:
    """Every write request (records, import), newest first: the key's name and role, the client,
    method, path, status and the ids it named or created. Needs an admin key."""
    return access.audit(page.limit, page.offset)
