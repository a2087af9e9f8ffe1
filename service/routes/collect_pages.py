"""The two pages of collecting the real network: `/declare/<token>` for an innovation's owner
(no account: the token in the address is the credential, checked by the API the page calls) and
`/curate` for Bappedalitbang's curators. Static HTML, no inline script or style (strict CSP)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import FileResponse

from service.routes.web import SECURITY_HEADERS, WEB_DIR

router = APIRouter(include_in_schema=False)
# no-store: the address holds a live token, so no cache keeps the page; no-referrer (in
# SECURITY_HEADERS) keeps the token out of any Referer header.
HEADERS = {**SECURITY_HEADERS, "Cache-Control": "no-store"}


@router.get("/declare/{token}", summary="The declaration form of an invitation link")
def declare_page(token: str) -> FileResponse:
    """The owner's form; its script reads the token from the address."""
    return FileResponse(
        WEB_DIR / "declare.html", media_type="text/html; charset=utf-8", headers=HEADERS
    )


@router.get("/curate", summary="The curation queue")
def curate_page() -> FileResponse:
    """The curators' queue; it asks for the curator's API key."""
    return FileResponse(
        WEB_DIR / "curate.html", media_type="text/html; charset=utf-8", headers=HEADERS
    )
