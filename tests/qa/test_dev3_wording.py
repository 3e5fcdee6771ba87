"""Questions in the third pair of dev authors' wording (samples/qa/DEV3.md), on the samples' real graph and
checked against its tables: a machine named by site and shorthand inside a run of other words ("ostrava
press hpu - all wo's"), single-source asked as "hang on one supplier only" or "only get from one place", and
a negated alternative ("has no alt pn") as a condition on single-sourced parts, not a request for one."""

from __future__ import annotations

from fastapi.testclient import TestClient
from test_question_shapes import SAMPLES, _ask, _orders_of, _rows

from kg.core.keys import node_id
from kg.graph.knowledge_graph import KnowledgeGraph
from kg.graph.results import EntityRef
from kg.qa.linking.descriptions import only_qualifies
from kg.qa.tools.documents import logs_recording

HPU = "OST-HP-02-HPU"


def _bom(tag: str) -> list[dict[str, str]]:
    return [r for r in _rows(SAMPLES / "structured" / "bom.csv") if r["equipment_tag"] == tag]


def _single_sourced(tag: str) -> set[str]:
    lines = _bom(tag)
    return {
        node_id("Part", pn, is_code=True)
        for pn in {r["part_number"] for r in lines}
        if len({r["supplier"] for r in lines if r["part_number"] == pn}) == 1
    }


def test_a_machine_described_by_site_and_shorthand_inside_other_words(qa_client: TestClient) -> None:
    body = _ask(qa_client, "ostrava press hpu - all wo's raised against it in 2025?")
    assert body["tool"]["name"] == "failure_history"
    assert body["tool"]["arguments"]["asset"] == node_id("Equipment", HPU, is_code=True)
    assert [e["mention"] for e in body["entities"]] == ["press hpu"]  # "- all wo's" stays out of the name
    assert _orders_of(body)


def test_hanging_on_one_supplier_is_single_source(qa_client: TestClient) -> None:
    body = _ask(qa_client, "on the ostrava press hpu which bits hang on one supplier only")
    assert body["tool"]["name"] == "single_source"
    assert {e["id"] for e in body["answer_entities"]} == _single_sourced(HPU)


def test_no_alt_pn_is_a_condition_on_single_sourced_parts(qa_client: TestClient) -> None:
    body = _ask(
        qa_client,
        "anything on the ostrava press power unit we can only get from one place AND has no alt pn?",
    )
    assert body["tool"]["name"] == "single_source" and body["tool"]["arguments"]["alternatives"] == "none"
    lines = _bom(HPU)
    paired = {r["part_number"] for r in lines if r.get("alternative_part_number")}
    paired |= {r["alternative_part_number"] for r in lines if r.get("alternative_part_number")}
    wanted = _single_sourced(HPU) - {node_id("Part", pn, is_code=True) for pn in paired}
    assert wanted and {e["id"] for e in body["answer_entities"]} == wanted


def test_two_asks_about_one_item_get_its_neighbourhood(qa_client: TestClient) -> None:
    """ "What machine is it part of and which plant", "who do we get it from and what machine is it on": the
    item's own record answers both, where one tool would answer half."""
    register = {r["tag"]: r for r in _rows(SAMPLES / "structured" / "equipment.csv")}
    spindle = register["LDS-CNC-01-SP"]
    body = _ask(qa_client, "the 12 000 rpm spindle unit - what machine is it part of and which plant?")
    ids = {e["id"] for e in body["answer_entities"]}
    assert body["tool"]["name"] == "entity_detail"
    assert node_id("Equipment", spindle["parent_tag"], is_code=True) in ids
    assert any(i.startswith("Site:") and spindle["site"].split()[-1].lower() in i for i in ids)
    parent = register[spindle["parent_tag"]]["name"]  # and the answer says so in words
    assert f"part of {parent}" in body["answer"] and f"at {spindle['site']}" in body["answer"]
    line = next(r for r in _rows(SAMPLES / "structured" / "bom.csv") if r["part_number"] == "8MGT-1200-21")
    body = _ask(qa_client, "what's 8MGT-1200-21, who do we get it from and what machine is it on")
    ids = {e["id"] for e in body["answer_entities"]}
    assert body["tool"]["name"] == "entity_detail"
    assert node_id("Equipment", line["equipment_tag"], is_code=True) in ids
    assert any(i.startswith("Supplier:") for i in ids)


def test_what_kit_an_outage_hits_is_equipment(qa_client: TestClient) -> None:
    lines = [r for r in _rows(SAMPLES / "structured" / "bom.csv") if r["supplier"].startswith("Trelleborg")]
    wanted = {
        node_id("Equipment", r["equipment_tag"], is_code=True)
        for r in lines
        if r["equipment_tag"][:3] == "LDS"
    }
    body = _ask(
        qa_client, "trelleborg cant ship anything for a quarter - what kit in leeds is using their parts"
    )
    assert body["tool"]["name"] == "supplier_impact"
    assert wanted and {e["id"] for e in body["answer_entities"]} == wanted


def test_suppliers_on_a_sites_bom_are_counted_by_its_lines(qa_client: TestClient) -> None:
    register = {r["tag"]: r["site"] for r in _rows(SAMPLES / "structured" / "equipment.csv")}
    lines = [
        r for r in _rows(SAMPLES / "structured" / "bom.csv") if "Ostrava" in register[r["equipment_tag"]]
    ]
    body = _ask(qa_client, "no. of distinct suppliers on the ostrava bom?")
    assert body["tool"]["arguments"]["of_class"] == "Supplier"
    # name variants of one company are one supplier in the graph (Parker Hannifin / Parker Hannifin Corp.)
    assert 0 < body["count"] <= len({r["supplier"] for r in lines})
    listed = _ask(qa_client, "which suppliers are on the ostrava bom")
    assert listed["tool"]["name"] == "entities" and len(listed["answer_entities"]) == body["count"]


def test_a_parts_history_is_its_machines_orders_that_name_it(qa_client: TestClient) -> None:
    """ "V-belt trouble on the compressors during 2025": the orders of the machines whose BOM holds the
    V-belt that speak of belts, in 2025 (rows of both plants' logs, dates written either way)."""
    tags = {
        r["equipment_tag"] for r in _rows(SAMPLES / "structured" / "bom.csv") if r["part_number"] == "SPA1250"
    }
    wanted = set()
    for log in sorted((SAMPLES / "documents" / "work_orders").glob("*.csv")):
        for r in _rows(log):
            if r["asset"] in tags and "belt" in r["description"].lower() and "2025" in r["date"]:
                wanted.add(r["work_order"])
    body = _ask(
        qa_client, "SPA1250 belt trouble on the compressors during 2025, both plants - wo numbers pls"
    )
    assert body["tool"]["arguments"].get("asset") == "Part:spa1250", (body["tool"], body["entities"])
    assert wanted and _orders_of(body) == wanted


def test_a_sub_assembly_named_by_its_machine_then_its_kind(qa_client: TestClient) -> None:
    """ "The 250t press hpu": the power unit of the 250 t press (the register's parent column), not the
    press; "the leeds 400t press" stays the press."""
    register = {r["tag"]: r for r in _rows(SAMPLES / "structured" / "equipment.csv")}
    press = next(t for t, r in register.items() if r["name"] == "Hydraulic press 250 t")
    hpu = next(t for t, r in register.items() if r["parent_tag"] == press)
    body = _ask(qa_client, "bom of the 250t press hpu")
    assert body["tool"]["arguments"]["equipment"] == node_id("Equipment", hpu, is_code=True)
    body = _ask(qa_client, "bom of the leeds 400t press")  # the press itself: no kind word follows
    assert body["tool"]["arguments"]["equipment"] == node_id("Equipment", "LDS-HP-01", is_code=True)


def test_a_kind_word_that_only_qualifies_a_parts_name_does_not_describe_it(qa_client: TestClient) -> None:
    """ "The leeds coolant pumps" are pumps, not the "Pump casing O-ring" fitted to one (its head is the
    O-ring); "the spindle bearings" are still the spindle unit's bearing."""
    assert only_qualifies("pump", "Pump casing O-ring 150 x 4, FKM 75")
    assert not only_qualifies("belt", "V-belt SPA 1250") and not only_qualifies(
        "seal", "Mechanical seal 35 mm"
    )
    bearing = next(
        r["part_number"]
        for r in _rows(SAMPLES / "structured" / "bom.csv")
        if r["equipment_tag"] == "LDS-CNC-01-SP" and "bearing" in r["part_name"].lower()
    )
    body = _ask(qa_client, "who supplies the spindle bearings")
    assert body["tool"]["arguments"]["item"] == node_id("Part", bearing, is_code=True)


def test_documents_on_an_event_include_the_work_order_log_that_recorded_it(qa_kg: KnowledgeGraph) -> None:
    """ "What docs do we have on the OST-P-201-M brg spalling": besides the report named for it, the log
    whose row on that motor records the spalling, and not the other plant logs that name the motor."""
    from kg.graph import queries

    logs = sorted((SAMPLES / "documents" / "work_orders").glob("*.csv"))
    naming, recording = set(), set()
    for log in logs:
        for r in _rows(log):
            if r["asset"] == "OST-P-201-M":
                naming.add(log.name)
                if "spall" in r["description"].lower():
                    recording.add(log.name)
    docs = qa_kg.store.read(queries.all_documents(), {"limit": 1000})
    motor = EntityRef(id=node_id("Equipment", "OST-P-201-M", is_code=True), name="Circulation pump motor")
    found = {d["file_name"] for d in logs_recording(qa_kg, motor, "brg spalling", docs)}
    assert recording and found == recording and naming - recording  # a log that names it without spalling


def test_documents_on_a_machines_failure_are_the_machines(qa_client: TestClient) -> None:
    """ "Where's the spindle overheating written up": the spindle unit's documents, narrowed by the failure's
    words; not every document that names some other machine's overheating."""
    body = _ask(qa_client, "where's the spindle overheating on the leeds machining centre written up?")
    assert body["tool"]["name"] == "documents"
    assert body["tool"]["arguments"]["entity"] == node_id("Equipment", "LDS-CNC-01-SP", is_code=True)


def test_documents_on_an_event_named_with_its_machine_keep_the_machine(qa_client: TestClient) -> None:
    body = _ask(qa_client, "which docs cover the hose burst on the ostrava press power unit back in feb 25")
    assert body["tool"]["name"] == "documents"
    assert body["tool"]["arguments"].get("entity") == node_id("Equipment", HPU, is_code=True)
    assert body["tool"]["arguments"]["since"] == "2025-02-01"
