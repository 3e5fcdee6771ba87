"""The web explorer: ``GET /`` serves the page shell, ``GET /static/...`` its script, styles and vendor files.

The shell holds no data: every data call the page makes (``/ask``, ``/entities/...``) goes through the
authenticated routes with the key the user enters, so with ``KG_API__PUBLIC_WEB`` (the default) these
routes stay open when keys are set. Front-end libraries come from npm and are copied into
``api/static/vendor/`` by ``make web``; nothing is loaded from a CDN at run time, and the Content-Security-
Policy below makes the browser refuse anything that is not from this service. Without the vendor files the
page still works, with a notice that graph drawing needs ``make web``.

Example:
    >>> client.get("/").headers["content-type"]  # doctest: +SKIP
    'text/html; charset=utf-8'
"""

from __future__ import annotations

from pathlib import Path as FilePath
from typing import Annotated

from fastapi import APIRouter, Path
from fastapi.responses import FileResponse

from api.errors import ApiError

router = APIRouter(include_in_schema=False)

STATIC_DIR = FilePath(__file__).resolve().parent.parent / "static"
STATIC_PREFIX = "/static/"
#: 'self' only: no CDN, no external fonts; inline styles because cytoscape sizes its canvases with them
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
_HEADERS = {
    "Cache-Control": "no-cache",  # revalidate: a new version of the page is seen at once
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


@router.get("/")
def index() -> FileResponse:
    """The single-page explorer (ask, search, entity detail, failure chains)."""
    return FileResponse(
        STATIC_DIR / "index.html",
        media_type="text/html; charset=utf-8",
        headers={**_HEADERS, "Content-Security-Policy": CSP},
    )


@router.get(STATIC_PREFIX + "{file_path:path}")
def static(file_path: Annotated[str, Path(max_length=300)]) -> FileResponse:
    """A file under ``api/static``; anything outside it (``..``, absolute paths, symlinks out) is a 404."""
    return FileResponse(static_file(file_path), headers=_HEADERS)


def static_file(file_path: str) -> FilePath:
    """The file ``file_path`` names inside :data:`STATIC_DIR`, or :class:`ApiError` 404."""
    root = STATIC_DIR.resolve()
    target = (root / file_path).resolve()
    hidden = any(part.startswith(".") for part in FilePath(file_path).parts)
    if hidden or not target.is_relative_to(root) or not target.is_file():
        hint = ""
        if file_path.startswith("vendor/"):
            hint = " The page's npm libraries are not installed: run `make web` (npm ci, then a copy)."
        raise ApiError(404, "not_found", f"No static file {file_path!r}.{hint}")
    return target
