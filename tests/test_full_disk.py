"""A full disk under the embedded store: writes answer JSON 503s, `/readyz` is not ready with the
reason, nothing is half-written, and all comes back once there is room again.

Two disks: a real 6 MiB tmpfs filled to the last byte (where this process may mount one), and
SQLite's own SQLITE_FULL, raised by capping the database's page count on every connection.
The API key is checked and every write is audited from the same full disk (the access file).
"""

from __future__ import annotations

import errno
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from factories import actor
from fastapi.testclient import TestClient

from graph.bundle import load_seed
from graph.embedded import DB_FILE, EmbeddedStore
from service.access import AccessStore, Role
from service.app import create_app
from service.settings import Settings

pytestmark = pytest.mark.slow


class CappedStore(EmbeddedStore):
    """An embedded store whose database may not grow past `cap` pages (SQLITE_FULL beyond)."""

    cap: int | None = None

    def _connection(self) -> sqlite3.Connection:
        conn = super()._connection()
        conn.execute(f"PRAGMA max_page_count = {self.cap or 1_073_741_823}")
        return conn


class Disk:
    """A disk that can be made full and given room again."""

    def __init__(self, folder: Path, mounted: bool) -> None:
        self.folder = folder
        self.mounted = mounted
        self.filler = folder / "filler"

    def fill(self, store: EmbeddedStore) -> None:
        if not self.mounted:
            assert isinstance(store, CappedStore)
            pages = store._connection().execute("PRAGMA page_count").fetchone()[0]
            CappedStore.cap = pages
            return
        with self.filler.open("wb", buffering=0) as out:
            for size in (65536, 4096, 512, 1):  # to the last byte
                try:
                    while True:
                        out.write(b"\0" * size)
                except OSError as error:
                    assert error.errno == errno.ENOSPC

    def free(self) -> None:
        CappedStore.cap = None
        self.filler.unlink(missing_ok=True)


@pytest.fixture(params=["tmpfs", "sqlite_full"])
def disk(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Disk]:
    folder = tmp_path / "disk"
    folder.mkdir()
    if request.param == "sqlite_full":
        yield Disk(folder, mounted=False)
        CappedStore.cap = None
        return
    mount = ["mount", "-t", "tmpfs", "-o", "size=6m", "tmpfs", str(folder)]
    done = subprocess.run(mount, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({done.stderr.strip()}); sqlite_full covers it")
    try:
        yield Disk(folder, mounted=True)
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def test_a_write_on_a_full_disk_leaves_the_store_intact_and_readyz_not_ready(disk: Disk) -> None:
    data_dir = disk.folder / "data"
    store = (EmbeddedStore if disk.mounted else CappedStore)(data_dir)
    store.load(load_seed())
    key = AccessStore(data_dir / "access.sqlite3").create_key("editor", Role.EDITOR)
    headers = {"Authorization": f"Bearer {key}"}
    settings = Settings(data_dir=data_dir, auth="on")
    with TestClient(create_app(settings, store=store)) as client:
        assert client.get("/readyz").status_code == 200
        before, version = store.snapshot(), store.version()

        disk.fill(store)
        # Writes may still fit in room SQLite already holds (a WAL file is reused); each is
        # acknowledged or refused, until the refusals come.
        acknowledged, refused = [], 0
        for n in range(1000):
            body = actor(f"full-{n}").model_dump(mode="json")
            response = client.post("/api/v1/actors", json=body, headers=headers)
            assert response.status_code in (201, 503), response.text
            if response.status_code == 201:
                acknowledged.append(f"full-{n}")
                continue
            assert response.headers["content-type"] == "application/json"
            assert response.json()["detail"]
            assert int(response.headers["Retry-After"]) >= 1
            refused += 1
            if refused == 3:
                break
        assert refused == 3, f"{len(acknowledged)} writes went through on a full disk"
        ready = client.get("/readyz")
        assert ready.status_code == 503, ready.text
        assert ready.json()["status"] == "unavailable"
        assert "full" in ready.json()["detail"]
        assert client.get(f"/api/v1/actors/{before.actors[0].id}").status_code == 200  # reads work

        disk.free()
        assert client.get("/readyz").status_code == 200
        created = client.post(
            "/api/v1/actors", json=actor("after").model_dump(mode="json"), headers=headers
        )
        assert created.status_code == 201, created.text

    store.close()
    reopened = EmbeddedStore(data_dir)  # opening runs the integrity check
    try:
        after = reopened.snapshot()
        written = {"after", *acknowledged}
        assert {a.id for a in after.actors} - {a.id for a in before.actors} == written
        assert [a for a in after.actors if a.id not in written] == before.actors
        assert after.model_copy(update={"actors": before.actors}) == before
        assert reopened.version() == version + len(written)  # refused writes left no trace
    finally:
        reopened.close()
    trail = AccessStore(data_dir / "access.sqlite3").audit(2000, 0).items
    assert trail[0].status == 201 and "after" in trail[0].ids
    audited = {i for entry in trail if entry.status == 201 for i in entry.ids}
    assert set(acknowledged) <= audited  # every acknowledged write has its audit entry
    assert (data_dir / DB_FILE).stat().st_size > 0
