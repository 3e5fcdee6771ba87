"""A real embedded FalkorDB per test module, loaded with samples/structured (no model needed), and
TestClients over it with whatever API settings a test asks for."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from api_helpers import SAMPLES, MakeClient
from fastapi.testclient import TestClient

from api.app import create_app
from kg.core.settings import ApiSettings, ExtractorSettings, Settings, StoreSettings
from kg.graph.knowledge_graph import KnowledgeGraph, open_knowledge_graph
from kg.tables import load_directory


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    tmp = tmp_path_factory.mktemp("api")
    # a model folder that does not exist: a test that reached for the extractor fails fast instead of
    # training the default model for minutes
    return Settings(
        store=StoreSettings(data_dir=tmp / "db"), extractor=ExtractorSettings(model=tmp / "no-model")
    )


@pytest.fixture(scope="module")
def kg(settings: Settings) -> Iterator[KnowledgeGraph]:
    with open_knowledge_graph(settings) as graph:
        loaded = load_directory(SAMPLES)
        loaded.raise_for_errors()
        graph.upsert(loaded.batch)
        yield graph


@pytest.fixture(scope="module")
def make_client(settings: Settings, kg: KnowledgeGraph) -> MakeClient:
    """``with make_client(keys=KEYS, rate_limit_per_minute=3) as client: ...``"""

    @contextmanager
    def make(**api: Any) -> Iterator[TestClient]:
        api.setdefault("upload_dir", settings.store.data_dir.parent / "uploads")
        app = create_app(settings, kg=kg, api_settings=ApiSettings(**api))
        with TestClient(app) as client:
            yield client

    return make


@pytest.fixture(scope="module")
def client(make_client: MakeClient) -> Iterator[TestClient]:
    """An open service (no keys) over the module's graph."""
    with make_client() as c:
        yield c
