"""Canonical node keys: the identity that makes loading the same fact twice change nothing.

A node's id is ``"<Label>:<key>"``; the key is a normalised form of the name (or of an explicit key such as
a part number) so that trivially different spellings land on one node. Deeper entity resolution (aliases,
fuzzy and embedding similarity) belongs to ingestion; this module only does what is always safe.

Example:
    >>> node_id("Supplier", "  SKF  Group ")
    'Supplier:skf group'
    >>> node_id("Part", "6205-2RS / C3", is_code=True)
    'Part:62052rsc3'
"""

from __future__ import annotations

import re
import unicodedata

from kg.core.errors import BadInputError

_SPACE = re.compile(r"\s+")
_EDGE_PUNCT = re.compile(r"^[\W_]+|[\W_]+$", re.UNICODE)
_PART_SEPARATORS = re.compile(r"[\s\-_./\\:#]+")
MAX_KEY_CHARS = 300


def normalise_name(name: str) -> str:
    """Unicode-normalise (NFKC), casefold, collapse whitespace, trim punctuation at the ends."""
    text = unicodedata.normalize("NFKC", name).casefold()
    text = _SPACE.sub(" ", text).strip()
    return _EDGE_PUNCT.sub("", text)  # punctuation alone is not a name: empty -> refused by node_id


def normalise_part_number(value: str) -> str:
    """Part numbers compare without separators and case: ``6205-2RS`` == ``62052rs``."""
    return _PART_SEPARATORS.sub("", unicodedata.normalize("NFKC", value)).casefold()


def node_id(label: str, name: str, *, is_code: bool = False) -> str:
    """Build the canonical node id for ``name`` of class ``label``.

    ``is_code`` marks an explicit identifier (part number, equipment tag, code): compared without
    separators and case. Names are compared after :func:`normalise_name`.

    Raises:
        BadInputError: the name is empty after normalisation, or absurdly long.
    """
    if not isinstance(name, str):
        raise BadInputError(f"Node name must be text, got {type(name).__name__} ({name!r}).")
    key = normalise_part_number(name) if is_code else normalise_name(name)
    if not key:
        raise BadInputError(f"Empty {label} name {name!r}: give the node a non-blank name or key.")
    if len(key) > MAX_KEY_CHARS:
        raise BadInputError(
            f"{label} name is {len(key)} characters long (limit {MAX_KEY_CHARS}): "
            f"{name[:60]!r}... is probably a sentence, not an entity name."
        )
    return f"{label}:{key}"
