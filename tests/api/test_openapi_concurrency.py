"""The OpenAPI document states the concurrency headers: `Idempotency-Key` (and its 409/422 and
`Idempotency-Replayed`) on every POST under /api/, `If-Match` with 412 and 428 on every PATCH and
DELETE of a record, and `ETag` on the answers that carry one record."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from graph.embedded import EmbeddedStore
from service.app import create_app
from service.settings import Settings

RECORD_PATHS = (
    "/api/v1/innovations/{innovation_id}",
    "/api/v1/actors/{actor_id}",
    "/api/v1/collaborations/{actor_id}/{innovation_id}",
    "/api/v1/partnerships/{source_id}/{target_id}",
)


@pytest.fixture(scope="module")
def spec(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    data_dir: Path = tmp_path_factory.mktemp("openapi")
    document: dict[str, Any] = create_app(
        Settings(data_dir=data_dir), store=EmbeddedStore(data_dir)
    ).openapi()
    return document


def header(operation: dict[str, Any], name: str) -> dict[str, Any] | None:
    return next(
        (p for p in operation.get("parameters", []) if p["in"] == "header" and p["name"] == name),
        None,
    )


def test_every_api_post_documents_its_idempotency_key(spec: dict[str, Any]) -> None:
    posts = [
        (path, methods["post"])
        for path, methods in spec["paths"].items()
        if path.startswith("/api/") and "post" in methods
    ]
    assert len(posts) > 10
    for path, operation in posts:
        key = header(operation, "Idempotency-Key")
        assert key is not None and not key["required"], path
        assert "same" in key["description"], path
        assert "Idempotency-Key" in operation["responses"]["409"]["description"], path
        assert "Idempotency-Key" in operation["responses"]["422"]["description"], path
        success = [r for code, r in operation["responses"].items() if code.startswith("2")]
        assert all("Idempotency-Replayed" in r.get("headers", {}) for r in success), path


def test_record_writes_document_if_match_412_and_428(spec: dict[str, Any]) -> None:
    for path in RECORD_PATHS:
        for method in ("patch", "delete"):
            operation = spec["paths"][path][method]
            if_match = header(operation, "If-Match")
            assert if_match is not None and not if_match["required"], (method, path)
            assert "412" in if_match["description"] and "428" in if_match["description"]
            refused = operation["responses"]["412"]
            body = refused["content"]["application/json"]["schema"]["$ref"]
            assert body.endswith("/PreconditionBody"), (method, path)
            assert "ETag" in refused["description"]
            assert "If-Match" in operation["responses"]["428"]["description"]
        for method, status in (("get", "200"), ("patch", "200")):
            answer = spec["paths"][path][method]["responses"][status]
            assert "ETag" in answer["headers"], (method, path)
    etag = spec["components"]["schemas"]["PreconditionBody"]["properties"]["etag"]
    assert etag["description"]
