"""The head nouns of physical objects: the words that end item names in the extractor's training data
(``data/item_heads.txt``, written by ``tools/corpus/item_heads.py``). Ingestion uses them to finish an item's
name the model cut before its head noun (:func:`kg.ingest.name_spans.item_end`) and to tell an item typed as a
failure from a failure (:mod:`kg.ingest.node_rules`).

Example:
    >>> is_item_head("strainer"), is_item_head("bearings"), is_item_head("leak"), is_item_head("replace")
    (True, True, False, False)
    >>> is_lone_name("Northwind"), is_lone_name("Hoses"), is_lone_name("BiPAP"), is_lone_name("spool")
    (True, False, False, False)
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


def is_lone_name(surface: str) -> bool:
    """One Title-case word that ends no item name in the training data ("Northwind", "Champion", "Audi",
    "Lubrication" opening a line): a name or a sentence's first word, not an item. On the prose dev split
    the model typed 8 such words as physical objects, none of them right; "Hoses" and "Pulley" are heads,
    "BiPAP" and "PFDs" not Title-case, and a product's model name ("Malibu") is judged as a Product."""
    s = surface.strip()
    return (
        " " not in s
        and len(s) > 2
        and s[:1].isupper()
        and s[1:].replace("-", "").isalpha()
        and s[1:].islower()
        and not is_item_head(s.lower())
    )
