"""Stores and a service process for the benchmarks: an embedded store in a temporary folder, a
Neo4j server (NEO4J_URI/NEO4J_PASSWORD, or one started with scripts/neo4j-local), and
`hexahelix serve` in a subprocess on a free 127.0.0.1 port."""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from pydantic import SecretStr

from graph.store import Store
from service import compose
from service.settings import Settings, StoreKind

REPO = Path(__file__).resolve().parents[1]
NEO4J_HOME = REPO / ".neo4j-bench"


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@dataclass
class Neo4jServer:
    """Where to reach Neo4j, and whether this run started it (and must stop it)."""

    uri: str
    password: str
    user: str = "neo4j"
    started: bool = False
    env: dict[str, str] = field(default_factory=dict)

    def stop(self) -> None:
        """Stop the server if this run started it."""
        if self.started:
            subprocess.run(
                [str(REPO / "scripts" / "neo4j-local"), "stop"], env=self.env, check=False
            )


def neo4j_server() -> Neo4jServer:
    """The Neo4j of NEO4J_URI/NEO4J_PASSWORD, else a local one started for the benchmark (its
    own home `.neo4j-bench`, reusing the jars of `.neo4j` when present)."""
    uri, password = os.environ.get("NEO4J_URI"), os.environ.get("NEO4J_PASSWORD")
    if uri and password:
        return Neo4jServer(uri, password, os.environ.get("NEO4J_USER", "neo4j"))
    NEO4J_HOME.mkdir(exist_ok=True)
    for part in ("lib", "classes"):
        shared = REPO / ".neo4j" / part
        if shared.is_dir() and not (NEO4J_HOME / part).exists():
            shutil.copytree(shared, NEO4J_HOME / part)
    password = secrets.token_hex(12)
    env = os.environ | {
        "NEO4J_PASSWORD": password,
        "NEO4J_BOLT_PORT": str(free_port()),
        "NEO4J_LOCAL_HOME": str(NEO4J_HOME),
        "NEO4J_LOCAL_HEAP": os.environ.get("NEO4J_LOCAL_HEAP", "3g"),
    }
    out = subprocess.run(
        [str(REPO / "scripts" / "neo4j-local"), "start"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    uri = out.stdout.strip().splitlines()[-1]
    return Neo4jServer(uri, password, started=True, env=env)


def open_store(kind: str, data_dir: Path, neo4j: Neo4jServer | None) -> Store:
    """An embedded store in `data_dir`, or the Neo4j store, opened by the composition root."""
    settings = Settings(store=StoreKind(kind), data_dir=data_dir)
    if settings.store is StoreKind.NEO4J:
        assert neo4j is not None
        settings = settings.model_copy(
            update={
                "neo4j_uri": neo4j.uri,
                "neo4j_user": neo4j.user,
                "neo4j_password": SecretStr(neo4j.password),
                "neo4j_database": "neo4j",
            }
        )
    return compose.open_store(settings)


def server_env(kind: str, data_dir: Path, neo4j: Neo4jServer | None) -> dict[str, str]:
    """Environment of a benchmark service: auth off (HEXAHELIX_AUTH=off), no rate limit."""
    env = os.environ | {
        "HEXAHELIX_STORE": kind,
        "HEXAHELIX_DATA_DIR": str(data_dir),
        "HEXAHELIX_AUTH": "off",
        "HEXAHELIX_RATE_LIMIT_PER_MINUTE": "0",
        "HEXAHELIX_LOG_LEVEL": "warning",
    }
    if neo4j is not None:
        env |= {"NEO4J_URI": neo4j.uri, "NEO4J_USER": neo4j.user, "NEO4J_PASSWORD": neo4j.password}
    return env


class Service:
    """`hexahelix serve` in a subprocess on a free port; stop() ends exactly that process."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self._log = log.open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "service.cli", "serve", "--port", str(self.port)],
            cwd=REPO,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )

    def wait_ready(self, timeout: float = 120.0) -> None:
        """Wait until /healthz answers."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"service exited with {self.process.returncode}")
            try:
                if httpx.get(self.base + "/healthz", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        raise TimeoutError("service did not answer /healthz")

    def peak_rss_mib(self) -> dict[str, float]:
        """VmHWM (peak resident set) and VmRSS of the service process, in MiB."""
        figures: dict[str, float] = {}
        with open(f"/proc/{self.process.pid}/status", encoding="utf-8") as status:
            for line in status:
                key = line.split(":", 1)[0]
                if key in ("VmHWM", "VmRSS"):
                    figures[key] = round(int(line.split()[1]) / 1024, 1)
        return figures

    def stop(self) -> None:
        """Terminate the service process (and only it)."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()
