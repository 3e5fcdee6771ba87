"""Answers on a graph that holds both records (tables) and what a model read from documents.

The graph here is small and written directly: a register's pump with its BOM from a table (``csv-loader``
evidence) and, from "manual.txt", what an extractor read in prose: a noun used as a part name ("bearings"),
a "SKF" typed as a Part, a second "supplier" of the seal, a pump named like the register's one. Every test
asks a question a user asks and checks which entities answer and which are listed apart.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pytest
from factories import edge, ev, node

from kg.core.facts import DocumentInfo, Evidence, FactBatch, NodeFact
from kg.core.settings import ExtractorSettings, LLMSettings, Settings, StoreSettings
from kg.graph.knowledge_graph import open_knowledge_graph
from kg.graph.results import EntityRef
from kg.qa.answers import AskRequest, AskResponse
from kg.qa.service import QAService

TABLE = "csv-loader/0.1"
MODEL = "mfg-kg-default@0.4.0"


def coded(label: str, name: str, prop: str, code: str, *evidence: Evidence) -> NodeFact:
    """An entity identified by its code (``Equipment:ldsp101``), as the table loader writes it."""
    return node(label, name, *evidence, **{prop: code}).model_copy(update={"key": code})


def _batch() -> FactBatch:
    docs = [f"bom-{k}" for k in range(4)]
    rec = [ev(d, extractor=TABLE) for d in docs]  # the register and BOM: four table documents back them
    prose = ev("manual", conf=0.71, extractor=MODEL)
    pump = coded("Equipment", "Coolant supply pump", "tag", "LDS-P-101", *rec)
    motor = coded("Equipment", "Coolant supply pump motor", "tag", "LDS-P-101-M", *rec)
    seal = coded("Part", "Mechanical seal, single cartridge, 35 mm", "part_number", "JC-T2100-35", *rec)
    bearing = coded("Part", "Deep groove ball bearing", "part_number", "6205-2RSH", *rec)
    skf = node("Supplier", "SKF", *rec)
    crane = node("Supplier", "John Crane UK Ltd", *rec)
    hydac_t = node("Supplier", "HYDAC Technology Ltd", *rec[:2])
    hydac_i = node("Supplier", "HYDAC International GmbH", *rec[:3])
    filt = coded("Part", "Pressure filter element", "part_number", "HD-0160", *rec)
    guide = coded("Part", "Linear guide block HSR25A", "part_number", "THK-HSR25A", *rec)
    thk = node("Supplier", "THK Europe B.V.", *rec)
    # what a model read from one manual
    bearings = node("Part", "bearings", prose)
    skf_part = node("Part", "SKF", prose)
    seal_generic = node("Part", "mechanical seal", prose)
    eriks = node("Supplier", "Eriks", prose)
    pumps = node("Equipment", "pumps", prose)  # "the pumps" of a manual: a kind, not an asset
    guide_code = node("Part", "HSR25A", prose)  # "THK HSR25A" of a manual: the maker read apart
    press = coded("Equipment", "Hydraulic press 250 t", "tag", "OST-HP-02", *rec)
    seal_kit = coded("Part", "Main cylinder seal kit", "part_number", "PH-SK-320", *rec)
    bushings = node("Part", "bronze guide bushings", prose)  # a letter: on the press, no BOM line
    lyon = node("Supplier", "Société Mécanique Lyonnaise", prose)
    skf_plant = node("Site", "SKF bearing plant", prose)  # "a fire at the SKF bearing plant" in a letter
    burst = [
        node("FailureEffect", f"Hose burst; {x}", ev(f"fmea-{x}", extractor=TABLE))
        for x in ("oil spray", "oil flood")
    ]
    records = [pump, motor, seal, bearing, skf, crane, hydac_t, hydac_i, filt, guide, thk, press, seal_kit]
    return FactBatch(
        nodes=[
            *records,
            bearings,
            skf_part,
            eriks,
            seal_generic,
            pumps,
            guide_code,
            bushings,
            lyon,
            skf_plant,
            *burst,
        ],
        edges=[
            edge(pump, "HAS_PART", motor, *rec),
            edge(pump, "HAS_PART", seal, *rec),
            edge(motor, "HAS_PART", bearing, *rec),
            edge(seal, "SUPPLIED_BY", crane, *rec),
            edge(bearing, "SUPPLIED_BY", skf, *rec),
            edge(filt, "SUPPLIED_BY", hydac_t, *rec),
            edge(filt, "SUPPLIED_BY", hydac_i, *rec),
            edge(guide, "SUPPLIED_BY", thk, *rec),
            edge(pump, "HAS_PART", bearings, prose),
            edge(pump, "HAS_PART", skf_part, prose),
            edge(seal, "SUPPLIED_BY", eriks, prose),
            edge(press, "HAS_PART", seal_kit, *rec),
            edge(seal_kit, "SUPPLIED_BY", crane, *rec),
            edge(press, "HAS_PART", bushings, prose),
            edge(bushings, "SUPPLIED_BY", lyon, prose),
        ],
        documents=[DocumentInfo(id=d, properties={"path": f"/docs/{d}.csv"}) for d in docs]
        + [DocumentInfo(id="manual", properties={"path": "/docs/manual.txt"})]
        + [DocumentInfo(id="ncr-7", properties={"path": "/docs/NCR-7_hose_burst_press.docx"})],
    )


@contextmanager
def qa_over(batch: FactBatch, tmp: Path) -> Iterator[QAService]:
    """Question answering over a small written graph: the template explainer, no sentence encoder."""
    settings = Settings(
        store=StoreSettings(data_dir=tmp / "db"),
        extractor=ExtractorSettings(model=tmp / "no-model"),
        llm=LLMSettings(explainer="template"),
    )
    with open_knowledge_graph(settings) as kg:
        kg.upsert(batch)
        yield QAService(kg, settings, encoder=None)


@pytest.fixture(scope="module")
def qa(tmp_path_factory: pytest.TempPathFactory) -> Iterator[QAService]:
    with qa_over(_batch(), tmp_path_factory.mktemp("full-graph")) as service:
        yield service


def _ask(qa: QAService, question: str) -> AskResponse:
    return qa.ask(AskRequest(question=question))


def _ids(refs: Sequence[EntityRef]) -> set[str]:
    return {r.id for r in refs}


def test_bom_is_the_records_and_prose_parts_are_listed_apart(qa: QAService) -> None:
    r = _ask(qa, "Show the bill of materials of LDS-P-101")
    assert r.tool is not None and r.tool.name == "bom"
    assert _ids(r.answer_entities) == {"Equipment:ldsp101m", "Part:jct210035", "Part:62052rsh"}
    assert _ids(r.also_reported) == {"Part:bearings", "Part:skf"}
    assert "Documents also mention 2 more, not in the records" in r.answer


def test_single_source_counts_record_suppliers_only(qa: QAService) -> None:
    r = _ask(qa, "Which parts are single-sourced?")
    # the seal has one supplier in the records; a letter naming ERIKS near it does not make it dual-sourced
    assert {"Part:jct210035", "Part:62052rsh"} <= _ids(r.answer_entities)
    assert "Part:hd0160" not in _ids(r.answer_entities)


def test_with_no_record_answer_documents_answer(qa: QAService) -> None:
    r = _ask(qa, "What does an outage of Eriks hit?")
    assert r.tool is not None and r.tool.name == "supplier_impact"
    assert _ids(r.answer_entities) == {"Equipment:ldsp101"}  # only the manual says so: it still answers
    assert r.also_reported == []
    r = _ask(qa, "eriks goes bust - which parts are hit?")  # parts asked for, not the equipment
    assert _ids(r.answer_entities) == {"Part:jct210035"}


def test_a_name_the_register_backs_wins_over_a_noun_a_manual_used(qa: QAService) -> None:
    r = _ask(qa, "How is SKF connected to LDS-P-101?")
    assert r.tool is not None and r.tool.arguments["source"] == "Supplier:skf"


def test_a_code_wins_over_the_words_that_describe_it(qa: QAService) -> None:
    r = _ask(qa, "Who supplies the mechanical seal JC-T2100-35?")
    assert r.tool is not None and r.tool.arguments == {"item": "Part:jct210035"}
    assert [e.id for e in r.entities] == ["Part:jct210035"]  # "mechanical seal" is no second entity
    assert _ids(r.answer_entities) == {"Supplier:john crane uk ltd"}
    assert _ids(r.also_reported) == {"Supplier:eriks"}


def test_a_code_written_in_two_words_wins_over_a_node_named_by_one_of_them(qa: QAService) -> None:
    r = _ask(qa, "interchangeable pn for thk hsr25a guide block")  # not the manual's "HSR25A"
    assert r.tool is not None and r.tool.arguments.get("item") == "Part:thkhsr25a"
    r = _ask(qa, "who supplies hsr25a")  # the manual's fragment alone: the one recorded part that holds it
    assert r.tool is not None and r.tool.arguments.get("item") == "Part:thkhsr25a"
    assert {e.id for e in r.answer_entities} == {"Supplier:thk europe b.v"}


def test_a_tag_without_its_site_prefix_links(qa: QAService) -> None:
    r = _ask(qa, "bom of p-101-m")
    assert r.tool is not None and r.tool.arguments == {"equipment": "Equipment:ldsp101m"}


def test_the_start_of_an_organisation_name_links_and_two_alike_are_asked_about(qa: QAService) -> None:
    r = _ask(qa, "what does an outage of john crane hit")
    assert r.tool is not None and r.tool.arguments == {"supplier": "Supplier:john crane uk ltd"}
    r = _ask(qa, "hydac tech outage - what is hit?")
    assert r.tool is not None and r.tool.arguments == {"supplier": "Supplier:hydac technology ltd"}
    r = _ask(qa, "what does an outage of hydac hit?")
    assert r.status == "ambiguous"
    hydacs = {"Supplier:hydac technology ltd", "Supplier:hydac international gmbh"}
    assert {c.id for c in r.choices[0].candidates} == hydacs


def test_a_question_word_in_capitals_is_not_fuzzily_linked(qa: QAService) -> None:
    r = _ask(qa, "Show the FMEA of LDS-P-101")
    assert [e.id for e in r.entities] == ["Equipment:ldsp101"]


def test_a_kind_word_a_manual_also_named_is_the_listings_type_filter(qa: QAService) -> None:
    r = _ask(qa, "how many pumps do we have")
    assert r.tool is not None
    assert r.tool.arguments == {"of": "entities", "of_class": "Equipment", "kind": "pump"}
    assert r.count == 1 and _ids(r.answer_entities) == {"Equipment:ldsp101"}  # not the motor, not "pumps"


def test_an_item_only_documents_put_on_a_machine_is_found_by_its_description(qa: QAService) -> None:
    r = _ask(qa, "who supplies the bronze guide bushings on OST-HP-02")
    assert r.tool is not None and r.tool.name == "suppliers_of"
    assert _ids(r.answer_entities) == {"Supplier:société mécanique lyonnaise"}
    assert "No BOM line matches" in r.answer and "bronze guide bushings" in r.answer
    r = _ask(qa, "who supplies the seal kit on OST-HP-02")  # a BOM line matches: the records answer
    assert _ids(r.answer_entities) == {"Supplier:john crane uk ltd"}


def test_a_place_only_a_letter_names_after_a_supplier_is_that_supplier(qa: QAService) -> None:
    r = _ask(qa, "skf bearing plant fire - which equipment is exposed?")
    assert r.tool is not None and r.tool.name == "supplier_impact"
    assert r.tool.arguments.get("supplier") == "Supplier:skf" and "site" not in r.tool.arguments
    assert _ids(r.answer_entities) == {"Equipment:ldsp101m"}


def test_documents_about_a_phrase_several_entities_share_are_found_by_the_phrase(qa: QAService) -> None:
    r = _ask(qa, "which documents mention the hose burst")
    assert r.status == "answered" and r.tool is not None and r.tool.arguments.get("about") == "hose burst"
    assert [e.name for e in r.answer_entities] == ["/docs/NCR-7_hose_burst_press.docx"]
