"""What routes get injected: the knowledge graph, settings, jobs, metrics (FastAPI dependencies).

Everything lives on ``app.state.context``, built by :func:`api.app.create_app` and filled in by its
lifespan; tests override any of these with ``app.dependency_overrides``.

Example:
    >>> @router.get("/stats")                                      # doctest: +SKIP
    ... def stats(kg: KGDep) -> StatsResponse: ...
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated

from fastapi import Depends, Request

from api.errors import ApiError
from api.jobs import JobManager
from api.metrics import Metrics
from kg.core.settings import ApiSettings, Settings
from kg.graph.knowledge_graph import KnowledgeGraph

if TYPE_CHECKING:
    from kg.qa.service import QAService


@dataclass
class ApiContext:
    """The service's shared objects; ``kg`` and ``jobs`` are set once the lifespan has opened the store."""

    settings: Settings
    api: ApiSettings
    metrics: Metrics = field(default_factory=Metrics)
    kg: KnowledgeGraph | None = None
    jobs: JobManager | None = None
    qa: QAService | None = None  # question answering, built on the first /ask


def get_context(request: Request) -> ApiContext:
    context: ApiContext = request.app.state.context
    return context


ContextDep = Annotated[ApiContext, Depends(get_context)]


def get_kg(context: ContextDep) -> KnowledgeGraph:
    if context.kg is None:
        raise ApiError(
            503,
            "store_unavailable",
            "The graph store is not open (the service is starting or stopping); retry in a moment.",
        )
    return context.kg


def get_jobs(context: ContextDep) -> JobManager:
    if context.jobs is None:
        raise ApiError(503, "store_unavailable", "Ingestion is not available until the graph store is open.")
    return context.jobs


def get_settings(context: ContextDep) -> Settings:
    return context.settings


KGDep = Annotated[KnowledgeGraph, Depends(get_kg)]
JobsDep = Annotated[JobManager, Depends(get_jobs)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
