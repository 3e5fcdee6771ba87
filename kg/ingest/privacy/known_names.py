"""Find the names of known people (as given, "J. Smith", "Smith, John", a capitalised surname) in a text."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from functools import lru_cache

import regex

from kg.ingest.privacy.masks import Hit


@lru_cache(maxsize=4096)
def _fold_char(c: str) -> str:
    base = unicodedata.normalize("NFD", c)[0].lower()
    return base[0] if base else c


def fold(text: str) -> str:
    """Lower-case ``text`` and drop accents, one character for one character (offsets stay valid).

    Example:
        >>> fold("Jiří NOVÁK, Zoë")
        'jiri novak, zoe'
    """
    if text.isascii():
        return text.lower()
    return text.translate({ord(c): _fold_char(c) for c in set(text)})


def canonical_name(name: str) -> str:
    """The form a name's digest is keyed on: folded, with dots, commas and runs of spaces as one space.

    Example:
        >>> canonical_name("Smith,  J.")
        'smith j'
    """
    return " ".join(regex.sub(r"[\s.,]+", " ", fold(name)).split())


class KnownNames:
    """The written forms of known names, each mapped to its canonical name, matched on folded text.

    Forms are grouped by their first word and tried only where the text has that word: one regex of
    thousands of alternatives would cost seconds a megabyte.

    Example:
        >>> text = "Bearing changed by J. Smith"
        >>> {(h.start, h.end, h.canonical) for h in KnownNames(["John Smith"]).hits(text, fold(text))}
        {(19, 27, 'john smith')}
    """

    def __init__(self, names: Iterable[str]):
        self.forms: dict[str, str] = {}  # canonical form as written -> canonical name
        surnames: dict[str, set[str]] = {}
        for name in names:
            if not name or not name.strip():
                continue
            canonical = canonical_name(name)
            forms, surname = _name_forms(name)
            for form in forms:
                self.forms.setdefault(canonical_name(form), canonical)
            if surname:
                surnames.setdefault(canonical_name(surname), set()).add(canonical)
        # a surname two known people share stands for neither of them
        self.surnames = {s: next(iter(c)) if len(c) == 1 else s for s, c in surnames.items()}
        self.full = _by_first_word(self.forms)
        self.surname = _by_first_word(self.surnames)

    def hits(self, text: str, folded: str) -> list[Hit]:
        """Known names in ``text`` (``folded`` is ``fold(text)``): full forms, then surnames (may overlap)."""
        out = []
        for start, end in _find(self.full, folded):
            out.append(Hit(start, end, "person", self.forms[canonical_name(folded[start:end])]))
        for start, end in _find(self.surname, folded):
            if not text[start].isupper():
                continue  # a lower-case surname is most likely the word it also is
            key = canonical_name(folded[start:end])
            initial = regex.search(r"(?<!\w)\p{Lu}\.?[ \t]*$", text[max(0, start - 4) : start])
            if initial:
                start -= len(initial.group())
            out.append(Hit(start, end, "person", self.surnames[key]))
        return out


_WORDS = regex.compile(r"\w+")


def _by_first_word(forms: Iterable[str]) -> dict[str, regex.Pattern[str]]:
    groups: dict[str, list[str]] = {}
    for form in forms:
        groups.setdefault(form.split()[0], []).append(form)
    return {first: _alternation(group) for first, group in groups.items()}


def _find(patterns: dict[str, regex.Pattern[str]], folded: str) -> list[tuple[int, int]]:
    """Non-overlapping matches of the forms, each tried only where its first word starts."""
    found: list[tuple[int, int]] = []
    if not patterns:
        return found
    for w in _WORDS.finditer(folded):
        pattern = patterns.get(w.group())
        if pattern is None or (found and w.start() < found[-1][1]):
            continue
        m = pattern.match(folded, w.start())
        if m:
            found.append((m.start(), m.end()))
    return found


def _is_initial(token: str) -> bool:
    return len(token.rstrip(".")) == 1 and token[0].isalpha()


def _name_forms(name: str) -> tuple[list[str], str | None]:
    """Written forms of ``name`` ("John Smith", "Smith, John", "Smith J") and its folded surname."""
    raw = " ".join(name.split())
    if "," in raw:
        last, _, first = raw.partition(",")
        given, surname = first.split(), last.split()
    else:
        parts = raw.split()
        if len(parts) >= 2 and _is_initial(parts[-1]) and not _is_initial(parts[0]):
            given, surname = parts[-1:], parts[:-1]
        else:
            given, surname = parts[:-1], parts[-1:]
    if not given or not surname:  # one word: a login ("jsmith") anywhere, a capitalised name only as such
        return ([raw], None) if raw.islower() else ([], fold(raw))
    sur, first, initial = " ".join(surname), given[0], given[0][0]
    forms = [
        raw,
        f"{' '.join(given)} {sur}",
        f"{first} {sur}",
        f"{sur} {first}",
        f"{initial} {sur}",
        f"{sur} {initial}",
    ]
    return forms, fold(sur)


def _alternation(forms: Iterable[str]) -> regex.Pattern[str]:
    """A regex matching any of ``forms`` (canonical: words split by spaces) as whole words on folded text."""
    alts = []
    for form in sorted(set(forms), key=len, reverse=True):
        pieces = [regex.escape(w) + (r"\.?" if len(w) == 1 else "") for w in form.split()]
        alts.append(r"[ \t]*,?[ \t]*".join(pieces))
    return regex.compile(rf"(?<!\w)(?:{'|'.join(alts)})(?!\w)")
