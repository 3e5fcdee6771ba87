"""Keys and roles, rate and size limits, CORS, metrics, and settings from the environment."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from api_helpers import ADMIN_KEY, KEYS, LOADER_KEY, READER_KEY, MakeClient
from fastapi.testclient import TestClient

from api.app import create_app
from kg.core.errors import ConfigError
from kg.core.settings import Settings, load_settings
from kg.graph.knowledge_graph import KnowledgeGraph

CSV = ("files", ("tiny.csv", b"tag,name\n", "text/csv"))


def test_keys_and_roles(make_client: MakeClient) -> None:
    with make_client(keys=KEYS) as c:
        assert c.get("/health").status_code == 200  # open, for orchestrators' health checks
        assert c.get("/health").json()["auth"] == "api-keys"

        r = c.get("/stats")
        assert r.status_code == 401 and r.json()["error"]["code"] == "missing_api_key"
        assert "X-API-Key" in r.json()["error"]["message"] and r.headers["WWW-Authenticate"] == "Bearer"
        r = c.get("/stats", headers={"X-API-Key": "not-a-key-but-long-enough"})
        assert r.status_code == 401 and r.json()["error"]["code"] == "unknown_api_key"

        assert c.get("/stats", headers={"X-API-Key": READER_KEY}).status_code == 200
        assert c.get("/stats", headers={"Authorization": f"Bearer {READER_KEY}"}).status_code == 200
        assert c.get("/metrics", headers={"X-API-Key": READER_KEY}).status_code == 200
        ok = c.post("/query", json={"cypher": "RETURN 1 AS one"}, headers={"X-API-Key": READER_KEY})
        assert ok.status_code == 200 and ok.json()["rows"] == [{"one": 1}]

        r = c.post("/documents", files=[CSV], headers={"X-API-Key": READER_KEY})
        assert r.status_code == 403 and r.json()["error"]["code"] == "insufficient_role"
        assert "'analyst'" in r.json()["error"]["message"] and "loader" in r.json()["error"]["message"]
        assert c.get("/jobs/x", headers={"X-API-Key": READER_KEY}).status_code == 403
        assert c.get("/jobs/x", headers={"X-API-Key": LOADER_KEY}).status_code == 404  # allowed, unknown job
        assert c.get("/jobs/x", headers={"X-API-Key": ADMIN_KEY}).status_code == 404

        # an admin key cannot write through /query either
        r = c.post("/query", json={"cypher": "MATCH (n) DETACH DELETE n"}, headers={"X-API-Key": ADMIN_KEY})
        assert r.status_code == 403

        # the schema needs a key too unless public_docs is set
        assert c.get("/openapi.json").status_code == 401
    with make_client(keys=KEYS, public_docs=True) as c:
        assert c.get("/openapi.json").status_code == 200 and c.get("/stats").status_code == 401


def test_web_shell_is_open_but_its_data_is_not(make_client: MakeClient) -> None:
    with make_client(keys=KEYS) as c:  # public_web is on by default
        page = c.get("/")
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
        assert "default-src 'self'" in page.headers["content-security-policy"]  # no CDN can load
        assert c.get("/static/app.js").status_code == 200
        assert c.get("/static/app.css").headers["content-type"].startswith("text/css")
        # the prefix opens only files: the data behind the page still needs a key
        assert c.post("/ask", json={"question": "What does SKF supply?"}).status_code == 401
        assert c.get("/stats").status_code == 401
        assert c.get("/static/app.js", headers={"X-API-Key": "not-a-key-but-long-enough"}).status_code == 200
        # nothing outside api/static is served, however the path is spelt
        for path in ("/static/../app.py", "/static/%2e%2e/app.py", "/static/..%2fsecurity.py", "/static/"):
            r = c.get(path)
            assert r.status_code in (401, 404), path
            assert "from __future__" not in r.text, path
        assert c.get("/static/%2e%2e/settings.py").status_code == 404
        assert "/" not in c.get("/openapi.json", headers={"X-API-Key": READER_KEY}).json()["paths"]
    with make_client(keys=KEYS, public_web=False) as c:
        assert c.get("/").status_code == 401 and c.get("/static/app.js").status_code == 401
        assert c.get("/", headers={"X-API-Key": READER_KEY}).status_code == 200


def test_rate_limit_is_per_key_with_retry_after(make_client: MakeClient) -> None:
    with make_client(keys=KEYS, rate_limit_per_minute=3) as c:
        reader = {"X-API-Key": READER_KEY}
        assert [c.get("/stats", headers=reader).status_code for _ in range(3)] == [200, 200, 200]
        r = c.get("/stats", headers=reader)
        assert r.status_code == 429 and r.json()["error"]["code"] == "rate_limited"
        assert int(r.headers["Retry-After"]) >= 1 and "'analyst'" in r.json()["error"]["message"]
        # another key has its own bucket; /health is never limited
        assert c.get("/stats", headers={"X-API-Key": ADMIN_KEY}).status_code == 200
        assert c.get("/health").status_code == 200


def test_body_size_limits(make_client: MakeClient) -> None:
    with make_client(max_body_kb=64, max_upload_mb=0.05) as c:
        huge = {"cypher": "RETURN 1", "params": {"x": "a" * 200_000}}
        r = c.post("/query", json=huge)
        assert r.status_code == 413 and r.json()["error"]["code"] == "body_too_large"
        assert "KG_API__MAX_BODY_KB" in r.json()["error"]["message"]

        def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it streams in
            for _ in range(100):
                yield b" " * 1024

        r = c.post("/query", content=chunks(), headers={"Content-Type": "application/json"})
        assert r.status_code == 413

        big_file = ("files", ("big.csv", b"x" * 100_000, "text/csv"))
        assert c.post("/documents", files=[big_file]).status_code == 413
        assert c.post("/query", json={"cypher": "RETURN 1 AS one"}).status_code == 200


def test_cors_only_for_configured_origins(make_client: MakeClient) -> None:
    origin = {"Origin": "https://plant.example"}
    with make_client() as c:
        assert "access-control-allow-origin" not in c.get("/stats", headers=origin).headers
    with make_client(cors_origins=["https://plant.example"], keys=KEYS) as c:
        pre = c.options(
            "/stats",
            headers={
                **origin,
                "Access-Control-Request-Method": "GET",
                "Access-Control-Request-Headers": "X-API-Key",
            },
        )
        assert (
            pre.status_code == 200 and pre.headers["access-control-allow-origin"] == "https://plant.example"
        )
        r = c.get("/stats", headers={**origin, "X-API-Key": READER_KEY})
        assert r.headers["access-control-allow-origin"] == "https://plant.example"
        other = c.get("/stats", headers={"Origin": "https://evil.example", "X-API-Key": READER_KEY})
        assert "access-control-allow-origin" not in other.headers


def test_metrics_count_requests_per_route_and_status(make_client: MakeClient) -> None:
    with make_client(keys=KEYS) as c:
        reader = {"X-API-Key": READER_KEY}
        c.get("/parts/Part:62052rsh/where-used", headers=reader)
        c.get("/entities/Part:nothing", headers=reader)
        c.get("/stats")  # 401: counted too
        text = c.get("/metrics", headers=reader).text
    assert (
        'mfgkg_api_requests_total{method="GET",route="/parts/{part_id}/where-used",status="200"} 1.0' in text
    )
    assert 'route="/entities/{entity_id}",status="404"} 1.0' in text
    assert 'route="/stats",status="401"} 1.0' in text
    assert "mfgkg_api_request_duration_seconds_bucket" in text
    assert 'mfgkg_graph_nodes{label="Equipment"} 19.0' in text
    assert 'mfgkg_graph_relationships{type="HAS_PART"} 52.0' in text
    assert "mfgkg_graph_documents 3.0" in text


def test_open_service_warns_at_startup(make_client: MakeClient, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="api"), make_client() as c:
        assert c.get("/stats").status_code == 200
    assert any("No API keys configured" in r.getMessage() for r in caplog.records)


def test_settings_come_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, settings: Settings, kg: KnowledgeGraph
) -> None:
    monkeypatch.setenv("KG_API__KEYS", f'[{{"key": "{READER_KEY}", "role": "reader", "name": "bi"}}]')
    monkeypatch.setenv("KG_API__RATE_LIMIT_PER_MINUTE", "100")
    loaded = load_settings(store=settings.store)
    assert loaded.api.keys[0].name == "bi" and loaded.api.rate_limit_per_minute == 100
    with TestClient(create_app(loaded, kg=kg)) as c:
        assert c.get("/stats").status_code == 401
        assert c.get("/stats", headers={"X-API-Key": READER_KEY}).status_code == 200

    monkeypatch.setenv("KG_API__KEYS", '[{"key": "short", "role": "reader", "name": "bi"}]')
    with pytest.raises(ConfigError, match="KG_API__KEYS .*at least 16 characters"):
        load_settings()
    monkeypatch.setenv("KG_API__KEYS", f'[{{"key": "{READER_KEY}", "role": "boss", "name": "bi"}}]')
    with pytest.raises(ConfigError, match=r"KG_API__KEYS \(item 0, role\)"):
        load_settings()
