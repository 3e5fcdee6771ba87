"""Questions the way analysts ask them, over the samples' tables and work orders (tests/qa/conftest.py):
conditions in the words (dates, open work, a site, a supplier to leave out), counts, rankings, documents,
listings and properties the graph does not hold. Expected values are computed from the sample CSVs here,
not copied from the service."""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from kg.core.keys import node_id
from kg.qa.constraints import document_kinds, read_constraints
from kg.tables.csv_table import normalise_header

SAMPLES = Path(__file__).resolve().parents[2] / "samples"


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def _bom_parts(keep: Callable[[dict[str, str]], bool]) -> set[str]:
    """The part ids of the samples' BOM lines that ``keep`` keeps."""
    return {
        node_id("Part", r["part_number"], is_code=True)
        for r in _rows(SAMPLES / "structured" / "bom.csv")
        if keep(r)
    }


def _orders() -> list[dict[str, str]]:
    return [r for p in sorted((SAMPLES / "documents" / "work_orders").glob("*.csv")) for r in _rows(p)]


def _iso(day: str) -> str:
    if "." in day:
        d, m, y = day.split(".")
        return date(int(y), int(m), int(d)).isoformat()
    return day[:10]


def _ask(client: TestClient, question: str) -> dict:  # type: ignore[type-arg]
    r = client.post("/ask", json={"question": question, "limit": 500})
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


def _orders_of(body: dict) -> set[str]:  # type: ignore[type-arg]
    return {f["subject"] for f in body["facts"] if f["predicate"] == "date"}


def test_a_year_in_the_question_narrows_the_history_and_links_nothing(qa_client: TestClient) -> None:
    body = _ask(qa_client, "work orders on OST-CMP-01 in 2024")
    assert body["tool"]["name"] == "failure_history"
    assert [e["id"] for e in body["entities"]] == ["Equipment:ostcmp01"]  # "2024" names no entity
    assert body["conditions"] == {"since": "2024-01-01", "until": "2024-12-31"}
    expected = {
        r["work_order"] for r in _orders() if r["asset"] == "OST-CMP-01" and _iso(r["date"])[:4] == "2024"
    }
    assert expected and _orders_of(body) == expected


def test_still_open_work_orders_are_those_not_closed(qa_client: TestClient) -> None:
    body = _ask(qa_client, "which work orders are still open?")
    closed = {"close", "closed", "comp"}
    expected = {r["work_order"] for r in _orders() if r["status"].strip().lower() not in closed}
    assert expected and _orders_of(body) == expected


def test_a_site_in_the_question_narrows_a_supplier_outage(qa_client: TestClient) -> None:
    everywhere = _ask(qa_client, "What does an outage of SKF hit?")
    ostrava = _ask(qa_client, "skf supply stop - which ostrava machines use skf parts?")
    assert ostrava["tool"]["name"] == "supplier_impact"
    assert ostrava["tool"]["arguments"]["site"] == "Site:plant beta – ostrava"
    at_site = {e["id"] for e in ostrava["answer_entities"]}
    assert at_site and at_site < {e["id"] for e in everywhere["answer_entities"]}
    assert all(i.startswith("Equipment:ost") for i in at_site)


def test_a_count_counts_what_the_same_question_lists(qa_client: TestClient) -> None:
    body = _ask(qa_client, "how many wo's against OST-CMP-01 in 2025?")
    assert body["tool"]["name"] == "counting" and body["tool"]["arguments"]["of"] == "failure_history"
    expected = [r for r in _orders() if r["asset"] == "OST-CMP-01" and _iso(r["date"])[:4] == "2025"]
    assert body["count"] == len(expected) > 0
    assert body["answer"].startswith(f"{len(expected)} work order")


def test_a_failure_mode_its_part_shares_by_name_is_counted_once(qa_client: TestClient) -> None:
    body = _ask(qa_client, "how many failure modes does LDS-P-101 have")
    fmea = _rows(SAMPLES / "structured" / "fmea.csv")
    own = {r["failure_mode"] for r in fmea if r["item"] == "LDS-P-101"}
    seal = {r["failure_mode"] for r in fmea if r["item"] == "JC-T2100-35"}  # a part of the pump
    assert own & seal  # the seal leaks as the pump does: "External leakage of process medium" in both
    names = [e["name"] for e in body["answer_entities"]]
    assert body["count"] == len(own | seal) == len(names) == len(set(names))


def test_counting_equipment_registered_at_a_site(qa_client: TestClient) -> None:
    body = _ask(qa_client, "how many pieces of eqpt registered at plant beta?")
    equipment = _rows(SAMPLES / "structured" / "equipment.csv")
    assert body["count"] == sum(1 for e in equipment if "Ostrava" in e["site"])


def test_the_asset_with_most_work_orders_ranks_first(qa_client: TestClient) -> None:
    body = _ask(qa_client, "which asset has the most work orders logged against it?")
    assert body["tool"]["name"] == "ranking"
    counts = Counter(r["asset"] for r in _orders())
    top = max(counts.values())
    leaders = {node_id("Equipment", a, is_code=True) for a, n in counts.items() if n == top}
    assert body["answer_entities"][0]["id"] in leaders


def test_the_highest_rpn_failure_mode_ranks_first(qa_client: TestClient) -> None:
    body = _ask(qa_client, "highest rpn failure mode in the fmea?")
    fmea = _rows(SAMPLES / "structured" / "fmea.csv")
    best = max(int(r["rpn"]) for r in fmea)
    top_modes = {r["failure_mode"].lower() for r in fmea if int(r["rpn"]) == best}
    assert (body["answer_entities"][0]["name"] or "").lower() in top_modes
    assert f"RPN {best}" in body["answer"]


def test_documents_that_mention_an_entity(qa_client: TestClient) -> None:
    body = _ask(qa_client, "which documents mention OST-CMP-01?")
    assert body["tool"]["name"] == "documents"
    names = {e["name"] for e in body["answer_entities"]}
    assert {"ostrava_work_orders_2024.csv", "equipment.csv"} <= names
    assert all(e["labels"] == ["Document"] for e in body["answer_entities"])


def test_a_kind_of_document_the_graph_lacks_is_said_plainly(qa_client: TestClient) -> None:
    body = _ask(qa_client, "any 8D reports on file?")
    assert body["tool"]["name"] == "documents" and body["status"] == "no_results"
    assert "No 8d documents" in body["answer"] and body["answer_entities"] == []


@pytest.mark.parametrize(
    ("question", "prop"),
    [
        ("what is the unit price of the 6205-2RSH?", "price"),
        ("MTBF of OST-P-201-M?", "MTBF"),
        ("timken europe phone number?", "phone number"),
    ],
)
def test_a_property_the_graph_lacks_is_declined_with_what_it_holds(
    qa_client: TestClient, question: str, prop: str
) -> None:
    body = _ask(qa_client, question)
    assert body["status"] == "not_in_graph" and body["tool"]["name"] == "decline"
    assert body["answer_entities"] == [] and body["conditions"]["not_in_graph"] == prop
    assert f"but not its {prop}" in body["answer"]  # says what it does hold about the named thing


def test_a_supplier_to_leave_out_is_left_out(qa_client: TestClient) -> None:
    body = _ask(qa_client, "other source than SKF for 22210 E?")
    assert body["tool"]["name"] == "alternatives"
    got = {e["id"] for e in body["answer_entities"]}
    assert "Supplier:eriks" in got and not any("skf" in i for i in got)
    plain = _ask(qa_client, "interchangeable part for THK HSR25A?")  # THK names the part: nothing excluded
    assert "exclude" not in plain["tool"]["arguments"]


def test_reading_conditions_from_words() -> None:
    c = read_constraints("PO NW-PO-24-0388 from 2025-03-01 to 2025-06-30?")
    assert (c.since, c.until) == (date(2025, 3, 1), date(2025, 6, 30))  # "24" inside the code is no year
    assert read_constraints("orders before march 2025").until == date(2025, 2, 28)
    bad = read_constraints("work orders since 2024-13-45")  # no such day: no condition, no crash
    assert (bad.since, bad.until, bad.spans) == (None, None, [])
    assert read_constraints("backlog of wos").open_only and not read_constraints("open the valve").open_only
    assert document_kinds("trelleborg_certificate_of_conformity_OR-FKM75.txt") == ("certificate",)
    assert document_kinds(normalise_header("purchase order")) == ("purchase_order",)


def test_each_bom_line_keeps_its_own_supplier(qa_client: TestClient) -> None:
    """HD-0160D010BN4HC is bought from HYDAC Technology for the Leeds HPU and from HYDAC International for
    the Ostrava one: an outage of one hits its own line's equipment, and each site has one source."""
    bom = _rows(SAMPLES / "structured" / "bom.csv")
    lines = [r for r in bom if r["part_number"] == "HD-0160D010BN4HC"]
    by_supplier = {r["supplier"]: r["equipment_tag"] for r in lines}
    assert len(by_supplier) == 2  # the sample's premise
    for supplier, tag in by_supplier.items():
        body = _ask(qa_client, f"what does an outage of {supplier} hit?")
        assert {e["id"] for e in body["answer_entities"]} >= {node_id("Equipment", tag, is_code=True)}
        assert not {e["id"] for e in body["answer_entities"]} & {
            node_id("Equipment", t, is_code=True) for t in by_supplier.values() if t != tag
        }
    leeds = _ask(qa_client, "who can we buy HD-0160D010BN4HC from in leeds?")
    assert leeds["tool"]["arguments"]["site"] == "Site:plant alpha – leeds"
    assert [e["name"] for e in leeds["answer_entities"]] == [
        next(s for s, t in by_supplier.items() if t.startswith("LDS"))
    ]


def test_a_site_the_graph_does_not_hold_is_said_not_answered_for_every_site(qa_client: TestClient) -> None:
    body = _ask(qa_client, "which equipment at plant gamma uses skf parts?")
    assert body["status"] == "unknown_entity" and body["answer_entities"] == []
    sites = {e["site"] for e in _rows(SAMPLES / "structured" / "equipment.csv")}
    assert "'plant gamma' is not a site" in body["answer"] and all(s in body["answer"] for s in sites)
    known = _ask(qa_client, "which site has the most concentrated supplier base?")  # "site has": no place
    assert known["status"] == "answered"


def test_rankings_rank_what_the_question_asks_for(qa_client: TestClient) -> None:
    fmea = _rows(SAMPLES / "structured" / "fmea.csv")
    bom = _rows(SAMPLES / "structured" / "bom.csv")
    modes: dict[str, set[tuple[str, str]]] = {}
    for e in _rows(SAMPLES / "structured" / "equipment.csv"):
        own = {e["tag"]} | {r["part_number"] for r in bom if r["equipment_tag"] == e["tag"]}
        modes[e["tag"]] = {(r["item"], r["failure_mode"]) for r in fmea if r["item"] in own}
    top = max(len(v) for v in modes.values())
    body = _ask(qa_client, "which equipment has the most failure modes?")
    assert body["answer_entities"][0]["id"] in {
        node_id("Equipment", t, is_code=True) for t, v in modes.items() if len(v) == top
    }
    parts = {r["part_number"] for r in bom}
    rated = [r for r in fmea if r["item"] in parts]
    body = _ask(qa_client, "which part has the highest rpn?")  # a part, not a failure mode
    best = max(int(r["rpn"]) for r in rated)
    assert body["answer_entities"][0]["id"] in {
        node_id("Part", r["item"], is_code=True) for r in rated if int(r["rpn"]) == best
    }


def test_one_document_asked_for_is_thebest_described_and_a_list_stays_whole() -> None:
    from kg.qa.question import ONE_DOCUMENT
    from kg.qa.tools.documents import best_described

    docs = [
        {"file_name": "parker_hannifin_force_majeure_2025-03.pdf", "title": None},
        {"file_name": "skf_qualification_letter.md", "title": "Supplier qualification"},
        {"file_name": "8D-2024-017_coolant_pump_seal_leak.md", "title": "8D report: coolant pump seal leak"},
    ]
    assert [d["file_name"] for d in best_described(docs, "force majeure letter")] == [docs[0]["file_name"]]
    assert best_described(docs, "coolant pump seal leakage")[0] is docs[2]  # shorthand and word forms
    assert best_described(docs, "gearbox oil") == docs  # nothing described: nothing dropped
    assert ONE_DOCUMENT.search("where is the force majeure letter?")
    assert ONE_DOCUMENT.search("which report covers the sept 2025 oil leak")
    assert not ONE_DOCUMENT.search("list the supplier notices and certificates")


def test_roll_up_is_asked_for_not_assumed() -> None:
    from kg.qa.tools.base import asks_rollup

    assert asks_rollup("counting motors and gearboxes under their parent machine, which has most wos")
    assert asks_rollup("full parts list for lds-cnc-01 including the spindle unit")
    assert not asks_rollup("which tag has the most wos logged against it (no roll-up of sub-assemblies)")
    assert not asks_rollup("work orders of the pump, without rolling up the motor")


@pytest.mark.parametrize(
    ("supplier", "said"), [("Pirtek Leeds", "pirtek"), ("Gates Industrial Europe", None)]
)
def test_asking_about_a_supplier_names_the_equipment_its_items_are_on(
    qa_client: TestClient, supplier: str, said: str | None
) -> None:
    """ "Tell me about X": besides its direct links, where X's items are fitted (its BOM lines' equipment)."""
    bom = _rows(SAMPLES / "structured" / "bom.csv")
    tags = {r["equipment_tag"] for r in bom if r["supplier"] == supplier}
    assert tags  # the sample's premise
    body = _ask(qa_client, f"tell me about {said or supplier.lower()}")
    assert body["tool"]["name"] == "entity_detail"
    got = {e["id"] for e in body["answer_entities"]}
    assert {node_id("Equipment", t, is_code=True) for t in tags} <= got
    assert any(f["predicate"] == "HAS_PART" for f in body["facts"])


@pytest.mark.parametrize(
    ("question", "kind", "site"),
    [
        ("how many pumps are at plant alpha", "Pump", "Plant Alpha – Leeds"),
        ("how many motors do we have", "Electric motor", None),
        ("which presses do we have", "Press", None),
        ("list the compressors at ostrava", "Compressor", "Plant Beta – Ostrava"),
        ("how many gearboxes are installed at leeds", "Gearbox", "Plant Alpha – Leeds"),
    ],
)
def test_a_kind_of_equipment_in_a_listing_is_a_type_filter_from_the_register(
    qa_client: TestClient, question: str, kind: str, site: str | None
) -> None:
    """A kind word ("pumps") in a listing filters the register by equipment class: it is no entity."""
    register = _rows(SAMPLES / "structured" / "equipment.csv")
    expected = {
        node_id("Equipment", r["tag"], is_code=True)
        for r in register
        if r["equipment_class"] == kind and (site is None or r["site"] == site)
    }
    body = _ask(qa_client, question)
    inner = body["tool"]["arguments"].get("of", body["tool"]["name"])
    assert inner == "entities", body["tool"]
    assert expected and {e["id"] for e in body["answer_entities"]} == expected
    if body["tool"]["name"] == "counting":
        assert body["count"] == len(expected)


def test_plurals_in_answers() -> None:
    from kg.qa.tools.base import plural
    from kg.qa.tools.shapes import of_kind

    assert [plural(1, "press"), plural(2, "press"), plural(3, "piece of equipment")] == [
        "1 press",
        "2 presses",
        "3 pieces of equipment",
    ]
    assert of_kind("Coolant supply pump motor 7.5 kW", None, "motor")  # no register class: the name's head
    assert not of_kind("Coolant supply pump motor 7.5 kW", None, "pump")
    assert of_kind("Circulation pump motor 15 kW", "Electric motor", "motor")


@pytest.mark.parametrize(
    ("question", "site", "tool", "slot"),
    [
        ("failure chains for the ostrava press", "Plant Beta – Ostrava", "failure_chains", "asset"),
        ("what is single sourced on the leeds press", "Plant Alpha – Leeds", "single_source", "equipment"),
    ],
)
def test_a_described_machine_is_the_one_whose_name_ends_in_the_word(
    qa_client: TestClient, question: str, site: str, tool: str, slot: str
) -> None:
    """Three names at the site hold "press" (the press, its power unit, the press line's conveyor): "the
    press" is the one whose name's head noun is press."""
    register = _rows(SAMPLES / "structured" / "equipment.csv")
    at_site = [r for r in register if r["site"] == site]
    assert len([r for r in at_site if "press" in r["name"].lower()]) > 1
    (press,) = [r for r in at_site if r["equipment_class"] == "Press"]
    body = _ask(qa_client, question)
    assert body["tool"]["name"] == tool
    assert body["tool"]["arguments"][slot] == node_id("Equipment", press["tag"], is_code=True)


def test_a_noun_phrase_ends_before_a_function_word_not_before_another_noun() -> None:
    from kg.qa.linking.descriptions import ends_noun

    q = "top rpn in the ostrava press line fmea"
    assert not ends_noun(q, q.index("press") + len("press"))  # "press line": a compound
    q = "the 250t press in ostrava"
    assert ends_noun(q, q.index("press") + len("press")) and ends_noun(q, len(q))


@pytest.mark.parametrize(
    ("question", "tool", "slot", "entity"),
    [
        ("what if skf shuts down", "supplier_impact", "supplier", node_id("Supplier", "skf")),
        ("parker force majeure - what is affected", "supplier_impact", "supplier", None),
        ("gates insolvency impact", "supplier_impact", "supplier", None),
        # the same words about a machine: its failure chains, not the nearest tool that takes any entity
        ("what happens if ost-cmp-01 goes down", "failure_chains", "asset", "Equipment:ostcmp01"),
    ],
)
def test_outage_words_route_a_supplier_to_its_impact_and_a_machine_to_its_failure_chains(
    qa_client: TestClient, question: str, tool: str, slot: str, entity: str | None
) -> None:
    body = _ask(qa_client, question)
    assert body["status"] == "answered" and body["tool"]["name"] == tool
    if entity is not None:
        assert body["tool"]["arguments"][slot] == entity
    else:
        assert body["tool"]["arguments"][slot].startswith("Supplier:")


def test_what_a_machine_contains_is_its_bom(qa_client: TestClient) -> None:
    body = _ask(qa_client, "what does LDS-HP-01-HPU contain")
    assert body["tool"]["name"] == "bom" and body["tool"]["arguments"]["equipment"] == "Equipment:ldshp01hpu"
    bom = {
        r["part_number"]
        for r in _rows(SAMPLES / "structured" / "bom.csv")
        if r["equipment_tag"] == "LDS-HP-01-HPU"
    }
    assert {node_id("Part", pn, is_code=True) for pn in bom} <= {e["id"] for e in body["answer_entities"]}


def test_tags_with_a_suppliers_line_on_their_bom_are_its_outage_impact(qa_client: TestClient) -> None:
    body = _ask(qa_client, "list every tag that has an SKF line on its bom")
    assert body["tool"]["name"] == "supplier_impact"
    assert body["tool"]["arguments"]["supplier"] == node_id("Supplier", "skf")


def test_what_failed_in_a_year_is_the_work_order_history_not_the_fmea(qa_client: TestClient) -> None:
    body = _ask(qa_client, "what failed on lds-cmp-01 in 2025")
    assert body["tool"]["name"] == "failure_history"
    assert body["conditions"] == {"since": "2025-01-01", "until": "2025-12-31"}
    expected = {
        r["work_order"] for r in _orders() if r["asset"] == "LDS-CMP-01" and _iso(r["date"])[:4] == "2025"
    }
    assert expected and expected <= _orders_of(body)


@pytest.mark.parametrize(
    ("question", "measure", "target"),
    [
        ("top 5 parts by number of work orders", "work_orders", "items"),  # "number of": a ranking here
        ("rank the failure modes at ostrava by severity", "severity", "modes"),
        ("which asset broke down most in 2024", "work_orders", "equipment"),
    ],
)
def test_rankings_in_other_words(qa_client: TestClient, question: str, measure: str, target: str) -> None:
    body = _ask(qa_client, question)
    assert body["tool"]["name"] == "ranking"
    assert body["tool"]["arguments"]["measure"] == measure and body["tool"]["arguments"]["target"] == target


def test_which_asset_broke_down_most_in_a_year_counts_that_years_work_orders(qa_client: TestClient) -> None:
    body = _ask(qa_client, "which asset broke down most in 2024")
    per_asset = Counter(r["asset"] for r in _orders() if _iso(r["date"])[:4] == "2024")
    top = max(per_asset.values())
    first = body["answer_entities"][0]["id"]
    assert first in {node_id("Equipment", a, is_code=True) for a, n in per_asset.items() if n == top}


@pytest.mark.parametrize(
    ("question", "prop"),
    [
        ("how old is the leeds compressor", "age"),
        ("what is the operating temperature of the ost-p-201 pump", "operating limits"),
        ("how heavy is the OST-P-201 pump", "weight"),
        ("MOQ for the 6205-2RSH", "minimum order quantity"),
        ("serial no. of LDS-CMP-01", "serial number"),
        ("what was the downtime of LDS-CMP-01 last year", "downtime"),
        ("timken europe website", "website"),
    ],
)
def test_properties_the_graph_lacks_are_declined_without_other_caveats(
    qa_client: TestClient, question: str, prop: str
) -> None:
    body = _ask(qa_client, question)
    assert body["status"] == "not_in_graph" and body["tool"]["arguments"]["property"] == prop
    assert not body["answer_entities"] and "Not narrowed" not in body["answer"]


def test_a_part_number_without_its_option_suffix_links_the_one_part_it_starts(qa_client: TestClient) -> None:
    bom = _rows(SAMPLES / "structured" / "bom.csv")
    full = {r["part_number"] for r in bom if r["part_number"].startswith("HD-0160")}
    assert len(full) == 1  # "HD-0160" starts exactly one catalogue number
    body = _ask(qa_client, "what uses the hd-0160 filter")
    assert body["tool"]["name"] == "where_used"
    assert body["tool"]["arguments"]["item"] == node_id("Part", full.pop(), is_code=True)


def test_whats_on_a_machine_is_its_bom_and_a_site_that_picked_the_machine_narrowed_it(
    qa_client: TestClient,
) -> None:
    body = _ask(qa_client, "what's on the ost-hp-02-hpu")
    assert body["tool"]["name"] == "bom" and body["tool"]["arguments"]["equipment"] == "Equipment:osthp02hpu"
    body = _ask(qa_client, "tell me about the hydraulic press at leeds")
    assert body["tool"]["arguments"]["entity"] == "Equipment:ldshp01"
    assert "Not narrowed by site" not in body["answer"]  # the site chose the press: nothing left to narrow


def test_what_causes_an_outcome_answers_its_origins_not_its_consequences(qa_client: TestClient) -> None:
    fmea = _rows(SAMPLES / "structured" / "fmea.csv")
    body = _ask(qa_client, "what causes low output on lds-p-101")
    assert body["tool"]["name"] == "failure_chains" and body["tool"]["arguments"]["outcome"] == "yes"
    causes = {r["cause"] for r in fmea if r["item"] == "LDS-P-101" and r["failure_mode"] == "Low output"}
    assert causes and {e["name"] for e in body["answer_entities"]} == causes
    body = _ask(qa_client, "which failure modes lead to coolant loss")
    modes = {r["failure_mode"] for r in fmea if "coolant loss" in r["effect"].lower()}
    assert modes and {e["name"] for e in body["answer_entities"]} == modes
    body = _ask(qa_client, "vibration leads to what failure mode on lds-p-101")  # the other way round
    assert "outcome" not in body["tool"]["arguments"]


@pytest.mark.parametrize(
    "question", ["parts supplied by more than one supplier", "which items have two suppliers"]
)
def test_items_with_a_second_source_are_the_other_side_of_single_source(
    qa_client: TestClient, question: str
) -> None:
    from kg.evaluation.qa import org_key  # "Atlas Copco" and "Atlas Copco Compressors UK Ltd": one account

    suppliers: dict[str, set[str]] = {}
    for r in _rows(SAMPLES / "structured" / "bom.csv"):
        suppliers.setdefault(r["part_number"], set()).add(org_key(r["supplier"]))
    many = {node_id("Part", pn, is_code=True) for pn, s in suppliers.items() if len(s) > 1}
    body = _ask(qa_client, question)
    assert body["tool"]["name"] == "single_source" and body["tool"]["arguments"]["sources"] == "many"
    assert many and {e["id"] for e in body["answer_entities"]} == many


def test_what_a_supplier_supplies_to_a_site_and_the_suppliers_we_use_there(qa_client: TestClient) -> None:
    body = _ask(qa_client, "what does skf supply to ostrava")
    assert body["tool"]["name"] == "supplier_impact"
    assert body["tool"]["arguments"]["answer"] == "items" and "site" in body["tool"]["arguments"]
    body = _ask(qa_client, "which suppliers do we use at leeds")
    assert body["tool"]["name"] == "entities" and body["tool"]["arguments"]["of_class"] == "Supplier"
    assert body["tool"]["arguments"]["site"] == "Site:plant alpha – leeds"


def test_documents_at_a_site_are_those_naming_it_or_its_equipment(qa_client: TestClient) -> None:
    body = _ask(qa_client, "which documents do we have for ostrava")
    assert body["tool"]["name"] == "documents" and "Not narrowed by site" not in body["answer"]
    names = {e["name"] for e in body["answer_entities"]}
    assert {"ostrava_work_orders_2024.csv", "ostrava_work_orders_2025.csv"} <= names
    assert "leeds_work_orders_2024-2026.csv" not in names  # Leeds' work orders name no Ostrava asset


def test_documents_on_a_described_subject_are_the_best_described_not_all() -> None:
    from kg.qa.tools.documents import best_described

    docs = [
        {"file_name": "NCR-2025-019_compressor_belt_OST-CMP-01.txt", "title": None},
        {"file_name": "gates_datasheet_SPA_belts.html", "title": "SPA belts"},
        {"file_name": "coolant_pump_manual.md", "title": "Coolant pump"},
    ]
    assert [d["file_name"] for d in best_described(docs, "compressor belt failure")] == [docs[0]["file_name"]]


def test_not_single_sourced_is_the_second_source_list(qa_client: TestClient) -> None:
    body = _ask(qa_client, "skf parts at ostrava not single sourced")
    assert body["tool"]["name"] == "single_source" and body["tool"]["arguments"]["sources"] == "many"


@pytest.mark.parametrize(
    "question", ["where is the 6205-2rsh mentioned", "what did timken send us", "any pcn from schaeffler"]
)
def test_documents_asked_in_other_words(qa_client: TestClient, question: str) -> None:
    body = _ask(qa_client, question)
    assert body["tool"]["name"] == "documents"
    assert body["tool"]["arguments"].get("entity")  # about the named part or supplier


def test_which_kind_of_part_is_on_a_machine_is_its_bom_narrowed_to_that_kind(qa_client: TestClient) -> None:
    body = _ask(qa_client, "what seals are on lds-p-101")
    assert body["tool"]["name"] == "bom" and body["tool"]["arguments"]["about"] == "seals"
    seals = {
        node_id("Part", r["part_number"], is_code=True)
        for r in _rows(SAMPLES / "structured" / "bom.csv")
        if r["equipment_tag"] == "LDS-P-101" and "seal" in r["part_name"].lower()
    }
    assert seals and seals <= {e["id"] for e in body["answer_entities"]}


@pytest.mark.parametrize(
    "question",
    ["what brgs and seals are on lds-p-101", "which bearings, seals and o-rings does lds-p-101 have"],
)
def test_several_kinds_of_part_on_a_machine_are_its_bom(qa_client: TestClient, question: str) -> None:
    body = _ask(qa_client, question)
    assert body["tool"]["name"] == "bom", body["answer"]
    wanted = _bom_parts(
        lambda r: (
            r["equipment_tag"] == "LDS-P-101"
            and any(k in r["part_name"].lower() for k in ("seal", "bearing"))
        )
    )
    assert wanted and wanted <= {e["id"] for e in body["answer_entities"]}
    names = [
        e["name"].lower() for e in body["answer_entities"]
    ]  # narrowed to the kinds asked (sub-assemblies' too)
    assert all(any(k in n for k in ("bearing", "seal", "o-ring")) for n in names), names


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("how many supplers does LDS-HP-01-HPU depend on", "how many suppliers does LDS-HP-01-HPU depend on"),
        ("which eqiupment has the 6205-2RSH", "which equipment has the 6205-2RSH"),
    ],
)
def test_a_typo_in_the_words_that_ask_routes_as_the_word_meant(
    qa_client: TestClient, typed: str, meant: str
) -> None:
    got, want = _ask(qa_client, typed), _ask(qa_client, meant)
    assert got["tool"] == want["tool"] and got["count"] == want["count"]
    assert sorted(e["id"] for e in got["answer_entities"]) == sorted(e["id"] for e in want["answer_entities"])
    assert want["answer_entities"]
    bom = _rows(SAMPLES / "structured" / "bom.csv")
    if "supplier" in meant:
        assert got["count"] == len({r["supplier"] for r in bom if r["equipment_tag"] == "LDS-HP-01-HPU"}), (
            got["answer"]
        )


def test_the_suppliers_of_a_machines_parts_are_those_its_own_bom_lines_name(qa_client: TestClient) -> None:
    """HD-0160D010BN4HC is bought from one HYDAC company for each site's power unit: the Ostrava unit's
    suppliers are its own lines' suppliers, not every supplier of the parts it shares with Leeds."""
    bom = _rows(SAMPLES / "structured" / "bom.csv")
    own = {r["supplier"] for r in bom if r["equipment_tag"] == "OST-HP-02-HPU"}
    others = {r["supplier"] for r in bom if r["equipment_tag"] != "OST-HP-02-HPU"} - own
    body = _ask(qa_client, "vendors for the parts in OST-HP-02-HPU")
    names = {e["name"] for e in body["answer_entities"]}
    assert names and not names & others


def test_a_parts_list_holds_the_parts_of_sub_assemblies_not_the_sub_assemblies(qa_client: TestClient) -> None:
    """LDS-CNC-01's spindle unit is registered under it (equipment.csv parent_tag): asked for parts, the
    answer is the machine's and the spindle unit's parts; asked for the BOM, the spindle unit is a line."""
    equipment = _rows(SAMPLES / "structured" / "equipment.csv")
    children = {e["tag"] for e in equipment if e["parent_tag"] == "LDS-CNC-01"}
    bom = _rows(SAMPLES / "structured" / "bom.csv")
    parts = {r["part_number"] for r in bom if r["equipment_tag"] in {"LDS-CNC-01", *children}}
    assert children and parts
    body = _ask(qa_client, "full parts list for LDS-CNC-01 including the spindle unit")
    assert {e.get("labels", [None])[0] for e in body["answer_entities"]} == {"Part"}
    assert len(body["answer_entities"]) == len(parts)
    bill = _ask(qa_client, "show the bill of materials of LDS-CNC-01")
    assert {node_id("Equipment", t, is_code=True) for t in children} <= {
        e["id"] for e in bill["answer_entities"]
    }


@pytest.mark.parametrize(
    ("question", "arguments"),
    [
        ("how does the leeds compressor typically fail", {"asset": "Equipment:ldscmp01"}),
        (
            "LDS-P-101 leaks at the seal - what are the causes",
            {"asset": "Equipment:ldsp101", "outcome": "yes"},
        ),
        (
            "what is the root cause of low output on LDS-CMP-01",
            {"asset": "Equipment:ldscmp01", "outcome": "yes"},
        ),
        ("p-101 vibration leads to what failure mode", {"asset": "Equipment:ldsp101"}),
    ],
)
def test_failure_chain_questions_name_their_machine_and_which_way_they_ask(
    qa_client: TestClient, question: str, arguments: dict[str, str]
) -> None:
    body = _ask(qa_client, question)
    assert body["tool"]["name"] == "failure_chains"
    args = body["tool"]["arguments"]
    assert {k: args.get(k) for k in arguments} == arguments
    assert "outcome" in arguments or "outcome" not in args


@pytest.mark.parametrize(
    ("question", "item"),
    [
        ("is there a second source for the KTR spider", "KTR-R28-92A"),
        ("hiwin equivalent of the thk guide block", "THK-HSR25A"),
    ],
)
def test_a_part_named_by_its_organisation_and_what_it_is(
    qa_client: TestClient, question: str, item: str
) -> None:
    bom = _rows(SAMPLES / "structured" / "bom.csv")
    assert any(r["part_number"] == item for r in bom)
    body = _ask(qa_client, question)
    assert body["tool"]["name"] == "alternatives"
    assert body["tool"]["arguments"]["item"] == node_id("Part", item, is_code=True)
    alternatives = {r["alternative_part_number"] for r in bom if r["part_number"] == item} - {""}
    assert {e["id"] for e in body["answer_entities"]} == {
        node_id("Part", a, is_code=True) for a in alternatives
    }


def test_an_organisation_with_several_such_items_stays_the_organisation(qa_client: TestClient) -> None:
    bom = _rows(SAMPLES / "structured" / "bom.csv")
    assert sum("bearing" in r["part_name"].lower() for r in bom if r["supplier"].startswith("SKF")) > 1
    body = _ask(qa_client, "who supplies the skf bearing on LDS-P-101-M")
    assert body["tool"]["arguments"]["item"] == node_id("Equipment", "LDS-P-101-M", is_code=True)


def test_a_kind_of_work_order_the_rows_do_not_record_does_not_empty_the_count(qa_client: TestClient) -> None:
    body = _ask(qa_client, "how many corrective wos on OST-CMP-01 since june 2025")
    expected = [r for r in _orders() if r["asset"] == "OST-CMP-01" and _iso(r["date"]) >= "2025-06-01"]
    assert body["tool"]["arguments"]["of"] == "failure_history"
    assert body["count"] == len(expected) > 0  # "corrective" says what kind; the rows do not say it


def test_replacements_on_an_asset_are_its_work_orders(qa_client: TestClient) -> None:
    body = _ask(qa_client, "belt replacements on OST-CMP-01")
    assert body["tool"]["name"] == "failure_history"
    assert _orders_of(body) <= {r["work_order"] for r in _orders() if r["asset"] == "OST-CMP-01"}


def test_a_ranking_of_pumps_by_work_orders_holds_only_pumps(qa_client: TestClient) -> None:
    body = _ask(qa_client, "which pump fails most often")
    assert body["tool"]["name"] == "ranking" and body["tool"]["arguments"]["kind"] == "pump"
    register = _rows(SAMPLES / "structured" / "equipment.csv")
    pumps = {r["tag"] for r in register if r["equipment_class"].lower() == "pump"}  # not the pump motors
    counts = Counter(node_id("Equipment", r["asset"], is_code=True) for r in _orders() if r["asset"] in pumps)
    ranked = [e["id"] for e in body["answer_entities"]]
    assert pumps and ranked == sorted(counts, key=lambda k: (-counts[k], k))


def test_a_rating_bound_keeps_the_failure_modes_past_it(qa_client: TestClient) -> None:
    body = _ask(qa_client, "how many failure modes have an rpn over 100")
    assert body["tool"]["arguments"]["bound"] == "rpn>100"
    fmea = _rows(SAMPLES / "structured" / "fmea.csv")
    over = {r["failure_mode"] for r in fmea if int(r["rpn"]) > 100}
    assert over and body["count"] == len(over)
    assert "with rpn over 100" in body["answer"]


def test_how_often_something_happened_to_an_asset_counts_its_work_orders_saying_so(
    qa_client: TestClient,
) -> None:
    body = _ask(qa_client, "how many times has the OST-HP-02 hose burst")
    assert (
        body["tool"]["arguments"]["of"] == "failure_history" and "burst" in body["tool"]["arguments"]["about"]
    )
    expected = [
        r for r in _orders() if r["asset"].startswith("OST-HP-02") and "burst" in r["description"].lower()
    ]
    assert expected and body["count"] == len(expected)  # written against its power unit: a sub-assembly


@pytest.mark.parametrize(
    "question", ["show me the suppliers", "who are our suppliers", "give me all our suppliers"]
)
def test_a_request_for_the_suppliers_lists_the_suppliers(qa_client: TestClient, question: str) -> None:
    body, listed = _ask(qa_client, question), _ask(qa_client, "list the suppliers")
    assert body["tool"]["name"] == listed["tool"]["name"] == "entities"
    assert body["tool"]["arguments"] == listed["tool"]["arguments"] == {"of_class": "Supplier"}
    assert {e["id"] for e in body["answer_entities"]} == {e["id"] for e in listed["answer_entities"]}
    assert len(body["answer_entities"]) >= 15  # the BOM's suppliers, aliases merged


@pytest.mark.parametrize("question", ["list everything supplied by eriks", "everything we get from eriks"])
def test_what_a_supplier_supplies_in_the_passive_is_its_parts(qa_client: TestClient, question: str) -> None:
    body = _ask(qa_client, question)
    assert body["tool"]["name"] == "supplier_impact", body["answer"]
    assert {e["id"] for e in body["answer_entities"]} == _bom_parts(lambda r: r["supplier"] == "ERIKS")


def test_the_most_common_failures_of_a_kind_of_equipment_are_its_work_orders_failures(
    qa_client: TestClient,
) -> None:
    body = _ask(qa_client, "what are the most frequent problems with the pumps")
    assert body["tool"]["name"] == "failure_history" and body["tool"]["arguments"]["kind"] == "pump"
    pumps = {
        r["tag"] for r in _rows(SAMPLES / "structured" / "equipment.csv") if r["equipment_class"] == "Pump"
    }
    rows = [r for r in _orders() if r["asset"] in pumps]
    assert rows and body["answer"].startswith(f"{len(rows)} work orders concern the pumps"), body["answer"]
    assert "which" not in body["answer"]  # no choice among the pumps is asked for


def test_the_failures_of_work_orders_are_told_the_most_frequent_first() -> None:
    from kg.graph.results import EntityRef
    from kg.qa.tools.work_orders import _by_frequency

    leak, weep, worn = (
        EntityRef(id=f"FailureMode:{n}", name=n, labels=["FailureMode"]) for n in ("leak", "weep", "worn")
    )
    modes = {m.id: m for m in (weep, leak, worn)}
    assert _by_frequency(modes, Counter({leak.id: 4, weep.id: 2, worn.id: 1})) == (
        "leak (4 work orders), weep (2 work orders), worn"
    )
    assert _by_frequency(modes, Counter(dict.fromkeys(modes, 1))) == "weep, leak, worn"  # as recorded


@pytest.mark.parametrize(
    ("question", "tag"), [("where is LDS-CNC-01 located", "LDS-CNC-01"), ("where is OST-HP-02", "OST-HP-02")]
)
def test_where_a_machine_no_other_contains_is_is_its_site(
    qa_client: TestClient, question: str, tag: str
) -> None:
    body = _ask(qa_client, question)
    site = next(r["site"] for r in _rows(SAMPLES / "structured" / "equipment.csv") if r["tag"] == tag)
    assert body["status"] == "answered" and [e["name"] for e in body["answer_entities"]] == [site], body[
        "answer"
    ]


def test_which_parts_are_made_of_a_material_are_the_boms_parts_of_it(qa_client: TestClient) -> None:
    body = _ask(qa_client, "which parts are made of FKM (Viton)")
    assert body["tool"]["name"] == "materials", body["answer"]
    assert {e["id"] for e in body["answer_entities"]} == _bom_parts(lambda r: r["material"] == "FKM (Viton)")


@pytest.mark.parametrize(
    ("question", "tag", "kind"),
    [
        ("what material is the impeller of OST-P-201 made of", "OST-P-201", "impeller"),
        ("what is the hose on OST-HP-02-HPU made of", "OST-HP-02-HPU", "hose"),
    ],
)
def test_what_a_machines_part_is_made_of_is_its_bom_lines_material(
    qa_client: TestClient, question: str, tag: str, kind: str
) -> None:
    body = _ask(qa_client, question)
    assert body["tool"]["name"] == "materials", body["answer"]
    rows = [
        r
        for r in _rows(SAMPLES / "structured" / "bom.csv")
        if r["equipment_tag"] == tag and kind in r["part_name"].lower()
    ]
    assert rows and {e["name"] for e in body["answer_entities"]} == {r["material"] for r in rows}
    assert all(f"is made of {r['material']}" in body["answer"] for r in rows)
