"""The region rule: a BPS code contains itself and every code below it (`63` contains `63.03`).

`region_contains` is the rule in Python, used by the map, the local metrics and the service; the
stores express the same rule in their query languages (`graph/embedded.py` `_region_clause`,
`graph/neo4j/cypher.py` `region_clause`, both built on `SEPARATOR`), and the contract suite
holds them to it.
"""

from __future__ import annotations

WHOLE_COUNTRY = "id"
"""The code of Indonesia as a whole: asking for it means every region."""
SEPARATOR = "."
"""Between the levels of a BPS code: province `63`, regency `63.03`, district `63.03.01`."""


def region_contains(region: str | None, code: str) -> bool:
    """Whether `code` is `region` or lies inside it; no region (None) contains every code.

    >>> region_contains("63", "63.03"), region_contains("63.03", "63.03.01")
    (True, True)
    >>> region_contains("63.0", "63.03"), region_contains("63.03", "63"), region_contains(None, "71")
    (False, False, True)
    """
    return region is None or code == region or code.startswith(region + SEPARATOR)


def province(code: str) -> str | None:
    """The province a code lies in (its first level); None for the whole country.

    >>> province("63.03.01"), province("63"), province(WHOLE_COUNTRY)
    ('63', '63', None)
    """
    return None if code == WHOLE_COUNTRY else code.split(SEPARATOR)[0]
