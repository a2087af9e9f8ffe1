"""The map as it is drawn for a large region (from `LARGE_MAP` elements on; lowered here so that
the Banjar seed is drawn that way): the page says it is ready only once cytoscape holds the
drawing in its layer textures (each later frame copies them instead of drawing every element),
zooming restyles no node (that would throw the textures away), its nodes take no pointer
events (a press would restyle the node under it) so a tap finds its node by position, and its
names start from zoom 1, never below 10 px. The national bench (`bench.page_national`) measures
the same page on the national graph's largest region."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import Console, Server, screenshot
from tests.browser.test_web import _click_node, _open

pytestmark = pytest.mark.browser
CY = "window.hexahelix.cy"
LAYERS_COMPLETE = f"""() => {{
  const r = {CY}.renderer(), layers = r.data.lyrTxrCache;
  const level = Math.ceil(Math.log2({CY}.zoom() * r.getPixelRatio()));
  return (layers.layersByLevel[level] || []).length > 0 && layers.layersQueue.size() === 0;
}}"""
# A point of the map at least 30 px away from every drawn node, or null.
EMPTY_POINT = f"""() => {{
  const cy = {CY}, box = cy.container().getBoundingClientRect();
  const nodes = cy.nodes(':visible').map((n) => [n.renderedPosition(), n.renderedWidth() / 2]);
  for (let y = 40; y < box.height - 40; y += 20) {{
    for (let x = box.width - 40; x > 40; x -= 20) {{
      const free = nodes.every(([p, r]) => Math.hypot(p.x - x, p.y - y) > r + 30);
      const at = document.elementFromPoint(box.left + x, box.top + y);
      if (free && at && at.closest('#cy')) return {{x: box.left + x, y: box.top + y}};
    }}
  }}
  return null;
}}"""


@pytest.fixture(autouse=True)
def _no_console_errors(console: Console) -> Any:
    yield
    assert console.errors == [], "console errors:\n" + "\n".join(console.errors)


def test_a_large_map_is_ready_once_cached_and_zooms_without_restyling(
    page: Any, server: Server
) -> None:
    page.add_init_script("window.hexahelixLargeMap = 100")
    _open(page, server)
    assert page.evaluate("window.hexahelix.map.large") is True
    assert page.evaluate(f"{CY}.elements().length") >= 100
    assert page.evaluate(LAYERS_COMPLETE), "ready before cytoscape cached the drawing"
    page.evaluate(f"() => {{ window.restyled = 0; {CY}.on('style', () => window.restyled++); }}")
    for zoom in (0.4, 0.8, 1.2, 2.0, 0.6):
        page.evaluate(f"void {CY}.zoom({zoom})")
        labels = page.evaluate(
            f"""{CY}.nodes(':visible').map(n => [n.data('fontSize') * {CY}.zoom(),
                {CY}.renderer().eleTextBiggerThanMin(n)])"""
        )
        drawn = [px for px, shown in labels if shown]
        assert all(px >= 10 for px in drawn), (zoom, drawn)
        if zoom <= 1.0:
            assert not drawn, zoom  # a large map names its nodes from zoom 1
        else:
            assert drawn, zoom
    assert page.evaluate("window.restyled") == 0


def test_a_tap_on_a_large_map_finds_its_node_by_position(page: Any, server: Server) -> None:
    page.add_init_script("window.hexahelixLargeMap = 100")
    _open(page, server)
    assert page.evaluate(f"{CY}.nodes('.innovation, .actor').map(n => n.style('events'))") == [
        "no"
    ] * page.evaluate(f"{CY}.nodes().length")
    key = page.evaluate(f"{CY}.nodes('.innovation').first().id()")
    _click_node(page, key)
    page.wait_for_function(
        "(key) => { const s = window.hexahelix.state.selection; "
        "return s && `${s.kind}:${s.id}` === key; }",
        arg=key,
    )
    assert page.get_by_test_id("panel-empty").count() == 0
    assert page.evaluate(f"{CY}.getElementById('{key}').hasClass('selected')")
    screenshot(page, "large-map-selected")
    point = page.evaluate(EMPTY_POINT)
    assert point, "no empty spot on the map"
    page.mouse.click(point["x"], point["y"])
    page.wait_for_function("() => window.hexahelix.state.selection === null")
