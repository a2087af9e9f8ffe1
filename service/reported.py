"""`provenance=reported`: the same queries and analytics, on the reported part of the graph.

`ReportedMirror` keeps an embedded store holding only the reported records of the app's store
(`Store.reported_records`: `graph.provenance.reported_part` of its snapshot), rebuilt when the
store's version changes.
Answers with `provenance=reported` are the store's own queries and the engine's own analytics
run on that mirror, so they equal what a store loaded with only the reported records answers:
one implementation of each question, not a filtered copy of it.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
from collections import deque
from pathlib import Path

from graph.embedded import EmbeddedStore
from graph.models import GraphData
from graph.store import Store

KEEP = 2  # mirrors kept open: the current one and the one a slow reader may still be using


class ReportedMirror:
    """The reported part of a store, as an embedded store of its own (kept per version)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._lock = threading.Lock()
        self._mirrors: deque[tuple[int, EmbeddedStore, Path]] = deque()

    def current(self) -> EmbeddedStore:
        """The mirror of the store's current version (built on first use after a write)."""
        version = self.store.version()
        with self._lock:
            if self._mirrors and self._mirrors[-1][0] == version:
                return self._mirrors[-1][1]
            folder = Path(tempfile.mkdtemp(prefix="hexahelix-reported-"))
            mirror = EmbeddedStore(folder)
            mirror.load(self.store.reported_records())
            self._mirrors.append((version, mirror, folder))
            while len(self._mirrors) > KEEP:
                _, old, old_folder = self._mirrors.popleft()
                old.close()
                shutil.rmtree(old_folder, ignore_errors=True)
            return mirror

    def version(self) -> int:
        """The version of the store it mirrors (what analytics caches are keyed on)."""
        return self.store.version()

    def snapshot(self, region: str | None = None) -> GraphData:
        """The mirror's snapshot: the reported part, scoped like the store scopes its own."""
        return self.current().snapshot(region)

    def close(self) -> None:
        """Close and delete every mirror."""
        with self._lock:
            while self._mirrors:
                _, mirror, folder = self._mirrors.popleft()
                mirror.close()
                shutil.rmtree(folder, ignore_errors=True)
