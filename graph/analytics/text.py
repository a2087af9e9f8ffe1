"""Small helpers for plain-language explanations."""

from __future__ import annotations

from collections.abc import Sequence


def name_list(names: Sequence[str], most: int = 3) -> str:
    """Join names the way a person would write them.

    >>> name_list(["Dinas Kesehatan"])
    'Dinas Kesehatan'
    >>> name_list(["Dinas Kesehatan", "ULM"])
    'Dinas Kesehatan and ULM'
    >>> name_list(["A", "B", "C", "D", "E"])
    'A, B, C and 2 others'
    """
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    if len(names) > most:
        rest = len(names) - most
        return f"{', '.join(names[:most])} and {rest} other{'s' if rest > 1 else ''}"
    return f"{', '.join(names[:-1])} and {names[-1]}"


def plural(count: int, word: str) -> str:
    """`count word`, with an s when count is not 1.

    >>> plural(1, "innovation"), plural(3, "innovation")
    ('1 innovation', '3 innovations')
    """
    return f"{count} {word}{'' if count == 1 else 's'}"
