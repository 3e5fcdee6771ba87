r"""The token and mask patterns the normaliser and the lexicon learner share.

A token is a run of ``\w+`` joined by ``/ & ' . -``, a lone ``&`` or ``#``, a mask (``<num>``, ``<id>``,
``<date>``, ``<sensitive>``) or a lone ``@`` or ``+``.

Example:
    >>> words("c/o brg & <num>")
    ['c/o', 'brg', '&', '<num>']
"""

from __future__ import annotations

import re

_MASK = r"<(?:num|id|date|sensitive)>"
TOKEN_RE = re.compile(rf"{_MASK}|\w+(?:[/&'.\-]\w+)*|[&#]|(?<!\S)[@+](?!\S)")
MASK_RE = re.compile(_MASK)
NUMBER_RE = re.compile(r"[+-]?\d+(?:[.,]\d+)*")
DATE_RE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}([/.])\d{1,2}\1(?:\d{4}|\d{2})")
UNIT_RE = re.compile(r"(\d+(?:[.,]\d+)?)([^\W\d_]+)")


def words(text: str) -> list[str]:
    """The tokens of ``text``, in order."""
    return [m.group() for m in TOKEN_RE.finditer(text)]
