"""Every label of the declaration and curation pages comes from the one translation table, in
both languages, and neither page has hard-coded words."""

from __future__ import annotations

import re

from tests.browser.test_web import WEB, _messages

PAGES = ("declare.html", "curate.html")


def test_the_collection_pages_use_the_translation_table() -> None:
    messages = _messages()
    for name in PAGES:
        html = (WEB / name).read_text(encoding="utf-8")
        used = set(re.findall(r'data-i18n(?:-label|-placeholder|-title)?="([^"]+)"', html))
        assert used and used - messages["id"] == set(), name
        for match in re.finditer(r"<(\w+)([^>]*)>([^<]*[^\W\d_][^<]*)<", html):
            tag, attrs, words = match.groups()
            if tag == "title":
                continue
            assert "data-i18n=" in attrs, f"hard-coded text in {name}: <{tag}{attrs}>{words}"
