"""Questions that state their context before they ask, on the samples' real graph: the clause that asks
decides the tool ("parker can't ship it - what's the fallback pn?" asks for an alternative), a situation
("out of stock") is no property asked for, the supplier that lets us down is left out of its backups, and a
legal form with a country ("the uk ltd") names no organisation."""

from __future__ import annotations

from fastapi.testclient import TestClient
from test_question_shapes import SAMPLES, _ask, _rows

from kg.core.keys import node_id
from kg.evaluation.qa import org_key


def _alternatives_and_sources(part_number: str) -> tuple[set[str], set[str]]:
    """The BOM's alternative part ids of ``part_number``, and the suppliers of those alternatives."""
    bom = _rows(SAMPLES / "structured" / "bom.csv")
    alternatives = {r["alternative_part_number"] for r in bom if r["part_number"] == part_number} - {""}
    sources = {org_key(r["supplier"]) for r in bom if r["part_number"] in alternatives}
    return {node_id("Part", a, is_code=True) for a in alternatives}, sources


def test_an_outage_stated_first_then_an_alternative_asked_is_an_alternatives_question(
    qa_client: TestClient,
) -> None:
    body = _ask(qa_client, "hydac cant deliver the HD-0160D010BN4HC elements - what's the fallback pn?")
    parts, _ = _alternatives_and_sources("HD-0160D010BN4HC")
    assert body["tool"]["name"] == "alternatives"
    assert parts and {e["id"] for e in body["answer_entities"]} == parts


def test_the_alternative_and_who_supplies_it_when_both_are_asked(qa_client: TestClient) -> None:
    question = (
        "HD-0160D010BN4HC out of stock. whats the approved substitute and which vendor do we get it from"
    )
    body = _ask(qa_client, question)
    parts, sources = _alternatives_and_sources("HD-0160D010BN4HC")
    assert body["status"] == "answered" and body["tool"]["arguments"]["answer"] == "both"
    ids = {e["id"] for e in body["answer_entities"]}
    names = {org_key(e["name"]) for e in body["answer_entities"] if e["id"].startswith("Supplier:")}
    assert parts <= ids and sources and names == sources


def test_out_of_stock_is_a_situation_not_a_stock_level_asked(qa_client: TestClient) -> None:
    body = _ask(qa_client, "HD-0160D010BN4HC out of stock again, what can we fit instead")
    assert body["status"] == "answered" and body["tool"]["name"] == "alternatives"
    asked = _ask(qa_client, "how much stock of HD-0160D010BN4HC do we hold")  # a stock level: not held
    assert asked["status"] == "not_in_graph"


def test_the_supplier_that_lets_us_down_is_no_backup(qa_client: TestClient) -> None:
    body = _ask(qa_client, "backup vendor for the SPA1250 v-belts if gates lets us down?")
    names = {org_key(e["name"]) for e in body["answer_entities"]}
    assert body["tool"]["arguments"]["answer"] == "suppliers" and body["tool"]["arguments"].get("exclude")
    assert names and not any(n.startswith("gates") for n in names)


def test_a_supplier_on_stop_is_an_outage_and_a_legal_form_names_no_one(qa_client: TestClient) -> None:
    question = (
        "hydac gmbh (the german one, not the uk ltd) has a stop on our account - what eqpt uses their stuff?"
    )
    body = _ask(qa_client, question)
    assert body["tool"]["name"] == "supplier_impact"
    linked = {e["id"] for e in body["entities"]}
    assert not any("crane" in i or "atlas" in i for i in linked)  # "uk ltd" is in their names, naming neither
