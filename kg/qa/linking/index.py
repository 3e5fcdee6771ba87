"""The index the linker looks names up in: every entity's name, aliases, part number and tag.

Built from :meth:`~kg.graph.knowledge_graph.KnowledgeGraph.entity_names` rows and keyed three ways: by
lookup key (:func:`keys_of`) for the exact pass, by word for the containment pass, by distinct normalised
surface for rapidfuzz and the embedding pass.

Example:
    >>> index = EntityIndex([{"id": "Part:62052rsh", "name": "Deep groove ball bearing 6205-2RS",
    ...                       "labels": ["Entity", "Part"], "part_number": "6205-2RSH"}])
    >>> [index.entries[i].id for i in index.by_key["#62052rsh"]]
    ['Part:62052rsh']
    >>> [(e.name, round(s, 2)) for e, s in index.containing({"ball", "bearing"})]
    [('Deep groove ball bearing 6205-2RS', 0.88)]
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from kg.core.keys import normalise_name, normalise_part_number
from kg.ingest.gazetteer import GENERIC_SITE_WORDS
from kg.ingest.resolve import RELATED_LABELS, SentenceEncoder, organization_key
from kg.qa.text import singular

MAX_EMBEDDED = 50_000  # names embedded for the embedding pass (larger graphs: the other passes only)


@dataclass(frozen=True)
class IndexEntry:
    id: str
    name: str
    labels: tuple[str, ...]
    #: documents backing the entity (a register's equipment: many; a noun one manual used as a name: one)
    support: int = 0
    #: known by a code (part number or tag), not only by a name
    coded: bool = False
    #: a record (a table, manual entry) backs it, not only a model reading prose
    recorded: bool = True


class EntityIndex:
    """Names, aliases, part numbers and tags of every entity, keyed for exact, fuzzy and embedding lookup."""

    def __init__(self, rows: Iterable[dict[str, Any]]) -> None:
        self.entries: list[IndexEntry] = []
        self.by_key: dict[str, list[int]] = {}
        #: codes by their tail after a separator ("P-101" of "LDS-P-101"): people drop a site prefix
        self.by_tail: dict[str, list[int]] = {}
        #: every code without separators, for a part number given without its suffix ("HD-0160")
        self.codes: list[tuple[str, int]] = []
        #: organisations by the words of their key ("hydac technology"), for "hydac tech", "gates"
        self.org_words: list[tuple[int, tuple[str, ...]]] = []
        #: sites by each distinctive word of their names ("ostrava", "beta" of "Plant Beta – Ostrava")
        self.site_parts: dict[str, set[int]] = {}
        surfaces: dict[str, list[int]] = {}
        for r in rows:
            labels = tuple(x for x in r.get("labels") or [] if x != "Entity")
            raw = r.get("name")
            name = raw if isinstance(raw, str) else str(r["id"]).split(":", 1)[-1]
            i = len(self.entries)
            codes = {c for c in (r.get("part_number"), r.get("tag")) if isinstance(c, str) and c}
            support = r.get("support")
            recorded = bool(r.get("recorded", True))
            self.entries.append(
                IndexEntry(str(r["id"]), name, labels, int(support or 0), bool(codes), recorded)
            )
            names = {name, *(a for a in r.get("aliases") or [] if isinstance(a, str))}
            if "Material" in labels and (m := re.fullmatch(r"\s*([^()]{2,}?)\s*\(([^()]{2,})\)?\s*", name)):
                names |= {m.group(1), m.group(2)}  # "Nitrile rubber (NBR)": "NBR" and "nitrile rubber" too
            for code in codes:
                self.codes.append((normalise_part_number(code), i))
                for tail in code_tails(code):
                    self.by_tail.setdefault(tail, [])
                    if i not in self.by_tail[tail]:
                        self.by_tail[tail].append(i)
            if "Site" in labels:
                for word in re.findall(r"[^\W\d_][\w'.-]*", name):
                    if len(word) >= 3 and word.casefold() not in GENERIC_SITE_WORDS:
                        self.site_parts.setdefault(word.casefold(), set()).add(i)
            if RELATED_LABELS.intersection(labels):
                for n in names:
                    words = tuple(organization_key(n).split())
                    if words:
                        self.org_words.append((i, words))
            for surface in names | codes:
                for key in keys_of(surface, labels, code=surface in codes):
                    self.by_key.setdefault(key, [])
                    if i not in self.by_key[key]:
                        self.by_key[key].append(i)
                norm = normalise_name(surface)
                if len(norm) >= 2:
                    surfaces.setdefault(norm, []).append(i)
        self.by_id = {e.id: e for e in self.entries}
        self.words = [frozenset(normalise_name(e.name).split()) for e in self.entries]
        self.by_word: dict[str, set[int]] = {}
        for k, ws in enumerate(self.words):
            for w in ws:
                self.by_word.setdefault(w.strip(",.;:()"), set()).add(k)
        self.surfaces = list(surfaces)  # distinct normalised surfaces, for rapidfuzz
        self.surface_entries = [surfaces[s] for s in self.surfaces]
        self._embeddings: Any = None
        self._singular: dict[str, set[int]] | None = None
        self._spelling: set[str] | None = None

    def __len__(self) -> int:
        return len(self.entries)

    def spelling_words(self) -> set[str]:
        """The words of recorded names a typo may be corrected to ("compresor": the compressor's): letters
        only, six or more, computed once."""
        if self._spelling is None:
            recorded = {k for k, e in enumerate(self.entries) if e.recorded}
            self._spelling = {
                w for w, ks in self.by_word.items() if len(w) >= 6 and w.isalpha() and ks & recorded
            }
        return self._spelling

    def containing(self, tokens: set[str]) -> list[tuple[IndexEntry, float]]:
        """Entries whose names hold every one of ``tokens``, scored 0.8–1.0 by the share of the name they
        cover (the tightest name first)."""
        postings = [self.by_word.get(t.strip(",.;:()"), set()) for t in tokens]
        hits = set.intersection(*postings) if postings and all(postings) else set()
        return [(self.entries[h], 0.8 + 0.2 * len(tokens) / max(len(self.words[h]), 1)) for h in hits]

    def site_names(self) -> list[str]:
        """The names of the sites the records hold, sorted."""
        return sorted(
            {
                self.entries[i].name
                for ids in self.site_parts.values()
                for i in ids
                if self.entries[i].recorded
            }
        )

    def site_by_part(self, surface: str) -> list[IndexEntry]:
        """The one site whose name holds every distinctive word of ``surface`` ("ostrava", "plant beta")."""
        words = [w.casefold() for w in re.findall(r"[^\W\d_][\w'.-]*", surface)]
        distinctive = [w for w in words if w not in GENERIC_SITE_WORDS]
        if not distinctive or len(distinctive) < len(words) - 1:
            return []
        sites = set.intersection(*(self.site_parts.get(w, set()) for w in distinctive))
        return [self.entries[next(iter(sites))]] if len(sites) == 1 else []

    def tail_matches(self, surface: str) -> list[IndexEntry]:
        """Coded entities whose code ends with ``surface`` after a separator, when exactly one does
        ("p-101" → LDS-P-101; "101" alone is no code tail)."""
        hits = self.by_tail.get("#" + normalise_part_number(surface), [])
        return [self.entries[hits[0]]] if len(hits) == 1 else []

    def prefix_matches(self, surface: str) -> list[IndexEntry]:
        """The one coded entity whose code starts with ``surface`` (six characters or more, without
        separators): a part number given without its option suffix ("HD-0160" → HD-0160D010BN4HC)."""
        key = normalise_part_number(surface)
        if len(key) < 6:
            return []
        hits = {i for code, i in self.codes if code.startswith(key) and code != key}
        return [self.entries[hits.pop()]] if len(hits) == 1 else []

    def series_matches(self, surface: str) -> list[IndexEntry]:
        """Coded entities a series number and a kind name ("the 6309 bearing", "6205 brg"): the code starts
        with the number (four digits or more) and the name holds every other word."""
        first, _, rest = surface.partition(" ")
        key, words = normalise_part_number(first), {singular(w) for w in normalise_name(rest).split()}
        if not re.fullmatch(r"\d{4,}", first) or not words:
            return []
        hits = {i for code, i in self.codes if code.startswith(key)}
        return [self.entries[i] for i in sorted(hits) if words <= {singular(w) for w in self.words[i]}]

    def organisations_starting(self, surface: str) -> list[IndexEntry]:
        """Organisations whose name starts with the surface's words, each word a prefix of the name's
        ("gates" → Gates Industrial Europe, "hydac tech" → HYDAC Technology Ltd)."""
        words = tuple(organization_key(surface).split())
        if not words:
            return []
        out: dict[int, None] = {}
        for i, name in self.org_words:
            if len(name) < len(words) or name == words:  # an equal key is the exact pass's business
                continue
            if all(n == w or (len(w) >= 3 and n.startswith(w)) for w, n in zip(words, name, strict=False)):
                out[i] = None
        return [self.entries[i] for i in out]

    def containing_words(self, tokens: set[str]) -> list[tuple[IndexEntry, float]]:
        """:meth:`containing`, comparing words without a plural ``s`` ("pumps" finds "pump")."""
        if self._singular is None:
            self._singular = {}
            for k, ws in enumerate(self.words):
                for w in ws:  # "5-axis" holds "5" and "axis" too (a count and a word; not "o-ring", "ring")
                    counted = re.fullmatch(r"(\d+)-([^\W\d_]{2,})", w.strip(",.;:()"))
                    for x in {w, *(counted.groups() if counted else ())}:
                        self._singular.setdefault(singular(x.strip(",.;:()")), set()).add(k)
        postings = [self._singular.get(singular(t), set()) for t in tokens]
        hits = set.intersection(*postings) if postings and all(postings) else set()
        return [(self.entries[h], 0.8 + 0.2 * len(tokens) / max(len(self.words[h]), 1)) for h in hits]

    def embeddings(self, encoder: SentenceEncoder) -> Any:
        if self._embeddings is None:
            self._embeddings = encoder.encode(self.surfaces[:MAX_EMBEDDED])
        return self._embeddings


def code_tails(code: str) -> list[str]:
    """Lookup keys of the tails of a code after each separator that still hold a letter and a digit:
    ``LDS-P-101`` → ``#p101``; ``6205-2RSH`` → ``#2rsh``."""
    parts = [p for p in re.split(r"[\s\-_/.]+", code) if p]
    out = []
    for k in range(1, len(parts)):
        tail = "".join(parts[k:])
        if any(c.isdigit() for c in tail) and any(c.isalpha() for c in tail):
            out.append("#" + normalise_part_number(tail))
    return out


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
