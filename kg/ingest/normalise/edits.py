r"""The result of normalising a text: its :class:`Edit`\ s, and :class:`Normalised` mapping spans back."""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from functools import cached_property

from kg.core.errors import BadInputError


@dataclass(frozen=True)
class Edit:
    """One change: ``original[start:end]`` became ``replacement``.

    Example:
        >>> Edit(0, 4, "replace", "abbreviation").replacement
        'replace'
    """

    start: int
    end: int
    replacement: str
    kind: str  # "abbreviation" | "spelling" | "mask"


@dataclass(frozen=True)
class Normalised:
    """A normalised text, its original, and the edits (sorted, non-overlapping) that turn one into the other.

    Example:
        >>> n = Normalised("c/o brg", "change out brg", (Edit(0, 3, "change out", "abbreviation"),))
        >>> n.to_original(11, 14), n.to_original(0, 6)
        ((4, 7), (0, 3))
    """

    original: str
    text: str
    edits: tuple[Edit, ...]

    @cached_property
    def _starts(self) -> tuple[list[int], list[int]]:
        """Where each edit's replacement starts and ends in ``text``."""
        starts, ends, shift = [], [], 0
        for e in self.edits:
            starts.append(e.start + shift)
            shift += len(e.replacement) - (e.end - e.start)
            ends.append(starts[-1] + len(e.replacement))
        return starts, ends

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map the span ``text[start:end]`` to the span of ``original`` it came from.

        Unchanged characters map one to one; a span touching part of an edit's replacement takes in the whole
        edited source span.

        Raises:
            BadInputError: the span is not inside ``text``.
        """
        if not 0 <= start <= end <= len(self.text):
            raise BadInputError(
                f"Span ({start}, {end}) is outside the normalised text (length {len(self.text)})."
            )
        starts, ends = self._starts
        i = bisect.bisect_right(starts, start) - 1  # last edit starting at or before `start`
        if i < 0:
            o_start = start
        elif start < ends[i]:
            o_start = self.edits[i].start
        else:
            o_start = self.edits[i].end + start - ends[i]
        j = bisect.bisect_left(starts, end) - 1  # last edit starting before `end`
        if j < 0:
            o_end = end
        elif end <= ends[j]:
            o_end = self.edits[j].end
        else:
            o_end = self.edits[j].end + end - ends[j]
        return o_start, max(o_start, o_end)


def edit_kind(noisy: str, normalised: str) -> str:
    """``"abbreviation"`` when ``noisy`` is a shortening of ``normalised`` (or a symbol), else ``"spelling"``.

    Example:
        >>> edit_kind("brg", "bearing"), edit_kind("replce", "replace"), edit_kind("u/s", "unserviceable")
        ('abbreviation', 'spelling', 'abbreviation')
    """
    letters = [c for c in noisy.lower() if c.isalnum()]
    if not letters or "/" in noisy:
        return "abbreviation"
    rest = iter(normalised.lower())
    is_subsequence = all(c in rest for c in letters)
    shortened = len(normalised) >= len(noisy) + 2 or len(letters) <= 3 < len(normalised)
    return "abbreviation" if is_subsequence and shortened else "spelling"
