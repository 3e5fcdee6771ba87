"""kg audit: the entities the graph is least sure of come first, each with the evidence that made it."""

from __future__ import annotations

import json

import pytest
from factories import edge, ev, node

from kg.core.errors import BadInputError
from kg.core.facts import FactBatch
from kg.core.graph_schema import GraphSchema
from kg.graph.audit import audit
from kg.graph.knowledge_graph import KnowledgeGraph
from kg.store.base import GraphStore


@pytest.fixture
def graph(store: GraphStore, schema: GraphSchema) -> KnowledgeGraph:
    skf = node("Supplier", "SKF", ev("bom.csv", 0, 40, 1.0, "csv-loader"))
    we = node("Supplier", "Nordic Seals", ev("letter.txt", 10, 22, 0.41, "mfgkg-default@0.2.0"))
    acme = node("Supplier", "Acme Hydraulics", ev("letter.txt", 50, 65, 0.77, "mfgkg-default@0.2.0"))
    seal = node("Part", "mechanical seal", ev("letter.txt", 30, 45, 0.9, "mfgkg-default@0.2.0"))
    store.upsert(
        FactBatch(
            nodes=[skf, we, acme, seal],
            edges=[edge(seal, "SUPPLIED_BY", acme, ev("letter.txt", 30, 65, 0.6, "mfgkg-default@0.2.0"))],
        )
    )
    return KnowledgeGraph(store, schema)


def test_least_confident_first_with_what_made_them(graph: KnowledgeGraph) -> None:
    rows = audit(graph, label="Supplier")
    assert [r.entity.name for r in rows] == ["Nordic Seals", "Acme Hydraulics", "SKF"]
    assert [r.confidence for r in rows] == pytest.approx([0.41, 0.77, 1.0])
    assert rows[0].made_by == ["mfgkg-default@0.2.0"] and rows[-1].made_by == ["csv-loader"]
    assert rows[0].citation is not None and rows[0].citation.document == "letter.txt"
    assert rows[0].citation.start == 10 and rows[0].documents == 1


def test_limit_sample_and_every_class(graph: KnowledgeGraph) -> None:
    assert len(audit(graph, label="Supplier", limit=1)) == 1
    everything = audit(graph)
    assert {r.entity.name for r in everything} == {
        "SKF",
        "Nordic Seals",
        "Acme Hydraulics",
        "mechanical seal",
    }
    sample = audit(graph, sample=2, seed=7)
    assert len(sample) == 2 and sample == audit(graph, sample=2, seed=7)  # reproducible
    assert [r.confidence for r in sample] == sorted(r.confidence for r in sample)
    json.dumps([r.model_dump() for r in sample])  # what `kg audit --json` prints


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"label": "Suppliers"}, "Unknown class 'Suppliers'.*Supplier"),
    ({"label": "Entity"}, "Unknown class"),
    ({"limit": 0}, "--limit must be a whole number"),
    ({"sample": -3}, "--sample must be a whole number"),
])  # fmt: skip
def test_bad_input_names_the_fix(graph: KnowledgeGraph, kwargs: dict, message: str) -> None:
    with pytest.raises(BadInputError, match=message):
        audit(graph, **kwargs)
