"""Same graph, same answers (issue #12): the samples ingested into embedded FalkorDB and into a real Neo4j
(`make test` starts one, tools/neo4j) give the same nodes and relationships per label and type, the same
entities (id, name, aliases, sources), and the same answers to every question of the example set.

Documents go through a fixed-vocabulary extractor (tests/fakes.py), so both stores get the same mentions
and the comparison is about the stores, not about a model."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fakes import FakeExtractor

from kg.core.settings import ExtractorSettings, Settings, StoreSettings
from kg.graph.knowledge_graph import KnowledgeGraph, open_knowledge_graph
from kg.ingest.service import ingestor_for

pytestmark = pytest.mark.neo4j

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
VOCAB = {
    "Organization": [
        "SKF",
        "Parker Hannifin",
        "Trelleborg",
        "ERIKS",
        "John Crane",
        "Hydraulika Ostrava s.r.o.",
    ],
    "PhysicalObject": ["mechanical seal", "hose assembly", "O-ring", "bearing", "coolant pump", "impeller"],
    "FailureMode": ["leak", "leaking", "burst", "spalling", "overheating", "wear"],
    "FailureCause": ["abrasion", "contamination", "misalignment"],
    "MaintenanceActivity": ["replace", "replaced", "inspect"],
}
RELATIONS = [
    ("mechanical seal", "hasFailureMode", "leak"),
    ("hose assembly", "suppliedBy", "Parker Hannifin"),
]


def _settings(tmp_path: Path, backend: str) -> Settings:
    return Settings(
        store=StoreSettings(backend=backend, data_dir=tmp_path / "falkor"),  # type: ignore[arg-type]
        extractor=ExtractorSettings(model=tmp_path / "none"),
        ingest={"manifest": str(tmp_path / f"{backend}.sqlite")},
    )


def _ingest(kg: KnowledgeGraph, settings: Settings) -> None:
    extractor = FakeExtractor(VOCAB, RELATIONS)
    with ingestor_for(kg, settings, extractor=extractor, recursive=True) as ingestor:
        report = ingestor.run([SAMPLES / "structured", SAMPLES / "documents"])
    assert report.summary()["failed"] == 0 or report.summary()["loaded"] > 40


def _snapshot(kg: KnowledgeGraph) -> dict[str, Any]:
    nodes = kg.store.read(
        "MATCH (n:Entity) RETURN n.id AS id, n.name AS name, n.aliases AS aliases, n.sources AS sources, "
        "[l IN labels(n) WHERE l <> 'Entity'] AS labels"
    )
    rels = kg.store.read("MATCH (a:Entity)-[r]->(b:Entity) RETURN a.id AS a, type(r) AS t, b.id AS b")
    return {
        "entities": {
            r["id"]: (r["name"], sorted(r["labels"]), sorted(r["aliases"] or []), sorted(r["sources"] or []))
            for r in nodes
        },
        "relationships": sorted((r["a"], r["t"], r["b"]) for r in rels),
    }


def _answers(kg: KnowledgeGraph, settings: Settings) -> dict[str, Any]:
    from kg.qa.answers import AskRequest
    from kg.qa.service import QAService

    qa = QAService(kg, settings)
    out = {}
    for line in (SAMPLES / "qa" / "questions.jsonl").read_text().splitlines():
        q = json.loads(line)
        r = qa.ask(AskRequest(question=q["question"], explainer="template"))
        out[q["id"]] = (
            r.status,
            r.tool.name if r.tool else None,
            sorted(e.id for e in r.answer_entities),
            r.count,
        )
    return out


def test_the_samples_give_the_same_graph_and_answers_on_both_backends(tmp_path: Path) -> None:
    seen = {}
    for backend in ("falkordb", "neo4j"):
        settings = _settings(tmp_path, backend)
        with open_knowledge_graph(settings) as kg:
            if backend == "neo4j":
                kg.store.clear()  # the test DBMS is shared by the session
            _ingest(kg, settings)
            seen[backend] = (_snapshot(kg), _answers(kg, settings))
            if backend == "neo4j":
                kg.store.clear()
    (f_graph, f_answers), (n_graph, n_answers) = seen["falkordb"], seen["neo4j"]
    assert len(f_graph["entities"]) > 200 and len(f_graph["relationships"]) > 300  # a real graph, not empty
    only_f = sorted(set(f_graph["entities"]) - set(n_graph["entities"]))
    only_n = sorted(set(n_graph["entities"]) - set(f_graph["entities"]))
    assert (only_f, only_n) == ([], [])
    differ = {
        k: (v, n_graph["entities"][k]) for k, v in f_graph["entities"].items() if n_graph["entities"][k] != v
    }
    assert differ == {}
    assert f_graph["relationships"] == n_graph["relationships"]
    wrong = {q: (a, n_answers[q]) for q, a in f_answers.items() if n_answers[q] != a}
    assert wrong == {}
