"""`kg ingest` of a manual with a troubleshooting table: its rows become failure chains with the row as the
evidence span, about the equipment the manual's title names; the extractor still reads the rows' words."""

from __future__ import annotations

from pathlib import Path

from test_prose_bad_input import RecordingExtractor, _ingest, docs, graph  # noqa: F401  (fixtures)

from kg.core.settings import Settings
from kg.documents import Table
from kg.graph.knowledge_graph import KnowledgeGraph
from kg.ingest.manifest import Manifest
from kg.ingest.pipeline.table_facts import row_spans
from kg.qa.answers import AskRequest
from kg.qa.service import QAService
from kg.tables.structured import TROUBLESHOOTING_EXTRACTOR

MANUAL = """# Maintenance Manual — Coolant Pumps LDS-P-101 and LDS-P-102

The pumps are made by Aire Valley Pumps Ltd.

## 7.4 Troubleshooting

| Symptom | Possible cause | Remedy |
|---|---|---|
| High vibration (> 4.5 mm/s RMS) | Impeller imbalance from swarf build-up; misalignment | Clean impeller; \
realign pump and motor |
| Noise from the motor | Motor bearing 6205-2RSH worn | Replace both motor bearings |
"""
REGISTER = "tag,name,site\nLDS-P-101,Coolant supply pump,Leeds\nLDS-P-102,Coolant return pump,Leeds\n"
BOM = "equipment_tag,part_number,part_name\nLDS-P-101,6205-2RSH,Deep groove ball bearing\n"
FMEA = "item,failure_mode,cause\nLDS-P-101,High vibration,Impeller imbalance from swarf build-up\n"


def _load_records(store: tuple[KnowledgeGraph, Manifest], folder: Path, *tables: tuple[str, str]) -> None:
    folder.mkdir()
    for name, text in tables:
        (folder / name).write_text(text)
    _ingest(store, folder, RecordingExtractor())


def test_a_manuals_troubleshooting_table_becomes_failure_chains_on_its_pumps(
    graph: tuple[KnowledgeGraph, Manifest],  # noqa: F811
    docs: Path,  # noqa: F811
    tmp_path: Path,
) -> None:
    _load_records(graph, tmp_path / "records", ("equipment.csv", REGISTER), ("bom.csv", BOM))
    (docs / "manual.md").write_text(MANUAL)
    ex = RecordingExtractor()

    report = _ingest(graph, docs, ex)

    assert [o.state for o in report.outcomes] == ["loaded"]
    assert any("Impeller imbalance" in s for s in ex.seen)  # the rows' words are still read
    kg, _ = graph
    chains = kg.store.read(
        "MATCH (c:FailureCause)-[:CAUSES]->(m:FailureMode)<-[:HAS_FAILURE_MODE]-(e:Equipment) "
        "RETURN c.name AS cause, m.name AS mode, e.tag AS tag"
    )
    assert {(r["cause"], r["mode"], r["tag"]) for r in chains} == {
        (cause, mode, tag)
        for tag in ("LDS-P-101", "LDS-P-102")
        for cause, mode in (
            ("Impeller imbalance from swarf build-up", "High vibration"),
            ("Misalignment", "High vibration"),
            ("Motor bearing 6205-2RSH worn", "Noise from the motor"),
        )
    }
    fixes = kg.store.read(
        "MATCH (c:FailureCause)-[:MITIGATED_BY]->(a:MaintenanceActivity) RETURN c.name AS c, a.name AS a"
    )
    assert ("Misalignment", "Realign pump and motor") in {(r["c"], r["a"]) for r in fixes}
    on = kg.store.read(
        "MATCH (a:MaintenanceActivity {name: 'Replace both motor bearings'})-[:PERFORMED_ON]->(p:Part) "
        "RETURN p.part_number AS pn"
    )
    assert [r["pn"] for r in on] == ["6205-2RSH"]
    rows = kg.store.read(
        "MATCH (m:FailureMode {name: 'High vibration'})-[r:MENTIONED_IN]->(d:Document) "
        "RETURN r.evidence AS evidence, r.extractors AS extractors"
    )
    [row] = rows
    start, end = (int(x) for x in row["evidence"][0].split("|")[1:3])
    assert MANUAL[start:end].startswith("High vibration (> 4.5 mm/s RMS) | Impeller imbalance")
    assert row["extractors"] == [TROUBLESHOOTING_EXTRACTOR]  # a document's statement, not a record


def _qa_over_manual(store: tuple[KnowledgeGraph, Manifest], folder: Path, tmp_path: Path) -> QAService:
    """Questions over the register, a one-line FMEA of LDS-P-101 and the manual (written into ``folder``)."""
    _load_records(store, tmp_path / "records", ("equipment.csv", REGISTER), ("fmea.csv", FMEA))
    (folder / "manual.md").write_text(MANUAL)
    _ingest(store, folder, RecordingExtractor())
    return QAService(store[0], Settings(store={"data_dir": str(tmp_path / "data")}), encoder=None)


def test_a_cause_only_the_manual_names_is_listed_beside_the_fmeas(
    graph: tuple[KnowledgeGraph, Manifest],  # noqa: F811
    docs: Path,  # noqa: F811
    tmp_path: Path,
) -> None:
    qa = _qa_over_manual(graph, docs, tmp_path)

    r = qa.ask(AskRequest(question="What can cause high vibration on LDS-P-101?", explainer="template"))

    assert r.tool is not None and r.tool.name == "failure_chains"
    assert [e.name for e in r.answer_entities] == ["Impeller imbalance from swarf build-up"]  # the FMEA's
    assert [e.name for e in r.also_reported] == ["Misalignment"]  # what the manual adds, named apart
    assert "Misalignment" in r.answer
    other = qa.ask(AskRequest(question="What can cause high vibration on LDS-P-102?", explainer="template"))
    # no FMEA rows for the return pump: the manual answers
    assert {e.name for e in other.answer_entities} == {
        "Impeller imbalance from swarf build-up",
        "Misalignment",
    }


def test_a_pdf_rows_span_runs_from_its_first_cell_to_its_last_however_the_cells_wrap() -> None:
    text = (
        "Symptom Possible cause Remedy\n"
        "Compressor trips on high discharge\ntemperature\nOil cooler fouled; low oil level\n"
        "Clean cooler; top up\noil\nBelt squeal at start Worn belts Replace belt set\n"
    )
    table = Table(
        "t",
        ["Symptom", "Possible cause", "Remedy"],
        [
            [
                "Compressor trips on high discharge temperature",
                "Oil cooler fouled; low oil level",
                "Clean cooler; top up oil",
            ],
            ["Belt squeal at start", "Worn belts", "Replace belt set"],
        ],
        [3, 5],
    )
    spans, _ = row_spans(text, table, 0)
    first, second = (text[s:e] for s, e in spans)
    assert first.startswith("Compressor trips") and first.endswith("top up\noil")
    assert second == "Belt squeal at start Worn belts Replace belt set"


def test_the_manuals_remedies_answer_what_to_do_when_the_records_have_none(
    graph: tuple[KnowledgeGraph, Manifest],  # noqa: F811
    docs: Path,  # noqa: F811
    tmp_path: Path,
) -> None:
    qa = _qa_over_manual(graph, docs, tmp_path)

    r = qa.ask(
        AskRequest(question="What should we do about misalignment on LDS-P-101?", explainer="template")
    )

    assert r.tool is not None and r.tool.arguments.get("ask") == "actions"
    assert [e.name for e in r.answer_entities] == ["Realign pump and motor"]
    assert "actions documents give" in r.answer  # not passed off as the FMEA's
