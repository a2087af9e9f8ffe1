"""Spelling-tolerant comparison of organisation names, to flag likely duplicate actors.

Owners declaring partners type names their own way ("Dinkes Kab. Banjar", "DINAS KESEHATAN
KABUPATEN BANJAR"); a curator should see when a "new" actor is probably one the graph already has.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from difflib import SequenceMatcher

# Common Indonesian abbreviations in agency names, expanded before comparing.
ABBREVIATIONS: dict[str, str] = {
    "kab": "kabupaten",
    "kec": "kecamatan",
    "kel": "kelurahan",
    "prov": "provinsi",
    "pemkab": "pemerintah kabupaten",
    "pemprov": "pemerintah provinsi",
    "dinkes": "dinas kesehatan",
    "disdik": "dinas pendidikan",
    "univ": "universitas",
    "pt": "pt",
    "cv": "cv",
    "rs": "rumah sakit",
    "rsud": "rumah sakit umum daerah",
    "yys": "yayasan",
}
DUPLICATE_RATIO = 0.88
"""Similarity (0..1, difflib) of normalised names above which two names are likely the same."""


def normalise_name(name: str) -> str:
    """Lowercase, without accents or punctuation, abbreviations expanded, spaces collapsed.

    >>> normalise_name("  Dinkes  Kab. BANJAR ")
    'dinas kesehatan kabupaten banjar'
    >>> normalise_name("Universitas Lambung-Mangkurat")
    'universitas lambung mangkurat'
    """
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    words = re.findall(r"[a-z0-9]+", text)
    return " ".join(ABBREVIATIONS.get(word, word) for word in words)


def likely_duplicates(name: str, existing: Iterable[tuple[str, str]], limit: int = 3) -> list[str]:
    """Ids of existing `(id, name)` pairs whose name is probably the same organisation as `name`:
    equal once normalised, or similar above `DUPLICATE_RATIO` with the same numbers; most similar
    first.

    >>> likely_duplicates("Dinkes Kab. Banjar", [("dinkes-banjar", "Dinas Kesehatan Kabupaten Banjar"),
    ...                                          ("disdik-banjar", "Dinas Pendidikan Kabupaten Banjar")])
    ['dinkes-banjar']
    >>> likely_duplicates("Puskesmas Martapura 2", [("pkm-1", "Puskesmas Martapura 1")])
    []
    """
    wanted = normalise_name(name)
    scored: list[tuple[float, str]] = []
    for actor_id, other in existing:
        candidate = normalise_name(other)
        if candidate == wanted:
            scored.append((1.0, actor_id))
            continue
        if _numbers(candidate) != _numbers(wanted):  # "Puskesmas Martapura 1" is not "... 2"
            continue
        ratio = SequenceMatcher(None, wanted, candidate).ratio()
        if ratio >= DUPLICATE_RATIO:
            scored.append((ratio, actor_id))
    scored.sort(key=lambda pair: (-pair[0], pair[1]))
    return [actor_id for _, actor_id in scored[:limit]]


def _numbers(normalised: str) -> list[str]:
    return [word for word in normalised.split() if word.isdigit()]
