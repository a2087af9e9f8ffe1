"""Every tie an answer contains carries its provenance: walked over the OpenAPI document."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

# Properties that make a schema a tie (or a link resting on ties) when a response holds it.
TIE_MARKS = (
    {"role", "strength"},  # an actor-innovation tie
    {"source_id", "target_id"},  # a partnership
    {"innovation_id", "base_id"},  # a builds-on link
    {"shared_innovations"},  # a link resting on shared innovations
    {"evidence"},  # a link listing the ties it rests on
    {"source", "target", "type"},  # an ego-network edge
    {"partnership", "innovations"},  # what two actors have in common
)
# Owners' declarations awaiting curation (issue 12): claims, not ties of the graph yet; they
# become reported ties, with their source, when a curator accepts them.
PROPOSALS = {"DeclaredTie-Output", "DiffItem"}


def _refs(node: Any) -> set[str]:
    """Names of the component schemas `node` refers to, directly or nested."""
    found: set[str] = set()
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
            found.add(ref.rsplit("/", 1)[1])
        for value in node.values():
            found |= _refs(value)
    elif isinstance(node, list):
        for value in node:
            found |= _refs(value)
    return found


def response_schemas(doc: dict[str, Any]) -> set[str]:
    """Every component schema reachable from a response of any operation."""
    schemas = doc["components"]["schemas"]
    todo: set[str] = set()
    for operations in doc["paths"].values():
        for operation in operations.values():
            if isinstance(operation, dict):
                todo |= _refs(operation.get("responses", {}))
    seen: set[str] = set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        todo |= _refs(schemas[name]) - seen
    return seen


def is_tie(schema: dict[str, Any]) -> bool:
    props = set(schema.get("properties", {}))
    return any(mark <= props for mark in TIE_MARKS)


def test_every_tie_schema_in_a_response_has_provenance(seeded: TestClient) -> None:
    doc = seeded.get("/openapi.json").json()
    schemas = doc["components"]["schemas"]
    ties = {n for n in response_schemas(doc) - PROPOSALS if is_tie(schemas[n])}
    # the walk finds the ties it must (not a vacuous pass)
    assert {
        "CollaboratorTie",
        "Partner",
        "CommonGround",
        "Hop",
        "EgoEdge",
        "Recommendation",
    } <= ties, ties
    assert any(name.startswith("CollaborationOut") for name in ties), ties
    assert any(name.startswith("PartnershipOut") for name in ties), ties
    missing = sorted(n for n in ties if "provenance" not in schemas[n].get("properties", {}))
    assert not missing, f"tie schemas without provenance: {missing}"
    # a tie's source is given too (an ego edge's `source` names its end: provenance_source)
    for name in ties:
        props = schemas[name]["properties"]
        assert {"source", "sources", "evidence", "provenance_source"} & set(props), name


def test_critical_actors_and_nodes_carry_provenance(seeded: TestClient) -> None:
    doc = seeded.get("/openapi.json").json()
    schemas = doc["components"]["schemas"]
    for name in (
        "CriticalActor",
        "InnovationMetrics",
        "ActorMetrics",
        "EgoNode",
        "Innovation",
        "Broker",
    ):
        assert "provenance" in schemas[name]["properties"], name
    assert {"provenance", "source"} <= set(schemas["CriticalActor"]["properties"])
    assert "data_completeness" in schemas["InnovationMetrics"]["properties"]


def test_answers_mark_each_tie(seeded: TestClient) -> None:
    """The seed's answers say which ties are invented, and what a reported one cites."""
    ties = seeded.get("/api/v1/innovations/geolasting/collaborators").json()
    listed = [t for group in ties["by_helix"].values() for t in group]
    by_actor = {t["actor_id"]: t for t in listed}
    assert by_actor["bkkbn-kalsel"]["provenance"] == "reported"
    assert "17229" in by_actor["bkkbn-kalsel"]["source"]
    assert {t["provenance"] for t in listed} == {"reported", "illustrative"}
    assert all(
        (t["source"] == "illustrative") == (t["provenance"] == "illustrative") for t in listed
    )
    common = seeded.get("/api/v1/actors/baznas-banjar/common/bkkbn-kalsel").json()
    assert common["innovations"] == ["geolasting"]
    assert common["provenance"] == "reported"
    assert common["evidence"][0]["provenance"] == "reported"
    page = seeded.get("/api/v1/collaborations", params={"innovation_id": "geolasting"}).json()
    assert {t["provenance"] for t in page["items"]} == {"reported", "illustrative"}
    ego = seeded.get("/api/v1/innovations/geolasting/ego", params={"depth": 1}).json()
    assert all(e["provenance"] in ("reported", "illustrative") for e in ego["edges"])
    centre = next(n for n in ego["nodes"] if n["distance"] == 0)
    assert centre["provenance"] == "reported"


# Properties an answer gives whenever its schema has them: what makes provenance visible.
PROVENANCE_MARKS = ("provenance", "evidence", "data_completeness", "illustrative")


def _resolve(schema: dict[str, Any], schemas: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref")
    return _resolve(schemas[ref.rsplit("/", 1)[1]], schemas) if isinstance(ref, str) else schema


def _options(schema: dict[str, Any], schemas: dict[str, Any]) -> list[dict[str, Any]]:
    """The object schemas a value of `schema` may be (anyOf/oneOf/allOf unfolded)."""
    schema = _resolve(schema, schemas)
    found: list[dict[str, Any]] = []
    for key in ("anyOf", "oneOf", "allOf"):
        for option in schema.get(key, []):
            found += _options(option, schemas)
    return found or [schema]


def unmarked(value: Any, schema: dict[str, Any], schemas: dict[str, Any], at: str) -> list[str]:
    """Places in an example where the schema has a provenance mark the example leaves out."""
    problems: list[str] = []
    for option in _options(schema, schemas):
        if isinstance(value, dict) and "properties" in option:
            props = option["properties"]
            problems += [f"{at}.{m}" for m in PROVENANCE_MARKS if m in props and m not in value]
            for key, item in value.items():
                if key in props:
                    problems += unmarked(item, props[key], schemas, f"{at}.{key}")
        elif isinstance(value, dict) and isinstance(option.get("additionalProperties"), dict):
            for key, item in value.items():
                problems += unmarked(item, option["additionalProperties"], schemas, f"{at}.{key}")
        elif isinstance(value, list) and isinstance(option.get("items"), dict):
            for k, item in enumerate(value):
                problems += unmarked(item, option["items"], schemas, f"{at}[{k}]")
    return problems


def test_every_example_shows_provenance_as_answers_do(seeded: TestClient) -> None:
    """An example of a response schema gives provenance (and evidence, completeness, the
    illustrative share) wherever the schema has it: examples teach what answers look like."""
    doc = seeded.get("/openapi.json").json()
    schemas = doc["components"]["schemas"]
    checked = 0
    problems: list[str] = []
    for name in sorted(response_schemas(doc) - PROPOSALS):
        for k, example in enumerate(schemas[name].get("examples", [])):
            checked += 1
            problems += unmarked(example, schemas[name], schemas, f"{name}[{k}]")
    assert checked > 20  # not a vacuous pass
    assert not problems, problems
