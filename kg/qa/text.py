"""Maintenance shorthand written out for comparing a question's words with names and work-order rows.

Example:
    >>> expand("repl brgs on the hyd pmp")
    'replace bearings on the hydraulic pump'
"""

from __future__ import annotations

import re
from functools import lru_cache

from kg.ingest.normalise import Normaliser


@lru_cache(maxsize=1)
def _normaliser() -> Normaliser:
    return Normaliser.from_maintnorm()


def expand(text: str) -> str:
    """Maintenance shorthand written out ("repl brgs" → "replace bearings"), by the shipped lexicon."""
    return _normaliser()(text).text


@lru_cache(maxsize=1)
def _failure_labels() -> tuple[tuple[re.Pattern[str], str], ...]:
    from ontology import load_ontology

    return tuple(
        (re.compile(rf"\b{re.escape(alt)}\b", re.IGNORECASE), code.pref_label)
        for code in load_ontology().failure_modes()
        for alt in code.alt_labels
        if len(alt) > 3
    )


def with_failure_names(text: str) -> str:
    """``text`` with each phrase that names a failure-mode code of the ontology's ISO 14224-style scheme by
    another name, and shares no word stem with its preferred name, written as that name: "keeps running hot"
    says "overheating"; "seal leak" already meets "External leakage" and stays.

    Example:
        >>> with_failure_names("the motor keeps running hot"), with_failure_names("seal leak")
        ('the motor keeps overheating', 'seal leak')
    """
    for rx, pref in _failure_labels():
        found = rx.search(text)
        if found and not set(stems(found.group(0))) & set(stems(pref)):
            text = text[: found.start()] + pref.casefold() + text[found.end() :]
    return text


def singular(word: str) -> str:
    """A word without a plural ``s`` ("pumps" → "pump", "seals" → "seal"; "press" and "gas" stay)."""
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def stems(text: str) -> list[str]:
    """The first four letters of each word of a phrase after expanding shorthand (words of three letters or
    more): what is compared with names and rows, so "bearing replacements" meets "replaced ... brgs"."""
    return [w[:4] for w in re.findall(r"\w[\w-]*", expand(text).casefold()) if len(w) > 2]


def holds(text: str, wanted: list[str]) -> bool:
    """Whether ``text`` (expanded) holds every stem of ``wanted``, a failure word in any of its spellings
    ("blocked" in "packed w/ swarf")."""
    plain = expand(text).casefold()
    return all(any(w in plain for w in _spellings(st)) for st in wanted)


#: ways of writing the same failure: a question's "blocked" is an order's "packed", its "leak" a "weep"
_SAME_FAILURE = (
    ("block", "clog", "plug", "chok", "pack", "jam"),
    ("leak", "weep", "seep", "drip"),
    ("alarm", "trip"),
    ("nois", "rattl", "squeal", "howl", "grind"),
    ("vibr", "vib "),
    ("hot", "overh", "temp"),
)


def says_failure(text: str, failed: str) -> bool:
    """Whether ``text`` says each failure word of ``failed`` or another way of writing it.

    Example:
        >>> says_failure("fan cowl packed w/ swarf again", "blocked"), says_failure("belt ok", "blocked")
        (True, False)
    """
    return holds(text, stems(failed))


def _spellings(stem: str) -> tuple[str, ...]:
    return next((g for g in _SAME_FAILURE if any(stem.startswith(w[:4]) for w in g)), (stem,))


#: an identifier's shape: one token of 5+ letters, digits and separators with at least one of each of letter
#: and digit ("6312-2RS1", "HD-0160", "NWO-PO-24-0655"); not a size or kind ("250t", "8D")
_IDENTIFIER = re.compile(r"(?=\S*\d)(?=\S*[^\W\d_])[^\W_][\w./-]{4,}")


def identifier(text: str) -> bool:
    """Whether ``text`` is written as a part number, tag or document number.

    Example:
        >>> identifier("6312-2rs1"), identifier("250t"), identifier("8d"), identifier("plant gamma")
        (True, False, False, False)
    """
    return _IDENTIFIER.fullmatch(text.strip()) is not None
