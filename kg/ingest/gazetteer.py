"""Find the graph's known entities in text: part numbers, equipment tags, supplier and material names.

The extractor finds *kinds* of things ("a bearing", "a supplier"); the graph already knows *which* ones
(every tag of the equipment register, every part number and supplier of the BOM). A spaCy
``PhraseMatcher`` over the names and aliases of known entities links a mention to its entity — "the
6205-2RSH bearing" to ``Part:62052rsh`` — and finds known entities the model missed. Codes (names with a
digit) match case-insensitively; other names match as written, so the supplier "Gates" does not match
"gates" in running text. Only identifiers are entries: organisation and site names, and codes (names with a
digit: part numbers, tags); "bearing" or "coolant supply pump" name kinds of things, which is the
extractor's business.

Example:
    >>> g = Gazetteer([("Part", "6205-2RSH", "Part:62052rsh"), ("Supplier", "SKF", "Supplier:skf")])
    >>> [(m.label, m.entity_id, m.start, m.end) for m in g.find("SKF ships 6205-2rsh bearings")]
    [('Supplier', 'Supplier:skf', 0, 3), ('Part', 'Part:62052rsh', 10, 19)]
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from kg.ingest.node_rules import LEGAL_FORMS

#: classes worth finding by name (descriptive classes such as FailureCause are sentences, not names)
GAZETTEER_LABELS = frozenset(
    {"Equipment", "Part", "Supplier", "Manufacturer", "Organization", "Material", "Site"}
)
#: extractor label -> graph classes a linked mention may take
COMPATIBLE = {
    "PhysicalObject": {"Equipment", "Part"},
    "Equipment": {"Equipment"},
    "Part": {"Part"},
    "Organization": {"Supplier", "Manufacturer", "Organization"},
    "Supplier": {"Supplier", "Organization"},
    "Manufacturer": {"Manufacturer", "Organization"},
    "Material": {"Material"},
    "Site": {"Site"},
    "Product": {"Product", "Part"},
}
MIN_CHARS = 3
#: words of site names that say what kind of place it is, not which one ("Plant Alpha – Leeds": Alpha, Leeds)
GENERIC_SITE_WORDS = frozenset(
    {
        "plant",
        "site",
        "works",
        "factory",
        "hall",
        "building",
        "warehouse",
        "depot",
        "centre",
        "center",
        "facility",
        "mill",
        "yard",
        "campus",
        "line",
        "shop",
        "unit",
        "area",
        "the",
        "and",
        "of",
        "main",
        "north",
        "south",
        "east",
        "west",
    }
)
_PREFERENCE = {"Supplier": 0, "Manufacturer": 1, "Organization": 2}
#: classes whose every name identifies one entity; for the others only codes (names with a digit) do
PROPER_NAMES = frozenset({"Supplier", "Manufacturer", "Organization", "Site"})


@dataclass(frozen=True)
class GazetteerMatch:
    start: int
    end: int
    label: str
    entity_id: str
    surface: str


#: item classes whose names may be codes (part numbers, tags)
CODED_ITEMS = frozenset({"Part", "Equipment", "Product"})


def _code_key(surface: str) -> str:
    """A code compared without case or separators: "CR 40x62x8" = "cr40x62x8"."""
    return "".join(c for c in surface.casefold() if c.isalnum())


@lru_cache(maxsize=1)
def _nlp() -> Any:
    import spacy

    nlp = spacy.blank("en")
    nlp.max_length = 10_000_000
    return nlp


def _doc(text: str) -> tuple[Any, list[tuple[int, int]]]:
    """A spaCy Doc over the extractor's words (``6205-2RSH``, ``LDS-P-101-M`` one word each), so a name
    matches whole words only, and each token's character span in ``text``."""
    from spacy.tokens import Doc

    from extractors.encoding import split_words

    spans = split_words(text)
    words = [text[s:e] for s, e in spans]
    spaces = [i + 1 < len(spans) and spans[i + 1][0] > e for i, (_, e) in enumerate(spans)]
    return Doc(_nlp().vocab, words=words, spaces=spaces), spans


class Gazetteer:
    """Known entity names → ids, matched in text by token sequences."""

    def __init__(self, entries: Iterable[tuple[str, str, str]] = ()):
        from spacy.matcher import PhraseMatcher

        nlp = _nlp()
        self._exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self._folded = PhraseMatcher(nlp.vocab, attr="LOWER")
        self._targets: dict[str, tuple[str, str]] = {}
        self._seen: dict[tuple[str, str], str] = {}  # (label, name) -> its matcher key
        self._site_parts: dict[str, set[str]] = {}  # distinctive word of a site's name -> site ids
        self._codes: dict[str, set[tuple[str, str]]] = {}  # an item's code, no separators -> (label, id)
        self._tails: dict[str, set[tuple[str, str]]] = {}  # a code's end after a separator -> (label, id)
        for label, surface, entity_id in entries:
            self.add(label, surface, entity_id)

    def __len__(self) -> int:
        return len(self._seen)

    def add(self, label: str, surface: str, entity_id: str) -> None:
        surface = " ".join(surface.split())
        if label not in GAZETTEER_LABELS or len(surface) < MIN_CHARS:
            return
        seen = self._seen.get((label, surface))
        if seen is not None:  # a name two entities share is the smaller id's: any order gives the same
            self._targets[seen] = (label, min(entity_id, self._targets[seen][1]))
            return
        if not any(c.isalpha() for c in surface) or len(surface) > 80:
            return  # bare numbers and sentences are not names
        if label not in PROPER_NAMES and not any(c.isdigit() for c in surface):
            return  # "bearing", "coolant supply pump": kinds of things, not identifiers
        self._seen[(label, surface)] = key = f"{len(self._targets)}"
        if label == "Site":
            for word in re.findall(r"[^\W\d_][\w'-]*", surface):
                if len(word) >= MIN_CHARS and word[0].isupper() and word.lower() not in GENERIC_SITE_WORDS:
                    self._site_parts.setdefault(word, set()).add(entity_id)
        self._targets[key] = (label, entity_id)
        if label in CODED_ITEMS and " " not in surface and any(c.isdigit() for c in surface):
            self._codes.setdefault(_code_key(surface), set()).add((label, entity_id))
            parts = re.split(r"[-/.]", surface)
            for n in range(1, len(parts)):  # "THK-HSR25A" ends in "HSR25A"
                self._tails.setdefault(_code_key("".join(parts[n:])), set()).add((label, entity_id))
        matcher = self._folded if any(c.isdigit() for c in surface) else self._exact
        matcher.add(key, [_doc(surface)[0]])

    def site_by_part(self, surface: str) -> str | None:
        """The one known site whose name holds every distinctive word of ``surface`` ("Leeds", "Plant Alpha",
        "Beta – Ostrava" of "Plant Alpha – Leeds" / "Plant Beta – Ostrava"); None when a word is no site's,
        the words point at different sites or at several, or the surface has a legal form (a company)."""
        words = re.findall(r"[^\W\d_][\w'.-]*", surface)
        if any(w.lower() in LEGAL_FORMS or f"{w.lower()}." in LEGAL_FORMS for w in words):
            return None
        distinctive = [w for w in words if w.lower() not in GENERIC_SITE_WORDS]
        if not distinctive:
            return None
        sites = set.intersection(*(self._site_parts.get(w, set()) for w in distinctive))
        return next(iter(sites)) if len(sites) == 1 else None

    def site_after(self, text: str) -> str | None:
        """The known site ``text`` starts with, after punctuation, named with its kind of place ("Plant Alpha
        – Leeds", "Plant Beta"), as in "Northwind Components Ltd, Plant Alpha – Leeds": the organisation
        before it owns the site. A bare town ("Acme Ltd, Leeds") is not enough: suppliers share towns."""
        segment = re.split(r"[\n·|;()]", text.lstrip(" ,–-:·|\t"), maxsplit=1)[0]
        words = segment.split()[:5]
        for n in range(len(words), 1, -1):
            head = words[:n]
            if any(w.lower().strip(",.") in GENERIC_SITE_WORDS for w in head):
                site = self.site_by_part(" ".join(head).rstrip(",."))
                if site is not None:
                    return site
        return None

    def code_of(self, surface: str) -> tuple[str, str] | None:
        """The one known item whose code a code-like mention is a fragment of: its end after a separator
        ("HSR25A" of THK-HSR25A) or its start without the option suffix ("CR 40x62x8 HMSA10" of
        CR-40X62X8-HMSA10V; six characters or more); None when there are none or several."""
        key = _code_key(surface)
        if len(key) < 5 or not any(c.isdigit() for c in key) or not any(c.isalpha() for c in key):
            return None
        if key in self._codes:
            return None  # the code itself: the phrase matcher links it
        hits = set(self._tails.get(key, ()))
        if len(key) >= 6:
            hits |= {t for code, ts in self._codes.items() if code.startswith(key) for t in ts}
        return next(iter(hits)) if len(hits) == 1 else None

    def code_with_prefix(self, text: str, span: tuple[int, int]) -> tuple[int, str, str] | None:
        """The one known item whose code is a mention's code read together with the code token written
        before it on its line ("PH [2SN08 1500]" is PH-2SN08-1500, "repl 6205 [2RSH]" 6205-2RSH): its
        start, label and id; None when there is no such token, no such code, or several items have it."""
        before = re.search(r"(?<![\w-])([A-Za-z0-9]+)[ \t-]$", text[max(0, span[0] - 16) : span[0]])
        if before is None or not any(c.isdigit() for c in text[span[0] : span[1]] + before.group(1)):
            return None
        start = span[0] - len(before.group(0))
        hits = self._codes.get(_code_key(text[start : span[1]]), set())
        return (start, *next(iter(hits))) if len(hits) == 1 else None

    def find(self, text: str) -> list[GazetteerMatch]:
        """Non-overlapping matches, longest first, in text order."""
        if not self._targets or not text.strip():
            return []
        doc, spans = _doc(text)
        found = []
        for matcher in (self._exact, self._folded):
            for match_id, s, e in matcher(doc):
                label, entity_id = self._targets[doc.vocab.strings[match_id]]
                start, end = spans[s][0], spans[e - 1][1]
                found.append(GazetteerMatch(start, end, label, entity_id, text[start:end]))
        kept: list[GazetteerMatch] = []
        # longest first; a name known under several classes: the same pick whatever order they were learnt
        # in (a supplier before the same name as a manufacturer: documents name companies as sources)
        for m in sorted(
            found, key=lambda m: (m.start - m.end, m.start, _PREFERENCE.get(m.label, 9), m.entity_id)
        ):
            if not any(m.start < k.end and k.start < m.end for k in kept):
                kept.append(m)
        return sorted(kept, key=lambda m: m.start)
