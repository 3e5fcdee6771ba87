"""Questions in analysts' wording on a small written graph: a part named on its machine, parts that have an
alternative, the causes and the effects of a named failure, rankings of one kind of equipment or of
single-sourced parts, a number written with its unit, and properties the graph does not hold.

The graph: two pumps and a compressor from a register; the pump motor's bearing 6205-2RSH and the
compressor motor's FAG bearing 6205-2RSR (named alike, recorded as alternatives to each other); a seal and
a filter only John Crane supplies; two HYDAC companies; an FMEA chain on each bearing.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from factories import edge, ev, node
from test_full_graph_answers import MODEL, TABLE, _ask, coded, qa_over

from kg.core.facts import DocumentInfo, FactBatch
from kg.qa.answers import AskResponse
from kg.qa.router import respell
from kg.qa.service import QAService


def _batch() -> FactBatch:
    rec = [ev(f"register-{k}", extractor=TABLE) for k in range(3)]
    pump = coded("Equipment", "Coolant supply pump", "tag", "LDS-P-101", *rec)
    motor = coded("Equipment", "Coolant supply pump motor 7.5 kW", "tag", "LDS-P-101-M", *rec)
    pump2 = coded("Equipment", "Coolant return pump", "tag", "LDS-P-102", *rec)
    comp = coded("Equipment", "Screw compressor 90 kW", "tag", "LDS-CMP-01", *rec)
    comp_motor = coded("Equipment", "Compressor drive motor", "tag", "LDS-CMP-01-M", *rec)
    press = coded("Equipment", "Hydraulic press 250 t", "tag", "OST-HP-02", *rec)
    rsh = coded("Part", "Deep groove ball bearing 6205-2RS", "part_number", "6205-2RSH", *rec)
    rsr = coded("Part", "Deep groove ball bearing 6205-2RS (FAG)", "part_number", "6205-2RSR", *rec)
    seal = coded("Part", "Mechanical seal 35 mm", "part_number", "JC-T2100-35", *rec)
    filt = coded("Part", "Intake filter element", "part_number", "AC-1613", *rec)
    kit = coded("Part", "Main cylinder seal kit", "part_number", "PH-SK-320", *rec)
    skf, eriks, fag, parker = (node("Supplier", n, *rec) for n in ("SKF", "ERIKS", "Schaeffler AG", "Parker"))
    crane = node("Supplier", "John Crane UK Ltd", *rec, ev("doc-5", extractor=TABLE))  # named by the PO
    hydac_t = node("Supplier", "HYDAC Technology Ltd", *rec)
    hydac_i = node("Supplier", "HYDAC International GmbH", *rec)
    cause = node("FailureCause", "Grease degradation in sealed-for-life bearing", *rec)
    vib = node("FailureMode", "Vibration", *rec)
    seizure = node("FailureEffect", "Bearing seizure; motor trip", *rec)
    noise = node("FailureMode", "Noise", *rec)  # "noise level of X" then links "noise": still declined
    hot = node("FailureMode", "Motor overheating", *rec)  # rated on the circulation pump's motor only
    cowl = node("FailureCause", "Fan cowl blocked by dust", *rec)
    leeds, ostrava = node("Site", "Plant Alpha – Leeds", *rec), node("Site", "Plant Beta – Ostrava", *rec)
    gb_leeds = coded("Equipment", "Finished-goods conveyor drive gearbox", "tag", "LDS-CV-01-GB", *rec)
    gb_ostrava = coded("Equipment", "Transfer conveyor drive gearbox", "tag", "OST-CV-02-GB", *rec)
    circ = coded("Equipment", "Cooling tower circulation pump", "tag", "OST-P-201", *rec)
    circ_motor = coded("Equipment", "Circulation pump motor 15 kW", "tag", "OST-P-201-M", *rec)
    manual_motor = node("Equipment", "Coolant supply pump motor", ev("notes", conf=0.7, extractor=MODEL))
    manual_seals = node("Part", "mechanical seals", ev("notes", conf=0.7, extractor=MODEL))
    manual_pumps = node("Equipment", "coolant pump", ev("notes", conf=0.7, extractor=MODEL))  # either pump
    hose = coded("Part", "Hydraulic hose assembly 1/2in", "part_number", "PH-2SN08-1500", *rec)
    parker_hose = node("Organization", "Parker hose", ev("notes", conf=0.7, extractor=MODEL))  # a letter's
    trelleborg = node("Supplier", "Trelleborg Sealing Solutions", *rec)
    rings = [coded("Part", f"O-ring {n}, FKM", "part_number", f"OR-{n}-FKM", *rec) for n in ("50X3", "150X4")]
    chain = [
        edge(rsh, "HAS_FAILURE_MODE", vib, *rec, severity=7, occurrence=4, detection=3, rpn=84),
        edge(cause, "CAUSES", vib, *rec),
        edge(vib, "CAUSES", seizure, *rec),
        edge(pump, "HAS_FAILURE_MODE", vib, *rec, severity=6, occurrence=2, detection=5, rpn=60),
        edge(comp, "HAS_FAILURE_MODE", vib, *rec, severity=8, occurrence=3, detection=5, rpn=120),
        edge(circ_motor, "HAS_FAILURE_MODE", hot, *rec, severity=6, occurrence=3, detection=4, rpn=72),
        edge(cowl, "CAUSES", hot, *rec),
        edge(pump2, "HAS_FAILURE_MODE", vib, *rec, severity=5, occurrence=2, detection=3, rpn=30),
    ]
    return FactBatch(
        nodes=[
            *(pump, motor, pump2, comp, comp_motor, press, rsh, rsr, seal, filt, kit),
            *(skf, eriks, fag, crane, parker, hydac_t, hydac_i, cause, vib, seizure, noise, hot, cowl),
            *(
                leeds,
                ostrava,
                gb_leeds,
                gb_ostrava,
                manual_motor,
                circ,
                circ_motor,
                manual_seals,
                manual_pumps,
            ),
            *(hose, parker_hose, trelleborg, *rings),
        ],
        edges=[
            edge(pump, "HAS_PART", motor, *rec),
            edge(motor, "HAS_PART", rsh, *rec),
            edge(pump, "HAS_PART", seal, *rec),
            edge(pump2, "HAS_PART", seal, *rec),
            edge(comp, "HAS_PART", comp_motor, *rec),
            edge(comp_motor, "HAS_PART", rsr, *rec),
            edge(comp, "HAS_PART", filt, *rec),
            edge(press, "HAS_PART", kit, *rec),
            edge(rsh, "SUPPLIED_BY", skf, *rec),
            edge(rsh, "SUPPLIED_BY", eriks, *rec),
            edge(rsr, "SUPPLIED_BY", fag, *rec),
            edge(rsr, "SUPPLIED_BY", eriks, *rec),
            edge(seal, "SUPPLIED_BY", crane, *rec),
            edge(filt, "SUPPLIED_BY", crane, *rec),
            edge(kit, "SUPPLIED_BY", parker, *rec),
            edge(press, "HAS_PART", hose, *rec),
            edge(hose, "SUPPLIED_BY", parker, *rec),
            *(edge(press, "HAS_PART", ring, *rec) for ring in rings),
            *(edge(ring, "SUPPLIED_BY", trelleborg, *rec) for ring in rings),
            edge(rsh, "ALTERNATIVE_TO", rsr, *rec),
            edge(gb_leeds, "LOCATED_AT", leeds, *rec),
            edge(gb_ostrava, "LOCATED_AT", ostrava, *rec),
            edge(gb_leeds, "HAS_PART", rsh, *rec),
            edge(gb_ostrava, "HAS_PART", rsr, *rec),
            edge(circ, "HAS_PART", circ_motor, *rec),
            *chain,
        ],
        documents=[DocumentInfo(id=e.doc_id, properties={"path": f"/docs/{e.doc_id}.csv"}) for e in rec]
        + [DocumentInfo(id=f"doc-{k}", properties={"path": f"/docs/{name}"}) for k, name in enumerate(FILES)],
    )


#: documents by their file names only (the documents tool reads kinds and descriptions from names, titles)
FILES = (
    "screw_compressor_service_chapter.pdf",
    "coolant_pump_maintenance_manual.md",
    "trelleborg_certificate_of_conformity_OR-FKM75.txt",
    "hydac_coc_filter_elements.txt",
    "customer_complaint_CC-7_bracket_bore.md",
    "purchase_order_PO-1_john_crane.txt",
)


@pytest.fixture(scope="module")
def qa(tmp_path_factory: pytest.TempPathFactory) -> Iterator[QAService]:
    with qa_over(_batch(), tmp_path_factory.mktemp("analyst-wording")) as service:
        yield service


def _ids(r: AskResponse) -> list[str]:
    return [e.id for e in r.answer_entities]


def test_a_part_named_on_its_machine_is_the_one_on_that_machines_bom(qa: QAService) -> None:
    r = _ask(qa, "who supplies the 6205-2RS bearing on lds-p-101")  # both bearings are named "6205-2RS"
    assert r.status == "answered" and r.tool is not None
    assert r.tool.arguments["item"] == "Part:62052rsh"  # the pump motor's, not the compressor motor's
    assert set(_ids(r)) == {"Supplier:skf", "Supplier:eriks"}
    r = _ask(qa, "who supplies the 6205-2RS bearing on lds-cmp-01")
    assert r.tool is not None and r.tool.arguments["item"] == "Part:62052rsr"
    assert set(_ids(r)) == {"Supplier:schaeffler ag", "Supplier:eriks"}
    assert _ask(qa, "who supplies the 6205-2RS bearing").status == "ambiguous"  # no machine: which one?


def test_alternatives_for_a_described_part_of_a_machine(qa: QAService) -> None:
    r = _ask(qa, "alternative for the bearing on lds-p-101-m")
    assert r.tool is not None and r.tool.name == "alternatives"
    assert _ids(r) == ["Part:62052rsr"]
    r = _ask(qa, "alternatives for the parts of lds-p-101")  # every part: those that have one
    assert _ids(r) == ["Part:62052rsr"] and "Of the" in r.answer


def test_parts_that_have_an_alternative_are_listed(qa: QAService) -> None:
    r = _ask(qa, "which parts have an approved alternate")
    assert r.tool is not None and r.tool.arguments.get("sources") == "alternatives"
    assert set(_ids(r)) == {"Part:62052rsh", "Part:62052rsr"}
    r = _ask(qa, "which skf parts have an alternative")
    assert _ids(r) == ["Part:62052rsh"]


def test_the_effects_of_a_named_failure_are_its_modes_effects(qa: QAService) -> None:
    r = _ask(qa, "effects of vibration on the bearing 6205-2rsh")
    assert r.tool is not None and r.tool.arguments.get("ask") == "effects"
    assert "FailureEffect:bearing seizure; motor trip" in _ids(r)
    r = _ask(qa, "what are the root causes of bearing seizure")
    assert r.tool is not None and r.tool.arguments.get("ask") == "causes"
    assert "FailureCause:grease degradation in sealed-for-life bearing" in _ids(r)


def test_a_ranking_of_one_kind_of_equipment_keeps_that_kind(qa: QAService) -> None:
    r = _ask(qa, "which of our pumps has the highest rpn")
    assert r.tool is not None and r.tool.arguments.get("kind") == "pump"
    assert _ids(r) == ["Equipment:ldsp101", "Equipment:ldsp102"]  # not the compressor's 120


def test_suppliers_ranked_by_their_single_sourced_parts(qa: QAService) -> None:
    r = _ask(qa, "which supplier has the most single sourced parts")
    assert r.tool is not None and r.tool.arguments.get("only") == "sole"
    assert _ids(r)[0] == "Supplier:john crane uk ltd" and "Supplier:eriks" not in _ids(r)
    r = _ask(qa, "which suppliers do we depend on most")  # no measure named: the parts they supply
    assert r.tool is not None and r.tool.arguments.get("measure") == "parts_supplied"


def test_a_number_written_with_its_unit_links_the_name_that_spells_them_apart(qa: QAService) -> None:
    r = _ask(qa, "what is in the bom of the 250t press")
    assert r.status == "answered" and r.tool is not None
    assert r.tool.arguments.get("equipment") == "Equipment:osthp02"
    assert r.question == "what is in the bom of the 250t press"  # answered as written


@pytest.mark.parametrize(
    ("question", "prop"),
    [
        ("how much did we spend with hydac in 2024", "price"),  # two HYDACs: neither holds a spend
        ("when does the parker contract expire", "contract terms"),
        ("install date of lds-cmp-01", "age"),
        ("next calibration due for lds-p-101", "maintenance schedule"),
        ("how much downtime did lds-p-101 have in 2025", "downtime"),
        ("availability % of lds-p-102 last year", "downtime"),
        ("noise level of lds-cmp-01", "noise level"),
        ("who is the plant manager in leeds", "contact person"),  # a role, not a plant named "manager"
        ("expected lifetime of the 6205-2rsh", "service life"),
        ("what voltage does lds-p-101-m run at", "electrical ratings"),
        ("pressure rating of the jc-t2100-35 seal", "operating limits"),
        ("how long does delivery take from parker", "lead time"),
        ("where are the spare JC-T2100-35 seals stored", "storage location"),
        ("torque spec for the lds-cmp-01 motor bolts", "tightening torque"),
    ],
)
def test_properties_the_graph_does_not_hold_are_declined(qa: QAService, question: str, prop: str) -> None:
    r = _ask(qa, question)
    assert r.status == "not_in_graph" and r.answer_entities == []
    assert r.tool is not None and r.tool.arguments.get("property") == prop


def test_the_parts_a_supplier_supplies_are_counted_and_told_as_supplied(qa: QAService) -> None:
    r = _ask(qa, "how many different parts does eriks supply")
    assert r.tool is not None and r.tool.arguments.get("of") == "supplier_impact"
    assert set(_ids(r)) == {"Part:62052rsh", "Part:62052rsr"} and r.answer.startswith("2 parts.")
    r = _ask(qa, "which items do we buy from john crane")
    assert r.tool is not None and r.tool.name == "supplier_impact"
    assert r.answer.startswith("John Crane UK Ltd supplies 2 items")  # no outage asked about
    r = _ask(qa, "what parts are hit if john crane goes bust")
    assert r.answer.startswith("An outage of John Crane UK Ltd")


def test_counted_suppliers_are_called_suppliers(qa: QAService) -> None:
    r = _ask(qa, "how many suppliers does lds-p-101 have")
    assert r.tool is not None and r.tool.arguments.get("of") == "suppliers_of"
    assert r.answer.startswith("3 suppliers.")  # SKF and ERIKS for the motor's bearing, John Crane's seal
    r = _ask(qa, "total number of suppliers")
    assert r.tool is not None and r.tool.arguments.get("of") == "entities"


def test_an_organisation_and_the_words_after_it_name_its_one_item(qa: QAService) -> None:
    r = _ask(qa, "john crane seal alternates")  # "alternates" names no item: the run stops before it
    assert r.tool is not None and r.tool.name == "alternatives"
    assert r.tool.arguments["item"] == "Part:jct210035"


def test_replacing_words_in_other_forms_ask_for_alternatives(qa: QAService) -> None:
    for question in ("what replaces the 6205-2rsh", "2nd source for 6205-2rsh"):
        r = _ask(qa, question)
        assert r.tool is not None and r.tool.name == "alternatives", question
        assert _ids(r) == ["Part:62052rsr"], question
    assert respell("what replaces it", {"replaced"}) == "what replaces it"  # a form, not a typo
    assert respell("how many supplers", {"suppliers"}) == "how many suppliers"


def test_a_supplier_to_leave_out_is_never_asked_about(qa: QAService) -> None:
    r = _ask(qa, "other source than hydac for the 6205-2rsh")  # two HYDACs: both are left out
    assert r.status == "answered" and r.tool is not None and "exclude" in r.tool.arguments
    assert set(_ids(r)) >= {"Supplier:skf", "Supplier:eriks"}


@pytest.mark.parametrize(
    ("question", "files"),
    [
        ("customer complaints", ["customer_complaint_CC-7_bracket_bore.md"]),
        ("show the po for john crane", ["purchase_order_PO-1_john_crane.txt"]),
        ("manuals for the screw compressor", ["screw_compressor_service_chapter.pdf"]),  # not every manual
        ("the coc for the fkm o-rings", ["trelleborg_certificate_of_conformity_OR-FKM75.txt"]),
        (
            "which manuals do we have",
            ["coolant_pump_maintenance_manual.md", "screw_compressor_service_chapter.pdf"],
        ),
    ],
)
def test_documents_of_a_kind_are_narrowed_by_what_they_are_for(
    qa: QAService, question: str, files: list[str]
) -> None:
    r = _ask(qa, question)
    assert r.tool is not None and r.tool.name == "documents", question
    assert sorted(e.name or "" for e in r.answer_entities) == [f"/docs/{f}" for f in files]


@pytest.mark.parametrize(
    "question", ["who supplies 6206-2RSH", "where is LDS-P-301 used", "who supplies lds-p-103"]
)
def test_a_code_with_other_numbers_is_not_linked_to_a_near_one(qa: QAService, question: str) -> None:
    r = _ask(qa, question)  # 6206 is another bearing than 6205, P-301 another pump than P-101
    assert r.status == "unknown_entity" and r.answer_entities == [], question


def test_a_name_several_machines_share_is_the_one_at_the_named_site(qa: QAService) -> None:
    assert _ask(qa, "what is in the bom of the conveyor gearbox").status == "ambiguous"
    r = _ask(qa, "what is in the bom of the conveyor gearbox at ostrava")
    assert r.status == "answered" and r.tool is not None
    assert r.tool.arguments["equipment"] == "Equipment:ostcv02gb" and _ids(r) == ["Part:62052rsr"]


def test_the_noun_a_description_ends_in_picks_the_machine(qa: QAService) -> None:
    r = _ask(qa, "what is in the bom of the circulation pump")  # the pump, not "Circulation pump motor 15 kW"
    assert r.status == "answered" and r.tool is not None
    assert r.tool.arguments["equipment"] == "Equipment:ostp201" and _ids(r) == ["Equipment:ostp201m"]


def test_a_manuals_shorter_name_of_a_recorded_machine_is_that_machine(qa: QAService) -> None:
    r = _ask(qa, "what is in the bom of the coolant pump motor")  # a manual's "Coolant supply pump motor"
    assert r.status == "answered" and r.tool is not None
    assert r.tool.arguments["equipment"] == "Equipment:ldsp101m" and _ids(r) == ["Part:62052rsh"]


def test_a_part_only_a_manual_names_so_is_the_recorded_part_of_that_name(qa: QAService) -> None:
    r = _ask(qa, "who supplies the mechanical seals")  # a manual's plural: the BOM's "Mechanical seal 35 mm"
    assert r.tool is not None and r.tool.arguments["item"] == "Part:jct210035"
    assert _ids(r) == ["Supplier:john crane uk ltd"]


def test_single_sourced_parts_of_a_machine_in_shorthand(qa: QAService) -> None:
    r = _ask(qa, "single src parts on lds-p-101")  # not its bill of materials
    assert r.tool is not None and r.tool.name == "single_source"
    assert r.tool.arguments["equipment"] == "Equipment:ldsp101" and _ids(r) == ["Part:jct210035"]


def test_the_most_critical_items_at_a_site_are_those_standing_there(qa: QAService) -> None:
    everywhere = _ask(qa, "most critical parts")
    at_ostrava = _ask(qa, "most critical parts at ostrava")
    assert at_ostrava.tool is not None and at_ostrava.tool.name == "criticality"
    assert _ids(at_ostrava) == ["Part:62052rsr"] and "Part:62052rsh" in _ids(everywhere)
    assert "Not narrowed" not in at_ostrava.answer


def test_single_sourced_parts_on_one_kind_of_equipment(qa: QAService) -> None:
    r = _ask(qa, "single-sourced parts on our pumps")  # the pumps' own lines and their motors'
    assert r.tool is not None and r.tool.arguments.get("kind") == "pump"
    assert set(_ids(r)) == {"Part:jct210035"}  # the seal (John Crane only); the motor's bearing has two
    r = _ask(qa, "sole source parts on the compressors")
    assert set(_ids(r)) == {"Part:ac1613"}  # the intake filter; the FAG bearing has two suppliers


@pytest.mark.parametrize(
    "question", ["how many failure modes does the coolant pump have", "what seals are in the coolant pump"]
)
def test_a_machine_only_a_manual_names_is_asked_for_among_the_recorded_ones_it_may_be(
    qa: QAService, question: str
) -> None:
    r = _ask(
        qa, question
    )  # a manual's "coolant pump" is no machine of its own: the supply or the return pump
    assert r.status == "ambiguous", r.answer
    assert {c.id for choice in r.choices for c in choice.candidates} == {
        "Equipment:ldsp101",
        "Equipment:ldsp102",
    }


def cowl_id() -> str:
    return node("FailureCause", "Fan cowl blocked by dust").id


def test_a_named_failure_of_a_machine_is_found_on_its_sub_assemblies(qa: QAService) -> None:
    r = _ask(qa, "what causes motor overheating on OST-P-201")  # rated on OST-P-201-M, the pump's motor
    assert r.status == "answered", r.answer
    assert _ids(r) == [cowl_id()]


def test_an_organisation_and_a_kind_it_supplies_several_of_is_asked_for_among_them(qa: QAService) -> None:
    r = _ask(qa, "is there an alternative to the trelleborg o-ring")  # two recorded O-rings: which one?
    assert r.status == "ambiguous" and r.tool is not None and r.tool.name == "alternatives", r.answer
    assert {c.id for choice in r.choices for c in choice.candidates} == {"Part:or50x3fkm", "Part:or150x4fkm"}


def test_an_organisation_a_letter_names_with_an_item_word_is_that_item(qa: QAService) -> None:
    hose = "Part:ph2sn081500"
    r = _ask(qa, "who supplies the parker hose")  # "Parker hose", a letter's name: Parker, then its hose
    assert r.tool is not None and r.tool.name == "suppliers_of" and r.tool.arguments["item"] == hose
    r = _ask(qa, "parker hose plant outage impact")  # a place of Parker's: the question is about Parker
    assert r.tool is not None and r.tool.name == "supplier_impact"


def test_an_organisations_supply_trouble_narrowed_by_a_kind_is_about_the_organisation(qa: QAService) -> None:
    r = _ask(qa, "trelleborg o-ring supply problem - which machines are affected?")
    assert r.tool is not None and r.tool.name == "supplier_impact", r.answer
    assert r.tool.arguments["supplier"] == "Supplier:trelleborg sealing solutions"


def test_a_name_one_machine_was_called_by_is_the_machine_at_the_named_site(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    base = _batch()
    alias = coded("Equipment", "conveyor gearbox", "tag", "OST-CV-02-GB", ev("notes", extractor=MODEL))
    batch = base.model_copy(update={"nodes": [*base.nodes, alias]})  # a report called OST-CV-02-GB so
    with qa_over(batch, tmp_path_factory.mktemp("alias")) as qa:
        _the_gearbox_at_the_named_site(qa)


def _the_gearbox_at_the_named_site(qa: QAService) -> None:
    r = _ask(qa, "what is the bearing in the leeds conveyor gearbox")
    assert r.tool is not None and r.tool.name == "bom", r.answer  # a part it holds, not a property declined
    assert r.tool.arguments["equipment"] == "Equipment:ldscv01gb" and _ids(r) == ["Part:62052rsh"]
    r = _ask(qa, "what is the bearing in the ostrava conveyor gearbox")
    assert r.tool is not None and r.tool.arguments["equipment"] == "Equipment:ostcv02gb"
