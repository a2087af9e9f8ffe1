"""Files holding secrets are readable by their owner only (mode 0600) from the first byte: the
access file (key hashes, invitations, the audit) with SQLite's side files, and invitation CSVs.
Backups hold the graph only (no keys), so they keep the ordinary mode."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from service.access import AccessStore, Role
from service.private_files import open_private
from tests.test_cli import hexahelix


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask() -> Iterator[None]:
    """The loosest umask: a file is as private as the code makes it, not as the umask does."""
    old = os.umask(0)
    try:
        yield
    finally:
        os.umask(old)


def test_a_new_access_file_and_its_side_files_are_0600(tmp_path: Path, open_umask: None) -> None:
    path = tmp_path / "access.sqlite3"
    access = AccessStore(path)
    assert mode(path) == 0o600
    with access.connect() as held:  # a connection kept open keeps the -wal and -shm files
        access.create_key("alice", Role.ADMIN)
        held.execute("SELECT count(*) FROM api_keys").fetchone()
        sides = [Path(f"{path}{side}") for side in ("-wal", "-shm")]
        assert all(side.exists() for side in sides)
        assert [mode(side) for side in sides] == [0o600, 0o600]


def test_an_existing_world_readable_access_file_loses_the_world_bits(tmp_path: Path) -> None:
    path = tmp_path / "access.sqlite3"
    AccessStore(path).create_key("alice", Role.ADMIN)
    path.chmod(0o664)  # e.g. made by an older version under umask 002
    access = AccessStore(path)
    assert mode(path) == 0o660  # the group may be the deployment's API processes: kept
    assert [k.name for k in access.list_keys()] == ["alice"]


def test_the_cli_creates_the_access_file_0600(tmp_path: Path) -> None:
    data = tmp_path / "data"
    made = hexahelix(data, "keys", "create", "alice", "--role", "admin")
    assert made.returncode == 0, made.stderr
    assert mode(data / "access.sqlite3") == 0o600


def test_open_private_replaces_a_readable_file_with_a_0600_one(
    tmp_path: Path, open_umask: None
) -> None:
    path = tmp_path / "links.csv.partial"
    path.write_text("old links\n", encoding="utf-8")
    path.chmod(0o666)
    with open_private(path) as handle:
        assert mode(path) == 0o600  # before a byte is written
        handle.write("innovation_id,url\n")
    assert mode(path) == 0o600
    assert path.read_text(encoding="utf-8") == "innovation_id,url\n"
