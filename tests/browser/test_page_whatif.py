"""Decisions from where the planner stands: a searchable actor picker usable by keyboard,
"simulate losing this actor" from a panel, and a what-if result that says what changed (a
filled Status column, a legend of the row colours, one sentence)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import Console, Server, _new_page, screenshot
from tests.browser.test_page_use import _on_screen
from tests.browser.test_web import REGION, _click_node, _open

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _no_console_errors(console: Console) -> Any:
    yield
    assert console.errors == [], "console errors:\n" + "\n".join(console.errors)


def _picked(page: Any) -> list[str]:
    ids: list[str] = page.evaluate(
        "[...document.querySelectorAll('[data-testid=whatif-removed-actor]')].map(li => li.dataset.id)"
    )
    return ids


def test_the_actor_picker_filters_as_you_type_and_works_by_keyboard(
    page: Any, server: Server
) -> None:
    _open(page, server)
    actors = server.get("/map", region=REGION)["actors"]
    assert len(actors) > 100
    page.get_by_test_id("tab-whatif").click()
    search = page.get_by_test_id("whatif-search")
    # every actor can be picked: the field says how many, a click lists them (the first 40)
    assert page.evaluate("window.hexahelix.whatif.picker.actors.length") == len(actors)
    assert str(len(actors)) in page.get_by_test_id("whatif-count").inner_text()
    search.click()
    assert page.get_by_test_id("whatif-option").count() == 40
    page.keyboard.type("UNIVERSITAS")
    options = page.get_by_test_id("whatif-option")
    wanted = sorted(a["id"] for a in actors if "universitas" in a["name"].lower())
    assert wanted and sorted(o.get_attribute("data-id") for o in options.all()) == wanted
    assert search.get_attribute("aria-expanded") == "true"
    # arrows move the active option, Enter picks it; the focus stays in the field
    page.keyboard.press("ArrowDown")
    active = search.get_attribute("aria-activedescendant")
    chosen = page.locator(f"#{active}").get_attribute("data-id")
    assert chosen == options.nth(1).get_attribute("data-id")
    page.keyboard.press("Enter")
    assert _picked(page) == [chosen]
    assert page.evaluate("document.activeElement.id") == "w-search"
    assert search.input_value() == ""
    # a picked actor is not offered again; Escape closes the list and nothing else
    page.keyboard.type("universitas")
    assert chosen not in [o.get_attribute("data-id") for o in options.all()]
    page.keyboard.press("Escape")
    assert page.get_by_test_id("whatif-options").is_hidden()
    assert search.get_attribute("aria-expanded") == "false"
    # a click picks too; the × takes an actor out again
    search.fill("bank daerah")
    page.locator("[data-testid=whatif-option][data-id=bank-daerah-a]").click()
    assert _picked(page) == [chosen, "bank-daerah-a"]
    page.locator("[data-testid=whatif-removed-actor][data-id=bank-daerah-a] button").click()
    assert _picked(page) == [chosen]
    page.get_by_test_id("whatif-run").click()
    page.get_by_test_id("whatif-summary").wait_for()
    assert page.evaluate("window.hexahelix.cy.nodes('.removed').map(n => n.data('ref'))") == [
        chosen
    ]


@pytest.mark.parametrize(("width", "height", "lang"), [(1440, 900, "id"), (1024, 768, "en")])
def test_simulate_losing_an_actor_from_its_innovation(
    browser: Any, console: Console, server: Server, width: int, height: int, lang: str
) -> None:
    """From an innovation's panel, each critical actor has "simulate losing this actor"; the
    what-if result comes into view with the focus, every row has a status, the colours have a
    legend and one sentence says what changed, in the page's language."""
    metrics = server.items("/analytics/innovations", region=REGION)
    fragile = next(m for m in metrics if m["critical_actors"])
    critical = fragile["critical_actors"][0]
    result = server.api.post(
        "/api/v1/analytics/what-if",
        params={"region": REGION},
        json={"remove_actors": [critical["id"]]},
    ).json()
    context, page = _new_page(browser, console, width, height)
    try:
        _open(page, server, f"region={REGION}&lang={lang}")
        _click_node(page, f"innovation:{fragile['id']}")
        button = page.locator(
            f"[data-testid=critical-actors] [data-testid=simulate-loss][data-id='{critical['id']}']"
        )
        assert critical["name"] in button.get_attribute("aria-label")
        button.click()
        page.get_by_test_id("whatif-row").first.wait_for()
        assert page.evaluate("window.hexahelix.state.view") == "whatif"
        assert _picked(page) == [critical["id"]]
        _on_screen(page, "[data-testid=whatif-result]")
        rows = page.get_by_test_id("whatif-row")
        assert {r.get_attribute("data-id") for r in rows.all()} == {
            c["id"] for c in result["changes"]
        }
        # every row says what happened to it; its colour is in the legend with its count
        statuses = page.get_by_test_id("whatif-status").all_inner_texts()
        assert len(statuses) == rows.count() and all(len(s) > 8 for s in statuses)
        effects = [r.get_attribute("data-effect") for r in rows.all()]
        legend = page.get_by_test_id("whatif-legend").locator("li")
        assert {li.get_attribute("class") for li in legend.all()} == set(effects)
        for li in legend.all():
            assert str(effects.count(li.get_attribute("class"))) in li.inner_text()
        fragile_row = page.locator(f"[data-testid=whatif-row][data-id='{fragile['id']}']")
        assert fragile_row.get_attribute("data-effect") == "worse"
        summary = page.get_by_test_id("whatif-summary").inner_text()
        assert critical["name"] in summary
        assert f"{result['under_connected_before']} → {result['under_connected_after']}" in summary
        assert summary.startswith({"id": "Tanpa", "en": "Without"}[lang])
        assert summary.count(".") >= 1 and summary.endswith(".")
        screenshot(page, f"whatif-from-panel-{width}-{lang}")
    finally:
        context.close()


def test_simulate_from_an_actor_panel(page: Any, server: Server) -> None:
    _open(page, server)
    _click_node(page, "actor:universitas-a")
    page.get_by_test_id("panel-name").wait_for()
    page.locator("#panel [data-testid=simulate-loss][data-id=universitas-a]").click()
    page.get_by_test_id("whatif-summary").wait_for()
    assert _picked(page) == ["universitas-a"]
    assert "Universitas A" in page.get_by_test_id("whatif-summary").inner_text()
    # the language switch keeps the scenario and says it again in English
    page.get_by_test_id("lang-toggle").click()
    page.wait_for_function(
        "() => document.querySelector('[data-testid=whatif-summary]').textContent.startsWith('Without')"
    )
    assert _picked(page) == ["universitas-a"]
    assert page.get_by_test_id("whatif-status").first.inner_text().split(" — ")[0] in (
        "Weaker",
        "Stronger",
        "Unchanged",
    )
