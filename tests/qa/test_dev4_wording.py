"""Questions in the fourth pair of dev authors' wording (samples/qa/DEV4.md), on the samples' real graph and
checked against its tables: a typo in a machine's name ("compresor"), a machine named just before what is
asked of it ("leeds compressor bom pls"), single source asked as "only get from parker", how an order says
it failed ("temp alarms logged on", "found blocked") narrowing the work orders, and the causes of a failure
asked as "what causes does the fmea list"."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from test_question_shapes import SAMPLES, _ask, _orders_of, _rows

from kg.core.keys import node_id
from kg.qa.causal import causal_arguments
from kg.qa.linking.descriptions import ends_noun
from kg.qa.router import Router
from kg.qa.text import says_failure
from kg.qa.tools.chain_steps import chains_params


def _tag(tag: str) -> str:
    return node_id("Equipment", tag, is_code=True)


def _bom(tag: str) -> list[dict[str, str]]:
    return [r for r in _rows(SAMPLES / "structured" / "bom.csv") if r["equipment_tag"] == tag]


def _orders(tag: str, *words: str) -> set[str]:
    rows = _rows(SAMPLES / "documents" / "work_orders" / "leeds_work_orders_2024-2026.csv")
    return {
        r["work_order"]
        for r in rows
        if r["asset"] == tag and all(w in r["description"].lower() for w in words)
    }


def test_a_typo_in_a_machines_name_is_read_as_the_name(qa_client: TestClient) -> None:
    body = _ask(qa_client, "who supplies parts for the 55kw compresor at ostrava")
    assert body["tool"]["name"] == "suppliers_of"
    assert body["tool"]["arguments"]["item"] == _tag("OST-CMP-01")
    suppliers = {r["supplier"] for r in _bom("OST-CMP-01")}
    assert len(body["answer_entities"]) == len(suppliers) > 1


def test_a_machine_named_right_before_what_is_asked_of_it(qa_client: TestClient) -> None:
    body = _ask(qa_client, "leeds compressor bom pls")
    assert body["tool"]["name"] == "bom" and body["tool"]["arguments"]["equipment"] == _tag("LDS-CMP-01")
    assert "about" not in body["tool"]["arguments"]  # "pls" names nothing to look for
    wanted = {node_id("Part", r["part_number"], is_code=True) for r in _bom("LDS-CMP-01")}
    assert wanted <= {e["id"] for e in body["answer_entities"]}
    assert ends_noun("leeds compressor bom pls", len("leeds compressor"))
    assert not ends_noun("the press line conveyor", len("the press"))


def test_parts_we_can_only_get_from_a_named_supplier_are_single_sourced(qa_client: TestClient) -> None:
    body = _ask(qa_client, "pns we can only get from parker, with no alternate listed")
    assert body["tool"]["name"] == "single_source"
    assert body["tool"]["arguments"]["alternatives"] == "none"
    bom = _rows(SAMPLES / "structured" / "bom.csv")
    parker = {r["part_number"] for r in bom if r["supplier"].startswith("Parker")}
    only = {
        pn
        for pn in parker
        if {r["supplier"].split()[0] for r in bom if r["part_number"] == pn} == {"Parker"}
        and not any(r["alternative_part_number"] for r in bom if r["part_number"] == pn)
    }
    assert {e["id"] for e in body["answer_entities"]} == {node_id("Part", pn, is_code=True) for pn in only}


def test_how_an_order_says_it_failed_narrows_the_orders(qa_client: TestClient) -> None:
    body = _ask(qa_client, "spindle temp alarms logged on lds-cnc-01-sp in q1 2025")
    assert body["tool"]["name"] == "failure_history"
    wanted = {o for o in _orders("LDS-CNC-01-SP", "alarm") if o.startswith("25-00")}
    all_q1 = {o for o in _orders("LDS-CNC-01-SP") if o.startswith("25-00")}
    assert wanted and wanted < all_q1  # the quarter's interlock order says no alarm
    assert _orders_of(body) == wanted


def test_another_spelling_of_the_failure_still_finds_the_orders(qa_client: TestClient) -> None:
    body = _ask(qa_client, "how many times has the fan cowl on lds-p-101-m been found blocked w/ swarf")
    cowl = _orders("LDS-P-101-M", "fan cowl", "swarf")
    assert len(cowl) == 2 and body["count"] == 2  # "blocked" in one order, "packed" in the other
    assert says_failure("fan cowl packed w/ swarf again", "blocked")
    assert not says_failure("thermography ok 52C, cowl clean", "blocked")


def test_what_causes_the_fmea_lists_are_the_causes_of_the_failure_described() -> None:
    args = causal_arguments(
        "ost-cnc-02 keeps throwing spurious stops - what causes does the fmea list?", "spurious stops", 27
    )
    assert args == {"cause_text": "spurious stops", "outcome": "yes", "ask": "causes"}


@pytest.mark.parametrize(
    ("question", "wanted"),
    [
        (
            "{X} low network pressure - what does the compressor service chapter say to do",
            {"source": "documents"},
        ),
        ("knocking at start up on {X} - cause and fix?", {"ask": "actions", "with": "causes"}),
    ],
)
def test_what_the_manual_says_to_do_and_cause_and_fix(question: str, wanted: dict[str, str]) -> None:
    route = Router(encoder=None).route(question, entities=1)
    assert route is not None and route.tool.name == "failure_chains"
    assert wanted.items() <= chains_params(question).items()


@pytest.mark.parametrize(
    "question",
    [
        "{X} temp alarms logged on {Y} in q1",
        "motor brg problems on the {X} this year",
    ],
)
def test_orders_logged_and_problems_on_a_machine_are_its_history(question: str) -> None:
    route = Router(encoder=None).route(question, entities=2)
    assert route is not None and route.tool.name == "failure_history"


def test_a_choice_is_settled_by_the_words_only_one_name_holds() -> None:
    from kg.qa.answers import Choice, LinkedEntity
    from kg.qa.linking.tie_words import settled_by_words

    def org(i: str, name: str) -> LinkedEntity:
        return LinkedEntity(id=i, name=name, labels=["Supplier"], mention="hydac", method="exact", score=1.0)

    both = [org("Supplier:hi", "HYDAC International GmbH"), org("Supplier:ht", "HYDAC Technology Ltd")]
    question = "hydac germany (the gmbh, not the uk co) stops deliveries - which kit is exposed?"
    args, left = settled_by_words(
        {"supplier": "Supplier:hi"}, [Choice(mention="hydac", candidates=both)], question
    )
    assert args == {"supplier": "Supplier:hi"} and left == []
    not_ltd = "hydac stops deliveries - not the ltd one"  # a word after "not" counts against its name
    args, left = settled_by_words(
        {"supplier": "Supplier:ht"}, [Choice(mention="hydac", candidates=both)], not_ltd
    )
    assert args == {"supplier": "Supplier:hi"} and left == []
    args, left = settled_by_words(
        {"supplier": "Supplier:hi"}, [Choice(mention="hydac", candidates=both)], "hydac outage"
    )
    assert len(left) == 1  # nothing tells them apart: still asked


def test_the_pump_itself_not_the_motor_counts_the_pumps_orders_only(qa_client: TestClient) -> None:
    body = _ask(
        qa_client, "no. of work orders logged against the leeds coolant supply pump itself, not the motor"
    )
    assert "about" not in body["tool"]["arguments"]
    assert body["count"] == len(_orders("LDS-P-101"))


def test_who_supplies_it_and_where_is_it_fitted_is_the_items_neighbourhood(qa_client: TestClient) -> None:
    body = _ask(qa_client, "7014 cd/hcp4a - who supplies it and where is it fitted")
    assert body["tool"]["name"] == "entity_detail"
    ids = {e["id"] for e in body["answer_entities"]}
    assert _tag("LDS-CNC-01-SP") in ids and any(i.startswith("Supplier:") for i in ids)


def test_why_a_machine_breaks_down_asks_the_causes_of_its_breakdown() -> None:
    args = causal_arguments(
        "why does the press line transfer conveyer at ostrava break down?", "break down", 54
    )
    assert args == {"cause_text": "break down", "outcome": "yes", "ask": "causes"}
