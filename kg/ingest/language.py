"""Which text the extractor can read: a language gate in front of extraction.

The extractor is trained on English. Fed a German supplier letter or a Chinese notice, it does not fail: it
invents (random spans typed as parts and organisations). So each chunk is identified first (py3langid, a
naive-Bayes identifier over byte n-grams for 97 languages, ~1 ms a chunk) and a chunk that is confidently
in another language, or written mostly in another script, is not extracted; the document's outcome says how
many characters in which languages were left out, and the run goes on (tables in such a document still
load). Short chunks (part lists, headings, codes) are too short to tell and are always read. Within a chunk
that is read, a line in another language (the French subject line of a bilingual offer) is left out too, at
a higher confidence (:data:`LINE_CONFIDENCE`), since one line says less than a chunk.

``KG_INGEST__LANGUAGES`` lists the languages the extractor is trained for (default ``["en"]``); an empty
list turns the gate off (a multilingual encoder, e.g.).

Example:
    >>> gate = LanguageGate(["en"])
    >>> gate.foreign("The fuel pump may fail, causing the engine to stall without warning.") is None
    True
    >>> gate.foreign("Die Kraftstoffpumpe kann ausfallen, was zum Stillstand des Motors führt.")
    'de'
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

#: fewer letters than this: too short to identify, always read
MIN_LETTERS = 40
#: a Latin-script chunk is foreign only when the identifier is at least this sure
CONFIDENCE = 0.9
#: a line of a chunk that is read is foreign only when the identifier is at least this sure: no English
#: line of the prose corpus or the samples (2,774 of 40 letters or more) reaches it; their French and Czech
#: lines do
LINE_CONFIDENCE = 0.85
#: a longer line is a paragraph of its own, which the chunks' check reads (a 300 kB line of part numbers
#: reads as no language at all)
MAX_LINE = 1000
#: langid's code for text with no language in it (codes, numbers)
NO_LANGUAGE = "zxx"
#: letters at or above this code point are outside the Latin script (Latin Extended-B ends at U+024F)
LATIN_END = 0x250


@cache
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


class LanguageGate:
    """Tells whether a chunk is in a language the extractor was not trained on.

    Args:
        languages: ISO 639-1 codes the extractor reads; empty = read everything.
    """

    def __init__(self, languages: Sequence[str]):
        self.languages = frozenset(lang.lower() for lang in languages)

    def foreign(self, text: str, confidence: float = CONFIDENCE) -> str | None:
        """The chunk's language when the extractor should not read it, else None."""
        if not self.languages:
            return None
        letters = [c for c in text if c.isalpha()]
        if len(letters) < MIN_LETTERS:
            return None
        other_script = sum(1 for c in letters if ord(c) >= LATIN_END) / len(letters)
        lang, p = _identifier().classify(text)
        if other_script > 0.5:  # Cyrillic, CJK, Arabic, ...: an English tokenizer reads it as noise
            return str(lang) if lang not in self.languages else "und"
        if lang not in self.languages and p >= confidence:
            return str(lang)
        return None

    def foreign_lines(self, text: str) -> list[tuple[int, int, str]]:
        """``(start, end, language)`` of each line of ``text`` (up to :data:`MAX_LINE` characters) in a
        language the extractor does not read.

        Example:
            >>> LanguageGate(["en"]).foreign_lines(
            ...     "Objet : Bagues de guidage en bronze pour presse hydraulique 250 t\\n"
            ...     "Subject: Bronze guide bushings for the 250 t hydraulic press\\n"
            ... )
            [(0, 65, 'fr')]
        """
        out, at = [], 0
        for line in text.splitlines(keepends=True):
            lang = self.foreign(line, LINE_CONFIDENCE) if len(line) <= MAX_LINE else None
            if lang is not None and lang != NO_LANGUAGE:
                out.append((at, at + len(line.rstrip("\r\n")), lang))
            at += len(line)
        return out
