"""Failure-chain questions in reliability engineers' wording, on the samples' real graph, checked against the
FMEA table's leads-to column: "which failure mode does it end up causing" asks for modes even after "knock-on
effect", "the upstream mode that drives X" for the modes before X (not their causes), and "what mode is it
filed under, and what does that lead to" one step further down the chain."""

from __future__ import annotations

from fastapi.testclient import TestClient
from test_question_shapes import SAMPLES, _ask, _rows


def _fmea(item: str) -> list[dict[str, str]]:
    return [r for r in _rows(SAMPLES / "structured" / "fmea.csv") if r["item"] == item]


def _mode_names(body: dict) -> set[str]:  # type: ignore[type-arg]
    assert all(e["id"].startswith("FailureMode:") for e in body["answer_entities"]), body["answer_entities"]
    return {e["name"] for e in body["answer_entities"]}


def test_which_mode_it_ends_up_causing_is_a_mode_not_an_effect(qa_client: TestClient) -> None:
    rows = _fmea("LDS-P-101")
    wanted = {r["leads_to_failure_mode"] for r in rows if r["failure_mode"] == "Vibration"} - {""}
    body = _ask(
        qa_client, "knock-on effect of vibration on LDS-P-101 - which failure mode does it end up causing?"
    )
    assert wanted and _mode_names(body) == wanted


def test_the_upstream_mode_that_drives_an_outcome(qa_client: TestClient) -> None:
    rows = _fmea("LDS-HP-01-HPU")
    wanted = {r["failure_mode"] for r in rows if r["leads_to_failure_mode"] == "Internal leakage"}
    body = _ask(qa_client, "on the leeds press hpu whats the upstream mode that drives the internal leakage")
    assert body["tool"]["arguments"]["outcome"] == "yes" and body["tool"]["arguments"]["ask"] == "modes"
    assert wanted and _mode_names(body) == wanted


def test_the_mode_and_what_it_leads_to_when_both_are_asked(qa_client: TestClient) -> None:
    rows = _fmea("LDS-CMP-01")
    first = next(r for r in rows if "belt slip" in r["cause"].lower())
    wanted = {first["failure_mode"], first["leads_to_failure_mode"]}
    question = (
        "v-belt slip on the leeds compressor: what mode is it filed under in the fmea, and what does that"
    )
    question += " lead to?"
    body = _ask(qa_client, question)
    assert body["tool"]["arguments"]["then"] == "yes" and _mode_names(body) == wanted
    alone = _ask(qa_client, "what does v-belt slip on the leeds compressor lead to?")
    assert _mode_names(alone) == {first["failure_mode"]}  # no second step unless asked


def test_which_mode_a_cause_is_filed_under(qa_client: TestClient) -> None:
    rows = _fmea("LDS-P-101")
    wanted = {r["failure_mode"] for r in rows if "impeller erosion" in r["cause"].lower()}
    body = _ask(qa_client, "impeller erosion - which failure mode is that under")
    assert body["tool"]["arguments"]["cause_text"] == "impeller erosion"
    assert wanted and _mode_names(body) == wanted


def test_where_a_cause_ends_up_is_past_the_mode_it_is_filed_under(qa_client: TestClient) -> None:
    """ "What does it end up causing downstream": the slip is a cause of one mode; the answer is the mode
    that one leads to. A failure named as a mode ("the filter plugs up") is one step already."""
    rows = _fmea("LDS-CMP-01")
    first = next(r for r in rows if "belt slip" in r["cause"].lower())
    body = _ask(
        qa_client, "v-belt slip/squeal on the leeds air compressor, what does it end up causing downstream?"
    )
    assert body["tool"]["arguments"]["then"] == "downstream"
    assert _mode_names(body) == {first["leads_to_failure_mode"]} != {first["failure_mode"]}
    rows = _fmea("LDS-HP-01-HPU")
    plugged = next(r for r in rows if r["failure_mode"] == "Plugged / choked")
    question = "filter on the leeds press hpu plugs up - what does that end up causing further down the line?"
    assert _mode_names(_ask(qa_client, question)) == {plugged["leads_to_failure_mode"]}


def test_what_comes_before_a_failure_is_its_upstream_mode(qa_client: TestClient) -> None:
    rows = _fmea("LDS-P-101-M")
    wanted = {r["failure_mode"] for r in rows if r["leads_to_failure_mode"] == "Fail to start on demand"}
    body = _ask(
        qa_client,
        "coolant supply pump motor failing to start on demand - what failure mode usually comes before that",
    )
    assert body["tool"]["arguments"]["outcome"] == "yes"
    assert wanted and _mode_names(body) == wanted


def test_a_sub_assembly_placed_on_its_machine_is_the_asset_and_its_failure_named_otherwise(
    qa_client: TestClient,
) -> None:
    """ "The 7.5kw motor on the coolant supply pump keeps running hot": the motor is asked about (the pump
    only places it), and "running hot" is the ontology's other name for Overheating."""
    rows = _fmea("LDS-P-101-M")
    wanted = {r["leads_to_failure_mode"] for r in rows if r["failure_mode"] == "Overheating"} - {""}
    body = _ask(
        qa_client,
        "if the 7.5kw motor on the coolant supply pump keeps running hot, what failure does that lead to",
    )
    assert body["tool"]["arguments"]["asset"] == "Equipment:ldsp101m"
    assert wanted and _mode_names(body) == wanted
