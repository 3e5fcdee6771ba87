""" "Which part failed in 8D-... and in what failure mode": the document's identified part first, and the
failure mode the records (an FMEA table) give that part for what the document describes, on a graph built by
the real ingestion pipeline (the 8D read with a word-list extractor, the FMEA as a table)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fakes import FakeExtractor
from qa_graphs import ingested

from kg.core.keys import node_id
from kg.qa.answers import AskRequest
from kg.qa.service import QAService

EIGHT_D = """# 8D Report 8D-2024-101 - Seal leakage on feed pump FP-7

## D2 - Problem
The mechanical seal MS-4410 on the feed pump showed leakage after 300 hours. The shaft sleeve was fine.
"""
FMEA = (
    "item,function,failure_mode,failure_mode_code,cause,effect,severity,occurrence,detection,rpn,"
    "detection_method,recommended_action,leads_to_failure_mode\n"
    "MS-4410,Seal the pump shaft,External leakage of process medium,ELP,Seal face wear,Medium lost,6,4,4,96,"
    "Walk-down,Replace seal on condition,\n"
    "MS-4410,Seal the pump shaft,Fracture,BRD,Thermal shock,Pump stopped,8,2,5,80,None,Warm-up procedure,\n"
)
EXTRACTOR = FakeExtractor(
    {"Part": ["MS-4410", "shaft sleeve"], "Equipment": ["feed pump"], "FailureMode": ["leakage"]},
    ignore_case=True,
    version="words@1",
)


@pytest.fixture(scope="module")
def qa(tmp_path_factory: pytest.TempPathFactory) -> Iterator[QAService]:
    files = {"8D-2024-101_feed_pump_seal_leak.md": EIGHT_D, "fmea.csv": FMEA}
    with ingested(tmp_path_factory.mktemp("document-failures"), files, EXTRACTOR) as (service, _):
        yield service


def test_the_failed_part_comes_first_with_the_records_failure_mode_for_what_the_document_says(
    qa: QAService,
) -> None:
    r = qa.ask(
        AskRequest(question="8D-2024-101 - which part failed and in what failure mode", explainer="template")
    )
    assert r.tool is not None and r.tool.name == "document_contents"
    names = [e.name for e in r.answer_entities]
    assert r.answer_entities[0].id == node_id("Part", "MS-4410", is_code=True)  # the identified part first
    assert "External leakage of process medium" in names  # the FMEA's name for the 8D's "leakage"
    assert "Fracture" not in names  # a recorded mode the document does not describe
