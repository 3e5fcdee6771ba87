"""Score a normaliser token by token against MaintNorm's gold normalisations."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kg.ingest.normalise.maintnorm_corpus import maintnorm_file, read_maintnorm
from kg.ingest.normalise.normaliser import Normaliser


@dataclass(frozen=True)
class Scores:
    """Token-level scores against MaintNorm's gold, compared case-insensitively.

    ``precision``: of the tokens the normaliser changed, the share changed to the gold form; ``recall``: of
    the tokens the gold changes, the share changed to the gold form; ``error_reduction``: the share of the
    identity baseline's errors that were fixed (MaintNorm's ERR).

    Example:
        >>> Scores("dev", 100, 0.95, 0.80, 0.9, 0.7).error_reduction
        0.75
    """

    split: str
    tokens: int
    accuracy: float
    baseline_accuracy: float  # identity: every token kept (lower-cased)
    precision: float
    recall: float
    masks: bool = False
    counts: dict[str, int] = field(default_factory=dict, compare=False)

    @property
    def error_reduction(self) -> float:
        return round((self.accuracy - self.baseline_accuracy) / max(1e-9, 1 - self.baseline_accuracy), 4)

    def __str__(self) -> str:
        return (
            f"MaintNorm {self.split} ({'with' if self.masks else 'without'} masks, {self.tokens} tokens): "
            f"accuracy {self.accuracy:.4f} (identity {self.baseline_accuracy:.4f}), precision "
            f"{self.precision:.4f}, recall {self.recall:.4f}, error reduction {self.error_reduction:.4f}"
        )


def token_predictions(normaliser: Normaliser, tokens: Sequence[str]) -> list[str]:
    """Normalise the text ``" ".join(tokens)`` and return what became of each token ("" if merged away).

    Example:
        >>> token_predictions(Normaliser({"repl": "replace"}), ["REPL", "pump"])
        ['REPLACE', 'pump']
    """
    spans, pos = [], 0
    for t in tokens:
        spans.append((pos, pos + len(t)))
        pos += len(t) + 1
    result = normaliser(" ".join(tokens))
    out = []
    for start, end in spans:
        pieces, pos = [], start
        for e in result.edits:
            if e.end <= start or e.start >= end:
                continue
            if e.start >= start:
                pieces += [result.original[pos : e.start], e.replacement]
            pos = max(pos, min(e.end, end))
        pieces.append(result.original[pos:end])
        out.append("".join(pieces))
    return out


def evaluate_on_maintnorm(
    split: str = "dev", *, normaliser: Normaliser | None = None, masks: bool = False, root: Path | None = None
) -> Scores:
    """Score ``normaliser`` (default: the shipped lexicon) token by token on a MaintNorm split.

    Args:
        masks: False: the default normaliser (no masking), scored on the tokens whose gold form is not a mask;
            True: ``mask_numbers`` and ``mask_ids`` on, scored on every token.
    """
    if normaliser is None:
        normaliser = Normaliser.from_maintnorm(mask_numbers=masks, mask_ids=masks)
    c: Counter[str] = Counter()
    for text in read_maintnorm(maintnorm_file(split, root)):
        raws = [r for r, _ in text]
        for (raw, gold), pred in zip(text, token_predictions(normaliser, raws), strict=True):
            if not masks and "<" in gold:
                continue
            pred, ident = " ".join(pred.lower().split()), raw.lower()
            c["tokens"] += 1
            c["correct"] += pred == gold
            c["identity_correct"] += ident == gold
            c["gold_changed"] += ident != gold
            c["changed"] += pred != ident
            c["changed_correct"] += pred != ident and pred == gold
    n = max(1, c["tokens"])
    return Scores(
        split,
        c["tokens"],
        round(c["correct"] / n, 4),
        round(c["identity_correct"] / n, 4),
        round(c["changed_correct"] / max(1, c["changed"]), 4),
        round(c["changed_correct"] / max(1, c["gold_changed"]), 4),
        masks,
        dict(c),
    )
