"""Charts and terms that explain themselves: every dashboard chart has titled axes, a caption
saying what it tells, and its numbers as a text alternative (the canvas's name and a table);
the top brokers' "Lintas unsur" and the brokerage roles are explained; all in both languages."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import Console, Server, screenshot
from tests.browser.test_web import REGION, _click_node, _open

pytestmark = pytest.mark.browser

CHARTS = ["coverage", "helix", "origin", "radar", "history"]


@pytest.fixture(autouse=True)
def _no_console_errors(console: Console) -> Any:
    yield
    assert console.errors == [], "console errors:\n" + "\n".join(console.errors)


def _dashboard(page: Any) -> None:
    page.get_by_test_id("tab-dashboard").click()
    page.get_by_test_id("under-row").first.wait_for()
    page.wait_for_function("() => Object.keys(window.hexahelix.dashboard.charts).length === 5")


def _axis_titles(page: Any, chart: str) -> dict[str, str]:
    titles: dict[str, str] = page.evaluate(
        """(name) => Object.fromEntries(Object.entries(window.hexahelix.dashboard.charts[name].options.scales)
            .filter(([, s]) => s.title && s.title.display).map(([axis, s]) => [axis, s.title.text]))""",
        chart,
    )
    return titles


def _table(page: Any, chart: str) -> list[list[str]]:
    rows: list[list[str]] = page.evaluate(
        """(name) => [...document.querySelectorAll(`[data-testid=chart-table-${name}] tbody tr`)]
            .map(tr => [...tr.children].map(c => c.textContent.trim()))""",
        chart,
    )
    return rows


def _texts(page: Any) -> dict[str, Any]:
    """What a reader (or a screen reader) gets of each chart."""
    out: dict[str, Any] = {}
    for chart in CHARTS:
        out[chart] = {
            "axes": _axis_titles(page, chart) if chart != "radar" else {},
            "caption": page.get_by_test_id(f"caption-{chart}").inner_text(),
            "name": page.get_by_test_id(f"chart-{chart}").get_attribute("aria-label"),
            "role": page.get_by_test_id(f"chart-{chart}").get_attribute("role"),
        }
    out["heatmap"] = page.get_by_test_id("caption-heatmap").inner_text()
    out["brokers"] = page.get_by_test_id("brokers-explained").inner_text()
    return out


def test_every_chart_explains_itself_in_both_languages(page: Any, server: Server) -> None:
    _open(page, server, f"region={REGION}")
    _dashboard(page)
    portfolio = server.get("/analytics/portfolio", region=REGION)
    texts = {"id": _texts(page)}
    for chart in CHARTS:
        seen = texts["id"][chart]
        assert seen["role"] == "img" and seen["caption"], (chart, seen)
        # the chart's name carries its numbers, and the same numbers are in its table
        assert len(seen["name"]) > 40, (chart, seen)
        assert _table(page, chart), chart
    # bar charts title both axes, the history its three (years, innovations, index 0-100)
    for chart in ("coverage", "helix", "origin"):
        assert set(texts["id"][chart]["axes"]) == {"x", "y"}, chart
    assert set(texts["id"]["history"]["axes"]) == {"x", "y", "y1"}
    assert "0–100" in texts["id"]["history"]["axes"]["y1"]
    # the numbers are the API's: the coverage histogram and each kind's participation
    assert [int(row[1]) for row in _table(page, "coverage")] == portfolio["coverage_histogram"]
    assert (
        "2 unsur: " + str(portfolio["coverage_histogram"][2]) + " inovasi"
        in (texts["id"]["coverage"]["name"])
    )
    helix = {row[0]: int(row[1]) for row in _table(page, "helix")}
    assert helix["Akademisi"] == portfolio["helix_participation"]["academia"]
    history = server.get(
        "/analytics/portfolio/history",
        region=REGION,
        to=page.evaluate("document.getElementById('as-of').value"),
        step="year",
        **{"from": page.evaluate("window.hexahelix.dashboard.history.points[0].at")},
    )
    assert len(_table(page, "history")) == len(history["points"])
    assert _table(page, "history")[-1][1] == str(history["points"][-1]["active_innovation_count"])
    # "Lintas unsur" is explained where the top brokers are listed
    assert "Lintas unsur:" in texts["id"]["brokers"]
    assert page.get_by_test_id("top-brokers").locator("abbr").first.get_attribute("title")
    screenshot(page, "dashboard-charts-id")

    page.get_by_test_id("lang-toggle").click()
    page.wait_for_function("() => document.documentElement.lang === 'en'")
    _dashboard(page)
    page.wait_for_function(
        "() => document.querySelector('[data-testid=chart-coverage]').getAttribute('aria-label').includes('innovations')"
    )
    texts["en"] = _texts(page)
    assert "Cross-helix:" in texts["en"]["brokers"]
    assert (
        "2 kinds: " + str(portfolio["coverage_histogram"][2]) + " innovations"
        in (texts["en"]["coverage"]["name"])
    )
    for chart in CHARTS:
        for part in ("caption", "name"):
            assert texts["en"][chart][part] != texts["id"][chart][part], (chart, part)
        for axis, title in texts["en"][chart]["axes"].items():
            assert title and title != texts["id"][chart]["axes"][axis], (chart, axis)
    assert texts["en"]["heatmap"] != texts["id"]["heatmap"]
    screenshot(page, "dashboard-charts-en")


def test_brokerage_roles_are_explained_in_the_actor_panel(page: Any, server: Server) -> None:
    for lang, word in (("id", "Lintas unsur"), ("en", "Cross-helix")):
        _open(page, server, f"region={REGION}&lang={lang}")
        _click_node(page, "actor:universitas-a")
        page.wait_for_selector("[data-testid=panel-position][data-state=ready]")
        explained = page.get_by_test_id("brokerage-explained")
        explained.locator("summary").click()
        text = explained.inner_text()
        assert word in text
        # every role listed has its words, none shows its key
        assert "Hint" not in text and "broker." not in text
        roles = page.get_by_test_id("brokerage").locator("dt").count()
        assert explained.locator("dd").count() == roles >= 5


@pytest.mark.parametrize(
    ("lang", "sector", "kind"),
    [("id", "kesehatan", "perangkat daerah"), ("en", "health", "regional agency")],
)
def test_a_phone_reads_the_switch_and_the_panel_names_codes(
    browser: Any, console: Console, server: Server, lang: str, sector: str, kind: str
) -> None:
    """At 390 px the "reported data only" switch keeps its words; the panel names an actor's
    sector and kind in the reader's language (from GET /api/v1/vocab), never as codes."""
    from tests.browser.conftest import _new_page

    context, page = _new_page(browser, console, 390, 844)
    try:
        _open(page, server, f"region={REGION}&lang={lang}")
        words = page.locator("label.switch > span")
        box = words.bounding_box()
        assert words.is_visible() and box and box["width"] > 40 and box["x"] + box["width"] <= 390
        assert words.inner_text() == {"id": "Hanya data terlapor", "en": "Reported data only"}[lang]
        _click_node(page, "actor:dinkes-banjar")
        page.get_by_test_id("panel-name").wait_for()
        facts = page.evaluate(
            """() => Object.fromEntries([...document.querySelectorAll('#panel-body dl.facts')[0].children]
                .filter(el => el.tagName === 'DT').map(dt => [dt.textContent, dt.nextElementSibling.textContent]))"""
        )
        assert facts[{"id": "Sektor", "en": "Sector"}[lang]] == sector, facts
        assert facts[{"id": "Jenis", "en": "Kind"}[lang]] == kind, facts
        screenshot(page, f"390-panel-vocab-{lang}")
    finally:
        context.close()
