"""Liveness, readiness, metrics and the OpenAPI document."""

from fastapi.testclient import TestClient


def test_health_ready_and_metrics(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["status"] == "ready"
    client.get("/api/v1/actors")
    metrics = client.get("/metrics").text
    assert 'hexahelix_requests_total{method="GET",route="/api/v1/actors",status="200"}' in metrics


def test_every_route_is_documented(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            assert operation.get("summary"), f"{method.upper()} {path} has no summary"
            assert operation.get("description"), f"{method.upper()} {path} has no description"
