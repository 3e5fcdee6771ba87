"""The FastAPI application: :func:`create_app` wires settings, security, metrics, errors and routers.

Nothing connects when the app is built: the store is opened by the app's lifespan (or passed in, as
tests do) and closed with it. Middleware, outermost first: metrics → CORS (when origins are configured)
→ authentication + rate limit → body-size limit.

Example:
    >>> from fastapi.testclient import TestClient
    >>> with open_knowledge_graph(settings) as kg:                          # doctest: +SKIP
    ...     with TestClient(create_app(settings, kg=kg)) as client:
    ...         client.get("/stats").json()["entities"]["Equipment"]
    19
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, ExitStack, asynccontextmanager
from typing import Any

from fastapi import APIRouter, Depends, FastAPI
from fastapi.middleware.cors import CORSMiddleware

from api.deps import ApiContext
from api.errors import install_error_handlers
from api.jobs import JobManager
from api.metrics import MetricsMiddleware, RoutePatterns, route_patterns
from api.routes import analysis, ask, documents, entities, health, query, web
from api.schemas import ErrorBody
from api.security import BodyLimitMiddleware, KeyRing, RateLimiter, SecurityMiddleware, require_role
from kg.core.settings import ApiSettings, Settings, get_settings
from kg.graph.knowledge_graph import KnowledgeGraph, open_knowledge_graph

log = logging.getLogger("api")

DOC_PATHS = frozenset({"/docs", "/docs/oauth2-redirect", "/redoc", "/openapi.json"})
UPLOAD_PATHS = frozenset({"/documents"})
WEB_PATHS = frozenset({"/"})  # and everything under web.STATIC_PREFIX
_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": text}
    for status, text in {
        400: "Bad input: the message names it and the fix.",
        401: "No API key, or an unknown one.",
        403: "The key's role is not enough.",
        404: "Unknown entity (with close matches in error.suggestions) or job.",
        413: "Request body too large.",
        422: "Invalid request: the message names the field.",
        429: "Rate limit: see Retry-After.",
        503: "The graph store is unavailable.",
    }.items()
}


def create_app(
    settings: Settings | None = None,
    *,
    kg: KnowledgeGraph | None = None,
    api_settings: ApiSettings | None = None,
) -> FastAPI:
    """Build the service.

    Args:
        settings: graph settings; default: ``kg.core.settings.get_settings()`` (``KG_*`` environment).
        kg: an open knowledge graph to serve (the caller keeps ownership); default: the app opens the
            configured store at startup and closes it at shutdown.
        api_settings: keys, limits, CORS, uploads; default: ``settings.api`` (``KG_API__*`` environment).
    """
    settings = settings or get_settings()
    api_settings = api_settings or settings.api
    context = ApiContext(settings=settings, api=api_settings)
    app = FastAPI(
        title="mfg-kg",
        summary="Manufacturing knowledge graph: analyst tools, guarded Cypher, document ingestion.",
        version=health.VERSION,
        lifespan=_lifespan(context, kg),
        responses=_ERRORS,
    )
    app.state.context = context
    install_error_handlers(app)
    routers = _include_routers(app)
    patterns = route_patterns([*app.routes, *(r for router in routers for r in router.routes)])
    _add_middleware(app, context, patterns)
    return app


def _lifespan(
    context: ApiContext, kg: KnowledgeGraph | None
) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    """Opens the store (unless ``kg`` is given) and the job manager at startup; closes both at shutdown."""
    settings, api_settings = context.settings, context.api

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if not api_settings.keys:
            log.warning(
                "No API keys configured (KG_API__KEYS): every endpoint is open to anyone who can reach "
                "this service. Set keys with roles reader, loader, admin before exposing it."
            )
        try:
            with ExitStack() as stack:  # closes in reverse: jobs finish first, then the store closes
                graph = kg if kg is not None else stack.enter_context(open_knowledge_graph(settings))
                upload_dir = api_settings.upload_dir or settings.store.data_dir / "uploads"
                jobs = JobManager(graph, settings, upload_dir, max_jobs=api_settings.max_jobs)
                stack.callback(jobs.shutdown)
                context.kg, context.jobs = graph, jobs
                yield
        finally:
            context.kg = context.jobs = None

    return lifespan


def _include_routers(app: FastAPI) -> tuple[APIRouter, ...]:
    """Mounts every router, data behind the reader role and uploads behind loader; returns them in order."""
    reader = [Depends(require_role("reader"))]
    app.include_router(health.router)
    app.include_router(web.router)
    app.include_router(entities.router, dependencies=reader)
    app.include_router(analysis.router, dependencies=reader)
    app.include_router(query.router, dependencies=reader)
    app.include_router(ask.router, dependencies=reader)
    app.include_router(documents.router, dependencies=[Depends(require_role("loader"))])
    return (
        health.router,
        web.router,
        entities.router,
        analysis.router,
        query.router,
        ask.router,
        documents.router,
    )


def _add_middleware(app: FastAPI, context: ApiContext, patterns: RoutePatterns) -> None:
    """Added innermost first: Starlette wraps each new middleware around the ones before it."""
    cfg = context.api
    app.add_middleware(
        BodyLimitMiddleware,
        max_bytes=cfg.max_body_kb * 1024,
        upload_paths=UPLOAD_PATHS,
        max_upload_bytes=int(cfg.max_upload_mb * 1024 * 1024),
    )
    open_paths = frozenset({"/health"}) | (DOC_PATHS if cfg.public_docs or not cfg.keys else frozenset())
    open_prefixes: tuple[str, ...] = ()
    if cfg.public_web:  # the page shell holds no data: each call it makes for data sends the user's key
        open_paths |= WEB_PATHS
        open_prefixes = (web.STATIC_PREFIX,)
    limiter = None
    if cfg.rate_limit_per_minute:
        limiter = RateLimiter(cfg.rate_limit_per_minute, cfg.rate_limit_burst)
    app.add_middleware(
        SecurityMiddleware,
        keys=KeyRing(cfg.keys),
        limiter=limiter,
        open_paths=open_paths,
        open_prefixes=open_prefixes,
    )
    if cfg.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=cfg.cors_origins,
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "X-API-Key", "Content-Type"],
            max_age=600,
        )
    app.add_middleware(MetricsMiddleware, metrics=context.metrics, patterns=patterns)
