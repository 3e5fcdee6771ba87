"""Words in an item's place that name no item (kg.ingest.not_items): each rule on a real sentence, what stays
an item, and the rules that read a mention's neighbours at work in ingestion (joined, dropped, trimmed to
its code, counted)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fakes import FakeExtractor

from kg.core.settings import ExtractorSettings, Settings, StoreSettings
from kg.graph.knowledge_graph import open_knowledge_graph
from kg.ingest.mapping import refine_label
from kg.ingest.node_rules import judge
from kg.ingest.service import ingestor_for

# (sentence, the span a model marked as an item, what the rule decides: dropped rule or new class)
CASES = [
    ("Oil mist and drips collected in the pump pit under the unit.", "pump pit", "place"),
    ("Hose assemblies are crimped in the hose assembly plant in Ostrava.", "hose assembly plant", "place"),
    ("Spindle temperature alarm at 14:20, machine stopped.", "Spindle temperature alarm", "signal"),
    ("Low level alarm on the inhibitor tank, dosing stopped.", "level alarm", "signal"),
    ("Plan a gear set exchange by the gearbox maker's service team.", "gear set exchange", "activity"),
    ("Annual MPI frame welds - no cracks.", "MPI frame welds", "activity"),
    ("qtrly thermography - motor 71C, fan cowl blocked.", "qtrly thermography", "activity"),
    ("Recommended actions are tracked in the FMEA.", "FMEA", "document"),
    ("Clearances are given in the pump overhaul procedure.", "pump overhaul procedure", "document"),
    ("Air was drawn in at the pump suction.", "pump suction", "position"),
    ("Leak found at the pump outlet flange.", "pump outlet", "position"),
    ("Oil on the press floor under the power unit.", "press floor", "position"),
    ("Tighten to the values in the torque table of section 6.", "torque table", "document"),
    ("NPSH available was below the pump's requirement.", "NPSH", "property"),
    ("brg freq peaks visible on the DE.", "brg freq", "property"),
    ("Courier 1 850 CZK excl. VAT", "Courier 1 850 CZK", "reading"),
    ("DE brg 6.8 mm/s, monitor weekly.", "DE brg 6.8", "reading"),
    ("Balls: four-row circular-arc groove, equal load in four directions.", "groove", "feature"),
    ("The X and Z axes were re-referenced after the crash.", "Z axes", "position"),
    ("The operator's fingers were caught.", "fingers", "body_part"),
    ("Two open cartons were found at the supplier's store.", "open cartons", "packaging"),
    ("Loosen fittings slowly: lines stay pressurised.", "Loosen fittings", "instruction"),
    ("Remedy: Check control circuit and reset.", "Check control circuit", "instruction"),
    ("The part was removed from the press hydraulic power unit.", "press hydraulic", "cut_phrase"),
    ("Plant Beta – Ostrava", "– Ostrava", "cut_phrase"),
    ('Hose assy PH-2SN08-1500 (1/2" 2SN, 1500 mm)', '(1/2" 2SN', "cut_phrase"),
    ("Route the hoses pump-to-manifold without twist.", "pump-to-manifold", "modifier"),
    ("The finished-goods stock held in that hall was lost.", "finished-goods", "modifier"),
    ("Fit the new assembly and torque the bolts.", "assembly", "generic_word"),
    ("Gear noise: pitting on the pinion of the second stage.", "noise", "FailureMode"),
    ("Visual: gear pitting on 15 % of the tooth flanks.", "gear pitting", "FailureMode"),
    ("The slipping belts glazed the pulley grooves.", "slipping belts", "FailureMode"),
    ("Burst hose on the press at 09:40.", "Burst hose", "FailureMode"),
    ("Fine swarf in the coolant wore the seal faces.", "swarf", "Material"),
    ("Fatigue particles were found in the oil sample.", "Fatigue particles", "Material"),
    ("noisy motor brg DE - repl 6205 2RSH both ends", "DE", "position"),
    ("Check the relief valve setting after the pump change.", "relief valve setting", "property"),
    ("wkly hose insp - ok. filter clog ind green", "filter clog", "FailureMode"),
    ("Compression set (ISO 815, 24 h / 150 °C): 14 %", "Compression set", "property"),
]


@pytest.mark.parametrize(("sentence", "span", "expected"), CASES, ids=[c[1] for c in CASES])
def test_each_rule_on_a_real_sentence(sentence: str, span: str, expected: str) -> None:
    assert span in sentence
    verdict = judge("Part", span)
    if expected[0].isupper():  # a class: kept as that class
        assert verdict.keep and verdict.label == expected, verdict
    else:
        assert not verdict.keep and verdict.rule == expected, verdict


@pytest.mark.parametrize(
    "span",
    [
        "check valve",  # starts like an instruction, and is a part
        "alarm horn",  # the head is the horn
        "rod end bearing",
        "outlet valve",
        "filter bag",
        "terminal box",
        "hose 1500 mm",  # a length names the hose
        "pressure switch",
        "temperature sensor",
        "bearing 6205",
        "level gauge",
        "roof panel",
        "lifting eye",
        "smoke alarm",  # a device a recall is about
        "fuselage skin",  # an aircraft's skin panels
        "leading edge",  # a wing's
        "certification label",  # the recalled part of many vehicle recalls
        "cabin floor",
        "rotary table",
        "door interlock",
        "oxygen outlet",
        "split pin",
        "A10VSO 45",
        "sub-assembly",
        "wear plate",
        "belt guard",
        "belt set",  # a set of parts, not "compression set"
        "DE bearing",  # the drive-end bearing
        "seal setting ring",
    ],
)
def test_items_stay_items(span: str) -> None:
    verdict = judge("Part", span)
    assert verdict.keep and verdict.label == "Part" and verdict.rule is None, verdict


def test_equipment_named_by_its_head_before_a_model_code() -> None:
    assert refine_label("PhysicalObject", "axial piston variable pump A10VSO 45") == "Equipment"
    assert refine_label("PhysicalObject", "test bench") == "Equipment"
    assert refine_label("PhysicalObject", "pump seal kit PHSK320") == "Part"
    assert refine_label("Product", "chiller") == "Equipment"  # no brand, no model: not a product
    assert refine_label("Product", "Grundfos CR 32 pump") == "Product"


WORK_ORDER = """Work orders, Leeds
WO 25-3147; asset: OST-CMP-01; description: starter contactor K1 replaced (5-yr interval).
WO 25-3150; asset: LDS-P-101; description: O-rings from batch B24-2907 fitted, setting clips removed.
WO 25-3151; asset: OST-HP-02-HPU; description: fitted 2 interim assemblies HO-2SN08-1500 from Hydraulika.
"""


def test_ingestion_joins_modifiers_and_drops_batch_numbers(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "work_orders.txt").write_text(WORK_ORDER, encoding="utf-8")
    extractor = FakeExtractor(
        {
            "PhysicalObject": [
                "starter",
                "contactor K1",
                "O-rings",
                "B24-2907",
                "setting",
                "clips",
                "assemblies HO-2SN08-1500",
            ]
        }
    )
    settings = Settings(
        store=StoreSettings(data_dir=tmp_path / "db"), extractor=ExtractorSettings(model=tmp_path / "none")
    )
    with open_knowledge_graph(settings) as kg, ingestor_for(kg, settings, extractor=extractor) as ingestor:
        report = ingestor.run([docs])
        names = {r["name"] for r in kg.store.read("MATCH (n:Part) RETURN n.name AS name")}
    assert "starter contactor K1" in names and "starter" not in names  # joined to the item it qualifies
    assert "setting clips" in names and "setting" not in names
    assert "B24-2907" not in names and "O-rings" in names  # a batch number names a delivery
    counts = report.outcomes[0].node_rules
    assert counts["modifier of the next item"] == 2 and counts["batch or lot number"] == 1
    assert "HO-2SN08-1500" in names and counts["kind word before a code"] == 1  # the code names the part
