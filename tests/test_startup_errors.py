"""Start-up refusals: a damaged, foreign or 0-byte database file gives one line naming the path
and what to do, exit code 1 and no traceback; `--new` accepts a 0-byte file as a new store.
A store that turns out damaged while serving answers 500s that say so, never a Retry-After."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from cli_support import assert_one_line_refusal, damage, run_cli
from fastapi.testclient import TestClient

from graph.bundle import load_seed
from graph.embedded import DB_FILE, EmbeddedStore
from graph.errors import StoreDamaged
from service.app import create_app
from service.settings import Settings


@pytest.mark.parametrize("command", [["serve"], ["stats"], ["seed"]])
def test_a_zero_byte_database_is_refused_unless_new(command: list[str], tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    (data_dir / DB_FILE).touch()
    result = run_cli("embedded", data_dir, *command)
    assert_one_line_refusal(result, data_dir / DB_FILE, "0 bytes", "--new", "backup")
    assert (data_dir / DB_FILE).stat().st_size == 0  # untouched
    if command != ["serve"]:
        assert run_cli("embedded", data_dir, "--new", *command).returncode == 0


def test_a_foreign_database_is_refused_and_left_alone(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    with sqlite3.connect(data_dir / DB_FILE) as conn:
        conn.execute("CREATE TABLE invoices (n INTEGER)")
    result = run_cli("embedded", data_dir, "serve")
    assert_one_line_refusal(result, data_dir / DB_FILE, "not a Hexahelix store")
    with sqlite3.connect(data_dir / DB_FILE) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    assert tables == {"invoices"}


def test_a_damaged_database_is_refused_at_start(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    assert run_cli("embedded", data_dir, "seed").returncode == 0
    damage(data_dir / DB_FILE)
    result = run_cli("embedded", data_dir, "serve")
    assert_one_line_refusal(result, data_dir / DB_FILE, "damaged", "hexahelix restore")


def test_a_file_that_is_not_a_database_is_refused(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    (data_dir / DB_FILE).write_text("just some text, long enough to have a header " * 20)
    result = run_cli("embedded", data_dir, "stats")
    assert_one_line_refusal(result, data_dir / DB_FILE, "damaged")


def test_damage_found_while_serving_answers_500_and_readyz_says_damaged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data_dir = tmp_path / "data"
    with closing(EmbeddedStore(data_dir)) as seeded:
        seeded.load(load_seed())
    damage(data_dir / DB_FILE)
    # as if the page went bad after the start-up check passed
    with monkeypatch.context() as patched:
        patched.setattr(EmbeddedStore, "_check_file", lambda self, conn: None)
        store = EmbeddedStore(data_dir)
    settings = Settings(data_dir=tmp_path / "access", auth="off")
    with TestClient(create_app(settings, store=store)) as client:
        answer = client.get("/api/v1/analytics/portfolio")
        assert answer.status_code == 500, answer.text
        assert "Retry-After" not in answer.headers
        assert "damaged" in answer.json()["detail"]
        ready = client.get("/readyz")
        assert ready.status_code == 503
        assert ready.json()["status"] == "damaged"
        assert "Retry-After" not in ready.headers
    store.close()
    with pytest.raises(StoreDamaged):
        EmbeddedStore(data_dir)
