"""The head nouns of physical objects: the words that end item names in the extractor's training data
(``data/item_heads.txt``, written by ``tools/corpus/item_heads.py``). Ingestion uses them to finish an item's
name the model cut before its head noun (:func:`kg.ingest.name_spans.item_end`) and to tell an item typed as a
failure from a failure (:mod:`kg.ingest.node_rules`).

Example:
    >>> is_item_head("strainer"), is_item_head("bearings"), is_item_head("leak"), is_item_head("replace")
    (True, True, False, False)
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

ITEM_HEADS_PATH = Path(__file__).parent / "data" / "item_heads.txt"


@lru_cache(maxsize=1)
def item_heads() -> frozenset[str]:
    """The words of ``item_heads.txt``."""
    lines = ITEM_HEADS_PATH.read_text(encoding="utf-8").splitlines()
    return frozenset(w for w in (x.strip() for x in lines) if w and not w.startswith("#"))


def is_item_head(word: str) -> bool:
    """``word`` (lower case), its singular or its plural ends item names in the training data."""
    heads = item_heads()
    return word in heads or word.removesuffix("s") in heads or f"{word}s" in heads
