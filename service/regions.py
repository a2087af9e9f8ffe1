"""Region codes as users give them, checked against the regions the store knows.

`id` (Indonesia, the national code of regions.csv) means the whole country; a region may also
be named (`Kabupaten Banjar`, any case). A store holding no region records checks nothing. The
app keeps one `RegionBook` (`service.compose`); the query parameters that read it are in
`service.deps`.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from difflib import get_close_matches

from graph.errors import Invalid, NotFound
from graph.models import Region
from graph.regions import WHOLE_COUNTRY
from graph.store import Store


class RegionBook:
    """The store's regions, read again only when the graph's version changes."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._lock = threading.Lock()
        self._version: int | None = None
        self._regions: list[Region] = []

    def regions(self) -> list[Region]:
        """Every region the store holds, by code."""
        version = self.store.version()
        with self._lock:
            if version != self._version:
                self._regions, self._version = self.store.regions(), version
            return self._regions

    def scope(self, value: str | None, field: str = "region") -> str | None:
        """The code a region filter means (None: the whole country), or Invalid naming it."""
        text = (value or "").strip()
        if not text or text.casefold() == WHOLE_COUNTRY:
            return None
        regions = self.regions()
        if not regions:
            return text
        by_code = {r.code: r for r in regions}
        if text in by_code:
            return None if by_code[text].level.value == "national" else text
        named = [r for r in regions if r.name.casefold() == text.casefold()]
        if len(named) == 1:
            return None if named[0].level.value == "national" else named[0].code
        raise Invalid(self._unknown(field, text, regions))

    def portfolio(
        self, value: str | None, default: str | None, field: str = "region"
    ) -> str | None:
        """Like `scope`, but a request naming no region gets the portfolio region `default`
        (when the graph has it); `id` still means the whole country."""
        if value is None and default is not None:
            known = {r.code for r in self.regions()}
            return default if default in known else None
        return self.scope(value, field)

    def check(self, code: str, field: str = "region") -> None:
        """Invalid unless `code` is a region the store knows (for records being written)."""
        regions = self.regions()
        if regions and code not in {r.code for r in regions}:
            raise Invalid(self._unknown(field, code, regions))

    @staticmethod
    def _unknown(field: str, text: str, regions: list[Region]) -> str:
        labels = {r.code: f"{r.code} ({r.name})" for r in regions}
        # Codes and names, compared without case: each points at its region's code.
        keys = {r.code.casefold(): r.code for r in regions}
        keys.update({r.name.casefold(): r.code for r in regions})
        close = get_close_matches(text.casefold(), keys, n=3, cutoff=0.6)
        codes = list(dict.fromkeys(keys[c] for c in close))
        hint = (
            "did you mean " + ", ".join(labels[c] for c in codes) + "?"
            if close
            else "known: "
            + ", ".join(list(labels.values())[:8])
            + (" …" if len(labels) > 8 else "")
        )
        return f"{field}: unknown region {text!r}; {hint}"


@contextmanager
def outside_explained(
    store: Store, region: str | None, innovations: Sequence[str] = (), actors: Sequence[str] = ()
) -> Iterator[None]:
    """A NotFound under a region filter that names the record the filter left out (it exists,
    elsewhere) instead of calling it unknown."""
    try:
        yield
    except NotFound:
        if region is None:
            raise
        for kind, ids, get in (
            ("innovation", innovations, store.get_innovation),
            ("actor", actors, store.get_actor),
        ):
            for record_id in ids:
                try:
                    where = get(record_id).region
                except NotFound:
                    continue
                raise NotFound(
                    f"{kind} {record_id!r} exists but is outside region={region} (it is in "
                    f"{where}); ask without `region`, or with region={where}"
                ) from None
        raise
