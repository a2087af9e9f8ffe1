"""Exports and imports in every format: lossless round trips, typed attributes other tools read,
and bad files refused naming the element, with nothing written."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Callable
from typing import Any

import networkx as nx
import pytest

from graph.errors import Invalid
from graph.formats import (
    Format,
    detect_format,
    export_bytes,
    read_graph,
    to_networkx,
)
from graph.models import Actor, Collaboration, GraphData, Innovation, model_examples
from graph.store import Store
from graph.vocab import HELIX_COLOURS, Helix, rgb
from service.access import Role
from service.routes.research import NODE_LINK_EXAMPLE

API = "/api/v1"
BANJAR = "63.03"
MakeApp = Callable[..., Any]  # the make_app fixture (tests/research/conftest.py)
FILE_FORMATS = list(Format)


@pytest.mark.parametrize("fmt", FILE_FORMATS)
def test_export_then_import_into_an_empty_store_gives_the_same_graph(
    seeded_store: Store, fmt: Format
) -> None:
    before = seeded_store.snapshot()
    content = export_bytes(before, fmt)
    seeded_store.clear()
    assert seeded_store.is_empty()
    seeded_store.load(read_graph(content, fmt).data)
    assert seeded_store.snapshot() == before


@pytest.mark.parametrize("fmt", FILE_FORMATS)
def test_http_export_then_import_round_trips(
    seeded_store: Store, make_app: MakeApp, fmt: Format
) -> None:
    app = make_app()
    before = seeded_store.snapshot(BANJAR)
    exported = app.client.get(f"{API}/export", params={"format": fmt.value, "region": BANJAR})
    assert exported.status_code == 200, exported.text
    assert "attachment" in exported.headers["content-disposition"]
    seeded_store.clear()
    imported = app.client.post(
        f"{API}/import",
        params={"format": fmt.value},
        content=exported.content,
        headers=app.auth(Role.EDITOR),  # import needs admin
    )
    assert imported.status_code == 403 and seeded_store.is_empty()
    imported = app.client.post(
        f"{API}/import", content=exported.content, headers=app.auth(Role.ADMIN)
    )  # format guessed from the content
    assert imported.status_code == 200, imported.text
    assert imported.json()["format"] in (fmt.value, "json")
    assert seeded_store.snapshot() == before


def test_http_import_replace_swaps_the_graph_or_changes_nothing(
    seeded_store: Store, make_app: MakeApp
) -> None:
    app = make_app()
    before = seeded_store.snapshot()
    part = seeded_store.snapshot(BANJAR)
    only_ties = GraphData(collaborations=part.collaborations[:1])  # needs the old graph's nodes
    refused = app.client.post(
        f"{API}/import",
        params={"replace": "true", "format": "bundle"},
        content=only_ties.model_dump_json(),
        headers=app.auth(Role.ADMIN),
    )
    assert refused.status_code == 422, refused.text
    assert "nothing was written" in refused.json()["detail"]
    assert seeded_store.snapshot() == before
    replaced = app.client.post(
        f"{API}/import",
        params={"replace": "true", "format": "bundle"},
        content=part.model_dump_json(),
        headers=app.auth(Role.ADMIN),
    )
    assert replaced.status_code == 200, replaced.text
    assert seeded_store.snapshot() == part  # the region alone: the rest is gone


def test_region_export_is_the_region_snapshot(seeded_store: Store) -> None:
    part = seeded_store.snapshot(BANJAR)
    graph = nx.node_link_graph(json.loads(export_bytes(part, Format.JSON)), edges="edges")
    innovations = [n for n, d in graph.nodes(data=True) if d["node_type"] == "innovation"]
    assert len(innovations) == len(part.innovations) == 54
    assert all(graph.nodes[n]["region"].startswith(BANJAR) for n in innovations)


def test_graphml_is_a_directed_multigraph_with_typed_attributes(seed: GraphData) -> None:
    text = export_bytes(seed, Format.GRAPHML).decode()
    assert 'edgedefault="directed"' in text
    _assert_typed(nx.parse_graphml(text, force_multigraph=True), seed)
    # a partnership and a unit link between the same two actors are two parallel edges
    pair = GraphData.model_validate(
        {
            "actors": [
                {"id": "a", "name": "A", "helix": "government", "region": "63.03"},
                {"id": "b", "name": "B", "helix": "government", "region": "63.03"},
            ],
            "partnerships": [{"source_id": "a", "target_id": "b", "since": "2024-01-01"}],
            "part_of": [{"child_id": "a", "parent_id": "b"}],
        }
    )
    graph = nx.parse_graphml(export_bytes(pair, Format.GRAPHML).decode())
    assert graph.is_directed() and graph.is_multigraph()
    assert sorted(d["edge_type"] for d in graph["actor:a"]["actor:b"].values()) == [
        "part_of",
        "partners_with",
    ]


def test_gexf_has_typed_attributes_and_helix_colours(seed: GraphData) -> None:
    graph = nx.read_gexf(io.BytesIO(export_bytes(seed, Format.GEXF)))
    assert graph.is_directed()
    _assert_typed(graph, seed)
    actor = seed.actors[0]
    colour = graph.nodes[f"actor:{actor.id}"]["viz"]["color"]
    assert (colour["r"], colour["g"], colour["b"]) == rgb(HELIX_COLOURS[actor.helix][0])
    assert graph.nodes[f"actor:{actor.id}"]["label"] == actor.name


def test_node_link_json_and_csv_zip_hold_the_same_graph(seed: GraphData) -> None:
    graph = nx.node_link_graph(json.loads(export_bytes(seed, Format.JSON)), edges="edges")
    _assert_typed(graph, seed)
    with zipfile.ZipFile(io.BytesIO(export_bytes(seed, Format.CSV))) as archive:
        assert sorted(archive.namelist()) == ["edges.csv", "nodes.csv"]
        nodes = list(csv.DictReader(io.StringIO(archive.read("nodes.csv").decode())))
        edges = list(csv.DictReader(io.StringIO(archive.read("edges.csv").decode())))
    assert len(nodes) == graph.number_of_nodes() and len(edges) == graph.number_of_edges()
    assert {"id", "node_type", "label", "helix", "origin", "digital", "tags"} <= set(nodes[0])
    assert {"source", "target", "edge_type", "role", "strength", "since"} <= set(edges[0])


def _assert_typed(graph: nx.MultiDiGraph, seed: GraphData) -> None:
    counts = seed.counts()
    types = nx.get_node_attributes(graph, "node_type")
    assert sum(t == "innovation" for t in types.values()) == counts["innovations"]
    assert sum(t == "actor" for t in types.values()) == counts["actors"]
    assert sum(t == "region" for t in types.values()) == counts["regions"]
    edge_types = [d["edge_type"] for _, _, d in graph.edges(data=True)]
    assert edge_types.count("collaborates_on") == counts["collaborations"]
    assert edge_types.count("partners_with") == counts["partnerships"]
    assert edge_types.count("part_of") == counts["part_of"]
    assert edge_types.count("builds_on") == counts["builds_on"]
    tie = seed.collaborations[0]
    data = graph.get_edge_data(f"actor:{tie.actor_id}", f"innovation:{tie.innovation_id}")
    ties = data.values() if graph.is_multigraph() else [data]
    (attrs,) = [d for d in ties if d["edge_type"] == "collaborates_on"]
    assert attrs["strength"] == tie.strength and type(attrs["strength"]) is int
    assert attrs["role"] == tie.role.value and attrs["since"] == tie.since.isoformat()
    innovation = next(i for i in seed.innovations if i.tags)
    node = graph.nodes[f"innovation:{innovation.id}"]
    assert node["digital"] is innovation.digital
    assert node["origin"] == innovation.origin.value
    assert node["tags"] == ";".join(innovation.tags)
    actor = seed.actors[0]
    assert graph.nodes[f"actor:{actor.id}"]["helix"] in set(Helix)


def test_metrics_are_added_to_innovation_nodes_and_ignored_on_import(
    seeded_store: Store, make_app: MakeApp
) -> None:
    app = make_app()
    response = app.client.get(f"{API}/export", params={"format": "graphml", "metrics": "true"})
    graph = nx.parse_graphml(response.text)
    node = graph.nodes["innovation:geolasting"]
    assert 0 <= node["coverage"] <= 6 and 0 <= node["sustainability_index"] <= 100
    assert isinstance(node["under_connected"], bool)
    assert read_graph(response.content, Format.GRAPHML).data == seeded_store.snapshot()


def test_metrics_reach_actor_nodes_and_follow_at(seeded_store: Store, make_app: MakeApp) -> None:
    app = make_app()

    def exported(**params: str) -> nx.MultiDiGraph:
        answer = app.client.get(
            f"{API}/export", params={"format": "graphml", "metrics": "true", **params}
        )
        assert answer.status_code == 200, answer.text
        return nx.parse_graphml(answer.text)

    today = exported()
    dinkes = today.nodes["actor:dinkes-banjar"]
    assert dinkes["degree"] > 0 and 0 <= dinkes["betweenness"] <= 1 and "pagerank" in dinkes
    long_ago = exported(at="2000-01-01")
    assert long_ago.nodes["actor:dinkes-banjar"]["degree"] < dinkes["degree"]
    # Before it started an innovation has no metrics at all (or none of its kinds covered).
    assert long_ago.nodes["innovation:geolasting"].get("coverage", 0) == 0
    assert today.nodes["innovation:geolasting"]["coverage"] > 0


def test_format_is_guessed_from_content(seed: GraphData) -> None:
    for fmt in (Format.GRAPHML, Format.GEXF, Format.CSV, Format.JSON):
        assert detect_format("", export_bytes(seed, fmt)) is fmt
    with pytest.raises(Invalid):
        detect_format("notes.txt", b"hello")


# -- bad files -----------------------------------------------------------------------------
def _tiny() -> GraphData:
    return GraphData.model_validate(
        {
            "actors": [{"id": "a", "name": "A", "helix": "government", "region": "63.03"}],
            "innovations": [{"id": "i", "name": "I", "origin": "kecamatan", "region": "63.03"}],
            "collaborations": [
                {"actor_id": "a", "innovation_id": "i", "role": "initiator", "since": "2025-01-01"}
            ],
        }
    )


def test_graphml_with_a_bad_value_names_the_node_and_field() -> None:
    text = export_bytes(_tiny(), Format.GRAPHML).decode().replace(">government<", ">aliens<")
    with pytest.raises(Invalid) as caught:
        read_graph(text.encode(), Format.GRAPHML)
    assert any(
        p.startswith("graphml node 'actor:a', field helix:") and "aliens" in p
        for p in caught.value.problems
    ), caught.value.problems


def test_gexf_edge_of_the_wrong_kind_is_named() -> None:
    graph = to_networkx(_tiny())
    graph.add_edge("innovation:i", "actor:a", key="x", edge_type="collaborates_on", role="funder")
    content = "\n".join(nx.generate_gexf(graph)).encode()
    with pytest.raises(Invalid) as caught:
        read_graph(content, Format.GEXF)
    assert caught.value.problems == [
        "gexf edge 'innovation:i' -> 'actor:a': a collaborates_on edge goes from a actor to a"
        " innovation"
    ]


def _zip(nodes: str, edges: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("nodes.csv", nodes)
        archive.writestr("edges.csv", edges)
    return buffer.getvalue()


def test_csv_problems_name_file_line_and_field() -> None:
    content = _zip(
        "id,node_type,name,helix,region,origin\n"
        "actor:a,actor,A,government,63.03,\n"
        "actor:b,actor,B,aliens,63.03,\n"
        "innovation:i,innovation,I,,63.03,kecamatan\n",
        "source,target,edge_type,role,strength,since\n"
        "actor:a,innovation:i,collaborates_on,initiator,7,2025-01-01\n",
    )
    with pytest.raises(Invalid) as caught:
        read_graph(content, Format.CSV)
    problems = caught.value.problems
    assert any(
        p.startswith("nodes.csv line 3 (node 'actor:b'), field helix:") and "'aliens'" in p
        for p in problems
    ), problems
    edge = "edges.csv line 2 ('actor:a' -> 'innovation:i'), field strength:"
    assert any(p.startswith(edge) and "(got '7')" in p for p in problems), problems


def test_unresolved_reference_is_named_and_nothing_is_written(
    store: Store, make_app: MakeApp
) -> None:
    app = make_app()
    content = _zip(
        "id,node_type,name,helix,region,origin\n"
        "actor:a,actor,A,government,63.03,\n"
        "innovation:i,innovation,I,,63.03,kecamatan\n",
        "source,target,edge_type,role,since\n"
        "actor:a,innovation:i,collaborates_on,initiator,2025-01-01\n"
        "actor:ghost,innovation:i,collaborates_on,funder,2025-01-01\n",
    )
    response = app.client.post(
        f"{API}/import", params={"format": "csv"}, content=content, headers=app.auth(Role.ADMIN)
    )
    assert response.status_code == 422
    assert any(
        p.startswith("edges.csv line 3") and "ghost" in p for p in response.json()["problems"]
    ), response.json()
    assert store.is_empty()


@pytest.mark.parametrize(
    ("fmt", "content", "expected"),
    [
        (
            "graphml",
            b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>'
            b"<graphml><graph>&lol2;</graph></graphml>",
            "refused",
        ),
        (
            "gexf",
            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
            b"<gexf>&xxe;</gexf>",
            "refused",
        ),
        ("graphml", b"<graphml><graph", "not well-formed"),
        ("gexf", b"<gexf><graph><nodes><node/></nodes></graph></gexf>", "not a readable graph"),
        ("csv", b"PK\x03\x04 broken", "not a zip"),
        ("csv", _zip("id,node_type\n", "source,target\n"), "edges.csv: missing column"),
        ("json", b"[1, 2]", "expected a JSON object"),
        ("json", b'{"nodes": [{"name": 1}], "edges": []}', "nodes[0]"),
        ("bundle", b'{"actors": [{"id": "A!"}]}', "bundle: actors[0] (actor 'A!'), field id"),
        ("bundle", b'{"actor": []}', "'actor' is not a section of a bundle"),
    ],
)
def test_malformed_and_hostile_files_are_422(
    store: Store, make_app: MakeApp, fmt: str, content: bytes, expected: str
) -> None:
    app = make_app()
    response = app.client.post(
        f"{API}/import", params={"format": fmt}, content=content, headers=app.auth(Role.ADMIN)
    )
    assert response.status_code == 422, response.text
    assert expected in json.dumps(response.json()), response.json()
    assert store.is_empty()


def _exported_graph(seed: GraphData, fmt: Format) -> nx.MultiDiGraph:
    """What another tool reads from an export (the CSV zip as its two tables)."""
    content = export_bytes(seed, fmt)
    if fmt is Format.GRAPHML:
        return nx.parse_graphml(content.decode(), force_multigraph=True)
    if fmt is Format.GEXF:
        return nx.read_gexf(io.BytesIO(content))
    if fmt is Format.JSON:
        return nx.node_link_graph(json.loads(content), edges="edges")
    graph = nx.MultiDiGraph()
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for row in csv.DictReader(io.StringIO(archive.read("nodes.csv").decode())):
            graph.add_node(row.pop("id"), **{k: v for k, v in row.items() if v})
        for row in csv.DictReader(io.StringIO(archive.read("edges.csv").decode())):
            graph.add_edge(
                row.pop("source"), row.pop("target"), **{k: v for k, v in row.items() if v}
            )
    return graph


@pytest.mark.parametrize("fmt", [f for f in FILE_FORMATS if f is not Format.BUNDLE])
def test_exports_keep_both_marks(seed: GraphData, fmt: Format) -> None:
    """Nodes say whether they are reported or invented (and assumed portfolio membership);
    ties give their source and, read from it, their provenance, as the answers do."""
    graph = _exported_graph(seed, fmt)
    assert graph.nodes["innovation:geolasting"]["provenance"] == "reported"
    assert graph.nodes["innovation:geolasting"]["membership"] == "assumed"
    assert graph.nodes["innovation:si-rantang"]["provenance"] == "illustrative"
    assert graph.nodes["actor:universitas-a"]["provenance"] == "illustrative"
    marks = {
        (d["provenance"], d["provenance_source"] == "illustrative")
        for _, _, d in graph.edges(data=True)
        if d["edge_type"] in ("collaborates_on", "partners_with", "builds_on")
    }
    assert marks == {("reported", False), ("illustrative", True)}
    data = graph.get_edge_data("actor:bkkbn-kalsel", "innovation:geolasting")
    reported = list(data.values()) if graph.is_multigraph() else [data]
    assert [d["provenance"] for d in reported] == ["reported"]
    assert all("17229" in d["provenance_source"] for d in reported)


def test_the_documented_export_example_is_what_the_exporter_makes() -> None:
    """`GET /export`'s example is written out (the app would import networkx to make it): it
    must stay the exporter's output for the record models' first examples."""
    records = GraphData.model_validate(
        {
            "actors": model_examples(Actor)[:1],
            "innovations": model_examples(Innovation)[:1],
            "collaborations": model_examples(Collaboration)[:1],
        }
    )
    assert json.loads(export_bytes(records, Format.JSON)) == NODE_LINK_EXAMPLE
