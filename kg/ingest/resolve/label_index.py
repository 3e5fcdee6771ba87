"""The entities a resolver can merge into, one index per label: by id, by canonical key, and the names
the fuzzy and embedding steps compare.

Example:
    >>> idx = LabelIndex("Supplier")
    >>> i = idx.add(KnownEntity("Supplier:skf", "Supplier", "SKF", aliases=("AB SKF",)))
    >>> idx.by_key["skf"] == i, idx.soft_texts
    (True, ['skf'])
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kg.core.errors import BadInputError
from kg.core.keys import node_id
from kg.ingest.resolve.candidates import SameWords, sorted_words
from kg.ingest.resolve.canonical_keys import (
    PROPER_NAME_LABELS,
    canonical_key,
    comparison_words,
    is_code,
    number_tokens,
)

if TYPE_CHECKING:
    import torch

    from kg.ingest.resolve.sentence_encoder import SentenceEncoder


@dataclass(frozen=True)
class KnownEntity:
    """An entity already in the graph (or created earlier in this batch) that surfaces can merge into.

    Example:
        >>> KnownEntity(id="Supplier:skf", label="Supplier", name="SKF", aliases=("AB SKF",)).name
        'SKF'
    """

    id: str
    label: str
    name: str
    aliases: tuple[str, ...] = ()


@dataclass
class IndexedEntity:
    """An entity of a :class:`LabelIndex`: its id, its name and every canonical key that reaches it.

    Example:
        >>> IndexedEntity("Supplier:skf", "SKF", {"skf", "skf group"}).name
        'SKF'
    """

    id: str
    name: str
    keys: set[str] = field(default_factory=set)  # canonical keys of its id, name, aliases and merged surfaces


class LabelIndex:
    """One label's entities: by id, by canonical key, and the names the fuzzy/embedding steps compare.

    Example:
        >>> idx = LabelIndex("Part")
        >>> idx.add(KnownEntity("Part:62052rsh", "Part", "6205-2RSH")), idx.by_key, idx.soft_texts
        (0, {'62052rsh': 0}, [])
    """

    def __init__(self, label: str) -> None:
        self.label = label
        self.entities: list[IndexedEntity] = []
        self.by_id: dict[str, int] = {}
        self.by_key: dict[str, int] = {}
        self.soft_texts: list[str] = []  # canonical keys of names that are not codes
        self.soft_owner: list[int] = []
        self.soft_digits: list[tuple[str, ...]] = []
        self._soft_seen: set[tuple[int, str]] = set()
        self.soft_sorted: list[str] = []  # the same, words sorted: fuzz.ratio on these is token_sort_ratio
        self.same_words = SameWords(subsets=label in PROPER_NAME_LABELS)
        self.vectors: torch.Tensor | None = None  # embeddings of soft_texts[: len(vectors)]

    def add(self, entity: KnownEntity) -> int:
        """Index ``entity`` (or add the names of an id already indexed); returns its position."""
        if entity.label != self.label or not entity.id.startswith(f"{entity.label}:"):
            raise BadInputError(
                f"Known entity {entity.id!r} must have an id starting with '{entity.label}:'."
            )
        i = self.by_id.get(entity.id)
        if i is None:
            i = len(self.entities)
            self.entities.append(IndexedEntity(entity.id, entity.name))
            self.by_id[entity.id] = i
        self.add_key(i, entity.id.split(":", 1)[1], soft=False)  # "skf group" or a code such as "62052rsh"
        for text in (entity.name, *entity.aliases):
            self.add_key(i, text)
        return i

    def add_key(self, i: int, text: str, *, soft: bool = True) -> None:
        """Make ``text``'s canonical key reach entity ``i``; ``soft``: similarity steps compare it too."""
        key = canonical_key(self.label, text)
        if not key:
            return
        held = self.by_key.get(key)
        if held is None or self.entities[i].id < self.entities[held].id:
            self.by_key[key] = i  # a key two entities share is the smaller id's: any order gives the same
        self.entities[i].keys.add(key)
        words = comparison_words(key)
        if soft and not is_code(self.label, text) and (i, words) not in self._soft_seen:
            self._soft_seen.add((i, words))
            self.soft_texts.append(words)
            self.soft_sorted.append(sorted_words(words))
            self.soft_owner.append(i)
            self.soft_digits.append(number_tokens(words))
            self.same_words.add(len(self.soft_texts) - 1, words)

    def embeddings(self, encoder: SentenceEncoder) -> torch.Tensor:
        """Embeddings of every soft text (call only when there is one); new rows are encoded once."""
        import torch

        vectors = self.vectors
        done = 0 if vectors is None else len(vectors)
        if vectors is None or done < len(self.soft_texts):
            new = encoder.encode(self.soft_texts[done:])
            vectors = new if vectors is None else torch.cat([vectors, new])
            self.vectors = vectors
        return vectors


def node_key(label: str, entity: IndexedEntity) -> str | None:
    """``NodeFact.key`` for the entity: None when its id is its name's normalised form, else the id's key."""
    try:
        if node_id(label, entity.name) == entity.id:
            return None
    except BadInputError:
        pass
    return entity.id.split(":", 1)[1]
