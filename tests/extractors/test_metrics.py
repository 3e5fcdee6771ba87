"""Entity and relation metrics: hand-computed precision/recall/F1, confusions, report formats."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest
from pydantic import ValidationError

from extractors.metrics import MISSED, SPURIOUS, EvalReport, LabelScore, score
from extractors.types import AnnotatedText, EntityAnnotation, RelationAnnotation
from kg.core.errors import BadInputError

TEXT = "replace pump seal now"  # replace [0,7) pump [8,12) seal [13,17) now [18,21)
REPLACE, PUMP, SEAL, NOW = (0, 7), (8, 12), (13, 17), (18, 21)


def _text(
    ents: list[tuple[tuple[int, int], str]],
    rels: Sequence[tuple[int, int, str]] = (),
    id: str = "wo-1",
    text: str = TEXT,
) -> AnnotatedText:
    return AnnotatedText(
        id=id,
        text=text,
        entities=[EntityAnnotation(start=s, end=e, label=label) for (s, e), label in ents],
        relations=[RelationAnnotation(head=h, tail=t, label=label) for h, t, label in rels],
    )


def _assert_scores(s: LabelScore, p: float, r: float, f: float) -> None:
    assert (s.precision, s.recall, s.f1) == pytest.approx((p, r, f))


GOLD = _text(
    [(REPLACE, "Activity"), (PUMP, "Object"), (SEAL, "Object")],
    [(0, 1, "hasPatient"), (1, 2, "hasPart")],
)


def test_perfect_prediction_scores_100() -> None:
    report = score([GOLD], [GOLD.model_copy()])
    assert report.headline() == {
        "entity_micro_f1": 100.0,
        "relation_strict_micro_f1": 100.0,
        "relation_boundaries_micro_f1": 100.0,
    }
    assert all(s.f1 == 1.0 for s in report.entities.values())
    assert report.entity_untyped_micro.f1 == 1.0
    assert report.confusion == {}
    assert report.n_texts == 1


def test_one_wrong_entity_label_gives_exact_scores() -> None:
    pred = _text([(REPLACE, "Activity"), (PUMP, "Object"), (SEAL, "State")])
    report = score([GOLD], [pred])

    _assert_scores(report.entity_micro, 2 / 3, 2 / 3, 2 / 3)
    assert (report.entity_micro.tp, report.entity_micro.support, report.entity_micro.predicted) == (2, 3, 3)
    _assert_scores(report.entities["Activity"], 1.0, 1.0, 1.0)
    _assert_scores(report.entities["Object"], 1.0, 0.5, 2 / 3)
    _assert_scores(report.entities["State"], 0.0, 0.0, 0.0)
    assert report.entities["State"].support == 0 and report.entities["State"].predicted == 1
    # Macro: unweighted mean over the three labels that occur in gold or predictions.
    _assert_scores(report.entity_macro, (1 + 1 + 0) / 3, (1 + 0.5 + 0) / 3, (1 + 2 / 3 + 0) / 3)
    assert report.entity_untyped_micro.f1 == 1.0
    assert report.headline()["entity_micro_f1"] == 66.67


def test_relation_with_wrong_entity_label_counts_for_boundaries_only() -> None:
    pred = _text(
        [(REPLACE, "Activity"), (PUMP, "Object"), (SEAL, "State")],
        [(0, 1, "hasPatient"), (1, 2, "hasPart")],
    )
    report = score([GOLD], [pred])

    _assert_scores(report.relations_boundaries.micro, 1.0, 1.0, 1.0)
    _assert_scores(report.relations_strict.micro, 0.5, 0.5, 0.5)
    _assert_scores(report.relations_strict.per_label["hasPatient"], 1.0, 1.0, 1.0)
    _assert_scores(report.relations_strict.per_label["hasPart"], 0.0, 0.0, 0.0)
    assert report.relations_strict.per_label["hasPart"].support == 1
    assert report.relations_strict.per_label["hasPart"].predicted == 1


def test_relation_with_wrong_span_matches_neither() -> None:
    pred = _text([(REPLACE, "Activity"), ((8, 17), "Object")], [(0, 1, "hasPatient")])
    report = score([GOLD], [pred])
    assert report.relations_strict.micro.tp == 0
    assert report.relations_boundaries.micro.tp == 0


def test_reversed_relation_matches_only_when_declared_symmetric() -> None:
    gold = _text([(PUMP, "Object"), (SEAL, "Object")], [(0, 1, "sameAs")])
    pred = _text([(PUMP, "Object"), (SEAL, "Object")], [(1, 0, "sameAs")])

    assert score([gold], [pred]).relations_strict.micro.f1 == 0.0
    assert score([gold], [pred]).relations_boundaries.micro.f1 == 0.0
    declared = score([gold], [pred], symmetric={"sameAs"})
    assert declared.relations_strict.micro.f1 == 1.0
    assert declared.relations_boundaries.micro.f1 == 1.0
    assert score([gold], [pred], symmetric={"hasPart"}).relations_strict.micro.f1 == 0.0


def test_macro_and_micro_differ_on_imbalanced_labels() -> None:
    gold = [_text([((0, 3), "Activity")], id=f"a{i}", text="fix pump") for i in range(4)]
    gold.append(_text([((0, 4), "State")], id="s", text="leak"))
    pred = [*gold[:4], _text([], id="s", text="leak")]
    report = score(gold, pred)

    _assert_scores(report.entity_micro, 1.0, 0.8, 8 / 9)
    _assert_scores(report.entity_macro, 0.5, 0.5, 0.5)
    assert report.entity_macro.support == 5
    assert report.headline()["entity_micro_f1"] == 88.89


def test_confusion_counts_swaps_misses_and_spurious() -> None:
    pred_1 = _text([(REPLACE, "Activity"), (PUMP, "State"), (NOW, "Object")])
    gold_2 = _text([((0, 4), "Object")], id="wo-2", text="pump leak")
    pred_2 = _text([((0, 4), "State"), ((5, 9), "State")], id="wo-2", text="pump leak")
    report = score([GOLD, gold_2], [pred_1, pred_2])

    assert report.confusion == {
        "Object": {MISSED: 1, "State": 2},
        SPURIOUS: {"Object": 1, "State": 1},
    }


def test_duplicate_predictions_count_once() -> None:
    gold = _text([(PUMP, "Object")], [])
    pred = _text([(PUMP, "Object"), (PUMP, "Object")], [(0, 0, "isA"), (1, 1, "isA")])
    report = score([gold], [pred])
    assert report.entity_micro.predicted == 1
    _assert_scores(report.entity_micro, 1.0, 1.0, 1.0)
    assert report.relations_strict.micro.predicted == 1


def test_empty_gold_and_prediction_score_zero_without_rows() -> None:
    report = score([_text([])], [_text([])])
    assert report.entities == {}
    assert report.relations_strict.per_label == {}
    _assert_scores(report.entity_micro, 0.0, 0.0, 0.0)
    _assert_scores(report.entity_macro, 0.0, 0.0, 0.0)
    assert report.headline()["relation_strict_micro_f1"] == 0.0


def test_predictions_without_gold_have_a_zero_row() -> None:
    report = score([_text([])], [_text([(PUMP, "Object")])])
    assert report.entities["Object"] == LabelScore(
        precision=0.0, recall=0.0, f1=0.0, support=0, predicted=1, tp=0
    )
    assert report.confusion == {SPURIOUS: {"Object": 1}}


def test_markdown_lists_labels_and_averages_as_percentages() -> None:
    pred = _text([(REPLACE, "Activity"), (PUMP, "Object"), (SEAL, "State")], [(0, 1, "hasPatient")])
    md = score([GOLD], [pred]).to_markdown()
    for label in ("Activity", "Object", "State", "hasPatient", "hasPart"):
        assert f"| {label} |" in md
    assert "| **micro** | 66.67 | 66.67 | 66.67 | 3 | 3 |" in md
    assert "| **macro** |" in md
    assert "| **untyped micro** | 100.00 | 100.00 | 100.00 | 3 | 3 |" in md
    assert "| Object | State | 1 |" in md


def test_json_round_trips(tmp_path: Path) -> None:
    pred = _text([(REPLACE, "Activity"), (SEAL, "State")], [(0, 1, "hasPatient")])
    report = score([GOLD], [pred], symmetric={"hasPart"})
    path = report.to_json(tmp_path / "out" / "report.json")
    assert EvalReport.model_validate_json(path.read_text()) == report
    assert EvalReport.from_json(path) == report


def test_report_rejects_unknown_fields() -> None:
    data = score([GOLD], [GOLD]).model_dump()
    data["extra"] = 1
    with pytest.raises(ValidationError):
        EvalReport.model_validate(data)


def test_mismatched_ids_raise_bad_input_naming_the_pair() -> None:
    with pytest.raises(BadInputError, match=r"#1.*'wo-2'.*'wo-3'"):
        score([GOLD, _text([], id="wo-2")], [GOLD, _text([], id="wo-3")])


def test_mismatched_text_or_length_raise_bad_input() -> None:
    with pytest.raises(BadInputError, match="predicted text differs"):
        score([GOLD], [_text([], text="replace pump")])
    with pytest.raises(BadInputError, match="1 gold texts but 0 predicted"):
        score([GOLD], [])
