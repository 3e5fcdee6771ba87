"""Per-label confidence thresholds: chosen on dev by strict F1, applied at inference, stored in the model."""

from __future__ import annotations

from types import SimpleNamespace

from extractors.thresholds import tune_thresholds
from extractors.transformer import ModelMeta, TransformerExtractor
from extractors.types import (
    AnnotatedText,
    ChunkExtraction,
    EntityAnnotation,
    Mention,
    PredictedRelation,
    RelationAnnotation,
)

TEXT = "pump " * 40  # 40 five-character slots: mention k spans [5k, 5k + 4)


def _meta() -> ModelMeta:
    return ModelMeta(
        name="t",
        version="1",
        tags=["O"],
        entity_labels=["Part", "Cause", "Site"],
        relation_labels=["causes"],
    )


def _m(k: int, label: str, score: float) -> Mention:
    return Mention(start=5 * k, end=5 * k + 4, label=label, score=score, text="pump")


class ScriptedExtractor:
    """Fixed predictions for the dev texts: the tuner's input, so its choice can be checked by hand."""

    def __init__(self, preds: list[ChunkExtraction]):
        self.meta = _meta()
        self.preds = preds
        self.seen_thresholds: list[tuple[dict[str, float], float]] = []

    def predict(self, texts: list[str]) -> list[ChunkExtraction]:
        self.seen_thresholds.append((dict(self.meta.entity_thresholds), self.meta.relation_threshold))
        return self.preds


def _gold(
    parts: list[int], causes: list[int], sites: list[int], links: list[tuple[int, int]]
) -> AnnotatedText:
    ents = [EntityAnnotation(start=5 * k, end=5 * k + 4, label="Part") for k in parts]
    ents += [EntityAnnotation(start=5 * k, end=5 * k + 4, label="Cause") for k in causes]
    ents += [EntityAnnotation(start=5 * k, end=5 * k + 4, label="Site") for k in sites]
    index = {e.start // 5: i for i, e in enumerate(ents)}
    rels = [RelationAnnotation(head=index[h], tail=index[t], label="causes") for h, t in links]
    return AnnotatedText(id="d", text=TEXT, entities=ents, relations=rels)


def test_each_label_gets_the_cut_off_that_maximises_its_dev_f1() -> None:
    # Part: 6 gold, predicted right at 0.9 and wrong at 0.3 -> a cut-off above 0.3 removes only errors.
    # Cause: 6 gold, all predicted right, some at low confidence -> keeping everything is best (no cut-off).
    gold = _gold(parts=list(range(6)), causes=list(range(10, 16)), sites=[30], links=[])
    mentions = [_m(k, "Part", 0.9) for k in range(6)] + [_m(k, "Part", 0.3) for k in range(20, 26)]
    mentions += [_m(k, "Cause", 0.2 if k % 2 else 0.8) for k in range(10, 16)]
    mentions += [_m(31, "Site", 0.1)]  # Site: 1 gold item, below min_support -> untouched
    ex = ScriptedExtractor([ChunkExtraction(mentions=mentions)])

    tuned = tune_thresholds(ex, [gold], min_support=5)  # type: ignore[arg-type]

    assert 0.3 < tuned.entity["Part"] <= 0.9
    assert "Cause" not in tuned.entity  # no cut-off beats keeping every mention
    assert "Site" not in tuned.entity and "Site" not in tuned.choices["entity"]
    part = tuned.choices["entity"]["Part"]
    assert part.gold == 6 and part.f1_default == 0.6667 and part.f1_tuned == 1.0


def test_relation_cut_offs_are_tuned_among_kept_mentions_and_the_model_is_left_as_it_was() -> None:
    gold = _gold(
        parts=list(range(6)), causes=list(range(10, 16)), sites=[], links=[(10 + i, i) for i in range(6)]
    )
    mentions = [_m(k, "Part", 0.9) for k in range(6)] + [_m(k, "Cause", 0.9) for k in range(10, 16)]
    # right links score 0.35 (below the global 0.5), wrong ones 0.25: a per-label 0.3 recovers them all
    right = [PredictedRelation(head=6 + i, tail=i, label="causes", score=0.35) for i in range(6)]
    wrong = [PredictedRelation(head=6 + i, tail=(i + 1) % 6, label="causes", score=0.25) for i in range(6)]
    ex = ScriptedExtractor([ChunkExtraction(mentions=mentions, relations=right + wrong)])

    tuned = tune_thresholds(ex, [gold], min_support=5)  # type: ignore[arg-type]

    assert tuned.relation == {"causes": 0.3}
    c = tuned.choices["relation"]["causes"]
    assert c.f1_default == 0.0 and c.f1_tuned == 1.0
    assert ex.seen_thresholds == [({}, 0.2)]  # predicted once, with no cut-offs and the relation floor
    assert ex.meta.relation_threshold == 0.5 and ex.meta.entity_thresholds == {}  # restored
    tuned.apply(ex.meta)
    assert ex.meta.relation_thresholds == {"causes": 0.3}
    assert ModelMeta.model_validate_json(ex.meta.model_dump_json()).relation_thresholds == {"causes": 0.3}


def test_inference_drops_mentions_and_relations_below_their_label_cut_off() -> None:
    meta = _meta().model_copy(
        update={"entity_thresholds": {"Part": 0.5}, "relation_thresholds": {"causes": 0.3}}
    )
    me = SimpleNamespace(version="t@1", meta=meta)
    weak_part, part, cause = _m(0, "Part", 0.4), _m(2, "Part", 0.9), _m(4, "Cause", 0.2)
    pairs = {
        ((20, 24, "Cause"), (10, 14, "Part")): (
            "causes",
            0.35,
        ),  # above the per-label 0.3, below the global 0.5
        ((20, 24, "Cause"), (0, 4, "Part")): ("causes", 0.9),  # its tail is dropped
    }
    found = [(1, weak_part), (1, part), (1, cause)]
    out = TransformerExtractor._merge(me, found, pairs)  # type: ignore[arg-type]
    assert [m.text for m in out.mentions] == ["pump", "pump"]
    assert [(m.start, m.label) for m in out.mentions] == [(10, "Part"), (20, "Cause")]  # Cause has no cut-off
    assert [(r.head, r.tail, r.label) for r in out.relations] == [(1, 0, "causes")]

    stricter = SimpleNamespace(version="t@1", meta=meta.model_copy(update={"relation_thresholds": {}}))
    assert TransformerExtractor._merge(stricter, found, pairs).relations == []  # type: ignore[arg-type]
