"""`/docs`: Swagger UI over `/openapi.json`, from vendored files (service/web/vendor, copied by
web/copy-vendor.mjs) under the web page's CSP, so nothing is fetched from outside on the page
where admins paste keys. FastAPI's own /docs (a CDN) and /redoc are turned off in the app."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import FileResponse

from service.routes.web import SECURITY_HEADERS, WEB_DIR

router = APIRouter(include_in_schema=False)


@router.get("/docs", summary="The API's documentation (Swagger UI)")
def docs() -> FileResponse:
    """The Swagger UI page; its scripts and styles are files of /static (no inline code)."""
    return FileResponse(
        WEB_DIR / "docs.html",
        media_type="text/html; charset=utf-8",
        headers={**SECURITY_HEADERS, "Cache-Control": "no-cache"},
    )
