"""The CSV loader: sample counts, row-exact evidence, FMEA chains, determinism and bad input."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from kg.core.errors import BadInputError
from kg.core.facts import EdgeFact, FactBatch
from kg.tables import RowError, StructuredLoad, load_csv, load_directory

SAMPLES = Path(__file__).resolve().parents[2] / "samples" / "structured"
EQUIPMENT_HEADER = "tag,name,equipment_class,site,parent_tag\n"
BOM_HEADER = "equipment_tag,part_name,part_number,supplier,manufacturer,material,alternative_part_number\n"
FMEA_HEADER = "item,failure_mode,cause,effect,severity,occurrence,detection,rpn\n"


@pytest.fixture(scope="module")
def sample() -> StructuredLoad:
    return load_directory(SAMPLES)


def edges(
    batch: FactBatch, type_: str, source: str | None = None, target: str | None = None
) -> list[EdgeFact]:
    return [
        e
        for e in batch.edges
        if e.type == type_ and source in (None, e.source) and target in (None, e.target)
    ]


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


def test_sample_loads_without_errors_and_with_expected_counts(sample: StructuredLoad) -> None:
    batch = sample.batch
    assert sample.errors == []
    assert sorted(sample.kinds.values()) == ["bom", "equipment", "fmea"]
    # Counted from the files: 19 tags; 36 distinct part numbers incl. alternatives; 24/18/15 distinct
    # supplier/manufacturer/material spellings; FMEA modes scoped per item (26), causes per row (27).
    assert Counter(n.label for n in batch.nodes) == {
        "Equipment": 19,
        "Part": 36,
        "Site": 2,
        "Supplier": 24,
        "Manufacturer": 18,
        "Material": 15,
        "FailureMode": 26,
        "FailureCause": 27,
        "FailureEffect": 26,
        "MaintenanceActivity": 47,
    }
    # HAS_PART: 8 parent_tag links + 44 distinct (equipment, part) pairs; CAUSES: 27 cause->mode,
    # 26 mode->effect, 4 mode->mode.
    assert Counter(e.type for e in batch.edges) == {
        "LOCATED_AT": 19,
        "HAS_PART": 52,
        "SUPPLIED_BY": 39,
        "MANUFACTURED_BY": 32,
        "MADE_OF": 32,
        "ALTERNATIVE_TO": 10,
        "HAS_FAILURE_MODE": 26,
        "CAUSES": 57,
        "DETECTED_BY": 27,
        "MITIGATED_BY": 27,
        "PERFORMED_ON": 54,
    }
    assert len({n.id for n in batch.nodes}) == len(batch.nodes)
    assert len({e.id for e in batch.edges}) == len(batch.edges)


def test_documents_describe_each_file(sample: StructuredLoad) -> None:
    docs = {d.id: d.properties for d in sample.batch.documents}
    assert set(docs) == {"csv:bom", "csv:equipment", "csv:fmea"}
    bom = docs["csv:bom"]
    assert bom["reader"] == "csv"
    assert bom["size"] == (SAMPLES / "bom.csv").stat().st_size
    assert isinstance(bom["content_hash"], str) and len(bom["content_hash"]) == 64
    assert sample.batch.document_ids() == set(docs)


def test_every_evidence_span_is_exactly_one_row(sample: StructuredLoad) -> None:
    texts = {f"csv:{p.stem}": p.read_text(encoding="utf-8") for p in SAMPLES.glob("*.csv")}
    rows = {doc: set(text.splitlines()[1:]) for doc, text in texts.items()}
    evidence = [ev for n in sample.batch.nodes for ev in n.evidence]
    evidence += [ev for e in sample.batch.edges for ev in e.evidence]
    assert len({(ev.doc_id, ev.start) for ev in evidence}) == 19 + 48 + 27  # every data row is cited
    for ev in evidence:
        assert texts[ev.doc_id][ev.start : ev.end] in rows[ev.doc_id]
        assert ev.extractor == "csv-loader/0.1" and ev.confidence == 1.0


def test_quoted_field_row_span_includes_the_quotes(sample: StructuredLoad) -> None:
    text = (SAMPLES / "bom.csv").read_text(encoding="utf-8")
    hose = next(n for n in sample.batch.nodes if n.id == "Part:ph2sn081500")
    assert hose.name == 'Hydraulic hose assembly 1/2" 2SN, 1500 mm'
    first = hose.evidence[0]
    assert text[first.start : first.end].startswith('LDS-HP-01-HPU,"Hydraulic hose assembly 1/2"" 2SN')


def test_equipment_names_replace_bom_placeholders(sample: StructuredLoad) -> None:
    pump = next(n for n in sample.batch.nodes if n.id == "Equipment:ldsp101")
    assert pump.name == "Coolant supply pump"
    assert pump.properties == {"tag": "LDS-P-101", "equipment_class": "Pump"}
    assert {ev.doc_id for ev in pump.evidence} == {"csv:equipment", "csv:bom", "csv:fmea"}
    assert edges(sample.batch, "LOCATED_AT", "Equipment:ldsp101", "Site:plant alpha – leeds")
    assert edges(sample.batch, "HAS_PART", "Equipment:ldsp101", "Equipment:ldsp101m")


def test_dual_sourced_part_has_two_supplier_edges(sample: StructuredLoad) -> None:
    suppliers = {e.target for e in edges(sample.batch, "SUPPLIED_BY", "Part:62052rsh")}
    assert suppliers == {"Supplier:skf", "Supplier:eriks"}
    single = {e.target for e in edges(sample.batch, "SUPPLIED_BY", "Part:cr40x62x8hmsa10v")}
    assert single == {"Supplier:skf"}
    assert edges(sample.batch, "ALTERNATIVE_TO", "Part:62052rsh", "Part:62052rsr")
    assert edges(sample.batch, "MADE_OF", "Part:62052rsh", "Material:52100 chrome steel")


def test_supplier_outage_reaches_equipment_at_both_sites(sample: StructuredLoad) -> None:
    batch = sample.batch
    parts = {e.source for e in edges(batch, "SUPPLIED_BY", target="Supplier:skf")}
    hit = {e.source for e in batch.edges if e.type == "HAS_PART" and e.target in parts}
    sites = {e.target for e in batch.edges if e.type == "LOCATED_AT" and e.source in hit}
    assert len(hit) == 6
    assert sites == {"Site:plant alpha – leeds", "Site:plant beta – ostrava"}


def test_fmea_chain_cause_mode_effect_with_rpn(sample: StructuredLoad) -> None:
    batch = sample.batch
    leak = "FailureMode:ldsp101externalleakageofprocessmedium"
    vibration = "FailureMode:ldsp101vibration"
    # Two causes: the mode and its HAS_FAILURE_MODE edge carry the worst row (6*5*4 = 120).
    (has_mode,) = edges(batch, "HAS_FAILURE_MODE", "Equipment:ldsp101", leak)
    assert has_mode.properties == {"severity": 6, "occurrence": 5, "detection": 4, "rpn": 120}
    mode = next(n for n in batch.nodes if n.id == leak)
    assert mode.name == "External leakage of process medium"
    assert mode.properties["failure_mode_code"] == "ELP" and mode.properties["rpn"] == 120
    causes = {
        e.source: e.properties["rpn"]
        for e in edges(batch, "CAUSES", target=leak)
        if e.source.startswith("FailureCause:")
    }
    assert causes == {
        "FailureCause:ldsp101externalleakageofprocessmediummechanicalsealfacewear": 120,
        "FailureCause:ldsp101externalleakageofprocessmediumdryrunningduringlowcoolanttanklevel": 108,
    }
    assert edges(batch, "CAUSES", vibration, leak)  # mode -> mode chain
    effects = [e for e in edges(batch, "CAUSES", leak) if e.target.startswith("FailureEffect:")]
    assert len(effects) == 1 and effects[0].properties == {"severity": 6}
    interlock = "MaintenanceActivity:interlock pump start on coolant tank low-level switch"
    assert edges(batch, "PERFORMED_ON", interlock, "Equipment:ldsp101")


def test_same_mode_wording_on_two_items_gives_two_nodes(sample: StructuredLoad) -> None:
    hose_leaks = [n for n in sample.batch.nodes if n.name == "External leakage of utility medium"]
    assert {n.id for n in hose_leaks} == {
        "FailureMode:ldshp01hpuexternalleakageofutilitymedium",
        "FailureMode:osthp02hpuexternalleakageofutilitymedium",
        "FailureMode:ldscv01gbexternalleakageofutilitymedium",
    }
    assert {n.properties["rpn"] for n in hose_leaks} == {96, 120, 60}


def test_fmea_items_are_typed_by_the_directory(sample: StructuredLoad, tmp_path: Path) -> None:
    assert edges(sample.batch, "HAS_FAILURE_MODE", "Part:62052rsh")
    assert edges(sample.batch, "HAS_FAILURE_MODE", "Part:jct210035")
    alone = load_csv(SAMPLES / "fmea.csv")
    assert edges(alone.batch, "HAS_FAILURE_MODE", "Equipment:62052rsh")  # no context: Equipment
    typed = load_csv(SAMPLES / "fmea.csv", item_labels={"6205-2RSH": "Part"})
    assert edges(typed.batch, "HAS_FAILURE_MODE", "Part:62052rsh")
    explicit = write(tmp_path, "f.csv", "Item,Item type,Failure mode\nX-1,part,Fracture\nX-2,Widget,Wear\n")
    result = load_csv(explicit)
    assert edges(result.batch, "HAS_FAILURE_MODE", "Part:x1")
    assert [(e.line, e.column) for e in result.errors] == [(3, "item_type")]


def test_loading_twice_gives_identical_batches() -> None:
    first, second = load_directory(SAMPLES), load_directory(SAMPLES)
    assert first.batch.model_dump() == second.batch.model_dump()
    assert first.batch.model_dump_json() == second.batch.model_dump_json()


def test_header_synonyms_and_custom_mapping(tmp_path: Path) -> None:
    text = "Asset Tag,Description,Plant,Parent\nP-1,Feed pump,Leeds,\n"
    result = load_csv(write(tmp_path, "register.csv", text))
    assert result.kinds == {str(tmp_path / "register.csv"): "equipment"}
    assert result.batch.documents[0].id == "csv:register"
    bom = "Anlage,Part name,Mat.-Nr.,Vendor\nP-1,Seal,S-9,Acme\n"
    with pytest.raises(BadInputError):
        load_csv(write(tmp_path, "de.csv", bom))
    mapped = load_csv(
        tmp_path / "de.csv", mapping={"bom": {"equipment_tag": ["Anlage"], "part_number": ["Mat.-Nr."]}}
    )
    assert edges(mapped.batch, "SUPPLIED_BY", "Part:s9", "Supplier:acme")


def test_unknown_header_names_file_columns_and_expected_kinds(tmp_path: Path) -> None:
    path = write(tmp_path, "mystery.csv", "colour,flavour\nred,sweet\n")
    with pytest.raises(BadInputError) as info:
        load_csv(path)
    message = str(info.value)
    assert str(path) in message and "'colour', 'flavour'" in message
    for expected in ("equipment: needs tag, name, site", "bom: needs", "fmea: needs item, failure_mode"):
        assert expected in message


def test_row_errors_name_file_line_column_and_keep_other_rows(tmp_path: Path) -> None:
    text = (
        BOM_HEADER
        + "P-1,Seal,S-1,Acme,Acme,NBR,\n"  # line 2: fine
        + "P-1,Seal,S-2,Acme\n"  # line 3: short row
        + "P-1,,S-3,Acme,Acme,NBR,\n"  # line 4: empty required cell
        + "\n"  # line 5: blank, skipped silently
        + 'P-2,"Hose, 1/2"" 2SN",H-1,Acme,Acme,NBR,\n'  # line 6: fine, quoted
    )
    path = write(tmp_path, "bom.csv", text)
    result = load_csv(path)
    assert [(e.file, e.line, e.column) for e in result.errors] == [
        (str(path), 3, "manufacturer"),
        (str(path), 4, "part_name"),
    ]
    assert "has 4 fields but the header has 7: column 'manufacturer'" in result.errors[0].message
    assert "'part_name' is empty" in result.errors[1].message
    assert str(result.errors[1]).startswith(f"{path}:4: ")
    assert {n.id for n in result.batch.nodes if n.label == "Part"} == {"Part:s1", "Part:h1"}
    with pytest.raises(BadInputError, match=r"2 row\(s\) were skipped"):
        result.raise_for_errors()


def test_fmea_rating_errors_skip_only_that_row(tmp_path: Path) -> None:
    text = (
        FMEA_HEADER
        + "P-1,Leak,Wear,Spill,6,5,4,120\nP-1,Noise,Loose,Din,6,5,4,100\nP-1,Jam,Dirt,Stop,11,1,1,\n"
    )
    result = load_csv(write(tmp_path, "fmea.csv", text))
    assert [(e.line, e.column) for e in result.errors] == [(3, "rpn"), (4, "severity")]
    assert "= 120" in result.errors[0].message
    (mode,) = [n for n in result.batch.nodes if n.label == "FailureMode"]
    assert mode.properties["rpn"] == 120
    loop = "item,failure_mode,leads_to_failure_mode\nP-1,Leak,leak\nP-1,Noise,Leak\n"
    looped = load_csv(write(tmp_path, "f3.csv", loop))
    assert [(e.line, e.column) for e in looped.errors] == [(2, "leads_to_failure_mode")]
    assert edges(looped.batch, "CAUSES", "FailureMode:p1noise", "FailureMode:p1leak")
    computed = load_csv(write(tmp_path, "f2.csv", FMEA_HEADER + "P-1,Leak,Wear,Spill,2,3,4,\n"))
    assert computed.batch.edges[0].properties["rpn"] == 24


def test_multiline_quoted_row_span(tmp_path: Path) -> None:
    text = EQUIPMENT_HEADER + 'P-1,"Feed pump\nwith two lines",Pump,Leeds,\r\nP-2,Spare,Pump,Leeds,\r\n'
    result = load_csv(write(tmp_path, "eq.csv", text))
    assert result.errors == []
    by_id = {n.id: n for n in result.batch.nodes}
    ev = by_id["Equipment:p1"].evidence[0]
    assert text[ev.start : ev.end] == 'P-1,"Feed pump\nwith two lines",Pump,Leeds,'
    ev2 = by_id["Equipment:p2"].evidence[0]
    assert text[ev2.start : ev2.end] == "P-2,Spare,Pump,Leeds,"


def test_byte_order_mark_is_not_part_of_the_header_or_spans(tmp_path: Path) -> None:
    path = tmp_path / "eq.csv"
    path.write_bytes(b"\xef\xbb\xbf" + (EQUIPMENT_HEADER + "P-1,Pump,Pump,Leeds,\n").encode())
    result = load_csv(path)
    text = path.read_text(encoding="utf-8-sig")
    ev = result.batch.nodes[0].evidence[0]
    assert text[ev.start : ev.end] == "P-1,Pump,Pump,Leeds,"


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"", "is empty"),
        (b"  \n\n", "is empty"),
        (b",,\n,,\n", "no header row"),
        ("tag,name,site\nP-1,Pumpe K\xfchlung,Leeds\n".encode("cp1252"), "not UTF-8: byte 0xfc"),
    ],
)
def test_whole_file_problems_raise(tmp_path: Path, content: bytes, fragment: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(BadInputError, match=fragment) as info:
        load_csv(path)
    assert str(path) in str(info.value)


def test_non_utf8_error_gives_line_and_fix(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes("tag,name,site\nP-1,Pumpe K\xfchlung,Leeds\n".encode("cp1252"))
    with pytest.raises(BadInputError, match=r"line 2\).*Re-save it as UTF-8"):
        load_csv(path)


def test_missing_file_and_directory_problems(tmp_path: Path) -> None:
    with pytest.raises(BadInputError, match="Cannot read"):
        load_csv(tmp_path / "nope.csv")
    with pytest.raises(BadInputError, match=r"No \*.csv files"):
        load_directory(tmp_path)
    with pytest.raises(BadInputError, match="not a directory"):
        load_directory(tmp_path / "nope")


def test_doc_id_is_pipe_free_but_names_may_contain_pipes(tmp_path: Path) -> None:
    path = write(tmp_path, "a|b.csv", EQUIPMENT_HEADER + "P-1,Pump | spare,Pump,Leeds,\n")
    result = load_csv(path)
    assert result.errors == []
    assert result.batch.documents[0].id == "csv:a_b"
    assert result.batch.nodes[0].name == "Pump | spare"
    with pytest.raises(BadInputError, match="free of '\\|'"):
        load_csv(path, doc_id="x|y")
    assert load_csv(path, doc_id="plant-register").batch.documents[0].id == "plant-register"


def test_row_error_str() -> None:
    assert str(RowError("bom.csv", 7, "bad")) == "bom.csv:7: bad"
