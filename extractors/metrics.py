"""Strict entity and relation precision/recall/F1 over annotated texts, in the MaintIE/SpERT convention.

Gold and predicted texts are paired by position and must carry the same ids and texts. Every score is a
set comparison over a whole corpus: a predicted item is a true positive if an identical item is in the gold
set of the same text. Duplicates (the same span and label twice, the same relation twice) count once, in
gold and in predictions alike.

What has to match:

- **Entities**: ``(start, end, label)``. The untyped score (``entity_untyped_micro``) compares spans only;
  it is MaintIE's "Entity Classes: 1" NER number.
- **Relations, strict** (``relations_strict``): head span, head label, tail span, tail label and relation
  label. This is SpERT's "with named entity classification" and the first RE block ("Strict RE") of
  MaintIE's RESULTS.md, e.g. 67.07 micro F1 with 5 entity classes.
- **Relations, boundaries** (``relations_boundaries``): head span, tail span and relation label; entity
  labels are ignored. This is SpERT's "without named entity classification", MaintIE's "without entity
  types" (the "Loose RE" block of RESULTS.md, whose prose swaps the two names), e.g. 68.28 with 5 classes.
- **Symmetric relation labels** (``symmetric=``): ``(a, b)`` and ``(b, a)`` are the same relation.

Zero conventions: precision is 0 when nothing was predicted, recall is 0 when there is no gold item, and
F1 is 0 when either is 0, so an empty gold set with an empty prediction scores 0, not 100. A label that is
in neither gold nor predictions has no row. Macro scores are the unweighted means of the per-label
precision, recall and F1 over the labels that have a row (macro F1 is the mean of F1s, as in SpERT).
Scores are stored as fractions in [0, 1]; :meth:`EvalReport.to_markdown` and :meth:`EvalReport.headline`
show percentages.

Example:
    >>> from extractors.types import AnnotatedText, EntityAnnotation
    >>> gold = [AnnotatedText(id="1", text="replace pump", entities=[EntityAnnotation(start=8, end=12,
    ...                                                                             label="Object")])]
    >>> score(gold, gold).headline()["entity_micro_f1"]
    100.0
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Hashable, Sequence
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from extractors.types import AnnotatedText, EntityAnnotation
from kg.core.errors import BadInputError

MISSED = "<missed>"
"""Confusion column: a gold entity whose span no prediction carries with a label left for it."""
SPURIOUS = "<spurious>"
"""Confusion row: a predicted entity whose span has no gold entity (or only gold labels already matched)."""

# A scored item: (label, key), where the key holds the text's position and everything else that must match.
_Item = tuple[str, tuple[Hashable, ...]]


class LabelScore(BaseModel):
    """Precision, recall and F1 (fractions in [0, 1]) with the counts they come from.

    Example:
        >>> LabelScore.from_counts(tp=1, support=2, predicted=1).f1
        0.6666666666666666
    """

    model_config = ConfigDict(extra="forbid")

    precision: float = Field(ge=0, le=1)
    recall: float = Field(ge=0, le=1)
    f1: float = Field(ge=0, le=1)
    support: int = Field(ge=0, description="Number of gold items.")
    predicted: int = Field(ge=0, description="Number of (distinct) predicted items.")
    tp: int = Field(ge=0, description="Number of predicted items that are in gold.")

    @classmethod
    def from_counts(cls, tp: int, support: int, predicted: int) -> LabelScore:
        """Scores from counts, 0 wherever a denominator is 0."""
        return cls(
            precision=tp / predicted if predicted else 0.0,
            recall=tp / support if support else 0.0,
            f1=2 * tp / (support + predicted) if tp else 0.0,
            support=support,
            predicted=predicted,
            tp=tp,
        )


class ScoreTable(BaseModel):
    """Per-label scores with their micro and macro averages.

    Example:
        >>> ScoreTable.from_items({("hasPart", (0, 1))}, set()).micro.recall
        0.0
    """

    model_config = ConfigDict(extra="forbid")

    per_label: dict[str, LabelScore]
    micro: LabelScore
    macro: LabelScore

    @classmethod
    def from_items(cls, gold: set[_Item], pred: set[_Item]) -> ScoreTable:
        """Score two sets of ``(label, key)`` items."""
        support = Counter(label for label, _ in gold)
        predicted = Counter(label for label, _ in pred)
        tp = Counter(label for label, _ in gold & pred)
        per_label = {
            label: LabelScore.from_counts(tp[label], support[label], predicted[label])
            for label in sorted(support.keys() | predicted.keys())
        }
        micro = LabelScore.from_counts(len(gold & pred), len(gold), len(pred))
        return cls(per_label=per_label, micro=micro, macro=_macro(per_label))


class EvalReport(BaseModel):
    """Entity and relation scores of one prediction run against gold (see the module docstring).

    ``confusion`` maps a gold entity label to the labels predicted on exactly its span instead
    (``{"Activity": {"State": 2, "<missed>": 1}}``); its :data:`MISSED` column counts gold entities no
    prediction labels on their span, its :data:`SPURIOUS` row counts predictions on spans gold does not have.

    Example:
        >>> report = score(gold_texts, predicted_texts, symmetric={"isA"})  # doctest: +SKIP
        >>> report.headline()  # doctest: +SKIP
        {'entity_micro_f1': 87.39, 'relation_strict_micro_f1': 67.07, 'relation_boundaries_micro_f1': 68.28}
    """

    model_config = ConfigDict(extra="forbid")

    entities: dict[str, LabelScore]
    entity_micro: LabelScore
    entity_macro: LabelScore
    entity_untyped_micro: LabelScore
    relations_strict: ScoreTable
    relations_boundaries: ScoreTable
    confusion: dict[str, dict[str, int]]
    n_texts: int = Field(ge=0)

    def to_json(self, path: str | Path) -> Path:
        """Write the report as indented JSON (creating parent folders); return the path."""
        out = Path(path)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(self.model_dump_json(indent=2) + "\n", encoding="utf-8")
        return out

    @classmethod
    def from_json(cls, path: str | Path) -> EvalReport:
        """Read a report written by :meth:`to_json`."""
        return cls.model_validate_json(Path(path).read_text(encoding="utf-8"))

    def headline(self) -> dict[str, float]:
        """Entity micro F1 and both relation micro F1s, as percentages rounded to 2 decimals."""
        return {
            "entity_micro_f1": _pct(self.entity_micro.f1),
            "relation_strict_micro_f1": _pct(self.relations_strict.micro.f1),
            "relation_boundaries_micro_f1": _pct(self.relations_boundaries.micro.f1),
        }

    def to_markdown(self) -> str:
        """Markdown tables (percentages, 2 decimals): entities, both relation scores, entity confusions."""
        ents = ScoreTable(per_label=self.entities, micro=self.entity_micro, macro=self.entity_macro)
        parts = [
            f"# Evaluation over {self.n_texts} texts",
            "## Entities (span and label must match)",
            _table_md(ents, extra=[("untyped micro", self.entity_untyped_micro)]),
            "## Relations, strict (spans, entity labels and relation label must match)",
            _table_md(self.relations_strict),
            "## Relations, boundaries (spans and relation label must match; entity labels ignored)",
            _table_md(self.relations_boundaries),
            "## Entity confusions (same span, other label; missed; spurious)",
            _confusion_md(self.confusion),
        ]
        return "\n\n".join(parts) + "\n"


def score(
    gold: Sequence[AnnotatedText], pred: Sequence[AnnotatedText], symmetric: Collection[str] = ()
) -> EvalReport:
    """Score predicted texts against gold texts (paired by position).

    Args:
        gold: Gold annotated texts.
        pred: Predictions, one per gold text, same order, same ids and texts.
        symmetric: Relation labels for which ``(a, b)`` matches ``(b, a)``.

    Returns:
        The report; see the module docstring for what must match and the zero conventions.

    Raises:
        BadInputError: The two sequences differ in length, or a pair differs in id or text.
    """
    _check_pairing(gold, pred)
    sym = frozenset(symmetric)
    ent_gold, ent_pred = _entity_items(gold), _entity_items(pred)
    ents = ScoreTable.from_items(ent_gold, ent_pred)
    span_gold = {key for _, key in ent_gold}
    span_pred = {key for _, key in ent_pred}
    untyped = LabelScore.from_counts(len(span_gold & span_pred), len(span_gold), len(span_pred))
    return EvalReport(
        entities=ents.per_label,
        entity_micro=ents.micro,
        entity_macro=ents.macro,
        entity_untyped_micro=untyped,
        relations_strict=ScoreTable.from_items(
            _relation_items(gold, sym, typed=True), _relation_items(pred, sym, typed=True)
        ),
        relations_boundaries=ScoreTable.from_items(
            _relation_items(gold, sym, typed=False), _relation_items(pred, sym, typed=False)
        ),
        confusion=_confusion(gold, pred),
        n_texts=len(gold),
    )


def _check_pairing(gold: Sequence[AnnotatedText], pred: Sequence[AnnotatedText]) -> None:
    if len(gold) != len(pred):
        raise BadInputError(
            f"{len(gold)} gold texts but {len(pred)} predicted texts; predict exactly one text per gold text."
        )
    for i, (g, p) in enumerate(zip(gold, pred, strict=True)):
        if g.id != p.id:
            raise BadInputError(
                f"Text #{i}: gold id {g.id!r} but predicted id {p.id!r}; keep predictions in gold order."
            )
        if g.text != p.text:
            raise BadInputError(
                f"Text #{i} ({g.id!r}): predicted text differs from gold "
                f"({p.text[:60]!r} vs {g.text[:60]!r}); predict on the gold texts unchanged."
            )


def _entity_items(texts: Sequence[AnnotatedText]) -> set[_Item]:
    return {(e.label, (i, e.start, e.end)) for i, t in enumerate(texts) for e in t.entities}


def _relation_items(texts: Sequence[AnnotatedText], symmetric: frozenset[str], *, typed: bool) -> set[_Item]:
    def end(e: EntityAnnotation) -> tuple[int, int] | tuple[int, int, str]:
        return (e.start, e.end, e.label) if typed else (e.start, e.end)

    items: set[_Item] = set()
    for i, t in enumerate(texts):
        for r in t.relations:
            head, tail = end(t.entities[r.head]), end(t.entities[r.tail])
            if r.label in symmetric and tail < head:
                head, tail = tail, head
            items.add((r.label, (i, head, tail)))
    return items


def _macro(per_label: dict[str, LabelScore]) -> LabelScore:
    n = len(per_label)
    scores = per_label.values()
    return LabelScore(
        precision=sum(s.precision for s in scores) / n if n else 0.0,
        recall=sum(s.recall for s in scores) / n if n else 0.0,
        f1=sum(s.f1 for s in scores) / n if n else 0.0,
        support=sum(s.support for s in scores),
        predicted=sum(s.predicted for s in scores),
        tp=sum(s.tp for s in scores),
    )


def _labels_by_span(text: AnnotatedText) -> dict[tuple[int, int], set[str]]:
    spans: dict[tuple[int, int], set[str]] = defaultdict(set)
    for e in text.entities:
        spans[(e.start, e.end)].add(e.label)
    return spans


def _confusion(gold: Sequence[AnnotatedText], pred: Sequence[AnnotatedText]) -> dict[str, dict[str, int]]:
    counts: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for g, p in zip(gold, pred, strict=True):
        g_spans, p_spans = _labels_by_span(g), _labels_by_span(p)
        for span in g_spans.keys() | p_spans.keys():
            g_labels, p_labels = g_spans.get(span, set()), p_spans.get(span, set())
            wrong_gold, wrong_pred = g_labels - p_labels, p_labels - g_labels
            for gl in wrong_gold:
                # Several wrong labels on one span are rare; each gold/pred pairing is then counted.
                for pl in wrong_pred or {MISSED}:
                    counts[gl][pl] += 1
            if not wrong_gold:
                for pl in wrong_pred:
                    counts[SPURIOUS][pl] += 1
    return {row: dict(sorted(cols.items())) for row, cols in sorted(counts.items())}


def _pct(x: float) -> float:
    return round(100 * x, 2)


def _row(name: str, s: LabelScore) -> str:
    return (
        f"| {name} | {100 * s.precision:.2f} | {100 * s.recall:.2f} | {100 * s.f1:.2f} "
        f"| {s.support} | {s.predicted} |"
    )


def _table_md(table: ScoreTable, extra: Sequence[tuple[str, LabelScore]] = ()) -> str:
    lines = [
        "| label | precision | recall | f1 | support | predicted |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    lines += [_row(label, s) for label, s in table.per_label.items()]
    lines += [_row("**micro**", table.micro), _row("**macro**", table.macro)]
    lines += [_row(f"**{name}**", s) for name, s in extra]
    return "\n".join(lines)


def _confusion_md(confusion: dict[str, dict[str, int]]) -> str:
    if not confusion:
        return "No entity confusions."
    lines = ["| gold label | predicted label | count |", "|---|---|---:|"]
    for gold_label, cols in confusion.items():
        lines += [f"| {gold_label} | {pred_label} | {n} |" for pred_label, n in cols.items()]
    return "\n".join(lines)
