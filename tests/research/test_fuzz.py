"""Schemathesis against the app's own OpenAPI spec: no 5xx for any input, and every response
matches its documented status, content type, headers and schema.

The app runs over an embedded store seeded with Banjar, with auth on and an admin key for the
fuzzer (so writes and imports are exercised too). Bounded here (15 examples per operation); a
longer run: `HEXAHELIX_FUZZ_EXAMPLES=500 .venv/bin/pytest tests/research/test_fuzz.py`.

The schema is built when the module is collected: schemathesis' lazy `from_fixture` loader does
not work with pytest 9 (it sets a private node attribute that no longer exists).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import checks

from graph.bundle import load_seed
from graph.embedded import EmbeddedStore
from service.access import AccessStore, Role
from service.app import create_app
from service.settings import Settings

# What the service promises: no 5xx, and responses as documented. Left out: the checks that a
# schema-valid request is accepted and a schema-violating one refused (business rules refuse
# valid-looking bodies with 422, e.g. an actor partnering itself, and `at=0` is a date to pydantic),
# and the `Allow` header of 405s (FastAPI lists only the methods of the route that matched).
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_headers_conformance,
    checks.response_schema_conformance,
]
EXAMPLES = int(os.environ.get("HEXAHELIX_FUZZ_EXAMPLES", "15"))

_workdir = tempfile.TemporaryDirectory(prefix="hexahelix-fuzz-")
_data_dir = Path(_workdir.name)
_store = EmbeddedStore(_data_dir)
_store.load(load_seed())
_config = Settings(data_dir=_data_dir, rate_limit_per_minute=0)
ADMIN = {
    "Authorization": "Bearer "
    + AccessStore(_config.access_db_path()).create_key("fuzzer", Role.ADMIN)
}
schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(_config, store=_store))


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_api_honours_its_spec(case: schemathesis.Case) -> None:
    if case.path == "/api/v1/cypher":
        # On the embedded store Cypher answers its documented 501 (the hostile-query corpus in
        # tests/neo4j runs it against a real Neo4j); besides, only 400 (unparseable body), 405 and
        # 422 are expected.
        response = case.call_and_validate(headers=ADMIN, checks=CHECKS[1:])
        assert response.status_code in (400, 405, 422, 501), response.text
        return
    case.call_and_validate(headers=ADMIN, checks=CHECKS)
