"""Bill-of-materials questions in maintainers' wording on the samples' real graph: "seals used on p-101" is
the pump's seals, not where the pump is used; "what's in" and "consist of" narrow nothing."""

from __future__ import annotations

from fastapi.testclient import TestClient
from test_question_shapes import SAMPLES, _ask, _rows

from kg.core.keys import node_id


def _bom(tag: str) -> list[dict[str, str]]:
    return [r for r in _rows(SAMPLES / "structured" / "bom.csv") if r["equipment_tag"] == tag]


def test_parts_of_a_kind_used_on_a_machine_are_its_bom_lines_of_that_kind(qa_client: TestClient) -> None:
    body = _ask(qa_client, "seals used on p-101")
    assert body["tool"]["name"] == "bom" and body["tool"]["arguments"]["equipment"] == "Equipment:ldsp101"
    seals = {
        node_id("Part", r["part_number"], is_code=True)
        for r in _bom("LDS-P-101")
        if "seal" in r["part_name"].lower()
    }
    assert seals and {e["id"] for e in body["answer_entities"]} == seals


def test_asking_words_narrow_no_bill_of_materials(qa_client: TestClient) -> None:
    for question in ("what's in the bom of lds-cmp-01", "what does lds-cmp-01 consist of"):
        body = _ask(qa_client, question)
        assert body["tool"]["name"] == "bom" and "about" not in body["tool"]["arguments"], question
        parts = {node_id("Part", r["part_number"], is_code=True) for r in _bom("LDS-CMP-01")}
        assert parts <= {e["id"] for e in body["answer_entities"]}, question
