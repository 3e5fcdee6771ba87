"""The surfaces of one batch while they resolve: cleaned, keyed, and what each merged into.

Example:
    >>> m = Mention.of("Supplier", clean_surface(' "Aktiebolaget SKF", '), 0)
    >>> m.surface, m.key, m.cand_id
    ('Aktiebolaget SKF', 'skf', 'Supplier:skf')
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.core.errors import BadInputError
from kg.core.keys import node_id, normalise_name
from kg.ingest.resolve.canonical_keys import (
    RELATED_LABELS,
    canonical_key,
    comparison_words,
    is_code,
    number_tokens,
)

_EDGE_JUNK = re.compile(r"^[\s,;:\"'“”‘’]+|[\s,;:\"'“”‘’]+$")


@dataclass
class Mention:
    """One distinct (cleaned) surface of a batch and what it resolved to.

    Example:
        >>> Mention.of("Part", "6205-2RSH", 0).cand_id
        'Part:62052rsh'
    """

    surface: str
    key: str
    words: str  # the key's words, for fuzzy and embedding comparison
    cand_id: str
    code: bool
    digits: tuple[str, ...]
    target: int | None = None
    method: str = "new"
    score: float = 1.0
    leader: Mention | None = None  # an earlier mention with the same canonical key

    @classmethod
    def of(cls, label: str, clean: str, position: int) -> Mention:
        """The mention of the cleaned surface ``clean``, the ``position``-th of the batch (for errors).

        Raises:
            BadInputError: the surface is blank.
        """
        if not clean:
            raise BadInputError(
                f"{label} surface #{position} is blank; drop empty mentions before resolving."
            )
        code = is_code(label, clean)
        key = canonical_key(label, clean) or normalise_name(clean)
        words = comparison_words(key)
        digits = number_tokens(words)
        # organisations get their id from the canonical key ("Aktiebolaget SKF", "SKF Group" -> Supplier:skf):
        # the id of a new entity must not depend on which spelling a batch happened to meet first
        cand = (
            f"{label}:{key}"
            if label in RELATED_LABELS and not code and key
            else node_id(label, clean, is_code=code)
        )
        return cls(clean, key, words, cand, code, digits)


def clean_surface(surface: str) -> str:
    """The surface with runs of white space made one and quotes and punctuation trimmed from its ends.

    Raises:
        BadInputError: the surface is not text.
    """
    if not isinstance(surface, str):
        raise BadInputError(f"Surfaces must be text, got {type(surface).__name__} ({surface!r}).")
    return _EDGE_JUNK.sub("", " ".join(surface.split()))
