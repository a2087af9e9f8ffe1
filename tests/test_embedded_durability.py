"""The embedded store on disk: acknowledged writes survive SIGKILL, and processes sharing a data
directory lose nothing."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from factories import actor, innovation, tie

from graph.embedded import DB_FILE, EmbeddedStore
from graph.store import ActorFilter, CollaborationFilter, PageRequest

REPO = Path(__file__).resolve().parents[1]
ALL = PageRequest(limit=500)

# Writes `count` actors `<prefix>-<n>` (each with a tie to `shared`, if given), printing each id
# once its write is acknowledged; waits for the file `go` first, if given.
WRITER = """
import sys, time
from pathlib import Path
from graph.embedded import EmbeddedStore
from graph.models import Actor, Collaboration

data_dir, prefix, count, shared, go = sys.argv[1:6]
while go and not Path(go).exists():
    time.sleep(0.005)
store = EmbeddedStore(Path(data_dir))
for n in range(int(count)):
    actor_id = f"{prefix}-{n}"
    store.create_actor(Actor(id=actor_id, name=actor_id, helix="community", region="63.03"))
    if shared:
        store.create_collaboration(Collaboration(
            actor_id=actor_id, innovation_id=shared, role="beneficiary", since="2024-01-01"))
    print(actor_id, flush=True)
store.close()
"""


def _writer(
    data_dir: Path, prefix: str, count: int, shared: str = "", go: str = ""
) -> subprocess.Popen[str]:
    env = os.environ | {"PYTHONPATH": str(REPO)}
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, str(data_dir), prefix, str(count), shared, go],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
        env=env,
    )


def _integrity(data_dir: Path) -> str:
    with sqlite3.connect(data_dir / DB_FILE) as conn:
        result: str = conn.execute("PRAGMA integrity_check").fetchone()[0]
    return result


def test_acknowledged_writes_survive_sigkill(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    child = _writer(data_dir, "crash", 1_000_000)
    assert child.stdout is not None
    acknowledged = []
    while len(acknowledged) < 150:
        line = child.stdout.readline()
        assert line, f"writer stopped early: {child.stderr.read() if child.stderr else ''}"
        acknowledged.append(line.strip())
    os.kill(child.pid, signal.SIGKILL)
    # Read the rest through the same text stream: lines it already buffered are acknowledged
    # too (`communicate` would read the pipe underneath and miss them).
    acknowledged += child.stdout.read().split()
    assert child.wait(timeout=30) == -signal.SIGKILL

    assert _integrity(data_dir) == "ok"
    store = EmbeddedStore(data_dir)
    try:
        stored = {a.id for a in store.snapshot().actors}
        assert set(acknowledged) <= stored
        # at most the one write in flight at the kill went through unacknowledged
        assert len(stored) - len(acknowledged) in (0, 1)
        assert store.version() == len(stored)  # every committed create bumped it once
        store.create_actor(actor("after-crash"))  # and the store takes writes again
        assert store.get_actor("after-crash").id == "after-crash"
    finally:
        store.close()


def test_two_processes_writing_at_once_lose_nothing(tmp_path: Path) -> None:
    data_dir, count = tmp_path / "data", 100
    store = EmbeddedStore(data_dir)
    store.create_innovation(innovation("shared"))
    initial = store.version()
    store.close()

    go = tmp_path / "go"
    children = [_writer(data_dir, p, count, "shared", str(go)) for p in ("left", "right")]
    time.sleep(0.3)  # let both start and open the store, then release them together
    go.touch()
    for child in children:
        out, err = child.communicate(timeout=60)
        assert child.returncode == 0, err
        assert len(out.split()) == count

    assert _integrity(data_dir) == "ok"
    store = EmbeddedStore(data_dir)
    try:
        expected = {f"{p}-{n}" for p in ("left", "right") for n in range(count)}
        assert {a.id for a in store.list_actors(ActorFilter(), ALL).items} == expected
        ties = store.list_collaborations(CollaborationFilter(innovation_id="shared"), ALL)
        assert {t.actor_id for t in ties.items} == expected
        assert store.version() == initial + 2 * 2 * count
    finally:
        store.close()


def test_threads_sharing_one_store(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "data")
    store.create_innovation(innovation("shared"))
    initial = store.version()

    def work(n: int) -> None:
        store.create_actor(actor(f"t-{n}"))
        store.create_collaboration(tie(f"t-{n}", "shared"))
        store.snapshot()

    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(work, range(40)))
    assert store.list_actors(ActorFilter(), ALL).total == 40
    assert store.list_collaborations(CollaborationFilter(), ALL).total == 40
    assert store.version() == initial + 80
    store.close()  # closes the worker threads' connections too
    reopened = EmbeddedStore(tmp_path / "data")
    try:
        assert reopened.list_actors(ActorFilter(), ALL).total == 40
    finally:
        reopened.close()
