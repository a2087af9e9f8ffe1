"""Files that hold secrets (the access file's key hashes and invitations, CSVs of live links):
created readable by their owner only (mode 0600) from the first byte, whatever the umask."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import TextIO

PRIVATE = 0o600
SQLITE_SIDE_FILES = ("-wal", "-shm", "-journal")
"""SQLite's own files beside a database; it creates them with the database file's mode."""


def ensure_private(path: Path) -> None:
    """Create `path` empty with mode 0600 if it is not there; if it is, take away what others
    (not owner, not group) may do with it and its SQLite side files. Group bits are kept: a
    deployment may share the file between API processes of one group on purpose."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE))
        os.chmod(path, PRIVATE)  # the umask may have left out bits; never added any
        return
    except FileExistsError:
        pass
    for candidate in (path, *(Path(f"{path}{side}") for side in SQLITE_SIDE_FILES)):
        try:
            mode = stat.S_IMODE(candidate.stat().st_mode)
            if mode & stat.S_IRWXO:
                os.chmod(candidate, mode & ~stat.S_IRWXO)
        except (FileNotFoundError, PermissionError):
            continue  # not there, or not ours to change: SQLite reports what matters


def open_private(path: Path) -> TextIO:
    """A new text file at `path` (replacing one there) with mode 0600 before anything is
    written, for CSV writing (`newline=""`)."""
    path.unlink(missing_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE)
    os.fchmod(descriptor, PRIVATE)
    return os.fdopen(descriptor, "w", newline="", encoding="utf-8")
