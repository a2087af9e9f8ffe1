"""Backups and restores: a round trip on both stores, a backup taken while writes go on, and
restoring over a damaged embedded database from the command line."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from cli_support import assert_one_line_refusal, damage, run_cli
from factories import actor

from graph.backup import read_backup, write_backup
from graph.bundle import load_seed
from graph.embedded import DB_FILE, EmbeddedStore
from graph.errors import Invalid
from graph.models import GraphData
from graph.store import Store


def test_backup_restore_round_trip(store: Store, tmp_path: Path) -> None:
    store.load(load_seed())
    original = store.snapshot()
    path = tmp_path / "backup.json"
    write_backup(store, path)
    store.load(GraphData(actors=[actor("someone-else")]), replace=True)
    store.load(read_backup(path), replace=True)
    assert store.snapshot() == original


def test_a_backup_taken_during_writes_is_consistent(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "data")
    store.load(load_seed())
    done = threading.Event()

    def writer() -> None:
        n = 0
        while not done.is_set():
            store.create_actor(actor(f"w-{n}"))
            n += 1

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        copies = [tmp_path / f"copy-{i}.sqlite3" for i in range(3)]
        for copy in copies:
            write_backup(store, copy)
    finally:
        done.set()
        thread.join()
    for copy in copies:
        data = read_backup(copy)  # opens the copy: the integrity check passes
        written = [a for a in data.actors if a.id.startswith("w-")]
        # a prefix of the writer's actors: each write is in the copy or not, in order
        assert sorted(int(a.id[2:]) for a in written) == list(range(len(written)))
    store.close()


def test_read_backup_refuses_what_is_not_one(tmp_path: Path) -> None:
    other = tmp_path / "notes.txt"
    other.write_text("hello")
    with pytest.raises(Invalid, match="not a backup"):
        read_backup(other)
    with pytest.raises(Invalid, match="no such backup"):
        read_backup(tmp_path / "absent.sqlite3")


@pytest.mark.parametrize("kind", ["embedded", "neo4j"])
def test_cli_backup_and_restore(kind: str, tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    assert run_cli(kind, data_dir, "seed").returncode == 0
    seeded = tmp_path / "seeded.json"
    assert run_cli(kind, data_dir, "export", "--out", str(seeded)).returncode == 0
    backup = tmp_path / ("graph.sqlite3" if kind == "embedded" else "graph.json")
    done = run_cli(kind, data_dir, "backup", str(backup))
    assert done.returncode == 0, done.stderr
    assert "backed up" in done.stdout

    other = tmp_path / "other.json"
    other.write_text(GraphData(actors=[actor("lonely")]).model_dump_json())
    assert run_cli(kind, data_dir, "import", "--replace", str(other)).returncode == 0
    done = run_cli(kind, data_dir, "restore", str(backup))
    assert done.returncode == 0, done.stderr
    assert "restored" in done.stdout and f"{len(load_seed().actors)} actors" in done.stdout
    restored = tmp_path / "restored.json"
    assert run_cli(kind, data_dir, "export", "--out", str(restored)).returncode == 0
    assert restored.read_text() == seeded.read_text()


def test_restore_over_a_damaged_database_sets_it_aside(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    assert run_cli("embedded", data_dir, "seed").returncode == 0
    backup = tmp_path / "graph.sqlite3"
    assert run_cli("embedded", data_dir, "backup", str(backup)).returncode == 0
    damage(data_dir / DB_FILE)

    refused = run_cli("embedded", data_dir, "stats")
    assert_one_line_refusal(refused, data_dir / DB_FILE, "damaged", "hexahelix restore")

    done = run_cli("embedded", data_dir, "restore", str(backup))
    assert done.returncode == 0, done.stderr
    assert "moved the damaged database to" in done.stderr
    assert any(p.name.startswith(f"{DB_FILE}.damaged-") for p in data_dir.iterdir())
    assert run_cli("embedded", data_dir, "stats").returncode == 0
