"""Where a name starts and ends in the text, when the model cut it short or ran it on: an organisation's
name up to its legal form and back to its first capitalised word, an item's name after a glued lower-case
word and on to its head noun, a failure cut after "of" on to what finishes it, a mention without the
function words it dangles, and a mention cut at a column gap of a table pasted as text or at a line that
starts anew. Ingestion applies these to the model's spans (:func:`repair_spans`) before the rules of
:mod:`kg.ingest.node_rules` judge the surfaces; ``kg extract`` shows them (:func:`repair_extraction`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import regex

from extractors.types import ChunkExtraction
from kg.ingest.item_heads import is_item_head
from kg.ingest.node_rules import FUNCTION_WORDS, GENERIC_WORDS, LEGAL_FORMS, UNFINISHED_WORDS, wordlist

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


_NEXT_WORD = re.compile(r" ([a-z][a-z-]*[a-z])\b")


def item_end(text: str, span: tuple[int, int], taken: Sequence[tuple[int, int]] = (), words: int = 2) -> int:
    """Where an item's name that the model cut before its head noun really ends: over up to ``words``
    lower-case head nouns of physical objects that follow it on the same line, one space apart, unless
    another mention holds them ("the [suction] strainer" → "suction strainer", "[X axis] ball screw" →
    "X axis ball screw"; not "[pump] [seal]", two mentions, nor "[6205-2RSH] bearing", a part number).

    Example:
        >>> t = "isolate suction strainer and valves"
        >>> t[8 : item_end(t, (8, 15))], t[8 : item_end(t, (8, 15), taken=[(16, 24)])]
        ('suction strainer', 'suction')
        >>> t = "the pump was running"
        >>> t[4 : item_end(t, (4, 8))]
        'pump'
    """
    end = span[1]
    if any(c.isdigit() for c in text[span[0] : end].split(" ")[-1]):
        return end  # a part number names the item: "6205-2RSH bearing" is that part, described
    for _ in range(words):
        nxt = _NEXT_WORD.match(text, end)
        held = nxt is not None and any(s < nxt.end(1) and nxt.start(1) < e for s, e in taken)
        if nxt is None or held or not is_item_head(nxt[1]):
            break
        end = nxt.end(1)
    return end


#: a line break, then (after any indent) a capital: a new line, cell or heading starts there
_NEW_LINE = re.compile(r"\n[ \t]*(?=[A-Z])")


def line_end(text: str, span: tuple[int, int]) -> int:
    """A mention that runs on into a line that starts anew (a capital after the line break) ends at the line
    break: "corrosion marks on the balls\\nBearing running hours" is about the balls. A name wrapped onto
    the next line in lower case ("hose assembly\\nplant") runs on.

    Example:
        >>> t = "marks on the balls\\nBearing hours"
        >>> t[13 : line_end(t, (13, 26))], line_end("hose\\nplant", (0, 10))
        ('balls', 10)
    """
    start, end = span
    found = _NEW_LINE.search(text, start, end)
    if found is None or not text[start : found.start()].strip():
        return end
    return len(text[: found.start()].rstrip())


#: up to three words and nothing else between a phrase cut short and the mention that finishes it
_FEW_WORDS = re.compile(r"[ \t]+(?:[\w/-]+[ \t]+){0,3}")
_SPACE = re.compile(r"[ \t]+")


def finished_end(text: str, span: tuple[int, int], spans: Sequence[tuple[int, int]]) -> tuple[int, list[int]]:
    """A phrase the model cut after "of" ("loss of") runs on to the end of the next mention, up to three
    words on, and of the mentions right after that one: its end, and those mentions' indices (they are part
    of the phrase: "[loss of] [spindle bearing] [preload]" is one failure, not a failure and two parts).

    Example:
        >>> t = "The FMEA cause loss of spindle bearing preload is confirmed."
        >>> end, taken = finished_end(t, (15, 22), [(15, 22), (23, 38), (39, 46)])
        >>> t[15:end], taken
        ('loss of spindle bearing preload', [1, 2])
    """
    end, taken = span[1], list[int]()
    words = text[span[0] : end].lower().split()
    if len(words) < 2 or words[-1] != "of":
        return end, taken
    gap = _FEW_WORDS
    while True:
        after = [(s, j) for j, (s, _) in enumerate(spans) if s >= end and gap.fullmatch(text, end, s)]
        if not after:
            return end, taken
        j = min(after)[1]
        end, gap = spans[j][1], _SPACE
        taken.append(j)


#: function words a mention ends on when the model cut it short ("no longer responds to the")
_DANGLING = re.compile(r"(?:[ \t]+(?:" + "|".join(sorted(UNFINISHED_WORDS)) + r"))+[ \t]*$", re.IGNORECASE)


def trimmed_end(text: str, span: tuple[int, int]) -> int:
    """A mention's end without the function words it dangles ("[no longer responds to the] accelerator
    pedal" → "no longer responds"): the pedal is a mention of its own.

    Example:
        >>> t = "The speed control no longer responds to the accelerator pedal."
        >>> t[18 : trimmed_end(t, (18, 43))]
        'no longer responds'
    """
    found = _DANGLING.search(text, span[0], span[1])
    return found.start() if found is not None and found.start() > span[0] else span[1]


def repair_spans(
    text: str, spans: Sequence[tuple[int, int]], labels: Sequence[str]
) -> tuple[list[tuple[int, int]], set[int]]:
    """Ingestion's repairs of a chunk's mention spans (document offsets, the model's labels), in order: no
    mention runs across a table's column gap or into a line that starts anew; an organisation's name runs
    from its first capitalised word to its legal form, an item's starts after a glued word and runs on to
    its head noun; a failure or organisation cut after "of" takes in the mentions that finish it, and any
    other mention loses the function words it dangles. The repaired spans, and the mentions taken into a
    phrase (no mention of their own any more).

    Example:
        >>> t = "Clean the suction strainer; the FMEA cause loss of bearing preload"
        >>> out, taken = repair_spans(t, [(10, 17), (43, 50), (51, 66)], ["PhysicalObject", "FailureCause",
        ...                                                                "PhysicalObject"])
        >>> [t[s:e] for s, e in out], taken
        (['suction strainer', 'loss of bearing preload', 'bearing preload'], {2})
    """
    out = [_whole_name(text, span, label) for span, label in zip(spans, labels, strict=True)]
    out = [
        (s, item_end(text, (s, e), out[:i] + out[i + 1 :])) if label == "PhysicalObject" else (s, e)
        for i, ((s, e), label) in enumerate(zip(out, labels, strict=True))
    ]
    taken: set[int] = set()
    for i, (s, e) in enumerate(out):
        if i in taken:
            continue
        end, more = finished_end(text, (s, e), out) if labels[i] in _PHRASES else (e, [])
        out[i] = (s, end) if more else (s, trimmed_end(text, (s, e)))
        taken.update(more)
    return out, taken


def repair_extraction(text: str, found: ChunkExtraction) -> ChunkExtraction:
    """An extraction from ``text`` with :func:`repair_spans` applied: what ingestion makes of the model's
    spans (``kg extract`` shows this; ``bench.prose_bench`` scores it). Mentions taken into a longer phrase
    are gone, and so are the relations that named them."""
    mentions = found.mentions
    spans, taken = repair_spans(text, [(m.start, m.end) for m in mentions], [m.label for m in mentions])
    keep = [i for i in range(len(mentions)) if i not in taken]
    index = {old: new for new, old in enumerate(keep)}
    return found.model_copy(
        update={
            "mentions": [
                mentions[i].model_copy(
                    update={"start": spans[i][0], "end": spans[i][1], "text": text[slice(*spans[i])]}
                )
                for i in keep
            ],
            "relations": [
                r.model_copy(update={"head": index[r.head], "tail": index[r.tail]})
                for r in found.relations
                if r.head in index and r.tail in index
            ],
        }
    )


#: labels whose mentions are phrases a preposition's object finishes ("loss of pressure", "Bank of America");
#: an item's is not: "[bottom of] [radiator]" is the radiator
_PHRASES = frozenset({"FailureMode", "FailureCause", "FailureEffect", "Organization"})


def _whole_name(text: str, span: tuple[int, int], label: str) -> tuple[int, int]:
    span = column_cell(text, span)
    span = span[0], line_end(text, span)
    if label == "PhysicalObject":
        return span[0] + item_start(text[span[0] : span[1]]), span[1]
    if label != "Organization":
        return span
    end = name_end(text, span[1])
    legal = any(w.lower() in LEGAL_FORMS for w in text[span[0] : end].split())
    return name_start(text, span[0], legal=legal), end
