"""Cut a document's text into chunks (sentences, joined while short) that keep their character offsets.

spaCy's rule-based ``sentencizer`` on a blank English pipeline splits sentences (no model download);
paragraphs (blank lines) and, for tabular renderings and tables pasted into prose (most lines of a paragraph
split into cells by ``|``, tabs or runs of spaces), lines are hard boundaries: a row is read on its own, never
run together with the next row as one sentence. Consecutive short
sentences of a paragraph are joined up to ``max_chars``; an over-long sentence is cut at whitespace.
Every chunk's ``text`` equals ``document[offset : offset + len(text)]``.

Example:
    >>> text = "Replace the seal. Pump P-101 leaks.\\n\\nSupplier: SKF."
    >>> [(c.offset, c.text) for c in split_text(text, doc_id="d1", max_chars=20)]
    [(0, 'Replace the seal.'), (18, 'Pump P-101 leaks.'), (37, 'Supplier: SKF.')]
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from extractors.types import TextChunk

DEFAULT_MAX_CHARS = 400
_PARAGRAPH = re.compile(r"\n[ \t\r\f\v]*\n\s*")
_LINE = re.compile(r"\n")
_CELL_BREAK = re.compile(r"\||\t| {3,}")  # between cells of a row pasted as text


def looks_tabular(block: str) -> bool:
    """Three or more lines, most of them with two or more cell breaks: a table pasted as text."""
    lines = [line for line in block.splitlines() if line.strip()]
    if len(lines) < 3:
        return False
    rows = sum(1 for line in lines if len(_CELL_BREAK.findall(line.strip())) >= 2)
    return rows >= 0.6 * len(lines)


@lru_cache(maxsize=1)
def _sentencizer() -> Any:
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.max_length = 10_000_000  # we hand it paragraphs; the limit only guards pathological input
    return nlp


def _blocks(text: str, pattern: re.Pattern[str]) -> Iterator[tuple[int, int]]:
    start = 0
    for m in pattern.finditer(text):
        if m.start() > start:
            yield start, m.start()
        start = m.end()
    if start < len(text):
        yield start, len(text)


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _cut_long(text: str, start: int, end: int, max_chars: int) -> Iterator[tuple[int, int]]:
    """Cut [start, end) into pieces of at most ``max_chars`` at whitespace where there is some."""
    while end - start > max_chars:
        cut = text.rfind(" ", start + max_chars // 2, start + max_chars)
        cut = cut if cut > start else start + max_chars
        yield _trimmed(text, start, cut)
        start = cut
    yield _trimmed(text, start, end)


def _prose_blocks(text: str) -> Iterator[tuple[int, int]]:
    """Paragraphs; a paragraph that is a pasted table, one block per line."""
    for s, e in _blocks(text, _PARAGRAPH):
        if looks_tabular(text[s:e]):
            yield from ((s + ls, s + le) for ls, le in _blocks(text[s:e], _LINE))
        else:
            yield s, e


def sentence_spans(
    text: str, *, max_chars: int = DEFAULT_MAX_CHARS, lines: bool = False
) -> list[tuple[int, int]]:
    """``(start, end)`` of each chunk; ``lines=True`` treats every line as a boundary (table renderings)."""
    blocks = [
        (s, e) for s, e in (_blocks(text, _LINE) if lines else _prose_blocks(text)) if not text[s:e].isspace()
    ]
    nlp = _sentencizer()
    spans: list[tuple[int, int]] = []
    for (b_start, _), doc in zip(blocks, nlp.pipe(text[s:e] for s, e in blocks), strict=True):
        current: tuple[int, int] | None = None
        for sent in doc.sents:
            s, e = _trimmed(text, b_start + sent.start_char, b_start + sent.end_char)
            if s >= e:
                continue
            if current is not None and e - current[0] <= max_chars:
                current = (current[0], e)
                continue
            if current is not None:
                spans.extend(_cut_long(text, *current, max_chars))
            current = (s, e)
        if current is not None:
            spans.extend(_cut_long(text, *current, max_chars))
    return [(s, e) for s, e in spans if e > s]


def split_text(
    text: str, *, doc_id: str, max_chars: int = DEFAULT_MAX_CHARS, lines: bool = False
) -> list[TextChunk]:
    """The chunks of ``text`` as :class:`TextChunk` (``offset`` = position in the document)."""
    return [
        TextChunk(text=text[s:e], doc_id=doc_id, offset=s)
        for s, e in sentence_spans(text, max_chars=max_chars, lines=lines)
    ]
