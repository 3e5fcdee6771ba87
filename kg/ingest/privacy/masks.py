"""What masking produces: mask strings, :class:`Masking`, :class:`Masked`; and a detector's :class:`Hit`."""

from __future__ import annotations

from dataclasses import dataclass

KINDS = ("email", "phone", "person")
_TAGS = {"email": ("[EMAIL]", "[E]"), "phone": ("[PHONE]", "[T]"), "person": ("[PERSON]", "[P]")}


@dataclass(frozen=True)
class Masking:
    """One masked value: its span (same in the input and the masked text), kind and salted digest.

    Example:
        >>> Masking(5, 13, "person", "3f0a9c1d2b4e5f60").end
        13
    """

    start: int
    end: int
    kind: str  # "email" | "phone" | "person"
    digest: str


@dataclass(frozen=True)
class Masked:
    """The masked text (same length as the input) and what was masked, in text order.

    Example:
        >>> Masked("[EMAIL]__", ()).text
        '[EMAIL]__'
    """

    text: str
    maskings: tuple[Masking, ...]


@dataclass(frozen=True)
class Hit:
    """A value a detector found: ``text[start:end]``, its kind, and the canonical form its digest is keyed on.

    Example:
        >>> Hit(0, 19, "email", "john.smith@acme.com").kind
        'email'
    """

    start: int
    end: int
    kind: str
    canonical: str


def mask_string(kind: str, length: int) -> str:
    """The mask of ``length`` characters for a value of ``kind`` (see :mod:`kg.ingest.privacy`).

    Example:
        >>> mask_string("email", 10), mask_string("person", 4), mask_string("phone", 2)
        ('[EMAIL]___', '[P]_', 'XX')
    """
    full, short = _TAGS[kind]
    if length >= len(full):
        return full + "_" * (length - len(full))
    if length >= len(short):
        return short + "_" * (length - len(short))
    return "X" * length
