"""The linking passes, each over runs of a question's words that earlier passes left free.

1. **exact / alias** (:func:`exact_pass`): a run of words whose key equals an entity's name, alias, part
   number or tag key; codes first, then the whole run, then its stretches, then its parts;
2. **containment** (:func:`contained_pass`): the run's words all in one longer name;
3. **inexact** (:func:`inexact_pass`): rapidfuzz on every name, else the store's full-text index, else the
   sentence encoder;
4. **suggestions** (:func:`suggestions`): close names for words that look like a name but link nothing.

Each pass appends :class:`~kg.qa.linking.linked_mentions.Mention` objects to ``out`` and marks their
words taken.

Example:
    >>> from kg.qa.linking.vocabulary import GENERIC
    >>> row = {"id": "Part:62052rsh", "name": "Deep groove ball bearing", "part_number": "6205-2RSH"}
    >>> index = EntityIndex([row])
    >>> qw, out = QuestionWords.of("Who supplies 6205-2RSH?", set(GENERIC)), []
    >>> link_run(qw, qw.content_runs()[0], index, out)
    >>> [(m.text, m.method, m.best.id) for m in out]
    [('6205-2RSH', 'exact', 'Part:62052rsh')]
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz, process

from kg.core.keys import normalise_name
from kg.graph.knowledge_graph import KnowledgeGraph
from kg.ingest.node_rules import LEGAL_FORMS
from kg.ingest.resolve import SentenceEncoder
from kg.qa.answers import LinkedEntity
from kg.qa.linking.index import EntityIndex, IndexEntry, keys_of
from kg.qa.linking.linked_mentions import Mention, linked, tied
from kg.qa.linking.question_words import MAX_MENTION_WORDS, QuestionWords
from kg.qa.text import expand

ALIAS_SCORE = 0.95  # matched by an alias, code or organisation key rather than by the name itself
PARTIAL_SCORE = 0.9  # matched by a code's tail or the first words of an organisation's name
FUZZY_CUTOFF = 88.0
EMBED_CUTOFF = 0.72
SUGGEST_CUTOFF = 60.0
FULLTEXT_COVER = 0.4
MAX_CONTAINED = 25  # a run contained in more names than this is too generic to link that way
#: the least share of a name's words a run must be to name it: "hydraulic power unit" names "Press hydraulic
#: power unit 250 bar" (3 of 6), "approved alternative" does not name a 20-word FMEA action that holds both
MIN_CONTAINED_SHARE = 0.25

Span = tuple[int, int]


def link_run(qw: QuestionWords, run: Span, index: EntityIndex, out: list[Mention]) -> None:
    """A run of content words: whole (exact, then as the words of a longer name), then each stretch
    between fillers the same way, then its parts by exact match. Codes (part numbers, tags) that match
    exactly are taken first: they identify better than any name."""
    i, j = run
    if exact_pass(qw, index, out, run, whole=True):
        return
    for k in range(i, j):
        if any(c.isdigit() for c in qw.word(k)) and not qw.taken[k]:
            for span in _around(k, run):  # "thk hsr25a": the whole code THK-HSR25A before a fragment's node
                if exact_pass(qw, index, out, span, whole=True):
                    break
    stretches, start = [], i
    for k in range(i, j + 1):
        if k == j or qw.taken[k] or qw.filler(k):
            if k - start >= 2:
                stretches.append((start, k))
            start = k + 1
    for a, b in [run, *stretches] if not any(qw.taken[i:j]) else stretches:
        if any(qw.taken[a:b]):
            continue
        if (a, b) != run and exact_pass(qw, index, out, (a, b), whole=True):
            continue
        contained_pass(qw, (a, b), index, out)
    exact_pass(qw, index, out, run)


def _around(k: int, run: Span) -> list[Span]:
    """The spans of ``run`` that hold word ``k``, longest first (word ``k`` alone last)."""
    i, j = run
    sizes = range(min(MAX_MENTION_WORDS, j - i), 0, -1)
    return [(a, a + n) for n in sizes for a in range(k - n + 1, k + 1) if i <= a and a + n <= j]


def exact_pass(
    qw: QuestionWords, index: EntityIndex, out: list[Mention], span: Span, *, whole: bool = False
) -> bool:
    """Sub-runs of ``span`` (only the whole span when ``whole``), longest first, whose key an entity has."""
    lo, hi = span
    sizes = [hi - lo] if whole else range(min(MAX_MENTION_WORDS, hi - lo), 0, -1)
    found = False
    for n in sizes:
        for i in range(lo, hi - n + 1):
            if any(qw.taken[i : i + n]):
                continue
            start, end, surface = qw.surface(i, i + n)
            if (n == 1 and qw.is_vocabulary(surface)) or len(surface) < 2:
                continue
            if n > 1 and (qw.filler(i) or qw.filler(i + n - 1)):
                continue  # "the hydraulic" is not a name; "Plant Alpha of Leeds" may be
            cands = exact_matches(surface, index)
            if cands:
                out.append(Mention(surface, start, end, "exact", cands))
                qw.take(i, i + n)
                found = True
    return found


def exact_matches(surface: str, index: EntityIndex) -> list[LinkedEntity]:
    """Every entity one of the surface's keys finds; the name itself (or a code) scores 1, an alias less."""
    hits: dict[int, None] = {}
    for key in keys_of(surface):
        hits.update(dict.fromkeys(index.by_key.get(key, ())))
    norm = normalise_name(surface)
    code = any(c.isdigit() for c in surface)  # a part number or tag is as good as a name
    scored = [
        (e, 1.0 if code or normalise_name(e.name) == norm else ALIAS_SCORE)
        for e in (index.entries[h] for h in hits)
    ]
    if code and not scored:  # "p-101": the one code that ends so; "hd-0160": the one that starts so
        scored = [(e, PARTIAL_SCORE) for e in index.tail_matches(surface) or index.prefix_matches(surface)]
    if code and not scored:  # "the 6309 bearing": a series number and what it is
        scored = [(e, PARTIAL_SCORE) for e in index.series_matches(expand(surface))]
    if not code:  # "gates", "hydac tech": the start of an organisation's name; "ostrava": a site's
        scored += [(e, PARTIAL_SCORE) for e in index.organisations_starting(surface)]
        known = {x.id for x, _ in scored}
        scored += [(e, ALIAS_SCORE) for e in index.site_by_part(surface) if e.id not in known]
    return tied(scored, surface, "exact", tie=1.0)  # every key match stays a candidate


def contained_pass(qw: QuestionWords, span: Span, index: EntityIndex, out: list[Mention]) -> bool:
    """The run's words all in a longer name ("hydraulic power unit" → "Press hydraulic power unit")."""
    lo, hi = span
    tokens = {normalise_name(expand(qw.text[s:e])) for s, e in qw.spans[lo:hi]} - qw.vocabulary  # "mech"
    if len(tokens) < 2 or {t for t in tokens if t} <= NAMELESS:  # "uk ltd": in many names, naming none
        return False
    scored = index.containing(tokens)
    if len(scored) > MAX_CONTAINED:
        return False
    scored = [(e, score) for e, score in scored if score >= 0.8 + 0.2 * MIN_CONTAINED_SHARE]
    if not scored:
        return False
    start, end, surface = qw.surface(lo, hi)
    out.append(Mention(surface, start, end, "fuzzy", tied(scored, surface, "fuzzy", tie=1.0)))
    qw.take(lo, hi)
    return True


def inexact_pass(
    qw: QuestionWords,
    run: Span,
    index: EntityIndex,
    out: list[Mention],
    *,
    kg: KnowledgeGraph,
    encoder: SentenceEncoder | None,
) -> None:
    """The whole run by fuzzy match, else full-text search, else (two words or more) embedding."""
    i, j = run
    start, end, surface = qw.surface(i, j)
    norm = normalise_name(surface)
    if len(norm) < 3 or not index.surfaces or all(qw.is_vocabulary(qw.word(k)) for k in range(i, j)):
        return  # "FMEA", "RPN": words that ask (as the exact pass skips them), not near-names
    if set(norm.split()) <= NAMELESS:
        return  # "the uk ltd": a legal form and a country name no organisation by themselves
    cands = fuzzy_matches(norm, index, FUZZY_CUTOFF)
    method = "fuzzy"
    if not cands:
        cands, method = fulltext_matches(kg, surface, norm, index), "fulltext"
    if not cands and encoder is not None and j - i >= 2:
        cands, method = embedding_matches(encoder, surface, index), "embedding"
    if cands:
        out.append(
            Mention(surface, start, end, method, [c.model_copy(update={"method": method}) for c in cands])
        )
        qw.take(i, j)


#: words that qualify an organisation's name but name none: legal forms and countries ("uk ltd", "gmbh")
NAMELESS = LEGAL_FORMS | frozenset(
    [
        "uk",
        "us",
        "usa",
        "gb",
        "de",
        "cz",
        "eu",
        "german",
        "germany",
        "czech",
        "british",
        "english",
        "european",
        "the",
        "one",
    ]
)


def fuzzy_matches(norm: str, index: EntityIndex, cutoff: float) -> list[LinkedEntity]:
    """Names near ``norm`` that hold every number it holds: "22212 E" is another bearing than "22210 E",
    "OST-P-301" another pump than "OST-P-201", however close the letters."""
    hits = process.extract(norm, index.surfaces, scorer=fuzz.token_sort_ratio, score_cutoff=cutoff, limit=10)
    numbers = set(_NUMBER.findall(norm))
    return tied(
        [
            (index.entries[e], score / 100)
            for surface, score, k in hits
            if numbers <= set(_NUMBER.findall(surface))
            for e in index.surface_entries[k]
        ],
        norm,
        "fuzzy",
    )


_NUMBER = re.compile(r"\d+")


def fulltext_matches(
    kg: KnowledgeGraph, surface: str, norm: str, index: EntityIndex | None = None
) -> list[LinkedEntity]:
    """The store's full-text hits whose names hold the surface closely (partial ratio 0.8 or more) and
    mostly (the surface is at least :data:`FULLTEXT_COVER` of the name: "fitted" does not name a
    maintenance instruction that happens to contain the word)."""
    scored = []
    for h in kg.search(surface, limit=10):
        raw = h.get("name")
        name = normalise_name(raw) if isinstance(raw, str) else ""
        if not name or len(norm) < FULLTEXT_COVER * len(name):
            continue
        score = fuzz.partial_ratio(norm, name) / 100
        if score >= 0.8:
            labels = tuple(x for x in h.get("labels") or [] if x != "Entity")
            known = index.by_id.get(str(h["id"])) if index is not None else None
            scored.append((known or IndexEntry(str(h["id"]), str(raw), labels), score))
    return tied(scored, surface, "fulltext")


def embedding_matches(encoder: SentenceEncoder, surface: str, index: EntityIndex) -> list[LinkedEntity]:
    """The names closest to the surface under the sentence encoder, cosine :data:`EMBED_CUTOFF` or more."""
    matrix = index.embeddings(encoder)
    if matrix.shape[0] == 0:
        return []
    sims = matrix @ encoder.encode([surface])[0]
    top = sims.topk(min(5, sims.shape[0]))
    numbers = set(_NUMBER.findall(surface))  # "22212 E" is not "22210 E", however alike they read
    scored = [
        (index.entries[e], float(s))
        for s, k in zip(top.values.tolist(), top.indices.tolist(), strict=True)
        if s >= EMBED_CUTOFF and numbers <= set(_NUMBER.findall(index.surfaces[k]))
        for e in index.surface_entries[k]
    ]
    return tied(scored, surface, "embedding")


def suggestions(qw: QuestionWords, run: Span, index: EntityIndex) -> Mention:
    """An ``unknown`` mention of the run, with up to five close names as its candidates."""
    start, end, surface = qw.surface(*run)
    hits = process.extract(
        normalise_name(surface),
        index.surfaces,
        scorer=fuzz.token_set_ratio,
        score_cutoff=SUGGEST_CUTOFF,
        limit=10,
    )
    seen: dict[str, LinkedEntity] = {}
    for surface_norm, score, k in hits:
        if len(surface_norm) < 3:
            continue
        for e in index.surface_entries[k]:
            entry = index.entries[e]
            seen.setdefault(entry.id, linked(entry, surface, "fuzzy", score / 100))
    return Mention(surface, start, end, "unknown", list(seen.values())[:5])
