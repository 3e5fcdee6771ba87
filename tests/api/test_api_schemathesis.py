"""Every endpoint fuzzed from the service's own OpenAPI schema (schemathesis), in process.

Each operation gets the schema's examples, its coverage cases and seeded random inputs, valid and invalid
alike: no answer may be a 5xx, and every answer must match the response schema documented for its status.
``POST /documents`` is left out: it starts ingestion jobs that write to the graph (and reach for the
extractor). Everything else is read-only, so after every request the graph must still hold exactly the
nodes and relationships it held before.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from api_helpers import SAMPLES
from fastapi import FastAPI
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.python import asgi
from schemathesis.specs.openapi.checks import response_schema_conformance

from api.app import create_app
from kg.core.settings import ApiSettings, ExtractorSettings, LLMSettings, Settings, StoreSettings
from kg.graph.knowledge_graph import KnowledgeGraph

pytestmark = pytest.mark.slow

SEED = 20261122
MAX_EXAMPLES = 30
#: the whole graph, Document and Chunk nodes included
COUNT = "MATCH (n) OPTIONAL MATCH (n)-[r]->() RETURN count(DISTINCT n) AS nodes, count(r) AS rels"


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """As conftest's, and /ask never loads a language model (nor /documents an extractor)."""
    tmp = tmp_path_factory.mktemp("fuzz")
    return Settings(
        store=StoreSettings(data_dir=tmp / "db"),
        extractor=ExtractorSettings(model=tmp / "no-model"),  # reaching for the extractor fails fast
        # the template by default; a request for the local explainer finds no model file and falls back
        llm=LLMSettings(explainer="template", local_model=tmp / "no-model.gguf"),
    )


def _size(kg: KnowledgeGraph) -> dict[str, int]:
    return {k: int(v) for k, v in kg.store.read(COUNT)[0].items()}


@pytest.fixture(scope="module")
def size_before(kg: KnowledgeGraph) -> dict[str, int]:
    size = _size(kg)
    assert size["nodes"] > 100, f"the samples in {SAMPLES} did not load"
    return size


@pytest.fixture(scope="module")
def app(settings: Settings, kg: KnowledgeGraph) -> Iterator[FastAPI]:
    api = ApiSettings(upload_dir=settings.store.data_dir.parent / "uploads", rate_limit_per_minute=0)
    yield create_app(settings, kg=kg, api_settings=api)
    # schemathesis keeps an app's lifespan running for the rest of the process: end it (the job manager)
    # while the graph it serves is still open
    asgi.shutdown_lifespans()


def _openapi() -> dict[str, Any]:
    """The document the service serves at /openapi.json; building the app opens nothing."""
    return create_app(Settings(), api_settings=ApiSettings()).openapi()


# Loaded at collection from the app's own document rather than with schemathesis.pytest.from_fixture:
# that lazy loader sets Function._nodeid, which pytest 9.2 no longer has (AttributeError).
schema = schemathesis.openapi.from_dict(
    _openapi(),
    config=schemathesis.Config.from_dict(
        {"seed": SEED, "generation": {"deterministic": True, "database": "none"}}
    ),
).exclude(method="POST", path="/documents")


@schema.parametrize()
@hypothesis_settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_no_server_error_no_write_and_responses_match_the_schema(
    case: schemathesis.Case, app: FastAPI, kg: KnowledgeGraph, size_before: dict[str, int]
) -> None:
    case.call_and_validate(app=app, checks=[not_a_server_error, response_schema_conformance])
    assert _size(kg) == size_before, f"{case.method} {case.path} changed the graph"
