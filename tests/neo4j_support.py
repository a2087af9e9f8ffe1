"""Finding or starting a Neo4j server for the tests, without Docker.

`NEO4J` (one per test session) resolves a server once, on first need:
1. `NEO4J_URI` in the environment, if it answers with `NEO4J_USER` / `NEO4J_PASSWORD`;
2. else, with `java` on PATH (and `mvn`, unless the jars are already in `<repo>/.neo4j/lib`),
   a private server started by `scripts/neo4j-local` on a free port, in its own home under a
   temporary directory whose `lib/` and `classes/` are symlinks to the repository's `.neo4j`
   ones (so no jar is copied and a developer's server in `.neo4j` is left alone); stopped at the
   end of the session;
3. else none: the Neo4j tests are skipped with the reason, or fail when
   `HEXAHELIX_REQUIRE_NEO4J=1` (CI).
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SCRIPT = REPO / "scripts" / "neo4j-local"
DEFAULT_HOME = REPO / ".neo4j"
REQUIRE_ENV = "HEXAHELIX_REQUIRE_NEO4J"


def required() -> bool:
    """Whether a missing Neo4j must fail the run (CI) instead of skipping its tests."""
    return os.environ.get(REQUIRE_ENV, "").strip().lower() in {"1", "true", "yes", "on"}


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def answers(uri: str, user: str, password: str) -> str | None:
    """None if a Neo4j at `uri` accepts the credentials, else why not."""
    from neo4j import GraphDatabase

    try:
        with GraphDatabase.driver(uri, auth=(user, password), connection_timeout=3) as driver:
            driver.verify_connectivity()
    except Exception as exc:  # any failure means "not usable", with the reason
        return f"{type(exc).__name__}: {exc}"
    return None


def local_neo4j_problem() -> str | None:
    """None if scripts/neo4j-local can start a server here, else what is missing."""
    needed = ["java"]
    if not (DEFAULT_HOME / "classes" / ".sha256").is_file():
        needed.append("javac")  # to compile the launcher once
    if not (DEFAULT_HOME / "lib" / ".pom-sha256").is_file():
        needed.append("mvn")  # to fetch the jars once
    missing = [tool for tool in needed if shutil.which(tool) is None]
    if missing:
        return f"cannot start a local Neo4j: {', '.join(missing)} not on PATH"
    return None


@dataclass
class LocalNeo4j:
    """A private server run by scripts/neo4j-local in its own home (start/stop repeatable)."""

    home: Path
    port: int = field(default_factory=free_port)
    password: str = field(default_factory=lambda: "test-" + secrets.token_hex(8))
    user: str = "neo4j"

    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.port}"

    @classmethod
    def in_temp_dir(cls, prefix: str = "hexahelix-neo4j-") -> LocalNeo4j:
        """A server home under a new temporary directory, sharing the repository's jars."""
        home = Path(tempfile.mkdtemp(prefix=prefix))
        for shared in ("lib", "classes"):
            source = DEFAULT_HOME / shared
            if source.is_dir():
                (home / shared).symlink_to(source, target_is_directory=True)
        return cls(home=home)

    def _env(self) -> dict[str, str]:
        return os.environ | {
            "NEO4J_PASSWORD": self.password,
            "NEO4J_BOLT_PORT": str(self.port),
            "NEO4J_LOCAL_HOME": str(self.home),
            "NEO4J_LOCAL_HEAP": os.environ.get("NEO4J_LOCAL_HEAP", "768m"),
        }

    def _script(self, command: str, timeout: float) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(SCRIPT), command],
            env=self._env(),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def start(self) -> None:
        """Start the server and wait for Bolt; RuntimeError with the script's output if not."""
        done = self._script("start", timeout=240)
        if done.returncode != 0:
            raise RuntimeError(
                f"scripts/neo4j-local start failed ({done.returncode}): {done.stderr.strip()}"
            )

    def stop(self) -> None:
        """Stop the server (nothing if it is not running)."""
        self._script("stop", timeout=90)

    def remove(self) -> None:
        """Stop the server and delete its home (the shared jars are only symlinked)."""
        self.stop()
        shutil.rmtree(self.home, ignore_errors=True)


@dataclass
class Neo4jServer:
    """Where the tests' Neo4j is and how to log in."""

    uri: str
    user: str
    password: str
    how: str


class Neo4jProvider:
    """Resolves the session's Neo4j once, on first need; stops what it started."""

    def __init__(self) -> None:
        self._resolved = False
        self.server: Neo4jServer | None = None
        self.reason = ""
        self.used = False
        self._local: LocalNeo4j | None = None

    def get(self) -> Neo4jServer | None:
        """The server, or None (then `reason` says why)."""
        if not self._resolved:
            self._resolved = True
            self.server = self._resolve()
        self.used = True
        return self.server

    def _resolve(self) -> Neo4jServer | None:
        reasons = []
        uri = os.environ.get("NEO4J_URI")
        if uri:
            user = os.environ.get("NEO4J_USER", "neo4j")
            password = os.environ.get("NEO4J_PASSWORD", "")
            problem = answers(uri, user, password)
            if problem is None:
                return Neo4jServer(uri, user, password, f"NEO4J_URI={uri}")
            reasons.append(f"NEO4J_URI={uri} does not answer ({problem})")
        problem = local_neo4j_problem()
        if problem is not None:
            reasons.append(problem)
            self.reason = "; ".join(reasons)
            return None
        local = LocalNeo4j.in_temp_dir()
        try:
            local.start()
        except (RuntimeError, subprocess.TimeoutExpired, OSError) as exc:
            local.remove()
            reasons.append(f"starting a local one failed: {exc}")
            self.reason = "; ".join(reasons)
            return None
        self._local = local
        return Neo4jServer(
            local.uri, local.user, local.password, f"scripts/neo4j-local at {local.uri}"
        )

    def stop(self) -> None:
        """Stop and remove the server this provider started, if any."""
        if self._local is not None:
            self._local.remove()
            self._local = None


NEO4J = Neo4jProvider()
