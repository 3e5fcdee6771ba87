"""Questions that name a document by its number ("which part failed in 8D-2024-101"), on a graph built by
the real ingestion pipeline (document numbers read at ingestion, a word-list extractor for the entities)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fakes import FakeExtractor
from qa_graphs import ingested

from kg.graph.knowledge_graph import KnowledgeGraph
from kg.qa.answers import AskRequest, AskResponse
from kg.qa.service import QAService

EIGHT_D = """# 8D Report 8D-2024-101 - Seal leakage on feed pump FP-7

| Site | Plant Alpha |
| Opened | 12 June 2024 |

## D2 - Problem
The mechanical seal MS-4410 on the feed pump leaked after 300 hours.

## D4 - Root cause
Dry running at start-up wore the seal faces. The seal was bought on NW-PO-24-7001 from Acme Seals Ltd.
"""
PURCHASE_ORDER = """Northwind Components Ltd
PURCHASE ORDER No. NW-PO-24-7001            Date: 02/05/2024
Supplier:   Acme Seals Ltd
Ln  Item      Description             Qty
1   MS-4410   Mechanical seal, 40 mm  2
"""
LETTER = "Dear customer,\nafter your 8D-2024-101 the mechanical seal range stays.\nAcme Seals Ltd.\n"
EXTRACTOR = FakeExtractor(
    {
        "Part": ["MS-4410", "mechanical seal"],
        "Equipment": ["feed pump"],
        "FailureMode": ["leaked", "leakage"],
        "FailureCause": ["Dry running"],
        "Supplier": ["Acme Seals Ltd"],
    },
    ignore_case=True,
    version="words@1",
)


@pytest.fixture(scope="module")
def qa(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[QAService, KnowledgeGraph]]:
    files = {
        "8D-2024-101_feed_pump_seal_leak.md": EIGHT_D,
        "po_acme.txt": PURCHASE_ORDER,
        "acme_letter.txt": LETTER,
    }
    with ingested(tmp_path_factory.mktemp("named-docs"), files, EXTRACTOR) as built:
        yield built


def ask(qa: tuple[QAService, KnowledgeGraph], question: str) -> AskResponse:
    return qa[0].ask(AskRequest(question=question, explainer="template"))


def test_ingestion_keeps_each_documents_own_numbers_and_the_numbers_it_cites(qa) -> None:
    rows = qa[1].store.read(
        "MATCH (d:Document) RETURN d.file_name AS f, d.numbers AS n, d.references AS r ORDER BY f"
    )
    got = {r["f"]: (r["n"], r["r"]) for r in rows}
    assert got["8D-2024-101_feed_pump_seal_leak.md"] == (["8D-2024-101"], ["NW-PO-24-7001"])
    assert got["po_acme.txt"] == (["NW-PO-24-7001"], None)  # the number is in its header, not its name
    assert got["acme_letter.txt"] == (None, ["8D-2024-101"])  # cited in the body: not the letter's own


def test_which_part_failed_in_a_report_named_by_number_answers_from_that_report(qa) -> None:
    resp = ask(qa, "8d-2024-101: which part failed and in what failure mode?")
    assert resp.status == "answered"
    assert resp.tool is not None and resp.tool.name == "document_contents"
    assert resp.tool.arguments["document"].startswith("8D-2024-101_feed_pump_seal_leak.md#")
    names = [e.name for e in resp.answer_entities]
    assert names[0] == "MS-4410"  # the part named by its number first, then the bare words
    assert {"mechanical seal", "leaked"} <= set(names)
    assert "Dry running" not in names  # a cause, not asked for
    assert resp.citations and {c.document for c in resp.citations} == {resp.tool.arguments["document"]}
    assert resp.conditions.get("document") == "8d-2024-101"


def test_who_is_the_supplier_on_a_purchase_order_named_by_number(qa) -> None:
    resp = ask(qa, "who is the supplier on NW-PO-24-7001")
    assert resp.tool is not None and resp.tool.name == "document_contents"
    assert resp.tool.arguments["document"].startswith("po_acme.txt#")  # its own number, not the 8D citing it
    assert [e.name for e in resp.answer_entities] == ["Acme Seals Ltd"]


def test_documents_citing_a_number_are_the_documents_tool_narrowed_to_them(qa) -> None:
    resp = ask(qa, "which documents cite NW-PO-24-7001?")
    assert resp.tool is not None and resp.tool.name == "documents"
    names = {e.name for e in resp.answer_entities}
    assert names == {"8D-2024-101_feed_pump_seal_leak.md", "po_acme.txt"}  # the letter cites another number
    resp = ask(qa, "which documents cite 8D-2024-101")  # the number says "8D"; the question asks for no 8D
    assert {e.name for e in resp.answer_entities} == {"8D-2024-101_feed_pump_seal_leak.md", "acme_letter.txt"}


def test_a_number_no_document_carries_is_not_taken_for_a_document(qa) -> None:
    for question in ("which part failed in 8D-2099-999", "8d reports citing NW-PO-24-9999"):
        resp = ask(qa, question)
        assert resp.status != "answered" and not resp.answer_entities, question
        assert "No document in the graph is numbered or cites" in resp.answer  # never the other 8D


def test_an_entity_named_with_a_document_says_the_document_was_not_applied(qa) -> None:
    resp = ask(qa, "suppliers of MS-4410 in 8D-2024-101")
    assert resp.tool is not None and resp.tool.name == "suppliers_of"
    assert "Not narrowed by document" in resp.answer


def test_a_part_number_the_graph_lacks_is_said_never_answered_for_the_other_names(qa) -> None:
    resp = ask(qa, "who supplies pn MS-9999X for the feed pump")  # a known item beside an unknown number
    assert resp.status == "unknown_entity" and not resp.answer_entities
    assert "'MS-9999X' is not in the graph" in resp.answer
    resp = ask(qa, "who supplies MS-4410")  # a number it holds still runs the tool
    assert resp.status != "unknown_entity" and resp.tool is not None and resp.tool.name == "suppliers_of"
