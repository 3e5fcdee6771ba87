"""The service around the routes: a failing store, timeouts, the error mapping, and ``python -m api``."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

import api.__main__ as entry
from api.app import create_app
from api.errors import status_for
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
    StoreUnavailableError,
    StoreWriteError,
    UnsafeQueryError,
    WrongEntityTypeError,
)
from kg.core.facts import ReadResult
from kg.core.settings import ApiSettings, Settings
from kg.graph.knowledge_graph import KnowledgeGraph


class BrokenStore:
    """A store whose every read fails with ``error`` (what a stopped server or a slow query looks like)."""

    name = "falkordb"

    def __init__(self, error: KGError):
        self.error = error

    def read(self, cypher: str, params: Mapping[str, Any] | None = None, **_: Any) -> list[dict[str, Any]]:
        raise self.error

    def guarded_read(self, cypher: str, params: Mapping[str, Any] | None = None, **_: Any) -> ReadResult:
        raise self.error

    def search_entities(self, text: str, *, limit: int = 10) -> list[dict[str, Any]]:
        raise self.error


def broken_client(settings: Settings, kg: KnowledgeGraph, error: KGError) -> TestClient:
    graph = KnowledgeGraph(BrokenStore(error), kg.schema)  # type: ignore[arg-type]
    return TestClient(create_app(settings, kg=graph, api_settings=ApiSettings()))


def test_store_down_is_503_everywhere_and_unhealthy(settings: Settings, kg: KnowledgeGraph) -> None:
    down = StoreUnavailableError("FalkorDB at /tmp/x.sock is not reachable. Is the server running?")
    with broken_client(settings, kg, down) as c:
        health = c.get("/health")
        assert health.status_code == 503 and health.json()["status"] == "unavailable"
        assert (
            health.json()["store"]["reachable"] is False
            and "not reachable" in health.json()["store"]["detail"]
        )
        for url in (
            "/stats",
            "/entities/Part:62052rsh",
            "/suppliers/Supplier:skf/impact",
            "/parts/single-source",
        ):
            r = c.get(url)
            assert r.status_code == 503 and r.json()["error"]["code"] == "store_unavailable", url
        assert c.post("/query", json={"cypher": "RETURN 1"}).status_code == 503
        assert c.get("/metrics").status_code == 200  # request counters are still served


def test_query_timeout_is_408(settings: Settings, kg: KnowledgeGraph) -> None:
    slow = QueryTimeoutError("Query exceeded its time limit of 10000 ms: narrow it or add LIMIT.")
    with broken_client(settings, kg, slow) as c:
        r = c.post("/query", json={"cypher": "MATCH (a)-[*1..9]-(b) RETURN count(*)"})
    assert r.status_code == 408 and r.json()["error"]["code"] == "query_timeout"
    assert "add LIMIT" in r.json()["error"]["message"]


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (UnsafeQueryError("x"), 403),
        (QueryTimeoutError("x"), 408),
        (QueryError("x"), 400),
        (StoreUnavailableError("x"), 503),
        (StoreWriteError("x"), 503),
        (DocumentError("x"), 422),
        (BadInputError("x"), 400),
        (NotFoundError("No entity with id 'Part:x' in the graph."), 404),
        (WrongEntityTypeError("'Part:x' is a Part; this endpoint takes one of: Supplier."), 400),
        (OntologyError("x"), 422),
        (ExtractionError("x"), 503),
        (ConfigError("x"), 503),
        (KGError("x"), 400),
    ],
)
def test_every_library_error_has_a_status_below_500_unless_the_service_is_at_fault(
    error: KGError, status: int
) -> None:
    assert status_for(error)[0] == status


def test_module_entry_builds_the_app_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr("uvicorn.run", lambda app, **kw: calls.append({"app": app, **kw}))
    monkeypatch.setenv("KG_STORE__DATA_DIR", str(tmp_path / "db"))
    monkeypatch.setenv("KG_API__PORT", "8765")
    from kg.core.settings import get_settings

    get_settings.cache_clear()
    try:
        assert entry.main(["--host", "127.0.0.2"]) == 0
    finally:
        get_settings.cache_clear()
    [call] = calls
    assert call["host"] == "127.0.0.2" and call["port"] == 8765 and call["workers"] == 1
    assert call["app"].title == "mfg-kg"
    assert not (tmp_path / "db").exists(), "building the app must not open the store"


def test_module_entry_reports_bad_settings(monkeypatch: pytest.MonkeyPatch, capsys: Any) -> None:
    monkeypatch.setenv("KG_API__KEYS", "not json")
    assert entry.main([]) == 2
    assert "KG_API__" in capsys.readouterr().err
