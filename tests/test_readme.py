"""The README's examples, run as written: the `curl` lines of "The API at a glance" against a
server started the way a new user starts one (`hexahelix seed`, then `hexahelix serve`, in a
fresh folder), each answering JSON that is not an error, with the figures its comment promises.

Not run here: `make run`/`make test` (they are the whole install and the whole suite), docker
compose and `scripts/neo4j-local` (they need Docker or a Neo4j download), and the long fuzz run.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

README = Path(__file__).resolve().parents[1] / "README.md"
HEXAHELIX = str(Path(sys.executable).with_name("hexahelix"))
CURL = re.compile(r"^curl .*'http://127\.0\.0\.1:8000(?P<path>/[^']*)'.*$", re.MULTILINE)


def readme_curls() -> list[str]:
    """Every `curl` line of the README's shell blocks."""
    blocks = re.findall(r"```sh\n(.*?)```", README.read_text(encoding="utf-8"), re.DOTALL)
    return [m.group(0) for block in blocks for m in CURL.finditer(block)]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    folder = tmp_path_factory.mktemp("newcomer")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HEXAHELIX_", "NEO4J_"))}
    seeded = subprocess.run(
        [HEXAHELIX, "seed", "--if-empty"], cwd=folder, env=env, capture_output=True, text=True
    )
    assert seeded.returncode == 0, seeded.stderr
    port = _free_port()
    server = subprocess.Popen(
        [HEXAHELIX, "serve", "--port", str(port)],
        cwd=folder,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert server.poll() is None and time.monotonic() < deadline, "serve did not start"
            time.sleep(0.2)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_the_readme_has_curl_examples() -> None:
    assert len(readme_curls()) >= 3


@pytest.mark.parametrize("line", readme_curls())
def test_a_readme_curl_example_answers_as_promised(served: int, line: str) -> None:
    command = line.replace("127.0.0.1:8000", f"127.0.0.1:{served}")
    result = subprocess.run(["bash", "-c", command], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip(), command
    if "| head" in command:  # a cut excerpt: only its start can be checked
        assert result.stdout.lstrip().startswith("{"), result.stdout[:200]
        return
    body = json.loads(result.stdout)
    assert "detail" not in body, body
    promised = re.search(r"#\s*total:\s*(\d+)", line)
    if promised:
        assert body["total"] == int(promised.group(1))
