"""Turn free text into a safe full-text query (both backends use Lucene/RediSearch-like syntax).

User text may contain query operators (``-``, ``|``, ``@``, quotes, ``*``); we keep only word
characters, so a name like ``6205-2RS`` becomes ``6205 2RS`` and no operator reaches the engine. The last
word gets a prefix wildcard so a search box matches while typing.

Every word must match, on both engines: RediSearch (FalkorDB) intersects the terms of a query by default,
Lucene (Neo4j) unites them unless told ``AND``. Without it, Neo4j also returned names holding any one of
the words, and question linking picked other entities than on FalkorDB (found by the cross-backend test).
"""

from __future__ import annotations

import re

_WORDS = re.compile(r"[^\W_]+", re.UNICODE)
MAX_TERMS = 12


def fulltext_terms(text: str, *, lucene: bool = False) -> str:
    """``"SKF  bearing-6205!"`` -> ``"skf bearing 6205*"`` (``lucene``: ``"skf AND bearing AND 6205*"``);
    empty when no word is left.

    Example:
        >>> fulltext_terms("SKF  bearing-6205!", lucene=True)
        'skf AND bearing AND 6205*'
    """
    words = [w.lower() for w in _WORDS.findall(text or "")][:MAX_TERMS]
    if not words:
        return ""
    if len(words[-1]) >= 3:
        words[-1] += "*"  # prefix match while typing
    return (" AND " if lucene else " ").join(words)
