"""Extraction: a fine-tuned transformer NER + relation extractor, its training data readers and metrics.

- :mod:`extractors.types` — annotated texts (gold) and extractions (predicted), with character spans.
- :mod:`extractors.base` — the :class:`EntityRelationExtractor` protocol every extractor implements.
- :mod:`extractors.corpora` — readers for the public corpora and the formats users bring annotations in.
- :mod:`extractors.metrics` — strict entity and relation precision/recall/F1.
"""

import os

# Before anything imports torch: OpenMP's default busy-waiting made training ~10x slower on 2 cores.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
