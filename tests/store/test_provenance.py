"""Provenance per fact (issue #13): evidence off the nodes, exact deletes, and ``kg store migrate``.

Every test runs on each available backend. Graphs "written by the current version" are written with the
0.1 writer's own statements (``legacy_v1``) and compared, after migration, with what today's writer writes
from the same facts.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from factories import edge, ev, node, plant_batch, sources
from legacy_v1 import write_v1

from kg.core.errors import StoreError
from kg.core.facts import FactBatch
from kg.graph.knowledge_graph import KnowledgeGraph
from kg.store.base import GraphStore
from kg.store.migrate import migrate, require_current, stored_version
from kg.tables.structured import load_directory

SAMPLES = Path(__file__).resolve().parents[2] / "samples" / "structured"
TIMES = ("first_seen", "last_seen")


def _batches() -> list[FactBatch]:
    """The samples' tables, then a document that repeats some of their facts and adds its own."""
    tables = load_directory(SAMPLES).batch
    e = ev("letter-1", 5, 12, conf=0.7, extractor="model@1")
    pump = next(n for n in tables.nodes if n.label == "Equipment")
    seal, skf = node("Part", "mechanical seal", e), node("Supplier", "SKF", e)
    pump_again = node(pump.label, pump.name, e, **pump.properties)
    letter = FactBatch(nodes=[pump_again, seal, skf], edges=[edge(pump_again, "HAS_PART", seal, e)])
    return [tables, letter, plant_batch("doc-b")]


def snapshot(store: GraphStore) -> dict[str, Any]:
    """Everything a user can read, without write times: entities, links with evidence, facts, records."""

    def clean(props: dict[str, Any]) -> dict[str, Any]:
        out = {k: v for k, v in props.items() if k not in TIMES}
        for k in ("extractors", "evidence"):
            if isinstance(out.get(k), list):
                out[k] = sorted(out[k])
        return out

    nodes = {r["n"].id: clean(r["n"].properties) for r in store.read("MATCH (n:Entity) RETURN n")}
    links = sorted(
        (r["n"], r["d"], sorted(r["ev"]), round(r["c"], 4), sorted(r["x"]))
        for r in store.read(
            "MATCH (n:Entity)-[m:MENTIONED_IN]->(d:Document) "
            "RETURN n.id AS n, d.id AS d, m.evidence AS ev, m.confidence AS c, m.extractors AS x"
        )
    )
    facts = sorted(
        (r["a"], r["t"], r["b"], sorted(clean(r["e"].properties).items()))
        for r in store.read("MATCH (a:Entity)-[e]->(b:Entity) RETURN a.id AS a, type(e) AS t, b.id AS b, e")
    )
    records = sorted(
        sorted(clean(r["x"].properties).items()) for r in store.read("MATCH (x:Evidence) RETURN x")
    )
    return {"nodes": nodes, "links": links, "facts": facts, "records": records}


def test_a_migrated_graph_equals_the_graph_todays_writer_writes(store: GraphStore, schema: Any) -> None:
    batches = _batches()
    for b in batches:
        write_v1(store, b)  # type: ignore[arg-type]
    old = store.read("MATCH (n:Entity) WHERE n.id = 'Supplier:skf' RETURN n")[0]["n"].properties
    assert len(old["sources"]) >= 2 and old["evidence"]  # the 0.1 layout: lists on the node
    with pytest.raises(StoreError, match="kg store migrate"):
        require_current(store)
    report = migrate(store, page=7)
    assert (
        report.entities > 30 and report.relationships > 30 and report.evidence_records >= report.relationships
    )
    require_current(store)  # now it opens
    migrated = snapshot(store)
    store.clear()
    for b in batches:
        store.upsert(b)
    assert migrated == snapshot(store)
    assert migrate(store).entities == 0  # nothing left to convert


def test_a_migration_cut_off_part_way_finishes_when_run_again(store: GraphStore) -> None:
    for b in _batches():
        write_v1(store, b)  # type: ignore[arg-type]
    calls = {"n": 0}
    real = store._execute  # type: ignore[attr-defined]

    def crash_on_third(statements: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError("power cut")
        return real(statements)

    store._execute = crash_on_third  # type: ignore[attr-defined]
    with pytest.raises(OSError):
        migrate(store, page=5)
    assert stored_version(store)[0] is None  # not stamped: still refused for work
    store._execute = real  # type: ignore[attr-defined]
    migrate(store, page=5)
    resumed = snapshot(store)
    store.clear()
    for b in _batches():
        write_v1(store, b)  # type: ignore[arg-type]
    migrate(store)
    assert resumed == snapshot(store)


def test_a_new_document_touches_only_its_own_evidence(store: GraphStore) -> None:
    """The hub supplier's node does not grow with the documents citing it; each document's evidence is
    its own link."""
    skf = "Supplier:skf"
    for i in range(12):
        e = ev(f"notice-{i}", i, i + 3, conf=0.5 + i / 100)
        store.upsert(FactBatch(nodes=[node("Supplier", "SKF", e), node("Part", f"bearing {i}", e)]))
        if i == 0:
            first = store.read("MATCH (n:Entity) WHERE n.id = $id RETURN n", {"id": skf})[0]["n"].properties
    hub = store.read("MATCH (n:Entity) WHERE n.id = $id RETURN n", {"id": skf})[0]["n"].properties
    assert set(hub) == set(first)  # no list on the node grew with the documents
    assert hub["support"] == 12 and hub["confidence"] == pytest.approx(0.61) and hub["aliases"] == ["SKF"]
    assert len(sources(store, skf)) == 12


def test_deleting_a_document_recounts_support_and_confidence(store: GraphStore) -> None:
    strong, weak = ev("a", conf=0.9, extractor="model@1"), ev("b", conf=0.4, extractor="csv-loader:bom")
    pump, seal = node("Equipment", "pump", strong), node("Part", "seal", strong)
    store.upsert(FactBatch(nodes=[pump, seal], edges=[edge(pump, "HAS_PART", seal, strong)]))
    pump_b, seal_b = node("Equipment", "pump", weak), node("Part", "seal", weak)
    store.upsert(FactBatch(nodes=[pump_b, seal_b], edges=[edge(pump_b, "HAS_PART", seal_b, weak)]))
    store.delete_document("a")
    (row,) = store.read(
        "MATCH (a:Entity)-[e:HAS_PART]->(b:Entity) RETURN a.support AS ns, a.confidence AS nc,"
        " a.extractors AS nx, e.support AS es, e.confidence AS ec, e.extractors AS ex"
    )
    assert (row["ns"], row["es"]) == (1, 1)
    assert row["nc"] == pytest.approx(0.4) and row["ec"] == pytest.approx(0.4)
    assert row["nx"] == row["ex"] == ["csv-loader:bom"]  # now backed by the record only


def test_rewriting_a_document_while_its_deletion_was_cut_off_counts_it_once(store: GraphStore) -> None:
    """A deletion cut off after recounting (its links and records still there) and then the same document
    written again: support counts the document once, and the finished deletion of another document leaves
    the facts standing."""
    from kg.store import writes
    from kg.store.plan import Statement

    store.upsert(plant_batch("doc-a"))
    store.upsert(plant_batch("doc-b"))
    recount = (writes.retract_document_edges(), writes.retract_document_nodes())  # the deletion's first steps
    store._execute([Statement(q, {"doc": "doc-a"}) for q in recount])  # type: ignore[attr-defined]
    store.upsert(plant_batch("doc-a"))
    supports = store.read("MATCH (n:Entity) RETURN DISTINCT n.support AS s")
    assert supports == [{"s": 2}]
    assert store.read("MATCH ()-[e:HAS_PART]->() RETURN e.support AS s") == [{"s": 2}]
    store.delete_document("doc-b")
    assert store.read("MATCH (n:Entity) RETURN DISTINCT n.support AS s") == [{"s": 1}]
    assert store.read("MATCH ()-[e:HAS_PART]->() RETURN e.support AS s") == [{"s": 1}]


def test_an_unconverted_graph_is_refused_with_the_fix(store: GraphStore, schema: Any) -> None:
    write_v1(store, plant_batch())  # type: ignore[arg-type]
    with pytest.raises(StoreError, match="earlier mfg-kg.*kg store migrate"):
        require_current(store)
    KnowledgeGraph(store, schema)  # the graph object itself needs no check; opening one does


def test_a_large_batch_written_again_is_skipped_until_a_deletion(store: GraphStore) -> None:
    e, f = ev("price-list"), ev("datasheet")
    acme = node("Supplier", "ACME", e, f)
    parts = [node("Part", f"bearing {i:04d}", e if i % 2 else f) for i in range(260)]
    supplied = [edge(p, "SUPPLIED_BY", acme, p.evidence[0]) for p in parts]
    batch = FactBatch(nodes=[acme, *parts], edges=supplied)  # 521 facts: fingerprinted
    first = store.upsert(batch)
    assert first.batches_skipped == 0 and first.nodes_created > 260
    before = snapshot(store)
    again = store.upsert(batch)
    assert again.batches_skipped == 1 and again.statements == 0 and snapshot(store) == before
    small = FactBatch(nodes=parts[:3])  # under the threshold: always written, never remembered
    assert store.upsert(small).batches_skipped == store.upsert(small).batches_skipped == 0
    store.delete_document("datasheet")  # half of the parts go; the batch must be written again
    assert snapshot(store) != before
    restored = store.upsert(batch)
    assert restored.batches_skipped == 0 and snapshot(store) == before


def test_a_graph_in_todays_layout_without_its_stamp_is_stamped_not_refused(store: GraphStore) -> None:
    """Cleared by one process and refilled by another that had stamped it before: today's layout, no
    stamp. It opens (and is stamped); only lists on the nodes mean an older mfg-kg."""
    from kg.store.plan import Statement

    store.upsert(plant_batch())
    store._execute([Statement("MATCH (m:GraphMeta) DELETE m", {})])  # type: ignore[attr-defined]
    assert stored_version(store) == (None, True)
    require_current(store)
    assert stored_version(store) == (2, True)


def test_an_endpoint_deleted_by_another_writer_mid_batch_is_a_clear_error_and_nothing_is_lost(
    store: GraphStore,
) -> None:
    """Another writer deletes a node between our node and relationship statements (FalkorDB runs them one
    by one; Neo4j runs the batch in one transaction, so the deletion lands before or after it): the write
    says which way to go, and writing the batch again gives the graph an undisturbed write gives."""
    from kg.core.errors import StoreWriteError
    from kg.store.plan import Statement

    batch = plant_batch()
    statements = store.planned(batch)  # type: ignore[attr-defined]
    nodes_done = [s for s in statements if s.expect_written is None and "MERGE (x:Evidence" not in s.cypher]
    rest = statements[len(nodes_done) :]
    store._execute(nodes_done)  # type: ignore[attr-defined]
    gone = Statement("MATCH (n:Entity) WHERE n.id = 'Supplier:skf' DETACH DELETE n", {})
    store._execute([gone])  # type: ignore[attr-defined]
    with pytest.raises(StoreWriteError, match="another writer deleted it"):
        store._execute(rest)  # type: ignore[attr-defined]
    store.upsert(batch)
    disturbed = snapshot(store)
    store.clear()
    store.upsert(batch)
    assert disturbed == snapshot(store)


def test_exports_hold_the_graph_not_the_stores_bookkeeping(store: GraphStore, tmp_path: Path) -> None:
    """The layout stamp and the fingerprints of large batches stay in the store: RDF and networkx exports
    hold entities, documents and their evidence only, and an RDF export imports back cleanly."""
    from kg.interchange import to_networkx, to_rdf
    from kg.interchange.rdf_import import import_rdf
    from ontology import load_ontology

    acme = node("Supplier", "ACME")
    parts = [node("Part", f"bearing {i:04d}") for i in range(300)]
    store.upsert(FactBatch(nodes=[acme, *parts], edges=[edge(p, "SUPPLIED_BY", acme) for p in parts]))
    assert store.read("MATCH (b:AppliedBatch) RETURN count(b) AS n") == [{"n": 1}]
    labels = {label for _, data in to_networkx(store).nodes(data=True) for label in data["labels"]}
    assert labels == {"Entity", "Supplier", "Part", "Document"}
    ontology = load_ontology()
    turtle = to_rdf(store, ontology).serialize(format="turtle")
    assert "AppliedBatch" not in turtle and "GraphMeta" not in turtle
    before = snapshot(store)
    path = tmp_path / "graph.ttl"
    path.write_text(turtle, encoding="utf-8")
    store.clear()
    import_rdf(path, ontology, store)
    assert snapshot(store) == before  # the per-document evidence came back with every fact
