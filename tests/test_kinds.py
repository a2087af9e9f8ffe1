"""The registry of record kinds agrees with the models it describes."""

from __future__ import annotations

from graph.bundle import CSV_FILES, load_seed
from graph.formats import EDGE_TYPES, NODE_SECTIONS
from graph.kinds import KINDS
from graph.kinds import NODE_SECTIONS as NODE_KINDS
from graph.models import GraphData
from graph.provenance import reported_part
from graph.vocab import Label, Provenance, RelType


def test_every_graph_section_is_one_kind_in_load_order() -> None:
    assert [kind.section for kind in KINDS] == list(GraphData.model_fields)
    assert list(CSV_FILES) == list(GraphData.model_fields)


def test_keys_and_references_are_fields_of_the_model() -> None:
    for kind in KINDS:
        fields = kind.model.model_fields
        assert set(kind.key) <= set(fields), kind.section
        assert {ref.field for ref in kind.references} <= set(fields), kind.section
        loaded_before = {k.section for k in KINDS[: KINDS.index(kind)]}
        assert {NODE_KINDS[ref.node].section for ref in kind.references} <= loaded_before


def test_labels_come_from_the_closed_vocabularies() -> None:
    for kind in KINDS:
        closed = RelType if kind.tie else Label
        assert kind.label in {member.value for member in closed}, kind.section
        assert len(kind.ends) == (2 if kind.tie else 0)


def test_formats_read_node_and_edge_types_from_the_registry() -> None:
    assert set(NODE_SECTIONS) == {"region", "actor", "innovation"}
    assert set(EDGE_TYPES) == {"collaborates_on", "partners_with", "part_of", "builds_on"}


def test_the_reported_part_keeps_every_tie_kind() -> None:
    # Every node reported and every tie citing a source: nothing of any kind is left out.
    seed = load_seed()
    nodes = {"provenance": Provenance.REPORTED, "source": "a public report"}
    data = GraphData(
        regions=seed.regions,
        actors=[a.model_copy(update=nodes) for a in seed.actors],
        innovations=[i.model_copy(update=nodes) for i in seed.innovations],
        **{
            kind.section: [
                t.model_copy(
                    update={"source": "a public report"} if "source" in type(t).model_fields else {}
                )
                for t in getattr(seed, kind.section)
            ]
            for kind in KINDS
            if kind.tie
        },
    )
    assert all(
        getattr(data, kind.section) for kind in KINDS if kind.tie
    )  # on purpose: the seed has each kind
    assert reported_part(data).counts() == data.counts()
