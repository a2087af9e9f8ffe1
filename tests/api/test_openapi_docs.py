"""The OpenAPI document is complete: every operation has a summary and a description, every
property of every schema is described, every JSON body a route takes or returns (200/201) has
an example, and every model-level example is valid against its own schema.

The document does not depend on the store kind, so it is built once over an embedded store
rather than through the `client` fixture (which runs each test on every store kind).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema_rs  # comes with schemathesis (dev dependency)
import pytest

from graph.embedded import EmbeddedStore
from graph.kinds import KINDS
from service.app import create_app
from service.settings import Settings

Spec = dict[str, Any]
JSON = "application/json"

# Request bodies that are files rather than JSON documents: `POST /import` takes any export
# format (GraphML, GEXF, a CSV zip, node-link JSON, a bundle) as raw bytes, documented as binary
# under each media type; an example would be a whole file.
FILE_BODIES = {("post", "/api/v1/import")}


@pytest.fixture(scope="module")
def spec(tmp_path_factory: pytest.TempPathFactory) -> Spec:
    data_dir: Path = tmp_path_factory.mktemp("openapi")
    document: Spec = create_app(
        Settings(data_dir=data_dir), store=EmbeddedStore(data_dir)
    ).openapi()
    return document


def operations(spec: Spec) -> Iterator[tuple[str, str, Spec]]:
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            yield method, path, operation


def resolve(spec: Spec, schema: Spec) -> Spec:
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def has_example(spec: Spec, schema: Spec) -> bool:
    """An example on the schema, on one of its properties, or on the items of a list."""
    schema = resolve(spec, schema)
    if "example" in schema or "examples" in schema:
        return True
    if any(has_example(spec, option) for option in schema.get("anyOf", [])):
        return True
    if schema.get("type") == "array" and "items" in schema:
        return has_example(spec, schema["items"])
    return any("examples" in p or "example" in p for p in schema.get("properties", {}).values())


def test_every_route_is_documented(spec: Spec) -> None:
    for method, path, operation in operations(spec):
        assert operation.get("summary"), f"{method.upper()} {path} has no summary"
        assert operation.get("description"), f"{method.upper()} {path} has no description"


def test_every_schema_property_is_described(spec: Spec) -> None:
    missing = [
        f"{name}.{prop}"
        for name, schema in spec["components"]["schemas"].items()
        for prop, definition in schema.get("properties", {}).items()
        if not definition.get("description")
    ]
    assert not missing, f"properties without a description: {missing}"


def test_fastapis_unused_validation_schemas_are_dropped(spec: Spec) -> None:
    # Every 422 is documented as an ErrorBody (service.security), so FastAPI's own models of it
    # would be dead weight in the document.
    schemas = spec["components"]["schemas"]
    assert "HTTPValidationError" not in schemas
    assert "ValidationError" not in schemas
    assert "ErrorBody" in schemas


def test_every_json_body_has_an_example(spec: Spec) -> None:
    bodies = 0
    missing = []
    for method, path, operation in operations(spec):
        media: list[tuple[str, Spec]] = []
        request = operation.get("requestBody", {}).get("content", {})
        if JSON in request and (method, path) not in FILE_BODIES:
            media.append(("request body", request[JSON]))
        for status in ("200", "201"):
            content = operation.get("responses", {}).get(status, {}).get("content", {})
            if JSON in content:
                media.append((f"{status} response", content[JSON]))
        for what, entry in media:
            bodies += 1
            if "example" in entry or "examples" in entry:
                continue
            if not has_example(spec, entry.get("schema", {})):
                missing.append(f"{method.upper()} {path} {what}")
    assert bodies > 50, "the check found too few JSON bodies to be looking at the right spec"
    assert not missing, f"JSON bodies without an example: {missing}"


def test_model_examples_match_their_schemas(spec: Spec) -> None:
    # FastAPI leaves null values out of the published examples (`exclude_none`), so a required
    # nullable field needs a non-null value in an example to keep the example valid here.
    components = spec["components"]
    checked = 0
    for name, schema in components["schemas"].items():
        validator = jsonschema_rs.Draft202012Validator(
            {"$ref": f"#/components/schemas/{name}", "components": components}
        )
        for example in schema.get("examples", []):
            errors = [f"{e.instance_path}: {e.message}" for e in validator.iter_errors(example)]
            assert not errors, f"example of {name} does not match its schema: {errors}"
            checked += 1
    assert checked >= 20


def test_media_type_examples_are_json(spec: Spec) -> None:
    for method, path, operation in operations(spec):
        for status, response in operation.get("responses", {}).items():
            example = response.get("content", {}).get(JSON, {}).get("example")
            if example is not None:
                assert json.loads(json.dumps(example)) == example, f"{method} {path} {status}"


def test_export_names_every_edge_type_of_the_registry(spec: Spec) -> None:
    described = spec["paths"]["/api/v1/export"]["get"]["description"]
    assert all(f"`{kind.name}`" in described for kind in KINDS if kind.tie)
