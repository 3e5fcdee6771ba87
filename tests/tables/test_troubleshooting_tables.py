"""A manual's troubleshooting table (symptom | possible cause | remedy) read as failure chains."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.core.facts import Evidence
from kg.tables import load_csv
from kg.tables.merge import FactCollector
from kg.tables.structured import TROUBLESHOOTING_EXTRACTOR
from kg.tables.troubleshooting import known_codes, subject_failure_modes, troubleshooting_row_facts

EV = Evidence(doc_id="doc:manual", start=0, end=10, extractor="t", confidence=1.0)


def _edges(f: FactCollector) -> set[tuple[str, str, str]]:
    return {(f.nodes[e.source].name, e.type, f.nodes[e.target].name) for e in f.edges.values()}


def _row(cells: dict[str, str], labels: dict[str, str] | None = None) -> FactCollector:
    f = FactCollector()
    troubleshooting_row_facts(f, cells, EV, labels or {})
    return f


def test_each_cause_causes_the_symptom_and_one_cause_takes_every_remedy() -> None:
    f = _row(
        {
            "symptom": "Coolant leaking at the seal",
            "cause": "Seal face wear from swarf between the faces",
            "remedy": "Replace seal JC-T2100-35; check flush line and cyclone separator",
        },
        {"jct210035": "Part"},
    )
    cause = "Seal face wear from swarf between the faces"
    assert _edges(f) == {
        (cause, "CAUSES", "Coolant leaking at the seal"),
        (cause, "MITIGATED_BY", "Replace seal JC-T2100-35"),
        (cause, "MITIGATED_BY", "Check flush line and cyclone separator"),
        ("Replace seal JC-T2100-35", "PERFORMED_ON", "JC-T2100-35"),
        ("Check flush line and cyclone separator", "PERFORMED_ON", "JC-T2100-35"),
    }
    assert {n.label for n in f.nodes.values()} == {
        "FailureMode",
        "FailureCause",
        "MaintenanceActivity",
        "Part",
    }


@pytest.mark.parametrize(
    ("causes", "remedies", "expected"),
    [
        # as many remedies as causes: paired in order
        (
            "Impeller imbalance from swarf build-up; misalignment",
            "Clean impeller; realign pump and motor",
            {
                ("Impeller imbalance from swarf build-up", "Clean impeller"),
                ("Misalignment", "Realign pump and motor"),
            },
        ),
        # one remedy: it answers every cause
        (
            "Low belt tension; worn belts",
            "Re-tension or replace belt set",
            {
                ("Low belt tension", "Re-tension or replace belt set"),
                ("Worn belts", "Re-tension or replace belt set"),
            },
        ),
        # unequal lists: the row does not say which remedy answers which cause, so they mitigate the symptom
        (
            "Low oil level; air leak at the suction line; cavitation",
            "Top up oil; tighten suction fittings",
            {("Noise at the pump", "Top up oil"), ("Noise at the pump", "Tighten suction fittings")},
        ),
    ],
)
def test_remedies_attach_where_the_row_says_they_belong(
    causes: str, remedies: str, expected: set[tuple[str, str]]
) -> None:
    f = _row({"symptom": "Noise at the pump", "cause": causes, "remedy": remedies})
    assert {(h, t) for h, ty, t in _edges(f) if ty == "MITIGATED_BY"} == expected


def test_a_trailing_remark_stays_out_of_the_name_and_the_scope_is_the_document() -> None:
    f = _row({"symptom": "High vibration (> 4.5 mm/s RMS to ISO 20816)", "cause": "Misalignment"})
    mode = next(n for n in f.nodes.values() if n.label == "FailureMode")
    assert mode.name == "High vibration"
    other = FactCollector()  # the same symptom in another manual is another node
    troubleshooting_row_facts(
        other,
        {"symptom": "High vibration", "cause": "Misalignment"},
        EV.model_copy(update={"doc_id": "doc:other"}),
        {},
    )
    assert not set(other.nodes) & set(f.nodes)


def test_an_item_column_or_a_known_tag_in_the_symptom_has_the_failure_mode() -> None:
    f = _row(
        {"item": "LDS-P-101", "symptom": "Leak at casing joint", "cause": "Casing O-ring hardened"},
        {"ldsp101": "Equipment"},
    )
    assert ("LDS-P-101", "HAS_FAILURE_MODE", "Leak at casing joint") in _edges(f)
    g = _row(
        {"symptom": "LDS-P-101-M trips on overload", "cause": "Fan cowl blocked by swarf"},
        {"ldsp101m": "Equipment"},
    )
    assert ("LDS-P-101-M", "HAS_FAILURE_MODE", "LDS-P-101-M trips on overload") in _edges(g)


def test_known_codes_are_only_the_known_ones() -> None:
    labels = {"ldsp101": "Equipment", "62052rsh": "Part"}
    assert known_codes("Motor bearing 6205-2RSH worn on **LDS-P-101**; 20 000 h", labels) == [
        ("6205-2RSH", "Part"),
        ("LDS-P-101", "Equipment"),
    ]
    assert known_codes("Replace O-ring OR-9", labels) == []


def test_the_documents_title_names_the_equipment_a_table_without_items_is_about() -> None:
    f = _row({"symptom": "Low flow", "cause": "Clogged suction strainer"})
    about = subject_failure_modes(
        list(f.nodes.values()),
        list(f.edges.values()),
        "Maintenance Manual — Coolant Pumps LDS-P-101 and LDS-P-102",
        {"ldsp101": "Equipment", "ldsp102": "Equipment", "62052rsh": "Part"},
    )
    about.merge(f)  # the modes the edges point at
    assert {x for x in _edges(about) if x[1] == "HAS_FAILURE_MODE"} == {
        ("LDS-P-101", "HAS_FAILURE_MODE", "Low flow"),
        ("LDS-P-102", "HAS_FAILURE_MODE", "Low flow"),
    }
    assert subject_failure_modes(list(f.nodes.values()), [], "Conveyor gearboxes", {}).edges == {}


def test_a_troubleshooting_csv_is_recognised_and_its_facts_are_not_records(tmp_path: Path) -> None:
    csv = tmp_path / "troubleshooting.csv"
    csv.write_text(
        "Symptom,Probable cause,Corrective action\n"
        "Belt squeal at start,Low belt tension; worn belts,Re-tension or replace belt set\n"
        ",Oil cooler fouled,Clean cooler\n"
    )
    load = load_csv(csv)
    assert load.kinds == {str(csv): "troubleshooting"}
    assert [e.line for e in load.errors] == [3]  # a row without its symptom is reported, not guessed
    assert {ev.extractor for n in load.batch.nodes for ev in n.evidence} == {TROUBLESHOOTING_EXTRACTOR}
    causes = sorted(n.name for n in load.batch.nodes if n.label == "FailureCause")
    assert causes == ["Low belt tension", "Worn belts"]


def test_an_fmea_with_a_cause_column_stays_an_fmea(tmp_path: Path) -> None:
    csv = tmp_path / "fmea.csv"
    csv.write_text("item,failure_mode,cause,action\nLDS-P-101,External leakage,Seal wear,Replace seal\n")
    assert load_csv(csv).kinds == {str(csv): "fmea"}
