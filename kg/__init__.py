"""mfg-kg: knowledge graphs from manufacturing documents.

Layers: :mod:`kg.model` (facts with provenance), :mod:`kg.schema` (what the ontology allows),
:mod:`kg.store` (FalkorDB / Neo4j backends), :mod:`kg.graph` (analyst queries), :mod:`kg.cli` (``kg``).
"""

__version__ = "0.1.0"
