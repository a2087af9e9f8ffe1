"""The page says what is invented: a banner with live counts, pale dashed illustrative ties with
a legend, and a "reported data only" switch (headless Chromium over the Banjar seed)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import Console, Server, screenshot

pytestmark = pytest.mark.browser
REGION = "63.03"


@pytest.fixture(autouse=True)
def _no_console_errors(console: Console) -> Any:
    yield
    assert console.errors == [], "console errors:\n" + "\n".join(console.errors)


def _open(page: Any, server: Server, query: str = f"region={REGION}") -> None:
    page.goto(f"{server.url}/?{query}")
    page.wait_for_selector("body[data-ready=true]")


def _edge_styles(page: Any) -> dict[str, Any]:
    styles: dict[str, Any] = page.evaluate(
        """() => {
            const cy = window.hexahelix.cy;
            const look = (e) => ({line: e.style('line-style'), opacity: Number(e.style('opacity')),
                                  color: e.style('line-color')});
            return {
                illustrative: cy.edges('.collaboration.illustrative').length,
                reported: cy.edges('.collaboration.reported').length,
                invented: look(cy.edges('.collaboration.illustrative').first()),
                cited: look(cy.edges('.collaboration.reported').first()),
            };
        }"""
    )
    return styles


def test_banner_counts_dashed_ties_and_the_reported_only_switch(page: Any, server: Server) -> None:
    _open(page, server)
    share = server.get("/map", region=REGION)["illustrative"]
    # the seed's portfolio: 36 of its 54 innovations are invented
    assert (share["illustrative_innovations"], share["innovations"]) == (36, 54)
    banner = page.get_by_test_id("provenance-banner")
    assert banner.is_visible()
    assert banner.inner_text() == (
        f"{share['illustrative_innovations']} dari {share['innovations']} inovasi dan "
        f"{share['illustrative_ties']} dari {share['ties']} relasi bersifat ilustratif (contoh), "
        "bukan data terlapor."
    )
    styles = _edge_styles(page)
    assert styles["illustrative"] > 0 and styles["reported"] > 0
    assert styles["invented"]["line"] == "dashed"
    assert styles["cited"]["line"] == "solid"
    assert styles["invented"]["opacity"] < styles["cited"]["opacity"]
    assert page.get_by_test_id("legend-illustrative").is_visible()
    screenshot(page, "provenance-id-1366")

    page.get_by_test_id("lang-toggle").click()
    assert banner.inner_text().startswith(
        f"{share['illustrative_innovations']} of {share['innovations']} innovations and "
    )
    assert "Reported data only" in page.get_by_test_id("reported-only").locator("..").inner_text()

    page.get_by_test_id("reported-only").check()
    page.wait_for_selector("body[data-ready=true]")
    page.wait_for_function("document.getElementById('provenance-banner').hidden")
    assert "provenance=reported" in page.url
    after = _edge_styles(page)
    assert after["illustrative"] == 0 and after["reported"] > 0
    screenshot(page, "provenance-en-reported-only")


@pytest.mark.parametrize(("width", "lang"), [(1440, "id"), (1440, "en"), (390, "id"), (390, "en")])
def test_the_banner_at_each_width_and_language(
    browser: Any, server: Server, width: int, lang: str
) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900})
    shown = context.new_page()
    try:
        shown.goto(f"{server.url}/?region={REGION}&lang={lang}")
        shown.wait_for_selector("body[data-ready=true]")
        banner = shown.get_by_test_id("provenance-banner")
        assert banner.is_visible()
        box = banner.bounding_box()
        assert box is not None and box["width"] <= width
        word = "inovasi" if lang == "id" else "innovations"
        assert word in banner.inner_text()
        screenshot(shown, f"provenance-{lang}-{width}")
    finally:
        context.close()
