"""Shared fixtures: the ontology's schema, and a graph store per available backend.

FalkorDB runs embedded (one server per test session, a fresh graph per test). Neo4j joins the
parametrization whenever ``NEO4J_URI`` is set (with ``NEO4J_USERNAME``/``NEO4J_PASSWORD``); its database
is cleared before each test, so point it at a scratch database.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import falkordb
import pytest

from kg.core.graph_schema import GraphSchema
from kg.store.base import GraphStore
from kg.store.falkor_server import EmbeddedFalkor
from kg.store.falkordb_store import FalkorDBStore
from ontology import load_ontology

BACKENDS = ["falkordb", pytest.param("neo4j", marks=pytest.mark.neo4j)]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    skip_neo4j = pytest.mark.skip(reason="set NEO4J_URI (and NEO4J_PASSWORD) to run against Neo4j")
    for item in items:
        wanted = "neo4j" in item.keywords and not os.environ.get("NEO4J_URI")
        if wanted and not os.environ.get("KG_NEO4J_UNAVAILABLE"):  # under `make test` they fail instead
            item.add_marker(skip_neo4j)


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Under `make test` (tools/neo4j/harness.py) a Neo4j that could not be had fails its tests, with why."""
    unavailable = os.environ.get("KG_NEO4J_UNAVAILABLE")
    if unavailable and "neo4j" in item.keywords:
        pytest.fail(f"no Neo4j for this test: {unavailable}", pytrace=False)


@pytest.fixture(scope="session")
def schema() -> GraphSchema:
    return load_ontology().graph_schema()


@pytest.fixture(scope="session")
def falkor_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[falkordb.FalkorDB]:
    server = EmbeddedFalkor(tmp_path_factory.mktemp("falkordb"))
    db = falkordb.FalkorDB(unix_socket_path=server.start())
    yield db
    server.stop()


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, schema: GraphSchema) -> Iterator[GraphStore]:
    """An empty store with the ontology's schema ensured, for each available backend."""
    if request.param == "falkordb":
        db: falkordb.FalkorDB = request.getfixturevalue("falkor_server")
        graph = db.select_graph(f"test_{uuid.uuid4().hex[:12]}")
        s: GraphStore = FalkorDBStore(graph, batch_size=50)
        s.ensure_schema(schema)
        yield s
        graph.delete()
    else:
        from kg.core.settings import Settings
        from kg.store import open_store

        s = open_store(Settings())
        s.clear()
        s.ensure_schema(schema)
        yield s
        s.clear()
        s.close()


@pytest.fixture(scope="session")
def tiny_default_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped `default` config trained briefly on small slices of each corpus (real encoder, real
    training): labels and relations as the default model has them, quality far below it."""
    from extractors.configs import resolve_config
    from extractors.train import TrainConfig, train

    cfg = TrainConfig.load(resolve_config("default"))
    limits = {"maintie": 120, "mwo2kg": 40, "dfki": 2, "jsonl": 150}

    def limit(spec: Any) -> int:
        return 40 if "prose" in Path(spec.path).parts else limits.get(spec.reader, 50)

    cfg.train = [s.model_copy(update={"limit": limit(s)}) for s in cfg.train]
    cfg.dev = [s.model_copy(update={"limit": 30}) for s in cfg.dev]
    cfg.hyper = cfg.hyper.model_copy(update={"epochs": 3, "max_minutes": 3, "patience": 3})
    cfg.device = "cpu"
    out = tmp_path_factory.mktemp("models") / "tiny-default"
    train(cfg, out)
    return out
