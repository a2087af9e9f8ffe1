"""Standard exchange formats of a whole graph: GraphML, GEXF, a CSV zip, node-link JSON, and the
seed-format bundle. The HTTP routes and the command line both export and import through here.

One graph shape serves every format (`to_networkx`): nodes are innovations, actors and regions,
keyed `innovation:<id>`, `actor:<id>`, `region:<code>` (ids of different kinds may coincide) with
the attribute `node_type` and a `label`; edges carry `edge_type` (`collaborates_on`,
`partners_with`, `part_of`, `builds_on`). Every model field is a typed attribute (strength int,
digital bool, dates ISO strings, lists joined with `;`); the provenance of a tie is
`provenance_source`, since `source` names an edge's end in node-link JSON, CSV and Gephi, and a
tie with a source also carries `provenance` (`reported` or `illustrative`, read from that source,
as the answers give it; nodes carry their own `provenance`). Absent
values (None, "" and empty lists) are left out, and on import an absent attribute takes the model's
default, so every format round-trips losslessly. Attributes that are not model fields (`label`,
`weight`, `viz`, metrics, anything Gephi adds) are ignored on import.

Imports parse into a `Bundle` (a `GraphData` plus where each record came from, to name the node,
edge or CSV line in the store's later problems, and the problems of the records left out, so that
`Bundle.check` reports every problem in one pass); nothing is written here.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.etree.ElementTree import ParseError

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException
from pydantic import BaseModel, ValidationError

from graph import vocab
from graph.bundle import (
    LIST_SEPARATOR,
    Bundle,
    Progress,
    bundle_from_object,
    quote,
    read_bundle,
)
from graph.errors import MAX_PROBLEMS, Invalid
from graph.kinds import KINDS, NodeKind
from graph.models import (
    GraphData,
    Model,
)
from graph.provenance import tie_provenance
from graph.vocab import Helix

if TYPE_CHECKING:
    import networkx as nx


class Format(StrEnum):
    """An exchange format of the whole graph."""

    GRAPHML = "graphml"
    GEXF = "gexf"
    CSV = "csv"
    JSON = "json"
    BUNDLE = "bundle"


FORMAT_HELP: dict[Format, str] = {
    Format.GRAPHML: "GraphML (directed multigraph; networkx, Gephi, yEd, igraph)",
    Format.GEXF: "GEXF 1.2 with colours by helix kind (Gephi)",
    Format.CSV: "a zip of nodes.csv and edges.csv with every attribute as a column",
    Format.JSON: "networkx node-link JSON (`nodes` and `edges`)",
    Format.BUNDLE: "the seed-format bundle: one JSON object of record lists",
}
MEDIA_TYPES: dict[Format, str] = {
    Format.GRAPHML: "application/graphml+xml",
    Format.GEXF: "application/gexf+xml",
    Format.CSV: "application/zip",
    Format.JSON: "application/json",
    Format.BUNDLE: "application/json",
}
EXTENSIONS: dict[Format, str] = {
    Format.GRAPHML: ".graphml",
    Format.GEXF: ".gexf",
    Format.CSV: ".zip",
    Format.JSON: ".json",
    Format.BUNDLE: ".json",
}

# From the registry of record kinds (graph/kinds.py): node type -> model, node type ->
# (GraphData section, id field), and edge type -> (section, model, (source field, source node
# type), (target field, target node type)).
# Node types innovation, actor, region: the order messages have always listed them in.
_NODE_KINDS = [k for k in reversed(KINDS) if not k.tie]
NODE_MODELS: dict[str, type[Model]] = {k.name: k.model for k in _NODE_KINDS}
NODE_SECTIONS: dict[str, tuple[str, str]] = {k.name: (k.section, k.key[0]) for k in _NODE_KINDS}
EDGE_TYPES: dict[str, tuple[str, type[Model], tuple[str, str], tuple[str, str]]] = {
    k.name: (
        k.section,
        k.model,
        (k.ends[0].field, k.ends[0].node),
        (k.ends[1].field, k.ends[1].node),
    )
    for k in KINDS
    if k.tie
}
EDGE_SOURCE_ATTRIBUTE = "provenance_source"
"""Name of a tie's `source` (provenance) field among edge attributes."""

INNOVATION_COLOUR = (23, 190, 207)
REGION_COLOUR = (160, 160, 160)


@dataclass(frozen=True)
class ImportBudget:
    """How much one import may unpack and hold, checked while reading (zip bombs, huge files).
    The defaults suit the command line; the HTTP import passes smaller ones (settings)."""

    unpacked_bytes: int = 1024 * 1024 * 1024
    rows: int = 10_000_000


class _Problems:
    """The first MAX_PROBLEMS problems of a read, and how many there were in all."""

    def __init__(self) -> None:
        self.kept: list[str] = []
        self.total = 0

    def add(self, *problems: str) -> None:
        self.total += len(problems)
        room = MAX_PROBLEMS - len(self.kept)
        if room > 0:
            self.kept.extend(problems[:room])

    def __bool__(self) -> bool:
        return self.total > 0


NodeMetrics = Mapping[str, Mapping[str, Any]]
"""Extra attributes per node key (`innovation:<id>`, `actor:<id>`), e.g. coverage or
betweenness, for an export."""


def node_key(node_type: str, record_id: str) -> str:
    """The key of a node in the exported graph, e.g. `actor:universitas-a`."""
    return f"{node_type}:{record_id}"


def _attributes(record: BaseModel, skip: Iterable[str] = ()) -> dict[str, Any]:
    """A record's fields as typed graph attributes, absent values left out."""
    attrs: dict[str, Any] = {}
    for name, value in record.model_dump(mode="json", exclude=set(skip)).items():
        if value is None or value == "" or value == []:
            continue
        attrs[name] = LIST_SEPARATOR.join(value) if isinstance(value, list) else value
    return attrs


# -- export --------------------------------------------------------------------------------
def to_networkx(data: GraphData, metrics: NodeMetrics | None = None) -> nx.MultiDiGraph:
    """The graph as a networkx MultiDiGraph, in the record order of `data`; edge keys are
    `e0`, `e1`, ... (GraphML wants unique edge ids) and `edge_type` says what an edge is."""
    import networkx as nx  # on first use: most processes never export or import

    graph = nx.MultiDiGraph(name="hexahelix")
    for region in data.regions:
        graph.add_node(
            node_key("region", region.code),
            node_type="region",
            label=region.name,
            **_attributes(region, skip=["code"]),
        )
    for actor in data.actors:
        key = node_key("actor", actor.id)
        graph.add_node(
            key,
            node_type="actor",
            label=actor.name,
            **_attributes(actor, skip=["id"]),
            **_present(metrics, key),
        )
    for innovation in data.innovations:
        key = node_key("innovation", innovation.id)
        graph.add_node(
            key,
            node_type="innovation",
            label=innovation.name,
            **_attributes(innovation, skip=["id"]),
            **_present(metrics, key),
        )
    count = 0
    for edge_type, (
        section,
        _,
        (source_field, source_type),
        (target_field, target_type),
    ) in EDGE_TYPES.items():
        for record in getattr(data, section):
            attrs = _attributes(record, skip=[source_field, target_field])
            if "source" in attrs:
                attrs[EDGE_SOURCE_ATTRIBUTE] = attrs.pop("source")
                # the mark a reader filters on, as in the answers (ignored on import)
                attrs["provenance"] = tie_provenance(attrs[EDGE_SOURCE_ATTRIBUTE]).value
            if edge_type == "collaborates_on":
                attrs["weight"] = attrs["strength"]
            graph.add_edge(
                node_key(source_type, getattr(record, source_field)),
                node_key(target_type, getattr(record, target_field)),
                key=f"e{count}",
                edge_type=edge_type,
                **attrs,
            )
            count += 1
    return graph


def _present(metrics: NodeMetrics | None, key: str) -> dict[str, Any]:
    """The node's metric attributes that have a value (GraphML and GEXF cannot hold None)."""
    values = metrics.get(key, {}) if metrics else {}
    return {name: value for name, value in values.items() if value is not None}


def export_bytes(data: GraphData, fmt: Format, metrics: NodeMetrics | None = None) -> bytes:
    """The graph in one of the file formats."""
    import networkx as nx  # on first use: most processes never export or import

    if fmt is Format.BUNDLE:
        return data.model_dump_json(indent=2).encode("utf-8")
    graph = to_networkx(data, metrics)
    if fmt is Format.GRAPHML:
        return "\n".join(nx.generate_graphml(graph)).encode("utf-8") + b"\n"
    if fmt is Format.GEXF:
        _add_viz(graph)
        return "\n".join(nx.generate_gexf(graph)).encode("utf-8") + b"\n"
    if fmt is Format.JSON:
        return json.dumps(nx.node_link_data(graph, edges="edges"), indent=1).encode("utf-8")
    return _csv_zip(graph)


def write_export(
    data: GraphData, fmt: Format, out: Path, metrics: NodeMetrics | None = None
) -> None:
    """Write an export to the file `out`: the same bytes as the HTTP export."""
    out.write_bytes(export_bytes(data, fmt, metrics))


def _add_viz(graph: nx.MultiDiGraph) -> None:
    """GEXF colours: actors by helix kind (the page's, `graph.vocab`), innovations teal, regions
    grey."""
    for _, attrs in graph.nodes(data=True):
        if attrs["node_type"] == "actor":
            rgb = vocab.rgb(vocab.HELIX_COLOURS[Helix(attrs["helix"])][0])
        elif attrs["node_type"] == "innovation":
            rgb = INNOVATION_COLOUR
        else:
            rgb = REGION_COLOUR
        attrs["viz"] = {"color": {"r": rgb[0], "g": rgb[1], "b": rgb[2], "a": 1.0}}


def _columns(rows: Iterable[Mapping[str, Any]], first: list[str]) -> list[str]:
    columns = list(first)
    for row in rows:
        columns.extend(k for k in row if k not in columns)
    return columns


def _csv_text(columns: list[str], rows: Iterable[Mapping[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _cell(v) for k, v in row.items()})
    return out.getvalue()


def _cell(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


CSV_TABLES = ("nodes", "edges")
"""The tables of the CSV export (the files in its zip, or one of them alone)."""


def _csv_tables(graph: nx.MultiDiGraph) -> dict[str, str]:
    nodes = [{"id": key, **attrs} for key, attrs in graph.nodes(data=True)]
    edges = [{"source": u, "target": v, **attrs} for u, v, attrs in graph.edges(data=True)]
    return {
        "nodes": _csv_text(_columns(nodes, ["id", "node_type", "label"]), nodes),
        "edges": _csv_text(_columns(edges, ["source", "target", "edge_type"]), edges),
    }


def _csv_zip(graph: nx.MultiDiGraph) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for table, text in _csv_tables(graph).items():
            archive.writestr(f"{table}.csv", text)
    return buffer.getvalue()


def csv_table(data: GraphData, table: str, metrics: NodeMetrics | None = None) -> bytes:
    """One table of the CSV export (`nodes` or `edges`) as a plain CSV file."""
    return _csv_tables(to_networkx(data, metrics))[table].encode("utf-8")


# -- import --------------------------------------------------------------------------------
NodeItem = tuple[str, Any, Mapping[str, Any]]
"""(where, node key, attributes) of one node read from a file."""
EdgeItem = tuple[str, Any, Any, Mapping[str, Any]]
"""(where, source key, target key, attributes) of one edge read from a file."""


def detect_format(name: str, content: bytes) -> Format:
    """Guess the format of a file from its first bytes, then its name; Invalid if neither tells."""
    if content.startswith(b"PK\x03\x04"):
        return Format.CSV
    head = content[:2048].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"{"):
        return Format.JSON
    if head.startswith(b"<"):
        if b"<graphml" in head:
            return Format.GRAPHML
        if b"<gexf" in head:
            return Format.GEXF
    for fmt in (Format.GRAPHML, Format.GEXF, Format.CSV, Format.JSON):
        if name.lower().endswith(EXTENSIONS[fmt]):
            return fmt
    raise Invalid(f"{name}: cannot tell the format; give it ({', '.join(Format)})")


def read_path(
    path: Path,
    fmt: Format | None = None,
    progress: Progress | None = None,
    budget: ImportBudget = ImportBudget(),
    *,
    partial: bool = False,
) -> Bundle:
    """Read a file in any format (guessed when `fmt` is None), or a seed-format CSV folder
    (`partial`: see `read_graph`)."""
    if path.is_dir():
        if fmt not in (None, Format.BUNDLE):
            raise Invalid(f"{path}: a folder can only be a CSV bundle, not {fmt}")
        return read_bundle(path, progress or (lambda rows, _: rows), partial=partial)
    try:
        content = path.read_bytes()
    except OSError as error:
        raise Invalid(f"{path}: not readable: {error}") from error
    fmt = fmt or detect_format(path.name, content)
    return read_graph(content, fmt, str(path), budget, partial=partial)


def read_graph(
    content: bytes,
    fmt: Format,
    name: str = "",
    budget: ImportBudget = ImportBudget(),
    *,
    partial: bool = False,
) -> Bundle:
    """Parse a file in `fmt` into a validated Bundle; Invalid names each bad node, edge or line
    (the first MAX_PROBLEMS), or the budget the file is over. With `partial` the bad records
    are left out and their problems kept on the Bundle, for `Bundle.check` to report them with
    the duplicates and broken references in one pass; a file that cannot be read at all is
    still Invalid."""
    label = name or fmt.value
    if fmt in (Format.GRAPHML, Format.GEXF):
        graph = _parse_xml(content, label, _graphml if fmt is Format.GRAPHML else _gexf)
        _check_rows(graph.number_of_nodes() + graph.number_of_edges(), label, budget)
        bundle = _assemble(_graph_nodes(graph, fmt.value), _graph_edges(graph, fmt.value))
    elif fmt is Format.CSV:
        nodes, edges = _read_csv_zip(content, label, budget)
        bundle = _assemble(nodes, edges)
    else:
        bundle = _read_json(content, label, strict_bundle=fmt is Format.BUNDLE, budget=budget)
    return bundle if partial else bundle.valid()


def _check_rows(rows: int, label: str, budget: ImportBudget) -> None:
    if rows > budget.rows:
        raise Invalid(f"{label}: more than {budget.rows} nodes, edges or rows in one import")


def _graphml(content: bytes) -> nx.MultiDiGraph:
    import networkx as nx  # on first use: most processes never export or import

    graph = nx.parse_graphml(content.decode("utf-8"), force_multigraph=True)
    return graph


def _gexf(content: bytes) -> nx.MultiDiGraph:
    import networkx as nx  # on first use: most processes never export or import

    graph = nx.read_gexf(io.BytesIO(content))
    return graph if graph.is_multigraph() else nx.MultiDiGraph(graph)


def _parse_xml(
    content: bytes, label: str, parse: Callable[[bytes], nx.MultiDiGraph]
) -> nx.MultiDiGraph:
    """Refuse DTDs, entities and external references (XML bombs, XXE) with defusedxml, then
    let networkx's reader build the graph."""
    import networkx as nx  # on first use: most processes never export or import

    try:
        SafeET.fromstring(content, forbid_dtd=True)
    except DefusedXmlException as error:
        raise Invalid(f"{label}: refused: {type(error).__name__} (no DTDs or entities)") from error
    except ParseError as error:
        raise Invalid(f"{label}: not well-formed XML: {error}") from error
    try:
        graph = parse(content)
    except (nx.NetworkXError, ValueError, KeyError, TypeError, IndexError, ParseError) as error:
        raise Invalid(f"{label}: not a readable graph: {error}") from error
    if not graph.is_directed():
        raise Invalid(f"{label}: the graph must be directed")
    return graph


def _graph_nodes(graph: nx.MultiDiGraph, fmt: str) -> Iterator[NodeItem]:
    for key, attrs in graph.nodes(data=True):
        yield f"{fmt} node '{key}'", key, attrs


def _graph_edges(graph: nx.MultiDiGraph, fmt: str) -> Iterator[EdgeItem]:
    for u, v, attrs in graph.edges(data=True):
        yield f"{fmt} edge '{u}' -> '{v}'", u, v, attrs


def _no_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number JSON allows")


def _read_json(content: bytes, label: str, strict_bundle: bool, budget: ImportBudget) -> Bundle:
    try:
        raw = json.loads(content.decode("utf-8-sig"), parse_constant=_no_constant)
    except RecursionError as error:
        raise Invalid(f"{label}: not readable JSON: nested too deeply") from error
    except (UnicodeDecodeError, ValueError) as error:
        raise Invalid(f"{label}: not readable JSON: {error}") from error
    if not isinstance(raw, dict):
        raise Invalid(f"{label}: expected a JSON object")
    if strict_bundle or "nodes" not in raw:
        _check_rows(sum(len(v) for v in raw.values() if isinstance(v, list)), label, budget)
        return bundle_from_object(raw, label)
    nodes, edges = raw.get("nodes"), raw.get("edges")
    if not isinstance(nodes, list) or not isinstance(edges, list):
        raise Invalid(f"{label}: node-link JSON needs lists `nodes` and `edges`")
    _check_rows(len(nodes) + len(edges), label, budget)
    node_items: list[NodeItem] = []
    edge_items: list[EdgeItem] = []
    problems = _Problems()
    for i, node in enumerate(nodes):
        if not isinstance(node, dict) or not isinstance(node.get("id"), str):
            problems.add(f"{label}: nodes[{i}]: expected an object with a string `id`")
            continue
        attrs = {k: v for k, v in node.items() if k != "id"}
        node_items.append((f"json node '{node['id']}'", node["id"], attrs))
    for i, edge in enumerate(edges):
        ends = isinstance(edge, dict) and all(
            isinstance(edge.get(k), str) for k in ("source", "target")
        )
        if not ends:
            problems.add(f"{label}: edges[{i}]: expected an object with string `source`, `target`")
            continue
        attrs = {k: v for k, v in edge.items() if k not in ("source", "target", "key")}
        where = f"json edges[{i}] '{edge['source']}' -> '{edge['target']}'"
        edge_items.append((where, edge["source"], edge["target"], attrs))
    if problems:
        raise Invalid(f"{label}: {problems.total} problem(s)", problems.kept, problems.total)
    return _assemble(node_items, edge_items)


def _read_csv_zip(
    content: bytes, label: str, budget: ImportBudget
) -> tuple[list[NodeItem], list[EdgeItem]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, ValueError) as error:
        raise Invalid(f"{label}: not a zip file: {error}") from error
    with archive:
        names = {Path(info.filename).name: info for info in archive.infolist() if not info.is_dir()}
        missing = [n for n in ("nodes.csv", "edges.csv") if n not in names]
        if missing:
            raise Invalid(f"{label}: missing {' and '.join(missing)} in the zip")
        texts: dict[str, str] = {}
        unpacked = 0
        for name in ("nodes.csv", "edges.csv"):
            chunks: list[bytes] = []
            try:
                with archive.open(names[name]) as member:
                    # Read in pieces, counting: a zip's own size fields may lie.
                    while chunk := member.read(1024 * 1024):
                        unpacked += len(chunk)
                        if unpacked > budget.unpacked_bytes:
                            raise Invalid(
                                f"{label}: unpacks to more than {budget.unpacked_bytes} bytes"
                            )
                        chunks.append(chunk)
            except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError) as error:
                raise Invalid(f"{label}: {name} cannot be unpacked: {error}") from error
            try:
                texts[name] = b"".join(chunks).decode("utf-8-sig")
            except UnicodeDecodeError as error:
                raise Invalid(f"{name}: not UTF-8 text: {error}") from error
            del chunks
    _count_csv_rows(texts, label, budget)
    rows = 0
    nodes: list[NodeItem] = []
    for line, row in _csv_rows(texts["nodes.csv"], "nodes.csv", ("id", "node_type")):
        rows += 1
        _check_rows(rows, label, budget)
        attrs = {k: v for k, v in row.items() if k != "id" and v != ""}
        nodes.append((f"nodes.csv line {line} (node '{row['id']}')", row["id"], attrs))
    edges: list[EdgeItem] = []
    for line, row in _csv_rows(texts["edges.csv"], "edges.csv", ("source", "target", "edge_type")):
        rows += 1
        _check_rows(rows, label, budget)
        attrs = {k: v for k, v in row.items() if k not in ("source", "target") and v != ""}
        where = f"edges.csv line {line} ('{row['source']}' -> '{row['target']}')"
        edges.append((where, row["source"], row["target"], attrs))
    return nodes, edges


def _count_csv_rows(texts: dict[str, str], label: str, budget: ImportBudget) -> None:
    """Invalid before any row is built when the CSVs hold more rows than the budget: building
    them first took a 37 KB zip of 1.4 million rows to 640 MB and 30 s, with seconds-long
    pauses of the whole API for the garbage collector."""
    if sum(text.count("\n") for text in texts.values()) <= budget.rows:
        return  # no more rows than lines (a quoted value may hold a newline, never fewer)
    rows = 0
    for text in texts.values():
        try:
            rows += sum(1 for _ in csv.reader(io.StringIO(text))) - 1  # not the header
        except csv.Error:
            return  # reading the rows names the line
    _check_rows(rows, label, budget)


def _csv_rows(
    text: str, name: str, required: tuple[str, ...]
) -> Iterator[tuple[int, dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(text))
    try:
        header = reader.fieldnames or []
        lacking = [c for c in required if c not in header]
        if lacking:
            raise Invalid(f"{name}: missing column(s): {', '.join(lacking)}")
        for row in reader:
            if None in row:
                raise Invalid(f"{name} line {reader.line_num}: more values than columns")
            yield reader.line_num, {k: (v or "").strip() for k, v in row.items()}
    except csv.Error as error:
        raise Invalid(f"{name} line {reader.line_num}: {error}") from error


def _validation_problems(where: str, error: ValidationError) -> list[str]:
    problems = []
    for e in error.errors():
        field = ".".join(str(p) for p in e["loc"]) or "record"
        got = f" (got {quote(e['input'])})" if e["type"] != "missing" and e["loc"] else ""
        problems.append(f"{where}, field {field}: {e['msg']}{got}")
    return problems


def _split_key(key: Any, node_type: str) -> str | None:
    """The record id in a node key `type:id`, or None if the key is not of that type."""
    prefix = f"{node_type}:"
    if isinstance(key, str) and key.startswith(prefix):
        return key[len(prefix) :]
    return None


def _model_input(model: type[BaseModel], attrs: Mapping[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name, field in model.model_fields.items():
        if name not in attrs or attrs[name] is None or attrs[name] == "":
            continue
        value = attrs[name]
        if getattr(field.annotation, "__origin__", None) is list and isinstance(value, str):
            value = [part.strip() for part in value.split(LIST_SEPARATOR) if part.strip()]
        values[name] = value
    return values


def _assemble(nodes: Iterable[NodeItem], edges: Iterable[EdgeItem]) -> Bundle:
    """Validate every node and edge into one Bundle; each bad one is left out and its problems
    kept on the Bundle, named where they are."""
    sections: dict[str, list[Any]] = {name: [] for name in GraphData.model_fields}
    places: dict[str, list[str]] = {name: [] for name in GraphData.model_fields}
    problems = _Problems()
    unread: dict[NodeKind, set[str]] = {}  # nodes left out: references to them are not broken
    for where, key, attrs in nodes:
        node_type = attrs.get("node_type")
        if node_type not in NODE_MODELS:
            problems.add(
                f"{where}, field node_type: must be one of {', '.join(NODE_MODELS)}"
                f" (got {node_type!r})"
            )
            continue
        record_id = _split_key(key, node_type)
        if record_id is None:
            problems.add(f"{where}: the key must be '{node_type}:<id>' for a {node_type}")
            continue
        model = NODE_MODELS[node_type]
        section, id_field = NODE_SECTIONS[node_type]
        try:
            record = model.model_validate({**_model_input(model, attrs), id_field: record_id})
        except ValidationError as error:
            problems.add(*_validation_problems(where, error))
            if node_type == "actor" or node_type == "innovation":
                unread.setdefault(node_type, set()).add(record_id)
            continue
        sections[section].append(record)
        places[section].append(where)
    for where, source, target, attrs in edges:
        edge_type = attrs.get("edge_type")
        if edge_type not in EDGE_TYPES:
            problems.add(
                f"{where}, field edge_type: must be one of {', '.join(EDGE_TYPES)}"
                f" (got {edge_type!r})"
            )
            continue
        section, edge_model, (source_field, source_type), (target_field, target_type) = EDGE_TYPES[
            edge_type
        ]
        source_id, target_id = _split_key(source, source_type), _split_key(target, target_type)
        if source_id is None or target_id is None:
            problems.add(
                f"{where}: a {edge_type} edge goes from a {source_type} to a {target_type}"
            )
            continue
        values = dict(attrs)
        if EDGE_SOURCE_ATTRIBUTE in values:
            values["source"] = values.pop(EDGE_SOURCE_ATTRIBUTE)
        else:
            values.pop("source", None)
        payload = {
            **_model_input(edge_model, values),
            source_field: source_id,
            target_field: target_id,
        }
        try:
            tie = edge_model.model_validate(payload)
        except ValidationError as error:
            problems.add(*_validation_problems(where, error))
            continue
        sections[section].append(tie)
        places[section].append(where)
    data = GraphData.model_validate(sections)
    return Bundle(
        data, lambda kind, index: places[kind][index], problems.kept, problems.total, unread
    )
