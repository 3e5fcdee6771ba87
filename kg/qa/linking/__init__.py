"""Entity linking: find the graph entities a question names.

Mentions are found in four passes (:mod:`~kg.qa.linking.passes`), longest spans first, each on the words
the earlier passes left:

1. **exact / alias**: a run of words whose key (casefolded name; part number or tag without separators;
   organisation name without legal form) equals an entity's name, alias, part number or tag key;
2. **fuzzy**: rapidfuzz ``token_sort_ratio`` of a run of content words against every name (typos, word order);
3. **full-text**: the store's full-text index on the run (word stems), confirmed by a fuzzy partial match;
4. **embedding**: cosine similarity of the run and the names under the shipped sentence encoder
   (all-MiniLM-L6-v2) for paraphrases ("drive belt" → "V-belt SPA 1250").

Each mention keeps every candidate within :data:`TIE` of its best score, so the caller can prefer the
classes its tool accepts and ask the user when several remain (``ambiguous``). Words that are neither
stop words nor question words and match nothing become ``unknown`` mentions, with close names as
suggestions. The index of names (:mod:`~kg.qa.linking.index`) is rebuilt when older than ``ttl_seconds``.

- :mod:`~kg.qa.linking.linker`: :class:`EntityLinker`, which runs the passes over a cached index;
- :mod:`~kg.qa.linking.question_words` and :mod:`~kg.qa.linking.vocabulary`: a question's words and the
  words that name nothing;
- :mod:`~kg.qa.linking.linked_mentions`: :class:`Mention`, :class:`LinkResult`, ties and :func:`prefer`.

Example:
    >>> linker = EntityLinker(kg)  # doctest: +SKIP
    >>> result = linker.link("Who supplies the 6205-2RSH bearing?")  # doctest: +SKIP
    >>> [(m.text, m.candidates[0].id) for m in result.mentions]  # doctest: +SKIP
    [('6205-2RSH', 'Part:62052rsh')]
"""

from kg.qa.linking.index import MAX_EMBEDDED, EntityIndex, IndexEntry, keys_of
from kg.qa.linking.linked_mentions import CLASS_ORDER, TIE, LinkResult, Mention, prefer
from kg.qa.linking.linker import EntityLinker
from kg.qa.linking.passes import (
    ALIAS_SCORE,
    EMBED_CUTOFF,
    FUZZY_CUTOFF,
    MAX_CONTAINED,
    SUGGEST_CUTOFF,
)
from kg.qa.linking.question_words import MAX_MENTION_WORDS, QuestionWords
from kg.qa.linking.vocabulary import GENERIC

__all__ = [
    "ALIAS_SCORE",
    "CLASS_ORDER",
    "EMBED_CUTOFF",
    "FUZZY_CUTOFF",
    "GENERIC",
    "MAX_CONTAINED",
    "MAX_EMBEDDED",
    "MAX_MENTION_WORDS",
    "SUGGEST_CUTOFF",
    "TIE",
    "EntityIndex",
    "EntityLinker",
    "IndexEntry",
    "LinkResult",
    "Mention",
    "QuestionWords",
    "keys_of",
    "prefer",
]
