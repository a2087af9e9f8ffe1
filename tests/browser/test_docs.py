"""`/docs` in headless Chromium: the vendored Swagger UI renders every operation of
/openapi.json under the page's CSP, with no console error and no request leaving the app's
address; an operation can be tried from the page. FastAPI's CDN page and /redoc are gone."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import Console, Server, screenshot

pytestmark = pytest.mark.browser
METHODS = {"get", "post", "put", "patch", "delete"}


def test_docs_page_is_vendored_and_under_the_csp(server: Server) -> None:
    response = server.api.get("/docs")
    assert response.status_code == 200
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "connect-src 'self'" in csp
    html = response.text
    # Every script is a file of the app; nothing names another host.
    assert re.findall(r"<script\b[^>]*>", html) == [
        '<script src="/static/vendor/swagger-ui-bundle.js" defer>',
        '<script src="/static/js/docs.js" defer>',
    ]
    assert not re.search(r"(src|href)=\"(https?:)?//", html)
    for asset in ("/static/vendor/swagger-ui-bundle.js", "/static/vendor/swagger-ui.css"):
        served = server.api.get(asset)
        assert served.status_code == 200 and "content-security-policy" in served.headers
    assert server.api.get("/redoc").status_code == 404
    assert server.api.get("/docs/oauth2-redirect").status_code == 404


def test_docs_render_every_operation_without_leaving_the_app(
    page: Any, server: Server, console: Console
) -> None:
    spec = server.api.get("/openapi.json").json()
    expected = {
        (method.upper(), path)
        for path, operations in spec["paths"].items()
        for method in operations
        if method in METHODS
    }
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(f"{server.url}/docs")
    page.wait_for_selector(".opblock")
    shown = page.evaluate(
        """() => [...document.querySelectorAll('.opblock')].map(block => [
            block.querySelector('.opblock-summary-method').textContent.trim(),
            block.querySelector('.opblock-summary-path').dataset.path,
        ])"""
    )
    assert {(method, path) for method, path in shown} == expected
    assert page.locator(".info .title").inner_text().startswith("Hexahelix")

    # Try an operation from the page: the call goes to the app itself (connect-src 'self').
    block = page.locator("#operations-operations-healthz_healthz_get")
    if block.count() == 0:  # its id follows the tag and operation id; find it by path instead
        block = page.locator(".opblock", has=page.locator('[data-path="/healthz"]')).first
    block.locator(".opblock-summary").click()
    block.get_by_role("button", name="Try it out").click()
    block.get_by_role("button", name="Execute").click()
    assert _status(block) == "200"

    assert console.errors == [], "console errors:\n" + "\n".join(console.errors)

    # An admin pastes a key into the Authorize dialog; keyed calls then carry it (an unknown key
    # here: 401 shows that the header was sent and checked).
    sent: list[str | None] = []
    page.on(
        "request",
        lambda request: (
            sent.append(request.headers.get("authorization"))
            if urlsplit(request.url).path == "/api/v1/audit"
            else None
        ),
    )
    page.locator("button.authorize").first.click()
    dialog = page.locator(".modal-ux")
    dialog.locator("input").first.fill("hxh_00000000_not-a-real-key")
    dialog.locator("button.modal-btn.authorize").first.click()
    dialog.locator("button.btn-done").first.click()
    audit = page.locator(".opblock", has=page.locator('[data-path="/api/v1/audit"]')).first
    audit.locator(".opblock-summary").click()
    audit.get_by_role("button", name="Try it out").click()
    audit.get_by_role("button", name="Execute").click()
    assert _status(audit) == "401"
    assert sent == ["Bearer hxh_00000000_not-a-real-key"]
    screenshot(page, "docs")
    # Chromium logs the 401 it was sent; nothing else (a CSP violation would be logged too).
    assert [e for e in console.errors if "status of 401" not in e] == []
    here = urlsplit(server.url).netloc
    outside = [
        url for url in requests if not url.startswith("data:") and urlsplit(url).netloc != here
    ]
    assert outside == [], f"requests leaving the app: {outside}"
    assert any(url.endswith("/openapi.json") for url in requests)
    assert any(url.endswith("/healthz") for url in requests)


def _status(block: Any) -> str:
    """The status of the live response Swagger UI shows under an executed operation."""
    status = block.locator(".live-responses-table .response .response-col_status").first
    status.wait_for()
    text: str = status.inner_text().strip()
    return text.split()[0]
