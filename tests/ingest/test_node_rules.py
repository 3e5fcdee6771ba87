"""Nothing becomes a node that is not an entity: each rule of kg.ingest.node_rules on a real sentence, and the
rules at work in ingestion (no node, no edge, counted per document)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fakes import FakeExtractor

from kg.core.settings import ExtractorSettings, Settings, StoreSettings
from kg.graph.knowledge_graph import open_knowledge_graph
from kg.ingest.node_rules import judge, people_in
from kg.ingest.service import ingestor_for

# (sentence, the span a model marked, the class it gave, what the rule decides: dropped rule or new class)
CASES = [
    ("It has been approved as second source for the 6206-2Z bearing.", "It", "Supplier", "pronoun"),
    ("We confirm delivery of the hose assemblies in week 32.", "We", "Supplier", "pronoun"),
    ("Please return the goods to our supplier.", "our supplier", "Supplier", "generic_word"),
    ("Quantity: 20 pcs, unit price excl. VAT.", "20 pcs", "Part", "number_or_unit"),
    ("Wall thickness 2.5 mm, tolerance ±0.1 mm.", "mm", "Part", "number_or_unit"),
    ("Seal kit x 4", "x", "Part", "too_short"),
    ("Your order PO 4500012345 will ship on 12 May.", "PO 4500012345", "Supplier", "document_id"),
    ("See NCR-2024-031 for the O-ring compound mix-up.", "NCR-2024-031", "Supplier", "document_id"),
    ("Root cause per 8D-2025-009: spalling of the outer race.", "8D-2025-009", "Part", "document_id"),
    ("Delivery terms: DAP Ostrava plant (Incoterms 2020).", "DAP", "Supplier", "trade_term"),
    ("Prices are EXW (Incoterms 2020).", "EXW (Incoterms 2020)", "Supplier", "trade_term"),
    ("The plant is certified to IATF 16949 and ISO 14001.", "IATF 16949", "Supplier", "standard"),
    ("Material certificates per EN 10204 3.1 accompany each lot.", "EN 10204 3.1", "Part", "standard"),
    ("The pump LDS-P-101 was shut down for the seal change.", "LDS-P-101", "Supplier", "Equipment"),
    ("O-rings in NBR 70 are replaced by FKM 75.", "FKM 75", "Supplier", "Material"),
    ("The housing is made of stainless steel.", "stainless steel", "Part", "Material"),
    ("Northwind Components Ltd, Calder Way, Leeds LS10 4QT", "LS10 4QT", "Supplier", "address"),
    ("Northwind Components Ltd, Calder Way, Leeds LS10 4QT", "Calder Way", "Supplier", "address"),
    ("Deliver to Ostrava Attn. Goods inward", "Ostrava Attn.", "Supplier", "address"),
    ("Certificate TSS-CoC-2024-77120 covers lot 4411.", "TSS-CoC-2024-77120", "Supplier", "document_id"),
    ("Coupling element FL-NEUPEX-B110 from Flender.", "FL-NEUPEX-B110", "Supplier", "Part"),
    ("Reviewed by T. Ellis on 3 March.", "T. Ellis", "Supplier", "person"),
    ("All prices net in CZK Incoterms 2020 FCA Ostrava.", "CZK Incoterms", "Supplier", "trade_term"),
    ("Parker declares force majeure for its Czech plant.", "force majeure", "Supplier", "trade_term"),
    ("Delivery by transport direct to site.", "transport", "Supplier", "not_a_name"),
    ("Contact Ing. Pavel Novák for the offer.", "Ing", "Supplier", "generic_word"),
    ("Copy to Quality and Purchasing, Plant Beta.", "Quality", "Supplier", "generic_word"),
    ("Returned to the Service Centre for repair.", "Service Centre", "Supplier", "generic_word"),
    ("Hose assemblies are proof-tested at pressure 1100 bar.", "pressure 1100 bar", "Part", "measurement"),
    ("Shaft diameter 35 mm, keyway per DIN 6885.", "Shaft diameter 35 mm", "Part", "measurement"),
    ("Vibration 4.1 mm/s at the drive end.", "mm/s", "Part", "number_or_unit"),
    ("Top up the press hydraulic oil to the upper mark.", "press hydraulic oil", "Part", "Material"),
    ("Flush the loop and dose scale inhibitor monthly.", "scale inhibitor", "Part", "Material"),
    ("The O-rings' elastomers swell in the wrong coolant.", "elastomers", "Part", "Material"),
    ("D1 Scope: repeated seal leakage on the coolant supply pump.", "Scope", "Part", "layout_word"),
    ("D3 Containment: all pumps checked for seal weep.", "Containment", "Part", "layout_word"),
    ("Qty 4; unit price 12.50; Sub-total 50.00", "Sub-total", "Part", "layout_word"),
    ("Unit GBP 14.20 per piece", "Unit GBP", "Part", "layout_word"),
    ("Courier 1 850 CZK excl. VAT", "CZK excl.", "Product", "layout_word"),
    ("The bore was machined to 35 mm H7 after the sleeve was removed.", "machined", "Part", "modifier_only"),
    ("The sleeve was removed and replaced.", "removed", "Part", "modifier_only"),
    ("Fit the full set of seals.", "full", "Part", "modifier_only"),
    ("Rotary joints leak at the face.", "Rotary", "Part", "modifier_only"),
    ("Spindle overheating on the Leeds 5-axis machining centre.", "5-axis", "Part", "modifier_only"),
    ("Northwind purchasing approved the second source in May.", "Northwind", "Part", "lone_name"),
    ("Lubrication: grease the bearings every 2000 h.", "Lubrication", "Equipment", "lone_name"),
    ("Starting cold at full speed caused the loss of preload.", "loss of", "FailureCause", "unfinished"),
    ("The air pressure ran out of range twice a shift.", "out of", "FailureMode", "unfinished"),
    ("Water leak at the seal: water on the floor.", "water", "FailureMode", "Material"),
    ("The spindle unit was rebuilt at the Leeds plant.", "at", "Site", "pronoun"),
    ("The pump cannot be started after a trip.", "cannot", "FailureMode", "pronoun"),  # a modal verb
    ("Spare hoses are kept on site at the plant.", "plant", "Site", "generic_word"),
    ("The sister plant in Ostrava has the same press.", "sister plant", "Site", "generic_word"),
    ("Deliver to Northwind Components Ltd, Calder Way, Leeds.", "Calder Way", "Site", "address"),
    ("Oil temperature alarm: hose chafed against the frame.", "hose", "FailureMode", "Part"),
    (
        "The O-ring compound for the Leeds press was mixed up.",
        "Leeds press",
        "Supplier",
        "equipment_description",
    ),
]


@pytest.mark.parametrize(("sentence", "span", "label", "expected"), CASES, ids=[c[1] for c in CASES])
def test_each_rule_on_a_real_sentence(sentence: str, span: str, label: str, expected: str) -> None:
    assert span in sentence
    verdict = judge(label, span)
    if expected[0].isupper():  # a class: kept as that class
        assert verdict.keep and verdict.label == expected
    else:
        assert not verdict.keep and verdict.rule == expected


def test_people_in_finds_names_by_role_and_initial() -> None:
    text = (
        "Team leader: Daniel Okafor, Reliability Engineer. Raised by L. Svoboda (maintenance), reviewed by "
        "P. Dvořák. Parker Hannifin supplied the hose. Buyer: Helen Marsh"
    )
    people = people_in(text)
    assert {"Daniel Okafor", "Svoboda", "Dvořák", "Helen Marsh"} <= set(people)
    assert not any("Parker" in p for p in people)
    assert judge("Supplier", "Petr Dvořák", people).rule == "person"  # first name + known surname
    assert judge("Supplier", "Parker Hannifin", people).keep


def test_people_are_the_names_the_document_introduces_as_people() -> None:
    people = ["Katrin Vogel", "Parker"]  # "Kind regards, Katrin Vogel" under a letter; a Mr Parker
    assert judge("Supplier", "Katrin Vogel", people).rule == "person"
    assert judge("Supplier", "Vogel", people).rule == "person"  # the surname alone, later in the letter
    assert judge("Supplier", "Vogel Hydraulik GmbH", people).keep  # a company that bears the name
    assert judge("Supplier", "Parker Ltd", people).keep


@pytest.mark.parametrize(
    ("label", "span"),
    [
        ("Supplier", "SKF Group"),
        ("Supplier", "Aktiebolaget SKF"),
        ("Supplier", "DAF Trucks"),  # starts like an Incoterm, but names a company
        ("Supplier", "ABB"),
        ("Supplier", "3M"),  # not "3 m"
        ("Supplier", "Parker Ltd"),  # a legal form: an organisation even where a Mr Parker signs
        ("Part", "6205-2RSH"),
        ("Part", "hose assemblies DN16 4SP"),
        ("Part", "stainless steel bolt"),
        ("Part", "ball pin"),
        ("Manufacturer", "Robert Bosch GmbH"),
        ("FailureMode", "loss of power"),
        ("Part", "O-ring 150 x 4 mm"),  # dimensions name the part, they are no measurement
        ("Part", "Pressure switch PS-2"),
        ("Part", "pressure relief valve 350 bar"),
        ("Part", "oil filter"),  # a fluid word that is not the head
        ("Part", "Wear ring 2"),
        ("Supplier", "Grundfos Pumps"),  # a company capitalises its words
        ("Part", "Rotary union"),  # a modifier with the noun it qualifies
        ("Part", "spare seal kit"),
        ("Part", "feed"),  # ends in -ed, and is no participle
        ("Part", "22210E"),  # a bearing number: digits and a suffix
        ("Part", "Containment boom"),
        ("Part", "Compressor A"),  # a designation, not a phrase cut after an article
        ("FailureMode", "seal leak"),  # an item's name with what went wrong
        ("FailureMode", "stops"),  # a verb, not the plural of a stop
        ("FailureMode", "loss of brake fluid"),  # a fluid lost is a failure, not a material
        ("FailureEffect", "fire"),
    ],
)
def test_entities_are_kept_as_they_are(label: str, span: str) -> None:
    verdict = judge(label, span)
    assert verdict.keep and verdict.label == label and verdict.rule is None


LETTER = """Subject: Order PO 4500012345 - hose assemblies

Dear Sir or Madam,

Parker Hannifin confirms the hose assemblies for the press LDS-HP-01 on order PO 4500012345, delivery DAP
Leeds. It has certified the crimping line to IATF 16949. The O-rings are supplied by NBR.

Kind regards,
Katrin Vogel
Key Account Manager
"""


def test_ingestion_makes_no_node_of_what_is_not_an_entity(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "letter.txt").write_text(LETTER, encoding="utf-8")
    marks = [
        "Parker Hannifin",
        "PO 4500012345",
        "DAP",
        "It",
        "IATF 16949",
        "NBR",
        "Katrin Vogel",
        "LDS-HP-01",
    ]
    extractor = FakeExtractor(
        {"Organization": marks, "PhysicalObject": ["hose assemblies", "O-rings"]},
        [("hose assemblies", "suppliedBy", "Parker Hannifin"), ("O-rings", "suppliedBy", "NBR")],
    )
    settings = Settings(
        store=StoreSettings(data_dir=tmp_path / "db"), extractor=ExtractorSettings(model=tmp_path / "none")
    )
    with open_knowledge_graph(settings) as kg, ingestor_for(kg, settings, extractor=extractor) as ingestor:
        report = ingestor.run([docs])
        rows = kg.store.read("MATCH (n:Entity) RETURN n.name AS name, labels(n) AS labels ORDER BY name")
    classes = {r["name"]: sorted(set(r["labels"]) - {"Entity"}) for r in rows}
    assert classes["Parker Hannifin"] == ["Supplier"]
    assert classes["LDS-HP-01"] == ["Equipment"]
    assert classes["NBR"] == ["Material"]  # re-typed; and a Material supplies nothing: that edge is refused
    for noise in ("PO 4500012345", "DAP", "It", "IATF 16949", "Katrin Vogel"):
        assert noise not in classes
    counts = report.outcomes[0].node_rules
    assert counts["document_id"] == 2 and counts["trade_term"] == 1 and counts["pronoun"] == 1
    assert counts["standard"] == 1 and counts["person"] == 1
    assert counts["tag_not_organisation"] == 1 and counts["material_not_organisation"] == 1
    assert report.summary()["node_rules"]["document_id"] == 2
