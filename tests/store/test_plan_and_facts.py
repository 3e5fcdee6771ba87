"""Facts, keys and the write plan: what reaches the database, without a database."""

from __future__ import annotations

import pytest
from factories import edge, ev, node, plant_batch
from pydantic import ValidationError

from kg.core.errors import BadInputError, OntologyError, OntologyViolationError
from kg.core.facts import EdgeFact, Evidence, FactBatch, NodeFact
from kg.core.graph_schema import GraphSchema
from kg.core.keys import node_id, normalise_name, normalise_part_number
from kg.store import cypher, writes
from kg.store.plan import plan_upsert


def test_keys_fold_case_space_and_separators() -> None:
    assert normalise_name("  SKF\u00a0 Group. ") == "skf group"
    assert normalise_part_number("6205-2RS / C3") == normalise_part_number("62052rs c3") == "62052rsc3"
    assert node_id("Part", "ＡＢＣ-1", is_code=True) == "Part:abc1"  # full-width forms fold (NFKC)
    with pytest.raises(BadInputError, match="Empty Supplier name"):
        node_id("Supplier", " ... ")
    with pytest.raises(BadInputError, match="probably a sentence"):
        node_id("Part", "word " * 100)


def test_evidence_round_trips_and_rejects_bad_values() -> None:
    e = Evidence(doc_id="wo-7", start=3, end=9, extractor="mfg-ner/0.1", confidence=0.87654)
    assert e.key() == "wo-7|3|9|mfg-ner/0.1|0.8765"
    assert Evidence.from_key(e.key()).start == 3
    for bad in [
        dict(doc_id="a|b", start=0, end=1),
        dict(doc_id="d", start=5, end=2),
        dict(doc_id="d", start=0, end=1, confidence=1.5),
        dict(doc_id=" ", start=0, end=1),
    ]:
        with pytest.raises(ValidationError):
            Evidence(**bad)  # type: ignore[arg-type]


def test_facts_need_provenance_and_clean_properties() -> None:
    with pytest.raises(ValidationError, match="at least 1 item"):
        NodeFact(label="Part", name="seal", evidence=[])
    with pytest.raises(ValidationError, match="managed by the store"):
        node("Part", "seal", sources=["x"])
    with pytest.raises(ValidationError):  # lists must be homogeneous
        NodeFact(label="Part", name="seal", evidence=[ev()], properties={"x": [1, "a"]})  # type: ignore[list-item]
    with pytest.raises(ValidationError, match="UPPER_SNAKE"):
        EdgeFact(source="a", type="hasPart", target="b", evidence=[ev()])


def test_batch_requires_endpoints_and_spreads_edge_documents_to_them() -> None:
    pump, seal = node("Equipment", "pump", ev("d1")), node("Part", "seal", ev("d1"))
    with pytest.raises(ValidationError, match="not nodes of this batch"):
        FactBatch(nodes=[pump], edges=[edge(pump, "HAS_PART", seal)])
    batch = FactBatch(nodes=[pump, seal], edges=[edge(pump, "HAS_PART", seal, ev("d2"))])
    assert {e.doc_id for e in batch.nodes[0].evidence} == {"d1", "d2"}
    assert batch.document_ids() == {"d1", "d2"}


def test_plan_groups_by_label_and_merges_duplicates(schema: GraphSchema) -> None:
    a1 = node("Supplier", "SKF", ev("d1", conf=0.4))
    a2 = node("Supplier", "skf", ev("d2", conf=0.9))
    statements = plan_upsert(FactBatch(nodes=[a1, a2]), schema, batch_size=100, now="T")
    assert [s.cypher.splitlines()[0] for s in statements[:1]] == ["MERGE (m:GraphMeta {id: 'graph'})"]
    assert [s.cypher.splitlines()[1] for s in statements[1:]] == [
        "MERGE (d:Document {id: r.id})",
        "MERGE (n:Entity:Supplier {id: r.id})",
    ]
    (row,) = statements[2].params["rows"]
    assert row["id"] == "Supplier:skf" and row["aliases"] == ["SKF", "skf"]
    assert row["extractors"] == ["test"] and row["confidence"] == 0.9 and "evidence" not in row
    # one MENTIONED_IN link per document, with that document's evidence
    assert [(m["doc"], m["evidence"], m["confidence"]) for m in row["docs"]] == [
        ("d1", ["d1|0|10|test|0.4000"], 0.4),
        ("d2", ["d2|0|10|test|0.9000"], 0.9),
    ]


def test_plan_chunks_rows_and_checks_edge_counts(schema: GraphSchema) -> None:
    statements = plan_upsert(plant_batch(), schema, batch_size=2, now="T")
    edge_statements = [s for s in statements if s.expect_written is not None]
    assert sum(s.expect_written or 0 for s in edge_statements) == 6
    assert all(len(s.params["rows"]) <= 2 for s in statements if "rows" in s.params)


def test_plan_refuses_what_the_ontology_forbids(schema: GraphSchema) -> None:
    cause, effect = node("FailureCause", "wear"), node("FailureEffect", "stoppage")
    with pytest.raises(OntologyViolationError, match="FailureCause -CAUSES-> FailureEffect"):
        plan_upsert(
            FactBatch(nodes=[cause, effect], edges=[edge(cause, "CAUSES", effect)]), schema, batch_size=10
        )
    with pytest.raises(OntologyError, match="MENTIONED_IN links are written by the store"):
        schema.check_fact("Part", "MENTIONED_IN", "Part")


def test_labels_and_hop_counts_are_validated_before_formatting() -> None:
    with pytest.raises(BadInputError):
        writes.merge_nodes("Part {id: 1}) DETACH DELETE n //")
    with pytest.raises(BadInputError, match="from 1 to 10"):
        cypher.neighbourhood(("HAS_PART",), 0)
    with pytest.raises(BadInputError):
        cypher.failure_chains(11)


def test_a_batch_does_not_change_the_callers_facts() -> None:
    pump, seal = node("Equipment", "pump", ev("d1")), node("Part", "seal", ev("d1"))
    batch = FactBatch(nodes=[pump, seal], edges=[edge(pump, "HAS_PART", seal, ev("d2"))])
    assert [e.doc_id for e in pump.evidence] == ["d1"]  # the caller's object is untouched
    assert [e.doc_id for e in batch.nodes[0].evidence] == ["d1", "d2"]  # the batch's copy has both


def test_a_copied_node_fact_computes_its_id_afresh() -> None:
    from kg.core.facts import Evidence, NodeFact

    n = NodeFact(label="Supplier", name="SKF Group", evidence=[Evidence(doc_id="d", start=0, end=3)])
    assert n.id == "Supplier:skf group"  # cached on first use
    assert n.model_copy(update={"canonical_id": "Supplier:skf"}).id == "Supplier:skf"
    assert n.model_copy(update={"name": "SKF"}).id == "Supplier:skf"


def test_a_tag_used_as_a_name_gives_way_to_the_real_name_in_the_same_batch(schema) -> None:  # type: ignore[no-untyped-def]
    from kg.core.facts import Evidence, FactBatch, NodeFact
    from kg.store.plan import plan_upsert

    ev = Evidence(doc_id="d", start=0, end=3)
    placeholder = NodeFact(label="Equipment", name="LDS-P-101", key="LDS-P-101", evidence=[ev])
    real = NodeFact(label="Equipment", name="Coolant supply pump", key="LDS-P-101", evidence=[ev])
    for order in ([placeholder, real], [real, placeholder]):
        statements = plan_upsert(FactBatch(nodes=order), schema, batch_size=10)
        (row,) = [r for st in statements if "Equipment" in st.cypher for r in st.params["rows"]]
        assert row["name"] == "Coolant supply pump" and "LDS-P-101" in row["aliases"]
