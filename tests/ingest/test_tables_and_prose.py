"""A document with a table of a known kind and text around it (a workbook's FMEA sheet and its notes sheet, a
report's BOM table and its paragraphs): the table's rows become facts once, and the rest is read as prose."""

from __future__ import annotations

from pathlib import Path

import docx
import openpyxl
from fakes import FakeExtractor
from test_prose_bad_input import RecordingExtractor, _ingest, docs, graph  # noqa: F401  (fixtures)

from kg.graph.knowledge_graph import KnowledgeGraph
from kg.ingest.manifest import Manifest
from kg.ingest.pipeline import Ingestor
from kg.ingest.pipeline.document_preparer import blank
from kg.ingest.resolve import EntityResolver

FMEA_HEADER = ["item", "failure_mode", "cause", "effect", "severity", "occurrence", "detection"]
NOTE = (
    "HO-2SN08-1500 hose assemblies from Parker Hannifin were approved as an alternative after the hose burst."
)


def _mentioned_in(kg: KnowledgeGraph, name: str) -> list[str]:
    rows = kg.store.read(
        "MATCH (n {name: $name})-[:MENTIONED_IN]->(d:Document) RETURN d.file_name AS f", {"name": name}
    )
    return sorted(r["f"] for r in rows)


def test_a_workbooks_notes_sheet_is_read_as_prose_and_its_fmea_sheet_as_facts_only(
    graph: tuple[KnowledgeGraph, Manifest],  # noqa: F811
    docs: Path,  # noqa: F811
) -> None:
    book = openpyxl.Workbook()
    fmea = book.active
    fmea.title = "FMEA"
    fmea.append(FMEA_HEADER)
    fmea.append(["OST-HP-02-HPU", "Internal leakage", "Worn seals", "Slow ram", 6, 4, 3])
    notes = book.create_sheet("Notes")
    notes.append(["No.", "Topic", "Note"])
    notes.append([1, "Supplier risk", NOTE])
    book.save(docs / "press_fmea.xlsx")
    ex = RecordingExtractor()

    report = _ingest(graph, docs, ex)

    assert [o.state for o in report.outcomes] == ["loaded"]
    assert any(NOTE in s for s in ex.seen)  # the note was read by the model
    assert not any("Internal leakage" in s or "Worn seals" in s for s in ex.seen)  # the FMEA row was not
    assert not any(s.startswith("Sheet:") for s in ex.seen)
    kg, _ = graph
    assert _mentioned_in(kg, "Parker Hannifin") == ["press_fmea.xlsx"]
    assert kg.store.read("MATCH (m:FailureMode {name: 'Internal leakage'}) RETURN count(m) AS n")[0]["n"] == 1


def test_a_reports_paragraphs_around_its_bom_table_are_read_as_prose(
    graph: tuple[KnowledgeGraph, Manifest],  # noqa: F811
    docs: Path,  # noqa: F811
) -> None:
    report_doc = docx.Document()
    report_doc.add_paragraph("Pump overhaul report. " + NOTE)
    table = report_doc.add_table(rows=2, cols=4)
    for cell, text in zip(
        table.rows[0].cells, ["equipment_tag", "part_number", "part_name", "supplier"], strict=True
    ):
        cell.text = text
    for cell, text in zip(
        table.rows[1].cells, ["LDS-P-101", "6205-2RSH", "Ball bearing", "SKF"], strict=True
    ):
        cell.text = text
    report_doc.save(str(docs / "overhaul.docx"))
    ex = RecordingExtractor()

    _ingest(graph, docs, ex)

    assert any(NOTE in s for s in ex.seen)
    assert not any("6205-2RSH" in s for s in ex.seen)  # the BOM row gave facts; it is not read again
    kg, _ = graph
    assert _mentioned_in(kg, "Parker Hannifin") == ["overhaul.docx"]
    assert kg.store.read("MATCH (p:Part)-[:SUPPLIED_BY]->(s {name: 'SKF'}) RETURN count(p) AS n")[0]["n"] == 1


def test_blanked_rows_keep_every_offset() -> None:
    text = "Sheet: BOM\ntag: A; pn: 1\nNote: late delivery\n"
    out = blank(text, [(11, 24)])
    assert len(out) == len(text) and out.splitlines()[1].strip() == ""
    assert out[25:44] == text[25:44] == "Note: late delivery"


def test_a_part_a_document_names_by_its_number_carries_that_number(
    graph: tuple[KnowledgeGraph, Manifest],  # noqa: F811
    docs: Path,  # noqa: F811
) -> None:
    (docs / "offer.txt").write_text(
        "Hydraulika Ostrava offers the hose HO-2SN08-1500 as an alternative to the Parker hose."
    )
    ex = FakeExtractor({"PhysicalObject": ["HO-2SN08-1500", "hose"]})
    kg, manifest = graph

    Ingestor(kg, manifest, extractor=ex, resolver=EntityResolver()).run([docs])  # as `kg ingest` resolves

    rows = kg.store.read("MATCH (p:Part) RETURN p.name AS name, p.part_number AS pn ORDER BY name")
    assert {r["name"]: r["pn"] for r in rows} == {"HO-2SN08-1500": "HO-2SN08-1500", "hose": None}
