"""The page says what is invented: a banner with live counts, pale dashed illustrative ties with
a legend, and a "reported data only" switch (headless Chromium over the Banjar seed)."""

from __future__ import annotations

import csv
import io
from pathlib import Path
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


def _download(page: Any) -> list[dict[str, str]]:
    """The rows of the CSV the page's export button gives for the current view."""
    with page.expect_download() as info:
        page.get_by_test_id("export-csv").click()
    text = Path(info.value.path()).read_text(encoding="utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_lists_of_the_portfolio_mark_invented_and_assumed(page: Any, server: Server) -> None:
    """The dashboard's list marks each invented innovation and each assumed membership, in the
    page's language; its CSV keeps both marks; the panel gives the data completeness."""
    under = server.items("/innovations/under-connected", region=REGION)
    expected = {
        item["id"]: [
            *(["ilustratif (contoh)"] if item["provenance"] == "illustrative" else []),
            *(["keanggotaan program diasumsikan"] if item["membership"] == "assumed" else []),
        ]
        for item in under
    }
    assert any(len(m) == 1 and "diasumsikan" in m[0] for m in expected.values())
    assert any(m == ["ilustratif (contoh)"] for m in expected.values())
    _open(page, server)
    page.get_by_test_id("tab-dashboard").click()
    page.get_by_test_id("under-row").first.wait_for()
    rows = page.get_by_test_id("under-row")
    shown = {
        rows.nth(i).get_attribute("data-id"): rows.nth(i)
        .get_by_test_id("innovation-mark")
        .all_inner_texts()
        for i in range(rows.count())
    }
    assert shown == expected
    exported = {row["id"]: (row["provenance"], row["membership"]) for row in _download(page)}
    assert exported == {
        item["id"]: (item["provenance"], item["membership"] or "") for item in under
    }

    page.get_by_test_id("lang-toggle").click()
    assumed = next(i for i, m in expected.items() if any("diasumsikan" in x for x in m))
    row = page.locator(f"[data-testid=under-row][data-id={assumed}]")
    assert "programme membership assumed" in row.inner_text()
    screenshot(page, "provenance-dashboard-marks-en")

    # the panel of an innovation gives how much of its data is reported
    row.get_by_role("button").first.click()
    page.wait_for_selector("[data-testid=panel-metrics][data-state=ready]")
    metrics = server.get(f"/analytics/innovations/{assumed}", region=REGION)
    share = page.get_by_test_id("data-completeness").inner_text()
    assert share == f"{round(metrics['data_completeness'] * 100)}%"
    assert "Data completeness" in page.get_by_test_id("panel-metrics").inner_text()


def test_the_explorers_csv_keeps_provenance(page: Any, server: Server) -> None:
    _open(page, server)
    page.get_by_test_id("tab-explorer").click()
    page.get_by_test_id("path-source").select_option("baznas-banjar")
    page.get_by_test_id("path-target").select_option("bkkbn-kalsel")
    page.get_by_test_id("path-find").click()
    page.get_by_test_id("path").first.wait_for()
    rows = _download(page)
    expected = server.get("/paths", source="baznas-banjar", target="bkkbn-kalsel", k=3)
    hops = [hop for path in expected["paths"] for hop in path["hops"]]
    assert [row["provenance"] for row in rows] == [hop["provenance"] for hop in hops]
    assert {row["provenance"] for row in rows} == {"reported", "illustrative"}
    assert "17229" in rows[0]["sources"]
