"""Entity linking: find the graph entities a question names.

Mentions are found in four passes, longest spans first, each on the words the earlier passes left:

1. **exact / alias**: a run of words whose key (casefolded name; part number or tag without separators;
   organisation name without legal form) equals an entity's name, alias, part number or tag key;
2. **fuzzy**: rapidfuzz ``token_sort_ratio`` of a run of content words against every name (typos, word order);
3. **full-text**: the store's full-text index on the run (word stems), confirmed by a fuzzy partial match;
4. **embedding**: cosine similarity of the run and the names under the shipped sentence encoder
   (all-MiniLM-L6-v2) for paraphrases ("drive belt" → "V-belt SPA 1250").

Each mention keeps every candidate within :data:`TIE` of its best score, so the caller can prefer the
classes its tool accepts and ask the user when several remain (``ambiguous``). Words that are neither
stop words nor question words and match nothing become ``unknown`` mentions, with close names as
suggestions. The index of names is rebuilt when older than ``ttl_seconds``.

Example:
    >>> linker = EntityLinker(kg)                                   # doctest: +SKIP
    >>> [(m.text, m.candidates[0].id) for m in linker.link("Who supplies the 6205-2RSH bearing?").mentions]
    [('6205-2RSH', 'Part:62052rsh')]                                 # doctest: +SKIP
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz, process
from spacy.lang.en.stop_words import STOP_WORDS

from extractors.encoding import split_words
from kg.core.keys import normalise_name, normalise_part_number
from kg.graph.knowledge_graph import KnowledgeGraph
from kg.ingest.resolve import RELATED_LABELS, SentenceEncoder, organization_key
from kg.qa.answers import LinkedEntity

MAX_MENTION_WORDS = 8
ALIAS_SCORE = 0.95  # matched by an alias, code or organisation key rather than by the name itself
TIE = 0.03  # candidates this close to the best are equally good: ambiguous unless a class decides
FUZZY_CUTOFF = 88.0
EMBED_CUTOFF = 0.72
SUGGEST_CUTOFF = 60.0
MAX_CONTAINED = 25  # a run contained in more names than this is too generic to link that way
MAX_EMBEDDED = 50_000  # names embedded for the embedding pass (larger graphs: the other passes only)
#: generic nouns and question words that name no entity on their own
GENERIC = frozenset(
    [
        "equipment",
        "machine",
        "machines",
        "asset",
        "assets",
        "part",
        "parts",
        "component",
        "components",
        "item",
        "items",
        "supplier",
        "suppliers",
        "vendor",
        "vendors",
        "site",
        "sites",
        "plant",
        "plants",
        "line",
        "material",
        "materials",
        "product",
        "products",
        "failure",
        "failures",
        "mode",
        "modes",
        "cause",
        "causes",
        "effect",
        "effects",
        "list",
        "show",
        "tell",
        "give",
        "find",
        "rank",
        "need",
        "want",
        "know",
        "which",
        "what",
        "who",
        "whom",
        "whose",
        "where",
        "when",
        "why",
        "how",
        "many",
        "much",
        "please",
        "graph",
        "data",
        "risk",
        "single",
        "sole",
        "source",
        "sourced",
        "only",
        "one",
        "two",
    ]
)


@dataclass(frozen=True)
class _Entry:
    id: str
    name: str
    labels: tuple[str, ...]


@dataclass
class Mention:
    text: str
    start: int
    end: int
    method: str
    candidates: list[LinkedEntity]  # best first; several when tied

    @property
    def best(self) -> LinkedEntity:
        return self.candidates[0]


@dataclass
class LinkResult:
    mentions: list[Mention] = field(default_factory=list)  # in question order
    unknown: list[Mention] = field(
        default_factory=list
    )  # words naming nothing known; candidates = suggestions


class EntityIndex:
    """Names, aliases, part numbers and tags of every entity, keyed for exact, fuzzy and embedding lookup."""

    def __init__(self, rows: Iterable[dict[str, Any]]) -> None:
        self.entries: list[_Entry] = []
        self.by_key: dict[str, list[int]] = {}
        surfaces: dict[str, list[int]] = {}
        for r in rows:
            labels = tuple(x for x in r.get("labels") or [] if x != "Entity")
            raw = r.get("name")
            name = raw if isinstance(raw, str) else str(r["id"]).split(":", 1)[-1]
            i = len(self.entries)
            self.entries.append(_Entry(str(r["id"]), name, labels))
            names = {name, *(a for a in r.get("aliases") or [] if isinstance(a, str))}
            codes = {c for c in (r.get("part_number"), r.get("tag")) if isinstance(c, str) and c}
            for surface in names | codes:
                for key in keys_of(surface, labels, code=surface in codes):
                    self.by_key.setdefault(key, [])
                    if i not in self.by_key[key]:
                        self.by_key[key].append(i)
                norm = normalise_name(surface)
                if len(norm) >= 2:
                    surfaces.setdefault(norm, []).append(i)
        self.words = [frozenset(normalise_name(e.name).split()) for e in self.entries]
        self.by_word: dict[str, set[int]] = {}
        for k, ws in enumerate(self.words):
            for w in ws:
                self.by_word.setdefault(w.strip(",.;:()"), set()).add(k)
        self.surfaces = list(surfaces)  # distinct normalised surfaces, for rapidfuzz
        self.surface_entries = [surfaces[s] for s in self.surfaces]
        self._embeddings: Any = None

    def __len__(self) -> int:
        return len(self.entries)

    def containing(self, tokens: set[str]) -> list[tuple[_Entry, float]]:
        """Entries whose names hold every one of ``tokens``, scored 0.8–1.0 by the share of the name they
        cover (the tightest name first)."""
        postings = [self.by_word.get(t.strip(",.;:()"), set()) for t in tokens]
        hits = set.intersection(*postings) if postings and all(postings) else set()
        return [(self.entries[h], 0.8 + 0.2 * len(tokens) / max(len(self.words[h]), 1)) for h in hits]

    def embeddings(self, encoder: SentenceEncoder) -> Any:
        if self._embeddings is None:
            self._embeddings = encoder.encode(self.surfaces[:MAX_EMBEDDED])
        return self._embeddings


def keys_of(surface: str, labels: Sequence[str] = (), *, code: bool = False) -> set[str]:
    """Lookup keys of a name: casefolded; without separators when it has a digit; organisation key."""
    keys = {normalise_name(surface)}
    if code or any(c.isdigit() for c in surface):
        keys.add("#" + normalise_part_number(surface))
    if not labels or RELATED_LABELS.intersection(labels):
        org = organization_key(surface)
        if org:
            keys.add("@" + org)
    return {k for k in keys if k and k not in ("#", "@")}


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
                self._index = EntityIndex(self.kg.entity_names())
                self._built = time.monotonic()
            return self._index

    def refresh(self) -> None:
        with self._lock:
            self._index = None

    # -- linking ------------------------------------------------------------------------------------------
    def link(self, question: str) -> LinkResult:
        index = self.index()
        words = [(s, e) for s, e in split_words(question) if any(c.isalnum() for c in question[s:e])]
        taken = [False] * len(words)
        found: list[Mention] = []
        for run in self._content_runs(question, words, taken):
            self._link_run(question, words, run, taken, index, found)
        for run in self._content_runs(question, words, taken):
            self._inexact(question, words, run, taken, index, found)
        found.sort(key=lambda m: m.start)
        unknown = [
            self._unknown(question, words, run, index)
            for run in self._content_runs(question, words, taken)
            if self._names_something(question, words, run)
        ]
        return LinkResult(mentions=found, unknown=[u for u in unknown if u is not None])

    def _link_run(
        self,
        q: str,
        words: list[tuple[int, int]],
        run: tuple[int, int],
        taken: list[bool],
        index: EntityIndex,
        out: list[Mention],
    ) -> None:
        """A run of content words: whole (exact, then as the words of a longer name), then each stretch
        between fillers the same way, then its parts by exact match. Codes (part numbers, tags) that match
        exactly are taken first: they identify better than any name."""
        i, j = run
        if self._exact(q, words, taken, index, out, run, whole=True):
            return
        for k in range(i, j):
            w = q[words[k][0] : words[k][1]]
            if any(c.isdigit() for c in w):
                self._exact(q, words, taken, index, out, (k, k + 1))
        stretches, start = [], i
        for k in range(i, j + 1):
            if k == j or taken[k] or self._filler(q, words, k):
                if k - start >= 2:
                    stretches.append((start, k))
                start = k + 1
        for a, b in [run, *stretches] if not any(taken[i:j]) else stretches:
            if any(taken[a:b]):
                continue
            if (a, b) != run and self._exact(q, words, taken, index, out, (a, b), whole=True):
                continue
            self._contained(q, words, (a, b), taken, index, out)
        self._exact(q, words, taken, index, out, run)

    def _exact(
        self,
        q: str,
        words: list[tuple[int, int]],
        taken: list[bool],
        index: EntityIndex,
        out: list[Mention],
        span: tuple[int, int],
        *,
        whole: bool = False,
    ) -> bool:
        lo, hi = span
        sizes = [hi - lo] if whole else range(min(MAX_MENTION_WORDS, hi - lo), 0, -1)
        found = False
        for n in sizes:
            for i in range(lo, hi - n + 1):
                if any(taken[i : i + n]):
                    continue
                start, end = words[i][0], words[i + n - 1][1]
                surface = q[start:end]
                if (n == 1 and self._is_vocabulary(surface)) or len(surface) < 2:
                    continue
                if n > 1 and (self._filler(q, words, i) or self._filler(q, words, i + n - 1)):
                    continue  # "the hydraulic" is not a name; "Plant Alpha of Leeds" may be
                hits: dict[int, None] = {}
                for key in keys_of(surface):
                    hits.update(dict.fromkeys(index.by_key.get(key, ())))
                if hits:
                    norm = normalise_name(surface)
                    code = any(c.isdigit() for c in surface)  # a part number or tag is as good as a name
                    scored = [
                        (e, 1.0 if code or normalise_name(e.name) == norm else ALIAS_SCORE)
                        for e in (index.entries[h] for h in hits)
                    ]
                    cands = self._tied(scored, surface, "exact", tie=1.0)  # every key match stays a candidate
                    out.append(Mention(surface, start, end, "exact", cands))
                    taken[i : i + n] = [True] * n
                    found = True
        return found

    def _contained(
        self,
        q: str,
        words: list[tuple[int, int]],
        span: tuple[int, int],
        taken: list[bool],
        index: EntityIndex,
        out: list[Mention],
    ) -> bool:
        """The run's words all in a longer name ("hydraulic power unit" → "Press hydraulic power unit")."""
        lo, hi = span
        tokens = {normalise_name(q[s:e]) for s, e in words[lo:hi]} - self.vocabulary
        if len(tokens) < 2:
            return False
        scored = index.containing(tokens)
        if not scored or len(scored) > MAX_CONTAINED:
            return False
        start, end = words[lo][0], words[hi - 1][1]
        out.append(
            Mention(q[start:end], start, end, "fuzzy", self._tied(scored, q[start:end], "fuzzy", tie=1.0))
        )
        taken[lo:hi] = [True] * (hi - lo)
        return True

    def _filler(self, q: str, words: list[tuple[int, int]], k: int) -> bool:
        """A question/stop word that cannot start or end a name: lower-case, or a stop word, or first."""
        w = q[words[k][0] : words[k][1]]
        return self._is_vocabulary(w) and (w.islower() or k == 0 or w.casefold() in STOP_WORDS)

    def relink(self, mention: Mention, labels: Sequence[str]) -> list[LinkedEntity]:
        """Entities of ``labels`` whose names contain every word of ``mention`` ("air compressor" → "Main
        plant air compressor, 90 kW"): for a tool whose slot no linked candidate fits."""
        index = self.index()
        tokens = set(normalise_name(mention.text).split()) - self.vocabulary
        if not tokens or not labels:
            return []
        wanted = set(labels)
        scored = [(e, score) for e, score in index.containing(tokens) if wanted.intersection(e.labels)]
        return prefer(self._tied(scored, mention.text, "fuzzy", tie=1.0), labels)

    def _content_runs(self, q: str, words: list[tuple[int, int]], taken: list[bool]) -> list[tuple[int, int]]:
        """Maximal runs [i, j) of free words that are not fillers; a filler may sit inside ("Plant Alpha
        of Leeds") when a content word follows it."""
        runs, i = [], 0
        while i < len(words):
            if taken[i] or self._filler(q, words, i):
                i += 1
                continue
            j = i + 1
            while j < len(words) and not taken[j] and j - i < MAX_MENTION_WORDS:
                if self._filler(q, words, j):
                    if j + 1 < len(words) and not taken[j + 1] and not self._filler(q, words, j + 1):
                        j += 1  # "coolant supply pump", "Plant Alpha of Leeds"
                        continue
                    break
                j += 1
            runs.append((i, j))
            i = j
        return runs

    def _inexact(
        self,
        q: str,
        words: list[tuple[int, int]],
        run: tuple[int, int],
        taken: list[bool],
        index: EntityIndex,
        out: list[Mention],
    ) -> None:
        i, j = run
        start, end = words[i][0], words[j - 1][1]
        surface = q[start:end]
        norm = normalise_name(surface)
        if len(norm) < 3 or not index.surfaces:
            return
        cands = self._fuzzy(norm, index, FUZZY_CUTOFF)
        method = "fuzzy"
        if not cands:
            cands, method = self._fulltext(surface, norm), "fulltext"
        if not cands and self.encoder is not None and j - i >= 2:
            cands, method = self._embedding(surface, index), "embedding"
        if cands:
            out.append(
                Mention(surface, start, end, method, [c.model_copy(update={"method": method}) for c in cands])
            )
            taken[i:j] = [True] * (j - i)

    def _fuzzy(self, norm: str, index: EntityIndex, cutoff: float) -> list[LinkedEntity]:
        hits = process.extract(
            norm, index.surfaces, scorer=fuzz.token_sort_ratio, score_cutoff=cutoff, limit=10
        )
        return self._tied(
            [(index.entries[e], score / 100) for _, score, k in hits for e in index.surface_entries[k]],
            norm,
            "fuzzy",
        )

    def _fulltext(self, surface: str, norm: str) -> list[LinkedEntity]:
        scored = []
        for h in self.kg.search(surface, limit=10):
            raw = h.get("name")
            name = raw if isinstance(raw, str) else ""
            score = fuzz.partial_ratio(norm, normalise_name(name)) / 100 if name else 0.0
            if score >= 0.8:
                labels = tuple(x for x in h.get("labels") or [] if x != "Entity")
                scored.append((_Entry(str(h["id"]), name, labels), score))
        return self._tied(scored, surface, "fulltext")

    def _embedding(self, surface: str, index: EntityIndex) -> list[LinkedEntity]:
        assert self.encoder is not None
        matrix = index.embeddings(self.encoder)
        if matrix.shape[0] == 0:
            return []
        sims = matrix @ self.encoder.encode([surface])[0]
        top = sims.topk(min(5, sims.shape[0]))
        scored = [
            (index.entries[e], float(s))
            for s, k in zip(top.values.tolist(), top.indices.tolist(), strict=True)
            if s >= EMBED_CUTOFF
            for e in index.surface_entries[k]
        ]
        return self._tied(scored, surface, "embedding")

    def _unknown(
        self, q: str, words: list[tuple[int, int]], run: tuple[int, int], index: EntityIndex
    ) -> Mention | None:
        start, end = words[run[0]][0], words[run[1] - 1][1]
        surface = q[start:end]
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
                seen.setdefault(entry.id, self._linked(entry, surface, "fuzzy", score / 100))
        return Mention(surface, start, end, "unknown", list(seen.values())[:5])

    def _names_something(self, q: str, words: list[tuple[int, int]], run: tuple[int, int]) -> bool:
        """Words the user probably meant as a name: a code, a capitalised word not first in the question."""
        for k in range(*run):
            w = q[words[k][0] : words[k][1]]
            if any(c.isdigit() for c in w) or (k > 0 and w[:1].isupper()) or (len(w) > 1 and w.isupper()):
                return True
        return False

    def _is_vocabulary(self, word: str) -> bool:
        """A stop word or question word; a hyphenated word when all its parts are ("single-sourced")."""
        w = word.casefold()
        return _known(w, self.vocabulary) or (
            "-" in w and all(_known(p, self.vocabulary) for p in w.split("-") if p)
        )

    def _tied(
        self, scored: list[tuple[_Entry, float]], surface: str, method: str, tie: float = TIE
    ) -> list[LinkedEntity]:
        best: dict[str, tuple[_Entry, float]] = {}
        for entry, score in scored:
            if entry.id not in best or score > best[entry.id][1]:
                best[entry.id] = (entry, score)
        ranked = sorted(best.values(), key=lambda x: (-x[1], x[0].id))
        if not ranked:
            return []
        top = ranked[0][1]
        return [self._linked(e, surface, method, s) for e, s in ranked if s >= top - tie][:10]

    @staticmethod
    def _linked(entry: _Entry, surface: str, method: str, score: float) -> LinkedEntity:
        return LinkedEntity(
            id=entry.id,
            name=entry.name,
            labels=list(entry.labels),
            mention=surface,
            method=method,  # type: ignore[arg-type]
            score=round(min(score, 1.0), 4),
        )


def _known(word: str, vocabulary: set[str]) -> bool:
    """In the vocabulary as written or without a plural/-ing/-ed ending ("delivering" → "deliver")."""
    if word in vocabulary:
        return True
    for suffix, add in (("ing", ""), ("ing", "e"), ("ed", ""), ("ed", "e"), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) > len(suffix) + 2 and word[: -len(suffix)] + add in vocabulary:
            return True
    return False


#: when a tool takes any entity, ties between classes are settled in this order
CLASS_ORDER = (
    "Equipment",
    "Part",
    "Supplier",
    "Manufacturer",
    "Site",
    "Material",
    "Product",
    "FailureMode",
    "FailureCause",
    "FailureEffect",
    "MaintenanceActivity",
    "Organization",
    "Process",
    "Property",
)


def prefer(candidates: list[LinkedEntity], labels: Sequence[str]) -> list[LinkedEntity]:
    """The best candidates of the first of ``labels`` (default :data:`CLASS_ORDER`) any candidate has:
    several only when they tie in score within the same class (truly ambiguous)."""
    for label in labels or CLASS_ORDER:
        hit = [c for c in candidates if label in c.labels]
        if hit:
            top = max(c.score for c in hit)
            return [c for c in hit if c.score >= top - TIE]
    return [] if labels else candidates[:1]
