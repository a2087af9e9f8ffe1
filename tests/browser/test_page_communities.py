"""A region with more nodes than the map draws one by one (`MAX_DRAWN_NODES`, lowered here so
that the Banjar seed comes by community): the page draws one pie per community with the ties
between them, explains the view in both languages, lists the communities as buttons (keyboard),
drills into one (a tap or Enter) and comes back; the URL keeps the community over a reload.
Its own server: the session server's response cache holds the seed drawn node by node."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import Console, Server, _wait_for_seed, screenshot, serving

pytestmark = pytest.mark.browser
CY = "window.hexahelix.cy"
LIMIT = 20


@pytest.fixture(scope="module")
def grouped(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    from graph.embedded import EmbeddedStore

    data_dir: Path = tmp_path_factory.mktemp("communities-data")
    store = EmbeddedStore(data_dir / "store")
    store.load(_wait_for_seed())
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("graph.mapview.MAX_DRAWN_NODES", LIMIT)
        with serving(store, data_dir) as running:
            yield running
    store.close()


@pytest.fixture(autouse=True)
def _no_console_errors(console: Console) -> Any:
    yield
    assert console.errors == [], "console errors:\n" + "\n".join(console.errors)


def _open(page: Any, server: Server, query: str = "") -> None:
    page.goto(f"{server.url}/?{query}")
    page.wait_for_selector("body[data-ready=true]")


def _tap(page: Any, key: str) -> None:
    """Click a node where cytoscape drew it, as a person would."""
    point = page.evaluate(
        """(key) => {
            const cy = window.hexahelix.cy, node = cy.getElementById(key);
            const p = node.renderedPosition(), box = cy.container().getBoundingClientRect();
            return {x: box.left + p.x, y: box.top + p.y};
        }""",
        key,
    )
    page.mouse.click(point["x"], point["y"])


def test_the_overview_draws_communities_drills_down_and_comes_back(
    page: Any, grouped: Server
) -> None:
    region = grouped.get("/map/regions")["default"]
    overview = grouped.get("/map", region=region)
    assert overview["view"] == "communities"
    _open(page, grouped)
    # One pie per community, at the server's numbers, ties between them as lines.
    nodes = page.evaluate(f"{CY}.nodes('.community').map(n => n.data('ref'))")
    assert sorted(nodes) == sorted(c["id"] for c in overview["communities"])
    assert page.evaluate(f"{CY}.edges('.community-tie').length") == len(overview["community_ties"])
    assert page.evaluate(f"{CY}.nodes('.actor, .innovation').length") == 0
    largest = overview["communities"][0]
    slices = page.evaluate(
        f"""() => {{ const n = {CY}.getElementById('community:{largest["id"]}');
            return [0, 1, 2, 3, 4, 5].map(k => n.data('pie' + k)); }}"""
    )
    assert abs(sum(slices) - 100) < 0.01 and max(slices) < 100
    hint = page.get_by_test_id("community-hint")
    assert "komunitas" in hint.inner_text().lower()
    assert page.get_by_test_id("community-list").is_visible()
    assert not page.get_by_test_id("filter-origin").is_visible()  # filters wait for a community
    screenshot(page, "communities-overview")

    # A tap on the largest community draws its actors and innovations.
    _tap(page, f"community:{largest['id']}")
    page.wait_for_function(
        "(c) => window.hexahelix.state.community === c && "
        "window.hexahelix.cy.nodes('.actor').length > 0",
        arg=largest["id"],
    )
    drilled = grouped.get("/map", region=region, community=largest["id"])
    actors = page.evaluate(f"{CY}.nodes('.actor').map(n => n.data('ref'))")
    assert sorted(actors) == sorted(a["id"] for a in drilled["actors"])
    assert page.evaluate(f"{CY}.nodes('.innovation').length") == len(drilled["innovations"])
    assert f"community={largest['id']}" in page.url
    assert page.get_by_test_id("community-current").inner_text() == f"Komunitas {largest['id'] + 1}"
    assert not page.get_by_test_id("community-list").is_visible()
    assert page.get_by_test_id("filter-origin").is_visible()
    screenshot(page, "communities-drilled")

    # Back: the overview again, the focus on the community's button in the list.
    page.get_by_test_id("community-back").click()
    page.wait_for_function(f"() => {CY}.nodes('.community').length > 0")
    assert "community=" not in page.url
    focused = page.evaluate("document.activeElement.dataset.community")
    assert focused == str(largest["id"])


def test_the_keyboard_drills_down_and_a_reload_keeps_the_community(
    page: Any, grouped: Server
) -> None:
    region = grouped.get("/map/regions")["default"]
    overview = grouped.get("/map", region=region)
    second = next(c for c in overview["communities"][1:] if c["actors"] > 1)
    _open(page, grouped, "lang=en")
    assert "community" in page.get_by_test_id("community-hint").inner_text().lower()
    button = page.locator(f"[data-testid=community-button][data-community='{second['id']}']")
    button.focus()
    page.keyboard.press("Enter")
    page.wait_for_function("(c) => window.hexahelix.state.community === c", arg=second["id"])
    page.wait_for_function(f"() => {CY}.nodes('.actor').length === {second['actors']}")
    assert page.evaluate("document.activeElement.dataset.testid") == "community-back"
    assert page.get_by_test_id("community-current").inner_text() == f"Community {second['id'] + 1}"
    page.reload()
    page.wait_for_selector("body[data-ready=true]")
    assert page.evaluate("window.hexahelix.state.community") == second["id"]
    assert page.evaluate(f"{CY}.nodes('.actor').length") == second["actors"]
    page.keyboard.press("Tab")  # the page works on after a reload: back by keyboard
    page.get_by_test_id("community-back").focus()
    page.keyboard.press("Enter")
    page.wait_for_function(f"() => {CY}.nodes('.community').length > 0")
    assert page.evaluate("window.hexahelix.state.community") is None


def test_a_community_that_is_gone_falls_back_to_the_overview(page: Any, grouped: Server) -> None:
    _open(page, grouped, "community=999")
    assert page.evaluate("window.hexahelix.state.community") is None
    assert page.evaluate(f"{CY}.nodes('.community').length") > 0


def test_a_node_of_a_community_in_the_url_is_selected_again(page: Any, grouped: Server) -> None:
    region = grouped.get("/map/regions")["default"]
    community = grouped.get("/map", region=region)["communities"][0]["id"]
    actor = grouped.get("/map", region=region, community=community)["actors"][0]["id"]
    _open(page, grouped, f"community={community}&node=actor:{actor}")
    assert page.evaluate("window.hexahelix.state.community") == community
    selection = page.evaluate("window.hexahelix.state.selection")
    assert selection == {"kind": "actor", "id": actor}
    assert page.get_by_test_id("panel-empty").count() == 0


def test_a_community_is_drawn_in_rings_while_the_layout_is_computed(
    page: Any, grouped: Server, console: Console
) -> None:
    """The region's layout answered 503 (a reader while the worker computes it, a minute for a
    region's first): the overview needs none, and a community is drawn at once in rings, said
    so, instead of waiting."""
    asked: list[str] = []

    def computing(route: Any) -> None:
        asked.append(route.request.url)
        route.fulfill(
            status=503,
            headers={"Retry-After": "5", "Content-Type": "application/json"},
            body='{"detail": "the layout of 63.03 is being computed; retry shortly"}',
        )

    page.route("**/api/v1/layout?*", computing)
    _open(page, grouped)
    assert page.evaluate(f"{CY}.nodes('.community').length") > 0
    region = grouped.get("/map/regions")["default"]
    largest = grouped.get("/map", region=region)["communities"][0]
    page.locator(f"[data-testid=community-button][data-community='{largest['id']}']").click()
    page.wait_for_function(
        "(id) => document.body.dataset.communityDrawn === String(id)", arg=largest["id"]
    )
    assert page.evaluate(f"{CY}.nodes('.actor').length") == largest["actors"]
    assert "masih dihitung" in page.get_by_test_id("status").inner_text()
    # Rings: not the layout's positions (none came), every node inside the map.
    box = page.evaluate(f"{CY}.nodes().renderedBoundingBox({{includeLabels: false}})")
    size = page.evaluate(f"[{CY}.width(), {CY}.height()]")
    assert box["x1"] >= 0 and box["y1"] >= 0 and box["x2"] <= size[0] and box["y2"] <= size[1]
    screenshot(page, "communities-rings")
    assert len(asked) >= 2  # asked again for the next time
    # The 503 answers are expected here: Chromium logs each as a failed resource.
    console.errors[:] = [e for e in console.errors if "status of 503" not in e]
