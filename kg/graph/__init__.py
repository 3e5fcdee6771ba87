"""The knowledge graph as users see it (L2): a store plus the ontology's schema, with the analyst reads.

- :mod:`kg.graph.knowledge_graph`: :class:`KnowledgeGraph`, the graph's own queries (failure chains,
  neighbourhoods, paths, search) over any :class:`~kg.store.base.GraphStore`.
- :mod:`kg.graph.queries`: the analyst reads' Cypher, as small builders (the store's own are
  :mod:`kg.store.cypher`).
- :mod:`kg.graph.analyst`: the analyst and engineer tools (supplier impact, single source, where-used, BOM,
  failure chains, paths) returning :mod:`kg.graph.results` models; the API's typed endpoints and the
  question-answering tools both call them.
- :mod:`kg.graph.entities`: entity detail and citations.
"""

from kg.graph.knowledge_graph import KnowledgeGraph, open_knowledge_graph

__all__ = ["KnowledgeGraph", "open_knowledge_graph"]
