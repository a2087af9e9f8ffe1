"""The partnership explorer on the map: paths drawn as a diagram whose labels never overlap and
are never below 10 px, kept across view changes and days, said again in the other language;
and wheel zoom in steps that matter."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import Console, Server, _new_page, screenshot
from tests.browser.test_page_use import _set_day
from tests.browser.test_web import REGION, _open, _wait_for_day

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _no_console_errors(console: Console) -> Any:
    yield
    assert console.errors == [], "console errors:\n" + "\n".join(console.errors)


# Every label of the diagram (on-path nodes and path hops): its box on screen and its size.
LABELS = """() => {
    const cy = window.hexahelix.cy;
    const only = {includeNodes: false, includeEdges: false, includeLabels: true, includeOverlays: false};
    return cy.elements('node.path-node, edge.path-edge').filter(e => e.visible()).map(e => {
        const b = e.boundingBox(only);
        return {id: e.id(), y1: b.y1, y2: b.y2, x1: b.x1, x2: b.x2, text: e.style('label'),
                px: parseFloat(e.style('font-size')) * cy.zoom()};
    });
}"""


def _find_paths(page: Any, k: str = "5") -> None:
    page.get_by_test_id("tab-explorer").click()
    page.get_by_test_id("path-source").select_option("universitas-a")
    page.get_by_test_id("path-target").select_option("bank-daerah-a")
    page.locator("#x-k").select_option(k)
    page.get_by_test_id("path-find").click()
    page.get_by_test_id("path").first.wait_for()


def _drawn(page: Any) -> dict[str, Any]:
    drawn: dict[str, Any] = page.evaluate(
        """() => ({edges: window.hexahelix.cy.edges('.path-edge').map(e => e.data('label')).sort(),
                   listed: document.querySelectorAll('[data-testid=path]').length,
                   paths: window.hexahelix.explorer.paths.length})"""
    )
    return drawn


def _assert_labels_apart(page: Any) -> list[dict[str, Any]]:
    labels: list[dict[str, Any]] = page.evaluate(LABELS)
    assert labels
    for i, a in enumerate(labels):
        assert a["px"] >= 10, a  # the label floor: drawn at 10 px or more
        for b in labels[i + 1 :]:
            apart = (
                a["x2"] <= b["x1"] or b["x2"] <= a["x1"] or a["y2"] <= b["y1"] or b["y2"] <= a["y1"]
            )
            assert apart, (a, b, page.evaluate("window.hexahelix.cy.zoom()"))
    return labels


@pytest.mark.parametrize(("width", "height"), [(1440, 900), (1024, 768)])
def test_paths_are_a_diagram_with_labels_apart_that_survives_view_changes(
    browser: Any, console: Console, server: Server, width: int, height: int
) -> None:
    context, page = _new_page(browser, console, width, height)
    try:
        _open(page, server)
        cy = "window.hexahelix.cy"
        before = page.evaluate(f"{cy}.nodes().map(n => [n.id(), n.position('x'), n.position('y')])")
        _find_paths(page)
        drawn = _drawn(page)
        assert drawn["paths"] == drawn["listed"] >= 2
        # every hop of every path has its "path.hop" label on the diagram
        hops = page.evaluate(
            "window.hexahelix.explorer.paths.flatMap((p, i) => p.hops.map((h, j) => `${i + 1}.${j + 1}`))"
        )
        assert drawn["edges"] == sorted(hops)
        _assert_labels_apart(page)
        # what is on no path is out of the way: only the diagram's nodes are visible
        assert page.evaluate(f"{cy}.nodes(':visible').not('.path-node').length") == 0
        provenance = page.evaluate(
            f"""{cy}.edges('.path-edge').map(e => [e.data('provenance'), e.style('line-style')])"""
        )
        assert all(
            style == ("dashed" if p == "illustrative" else "solid") for p, style in provenance
        )
        assert page.get_by_test_id("legend-paths").is_visible()
        screenshot(page, f"explorer-diagram-{width}")

        # Explorer -> Map: the map as it was drawn (positions back, every node shown)
        page.get_by_test_id("tab-map").click()
        assert page.evaluate(f"{cy}.edges('.path-edge').length") == 0
        assert page.evaluate(f"{cy}.nodes('.off-path, .path-node').length") == 0
        after = page.evaluate(f"{cy}.nodes().map(n => [n.id(), n.position('x'), n.position('y')])")
        assert after == before
        assert page.get_by_test_id("legend-paths").is_hidden()
        # Map -> Explorer: the paths are drawn again, the list is still there
        page.get_by_test_id("tab-explorer").click()
        assert _drawn(page) == drawn
        _assert_labels_apart(page)
        # and via the what-if view and the dashboard too
        page.get_by_test_id("tab-whatif").click()
        assert page.evaluate(f"{cy}.edges('.path-edge').length") == 0
        page.get_by_test_id("tab-dashboard").click()
        page.get_by_test_id("tab-explorer").click()
        assert _drawn(page) == drawn
    finally:
        context.close()


def test_another_day_asks_the_paths_again(page: Any, server: Server) -> None:
    _open(page, server)
    _find_paths(page)
    day = "2025-12-01"
    _set_day(page, day)
    _wait_for_day(page, day)
    page.wait_for_function(
        "() => window.hexahelix.explorer.paths.length === document.querySelectorAll('[data-testid=path]').length"
    )
    expected = server.get("/paths", source="universitas-a", target="bank-daerah-a", k=5, at=day)
    drawn = _drawn(page)
    assert drawn["paths"] == drawn["listed"] == len(expected["paths"])
    if expected["paths"]:
        assert drawn["edges"]


def test_the_language_switch_says_the_explorer_again(page: Any, server: Server) -> None:
    _open(page, server, f"region={REGION}&lang=id")
    _find_paths(page, "3")
    page.get_by_test_id("explore-actor").select_option("universitas-a")
    page.wait_for_selector("[data-testid=brokerage]")
    seen = {
        "heading": page.get_by_test_id("path").first.locator("h3").inner_text(),
        "hop": page.get_by_test_id("hop").first.inner_text(),
        "pick": page.locator("#x-source option[value='']").inner_text(),
        "partners": page.get_by_test_id("actor-partners").locator("h3").first.inner_text(),
    }
    assert seen["heading"].startswith("Jalur 1")
    drawn = _drawn(page)
    page.get_by_test_id("lang-toggle").click()
    page.wait_for_function(
        "() => document.querySelector('[data-testid=path] h3')?.textContent.startsWith('Path 1')"
    )
    page.wait_for_selector("[data-testid=brokerage]")
    now = {
        "heading": page.get_by_test_id("path").first.locator("h3").inner_text(),
        "hop": page.get_by_test_id("hop").first.inner_text(),
        "pick": page.locator("#x-source option[value='']").inner_text(),
        "partners": page.get_by_test_id("actor-partners").locator("h3").first.inner_text(),
    }
    for part, text in now.items():
        assert text and text != seen[part], (part, text)
    english = server.api.get(
        "/api/v1/paths",
        params={"source": "universitas-a", "target": "bank-daerah-a", "k": 3},
        headers={"Accept-Language": "en"},
    ).json()
    assert english["paths"][0]["hops"][0]["explanation"]["text"] in now["hop"]
    # the choices and the drawing stay
    assert page.get_by_test_id("path-source").input_value() == "universitas-a"
    assert page.get_by_test_id("explore-actor").input_value() == "universitas-a"
    assert _drawn(page) == drawn
    screenshot(page, "explorer-en")


def test_wheel_zoom_steps_and_the_label_floor(page: Any, server: Server) -> None:
    """Each wheel notch zooms 1.5x around the pointer (four notches: 1.5^4, up to the cap);
    no label is drawn below 10 px at any zoom (cytoscape's floor is applied per texture level,
    the zoom rounded up to a power of two: the map asks for twice the 10 px, and never restyles
    its nodes on zoom)."""
    _open(page, server)
    cy = "window.hexahelix.cy"
    floors = page.evaluate(
        f"""Object.fromEntries({cy}.style().json()
            .filter(s => s.style.label || s.style['min-zoomed-font-size'])
            .map(s => [s.selector, s.style['min-zoomed-font-size']]))"""
    )
    assert floors["node"] == "20px", floors  # twice 10 px (pixel ratio 1)
    box = page.get_by_test_id("map").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.evaluate(f"void {cy}.zoom(0.4)")
    start = page.evaluate(f"{cy}.zoom()")
    for _ in range(4):
        page.mouse.wheel(0, -100)
    page.wait_for_timeout(200)
    assert page.evaluate(f"{cy}.zoom()") == pytest.approx(min(2.5, start * 1.5**4), rel=0.02)
    for _ in range(2):
        page.mouse.wheel(0, 100)
    page.wait_for_timeout(200)
    assert page.evaluate(f"{cy}.zoom()") == pytest.approx(
        min(2.5, start * 1.5**4) / 1.5**2, rel=0.02
    )
    # the page itself did not scroll
    assert page.evaluate("scrollY") == 0
    # at every zoom, a label is drawn at 10 px or more, or not at all (as the renderer decides
    # before it draws one); zoomed out the map still names its innovations first, zoomed in
    # (past zoom 1) every node
    for zoom in (0.3, 0.5, 0.65, 0.8, 1.0, 1.2, 1.5):
        page.evaluate(f"void {cy}.zoom({zoom})")
        labels = page.evaluate(
            f"""{cy}.nodes(':visible').map(n => [n.data('kind'), n.data('fontSize') * {cy}.zoom(),
                {cy}.renderer().eleTextBiggerThanMin(n)])"""
        )
        drawn = [(kind, px) for kind, px, shown in labels if shown]
        assert all(px >= 10 for _, px in drawn), (zoom, drawn)
        if zoom >= 0.65:
            assert {kind for kind, _ in drawn} >= {"innovation"}, zoom
        if zoom > 1.0:
            assert len(drawn) == len(labels), zoom
