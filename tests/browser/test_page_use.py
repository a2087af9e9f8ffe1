"""The page as a planner uses it: no race between views, every result on screen at four
viewport sizes, accessibility checked by axe-core, and the language switch re-rendering each
view."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import Console, Server, screenshot
from tests.browser.test_web import REGION, _click_node, _open, _pick_removed, _wait_for_day

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _no_console_errors(console: Console) -> Any:
    yield
    assert console.errors == [], "console errors:\n" + "\n".join(console.errors)


DAYS = ["2021-03-01", "2022-01-01", "2023-06-15", "2024-02-29", "2022-07-01", "2025-01-01"]


def _set_day(page: Any, day: str) -> None:
    """Set the as-of day as the date picker does (input value, then a change event)."""
    page.evaluate(
        """(day) => {
            const input = document.getElementById('as-of');
            input.value = day;
            input.dispatchEvent(new Event('change', {bubbles: true}));
        }""",
        day,
    )


# -- no race ------------------------------------------------------------------------------------
# A slow server, as a national graph makes it: the map and the analytics answer 300 ms late.
SLOW_SERVER = """
(() => {
  const fetch = window.fetch.bind(window);
  const slow = /\\/api\\/v1\\/(map\\?|analytics\\/)/;
  window.fetch = async (url, options) => {
    const response = await fetch(url, options);
    if (slow.test(String(url))) await new Promise((done) => setTimeout(done, 300));
    return response;
  };
})();
"""


def test_rapid_day_changes_leave_no_error_and_show_the_last_day(page: Any, server: Server) -> None:
    """Days chosen faster than a slow server answers: every older answer is dropped (no page
    error from a late answer written into the next view), and the last day is what is shown."""
    page.add_init_script(SLOW_SERVER)
    _open(page, server)
    _click_node(page, "actor:universitas-a")
    page.get_by_test_id("panel-name").wait_for()
    # a metric-sized map asks for the analytics of every view, the slowest requests
    page.get_by_test_id("size-metric").select_option("sustainability")
    for day in DAYS:
        _set_day(page, day)
        # the next day comes as soon as this one's map is drawn, while its analytics, ego
        # network and dashboard are still on their way
        page.wait_for_function("(day) => window.hexahelix.state.mapData?.at === day", arg=day)
        page.wait_for_timeout(100)
    last = DAYS[-1]
    _wait_for_day(page, last)
    page.wait_for_selector("#cy[data-ego=ready]")
    then = server.get("/map", region=REGION, at=last)
    assert page.evaluate("window.hexahelix.cy.edges().length") == len(then["collaborations"]) + len(
        then["partnerships"]
    )
    assert page.evaluate("window.hexahelix.state.selection.id") == "universitas-a"
    assert not page.locator("#status [data-testid=error]").count()
    # the dashboard is of the last day, too
    page.get_by_test_id("tab-dashboard").click()
    portfolio = server.get("/analytics/portfolio", region=REGION, at=last)
    kpi = page.locator("[data-testid=kpi][data-key=active_innovation_count] strong")
    assert kpi.inner_text() == str(portfolio["active_innovation_count"])
    # and again while on the dashboard, faster still
    for day in reversed(DAYS):
        _set_day(page, day)
        page.wait_for_timeout(10)
    _set_day(page, DAYS[0])
    _wait_for_day(page, DAYS[0])
    assert kpi.inner_text() == str(
        server.get("/analytics/portfolio", region=REGION, at=DAYS[0])["active_innovation_count"]
    )


# -- always on screen ---------------------------------------------------------------------------
SIZES = [(1440, 900), (1280, 800), (1024, 768), (390, 844)]

# How much of an element the reader sees: its box clipped by the viewport and by every
# ancestor that clips (scrolls or hides overflow); the element must show 40 px (or all of
# itself) each way, and the focus must be on it or inside it.
ON_SCREEN = """(selector) => {
    const el = document.querySelector(selector);
    if (!el) return {error: 'missing'};
    const box = el.getBoundingClientRect();
    let top = Math.max(box.top, 0), left = Math.max(box.left, 0);
    let bottom = Math.min(box.bottom, innerHeight), right = Math.min(box.right, innerWidth);
    for (let p = el.parentElement; p; p = p.parentElement) {
        const style = getComputedStyle(p);
        if (style.overflowX === 'visible' && style.overflowY === 'visible') continue;
        const r = p.getBoundingClientRect();
        top = Math.max(top, r.top); left = Math.max(left, r.left);
        bottom = Math.min(bottom, r.bottom); right = Math.min(right, r.right);
    }
    const active = document.activeElement;
    return {
        seenHeight: bottom - top, seenWidth: right - left,
        height: box.height, width: box.width,
        focused: el === active || el.contains(active),
    };
}"""


def _on_screen(page: Any, selector: str, focused: bool = True) -> None:
    seen = page.evaluate(ON_SCREEN, selector)
    assert "error" not in seen, selector
    assert seen["seenHeight"] >= min(40, seen["height"]) > 0, (selector, seen)
    assert seen["seenWidth"] >= min(40, seen["width"]) > 0, (selector, seen)
    if focused:
        assert seen["focused"], (
            selector,
            seen,
            page.evaluate("document.activeElement.outerHTML.slice(0, 120)"),
        )


def _no_clipped_words(page: Any) -> None:
    """No label in the side bar is wider than its box (e.g. 'Pemerintah' running into the next
    column of the helix checkboxes in the 15rem side bar)."""
    clipped = page.evaluate(
        """() => [...document.querySelectorAll('.sidebar label')]
            .filter(l => l.offsetParent && l.scrollWidth > l.clientWidth + 1)
            .map(l => `${l.textContent.trim()}: ${l.scrollWidth} > ${l.clientWidth}`)"""
    )
    assert clipped == [], clipped


def _fits_viewport(page: Any) -> None:
    size = page.evaluate(
        """() => ({sw: document.documentElement.scrollWidth, sh: document.documentElement.scrollHeight,
                   w: innerWidth, h: innerHeight, x: scrollX, y: scrollY})"""
    )
    assert size["sw"] <= size["w"] and size["sh"] <= size["h"], size
    assert size["x"] == 0 and size["y"] == 0, size


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize(("width", "height"), SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_every_result_is_on_screen(
    browser: Any, console: Console, server: Server, width: int, height: int, lang: str
) -> None:
    """At each size the map view fits the viewport, and the result of each main action (the
    panel, explorer paths, a what-if result) is inside it and has the focus."""
    from tests.browser.conftest import _new_page, screenshot

    context, page = _new_page(browser, console, width, height)
    try:
        name = f"{width}x{height}-{lang}"
        _open(page, server, f"region={REGION}&lang={lang}")
        _fits_viewport(page)
        _no_clipped_words(page)
        _on_screen(page, "#legend-box > summary", focused=False)
        _on_screen(page, "#map-fit", focused=False)
        screenshot(page, f"{name}-map")
        _click_node(page, "innovation:geolasting")
        page.wait_for_selector("[data-testid=panel-metrics][data-state=ready]")
        _on_screen(page, "#panel")
        _on_screen(page, "#panel [data-testid=panel-name]", focused=False)
        _fits_viewport(page)
        screenshot(page, f"{name}-panel")
        page.keyboard.press("Escape")
        assert page.evaluate("window.hexahelix.state.selection") is None
        _fits_viewport(page)

        page.get_by_test_id("tab-explorer").click()
        page.get_by_test_id("path-source").select_option("universitas-a")
        page.get_by_test_id("path-target").select_option("bank-daerah-a")
        page.get_by_test_id("path-find").click()
        page.get_by_test_id("path").first.wait_for()
        _on_screen(page, "[data-testid=paths]")
        _fits_viewport(page)
        screenshot(page, f"{name}-explorer")

        metrics = server.items("/analytics/innovations", region=REGION)
        actor = next(m for m in metrics if m["critical_actors"])["critical_actors"][0]["id"]
        page.get_by_test_id("tab-whatif").click()
        _pick_removed(page, actor)
        page.get_by_test_id("whatif-run").click()
        page.get_by_test_id("whatif-row").first.wait_for()
        _on_screen(page, "[data-testid=whatif-result]")
        _fits_viewport(page)
        screenshot(page, f"{name}-whatif")

        page.get_by_test_id("tab-dashboard").click()
        page.get_by_test_id("under-row").first.wait_for()
        assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
        screenshot(page, f"{name}-dashboard")
        # Enter on a dashboard row opens the map with the panel in view and focused
        page.get_by_test_id("under-row").first.get_by_role("button").focus()
        page.keyboard.press("Enter")
        page.get_by_test_id("panel-name").wait_for()
        _on_screen(page, "#panel")
        _fits_viewport(page)
    finally:
        context.close()


# -- accessibility ------------------------------------------------------------------------------
AXE = Path(__file__).parent / "vendor" / "axe.min.js"


def _axe_serious(page: Any) -> list[str]:
    """axe-core's critical and serious violations on the page as it is now."""
    if not page.evaluate("Boolean(window.axe)"):
        page.evaluate(AXE.read_text(encoding="utf-8"))  # evaluated by the driver: the CSP holds
    found = page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
            .filter(v => v.impact === 'critical' || v.impact === 'serious')
            .map(v => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ')}`)"""
    )
    return list(found)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_axe_finds_no_serious_violation_on_any_view(page: Any, server: Server, lang: str) -> None:
    _open(page, server, f"region={REGION}&lang={lang}")
    problems: dict[str, list[str]] = {}
    problems["map"] = _axe_serious(page)
    _click_node(page, "innovation:geolasting")
    page.wait_for_selector("[data-testid=panel-metrics][data-state=ready]")
    page.wait_for_selector("[data-testid=panel-recommendations][data-state=ready]")
    problems["panel"] = _axe_serious(page)
    page.get_by_test_id("tab-dashboard").click()
    page.get_by_test_id("under-row").first.wait_for()
    page.wait_for_timeout(300)
    problems["dashboard"] = _axe_serious(page)
    page.get_by_test_id("tab-explorer").click()
    page.get_by_test_id("path-source").select_option("universitas-a")
    page.get_by_test_id("path-target").select_option("bank-daerah-a")
    page.get_by_test_id("path-find").click()
    page.get_by_test_id("path").first.wait_for()
    problems["explorer"] = _axe_serious(page)
    page.get_by_test_id("tab-whatif").click()
    actor = next(
        m for m in server.items("/analytics/innovations", region=REGION) if m["critical_actors"]
    )
    _pick_removed(page, actor["critical_actors"][0]["id"])
    page.get_by_test_id("whatif-run").click()
    page.get_by_test_id("whatif-row").first.wait_for()
    problems["whatif"] = _axe_serious(page)
    found = {view: issues for view, issues in problems.items() if issues}
    assert not found, "\n".join(
        f"{view}: {issue}" for view, issues in found.items() for issue in issues
    )


# -- a readable map -----------------------------------------------------------------------------
def test_labels_are_legible_and_zoom_steps_matter(page: Any, server: Server) -> None:
    """No label is drawn below 10 px; innovations are named before minor actors; each zoom
    step is a 1.5x change; fit and whole-map buttons frame the map."""
    _open(page, server)
    cy = "window.hexahelix.cy"
    assert (
        page.evaluate(
            f"{cy}.style().json().find(s => s.selector === 'node').style['min-zoomed-font-size']"
        )
        == "20px"  # per texture level: twice the 10 px floor
    )
    sizes = page.evaluate(
        f"""() => ({{inv: Math.min(...{cy}.nodes('.innovation').map(n => n.data('fontSize'))),
                    minor: Math.min(...{cy}.nodes('.actor').map(n => n.data('fontSize')))}})"""
    )
    assert sizes["inv"] > sizes["minor"]
    before = page.evaluate(f"{cy}.zoom()")
    page.get_by_test_id("zoom-in").click()
    page.wait_for_timeout(400)
    assert page.evaluate(f"{cy}.zoom()") == pytest.approx(min(2.5, before * 1.5), rel=0.01)
    page.get_by_test_id("map-reset").click()
    page.wait_for_timeout(400)
    assert page.evaluate(f"{cy}.zoom()") == pytest.approx(before, rel=0.05)
    screenshot(page, "map-labels")


# -- the language switch re-renders every view ----------------------------------------------------
I18N = Path(__file__).resolve().parents[2] / "service" / "web" / "js" / "i18n.js"


def _phrases() -> dict[str, set[str]]:
    """Whole labels of the translation table (three words or more, no placeholder) that differ
    between the languages: seeing one in the other language's page means a stale word."""
    text = I18N.read_text(encoding="utf-8")
    body = text[text.index("export const MESSAGES") : text.index("export const LANGS")]
    tables = dict(zip(("id", "en"), body.split("\n  en: {"), strict=True))
    pair = re.compile(r'^\s+"([^"]+)": "((?:[^"\\]|\\.)*)",?$', re.M)
    values = {lang: dict(pair.findall(table)) for lang, table in tables.items()}
    out: dict[str, set[str]] = {"id": set(), "en": set()}
    for key, indonesian in values["id"].items():
        english = values["en"].get(key, indonesian)
        if english == indonesian:
            continue
        for lang, value in (("id", indonesian), ("en", english)):
            if "{" not in value and "\\" not in value and len(value.split()) >= 3:
                out[lang].add(value)
    return out


def _stale(page: Any, lang: str) -> list[str]:
    """Labels of the other language still on screen."""
    other = "en" if lang == "id" else "id"
    shown = page.evaluate("document.body.innerText")
    return sorted(p for p in _phrases()[other] if p in shown)


def _switch(page: Any, lang: str) -> None:
    page.get_by_test_id("lang-toggle").click()
    page.wait_for_function("(lang) => document.documentElement.lang === lang", arg=lang)
    page.wait_for_selector("body[data-ready=true]")
    page.wait_for_timeout(800)  # the server's texts are asked again in the new language


def test_the_language_switch_rerenders_every_view(page: Any, server: Server) -> None:
    """On each view, with its result shown, switching the language leaves no label of the other
    language on screen, both ways."""
    _open(page, server, f"region={REGION}&lang=id")
    seen: dict[str, list[str]] = {}
    # the map with an innovation's panel
    _click_node(page, "innovation:geolasting")
    page.wait_for_selector("[data-testid=panel-metrics][data-state=ready]")
    for lang in ("en", "id"):
        _switch(page, lang)
        page.wait_for_selector("[data-testid=panel-metrics][data-state=ready]")
        seen[f"map-{lang}"] = _stale(page, lang)
    page.keyboard.press("Escape")
    page.get_by_test_id("tab-dashboard").click()
    page.get_by_test_id("under-row").first.wait_for()
    for lang in ("en", "id"):
        _switch(page, lang)
        page.get_by_test_id("under-row").first.wait_for()
        seen[f"dashboard-{lang}"] = _stale(page, lang)
    page.get_by_test_id("tab-explorer").click()
    page.get_by_test_id("path-source").select_option("universitas-a")
    page.get_by_test_id("path-target").select_option("bank-daerah-a")
    page.get_by_test_id("path-find").click()
    page.get_by_test_id("explore-actor").select_option("bank-daerah-a")
    page.wait_for_selector("[data-testid=brokerage]")
    for lang in ("en", "id"):
        _switch(page, lang)
        page.wait_for_selector("[data-testid=brokerage]")
        seen[f"explorer-{lang}"] = _stale(page, lang)
    page.get_by_test_id("tab-whatif").click()
    _pick_removed(page, "universitas-a")
    page.get_by_test_id("whatif-run").click()
    page.get_by_test_id("whatif-row").first.wait_for()
    for lang in ("en", "id"):
        _switch(page, lang)
        seen[f"whatif-{lang}"] = _stale(page, lang)
    stale = {view: words for view, words in seen.items() if words}
    assert not stale, stale
