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

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from kg.core.keys import normalise_name, normalise_part_number
from kg.ingest.resolve import RELATED_LABELS, SentenceEncoder, organization_key

MAX_EMBEDDED = 50_000  # names embedded for the embedding pass (larger graphs: the other passes only)


@dataclass(frozen=True)
class IndexEntry:
    id: str
    name: str
    labels: tuple[str, ...]


class EntityIndex:
    """Names, aliases, part numbers and tags of every entity, keyed for exact, fuzzy and embedding lookup."""

    def __init__(self, rows: Iterable[dict[str, Any]]) -> None:
        self.entries: list[IndexEntry] = []
        self.by_key: dict[str, list[int]] = {}
        surfaces: dict[str, list[int]] = {}
        for r in rows:
            labels = tuple(x for x in r.get("labels") or [] if x != "Entity")
            raw = r.get("name")
            name = raw if isinstance(raw, str) else str(r["id"]).split(":", 1)[-1]
            i = len(self.entries)
            self.entries.append(IndexEntry(str(r["id"]), name, labels))
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

    def containing(self, tokens: set[str]) -> list[tuple[IndexEntry, float]]:
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
