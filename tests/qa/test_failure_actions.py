"""Reliability questions in engineers' wording, on the samples' real graph (tables and work orders): what
is done against a failure (the FMEA's recommended actions, MITIGATED_BY), "why did X <fail>" (its causes),
and a count of breakdowns (any work order on the asset, whatever word its text uses)."""

from __future__ import annotations

from fastapi.testclient import TestClient
from test_question_shapes import SAMPLES, _ask, _iso, _orders, _rows


def _fmea() -> list[dict[str, str]]:
    return _rows(SAMPLES / "structured" / "fmea.csv")


def test_the_actions_against_a_named_cause_are_its_fmea_rows_actions(qa_client: TestClient) -> None:
    body = _ask(qa_client, "what mitigates hose abrasion on the ostrava press")
    assert body["tool"]["name"] == "failure_chains" and body["tool"]["arguments"]["ask"] == "actions"
    wanted = {r["recommended_action"] for r in _fmea() if r["cause"] == "Hose abrasion at clamp"}
    assert wanted and wanted <= {e["name"] for e in body["answer_entities"]}
    assert all(f["predicate"] == "MITIGATED_BY" for f in body["facts"])
    assert "Hose abrasion at clamp" in body["answer"]  # each action says what it acts against


def test_corrective_actions_for_an_asset_are_all_of_its_chains_actions(qa_client: TestClient) -> None:
    body = _ask(qa_client, "recommended actions for LDS-P-101")
    bom = _rows(SAMPLES / "structured" / "bom.csv")
    items = {"LDS-P-101", *(r["part_number"] for r in bom if r["equipment_tag"] == "LDS-P-101")}
    wanted = {r["recommended_action"] for r in _fmea() if r["item"] in items}  # its parts' chains too
    assert {e["name"] for e in body["answer_entities"]} == wanted
    body = _ask(qa_client, "how do we prevent seal face wear on lds-p-101")
    named = {
        r["recommended_action"] for r in _fmea() if r["item"] == "LDS-P-101" and "face wear" in r["cause"]
    }
    assert {e["name"] for e in body["answer_entities"]} == named


def test_a_failure_nothing_mitigates_is_said_so_not_answered_with_every_action(qa_client: TestClient) -> None:
    body = _ask(qa_client, "what mitigates lightning strikes on lds-p-101")
    assert body["status"] == "no_results" and body["answer_entities"] == []
    assert "lightning strikes" in body["answer"]


def test_why_a_machine_fails_so_asks_the_causes_of_that_failure(qa_client: TestClient) -> None:
    body = _ask(qa_client, "why does the compressor LDS-CMP-01 overheat")
    assert body["tool"]["name"] == "failure_chains" and body["tool"]["arguments"]["ask"] == "causes"
    causes = {r["cause"] for r in _fmea() if r["item"] == "LDS-CMP-01" and r["failure_mode"] == "Overheating"}
    assert causes and {e["name"] for e in body["answer_entities"]} == causes


def test_breakdowns_in_a_year_count_every_work_order_on_the_asset(qa_client: TestClient) -> None:
    body = _ask(qa_client, "how many breakdowns did OST-P-201 have in 2024")
    wanted = [r for r in _orders() if r["asset"] == "OST-P-201" and _iso(r["date"]).startswith("2024")]
    assert wanted and body["answer"].startswith(f"{len(wanted)} work orders")
    body = _ask(qa_client, "how many leak failures did OST-P-201 have in 2024")  # "leak" still narrows
    leaks = [r for r in wanted if "leak" in r["description"].lower()]
    assert 0 < len(leaks) < len(wanted) and body["answer"].startswith(f"{len(leaks)} work order")


def test_a_failure_mode_that_leads_to_no_other_answers_with_its_effects(qa_client: TestClient) -> None:
    body = _ask(qa_client, "what does vibration on the 6205-2rsh lead to")
    effects = {r["effect"] for r in _fmea() if r["item"] == "6205-2RSH" and r["failure_mode"] == "Vibration"}
    assert effects and {e["name"] for e in body["answer_entities"]} == effects


def test_the_worst_failure_mode_of_a_machine_is_ranked_by_rpn(qa_client: TestClient) -> None:
    body = _ask(qa_client, "what's the worst failure mode on ost-hp-02-hpu")
    assert body["tool"]["name"] == "ranking" and body["tool"]["arguments"]["measure"] == "rpn"
    rows = [r for r in _fmea() if r["item"] == "OST-HP-02-HPU"]
    top = max(rows, key=lambda r: int(r["rpn"]))
    assert body["answer_entities"][0]["name"] == top["failure_mode"]


def test_the_latest_work_order_is_told_and_latest_filters_no_text(qa_client: TestClient) -> None:
    rows = [r for r in _orders() if r["asset"] == "OST-HP-02-HPU"]
    newest = max(rows, key=lambda r: _iso(r["date"]))
    body = _ask(qa_client, "latest work order on ost-hp-02-hpu")
    assert body["status"] == "answered" and body["answer"].startswith(f"{len(rows)} work orders")
    assert f"The latest one is {newest['work_order']} on {_iso(newest['date'])}" in body["answer"]
