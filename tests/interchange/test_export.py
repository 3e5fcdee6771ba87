"""Export to networkx and RDF, and RDF round trips, against a real embedded FalkorDB."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph, Literal
from rdflib import namespace as ns

from kg.core.errors import BadInputError
from kg.core.facts import DocumentInfo, EdgeFact, Evidence, FactBatch, NodeFact
from kg.core.settings import StoreSettings
from kg.interchange import PROP, export_rdf, import_rdf, node_iri, rdf_to_batch, to_networkx, to_rdf
from kg.store.falkordb_store import FalkorDBStore, open_falkordb
from ontology import MFG, Ontology, load_ontology

WO = Evidence(doc_id="wo-1", start=0, end=15, extractor="manual", confidence=0.9)
WO_SEAL = Evidence(doc_id="wo-1", start=30, end=45, extractor="gliner-v1", confidence=0.75)
FMEA = Evidence(doc_id="fmea-7", start=10, end=19, extractor="manual", confidence=1.0)
TIMES = {"first_seen", "last_seen"}

PUMP = NodeFact(
    label="Equipment",
    name="P-101 feed pump",
    evidence=[WO],
    properties={
        "tag": "P-101",
        "equipment_class": "Pump",
        "critical": True,
        "tags_seen": ["P-101", "P-101A"],
    },
)
PUMP_ALIAS = NodeFact(label="Equipment", name="P-101 Feed Pump", evidence=[WO])
SEAL = NodeFact(
    label="Part",
    name="mechanical seal",
    key="MS-22",
    evidence=[WO_SEAL],
    properties={"part_number": "MS-22", "weight_kg": 0.35},
)
SKF = NodeFact(label="Supplier", name="SKF Group", evidence=[WO_SEAL])
LEAK = NodeFact(
    label="FailureMode", name="seal leak", evidence=[FMEA], properties={"failure_mode_code": "ELP"}
)
WORN = NodeFact(label="FailureCause", name="worn seal faces", evidence=[FMEA])
SPILL = NodeFact(label="FailureEffect", name="loss of containment", evidence=[FMEA])
EDGES = [
    EdgeFact(source=PUMP.id, type="HAS_PART", target=SEAL.id, evidence=[WO]),
    EdgeFact(
        source=SEAL.id,
        type="SUPPLIED_BY",
        target=SKF.id,
        evidence=[WO_SEAL],
        properties={"lead_time_days": 14},
    ),
    EdgeFact(
        source=SEAL.id,
        type="HAS_FAILURE_MODE",
        target=LEAK.id,
        evidence=[FMEA],
        properties={"severity": 8, "occurrence": 4, "detection": 3, "rpn": 96},
    ),
    EdgeFact(source=WORN.id, type="CAUSES", target=LEAK.id, evidence=[FMEA]),
    EdgeFact(source=LEAK.id, type="CAUSES", target=SPILL.id, evidence=[FMEA]),
]
DOCS = [
    DocumentInfo(id="wo-1", properties={"path": "work_orders/wo-1.txt", "content_hash": "ab12", "size": 120}),
    DocumentInfo(id="fmea-7", properties={"path": "fmea/fmea-7.csv", "reader": "csv"}),
]
ENTITY_IDS = {n.id for n in (PUMP, SEAL, SKF, LEAK, WORN, SPILL)}


def _batch() -> FactBatch:
    nodes = [n.model_copy(deep=True) for n in (PUMP, PUMP_ALIAS, SEAL, SKF, LEAK, WORN, SPILL)]
    return FactBatch(nodes=nodes, edges=[e.model_copy(deep=True) for e in EDGES], documents=DOCS)


@pytest.fixture(scope="module")
def ontology() -> Ontology:
    return load_ontology()


@pytest.fixture(scope="module")
def open_store(
    tmp_path_factory: pytest.TempPathFactory, ontology: Ontology
) -> Iterator[Callable[[], FalkorDBStore]]:
    """Opens fresh embedded stores (each in its own data dir) and closes them all at the end."""
    opened: list[FalkorDBStore] = []

    def _open() -> FalkorDBStore:
        store = open_falkordb(StoreSettings(data_dir=tmp_path_factory.mktemp("db")))
        opened.append(store)
        store.ensure_schema(ontology.graph_schema())
        return store

    yield _open
    for store in opened:
        store.close()


@pytest.fixture(scope="module")
def store(open_store: Callable[[], FalkorDBStore]) -> FalkorDBStore:
    store = open_store()
    store.upsert(_batch())
    return store


@pytest.fixture
def fresh(open_store: Callable[[], FalkorDBStore]) -> FalkorDBStore:
    return open_store()


def _snapshot(store: FalkorDBStore) -> dict[str, Any]:
    """What a round trip must keep: ids, labels, names, aliases, evidence, properties, edges."""
    g = to_networkx(store)
    nodes = {
        n: {
            k: sorted(v) if k in ("aliases", "evidence", "sources", "labels") else v
            for k, v in a.items()
            if k not in TIMES
        }
        for n, a in g.nodes(data=True)
    }
    edges = {
        (s, k, t): {**a, "evidence": sorted(a.get("evidence", []))}
        for s, t, k, a in g.edges(keys=True, data=True)
    }
    for attrs in edges.values():
        for key in TIMES:
            attrs.pop(key, None)
    return {"nodes": nodes, "edges": edges}


# -- networkx ---------------------------------------------------------------------------------------
def test_networkx_holds_every_node_edge_and_attribute(store: FalkorDBStore) -> None:
    g = to_networkx(store)
    assert set(g.nodes) == ENTITY_IDS | {"wo-1", "fmea-7"}
    pump = g.nodes[PUMP.id]
    assert (
        pump["labels"] == ["Entity", "Equipment"]
        and pump["tag"] == "P-101"
        and pump["name"] == "P-101 feed pump"
    )
    assert set(pump["aliases"]) == {"P-101 feed pump", "P-101 Feed Pump"}
    assert g.nodes["wo-1"]["labels"] == ["Document"] and g.nodes["wo-1"]["path"] == "work_orders/wo-1.txt"
    domain = {(s, k, t) for s, t, k in g.edges(keys=True) if k != "MENTIONED_IN"}
    assert domain == {(e.source, e.type, e.target) for e in EDGES}
    fm = g.edges[SEAL.id, LEAK.id, "HAS_FAILURE_MODE"]
    assert fm["rpn"] == 96 and fm["evidence"] == [FMEA.key()] and fm["sources"] == ["fmea-7"]
    assert g.has_edge(PUMP.id, "wo-1", key="MENTIONED_IN")


def test_networkx_without_documents_and_paged(store: FalkorDBStore) -> None:
    g = to_networkx(store, include_documents=False)
    assert set(g.nodes) == ENTITY_IDS
    assert all(k != "MENTIONED_IN" for _, _, k in g.edges(keys=True))
    paged = to_networkx(store, page=2)
    full = to_networkx(store)
    assert set(paged.edges(keys=True)) == set(full.edges(keys=True)) and set(paged.nodes) == set(full.nodes)
    with pytest.raises(BadInputError, match="page size"):
        to_networkx(store, page=0)


# -- RDF export -------------------------------------------------------------------------------------
def test_rdf_nodes_use_ontology_classes_labels_and_properties(
    store: FalkorDBStore, ontology: Ontology
) -> None:
    g = to_rdf(store, ontology)
    pump, seal, wo = node_iri(PUMP.id), node_iri(SEAL.id), node_iri("wo-1")
    assert (pump, ns.RDF.type, MFG.Equipment) in g and (seal, ns.RDF.type, MFG.Part) in g
    assert (wo, ns.RDF.type, MFG.Document) in g and (wo, MFG.path, Literal("work_orders/wo-1.txt")) in g
    assert (pump, ns.RDFS.label, Literal("P-101 feed pump")) in g
    assert (pump, ns.SKOS.altLabel, Literal("P-101 Feed Pump")) in g
    assert (pump, MFG.tag, Literal("P-101")) in g  # declared by the ontology
    assert (pump, PROP.equipment_class, Literal("Pump")) in g  # not declared: prop: namespace
    assert (pump, MFG.mentionedIn, wo) in g and (pump, MFG.evidence, Literal(WO.key())) in g
    assert (pump, MFG.confidence, Literal(0.9, datatype=ns.XSD.double)) in g
    first_seen = g.value(pump, MFG.firstSeen)
    assert isinstance(first_seen, Literal) and first_seen.datatype == ns.XSD.dateTime
    assert str(pump) == "https://w3id.org/mfg-kg/data/Equipment%3Ap-101%20feed%20pump"


def test_rdf_relationships_are_direct_triples_with_reified_provenance(
    store: FalkorDBStore, ontology: Ontology
) -> None:
    g = to_rdf(store, ontology)
    seal, leak = node_iri(SEAL.id), node_iri(LEAK.id)
    assert (seal, MFG.hasFailureMode, leak) in g and (seal, MFG.suppliedBy, node_iri(SKF.id)) in g
    about = {(ns.RDF.subject, seal), (ns.RDF.predicate, MFG.hasFailureMode), (ns.RDF.object, leak)}
    statements = [
        s for s in g.subjects(ns.RDF.type, ns.RDF.Statement) if all((s, p, o) in g for p, o in about)
    ]
    assert len(statements) == 1
    st = statements[0]
    assert set(g.objects(st, MFG.evidence)) == {Literal(FMEA.key())}
    assert set(g.objects(st, ns.PROV.wasDerivedFrom)) == {node_iri("fmea-7")}
    assert (st, MFG.severity, Literal(8, datatype=ns.XSD.integer)) in g and (st, MFG.rpn, Literal(96)) in g
    assert (st, MFG.confidence, Literal(1.0, datatype=ns.XSD.double)) in g


# -- round trips ------------------------------------------------------------------------------------
@pytest.mark.parametrize("suffix", [".ttl", ".jsonld", ".json-ld"])
def test_export_import_round_trip(
    store: FalkorDBStore, fresh: FalkorDBStore, ontology: Ontology, tmp_path: Path, suffix: str
) -> None:
    path = tmp_path / f"graph{suffix}"
    triples = export_rdf(store, ontology, path)
    assert triples == len(Graph().parse(path, format="turtle" if suffix == ".ttl" else "json-ld"))
    import_rdf(path, ontology, fresh)
    before, after = _snapshot(store), _snapshot(fresh)
    assert set(after["nodes"]) == set(before["nodes"])  # exact ids
    assert set(after["edges"]) == set(before["edges"])  # (source, type, target)
    assert after == before  # evidence, sources, confidence, names, aliases, properties


def test_rdf_to_batch_keeps_evidence_per_fact(store: FalkorDBStore, ontology: Ontology) -> None:
    batch = rdf_to_batch(to_rdf(store, ontology), ontology, source_name="mem")
    evidence = {n.id: {e.key() for e in n.evidence} for n in batch.nodes if n.name != "P-101 Feed Pump"}
    assert evidence[LEAK.id] == {FMEA.key()}
    assert evidence[SEAL.id] == {WO_SEAL.key(), FMEA.key()}  # HAS_PART adds no 2nd wo-1 evidence
    edges = {(e.source, e.type, e.target): {x.key() for x in e.evidence} for e in batch.edges}
    assert edges[(SEAL.id, "SUPPLIED_BY", SKF.id)] == {WO_SEAL.key()}
    assert {d.id for d in batch.documents} == {"wo-1", "fmea-7"}


HAND_WRITTEN = """
@prefix mfg: <https://w3id.org/mfg-kg/ontology#> .
@prefix data: <https://w3id.org/mfg-kg/data/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
data:Part%3AABC-1 a mfg:Part ; rdfs:label "bearing ABC-1" ; mfg:mentionedIn data:manual-3 .
data:Supplier%3Aacme a mfg:Supplier ; rdfs:label "Acme" .
data:Part%3AABC-1 mfg:suppliedBy data:Supplier%3Aacme .
data:Part%3Agasket a mfg:Part ; rdfs:label "gasket" .
data:Supplier%3Aacme mfg:supplies data:Part%3Agasket .
"""


def test_import_without_evidence_uses_stand_in_evidence(
    fresh: FalkorDBStore, ontology: Ontology, tmp_path: Path
) -> None:
    path = tmp_path / "hand.ttl"
    path.write_text(HAND_WRITTEN.replace("data:Part%3AABC-1", "data:Part%3Aabc1"), encoding="utf-8")
    import_rdf(path, ontology, fresh)
    g = to_networkx(fresh)
    assert "manual-3|0|0|rdf-import|1.0000" in g.nodes["Part:abc1"]["evidence"]
    assert g.nodes["Supplier:acme"]["evidence"] == ["rdf:hand.ttl|0|0|rdf-import|1.0000"]
    assert g.has_edge("Part:abc1", "Supplier:acme", key="SUPPLIED_BY")
    assert g.has_edge("Part:gasket", "Supplier:acme", key="SUPPLIED_BY")  # mfg:supplies is stored reversed


def test_import_keeps_ids_that_are_not_in_normal_form(
    fresh: FalkorDBStore, ontology: Ontology, tmp_path: Path
) -> None:
    path = tmp_path / "hand.ttl"
    path.write_text(HAND_WRITTEN, encoding="utf-8")
    import_rdf(path, ontology, fresh)
    assert "Part:ABC-1" in set(to_networkx(fresh).nodes)


# -- bad input --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "text", "fmt"),
    [("broken.ttl", "data:x a mfg:Part ;; .\n", "Turtle"), ("broken.jsonld", '{"@id": "x", ', "JSON-LD")],
)
def test_malformed_file_names_file_and_format(
    fresh: FalkorDBStore, ontology: Ontology, tmp_path: Path, name: str, text: str, fmt: str
) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(BadInputError, match=rf"{name} is not valid {fmt}"):
        import_rdf(path, ontology, fresh)


def test_unknown_extension_and_missing_file(fresh: FalkorDBStore, ontology: Ontology, tmp_path: Path) -> None:
    with pytest.raises(BadInputError, match=r"graph\.xml.*\.ttl, \.jsonld or \.json-ld"):
        import_rdf(tmp_path / "graph.xml", ontology, fresh)
    with pytest.raises(BadInputError, match="does not exist"):
        import_rdf(tmp_path / "nowhere.ttl", ontology, fresh)


UNKNOWN = (
    HAND_WRITTEN.replace("data:Part%3AABC-1", "data:Part%3Aabc1")
    + """
@prefix ex: <http://example.org/> .
data:Widget%3Aw1 a ex:Widget ; rdfs:label "w1" .
data:Supplier%3Aacme ex:rating 5 .
"""
)


def test_unknown_class_is_refused_naming_file_and_iri(
    fresh: FalkorDBStore, ontology: Ontology, tmp_path: Path
) -> None:
    path = tmp_path / "odd.ttl"
    path.write_text(UNKNOWN, encoding="utf-8")
    with pytest.raises(BadInputError, match=r"odd\.ttl") as info:
        import_rdf(path, ontology, fresh)
    assert "http://example.org/Widget" in str(info.value) and "http://example.org/rating" in str(info.value)
    assert "strict=False" in str(info.value)
    assert to_networkx(fresh).number_of_nodes() == 0  # nothing written


def test_unknown_terms_are_skipped_when_not_strict(
    fresh: FalkorDBStore, ontology: Ontology, tmp_path: Path
) -> None:
    path = tmp_path / "odd.ttl"
    path.write_text(UNKNOWN, encoding="utf-8")
    summary, skipped = import_rdf(path, ontology, fresh, strict=False)
    assert summary.nodes_created >= 2
    assert any("http://example.org/Widget" in line for line in skipped)
    assert any("http://example.org/rating" in line for line in skipped)
    assert {"Part:abc1", "Supplier:acme"} <= set(to_networkx(fresh).nodes)
