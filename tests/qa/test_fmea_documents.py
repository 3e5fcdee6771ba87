"""Rankings over one named FMEA document ("top rpn in the ostrava press line fmea workbook"), on a graph the
real pipeline builds from the samples' two FMEA documents: the graph merges every FMEA's lines, the question
ranks only the lines the named document is evidence for."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest
from fakes import FakeExtractor
from qa_graphs import ingested

from kg.qa.answers import AskRequest
from kg.qa.service import QAService

FMEA = Path(__file__).resolve().parents[2] / "samples" / "documents" / "fmea"


@pytest.fixture(scope="module")
def qa(tmp_path_factory: pytest.TempPathFactory) -> Iterator[QAService]:
    files = {p.name: p for p in FMEA.iterdir()}
    with ingested(tmp_path_factory.mktemp("fmea-docs"), files, FakeExtractor({})) as (service, _):
        yield service


def _lines() -> list[dict[str, str]]:
    with (FMEA / "machining_and_conveyors_fmea.csv").open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def test_the_top_rpn_of_one_named_fmea_document(qa: QAService) -> None:
    lines = _lines()
    top = max(int(r["rpn"]) for r in lines)
    r = qa.ask(AskRequest(question="top rpn in the machining & conveyors fmea csv", explainer="template"))
    assert r.tool is not None and r.tool.arguments["fmea_document"] == "machining & conveyors"
    assert f"(RPN {top})" in r.answer.split(",")[0]
    assert r.answer_entities[0].name in {x["failure_mode"] for x in lines if int(x["rpn"]) == top}


def test_the_highest_rpn_item_is_the_fmea_item_whatever_its_class(qa: QAService) -> None:
    lines = _lines()
    top = max(int(r["rpn"]) for r in lines)
    items = {x["item"] for x in lines if int(x["rpn"]) == top}
    q = "whats the highest-rpn item in the machining & conveyors fmea csv"
    r = qa.ask(AskRequest(question=q, explainer="template"))
    assert r.tool is not None and r.tool.arguments["target"] == "owners"
    first = r.answer_entities[0]
    assert first.id.split(":", 1)[1] in {i.replace("-", "").lower() for i in items}, first


def test_the_causes_one_named_fmea_document_lists(qa: QAService) -> None:
    import openpyxl

    book = openpyxl.load_workbook(FMEA / "ostrava_press_line_fmea.xlsx")
    rows = list(book.active.iter_rows(values_only=True))
    header = [str(h or "").strip().lower() for h in rows[0]]
    item_at = next(i for i, h in enumerate(header) if "item" in h or "component" in h)
    cause_at = next(i for i, h in enumerate(header) if "cause" in h)
    item, causes = None, set()
    for row in rows[1:]:
        item = row[item_at] or item  # merged item cells: filled down
        if item and "PH-2SN08-1500" in str(item) and row[cause_at]:
            causes.add(str(row[cause_at]).strip())
    q = "failure causes for the ph-2sn08-1500 hose in the ostrava press line fmea workbook"
    r = qa.ask(AskRequest(question=q, explainer="template"))
    assert r.tool is not None and r.tool.arguments["answer"] == "causes"
    assert r.tool.arguments["fmea_document"] == "ostrava press line"
    assert causes and {e.name for e in r.answer_entities} == causes
