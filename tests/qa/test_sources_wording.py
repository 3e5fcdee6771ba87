"""Sourcing questions in buyers' wording on the samples' real graph: a backup or fallback source is a
supplier (of the part or of a recorded alternative to it), not the alternative part itself; a part named by
its kind and its machine ("the spindle bearings") is that part."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from test_question_shapes import SAMPLES, _ask, _rows

from kg.evaluation.qa import org_key


def _sources(part_number: str) -> set[str]:
    bom = _rows(SAMPLES / "structured" / "bom.csv")
    alternatives = {r["alternative_part_number"] for r in bom if r["part_number"] == part_number}
    return {org_key(r["supplier"]) for r in bom if r["part_number"] in {part_number, *alternatives}}


@pytest.mark.parametrize(
    "question",
    [
        "backup supplier for 22210 E",
        "fallback source for the 22210 E bearing",
        "alternative supplier for 22210 E",
    ],
)
def test_a_backup_source_is_answered_with_suppliers(qa_client: TestClient, question: str) -> None:
    body = _ask(qa_client, question)
    assert body["tool"]["name"] == "alternatives" and body["tool"]["arguments"]["answer"] == "suppliers"
    assert {org_key(e["name"]) for e in body["answer_entities"]} == _sources("22210 E")
    assert all(e["id"].startswith("Supplier:") for e in body["answer_entities"])


def test_the_alternative_part_is_still_the_answer_when_a_part_is_asked_for(qa_client: TestClient) -> None:
    body = _ask(qa_client, "alternate pn for the 22210 E spherical roller")
    assert body["tool"]["arguments"].get("answer", "parts") == "parts"
    assert body["answer_entities"] and all(e["id"].startswith("Part:") for e in body["answer_entities"])


def _fitted(word: str, kind: str) -> set[str]:
    """The BOM part numbers of a kind ("bearing") fitted to equipment whose register name holds ``word``."""
    register = _rows(SAMPLES / "structured" / "equipment.csv")
    tags = {r["tag"] for r in register if word in r["name"].lower()}
    bom = _rows(SAMPLES / "structured" / "bom.csv")
    return {r["part_number"] for r in bom if r["equipment_tag"] in tags and kind in r["part_name"].lower()}


def test_a_part_named_by_its_kind_and_its_machine_is_that_part(qa_client: TestClient) -> None:
    from kg.core.keys import node_id

    wanted = _fitted("spindle", "bearing")
    assert len(wanted) == 1  # the spindle unit's one bearing: no BOM name says "spindle"
    body = _ask(qa_client, "who supplies the spindle bearings")
    assert body["tool"]["arguments"]["item"] == node_id("Part", wanted.pop(), is_code=True)
    assert body["status"] == "answered" and body["answer_entities"]


def test_a_description_no_part_fits_links_no_part(qa_client: TestClient) -> None:
    assert not _fitted("spindle", "gasket")
    body = _ask(qa_client, "who supplies the spindle gaskets")
    assert not str(body["tool"] and body["tool"]["arguments"].get("item", "")).startswith("Part:")


def test_an_outage_asked_about_one_part_answers_that_parts_lines(qa_client: TestClient) -> None:
    from kg.core.keys import node_id

    lines = [r for r in _rows(SAMPLES / "structured" / "bom.csv") if r["part_number"] == "PH-2SN08-1500"]
    by_tag: dict[str, set[str]] = {}
    for r in lines:
        by_tag.setdefault(r["equipment_tag"], set()).add(org_key(r["supplier"]))
    sole = {tag for tag, sources in by_tag.items() if sources == {org_key("Parker Hannifin")}}
    assert sole and len(sole) < len(by_tag)  # Pirtek is a second source on one power unit
    body = _ask(qa_client, "parker plant fire: which hpu has no other source for the ph-2sn08-1500 hoses")
    assert (
        body["tool"]["name"] == "supplier_impact" and body["tool"]["arguments"]["item"] == "Part:ph2sn081500"
    )
    assert {e["id"] for e in body["answer_entities"]} == {node_id("Equipment", t, is_code=True) for t in sole}


@pytest.mark.parametrize(
    ("question", "label"),
    [
        ("how many distinct suppliers does ostrava use", "Supplier"),
        ("how many different materials are in the bom", "Material"),
    ],
)
def test_counting_a_class_of_things_lists_that_class(
    qa_client: TestClient, question: str, label: str
) -> None:
    body = _ask(qa_client, question)
    assert body["tool"]["name"] == "counting" and body["tool"]["arguments"]["of"] == "entities"
    assert body["tool"]["arguments"]["of_class"] == label
    assert body["count"] == len(body["answer_entities"]) > 0
    assert all(e["id"].startswith(f"{label}:") for e in body["answer_entities"])


def test_where_a_material_is_used_is_where_the_parts_made_of_it_are(qa_client: TestClient) -> None:
    from kg.core.keys import node_id

    bom = _rows(SAMPLES / "structured" / "bom.csv")
    wanted = {node_id("Equipment", r["equipment_tag"], is_code=True) for r in bom if "NBR" in r["material"]}
    body = _ask(qa_client, "which equipment uses parts made of nbr")
    assert body["status"] == "answered" and body["tool"]["name"] == "where_used"
    assert {e["id"] for e in body["answer_entities"]} == wanted


@pytest.mark.parametrize(
    ("question", "part_number"),
    [
        ("what replaces the 6309 bearing", "6309-2Z/C3"),  # a series number and its kind
        ("drop-in for the skf 6205 bearing", "6205-2RSH"),  # of the two 6205 bearings, SKF's
        ("substitute for the trelleborg o-ring on the leeds press", "OR-50X3-NBR70"),  # the one on that press
    ],
)
def test_a_part_named_loosely_is_narrowed_by_what_else_the_question_names(
    qa_client: TestClient, question: str, part_number: str
) -> None:
    from kg.core.keys import node_id

    body = _ask(qa_client, question)
    assert body["status"] == "answered" and body["tool"]["name"] == "alternatives"
    assert body["tool"]["arguments"]["item"] == node_id("Part", part_number, is_code=True)


def test_single_sourced_parts_with_no_alternative_leave_out_those_with_one(qa_client: TestClient) -> None:
    from kg.core.keys import node_id

    every = {e["id"] for e in _ask(qa_client, "which parts are single-sourced")["answer_entities"]}
    bom = _rows(SAMPLES / "structured" / "bom.csv")
    alternated = {
        node_id("Part", pn, is_code=True)
        for r in bom
        if r["alternative_part_number"]
        for pn in (r["part_number"], r["alternative_part_number"])
    }
    body = _ask(qa_client, "which single-sourced parts have no alternative")
    assert body["tool"]["arguments"]["alternatives"] == "none"
    assert every & alternated  # some single-sourced parts have an alternative: they go
    assert {e["id"] for e in body["answer_entities"]} == every - alternated


def test_the_riskiest_supplier_is_ranked_by_its_single_sourced_parts(qa_client: TestClient) -> None:
    body = _ask(qa_client, "which supplier is the biggest risk")
    assert body["tool"]["name"] == "ranking" and body["tool"]["arguments"].get("only") == "sole"
    assert "single-sourced part" in body["answer"]
    assert "only" not in _ask(qa_client, "which suppliers do we depend on most")["tool"]["arguments"]


def test_who_makes_a_part_is_its_manufacturer_not_its_sellers(qa_client: TestClient) -> None:
    bom = [r for r in _rows(SAMPLES / "structured" / "bom.csv") if r["part_number"] == "22210 E"]
    makers, sellers = {org_key(r["manufacturer"]) for r in bom}, {org_key(r["supplier"]) for r in bom}
    assert makers != sellers  # ERIKS sells it, SKF makes it
    body = _ask(qa_client, "who makes the 22210 E")
    assert body["tool"]["arguments"].get("role") == "maker"
    assert {org_key(e["name"]) for e in body["answer_entities"]} == makers
    assert all(f["predicate"] == "MANUFACTURED_BY" for f in body["facts"])
