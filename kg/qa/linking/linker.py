"""The entity linker: one cached :class:`~kg.qa.linking.index.EntityIndex` and the passes run in order.

Example:
    >>> linker = EntityLinker(kg)  # doctest: +SKIP
    >>> result = linker.link("Who supplies the 6205-2RSH bearing?")  # doctest: +SKIP
    >>> [(m.text, m.candidates[0].id) for m in result.mentions]  # doctest: +SKIP
    [('6205-2RSH', 'Part:62052rsh')]
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterable, Sequence

from spacy.lang.en.stop_words import STOP_WORDS

from kg.core.facts import RECORD_EXTRACTORS
from kg.core.keys import normalise_name
from kg.graph.knowledge_graph import KnowledgeGraph
from kg.ingest.gazetteer import GENERIC_SITE_WORDS
from kg.ingest.resolve import RELATED_LABELS, SentenceEncoder, organization_key
from kg.qa.answers import LinkedEntity
from kg.qa.linking.index import EntityIndex
from kg.qa.linking.linked_mentions import LinkResult, Mention, dominant, name_head, prefer, tied
from kg.qa.linking.passes import exact_matches, inexact_pass, link_run, suggestions
from kg.qa.linking.question_words import QuestionWords
from kg.qa.linking.vocabulary import GENERIC
from kg.qa.text import expand, singular


class EntityLinker:
    """Links mentions in questions to entities of ``kg``; thread-safe, index cached for ``ttl_seconds``."""

    def __init__(
        self,
        kg: KnowledgeGraph,
        *,
        encoder: SentenceEncoder | None = None,
        ttl_seconds: float = 60.0,
        extra_vocabulary: Iterable[str] = (),
    ) -> None:
        self.kg = kg
        self.encoder = encoder
        self.ttl = ttl_seconds
        self._index: EntityIndex | None = None
        self._built = 0.0
        self._lock = threading.Lock()
        self.vocabulary = {w.casefold() for w in extra_vocabulary} | GENERIC | set(STOP_WORDS)

    def index(self) -> EntityIndex:
        with self._lock:
            if self._index is None or time.monotonic() - self._built > self.ttl:
                self._index = EntityIndex(self.kg.entity_names(records=RECORD_EXTRACTORS))
                self._built = time.monotonic()
            return self._index

    def refresh(self) -> None:
        with self._lock:
            self._index = None

    def link(self, question: str) -> LinkResult:
        """Exact and containment passes on every run first, then the inexact passes on what is left, then
        suggestions for leftover words that look like names."""
        index = self.index()
        qw = QuestionWords.of(question, self.vocabulary)
        found: list[Mention] = []
        for run in qw.content_runs():
            link_run(qw, run, index, found)
        for run in qw.content_runs():
            inexact_pass(qw, run, index, found, kg=self.kg, encoder=self.encoder)
        found.sort(key=lambda m: m.start)
        found = drop_descriptors(question, found)
        heads = [organisation_head(m, index) for m in found]
        rest = [  # "parker hose": Parker Hannifin, then "hose" to describe which of its items
            _unlinked(h.end + len(tail) - len(tail.lstrip()), m.end, tail.strip())
            for m, h in zip(found, heads, strict=True)
            if h is not m and (tail := question[h.end : m.end]).strip() and _describes_item(m, tail, question)
        ]
        found, generic = prefer_identity(heads)
        runs = qw.content_runs()
        unknown = [suggestions(qw, run, index) for run in runs if qw.names_something(run)]
        words = [_unlinked(*qw.surface(*run)) for run in runs if not qw.names_something(run)]
        words = sorted([*words, *rest], key=lambda m: m.start)
        return LinkResult(mentions=found, unknown=unknown, generic=generic, words=words)

    def describe(
        self, mention: Mention, labels: Sequence[str], within: set[str] | None = None, *, head: bool = False
    ) -> LinkedEntity | None:
        """The one recorded entity of ``labels`` whose name holds every word of a description ("press power
        unit", "cooling tower pump"), among ``within`` when given (a site's): None when none or several.
        With ``head`` (the description ends the question's run of words), of several the one whose name's
        head noun is the description's last word."""
        hits = self.described(mention, labels, within, head=head)
        return hits[0] if len(hits) == 1 else None

    def described(
        self, mention: Mention, labels: Sequence[str], within: set[str] | None = None, *, head: bool = False
    ) -> list[LinkedEntity]:
        """Every recorded entity :meth:`describe` would choose from, tied."""
        index = self.index()
        tokens = {singular(w) for w in normalise_name(expand(mention.text)).split()} - self.vocabulary
        tokens -= GENERIC_SITE_WORDS - {"unit", "line", "plant"}
        if not tokens:
            return []
        wanted = set(labels)
        hits = [
            (e, score)
            for e, score in index.containing_words(tokens)
            if wanted.intersection(e.labels) and e.recorded and (within is None or e.id in within)
        ]
        if len(hits) > 1 and head:  # "the ostrava press": the press, not its power unit or the press line
            words = normalise_name(mention.text).split()
            last = singular(words[-1]) if words else ""
            hits = [(e, score) for e, score in hits if name_head(e.name) == last]
        return tied(hits, mention.text, "fuzzy", tie=1.0) if hits else []

    def relink(self, mention: Mention, labels: Sequence[str]) -> list[LinkedEntity]:
        """Entities of ``labels`` whose names contain every word of ``mention`` ("air compressor" → "Main
        plant air compressor, 90 kW"): for a tool whose slot no linked candidate fits."""
        index = self.index()
        tokens = set(normalise_name(mention.text).split()) - self.vocabulary
        if not tokens or not labels:
            return []
        wanted = set(labels)
        scored = [(e, score) for e, score in index.containing(tokens) if wanted.intersection(e.labels)]
        return prefer(tied(scored, mention.text, "fuzzy", tie=1.0), labels)


def identifies(m: Mention) -> bool:
    """A code, or a name some record backs (a register's equipment, a BOM's supplier, an FMEA mode)."""
    return is_code(m) or any(c.recorded for c in dominant(m.candidates))


def prefer_identity(mentions: list[Mention]) -> tuple[list[Mention], list[Mention]]:
    """When the question names something by a code or a recorded name, the mentions that match only
    what a model read from prose ("seal", "qty", "purchase") are words describing it, not entities:
    (the mentions kept, the generic ones set aside). A question of generic words alone keeps them."""
    if not any(identifies(m) for m in mentions):
        return mentions, []
    kept = [m for m in mentions if identifies(m)]
    return kept, [m for m in mentions if not identifies(m)]


def organisation_head(m: Mention, index: EntityIndex) -> Mention:
    """A mention only prose backs whose first word starts the name of one recorded organisation is that
    organisation, the rest describing it: "parker hose" (a letter's "Parker hose plant") is Parker Hannifin,
    whose part numbers the tables hold. A mention any record backs stays as it is.

    Example:
        >>> organisation_head(Mention("sealing", 0, 7, "exact", []), EntityIndex([])).text
        'sealing'
    """
    if not m.candidates or any(c.recorded for c in m.candidates):
        return m
    first = re.match(r"[^\W\d_][\w'.&-]*", m.text)
    if first is None or first.end() == len(m.text) or len(first.group()) < 3:
        return m
    word = first.group()
    orgs = [c for c in exact_matches(word, index) if c.recorded and RELATED_LABELS.intersection(c.labels)]
    if len({organization_key(c.name or "") for c in orgs}) != 1:  # one organisation, maybe in two roles
        return m
    return Mention(word, m.start, m.start + len(word), "exact", orgs)


def is_code(m: Mention) -> bool:
    """A mention matched exactly by a part number or tag (it has a digit): the surest identity there is."""
    return m.method == "exact" and any(c.isdigit() for c in m.text)


def drop_descriptors(question: str, mentions: list[Mention]) -> list[Mention]:
    """Drop a name mention that only describes the code next to it: in "the radial shaft seal
    CR-40X62X8-HMSA10V" or "6205-2RSH bearing", the words are part of the coded entity's name, so they
    name the same thing, not a second entity (a document's generic "radial shaft seal" node)."""
    out = []
    for m in mentions:
        if not is_code(m):
            words = _words(m.text)
            for c in mentions:
                if c is m or not is_code(c):
                    continue
                lo, hi = (m.end, c.start) if m.end <= c.start else (c.end, m.start)
                gap = question[lo:hi] if lo <= hi else "x"
                if not gap.strip(" ,:-–()") and words and words <= _words(c.best.name or ""):
                    break
            else:
                out.append(m)
                continue
            continue
        out.append(m)
    return out


def _describes_item(m: Mention, rest: str, question: str) -> bool:
    """The words after an organisation's name describe one of its items ("parker hose"), not a place of it
    ("parker hose plant": a site the question is about, still Parker's)."""
    after = question[m.end :].split()[:1]
    words = {w.casefold().strip(".,;:?!") for w in [*rest.split(), *after]}
    return not words & GENERIC_SITE_WORDS


def _unlinked(start: int, end: int, text: str) -> Mention:
    """Content words that named nothing: kept as words (a description, a filter), never as an entity."""
    return Mention(text, start, end, "unlinked", [])


def _words(text: str) -> set[str]:
    """The words of a name without punctuation or a plural ``s``: "Mechanical seals," → {mechanical, seal}."""
    return {singular(w) for w in re.findall(r"\w+", normalise_name(text))}
