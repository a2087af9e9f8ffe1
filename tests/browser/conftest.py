"""Fixtures of the browser tests: the app on a free port over a seeded EmbeddedStore, and a
headless Debian Chromium page that records console errors.

Chromium comes from Debian (`apt-get install -y chromium`, /usr/bin/chromium); no browser is ever
downloaded. Without it the tests skip loudly, unless HEXAHELIX_REQUIRE_BROWSER=1 (CI) makes the
absence a failure.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

CHROMIUM = Path(os.environ.get("HEXAHELIX_CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _require_browser() -> None:
    if CHROMIUM.exists():
        return
    reason = (
        f"BROWSER TESTS NOT RUN: no Chromium at {CHROMIUM}. "
        "Install it with `apt-get install -y chromium` (never a downloaded browser)."
    )
    if os.environ.get("HEXAHELIX_REQUIRE_BROWSER") == "1":
        pytest.fail(reason + " HEXAHELIX_REQUIRE_BROWSER=1 makes this a failure.")
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _wait_for_seed(attempts: int = 30) -> Any:
    """The Banjar seed (retrying a while: seed/ and the store may be being written)."""
    last: Exception | None = None
    for _ in range(attempts):
        try:
            from graph.bundle import load_seed

            return load_seed()
        except Exception as error:  # pragma: no cover - only while others write the seed
            last = error
            time.sleep(2)
    raise RuntimeError(f"the seed did not load: {last}")


@dataclass
class Server:
    """The running app: its base URL and a client for the API."""

    url: str
    api: httpx.Client

    def get(self, path: str, **params: Any) -> Any:
        response = self.api.get(f"/api/v1{path}", params=params)
        response.raise_for_status()
        return response.json()

    def items(self, path: str, **params: Any) -> list[Any]:
        """Every item of a paged list, in its order."""
        items: list[Any] = []
        while True:
            page = self.get(path, **params, limit=500, offset=len(items))
            items.extend(page["items"])
            if not page["items"] or len(items) >= page["total"]:
                return items


@contextmanager
def serving(store: Any, data_dir: Path) -> Iterator[Server]:
    """The app over `store`, served by uvicorn in a thread on a free port."""
    from service.app import create_app
    from service.settings import Settings

    app = create_app(Settings(data_dir=data_dir), store=store)
    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while not uv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    with httpx.Client(base_url=url, timeout=30) as client:
        yield Server(url=url, api=client)
    uv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The app over an EmbeddedStore holding the Banjar seed, served by uvicorn in a thread."""
    from graph.embedded import EmbeddedStore

    data_dir = tmp_path_factory.mktemp("browser-data")
    store = EmbeddedStore(data_dir / "store")
    store.load(_wait_for_seed())
    with serving(store, data_dir) as running:
        yield running
    store.close()


@dataclass
class Console:
    """Console errors and uncaught page errors seen by a page."""

    errors: list[str] = field(default_factory=list)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Headless Debian Chromium through Playwright."""
    _require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS
        )
        yield instance
        instance.close()


@pytest.fixture
def console() -> Console:
    return Console()


def _new_page(browser: Any, console: Console, width: int, height: int) -> tuple[Any, Any]:
    context = browser.new_context(
        viewport={"width": width, "height": height}, accept_downloads=True
    )
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    pg.on(
        "console",
        lambda message: (
            console.errors.append(f"console: {message.text}") if message.type == "error" else None
        ),
    )
    pg.on("pageerror", lambda error: console.errors.append(f"pageerror: {error}"))
    return context, pg


@pytest.fixture
def page(browser: Any, console: Console) -> Iterator[Any]:
    """A fresh laptop-sized page that records console errors and page errors."""
    context, pg = _new_page(browser, console, 1366, 860)
    yield pg
    context.close()


@pytest.fixture
def tablet(browser: Any, console: Console) -> Iterator[Any]:
    """A fresh tablet-sized page (768 x 1024, portrait) that records console errors."""
    context, pg = _new_page(browser, console, 768, 1024)
    yield pg
    context.close()


def screenshot(page: Any, name: str) -> Path:
    """Save a full-page screenshot under test-artifacts/."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
