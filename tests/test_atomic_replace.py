"""`hexahelix import --replace` killed at random points: the store holds the old graph or the new.

Each store is filled with an old graph; a CLI process replaces it with a larger new one and is
sent SIGKILL at a random moment (one per seed) after it has read its file, i.e. while it deletes
and loads. Re-opened afterwards (the embedded store recovers its WAL, Neo4j has rolled back the
dead client's transaction), the store must equal the old graph or the new one: never a mix,
never empty. An unkilled run first measures how long the load takes, to spread the kills over it.
"""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from cli_support import cli_env
from conftest import make_store, store_settings
from factories import actor, innovation, region, tie

from graph.bundle import load_seed
from graph.models import GraphData
from graph.store import Store
from graph.vocab import Helix
from service.compose import open_store

pytestmark = pytest.mark.slow
SEEDS = (1, 2, 3, 4)
SIZE = {"embedded": 6000, "neo4j": 500}  # innovations (and actors) of the new graph


def new_graph(n: int) -> GraphData:
    """n actors, n innovations and 2n ties, none shared with the seed."""
    helixes = list(Helix)
    return GraphData(
        regions=[region("63.03")],
        actors=[actor(f"a{i}", helixes[i % len(helixes)]) for i in range(n)],
        innovations=[innovation(f"i{i}") for i in range(n)],
        collaborations=[tie(f"a{(i + k) % n}", f"i{i}") for i in range(n) for k in (0, 1)],
    )


def start_import(env: dict[str, str], path: Path) -> tuple[subprocess.Popen[str], float]:
    """Start `import --replace`; returns the process once it has read the file, and when."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "service.cli", "import", "--replace", str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert proc.stderr is not None
    for line in proc.stderr:
        if line.startswith("read and validated"):
            return proc, time.monotonic()
    proc.wait()
    pytest.fail(f"the import ended before loading: {proc.returncode}")


@pytest.mark.parametrize("kind", ["embedded", "neo4j"])
def test_a_killed_replace_leaves_the_old_graph_or_the_new(kind: str, tmp_path: Path) -> None:
    store: Store = make_store(kind, tmp_path)
    try:
        env = cli_env(kind, tmp_path / "data")
        old = load_seed()
        new = new_graph(SIZE[kind])
        path = tmp_path / "new.json"
        path.write_text(new.model_dump_json(), encoding="utf-8")
        store.load(old, replace=True)
        old_snapshot = store.snapshot()

        proc, started = start_import(env, path)
        assert proc.wait(timeout=300) == 0, proc.stderr.read() if proc.stderr else ""
        load_seconds = time.monotonic() - started
        new_snapshot = store.snapshot()
        assert new_snapshot.counts() == new.counts()

        outcomes = []
        for seed in SEEDS:
            store.load(old, replace=True)
            delay = random.Random(seed).uniform(0, 1.2 * load_seconds)
            proc, started = start_import(env, path)
            time.sleep(max(0.0, started + delay - time.monotonic()))
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=60)
            store.close()
            store = reopen(kind, tmp_path)
            after = store.snapshot()
            assert after in (old_snapshot, new_snapshot), (
                f"seed {seed}: killed after {delay:.2f} s of a {load_seconds:.2f} s load, the "
                f"store holds {after.counts()}"
            )
            outcomes.append("new" if after == new_snapshot else "old")
        print(f"{kind}: load {load_seconds:.2f} s; outcomes per seed {outcomes}")
    finally:
        store.close()


def reopen(kind: str, tmp_path: Path) -> Store:
    """The same store opened afresh (embedded: a new process-level open recovers the WAL)."""
    return open_store(store_settings(kind, tmp_path))
