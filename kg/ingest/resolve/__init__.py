"""Entity resolution for batch ingestion: which graph node does each mention of an entity refer to?

Each surface (the text as written in a document) is compared, within one label, with the entities already
in the graph and those met earlier in the batch. The first step that finds a match wins:

1. ``exact``: its node id (:func:`kg.core.keys.node_id`) is a known entity's id.
2. ``canonical``: its :func:`canonical_key` equals one of a known entity's (legal forms, case, separators
   and punctuation do not count: ``Aktiebolaget SKF`` == ``SKF Group`` == ``SKF``).
3. ``alias``: an alias table (:func:`load_alias_table`) puts it in one group with a known entity, or names
   its canonical spelling.
4. ``fuzzy``: rapidfuzz token_sort_ratio of canonical forms >= ``fuzzy_threshold``; the same words but
   for spaces; and for proper names (:data:`PROPER_NAME_LABELS`) all words within the other name's.
5. ``embedding``: cosine similarity of all-MiniLM-L6-v2 embeddings of canonical forms
   >= ``embedding_threshold``, for surfaces with no fuzzy candidate at all.
6. ``new``: a new entity, which later surfaces of the batch (and later calls) merge into.

Steps 4-5 compare each surface with the known entities and with the batch's other new names (longest
first), so document order does not change the result.

Codes (part numbers, equipment tags) merge only by steps 1-3: ``6205-2RSH`` and ``6206-2RSH`` differ by one
character and are different bearings. Names whose numbers differ (``pump 1`` / ``pump 2``) never merge by
similarity either, and neither does a surface that is equally similar to two different entities. Pairs in
``never_merge`` block every step but the first (equal ids are one node by definition). Failure modes are
also mapped to the closest ontology failure-mode code, keeping the original wording as their name.

The package, one module per part:

- :mod:`~kg.ingest.resolve.canonical_keys`: canonical keys (legal forms, separators), codes and tags.
- :mod:`~kg.ingest.resolve.aliases`: alias tables, read from JSON and checked.
- :mod:`~kg.ingest.resolve.label_index`: the known entities of one label, by id, key and comparable name.
- :mod:`~kg.ingest.resolve.mentions`: the surfaces of a batch while they resolve.
- :mod:`~kg.ingest.resolve.candidates`: fuzzy and embedding candidate search.
- :mod:`~kg.ingest.resolve.sentence_encoder`: the sentence encoder behind the embedding step.
- :mod:`~kg.ingest.resolve.never_merge`: the pairs no step may merge.
- :mod:`~kg.ingest.resolve.failure_mode_codes`: failure descriptions to ontology failure-mode codes.
- :mod:`~kg.ingest.resolve.organizations`: related organisations and supplier accounts across labels.
- :mod:`~kg.ingest.resolve.resolver`: :class:`EntityResolver`, which runs the steps, and its
  :class:`Resolution`.

Example:
    >>> skf = KnownEntity(id="Supplier:skf", label="Supplier", name="SKF")
    >>> resolver = EntityResolver([skf], encoder=None)
    >>> [(r.id, r.method) for r in resolver.resolve("Supplier", ["Aktiebolaget SKF", "ERIKS", "Eriks B.V."])]
    [('Supplier:skf', 'canonical'), ('Supplier:eriks', 'new'), ('Supplier:eriks', 'canonical')]
"""

from kg.ingest.resolve.aliases import load_alias_table
from kg.ingest.resolve.canonical_keys import (
    PROPER_NAME_LABELS,
    RELATED_LABELS,
    canonical_key,
    entity_id,
    is_code,
    looks_like_tag,
    organization_key,
)
from kg.ingest.resolve.failure_mode_codes import FAILURE_MODE_LABEL
from kg.ingest.resolve.label_index import KnownEntity
from kg.ingest.resolve.resolver import EntityResolver, Resolution
from kg.ingest.resolve.sentence_encoder import DEFAULT_ENCODER, SentenceEncoder, shared_encoder

__all__ = [
    "DEFAULT_ENCODER",
    "FAILURE_MODE_LABEL",
    "PROPER_NAME_LABELS",
    "RELATED_LABELS",
    "EntityResolver",
    "KnownEntity",
    "Resolution",
    "SentenceEncoder",
    "canonical_key",
    "entity_id",
    "is_code",
    "load_alias_table",
    "looks_like_tag",
    "organization_key",
    "shared_encoder",
]
