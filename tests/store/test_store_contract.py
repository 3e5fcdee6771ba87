"""The GraphStore contract: every backend must pass all of it (FalkorDB always, Neo4j with NEO4J_URI)."""

from __future__ import annotations

import pytest
from factories import edge, edge_sources, ev, evidence, node, plant_batch, sources
from injection_corpus import DATABASE_REFUSES, READS, REFUSED

from kg.core.errors import (
    BadInputError,
    OntologyError,
    OntologyViolationError,
    QueryError,
    QueryTimeoutError,
    UnsafeQueryError,
)
from kg.core.facts import FactBatch
from kg.graph.knowledge_graph import KnowledgeGraph
from kg.store.base import GraphStore


def counts(store: GraphStore) -> tuple[int, int]:
    """(entities and documents, relationships): the graph a user sees, without provenance records."""
    n = store.read("MATCH (n) WHERE n:Entity OR n:Document RETURN count(n) AS c")[0]["c"]
    r = store.read("MATCH ()-[r]->() RETURN count(r) AS c")[0]["c"]
    return int(n), int(r)


def props(store: GraphStore, entity_id: str) -> dict:
    rows = store.read("MATCH (n:Entity) WHERE n.id = $id RETURN n", {"id": entity_id})
    assert rows, f"{entity_id} not found"
    return rows[0]["n"].properties


def test_upsert_writes_facts_with_provenance(store: GraphStore) -> None:
    batch = plant_batch()
    summary = store.upsert(batch)
    # 7 entities + 1 document + 6 Evidence records (one per relationship) + the graph's layout stamp
    assert summary.nodes_created == 15
    # 6 domain relationships + 7 MENTIONED_IN links
    assert summary.relationships_created == 13
    pump = props(store, "Equipment:p-101 feed pump")
    assert pump["name"] == "P-101 feed pump" and pump["tag"] == "P-101"
    assert "sources" not in pump and "evidence" not in pump  # evidence lives off the node
    assert pump["support"] == 1 and pump["extractors"] == ["test"] and pump["confidence"] == 1.0
    assert sources(store, pump["id"]) == ["doc-a"]
    assert evidence(store, pump["id"]) == ["doc-a|0|10|test|1.0000"]
    assert pump["first_seen"] and pump["last_seen"]
    rows = store.read(
        "MATCH (:Entity)-[e:HAS_FAILURE_MODE]->(m:FailureMode) "
        "RETURN e.rpn AS rpn, e.support AS s, e.id AS id, e.evidence AS ev"
    )
    edge_id = "Part:deep groove ball bearing 6205-HAS_FAILURE_MODE->FailureMode:bearing overheating"
    assert rows == [{"rpn": 96, "s": 1, "id": edge_id, "ev": None}]
    assert edge_sources(store, edge_id) == ["doc-a"]
    (record,) = store.read("MATCH (x:Evidence) WHERE x.edge = $id RETURN x", {"id": edge_id})
    assert record["x"].properties["evidence"] == ["doc-a|0|10|test|1.0000"]
    docs = store.read("MATCH (d:Document)<-[:MENTIONED_IN]-(n:Entity) RETURN d.path AS path, count(n) AS n")
    assert docs == [{"path": "/docs/doc-a.txt", "n": 7}]


def test_replaying_a_batch_changes_nothing(store: GraphStore) -> None:
    store.upsert(plant_batch())
    before = counts(store), props(store, "Supplier:skf")
    again = store.upsert(plant_batch())
    assert (again.nodes_created, again.relationships_created) == (0, 0)
    if store.name == "falkordb":  # FalkorDB counts changed properties only; Neo4j counts every SET
        assert again.properties_set == 0
    assert (counts(store), props(store, "Supplier:skf")) == before


def test_name_variants_share_one_node_and_keep_aliases(store: GraphStore) -> None:
    a, b = node("Supplier", "SKF", ev("d1")), node("Supplier", "  skf ", ev("d2"))
    store.upsert(FactBatch(nodes=[a]))
    store.upsert(FactBatch(nodes=[b]))
    skf = props(store, "Supplier:skf")
    assert skf["name"] == "SKF"
    assert skf["aliases"] == ["SKF", "  skf "]
    assert skf["support"] == 2 and sources(store, "Supplier:skf") == ["d1", "d2"]
    assert counts(store)[0] == 3  # one supplier + two documents


def test_new_evidence_is_added_and_confidence_is_the_max(store: GraphStore) -> None:
    store.upsert(FactBatch(nodes=[node("Part", "seal", ev("d1", conf=0.6))]))
    first = props(store, "Part:seal")
    store.upsert(FactBatch(nodes=[node("Part", "seal", ev("d2", 5, 9, conf=0.9))]))
    seal = props(store, "Part:seal")
    assert evidence(store, "Part:seal") == ["d1|0|10|test|0.6000", "d2|5|9|test|0.9000"]
    assert seal["confidence"] == pytest.approx(0.9)
    assert seal["first_seen"] == first["first_seen"]
    assert seal["last_seen"] >= first["last_seen"]


def test_unknown_label_is_refused_with_a_suggestion(store: GraphStore) -> None:
    with pytest.raises(OntologyError, match="Suplier.*Did you mean 'Supplier'"):
        store.upsert(FactBatch(nodes=[node("Suplier", "ACME")]))
    assert counts(store) == (0, 0)


def test_unknown_relationship_type_is_refused(store: GraphStore) -> None:
    a, b = node("Equipment", "pump"), node("Part", "seal")
    with pytest.raises(OntologyError, match="HAS_PARTS.*Did you mean 'HAS_PART'"):
        store.upsert(FactBatch(nodes=[a, b], edges=[edge(a, "HAS_PARTS", b)]))
    assert counts(store) == (0, 0)


def test_domain_range_violation_is_reported_and_nothing_is_written(store: GraphStore) -> None:
    cause, effect = node("FailureCause", "corrosion"), node("FailureEffect", "leak to ground")
    pump, part = node("Equipment", "pump"), node("Part", "seal")
    batch = FactBatch(
        nodes=[cause, effect, pump, part], edges=[edge(cause, "CAUSES", effect), edge(pump, "HAS_PART", part)]
    )
    with pytest.raises(OntologyViolationError) as info:
        store.upsert(batch)
    assert len(info.value.violations) == 1
    assert "FailureCause -CAUSES-> FailureEffect" in info.value.violations[0]
    assert counts(store) == (0, 0)


def test_delete_document_keeps_shared_facts_and_drops_the_rest(store: GraphStore) -> None:
    store.upsert(plant_batch("doc-a"))
    e = ev("doc-b", 3, 8, conf=0.5)
    pump, bearing = node("Equipment", "P-101 feed pump", e), node("Part", "deep groove ball bearing 6205", e)
    extra = node("Supplier", "Schaeffler", e)
    store.upsert(
        FactBatch(
            nodes=[pump, bearing, extra],
            edges=[edge(pump, "HAS_PART", bearing, e), edge(bearing, "SUPPLIED_BY", extra, e)],
        )
    )
    summary = store.delete_document("doc-a")
    assert (
        summary.nodes_deleted == 12
    )  # skf, site, mode, cause, effect, Document doc-a, its 6 Evidence records
    kept = store.read("MATCH (n:Entity) RETURN n.id AS id, n.support AS s, n.confidence AS c ORDER BY id")
    assert [r["id"] for r in kept] == [
        "Equipment:p-101 feed pump",
        "Part:deep groove ball bearing 6205",
        "Supplier:schaeffler",
    ]
    assert all(r["s"] == 1 and r["c"] == pytest.approx(0.5) for r in kept)
    assert all(sources(store, r["id"]) == ["doc-b"] for r in kept)
    rels = store.read(
        "MATCH (:Entity)-[e]->(:Entity) RETURN type(e) AS t, e.support AS s, e.id AS id ORDER BY t"
    )
    assert [(r["t"], r["s"]) for r in rels] == [("HAS_PART", 1), ("SUPPLIED_BY", 1)]
    assert all(edge_sources(store, r["id"]) == ["doc-b"] for r in rels)
    assert store.read("MATCH (x:Evidence) WHERE x.doc = 'doc-a' RETURN count(x) AS n") == [{"n": 0}]
    assert store.delete_document("doc-a").nodes_deleted == 0  # idempotent


def test_parameters_are_data_not_cypher(store: GraphStore) -> None:
    hostile = "x'}) MATCH (n) DETACH DELETE n //"
    store.upsert(plant_batch())
    store.upsert(FactBatch(nodes=[node("Part", hostile, ev("doc-z"))]))
    assert counts(store)[0] == 10
    assert store.read("MATCH (n:Part) WHERE n.name = $v RETURN n.name AS v", {"v": hostile}) == [
        {"v": hostile}
    ]


def test_unicode_names_round_trip(store: GraphStore) -> None:
    name = "Kugellager Ø25 – 轴承"
    store.upsert(FactBatch(nodes=[node("Part", name)]))
    assert store.read("MATCH (n:Part) RETURN n.name AS v") == [{"v": name}]


@pytest.mark.parametrize(("query", "why"), [(q, why) for q, why, _ in REFUSED])
def test_guarded_read_refuses_the_injection_corpus(store: GraphStore, query: str, why: str) -> None:
    store.upsert(plant_batch())
    before = counts(store)
    with pytest.raises(UnsafeQueryError, match=why):
        store.guarded_read(query)
    assert counts(store) == before


@pytest.mark.parametrize("query", DATABASE_REFUSES)
def test_the_database_itself_refuses_the_corpus_writes(store: GraphStore, query: str) -> None:
    """Past the lexical screen (read() skips it) the database's read-only mode refuses each write."""
    store.upsert(plant_batch())
    before = counts(store)
    with pytest.raises(UnsafeQueryError):
        store.read(query)
    assert counts(store) == before


@pytest.mark.parametrize("query", READS)
def test_the_corpus_reads_are_not_refused(store: GraphStore, query: str) -> None:
    store.upsert(plant_batch())
    try:
        store.guarded_read(query, {"q": "bearing"}, max_rows=5)
    except UnsafeQueryError:
        raise
    except QueryError:
        assert "fulltext" in query  # each engine has its own full-text procedure; not a refusal


def test_guarded_read_allows_reads_with_literals_that_look_like_writes(store: GraphStore) -> None:
    store.upsert(plant_batch())
    res = store.guarded_read(
        "MATCH (n:Entity) WHERE n.name <> 'DELETE me; CREATE' RETURN n.id AS id ORDER BY id", max_rows=3
    )
    assert len(res.rows) == 3 and res.truncated
    assert res.columns == ["id"]


def test_server_side_guard_refuses_writes_that_pass_the_screen(store: GraphStore) -> None:
    """read() skips the lexical screen, so this proves the database itself refuses the write."""
    store.upsert(plant_batch())
    with pytest.raises(UnsafeQueryError):
        store.read("MATCH (n:Part) SET n.name = 'pwned' RETURN n")
    assert props(store, "Part:deep groove ball bearing 6205")["name"] == "deep groove ball bearing 6205"


def test_invalid_cypher_is_a_query_error(store: GraphStore) -> None:
    with pytest.raises(QueryError):
        store.guarded_read("MATCH (n RETURN n")


def test_failure_chains_and_supplier_impact(store: GraphStore, schema) -> None:
    store.upsert(plant_batch())
    kg = KnowledgeGraph(store, schema)
    chains = kg.failure_chains("Equipment:p-101 feed pump")
    assert [(r["item"], r["mode"], r["cause"], r["effect"], r["rpn"]) for r in chains] == [
        ("deep groove ball bearing 6205", "bearing overheating", "lubricant starvation", "pump seizure", 96)
    ]
    impact = kg.supplier_impact("Supplier:skf")
    assert [(r["item"], r["equipment"], r["site"], r["other_suppliers"]) for r in impact] == [
        ("deep groove ball bearing 6205", "P-101 feed pump", "Plant Alpha", 0)
    ]
    assert [r["item"] for r in kg.single_source_items()] == ["deep groove ball bearing 6205"]
    with pytest.raises(BadInputError, match="No entity with id 'Supplier:skff'.*Supplier:skf"):
        kg.supplier_impact("Supplier:skff")


def test_shortest_path_is_undirected_and_bounded(store: GraphStore) -> None:
    store.upsert(plant_batch())
    path = store.shortest_path("Supplier:skf", "Site:plant alpha")
    assert path is not None
    assert [n.id for n in path.nodes] == [
        "Supplier:skf",
        "Part:deep groove ball bearing 6205",
        "Equipment:p-101 feed pump",
        "Site:plant alpha",
    ]
    assert [e.type for e in path.edges] == ["SUPPLIED_BY", "HAS_PART", "LOCATED_AT"]
    assert store.shortest_path("Supplier:skf", "Site:plant alpha", max_hops=2) is None
    with pytest.raises(BadInputError):
        store.shortest_path("Supplier:nobody", "Site:plant alpha")


def test_search_entities_by_partial_name(store: GraphStore) -> None:
    store.upsert(plant_batch())
    hits = store.search_entities("ball bear")
    assert hits and hits[0]["id"] == "Part:deep groove ball bearing 6205"
    assert store.search_entities("-|@*()") == []  # operators only: nothing to search, no error


def test_search_needs_every_word_on_every_engine(store: GraphStore) -> None:
    """RediSearch intersects a query's words, Lucene unites them unless told: both must intersect."""
    store.upsert(plant_batch())
    hits = store.search_entities("bearing overheating")
    assert {h["id"] for h in hits} == {"FailureMode:bearing overheating"}
    assert store.search_entities("bearing seizure") == []  # each word is in some name, both in none


def test_neighbourhood_follows_domain_relationships_only(store: GraphStore, schema) -> None:
    store.upsert(plant_batch())
    kg = KnowledgeGraph(store, schema)
    one_hop = {p.nodes[-1].id for p in kg.neighbourhood("Part:deep groove ball bearing 6205", hops=1)}
    assert one_hop == {"Equipment:p-101 feed pump", "Supplier:skf", "FailureMode:bearing overheating"}
    two_hops = {p.nodes[-1].id for p in kg.neighbourhood("Part:deep groove ball bearing 6205", hops=2)}
    assert {"Site:plant alpha", "FailureCause:lubricant starvation", "FailureEffect:pump seizure"} <= two_hops
    assert not any(i is None or i.startswith("doc") for i in two_hops)  # no hop through Document nodes


def test_slow_untrusted_query_hits_the_time_limit(store: GraphStore) -> None:
    with pytest.raises(QueryTimeoutError):
        # 16M streamed rows (~10 s unbounded): a deadline of 50 ms must cut it off
        store.guarded_read(
            "UNWIND range(1, 4000) AS a UNWIND range(1, 4000) AS b "
            "WITH a, b WHERE (a * b) % 7 = 3 RETURN count(*)",
            timeout_ms=50,
        )


def test_clear_empties_the_graph_a_batch_at_a_time(store: GraphStore) -> None:
    """Neo4j refused to delete a 2,000-document graph in one transaction (its transaction memory)."""
    store.upsert(plant_batch("doc-a"))
    store.upsert(plant_batch("doc-b"))
    assert counts(store)[0] > 6
    store.batch_size = 3  # type: ignore[attr-defined]  # several transactions, each deleting three nodes
    store.clear()
    assert counts(store) == (0, 0)
