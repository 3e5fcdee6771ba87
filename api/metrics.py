"""Prometheus metrics: requests and latency per route template and status, plus graph size gauges.

Each app has its own registry (two apps in one process, as in tests, do not collide). Routes are labelled
by their template (``/parts/{part_id}/where-used``), never the raw path, so ids do not blow up the series.

Example:
    >>> m = Metrics()
    >>> m.observe("GET", "/stats", 200, 0.004)
    >>> b'mfgkg_api_requests_total{method="GET",route="/stats",status="200"} 1.0' in m.render()
    True
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)

from api.security import ASGIApp, Message, Receive, Scope, Send

CONTENT_TYPE = CONTENT_TYPE_LATEST
_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


class Metrics:
    """The service's metrics in their own registry."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter(
            "mfgkg_api_requests",
            "HTTP requests by method, route template and status.",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "mfgkg_api_request_duration_seconds",
            "Time to answer, by method and route template.",
            ["method", "route"],
            buckets=_BUCKETS,
            registry=self.registry,
        )
        self.nodes = Gauge(
            "mfgkg_graph_nodes", "Entity nodes in the graph per label.", ["label"], registry=self.registry
        )
        self.relationships = Gauge(
            "mfgkg_graph_relationships",
            "Relationships between entities per type.",
            ["type"],
            registry=self.registry,
        )
        self.documents = Gauge("mfgkg_graph_documents", "Documents in the graph.", registry=self.registry)
        self.jobs = Gauge(
            "mfgkg_api_ingest_jobs", "Ingestion jobs per state.", ["state"], registry=self.registry
        )

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        self.requests.labels(method, route, str(status)).inc()
        self.latency.labels(method, route).observe(seconds)

    def set_graph(self, stats: dict[str, dict[str, int]]) -> None:
        """Gauges from :meth:`~kg.graph.KnowledgeGraph.stats` (labels that vanished are dropped)."""
        self.nodes.clear()
        for label, n in stats.get("entities", {}).items():
            self.nodes.labels(label).set(n)
        self.relationships.clear()
        for rel, n in stats.get("relationships", {}).items():
            self.relationships.labels(rel).set(n)
        self.documents.set(stats.get("documents", {}).get("Document", 0))

    def set_jobs(self, counts: dict[str, int]) -> None:
        self.jobs.clear()
        for state, n in counts.items():
            self.jobs.labels(state).set(n)

    def render(self) -> bytes:
        return generate_latest(self.registry)


RoutePatterns = list[tuple[re.Pattern[str], str]]
_CONVERTER = re.compile(r"\{(\w+):\w+\}")  # "{part_id:path}" -> "{part_id}", as OpenAPI shows it


def route_patterns(routes: Iterable[Any]) -> RoutePatterns:
    """(regex, template) of every plain route, for naming requests refused before routing."""
    return [
        (r.path_regex, r.path)
        for r in routes
        if isinstance(getattr(r, "path_regex", None), re.Pattern)
        and isinstance(getattr(r, "path", None), str)
    ]


def route_template(scope: Scope, patterns: RoutePatterns | None = None) -> str:
    """The matched route's path template; for requests refused before routing, the route they would hit."""
    path = getattr(scope.get("route"), "path", None)
    if isinstance(path, str):
        return _CONVERTER.sub(r"{\1}", path)
    for regex, template in patterns or ():
        if regex.match(scope.get("path", "")):
            return _CONVERTER.sub(r"{\1}", template)
    return "unmatched"


class MetricsMiddleware:
    """Counts and times every HTTP request (outermost, so 401/413/429 refusals are counted too)."""

    def __init__(self, app: ASGIApp, *, metrics: Metrics, patterns: RoutePatterns | None = None):
        self.app = app
        self.metrics = metrics
        self.patterns = patterns or []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = 500

        async def recording(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, recording)
        finally:
            route = route_template(scope, self.patterns)
            self.metrics.observe(scope["method"], route, status, time.perf_counter() - start)
