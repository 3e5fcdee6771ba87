"""Annotation readers: real corpus counts and span exactness, user formats, malformed input, label maps."""

from __future__ import annotations

import gzip
import json
import zipfile
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import pytest

from extractors.corpora import (
    ReadResult,
    apply_label_map,
    documents_to_sentences,
    read_annotations,
    read_brat_pair,
    read_brat_zip,
    read_conll,
    read_dfki_product,
    read_jsonl,
    read_label_studio,
    read_maintie,
    read_materials,
    read_mwo2kg,
    read_tfh2020,
    split_by_id,
    write_jsonl,
)
from extractors.data import BUNDLED_DATASETS
from extractors.types import AnnotatedText, EntityAnnotation, RelationAnnotation
from kg.core.errors import BadInputError

BUNDLED = BUNDLED_DATASETS  # train/dev splits shipped in the repository
SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "datasets"  # corpora not shipped
DATA = Path(__file__).resolve().parents[1] / "data" / "annotations"
BAD = DATA / "malformed"

needs_shared = pytest.mark.skipif(
    not SHARED.is_dir(), reason=f"corpus folder {SHARED} is absent (TFH-2020 and materials are not shipped)"
)


def counts(texts: Sequence[AnnotatedText]) -> tuple[int, int, int]:
    return len(texts), sum(len(t.entities) for t in texts), sum(len(t.relations) for t in texts)


def spans(t: AnnotatedText) -> list[tuple[str, str]]:
    return [(t.span_text(e), e.label) for e in t.entities]


def rels(t: AnnotatedText) -> list[tuple[str, str, str]]:
    return [(t.span_text(t.entities[r.head]), r.label, t.span_text(t.entities[r.tail])) for r in t.relations]


# --- real corpora -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def maintie_train() -> ReadResult:
    return read_maintie(BUNDLED / "maintie" / "train.json")


@pytest.fixture(scope="module")
def dfki_train() -> ReadResult:
    return read_dfki_product(BUNDLED / "dfki_product_corpus" / "train.json.gz", include_identity=True)


@pytest.fixture(scope="module")
def tfh() -> ReadResult:
    return read_tfh2020(SHARED / "tfh2020_patents" / "TFH_Annotated_Dataset.zip")


@pytest.mark.parametrize(("split", "expected"), [("train", (860, 2716, 1881)), ("dev", (108, 334, 226))])
def test_maintie_counts_match_source_and_spans_equal_token_text(
    split: str, expected: tuple[int, int, int]
) -> None:
    path = BUNDLED / "maintie" / f"{split}.json"
    texts = read_maintie(path)
    # No record has two entities with the same span and type, so dedupe removes nothing.
    assert counts(texts) == expected
    assert texts.report.counts["duplicate_entities"] == 0
    raw = json.loads(path.read_text(encoding="utf-8"))
    for t, rec in zip(texts, raw, strict=True):
        assert t.text == " ".join(rec["tokens"])
        for e, r in zip(t.entities, rec["entities"], strict=True):
            assert t.span_text(e) == " ".join(rec["tokens"][r["start"] : r["end"]])
            assert e.label == r["type"]
        assert [(r.head, r.tail) for r in t.relations] == [(r["head"], r["tail"]) for r in rec["relations"]]


def test_maintie_levels_and_participant_prefix(maintie_train: ReadResult) -> None:
    top = read_maintie(BUNDLED / "maintie" / "train.json", level=1)
    assert {e.label for t in top for e in t.entities} == {
        "PhysicalObject",
        "Activity",
        "State",
        "Process",
        "Property",
    }
    level2 = {e.label for t in read_maintie(BUNDLED / "maintie" / "train.json", level=2) for e in t.entities}
    assert all(label.count("/") <= 1 for label in level2) and len(level2) == 27
    assert Counter(r.label for t in maintie_train for r in t.relations)["hasPatient"] == 949
    raw = read_maintie(BUNDLED / "maintie" / "train.json", strip_participant=False)
    assert Counter(r.label for t in raw for r in t.relations)["hasParticipant/hasAgent"] == 139
    with pytest.raises(BadInputError, match="level=0"):
        read_maintie(BUNDLED / "maintie" / "dev.json", level=0)


def test_maintie_keeps_nested_entities(maintie_train: ReadResult) -> None:
    nested = sum(
        1
        for t in maintie_train
        for i, a in enumerate(t.entities)
        for b in t.entities[i + 1 :]
        if a.start < b.end and b.start < a.end
    )
    assert nested == 339  # SOURCE.md: 339 overlapping (all nested) pairs in train


def test_mwo2kg_counts_and_spans_equal_tokens() -> None:
    path = BUNDLED / "mwo2kg_ner" / "train.conll"
    texts = read_mwo2kg(path)
    assert len(texts) == 2943
    assert sum(len(t.text.split(" ")) for t in texts) == 13908
    b_tags = sum(
        1 for line in path.read_text(encoding="utf-8").splitlines() if line.split(" ")[-1].startswith("B-")
    )
    assert sum(len(t.entities) for t in texts) == b_tags == 9670
    assert texts.report.counts["repaired_tags"] == 0
    assert texts[0].source == "mwo2kg_ner/train.conll"
    assert spans(texts[0]) == [
        ("replace", "Activity"),
        ("air filter", "Consumable"),
        ("pre cleaner", "Item"),
        ("bowl", "Item"),
    ]
    assert len(read_mwo2kg(BUNDLED / "mwo2kg_ner" / "dev.conll")) == 383


def test_dfki_counts_relations_and_spans(dfki_train: ReadResult) -> None:
    assert len(dfki_train) == 139
    assert Counter(e.label for t in dfki_train for e in t.entities) == {
        "organization": 3198,
        "product": 2827,
        "trigger": 601,
    }
    report = dfki_train.report.counts
    assert report["relation_mentions_CompanyProvidesProduct"] == 798
    assert report["relation_mentions_Identity"] == 779
    by_label = Counter(r.label for t in dfki_train for r in t.relations)
    assert by_label["CompanyProvidesProduct"] == 1130  # n-ary mentions expanded to company → product pairs
    pairs = Counter(
        (t.entities[r.head].label, t.entities[r.tail].label)
        for t in dfki_train
        for r in t.relations
        if r.label == "CompanyProvidesProduct"
    )
    # One mention in the data has its "company" role on a product mention; it is kept as annotated.
    assert pairs == {("organization", "product"): 1129, ("product", "organization"): 1}
    with gzip.open(BUNDLED / "dfki_product_corpus" / "train.json.gz", "rt", encoding="utf-8") as f:
        raw = f.read()
    doc, _ = json.JSONDecoder().raw_decode(raw)
    mentions = [m["normalizedValue"]["string"] for m in doc["conceptMentions"]["array"]]
    assert [t for t, _ in spans(dfki_train[0])] == mentions


def test_dfki_options_drop_triggers_and_identity() -> None:
    texts = read_dfki_product(BUNDLED / "dfki_product_corpus" / "dev.json.gz", include_triggers=False)
    assert len(texts) == 18
    assert {e.label for t in texts for e in t.entities} == {"organization", "product"}
    assert {r.label for t in texts for r in t.relations} == {"CompanyProvidesProduct"}


def test_documents_to_sentences_on_dfki(dfki_train: ReadResult) -> None:
    def lines(text: str) -> list[tuple[int, int]]:
        out, start = [], 0
        for piece in text.split("\n"):
            if piece:
                out.append((start, start + len(piece)))
            start += len(piece) + 1
        return out

    pieces = documents_to_sentences(dfki_train[:10], lines)
    assert sum(len(t.entities) for t in pieces) + pieces.report.counts["entities_crossing"] == sum(
        len(t.entities) for t in dfki_train[:10]
    )
    for piece in pieces:
        doc_id, _, k = piece.id.rpartition("#")
        assert doc_id.startswith("dfki/") and k.isdigit() and "\n" not in piece.text


@needs_shared
def test_tfh2020_counts_and_repairs(tfh: ReadResult) -> None:
    assert len(tfh) == 1010
    report = tfh.report.counts
    # SOURCE.md counts 25,781 T and 18,270 R lines; 30 T lines repeat a span+type in the same file.
    assert sum(len(t.entities) for t in tfh) + report["duplicate_entities"] == 25781
    assert sum(len(t.relations) for t in tfh) + report["duplicate_relations"] == 18270
    assert report["skipped_lines"] == 2  # two truncated "tatorNotes" lines
    assert len({e.label for t in tfh for e in t.entities}) == 17
    assert len({r.label for t in tfh for r in t.relations}) == 15
    first = next(t for t in tfh if t.id == "4036723")
    assert ("insulating film", "Component") in spans(first)


@needs_shared
def test_tfh2020_split_is_deterministic_and_disjoint(tfh: ReadResult) -> None:
    train, dev = split_by_id(tfh, dev_fraction=0.1, seed=13)
    _, again_dev = split_by_id(list(reversed(tfh)), dev_fraction=0.1, seed=13)
    assert {t.id for t in dev} == {t.id for t in again_dev}
    assert not {t.id for t in train} & {t.id for t in dev}
    assert len(train) + len(dev) == 1010 and 70 <= len(dev) <= 130


@needs_shared
def test_materials_splits_and_span_text() -> None:
    root = SHARED / "materials_synthesis_procedures"
    train, dev = read_materials(root, "train"), read_materials(root, "dev")
    assert (len(train), len(dev)) == (200, 15)
    assert not {t.id for t in train} & {t.id for t in dev}
    doc = next(t for t in train if t.id == "101016jelecom200809031")
    ann = (root / "data" / f"{doc.id}.ann").read_text(encoding="utf-8").splitlines()
    expected = [line.split("\t")[2] for line in ann if line.startswith("T")]
    assert sorted(t for t, _ in spans(doc)) == sorted(expected)
    assert "Next_Operation" in {r.label for r in doc.relations}
    labels = Counter(r.label for t in train for r in t.relations)
    assert labels["Recipe_Precursor"] > 0  # event roles become relations from the Operation trigger
    with pytest.raises(BadInputError, match="held out"):
        read_materials(root, "test")  # type: ignore[arg-type]


# --- user formats -------------------------------------------------------------------------------------


def test_jsonl_unicode_spans_and_variants() -> None:
    texts = read_jsonl(DATA / "sample.jsonl")
    by_id = {t.id: t for t in texts}
    assert rels(by_id["wo-1"]) == [
        ("replace", "hasPatient", "hydraulic pump seal"),
        ("haul truck", "hasPart", "hydraulic pump seal"),
    ]
    assert spans(by_id["wo-zh"]) == [("更换", "Activity"), ("液压泵", "Item"), ("密封件", "Item")]
    assert spans(by_id["sample/3"]) == [("Αντικατάσταση", "Activity"), ("αντλίας λαδιού", "Item")]
    assert rels(by_id["wo-emoji"]) == [("overheating", "hasPatient", "motor")]
    assert rels(by_id["doccano-1"]) == [("Acme", "provides", "bearings")]
    assert by_id["empty"].entities == [] and by_id["wo-1"].source.endswith("sample.jsonl")


def test_label_studio_codepoint_and_utf16_offsets_agree() -> None:
    texts = read_label_studio(DATA / "label_studio.json")
    by_id = {t.id: t for t in texts}
    assert set(by_id) == {"101", "102", "103"}  # cancelled and unannotated tasks are left out
    expected = [("replaced", "Activity"), ("pump", "Item"), ("station 3", "Location")]
    assert spans(by_id["101"]) == spans(by_id["102"]) == expected
    # task 101 has direction "left" on station→pump, so both tasks say pump → station
    assert (
        rels(by_id["101"])
        == rels(by_id["102"])
        == [("replaced", "hasPatient", "pump"), ("pump", "locatedAt", "station 3")]
    )
    assert rels(by_id["103"]) == [
        ("Dichtung prüfen", "related", "Ölpumpe")
    ]  # text from the first fitting field
    report = texts.report.counts
    assert report["utf16_offsets_converted"] == 3 and report["unannotated_tasks"] == 2
    strict = read_label_studio(DATA / "label_studio.json", offsets="utf16", on_error="skip")
    assert [t.id for t in strict] == ["102", "103"] and strict.report.counts["skipped_tasks"] == 1


def test_conll_bio_docstart_tabs_and_repairs() -> None:
    texts = read_conll(DATA / "sample.conll")
    assert [t.text for t in texts] == ["replace air filter", "pump not working on truck"]
    assert spans(texts[1]) == [("pump", "Item"), ("not working", "Observation"), ("truck", "Item")]
    assert texts.report.counts["repaired_tags"] == 1 and texts.report.counts["docstart_lines"] == 1
    iobes = read_conll(DATA / "iobes.conll", scheme="IOBES")
    assert spans(iobes[0]) == [("check", "Activity"), ("left hand side", "Location"), ("drive motor", "Item")]


def test_brat_dir_events_discontinuous_and_ignored_lines() -> None:
    texts = read_annotations(DATA / "brat")
    doc1 = next(t for t in texts if t.id == "doc1")
    assert ("Müller GmbH", "Organization") in spans(doc1)
    assert ("gate valve was supplied", "Event") in spans(doc1)  # "4 8;19 27" → minimal covering span
    assert set(rels(doc1)) == {
        ("Müller GmbH", "Supplies", "gate valve"),
        ("80", "Number_Of", "°C"),
        ("heated", "Next_Operation", "stirred"),  # R args naming events stand for their triggers
        ("heated", "Participant_Material", "mixture"),  # Participant_Material2 → same role, merged
        ("heated", "Condition", "°C"),
        ("stirred", "Participant_Material", "it"),
    }
    report = texts.report.counts
    assert report["discontinuous_spans"] == 1 and report["events"] == 3
    assert report["ignored_attribute_lines"] == report["ignored_note_lines"] == 1
    assert report["ignored_normalization_lines"] == report["ignored_equivalence_lines"] == 1
    doc2 = next(t for t in texts if t.id == "doc2")
    assert rels(doc2) == [("pump", "hasPart", "Bearing")]


def test_brat_keeps_offsets_with_crlf_and_reads_zips(tmp_path: Path) -> None:
    (tmp_path / "w.txt").write_bytes("line one\r\nÖl pump leaks\r\n".encode())
    (tmp_path / "w.ann").write_bytes(b"T1\tItem 13 17\tpump\n")
    assert spans(read_brat_pair(tmp_path / "w.txt", tmp_path / "w.ann")[0]) == [("pump", "Item")]
    archive = tmp_path / "b.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for f in (DATA / "brat").iterdir():
            zf.write(f, f"corpus/{f.name}")
    from_zip, from_dir = read_brat_zip(archive), read_annotations(DATA / "brat")
    assert [(t.id, t.text, t.entities, t.relations) for t in from_zip] == [
        (t.id, t.text, t.entities, t.relations) for t in from_dir
    ]


@pytest.mark.parametrize(
    "name", ["sample.jsonl", "records.json", "label_studio.json", "sample.conll", "iobes.conll", "brat"]
)
def test_user_formats_round_trip_through_jsonl(name: str, tmp_path: Path) -> None:
    texts = read_annotations(DATA / name)
    assert texts and any(t.entities for t in texts)
    assert write_jsonl(texts, tmp_path / "out.jsonl") == len(texts)
    back = read_annotations(tmp_path / "out.jsonl")
    assert [(t.id, t.text, t.entities, t.relations) for t in back] == [
        (t.id, t.text, t.entities, t.relations) for t in texts
    ]


# --- malformed input ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "where", "problem"),
    [
        ("bad_span.jsonl", "line 2", r"span \[5, 40\) does not fit"),
        ("bad_syntax.jsonl", "line 3, column 50", "not valid JSON"),
        ("bad_relation.jsonl", "line 1, relation 0", "not an index into the 1 entities"),
        ("three_cols.conll", "line 4", "3 column.* where 2 are expected"),
        ("bad_tag.conll", "line 2", "'Item' is not a BIO tag"),
        ("brat_unknown_arg", "doc.ann, line 3", "unknown argument T99"),
        ("brat_span.ann", "line 2", "does not fit the text"),
        ("label_studio_mismatch.json", "task 0", "with text 'seal' does not fit"),
        ("maintie_bad.json", "record 0, entity 0", "does not fit the 2 tokens"),
        ("truncated.json", "line 3, column 1", "not valid JSON"),
    ],
)
def test_malformed_files_name_file_line_and_problem(name: str, where: str, problem: str) -> None:
    with pytest.raises(BadInputError, match=problem) as err:
        read_annotations(BAD / name)
    message = str(err.value)
    assert name.split(".")[0] in message and where in message


def test_one_bad_jsonl_record_can_be_skipped_and_counted() -> None:
    texts = read_jsonl(BAD / "bad_span.jsonl", on_error="skip")
    assert [t.id for t in texts] == ["ok", "ok2"]
    assert texts.report.counts["skipped_records"] == 1 and "line 2" in texts.report.messages[0]


def test_unknown_format_says_what_to_pass(tmp_path: Path) -> None:
    odd = tmp_path / "notes.txt"
    odd.write_text("justoneword\n", encoding="utf-8")
    with pytest.raises(BadInputError, match="Pass format="):
        read_annotations(odd)


# --- label maps and splitting -------------------------------------------------------------------------


def _doc() -> AnnotatedText:
    return AnnotatedText(
        id="d",
        text="replace pump seal now",
        source="demo.jsonl",
        entities=[
            EntityAnnotation(start=0, end=7, label="Activity"),
            EntityAnnotation(start=8, end=12, label="Item"),
            EntityAnnotation(start=13, end=17, label="Item"),
            EntityAnnotation(start=18, end=21, label="Time"),
        ],
        relations=[
            RelationAnnotation(head=0, tail=2, label="hasPatient"),
            RelationAnnotation(head=1, tail=2, label="hasPart"),
            RelationAnnotation(head=0, tail=3, label="atTime"),
        ],
    )


def test_label_map_maps_drops_and_reindexes() -> None:
    (out,), report = apply_label_map(
        [_doc()], {"Activity": None, "Item": "PhysicalObject", "Time": "Time"}, {"hasPart": "partOf"}
    )
    assert spans(out) == [("pump", "PhysicalObject"), ("seal", "PhysicalObject"), ("now", "Time")]
    assert rels(out) == [("pump", "partOf", "seal")]
    assert report.dropped_entities() == 1 and report.mapped_entities() == 3
    assert report.relations_dropped_with_entity == 2 and report.dropped_relations() == 2


def test_label_map_unknown_error_names_labels_counts_source_and_fix() -> None:
    with pytest.raises(BadInputError) as err:
        apply_label_map([_doc()], {"Item": "PhysicalObject"}, {"hasPart": "partOf"})
    message = str(err.value)
    assert "'Activity': 1 occurrence(s) in demo.jsonl" in message and "'Time'" in message
    assert "'hasPatient'" in message and "map them to null to drop" in message


def test_label_map_unknown_drop_and_keep() -> None:
    (dropped,), _ = apply_label_map([_doc()], {"Item": "Item"}, {"hasPart": "hasPart"}, unknown="drop")
    assert spans(dropped) == [("pump", "Item"), ("seal", "Item")] and rels(dropped) == [
        ("pump", "hasPart", "seal")
    ]
    (kept,), report = apply_label_map([_doc()], {"Item": "Object"}, {}, unknown="keep")
    assert [lab for _, lab in spans(kept)] == ["Activity", "Object", "Object", "Time"] and len(
        kept.relations
    ) == 3
    assert report.entities[("Item", "Object")] == 2


def test_documents_to_sentences_counts_crossing() -> None:
    doc = _doc()
    pieces = documents_to_sentences([doc], lambda text: [(0, 12), (13, 21)])
    assert [p.text for p in pieces] == ["replace pump", "seal now"]
    assert [spans(p) for p in pieces] == [
        [("replace", "Activity"), ("pump", "Item")],
        [("seal", "Item"), ("now", "Time")],
    ]
    assert pieces.report.counts["relations_crossing"] == 3 and all(not p.relations for p in pieces)
    cut = documents_to_sentences([doc], lambda text: [(0, 10), (10, 21)])
    assert (
        cut.report.counts["entities_crossing"] == 1
        and cut.report.counts["relations_dropped_with_entity"] == 1
    )
    with pytest.raises(BadInputError, match="out of order"):
        documents_to_sentences([doc], lambda text: [(5, 10), (0, 4)])


def test_cause_effect_reader_makes_spans_and_causes_links_and_counts_what_a_flat_tagger_cannot_hold(
    tmp_path: Path,
) -> None:
    from extractors.corpora import read_cause_effect

    text = "The seal leaked because the groove was machined too deep , so the pump lost pressure ."
    seal, groove, pump = text.index("The seal leaked"), text.index("the groove"), text.index("the pump")
    rows = [
        {
            "id": "s1",
            "text": text,
            "relations": [
                {
                    "cause": [{"start": groove, "end": groove + len("the groove was machined too deep")}],
                    "effect": [{"start": seal, "end": seal + 15}],
                },
                {
                    "cause": [{"start": seal, "end": seal + 15}],
                    "effect": [{"start": pump, "end": pump + len("the pump lost pressure")}],
                },
                # overlaps the first cause: a flat tagger cannot hold both
                {
                    "cause": [{"start": groove + 4, "end": groove + 10}],
                    "effect": [{"start": pump, "end": pump + 8}],
                },
                # discontinuous effect
                {
                    "cause": [{"start": seal, "end": seal + 15}],
                    "effect": [{"start": 0, "end": 3}, {"start": 9, "end": 15}],
                },
            ],
        },
        {"id": "s2", "text": "The line was restarted at noon .", "relations": []},
    ]
    path = tmp_path / "causal.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n")

    texts = read_cause_effect(path)
    assert [t.id for t in texts] == ["s1", "s2"]
    s1 = texts[0]
    spans = [(s1.text[e.start : e.end], e.label) for e in s1.entities]
    # the seal's leak is the effect of the groove and the cause of the pressure loss: one span, a chain
    assert spans == [
        ("the groove was machined too deep", "Cause"),
        ("The seal leaked", "Effect"),
        ("the pump lost pressure", "Effect"),
    ]
    links = [(spans[r.head][0], spans[r.tail][0], r.label) for r in s1.relations]
    assert links == [
        ("the groove was machined too deep", "The seal leaked", "causes"),
        ("The seal leaked", "the pump lost pressure", "causes"),
    ]
    assert texts.report.counts["overlapping_skipped"] == 1
    assert texts.report.counts["discontinuous_skipped"] == 1
    assert texts.report.counts["relations_skipped"] == 2
    assert [t.id for t in read_cause_effect(path, causal_only=True)] == ["s1"]


def test_cause_effect_reader_names_the_line_of_bad_offsets(tmp_path: Path) -> None:
    from extractors.corpora import read_cause_effect

    path = tmp_path / "bad.jsonl"
    path.write_text(
        json.dumps(
            {
                "text": "short",
                "relations": [{"cause": [{"start": 0, "end": 99}], "effect": [{"start": 0, "end": 2}]}],
            }
        )
        + "\n"
    )
    with pytest.raises(BadInputError, match=r"bad\.jsonl, line 1: Cause offsets 0\.\.99"):
        read_cause_effect(path)
