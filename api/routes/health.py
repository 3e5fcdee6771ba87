"""``GET /health`` (open: is the store reachable, is a model configured) and ``GET /metrics`` (Prometheus).

Example:
    >>> client.get("/health").json()["status"]                     # doctest: +SKIP
    'ok'
"""

from __future__ import annotations

import contextlib
import tomllib
from importlib import metadata
from pathlib import Path

from fastapi import APIRouter, Depends, Response
from fastapi.responses import JSONResponse

from api.deps import ContextDep
from api.metrics import CONTENT_TYPE
from api.schemas import HealthResponse, ModelHealth, StoreHealth
from api.security import require_role
from kg.core.errors import KGError
from kg.core.settings import ExtractorSettings

router = APIRouter(tags=["service"])


def _version() -> str:
    try:
        return metadata.version("mfg-kg")
    except metadata.PackageNotFoundError:  # running from a source tree that was never installed
        return "0+unknown"


VERSION = _version()
META_FILE = "mfgkg.json"  # what a saved extractor folder holds (extractors.transformer.META_FILE)


def model_health(settings: ExtractorSettings) -> ModelHealth:
    """Whether extraction has a model, without importing torch or loading anything."""
    if settings.model is not None:
        present = (settings.model / META_FILE).is_file()
        detail = "" if present else f"KG_EXTRACTOR__MODEL={settings.model} holds no {META_FILE}."
        return ModelHealth(configured=present, source="settings", path=str(settings.model), detail=detail)
    try:
        from extractors.configs import resolve_config

        cfg = tomllib.loads(Path(resolve_config("default")).read_text(encoding="utf-8"))
        folder = settings.cache_dir / f"{cfg['name']}-{cfg['version']}"
    except (KGError, OSError, KeyError, tomllib.TOMLDecodeError) as e:
        return ModelHealth(configured=False, source="none", detail=f"No default model config: {e}")
    if (folder / META_FILE).is_file():
        return ModelHealth(configured=True, source="default", path=str(folder))
    return ModelHealth(
        configured=False,
        source="default",
        path=str(folder),
        detail="The default extractor is not trained yet: the first upload of prose trains it "
        f"(up to {settings.first_use_minutes:.0f} min). Tables of known kinds need no model.",
    )


@router.get(
    "/health",
    response_model=HealthResponse,
    responses={503: {"model": HealthResponse, "description": "The graph store is not reachable."}},
    summary="Is the service usable? (no key needed)",
)
def health(context: ContextDep) -> JSONResponse:
    """Store reachability (a trivial read) and whether extraction has a model; 503 when the store is down."""
    settings = context.settings
    store = StoreHealth(backend=settings.store.backend, reachable=False)
    if context.kg is None:
        store.detail = "The store is not open (the service is starting or stopping)."
    else:
        try:
            context.kg.store.read("RETURN 1 AS ok", timeout_ms=2000)
            store.reachable = True
        except KGError as e:
            store.detail = str(e)
    body = HealthResponse(
        status="ok" if store.reachable else "unavailable",
        version=VERSION,
        store=store,
        model=model_health(settings.extractor),
        auth="open" if not context.api.keys else "api-keys",
    )
    return JSONResponse(body.model_dump(), status_code=200 if store.reachable else 503)


@router.get(
    "/metrics",
    response_class=Response,
    dependencies=[Depends(require_role("reader"))],
    responses={200: {"content": {CONTENT_TYPE: {}}, "description": "Prometheus text format."}},
    summary="Prometheus metrics",
)
def metrics(context: ContextDep) -> Response:
    """Request counts and latency per route and status; graph node/relationship counts; ingestion jobs."""
    if context.kg is not None:
        with contextlib.suppress(KGError):  # request counters are still worth scraping when the store is down
            context.metrics.set_graph(context.kg.stats())
    if context.jobs is not None:
        context.metrics.set_jobs(context.jobs.counts())
    return Response(context.metrics.render(), media_type=CONTENT_TYPE)
