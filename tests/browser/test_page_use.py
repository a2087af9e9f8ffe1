"""The page as a planner uses it: no race between views, every result on screen at four
viewport sizes, accessibility checked by axe-core, and the language switch re-rendering each
view."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import Console, Server
from tests.browser.test_web import REGION, _click_node, _open, _wait_for_day

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
    _click_node(page, "actor:ulm")
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
    assert page.evaluate("window.hexahelix.state.selection.id") == "ulm"
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
