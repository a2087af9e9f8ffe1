"""The page on a graph over the map's draw limit, in headless Chromium: a generated country
(about 550 regions, 1,250 innovations, a few thousand actors) with `MAX_MAP_NODES` lowered to
400, so that "Seluruh Indonesia" is shown aggregated (innovations per region, each a way in)
and the region picker is searched by name or code. The national graph itself is too slow for
CI; the aggregated path is the same."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from typing import Any

import pytest

from graph import synth
from tests.browser.conftest import Console, Server, screenshot, serving

pytestmark = pytest.mark.browser
LIMIT = 400


@pytest.fixture(scope="module")
def country(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The app over a small generated country, with the draw limit lowered."""
    from graph.embedded import EmbeddedStore

    small = dataclasses.replace(
        synth.SPECS[synth.Scale.NATIONAL],
        innovations=1200,
        partnerships=800,
        national_actors=40,
        actors_base=3,
        absent=5,
        max_region=60,
    )
    data_dir = tmp_path_factory.mktemp("country")
    store = EmbeddedStore(data_dir / "store")
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(synth.SPECS, synth.Scale.NATIONAL, small)
        store.load(synth.generate(synth.Scale.NATIONAL, seed=3))
        patch.setattr("graph.mapview.MAX_MAP_NODES", LIMIT)
        with serving(store, data_dir) as running:
            yield running
    store.close()


@pytest.fixture(autouse=True)
def _no_console_errors(console: Console) -> Any:
    yield
    assert console.errors == [], "console errors:\n" + "\n".join(console.errors)


def _open(page: Any, server: Server, query: str) -> None:
    page.goto(f"{server.url}/?{query}")
    page.wait_for_selector("body[data-ready=true]", timeout=60_000)


def test_the_whole_country_is_shown_aggregated_with_a_way_into_each_region(
    page: Any, country: Server
) -> None:
    regions = country.get("/map/regions")["regions"]
    assert len(regions) > 500
    _open(page, country, "region=id")
    assert page.get_by_test_id("region-select").input_value() == "id"
    aggregate = page.locator("#aggregate")
    assert aggregate.is_visible()
    nodes = country.get("/map")["node_count"]
    assert nodes > LIMIT
    said = page.get_by_test_id("too-large").inner_text()
    assert str(nodes) in re.sub(r"[.,\s]", "", said)  # the count, whatever the separators
    buttons = aggregate.locator("li button")
    assert buttons.count() == len(regions)
    assert page.evaluate("window.hexahelix.cy ? window.hexahelix.cy.nodes().length : 0") == 0
    screenshot(page, "country-aggregated")
    # Drill down: the fifth region's button loads that region's map, drawn.
    chosen = regions[4]
    buttons.nth(4).click()
    page.wait_for_function(
        "(code) => document.body.dataset.ready === 'true' && "
        "document.getElementById('region').value === code",
        arg=chosen["code"],
    )
    assert aggregate.is_hidden()
    assert page.evaluate("window.hexahelix.cy.nodes('.innovation').length") == chosen["innovations"]


def test_the_region_picker_is_searched_by_name_or_code(page: Any, country: Server) -> None:
    regions = country.get("/map/regions")["regions"]
    target = next(r for r in regions[10:] if r["name"].startswith("Kabupaten "))
    _open(page, country, "region=id")
    search = page.get_by_test_id("region-search")
    word = target["name"].removeprefix("Kabupaten ").lower()
    search.fill(word)
    shown = page.evaluate(
        "[...document.getElementById('region').options].filter((o) => !o.hidden)"
        ".map((o) => o.value)"
    )
    assert target["code"] in shown
    assert 1 <= len(shown) < 10  # of 500+ regions
    expected = [r["code"] for r in regions if word in r["name"].lower()]
    assert shown == expected
    search.press("Enter")
    page.wait_for_function(
        "(code) => document.body.dataset.ready === 'true' && "
        "document.getElementById('region').value === code",
        arg=expected[0],
    )
    assert page.locator("#aggregate").is_hidden()
    # By code, in English: the field's hint says how (the placeholder stays short enough to be
    # read whole), and the code finds its region.
    search.fill("")
    page.get_by_test_id("lang-toggle").click()
    assert search.get_attribute("placeholder") == "name or code"
    assert "Enter" in (search.get_attribute("title") or "")
    search.fill(target["code"])
    search.press("Enter")
    page.wait_for_function(
        "(code) => document.body.dataset.ready === 'true' && "
        "document.getElementById('region').value === code",
        arg=target["code"],
    )
