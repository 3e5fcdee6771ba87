"""mfg-kg: knowledge graphs from manufacturing documents.

Layers (docs/ARCHITECTURE.md; import-linter holds the rule): :mod:`kg.core` (errors, facts, keys, graph
schema, settings) ← :mod:`ontology`, :mod:`extractors`, :mod:`kg.store` ← :mod:`kg.graph`, :mod:`kg.ingest`,
:mod:`kg.documents`, :mod:`kg.tables`, :mod:`kg.interchange` ← :mod:`kg.qa`, :mod:`kg.evaluation` ←
:mod:`api`, :mod:`kg.cli` (``kg``).
"""

__version__ = "0.2.0"
