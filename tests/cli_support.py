"""Running the `hexahelix` command line on a test's store, and checking how it refuses."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import neo4j_server


def cli_env(kind: str, data_dir: Path) -> dict[str, str]:
    env = {**os.environ, "HEXAHELIX_STORE": kind, "HEXAHELIX_DATA_DIR": str(data_dir)}
    if kind == "neo4j":
        server = neo4j_server()
        env |= {"NEO4J_URI": server.uri, "NEO4J_USER": server.user}
        env["NEO4J_PASSWORD"] = server.password
    return env


def run_cli(kind: str, data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "service.cli", *args],
        capture_output=True,
        text=True,
        env=cli_env(kind, data_dir),
        timeout=300,
    )


def assert_one_line_refusal(
    result: subprocess.CompletedProcess[str], path: Path, *words: str
) -> None:
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    # one error line (after the line naming the store a command uses)
    errors = [line for line in result.stderr.splitlines() if not line.startswith("store: ")]
    assert len(errors) == 1 and errors[0].startswith("error: "), result.stderr
    assert str(path) in errors[0]
    for word in words:
        assert word in errors[0]


def damage(path: Path) -> None:
    """Overwrite one page in the middle of a database file with garbage."""
    with path.open("r+b") as file:
        file.seek(4096 * 5)
        file.write(os.urandom(4096))
