"""Documents found by how a question describes them ("the investigation report for the spindle", "minutes of
the reliability review"), on a graph built by the real ingestion pipeline from a small document set in which
the model also marked the word "reports" as an activity (a noise node a question must not link)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fakes import FakeExtractor
from qa_graphs import ingested

from kg.qa.answers import AskRequest
from kg.qa.service import QAService

DOCS = {
    "incident_report_IR-2025-041_conveyor_gearbox.txt": "Incident report IR-2025-041: oil leak on the "
    "conveyor gearbox. The operator reports oil under the gearbox.",
    "investigation_spindle_overheating.txt": "Investigation: spindle overheating on the machining centre. "
    "The spindle bearing lost preload.",
    "reliability_review_minutes_2025-11.md": "# Reliability review minutes\nThe team reviewed the spindle "
    "and the gearbox. Maintenance reports were read.",
    "supplier_performance_review_2025H1.md": "# Supplier performance review\nDelivery reports for the half "
    "year.",
    "NCR-2025-019_compressor_belt.txt": "NCR-2025-019: the compressor belt cracked after 300 hours.",
    "NCR-2024-031_oring_mixup.txt": "NCR-2024-031: wrong O-ring compound on the press.",
    "discontinuation_notice_O-rings.md": "# Discontinuation of compound N70 for O-rings\n"
    "Notification no. TSS-DN-2025-006 · Date: 3 March 2025",
    "quality_alert_cavitation.md": "# Quality alert QA-2024-011\nCavitation on the circulation pump.",
}
EXTRACTOR = FakeExtractor(
    {
        "Part": ["compressor belt", "spindle bearing"],
        "Equipment": ["conveyor gearbox", "spindle"],
        "MaintenanceActivity": ["reports"],
    },
    ignore_case=True,
    version="words@1",
)


@pytest.fixture(scope="module")
def qa(tmp_path_factory: pytest.TempPathFactory) -> Iterator[QAService]:
    with ingested(tmp_path_factory.mktemp("described-docs"), DOCS, EXTRACTOR) as (service, _):
        yield service


def _files(qa: QAService, question: str) -> list[str]:
    r = qa.ask(AskRequest(question=question, explainer="template"))
    assert r.tool is not None and r.tool.name == "documents", (question, r.tool)
    return sorted(e.name or "" for e in r.answer_entities)


def test_a_described_report_is_the_one_its_words_name_not_every_report(qa: QAService) -> None:
    assert _files(qa, "the investigation report for the spindle") == ["investigation_spindle_overheating.txt"]


def test_a_kind_narrowed_by_one_or_two_words_is_the_document_so_named(qa: QAService) -> None:
    assert _files(qa, "minutes of the reliability review") == ["reliability_review_minutes_2025-11.md"]
    assert _files(qa, "reviews and minutes on file") == [  # a listing of kinds: every review
        "reliability_review_minutes_2025-11.md",
        "supplier_performance_review_2025H1.md",
    ]


def test_a_document_kind_word_is_never_linked_as_an_entity(qa: QAService) -> None:
    assert _files(qa, "find the report on the compressor belt") == ["NCR-2025-019_compressor_belt.txt"]


def test_documents_of_a_year_are_those_whose_name_carries_it_and_the_undated_are_said(qa: QAService) -> None:
    r = qa.ask(AskRequest(question="how many incident reports in 2025", explainer="template"))
    assert r.count == 1 and [e.name for e in r.answer_entities] == [
        "incident_report_IR-2025-041_conveyor_gearbox.txt"
    ]
    assert "no year in name, title or number left out" in r.answer  # the investigation carries no year
    r = qa.ask(AskRequest(question="how many incident reports in 2024", explainer="template"))
    assert r.count == 0


def test_a_year_a_document_number_carries_counts_and_from_a_year_is_that_year(qa: QAService) -> None:
    assert _files(qa, "which notices came in during 2025?") == [
        "discontinuation_notice_O-rings.md"
    ]  # by number
    assert _files(qa, "any quality reports from 2024? ncrs, alerts") == [  # dated 2024, not since
        "NCR-2024-031_oring_mixup.txt",
        "quality_alert_cavitation.md",
    ]
    assert _files(qa, "ncrs from 2024 onwards") == [
        "NCR-2024-031_oring_mixup.txt",
        "NCR-2025-019_compressor_belt.txt",
    ]
