"""docker-compose.yml: Neo4j, one worker and two API replicas sharing one results volume.

No Docker engine runs the tests, so the file's structure is checked here: the services, the
roles (the API processes read, the worker computes), the shared data volume, that every
`hexahelix` command it runs parses in the CLI, and that every HEXAHELIX_ variable is a setting.
"""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Any

import yaml

from service.cli import _parser
from service.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
COMPOSE: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES: dict[str, dict[str, Any]] = COMPOSE["services"]
APIS = ["api", "api-2"]


def commands(service: dict[str, Any]) -> list[list[str]]:
    """The hexahelix command lines a service runs (through `sh -c` or directly)."""
    command = service["command"]
    lines = [command[2]] if command[:2] == ["sh", "-c"] else [shlex.join(command)]
    found = []
    for line in lines:
        for part in line.split("&&"):
            words = shlex.split(part)
            if words and words[0] == "exec":
                words = words[1:]
            if words and words[0] == "hexahelix":
                found.append(words[1:])
    return found


def test_neo4j_a_worker_and_two_api_replicas() -> None:
    assert {"neo4j", "worker", *APIS} <= set(SERVICES)
    assert [c[0] for c in commands(SERVICES["worker"])] == ["seed", "worker"]
    for name in APIS:
        assert [c[0] for c in commands(SERVICES[name])] == ["serve"]
        assert SERVICES[name]["environment"]["HEXAHELIX_ANALYTICS_COMPUTE"] == "off"
        assert SERVICES[name]["depends_on"]["neo4j"]["condition"] == "service_healthy"
    assert "HEXAHELIX_ANALYTICS_COMPUTE" not in SERVICES["worker"]["environment"]
    published = [SERVICES[name]["ports"][0].rsplit(":", 1)[0] for name in APIS]
    assert len(set(published)) == len(APIS)  # each replica on its own host port


def test_every_process_shares_the_data_volume_and_one_store() -> None:
    for name in ["worker", *APIS]:
        environment = SERVICES[name]["environment"]
        data_dir = environment["HEXAHELIX_DATA_DIR"]
        assert f"hexahelix-data:{data_dir}" in SERVICES[name]["volumes"]
        assert environment["HEXAHELIX_STORE"] == "neo4j"
        assert environment["NEO4J_URI"] == "bolt://neo4j:7687"
    assert "hexahelix-data" in COMPOSE["volumes"]


def test_the_commands_and_settings_exist() -> None:
    parser = _parser()
    for name in ["worker", *APIS]:
        for words in commands(SERVICES[name]):
            parser.parse_args(words)  # exits (SystemExit) on an unknown command or option
        for variable in SERVICES[name]["environment"]:
            if variable.startswith("HEXAHELIX_"):
                assert variable.removeprefix("HEXAHELIX_").lower() in Settings.model_fields
