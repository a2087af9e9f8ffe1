"""Collecting the real network in headless Chromium: an owner fills the declaration form at phone
width (390 x 844) from an invitation link, and a curator accepts it on the queue page; the graph
then holds the declared ties as reported. Names with markup show as text (escaped)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from graph.models import Actor
from graph.store import Store
from graph.vocab import Helix
from tests.browser.conftest import Console, _free_port, _new_page, _require_browser, screenshot
from tests.declarations.conftest import INNOVATION, small_graph

pytestmark = pytest.mark.browser
PHONE = (390, 844)
TRICKY = 'Yayasan <img src=x onerror="window.pwned=1">'


class Site:
    """The app on a free port over its own small graph (the shared seeded server stays
    untouched), with a curator key."""

    def __init__(self, url: str, store: Store, curator_key: str) -> None:
        self.url = url
        self.store = store
        self.curator_key = curator_key

    def invite(self) -> str:
        response = httpx.post(
            f"{self.url}/api/v1/innovations/{INNOVATION}/invitations",
            headers={"Authorization": f"Bearer {self.curator_key}"},
        )
        response.raise_for_status()
        url: str = response.json()["url"]
        return url


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    _require_browser()
    from graph.embedded import EmbeddedStore
    from service.access import AccessStore, Role
    from service.app import create_app
    from service.settings import Settings

    store = EmbeddedStore(tmp_path / "store")
    graph = small_graph()
    graph.actors.append(Actor(id="yayasan-x", name=TRICKY, helix=Helix.NGO, region="63.03"))
    store.load(graph)
    settings = Settings(data_dir=tmp_path)
    key = AccessStore(settings.access_db_path()).create_key("bappedalitbang", Role.CURATOR)
    app = create_app(settings, store=store)
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    yield Site(f"http://127.0.0.1:{port}", store, key)
    server.should_exit = True
    thread.join(timeout=10)
    store.close()


@pytest.fixture
def phone(browser: Any, console: Console) -> Iterator[Any]:
    context, pg = _new_page(browser, console, *PHONE)
    yield pg
    context.close()


@pytest.fixture(autouse=True)
def _no_console_errors(console: Console) -> Any:
    yield
    assert console.errors == [], "console errors:\n" + "\n".join(console.errors)


def test_owner_declares_on_a_phone_and_a_curator_accepts(site: Site, phone: Any, page: Any) -> None:
    phone.goto(site.invite())
    phone.wait_for_selector("[data-testid=tie-0]")
    # the innovation's name holds markup, shown as text
    assert phone.get_by_test_id("innovation-name").inner_text() == "Posyandu <Digital>"
    assert phone.locator("[data-testid=ties] > li").count() == 3
    assert "contoh (ilustratif)" in phone.get_by_test_id("ties").inner_text()
    # nothing is wider than the phone
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE[0], f"page is {width}px wide at {PHONE[0]}px"

    phone.get_by_test_id("declared-by").fill("Rina Hayati, Kasi Promkes")
    # the media tie (third card, ordered by helix) has ended
    media = phone.get_by_test_id("tie-2")
    assert "Media lokal C" in media.inner_text()
    media.get_by_text("Sudah berakhir").click()
    phone.get_by_test_id("tie-2").locator("input[name=ended_on]").fill("2025-06-30")
    # an existing actor found by searching; its markup-laden name stays text
    phone.get_by_test_id("search").fill("Yayasan")
    result = phone.get_by_test_id("search-results").get_by_role("button")
    assert TRICKY in result.inner_text()
    result.click()
    added = phone.get_by_test_id("tie-3")
    added.locator("select[name=role]").select_option("advocate")
    # a new actor
    phone.get_by_test_id("new-name").fill("Karang Taruna Desa Sungai Tabuk")
    phone.get_by_test_id("new-helix").select_option("community")
    phone.get_by_test_id("add-new").click()
    new = phone.get_by_test_id("tie-4")
    new.locator("select[name=strength]").select_option("2")
    new.locator("input[name=since]").fill("2025-03-01")
    screenshot(phone, "declare-phone-filled")
    phone.get_by_test_id("send").click()
    phone.get_by_test_id("done").wait_for(state="visible")
    screenshot(phone, "declare-phone-sent")
    assert phone.evaluate("window.pwned === undefined")
    # a proposal only: the graph has not changed
    ties = {t.actor_id for t in site.store.snapshot().collaborations}
    assert "yayasan-x" not in ties

    page.goto(f"{site.url}/curate")
    page.get_by_test_id("api-key").fill(site.curator_key)
    page.get_by_test_id("load-queue").click()
    card = page.locator("[data-testid^=declaration-]")
    card.wait_for()
    text = card.inner_text()
    assert "Rina Hayati, Kasi Promkes" in text
    assert "diakhiri" in text and "ditambah" in text
    assert TRICKY in text
    screenshot(page, "curate-queue")
    card.get_by_test_id("accept").click()
    page.get_by_text("diterima").wait_for()
    screenshot(page, "curate-accepted")
    assert page.evaluate("window.pwned === undefined")

    after = {
        t.actor_id: t for t in site.store.snapshot().collaborations if t.innovation_id == INNOVATION
    }
    assert "yayasan-x" in after and after["yayasan-x"].role == "advocate"
    assert str(after["media-c"].until) == "2025-06-30"
    assert after["karang-taruna-desa-sungai-tabuk"].strength == 2
    for tie in after.values():
        assert "declared by Rina Hayati, Kasi Promkes on" in tie.source
        assert "verified by bappedalitbang on" in tie.source

    # the dashboard's progress card counts the verified ties
    page.goto(f"{site.url}/?region=63.03")
    page.get_by_test_id("tab-dashboard").click()
    summary = page.get_by_test_id("collect-summary")
    summary.wait_for()
    assert summary.inner_text().startswith("4 dari 5 relasi aktif sudah dideklarasikan")
    screenshot(page, "dashboard-collect-progress")
