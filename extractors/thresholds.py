"""Per-label confidence thresholds, chosen on a dev split.

One global cut-off serves labels badly: a tagger is sure of ``PhysicalObject`` spans and unsure of
``FailureCause`` ones, and a relation head that is right about ``hasPart`` at 0.5 may be right about
``causes`` at 0.3. After training (and on demand, ``kg tune-thresholds``) each label gets the cut-off that
maximises its strict F1 on dev; labels with fewer than ``min_support`` gold items on dev keep the defaults
(keep every entity; the model's global relation threshold), so a handful of examples never sets a rule.

The thresholds live in the model's ``mfgkg.json`` (``entity_thresholds``, ``relation_thresholds``) and
:class:`~extractors.transformer.TransformerExtractor` applies them at inference.

Example:
    >>> tuned = tune_thresholds(extractor, dev_texts)          # doctest: +SKIP
    >>> tuned.apply(extractor.meta); extractor.save_pretrained(folder)  # doctest: +SKIP
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from extractors.types import AnnotatedText, ChunkExtraction

if TYPE_CHECKING:
    from extractors.transformer import ModelMeta, TransformerExtractor

#: relation scores below this are never kept, so no threshold can go lower
RELATION_FLOOR = 0.2
GRID = tuple(round(0.05 * i, 2) for i in range(20))  # 0.0 .. 0.95


@dataclass
class LabelChoice:
    """The cut-off chosen for one label, with its dev F1 before (default cut-off) and after."""

    threshold: float
    gold: int
    f1_default: float
    f1_tuned: float


@dataclass
class Thresholds:
    """Per-label cut-offs for entities and relations, and how each was chosen."""

    entity: dict[str, float] = field(default_factory=dict)
    relation: dict[str, float] = field(default_factory=dict)
    choices: dict[str, dict[str, LabelChoice]] = field(default_factory=lambda: {"entity": {}, "relation": {}})

    def apply(self, meta: ModelMeta) -> None:
        """Store the cut-offs in a model's metadata (save the model to keep them)."""
        meta.entity_thresholds = dict(self.entity)
        meta.relation_thresholds = dict(self.relation)

    def summary(self) -> dict[str, Any]:
        """JSON-ready: per kind and label, the threshold, gold count and F1 with default and tuned cut-off."""
        return {
            kind: {label: vars(c) for label, c in sorted(by_label.items())}
            for kind, by_label in self.choices.items()
        }


def tune_thresholds(
    extractor: TransformerExtractor, texts: Sequence[AnnotatedText], *, min_support: int = 5
) -> Thresholds:
    """Choose each label's cut-off on ``texts`` (gold, labels as the model's) by strict F1.

    Entities first (a dropped mention drops its relations), then relations among the mentions kept.
    """
    meta = extractor.meta
    saved = (meta.entity_thresholds, meta.relation_thresholds, meta.relation_threshold)
    meta.entity_thresholds, meta.relation_thresholds, meta.relation_threshold = {}, {}, RELATION_FLOOR
    try:
        preds = extractor.predict([t.text for t in texts])
    finally:
        meta.entity_thresholds, meta.relation_thresholds, meta.relation_threshold = saved
    out = Thresholds()
    _tune_entities(texts, preds, min_support, out)
    _tune_relations(texts, preds, min_support, saved[2], out)
    return out


def _best(candidates: list[tuple[float, bool]], n_gold: int, grid: Sequence[float]) -> tuple[float, float]:
    """The lowest grid cut-off with the best F1, and that F1."""
    best_t, best_f1 = grid[0], -1.0
    for t in grid:
        tp = sum(1 for s, hit in candidates if hit and s >= t)
        fp = sum(1 for s, hit in candidates if not hit and s >= t)
        f1 = 2 * tp / (2 * tp + fp + (n_gold - tp)) if n_gold + fp else 0.0
        if f1 > best_f1 + 1e-9:
            best_t, best_f1 = t, f1
    return best_t, best_f1


def _f1_at(candidates: list[tuple[float, bool]], n_gold: int, t: float) -> float:
    return _best(candidates, n_gold, (t,))[1]


def _tune_entities(
    texts: Sequence[AnnotatedText], preds: list[ChunkExtraction], min_support: int, out: Thresholds
) -> None:
    gold: dict[str, set[tuple[int, int, int]]] = defaultdict(set)
    for i, text in enumerate(texts):
        for e in text.entities:
            gold[e.label].add((i, e.start, e.end))
    cands: dict[str, list[tuple[float, bool]]] = defaultdict(list)
    for i, p in enumerate(preds):
        for m in p.mentions:
            cands[m.label].append((m.score, (i, m.start, m.end) in gold[m.label]))
    for label in sorted(set(gold) | set(cands)):
        n = len(gold[label])
        if n < min_support:
            continue
        t, f1 = _best(cands[label], n, GRID)
        base = _f1_at(cands[label], n, 0.0)
        if f1 <= base:
            t, f1 = 0.0, base  # no gain on dev: keep every mention
        out.choices["entity"][label] = LabelChoice(t, n, round(base, 4), round(f1, 4))
        if t > 0:
            out.entity[label] = t


def _tune_relations(
    texts: Sequence[AnnotatedText],
    preds: list[ChunkExtraction],
    min_support: int,
    default: float,
    out: Thresholds,
) -> None:
    gold: dict[str, set[Any]] = defaultdict(set)
    for i, text in enumerate(texts):
        for r in text.relations:
            gh, gt = text.entities[r.head], text.entities[r.tail]
            gold[r.label].add((i, (gh.start, gh.end, gh.label), (gt.start, gt.end, gt.label)))
    cands: dict[str, list[tuple[float, bool]]] = defaultdict(list)
    for i, p in enumerate(preds):
        for pr in p.relations:
            h, tl = p.mentions[pr.head], p.mentions[pr.tail]
            if h.score < out.entity.get(h.label, 0.0) or tl.score < out.entity.get(tl.label, 0.0):
                continue  # the entity cut-off drops this end, and so the relation
            key = (i, (h.start, h.end, h.label), (tl.start, tl.end, tl.label))
            cands[pr.label].append((pr.score, key in gold[pr.label]))
    grid = [g for g in GRID if g >= RELATION_FLOOR]
    for label in sorted(set(gold) | set(cands)):
        n = len(gold[label])
        if n < min_support:
            continue
        t, f1 = _best(cands[label], n, grid)
        base = _f1_at(cands[label], n, default)
        if f1 <= base:
            t, f1 = default, base  # no gain on dev: the model's global cut-off
        out.choices["relation"][label] = LabelChoice(t, n, round(base, 4), round(f1, 4))
        if t != default:
            out.relation[label] = t
