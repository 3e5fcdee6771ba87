"""Where a name starts and ends in the text, when the model cut it short or ran it on: an organisation's
name up to its legal form and back to its first capitalised word, an item's name after a glued lower-case
word, and a mention cut at a column gap of a table pasted as text. Ingestion applies these to the model's
spans before the rules of :mod:`kg.ingest.node_rules` judge the surfaces.
"""

from __future__ import annotations

import re

import regex

from kg.ingest.node_rules import FUNCTION_WORDS, GENERIC_WORDS, LEGAL_FORMS, wordlist

_LEGAL_AFTER = regex.compile(r"[ \t]*,?[ \t]*([\p{L}.]+\.?(?:[ \t]+z[ \t]+o\.o\.)?)")
_NAME_BEFORE = regex.compile(r"(?:^|(?<=[\s(\"'“]))(\p{Lu}[\p{L}\p{M}&'.-]*) \Z")
#: capitalised words that start a sentence or a field rather than a name ("From", "Supplier", "To")
_NOT_NAME_START = (
    FUNCTION_WORDS | GENERIC_WORDS | wordlist("from to by for at in with and or of via per dear re")
)


def item_start(surface: str) -> int:
    """Where an item's name starts in a mention that glued a lower-case word to it, as table cells and
    headings run together: "ram Guide bushings" → "Guide bushings", "x O-ring" → "O-ring" (the offset).

    Example:
        >>> s = "part Hose assembly"
        >>> s[item_start(s) :], item_start("deep groove ball bearing"), item_start("bowl O-ring")
        ('Hose assembly', 0, 0)
    """
    offset = 0
    for word in surface.split(" "):
        if word[:1].isupper() and word[1:2].islower():  # "Hose", not "O-ring" or "V-belt" (written so)
            return offset if offset and surface[:offset].islower() else 0
        offset += len(word) + 1
    return 0


#: a run of spaces or a tab between two cells of a table pasted as text ("PH 2SN08 1500     Hose assy")
_COLUMN_GAP = re.compile(r"\t|[ \u00a0]{3,}")


def column_cell(text: str, span: tuple[int, int]) -> tuple[int, int]:
    """A mention that runs across a column gap of a table pasted as text is cut to its first cell that has a
    letter in it: the model reads "PH 2SN08 1500     Hose assy" as one name, the table has two cells.

    Example:
        >>> t = "1   PH 2SN08 1500     Hose assy 1/2in"
        >>> s, e = column_cell(t, (4, 26)); t[s:e]
        'PH 2SN08 1500'
    """
    start, end = span
    cells, at = [], start
    for gap in _COLUMN_GAP.finditer(text, start, end):
        cells.append((at, gap.start()))
        at = gap.end()
    if not cells:
        return span
    cells.append((at, end))
    return next(((s, e) for s, e in cells if any(c.isalpha() for c in text[s:e])), span)


def name_end(text: str, end: int) -> int:
    """Where an organisation's name that a model cut short really ends: after the legal form that follows it
    on the same line ("Moravia [Press Systems] a.s." → "... Press Systems a.s.").

    Example:
        >>> text = "Moravia Press Systems a.s. – Chapter 9"
        >>> text[: name_end(text, text.index(" a.s."))]
        'Moravia Press Systems a.s.'
    """
    found = _LEGAL_AFTER.match(text, end)
    form = found[1].split()[0] if found is not None else ""
    written = any(c.isupper() or c == "." for c in form)  # "Ltd", "a.s.": not the word "as" or "co"
    return found.end() if found is not None and written and form.lower() in LEGAL_FORMS else end


def name_start(text: str, start: int, *, words: int = 3, legal: bool = False) -> int:
    """Where an organisation's name that a model cut short really starts: up to ``words`` capitalised words
    directly before it on the same line ("from Hydraulika [Ostrava s.r.o]" → "Hydraulika Ostrava s.r.o"),
    mid-sentence (or anywhere on the line when the name ends in a legal form, ``legal``), and not a word that
    starts a field or names a role ("Supplier", "From").

    Example:
        >>> text = "hoses from Hydraulika Ostrava s.r.o. are fine"
        >>> text[name_start(text, text.index("Ostrava")) :][:24]
        'Hydraulika Ostrava s.r.o'
        >>> name_start("Supplier Trelleborg", 9), name_start("as agreed with Supplier Trelleborg", 24)
        (9, 24)
    """
    line_start = text.rfind("\n", 0, start) + 1
    for _ in range(words):
        found = _NAME_BEFORE.search(text[line_start:start])
        if found is None or found[1].lower().strip(".") in _NOT_NAME_START:
            break
        before = text[line_start : line_start + found.start(1)].rstrip()
        if not legal and (not before or not (before[-1].islower() or before[-1] in ',(“"')):
            break  # mid-sentence only: a line's or sentence's first word may be any capitalised word
        start = line_start + found.start(1)
    return start
