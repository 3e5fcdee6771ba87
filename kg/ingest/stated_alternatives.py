"""Alternatives a document states in words: "PH-937399Q is accepted as alternative to HYDAC 0160 D 010
BN4HC", "the new part 1234-5679 supersedes 1234-5678", "OR-150X4-NBR70 is the listed alternative to
OR-150X4-FKM75". Supplier notices (product changes, discontinuations, offers) say this in prose; the extractor
has no relation for it, so a pattern between two item mentions of one sentence gives the ALTERNATIVE_TO a
BOM's alternative column would.

Two items pair when the words between them say so, and nothing between them ends a sentence or names a
third item. The words may describe the first item before the cue ("HO-2SN08-1500 from Hydraulika Ostrava
s.r.o. (approved as alternative to PH-2SN08-1500)").

Example:
    >>> text = "PH-937399Q is accepted as alternative to HD-0160D010BN4HC."
    >>> stated_alternatives(text, [(0, 10), (41, 57)])
    [(0, 1)]
    >>> stated_alternatives("PH-937399Q and HD-0160D010BN4HC are both on stock.", [(0, 10), (15, 31)])
    []
"""

from __future__ import annotations

import itertools
import re

#: the extractor name on the evidence of these edges
STATED_ALTERNATIVE = "stated-alternative/0.1"
#: a description of the first item before the cue: at most 80 characters, no sentence end (". The", ";"), no
#: new paragraph or list item (a line break inside a paragraph is no end)
_LEAD = r"(?:(?![.!?][\s*_]+[A-Z])(?!\n\s*(?:\n|[-*•]|\d+[.)]))[^;!?]){0,80}?"
_ARTICLE = r"(?:(?:an?|the|our|its)\s+)?"
_PART_WORD = r"(?:(?:part(?:\s+(?:number|no\.?))?|p/?n|item|type|article)\s+)?"
#: "is accepted as (an) alternative to", "approved alternative for", "a direct replacement for"
_AS_ALTERNATIVE = (
    rf"\b(?:(?:is|was|are|were|has been|have been|been|being)\s+)?"
    rf"(?:(?:now|also|formally|officially)\s+)?"
    rf"(?:(?:approved|accepted|released|listed|qualified|offered|proposed|recommended)\s+)?"
    rf"(?:as\s+)?{_ARTICLE}"
    rf"(?:(?:approved|accepted|listed|direct|drop-in|interchangeable|recommended)\s+)?"
    rf"(?:alternatives?|alternates?|equivalents?|substitutes?|replacements?|successors?)\s+"
    rf"(?:part\s+|type\s+)?(?:to|for|of)\s+{_ARTICLE}{_PART_WORD}"
)
#: "replaces", "supersedes", "is replaced by", "interchangeable with", "can be used instead of"
_REPLACES = (
    r"\b(?:(?:is|was|will be|has been|can be|may be)\s+)?"
    r"(?:replaces|supersedes|succeeds|substitutes for|replaced by|superseded by|succeeded by|"
    r"interchangeable with|equivalent to|(?:can|may) replace|"
    r"(?:used\s+)?instead of|(?:used\s+)?in place of)\s+"
    rf"{_ARTICLE}{_PART_WORD}"
)
_BETWEEN = re.compile(rf"^[ \t,:(\-–]*{_LEAD}(?:{_AS_ALTERNATIVE}|{_REPLACES})[\s\"'“”(*_`]*$", re.IGNORECASE)


def stated_alternatives(text: str, items: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Index pairs ``(i, j)`` of the ``items`` (character spans in ``text``) that the text states to be
    alternatives, the first named first."""
    order = sorted(range(len(items)), key=lambda k: items[k])
    out: list[tuple[int, int]] = []
    for a, b in itertools.pairwise(order):  # neighbours only: no third item between them
        gap = text[items[a][1] : items[b][0]]
        if items[a][1] <= items[b][0] and _BETWEEN.match(gap):
            out.append((a, b))
    return out
