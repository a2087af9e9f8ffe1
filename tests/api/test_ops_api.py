"""Liveness, readiness and metrics (the OpenAPI document: test_openapi_docs.py)."""

from fastapi.testclient import TestClient


def test_health_ready_and_metrics(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["status"] == "ready"
    client.get("/api/v1/actors")
    metrics = client.get("/metrics").text
    assert 'hexahelix_requests_total{method="GET",route="/api/v1/actors",status="200"}' in metrics
