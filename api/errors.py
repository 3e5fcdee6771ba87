"""Every error leaves the API as ``{"error": {"code", "message"}}``, mapped to HTTP in one place.

:class:`ApiError` is raised by the routes and middleware themselves; :class:`~kg.core.errors.KGError`
subclasses from the library are mapped by :data:`KG_ERROR_STATUS`; FastAPI's validation errors become 422
with the offending field named. Bad input never becomes a 500.

Example:
    >>> status_for(UnsafeQueryError("DELETE would change the database"))
    (403, 'unsafe_query')
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from kg.core.errors import (
    BadInputError,
    ConfigError,
    DocumentError,
    ExtractionError,
    KGError,
    NotFoundError,
    OntologyError,
    QueryError,
    QueryTimeoutError,
    StoreError,
    StoreUnavailableError,
    UnsafeQueryError,
    WrongEntityTypeError,
)

log = logging.getLogger("api")

#: most specific first; the first class an error is an instance of decides
KG_ERROR_STATUS: tuple[tuple[type[KGError], int, str], ...] = (
    (NotFoundError, 404, "entity_not_found"),
    (WrongEntityTypeError, 400, "wrong_entity_type"),
    (UnsafeQueryError, 403, "unsafe_query"),
    (QueryTimeoutError, 408, "query_timeout"),
    (QueryError, 400, "query_failed"),
    (StoreUnavailableError, 503, "store_unavailable"),
    (StoreError, 503, "store_error"),
    (DocumentError, 422, "bad_document"),
    (BadInputError, 400, "bad_input"),
    (OntologyError, 422, "ontology_violation"),
    (ExtractionError, 503, "extractor_unavailable"),
    (ConfigError, 503, "misconfigured"),
)
_HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "body_too_large",
    429: "rate_limited",
}


class ApiError(Exception):
    """An error with its HTTP status, a stable ``code`` and a message that says what to do.

    Example:
        >>> raise ApiError(404, "job_not_found", "No job 'x': see POST /documents.")  # doctest: +SKIP
    """

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        headers: Mapping[str, str] | None = None,
        suggestions: Sequence[str] | None = None,
    ):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = dict(headers or {})
        self.suggestions = list(suggestions) if suggestions is not None else None


def error_body(code: str, message: str, suggestions: Sequence[str] | None = None) -> dict[str, Any]:
    detail: dict[str, Any] = {"code": code, "message": message}
    if suggestions is not None:
        detail["suggestions"] = list(suggestions)
    return {"error": detail}


def error_response(
    status: int,
    code: str,
    message: str,
    *,
    headers: Mapping[str, str] | None = None,
    suggestions: Sequence[str] | None = None,
) -> JSONResponse:
    return JSONResponse(error_body(code, message, suggestions), status_code=status, headers=headers)


def status_for(error: KGError) -> tuple[int, str]:
    """HTTP status and error code for a library error."""
    for cls, status, code in KG_ERROR_STATUS:
        if isinstance(error, cls):
            return status, code
    return 400, "error"


def _field(loc: Sequence[Any]) -> str:
    where = {"query": "query parameter", "path": "path parameter", "header": "header", "body": "body field"}
    if not loc:
        return "request"
    kind, *rest = loc
    name = ".".join(str(p) for p in rest)
    if kind == "body" and not rest:
        return "request body"
    return f"{where.get(str(kind), str(kind))} {name!r}" if name else str(kind)


def validation_message(errors: Sequence[Any]) -> str:
    """One line per invalid input, naming it: ``query parameter 'q': Field required``."""
    parts = []
    for e in errors[:10]:
        msg = str(e.get("msg", "invalid"))
        if e.get("type") == "json_invalid":
            msg = f"not valid JSON ({e.get('ctx', {}).get('error', 'parse error')})"
        parts.append(f"{_field(e.get('loc', ()))}: {msg}")
    more = f"; and {len(errors) - 10} more" if len(errors) > 10 else ""
    return "Invalid request: " + "; ".join(parts) + more + ". Fix these and retry; /docs shows the schema."


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers that turn every error into the JSON error body."""

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> JSONResponse:
        return error_response(
            exc.status, exc.code, exc.message, headers=exc.headers, suggestions=exc.suggestions
        )

    @app.exception_handler(KGError)
    async def _kg_error(request: Request, exc: KGError) -> JSONResponse:
        status, code = status_for(exc)
        if status >= 500:
            log.warning("%s %s: %s", request.method, request.url.path, exc)
        suggestions = exc.suggestions if isinstance(exc, NotFoundError) else None
        return error_response(status, code, str(exc), suggestions=suggestions)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        return error_response(422, "invalid_request", validation_message(exc.errors()))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = _HTTP_CODES.get(exc.status_code, f"http_{exc.status_code}")
        message = str(exc.detail)
        if exc.status_code == 404 and message == "Not Found":
            message = f"No endpoint {request.url.path}: /docs lists the endpoints."
        elif exc.status_code == 405:
            message = f"{request.method} is not allowed on {request.url.path}: /docs lists the methods."
        return error_response(exc.status_code, code, message, headers=getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error in %s %s", request.method, request.url.path)
        return error_response(
            500, "internal_error", f"Unexpected server error ({type(exc).__name__}); it has been logged."
        )
