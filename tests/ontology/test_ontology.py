"""The manufacturing ontology, its failure-mode codes and the graph schema derived from them."""

from __future__ import annotations

import doctest
import importlib
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SKOS

import kg.core.graph_schema
from kg.core.errors import OntologyError
from kg.core.facts import MENTIONED_IN
from ontology import DEFAULT_FAILURE_MODES, DEFAULT_ONTOLOGY, MFG, Ontology, load_ontology

ISO_14224 = "https://www.iso.org/standard/64076.html"
IOF_CORE = "https://spec.industrialontologies.org/ontology/core/Core/"
IOF_MAINT = "https://spec.industrialontologies.org/ontology/maintenance/Maintenance/"

LABELS = (
    "Equipment",
    "FailureCause",
    "FailureEffect",
    "FailureMechanism",
    "FailureMode",
    "MaintenanceActivity",
    "Manufacturer",
    "Material",
    "Organization",
    "Part",
    "Process",
    "Product",
    "Property",
    "Site",
    "Supplier",
)
RELATIONS = {
    "ALTERNATIVE_TO": "alternativeTo",
    "CAUSES": "causes",
    "DETECTED_BY": "detectedBy",
    "HAS_FAILURE_MODE": "hasFailureMode",
    "HAS_PART": "hasPart",
    "HAS_PROPERTY": "hasProperty",
    "LOCATED_AT": "locatedAt",
    "MADE_OF": "madeOf",
    "MANUFACTURED_BY": "manufacturedBy",
    "MITIGATED_BY": "mitigatedBy",
    "PERFORMED_ON": "performedOn",
    "PRODUCES": "produces",
    "SUPPLIED_BY": "suppliedBy",
}
DATATYPE_PROPERTIES = {
    "name": "name",
    "partNumber": "part_number",
    "tag": "tag",
    "severity": "severity",
    "occurrence": "occurrence",
    "detection": "detection",
    "rpn": "rpn",
    "failureModeCode": "failure_mode_code",
    "contentHash": "content_hash",
    "path": "path",
    "evidence": "evidence",
    "confidence": "confidence",
    "firstSeen": "first_seen",
    "lastSeen": "last_seen",
}
REQUIRED_CODES = (
    *("ELP", "ELU", "INL", "VIB", "OHE", "NOI", "FTS", "STP", "BRD", "AIR", "PLU", "STD", "LOO"),
    *("HIO", "ERO", "FTC", "FTO", "SPO", "PDE", "UST", "SER", "DOP", "LCP", "OTH", "UNK"),
)


@pytest.fixture(scope="module")
def onto() -> Ontology:
    return load_ontology()


@pytest.fixture(scope="module")
def classes(onto):
    return {c.label: c for c in onto.classes()}


@pytest.fixture(scope="module")
def relations(onto):
    return {r.name: r for r in onto.relations()}


# --- the files ----------------------------------------------------------------------------------------


def test_ttl_files_parse_and_declare_the_ontology():
    g = Graph().parse(DEFAULT_ONTOLOGY, format="turtle")
    iri = URIRef("https://w3id.org/mfg-kg/ontology")
    assert (iri, RDF.type, OWL.Ontology) in g
    assert g.value(iri, OWL.versionInfo) == Literal("0.1.0")
    fm = Graph().parse(DEFAULT_FAILURE_MODES, format="turtle")
    assert (MFG.FailureModeCodes, RDF.type, SKOS.ConceptScheme) in fm
    assert (MFG.FailureModeCodes, RDFS.seeAlso, URIRef(ISO_14224)) in fm


def test_every_mfg_term_the_axioms_mention_is_declared(onto):
    """Protégé shows undeclared IRIs as stray entities; every class an axiom names must be declared."""
    g = onto.graph
    declared = {s for s in g.subjects(RDF.type, None) if isinstance(s, URIRef)}
    mentioned = set()
    for p in (RDFS.domain, RDFS.range, RDFS.subClassOf, OWL.allValuesFrom, OWL.onProperty, OWL.inverseOf):
        mentioned |= {o for o in g.objects(None, p) if isinstance(o, URIRef) and str(o).startswith(str(MFG))}
    for union in g.objects(None, OWL.unionOf):
        mentioned |= set(Collection(g, union))
    assert mentioned - declared == set()


def test_loaded_ontology_reports_iri_and_version(onto):
    assert onto.iri == "https://w3id.org/mfg-kg/ontology"
    assert onto.version == "0.1.0"


# --- classes ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("label", [*LABELS, "Document"])
def test_required_class_has_label_definition_and_alignment(classes, label):
    cls = classes[label]
    assert cls.iri == str(MFG[label])
    assert cls.pref_label and len(cls.definition) > 30
    assert cls.alignments, f"{label} has no skos:*Match / rdfs:seeAlso alignment"


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("Equipment", IOF_CORE + "PieceOfEquipment"),
        ("Organization", "https://schema.org/Organization"),
        ("Supplier", IOF_CORE + "Supplier"),
        ("Product", "https://schema.org/Product"),
        ("MaintenanceActivity", IOF_MAINT + "MaintenanceActivity"),
        ("FailureEffect", IOF_MAINT + "FailureEffect"),
        ("Site", "https://schema.org/Place"),
        ("Document", "https://schema.org/DigitalDocument"),
    ],
)
def test_classes_close_match_public_vocabularies(classes, label, expected):
    assert expected in classes[label].close_matches


@pytest.mark.parametrize("label", ["Part", "FailureMode", "FailureCause", "MaintenanceActivity", "Equipment"])
def test_reliability_classes_cite_iso_14224(classes, label):
    assert ISO_14224 in classes[label].alignments


@pytest.mark.parametrize(
    ("label", "alt"),
    [
        ("Part", "component"),
        ("Part", "spare part"),
        ("Part", "maintainable item"),
        ("FailureCause", "root cause"),
        ("FailureCause", "failure mechanism"),
        ("Site", "location"),
        ("Site", "plant"),
    ],
)
def test_classes_carry_the_synonyms_extractors_meet(classes, label, alt):
    assert alt in classes[label].alt_labels


def test_class_parents_are_transitive_nearest_first(classes):
    assert classes["Supplier"].parents == ("Organization", "Entity")
    assert classes["FailureMechanism"].parents == ("FailureCause", "Entity")
    assert classes["Document"].parents == ()
    assert classes["Entity"].abstract and classes["Document"].store_managed


# --- relations and datatype properties ----------------------------------------------------------------


@pytest.mark.parametrize("name", [*RELATIONS.values(), "supplies", "mentionedIn"])
def test_required_object_property_is_documented(relations, name):
    rel = relations[name]
    assert rel.label and len(rel.definition) > 30
    assert rel.domain and rel.range
    assert rel.alignments, f"{name} has no alignment"


def test_object_property_domains_and_ranges_read_unions(relations):
    assert relations["hasPart"].domain == ("Equipment", "Part", "Product")
    assert relations["hasPart"].range == ("Equipment", "Part")
    assert relations["causes"].domain == ("FailureCause", "FailureMode")
    assert relations["suppliedBy"].range == ("Organization",)
    assert relations["suppliedBy"].inverse == "supplies"
    assert relations["supplies"].stored_as == "suppliedBy"
    assert relations["alternativeTo"].symmetric


def test_mentioned_in_is_store_managed_with_the_store_type(relations):
    rel = relations["mentionedIn"]
    assert rel.store_managed and rel.graph_type == MENTIONED_IN
    assert rel.domain == ("Entity",) and rel.range == ("Document",)


def test_datatype_properties_name_their_graph_keys(onto):
    props = {p.name: p for p in onto.datatype_properties()}
    assert {n: p.graph_name for n, p in props.items()} == DATATYPE_PROPERTIES
    for p in props.values():
        assert p.label and p.definition and p.alignments and p.range
    assert props["severity"].range == "integer" and props["tag"].domain == ("Equipment",)


# --- graph schema -------------------------------------------------------------------------------------


def test_graph_schema_labels_and_relations_are_exactly_the_ontologys(onto):
    schema = onto.graph_schema()
    assert schema.labels == LABELS
    assert {t: r.name for t, r in schema.relations.items()} == RELATIONS
    assert schema.label_iris["Part"] == str(MFG.Part)
    assert schema.ontology_iri == onto.iri and schema.version == "0.1.0"


def test_graph_schema_parents_indexes_and_flags(onto):
    schema = onto.graph_schema()
    assert schema.parents["Supplier"] == ("Organization",)
    assert schema.parents["FailureMechanism"] == ("FailureCause",)
    assert all("Entity" not in p for p in schema.parents.values())
    assert schema.indexed_properties == {"Part": ("part_number",), "Equipment": ("tag",)}
    assert schema.fulltext_properties == ("name",)
    assert schema.relations["ALTERNATIVE_TO"].symmetric
    assert schema.relations["SUPPLIED_BY"].inverse == "SUPPLIES"


def test_symmetric_relation_pairs_are_symmetric(onto):
    pairs = onto.graph_schema().relations["ALTERNATIVE_TO"].pairs
    assert pairs == {(o, s) for s, o in pairs}


def test_causes_pairs_are_cause_to_mode_and_mode_to_mode_or_effect(onto):
    assert onto.graph_schema().relations["CAUSES"].pairs == {
        ("FailureCause", "FailureMode"),
        ("FailureMechanism", "FailureMode"),
        ("FailureMode", "FailureMode"),
        ("FailureMode", "FailureEffect"),
    }


@pytest.mark.parametrize(
    "fact",
    [
        ("Equipment", "HAS_PART", "Part"),
        ("Part", "SUPPLIED_BY", "Supplier"),
        ("Part", "SUPPLIED_BY", "Manufacturer"),
        ("FailureCause", "CAUSES", "FailureMode"),
        ("FailureMode", "CAUSES", "FailureEffect"),
        ("FailureMode", "CAUSES", "FailureMode"),
        ("Supplier", "ALTERNATIVE_TO", "Manufacturer"),
        ("Equipment", "hasPart", "Part"),
        ("MaintenanceActivity", "performedOn", "Equipment"),
        ("Supplier", "supplies", "Part"),
    ],
)
def test_allowed_facts_pass(onto, fact):
    assert onto.check(*fact) is None


@pytest.mark.parametrize(
    ("fact", "needs"),
    [
        (("FailureCause", "CAUSES", "FailureEffect"), "needs an object of class FailureMode"),
        (("FailureMechanism", "causes", "FailureEffect"), "needs an object of class FailureMode"),
        (("Supplier", "HAS_PART", "Part"), "needs a subject of class Equipment | Part | Product"),
        (("Part", "ALTERNATIVE_TO", "Material"), "needs an object of class Part"),
        (("Equipment", "SUPPLIED_BY", "Part"), "needs an object of class Manufacturer | Organization"),
        (("Part", "supplies", "Supplier"), "is stored as Supplier -SUPPLIED_BY-> Part"),
    ],
)
def test_violations_say_what_is_wrong(onto, fact, needs):
    why = onto.check(*fact)
    assert why is not None and needs in why
    assert why.startswith(f"{fact[0]} -")


def test_unknown_label_suggests_the_close_one(onto):
    with pytest.raises(OntologyError, match="Did you mean 'Supplier'"):
        onto.check("Suplier", "SUPPLIED_BY", "Part")


@pytest.mark.parametrize(("typo", "meant"), [("HAS_PRT", "HAS_PART"), ("hasPrt", "hasPart")])
def test_unknown_relation_suggests_the_close_one(onto, typo, meant):
    with pytest.raises(OntologyError, match=f"Did you mean '{meant}'"):
        onto.check("Equipment", typo, "Part")


def test_store_managed_relation_cannot_be_checked_as_a_fact(onto):
    with pytest.raises(OntologyError, match="written by the store"):
        onto.check("Part", "MENTIONED_IN", "Part")


def test_schema_docstring_example_holds():
    assert doctest.testmod(kg.core.graph_schema).failed == 0


DOCUMENTED_MODULES = ("ontology", "ontology.core", "ontology.loader", "ontology.records")


@pytest.mark.parametrize("module", [*DOCUMENTED_MODULES, "ontology.failure_modes", "ontology.axioms"])
def test_ontology_docstring_examples_hold(module):
    result = doctest.testmod(importlib.import_module(module))
    assert result.failed == 0 and result.attempted > 0


# --- failure modes ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("VIB", "VIB"),
        ("vib", "VIB"),
        ("vibration", "VIB"),
        ("Running hot", "OHE"),
        ("seal leak", "ELP"),
        ("external leakage – process medium", "ELP"),
        ("won't start", "FTS"),
        ("wont  start", "FTS"),
        ("plugged / choked", "PLU"),
    ],
)
def test_failure_mode_lookup_by_code_label_and_alt_label(onto, query, code):
    fm = onto.find_failure_mode(query)
    assert fm is not None and fm.code == code


def test_failure_mode_lookup_misses_return_none(onto):
    assert onto.find_failure_mode("excellent condition") is None


def test_failure_mode_scheme_is_complete_and_documented(onto):
    modes = onto.failure_modes()
    codes = [m.code for m in modes]
    assert set(REQUIRED_CODES) <= set(codes) and len(codes) == len(set(codes)) >= 25
    equipment = {
        str(n)
        for c in onto.failure_mode_graph.subjects(SKOS.inScheme, MFG.EquipmentClasses)
        for n in onto.failure_mode_graph.objects(c, SKOS.notation)
    }
    assert {"Pump", "Compressor", "ElectricMotor", "Valve", "HeatExchanger", "Conveyor"} <= equipment
    for m in modes:
        assert len(m.definition) > 20 and m.alt_labels, m.code
        assert m.applies_to and set(m.applies_to) <= equipment, m.code


def test_failure_mode_labels_are_unambiguous(onto):
    words = [w.casefold() for m in onto.failure_modes() for w in (m.pref_label, *m.alt_labels)]
    assert len(words) == len(set(words))


# --- loading ------------------------------------------------------------------------------------------


def test_default_ontology_is_cached_and_explicit_paths_are_not():
    assert load_ontology() is load_ontology()
    assert load_ontology(DEFAULT_ONTOLOGY) is not load_ontology()


def test_malformed_ontology_names_the_file(tmp_path: Path):
    bad = tmp_path / "broken.ttl"
    bad.write_text("@prefix mfg: <https://w3id.org/mfg-kg/ontology#> .\nmfg:Part a owl:Class ;;; .\n")
    with pytest.raises(OntologyError, match=r"broken\.ttl is not valid Turtle") as err:
        load_ontology(bad)
    assert "Fix the syntax" in str(err.value)


def test_malformed_failure_modes_name_the_file(tmp_path: Path):
    bad = tmp_path / "codes.ttl"
    bad.write_text("this is not turtle\n")
    with pytest.raises(OntologyError, match=r"failure-mode file .*codes\.ttl"):
        load_ontology(failure_modes=bad)


def test_missing_file_says_so(tmp_path: Path):
    with pytest.raises(OntologyError, match="does not exist"):
        load_ontology(tmp_path / "nope.ttl")


def _variant(tmp_path: Path, edit) -> Ontology:
    g = Graph().parse(DEFAULT_ONTOLOGY, format="turtle")
    edit(g)
    path = tmp_path / "variant.ttl"
    g.serialize(path, format="turtle")
    return load_ontology(path)


def test_graph_type_annotation_wins_and_camel_case_is_the_fallback(tmp_path: Path):
    def edit(g: Graph) -> None:
        g.set((MFG.hasPart, MFG.graphType, Literal("CONTAINS")))
        g.add((MFG.installedIn, RDF.type, OWL.ObjectProperty))
        g.add((MFG.installedIn, RDFS.domain, MFG.Equipment))
        g.add((MFG.installedIn, RDFS.range, MFG.Site))

    schema = _variant(tmp_path, edit).graph_schema()
    assert schema.relations["CONTAINS"].name == "hasPart" and "HAS_PART" not in schema.relations
    assert schema.relations["INSTALLED_IN"].pairs == {("Equipment", "Site")}


def test_unsupported_class_expression_is_refused(tmp_path: Path):
    def edit(g: Graph) -> None:
        expr, members = BNode(), BNode()
        Collection(g, members, [MFG.Part, MFG.Equipment])
        g.add((expr, OWL.intersectionOf, members))
        g.remove((MFG.madeOf, RDFS.domain, None))
        g.add((MFG.madeOf, RDFS.domain, expr))

    with pytest.raises(OntologyError, match="rdfs:domain of madeOf"):
        _variant(tmp_path, edit)
