"""Backups of the graph: a consistent copy written while the service runs, and reading one back.

The embedded store is copied with SQLite's `VACUUM INTO` (a SQLite file); any other store writes
its snapshot, read in one transaction, as a JSON bundle. `read_backup` takes either kind, so a
backup of one store can be restored into the other; restoring goes through the atomic replace
(`Store.load(..., replace=True)`).
"""

from __future__ import annotations

import shutil
import tempfile
from contextlib import closing
from pathlib import Path

from graph.bundle import read_bundle, write_json
from graph.embedded import DB_FILE, EmbeddedStore
from graph.errors import Invalid, StoreDamaged
from graph.models import GraphData
from graph.store import Store

SQLITE_MAGIC = b"SQLite format 3\x00"


def write_backup(store: Store, path: Path) -> str:
    """Write a consistent copy of the store's graph to `path`; returns what was written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(store, EmbeddedStore):
        store.copy_to(path)
        return "a SQLite copy of the embedded store"
    partial = path.with_name(path.name + ".partial")
    write_json(store.snapshot(), partial)  # one read transaction: a consistent graph
    partial.replace(path)
    return "a JSON bundle of the graph"


def read_backup(path: Path) -> GraphData:
    """The graph in a backup file (a SQLite copy or a JSON bundle); Invalid if it is neither."""
    if not path.is_file():
        raise Invalid(f"{path}: no such backup file")
    with path.open("rb") as file:
        header = file.read(len(SQLITE_MAGIC))
    if header != SQLITE_MAGIC:
        if path.suffix.lower() != ".json":
            raise Invalid(f"{path}: not a backup (neither a SQLite copy nor a .json bundle)")
        return read_bundle(path).data
    with tempfile.TemporaryDirectory(prefix="hexahelix-restore-") as folder:
        shutil.copyfile(path, Path(folder) / DB_FILE)  # opened read-write: never the original
        try:
            with closing(EmbeddedStore(Path(folder))) as copy:
                return copy.snapshot()
        except StoreDamaged as error:
            raise Invalid(f"{path}: the backup itself is damaged: {error}") from error
