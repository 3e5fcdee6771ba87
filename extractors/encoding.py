"""From texts to model windows and back to character spans.

Texts are cut into overlapping windows by the tokenizer (``return_overflowing_tokens``), so any length
works with exact offsets. Tags are learned and read on the first sub-token of each word (the tokenizer's
pre-tokenizer words), so a predicted span always covers whole words; its characters come from the
tokenizer's offset mapping. Where windows overlap, each word is read from the window in which it sits
farthest from an edge.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from transformers import PreTrainedTokenizerBase

from extractors.types import AnnotatedText

IGNORE = -100


@dataclass
class Window:
    """One tokenizer window of one text."""

    text_index: int
    input_ids: list[int]
    offsets: list[tuple[int, int]]
    word_ids: list[int | None]
    #: token index of the first sub-token of each word in this window, in order
    word_starts: list[int] = field(default_factory=list)
    #: token index of the last sub-token of each word (same order)
    word_ends: list[int] = field(default_factory=list)
    tags: list[int] | None = None
    #: gold entities inside the window: (first token, last token, label index, entity index in the text)
    spans: list[tuple[int, int, int, int]] = field(default_factory=list)
    #: False when the text's corpus does not annotate relations: no relation targets from this window
    relations: bool = True

    def centrality(self, position: int) -> int:
        """Distance of a word (by position in ``word_starts``) from the nearer window edge."""
        return min(position, len(self.word_starts) - 1 - position)


#: Words as people write identifiers: ``6205-2RSH``, ``LDS-P-101``, ``CD/HCP4A``, ``S.p.A`` stay one word;
#: punctuation around a word is a word of its own; CJK characters are one word each (no spaces to go by).
WORD = re.compile(
    r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]"
    r"|[^\W\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]"
    r"(?:[^\s\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]*[^\W\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af])?"
    r"|[^\w\s]"
)


def split_words(text: str) -> list[tuple[int, int]]:
    """Character spans of the words of ``text`` (see :data:`WORD`).

    Example:
        >>> t = "repl. 6205-2RSH on LDS-P-101, (leaking)"
        >>> [t[s:e] for s, e in split_words(t)]
        ['repl', '.', '6205-2RSH', 'on', 'LDS-P-101', ',', '(', 'leaking', ')']
    """
    return [m.span() for m in WORD.finditer(text)]


def make_windows(
    tokenizer: PreTrainedTokenizerBase, texts: Sequence[str], *, max_length: int, stride: int
) -> list[Window]:
    """Tokenize ``texts`` into overlapping windows with character offsets and word ids.

    Texts are split into words by :func:`split_words` first, so a predicted span always covers whole
    words as written (a part number is never cut at its hyphen); sub-token offsets are mapped back to
    the text's characters.
    """
    spans = [split_words(t) for t in texts]
    enc = tokenizer(
        [[t[s:e] for s, e in sp] for t, sp in zip(texts, spans, strict=True)],
        is_split_into_words=True,
        max_length=max_length,
        stride=stride,
        truncation=True,
        return_overflowing_tokens=True,
        return_offsets_mapping=True,
        padding=False,
    )
    windows = []
    for i, ids in enumerate(enc["input_ids"]):
        word_ids = enc.word_ids(i)
        text_index = enc["overflow_to_sample_mapping"][i]
        words = spans[text_index]
        offsets = [
            (0, 0) if wid is None else (words[wid][0] + o[0], words[wid][0] + o[1])
            for wid, o in zip(word_ids, enc["offset_mapping"][i], strict=True)
        ]
        w = Window(text_index, ids, offsets, word_ids)
        for t, wid in enumerate(word_ids):
            if wid is None:
                continue
            if t == 0 or word_ids[t - 1] != wid:
                w.word_starts.append(t)
                w.word_ends.append(t)
            else:
                w.word_ends[-1] = t
        windows.append(w)
    # a window may start or end inside a long word (a part number of many sub-tokens): where a neighbour
    # window of the same text overlaps (stride), leave that edge word to the neighbour
    for prev, nxt in itertools.pairwise(windows):
        if prev.text_index == nxt.text_index:
            if len(prev.word_starts) > 1:
                del prev.word_starts[-1], prev.word_ends[-1]
            if len(nxt.word_starts) > 1:
                del nxt.word_starts[0], nxt.word_ends[0]
    return windows


def attach_gold(
    windows: list[Window],
    texts: Sequence[AnnotatedText],
    tag_index: dict[str, int],
    label_index: dict[str, int],
) -> int:
    """Set BIO targets and gold spans on each window; return how many entities could not be tagged
    (nested in or overlapping another entity: a flat tagger keeps the longer one)."""
    dropped = 0
    for w in windows:
        text = texts[w.text_index]
        tags = [IGNORE] * len(w.input_ids)
        for t in w.word_starts:
            tags[t] = tag_index["O"]
        taken: set[int] = set()
        lo, hi = _char_range(w)
        order = sorted(
            range(len(text.entities)), key=lambda k: (text.entities[k].start, -text.entities[k].end)
        )
        for k in order:
            e = text.entities[k]
            if e.start < lo or e.end > hi:
                continue  # not (fully) in this window; another window has it
            words = [
                p
                for p, t in enumerate(w.word_starts)
                if _overlaps(w.offsets[t], w.offsets[w.word_ends[p]], e.start, e.end)
            ]
            if not words:
                continue
            if taken.intersection(words):
                dropped += 1
                continue
            taken.update(words)
            for n, p in enumerate(words):
                tags[w.word_starts[p]] = tag_index[("B-" if n == 0 else "I-") + e.label]
            w.spans.append((w.word_starts[words[0]], w.word_ends[words[-1]], label_index[e.label], k))
        w.tags = tags
    return dropped


def _char_range(w: Window) -> tuple[int, int]:
    if not w.word_starts:
        return (0, 0)
    return (w.offsets[w.word_starts[0]][0], w.offsets[w.word_ends[-1]][1])


def _overlaps(first: tuple[int, int], last: tuple[int, int], start: int, end: int) -> bool:
    return first[0] < end and last[1] > start


@dataclass(frozen=True)
class WordPrediction:
    """The tag read for one word, with its window and token positions."""

    window: int
    position: int
    tag: int
    prob: float


def decode_spans(
    words: list[tuple[int, int, WordPrediction]], tags: Sequence[str]
) -> list[tuple[int, int, str, float, list[WordPrediction]]]:
    """BIO over words (sorted by character start) → (char start, char end, label, score, words).

    Lenient: an ``I-X`` that does not continue an ``X`` starts a new entity, as most taggers do.
    """
    out: list[tuple[int, int, str, float, list[WordPrediction]]] = []
    cur: list[tuple[int, int, WordPrediction]] = []
    cur_label = ""

    def close() -> None:
        if cur:
            score = sum(p.prob for _, _, p in cur) / len(cur)
            out.append((cur[0][0], cur[-1][1], cur_label, score, [p for _, _, p in cur]))

    for start, end, pred in words:
        tag = tags[pred.tag]
        if tag == "O":
            close()
            cur, cur_label = [], ""
            continue
        kind, label = tag.split("-", 1)
        if kind == "B" or label != cur_label:
            close()
            cur, cur_label = [], label
        cur.append((start, end, pred))
    close()
    return out
