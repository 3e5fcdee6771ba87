"""Read a whole store page by page, and hand it to networkx.

Example:
    >>> g = to_networkx(store)                                   # doctest: +SKIP
    >>> g.nodes["Equipment:p-101 feed pump"]["labels"]           # doctest: +SKIP
    ['Entity', 'Equipment']
    >>> list(g["Equipment:p-101 feed pump"]["Part:ms22"])        # doctest: +SKIP
    ['HAS_PART']
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import networkx as nx

from kg.core.errors import BadInputError
from kg.core.facts import (
    APPLIED_LABEL,
    CHUNK_LABEL,
    DOCUMENT_LABEL,
    EVIDENCE_LABEL,
    IN_CHUNK,
    MENTIONED_IN,
    META_LABEL,
    GraphEdge,
    GraphNode,
)
from kg.store import cypher
from kg.store.base import GraphStore


def _pages(store: GraphStore, query: str, page: int) -> Iterator[dict[str, Any]]:
    if not isinstance(page, int) or isinstance(page, bool) or page < 1:
        raise BadInputError(f"page size must be a positive whole number, got {page!r}")
    skip = 0
    while True:
        rows = store.read(query, {"skip": skip, "limit": page})
        yield from rows
        if len(rows) < page:
            return
        skip += page


#: labels of the store's own bookkeeping nodes: never exported
BOOKKEEPING = frozenset({META_LABEL, APPLIED_LABEL})


def iter_nodes(store: GraphStore, *, page: int = 10_000) -> Iterator[GraphNode]:
    """Every node (entities, documents, chunks, Evidence records) that has an application id, in id order;
    not the store's bookkeeping (its layout stamp, the fingerprints of batches written)."""
    for row in _pages(store, cypher.all_nodes(), page):
        node = row["n"]
        if isinstance(node, GraphNode) and node.id is not None and not BOOKKEEPING.intersection(node.labels):
            yield node


def iter_edges(store: GraphStore, *, page: int = 10_000) -> Iterator[GraphEdge]:
    """Every relationship between nodes with ids, ``source``/``target`` set to those ids."""
    for row in _pages(store, cypher.all_edges(), page):
        if row["source"] is None or row["target"] is None:
            continue
        edge = row["edge"]
        props = dict(edge.properties) if isinstance(edge, GraphEdge) else {}
        yield GraphEdge(type=row["type"], source=row["source"], target=row["target"], properties=props)


def is_document(node: GraphNode) -> bool:
    """True for the store's Document (and document Chunk) nodes."""
    return DOCUMENT_LABEL in node.labels or CHUNK_LABEL in node.labels


def to_networkx(store: GraphStore, *, page: int = 10_000, include_documents: bool = True) -> nx.MultiDiGraph:
    """Copy the whole graph into a networkx multi-digraph.

    Args:
        store: any :class:`~kg.store.base.GraphStore`.
        page: rows per read (``SKIP``/``LIMIT`` pages), so huge graphs never come back in one reply.
        include_documents: False drops Document nodes and the ``MENTIONED_IN`` links to them.

    Returns:
        Nodes keyed by application id with attributes ``labels`` plus every stored property; edges keyed
        by relationship type with every stored property as attributes. Entities and relationships also
        get ``sources`` (document ids) and ``evidence`` (``doc|start|end|extractor|confidence`` strings)
        from their per-document provenance.

    Raises:
        BadInputError: ``page`` is not a positive whole number.
    """
    graph = nx.MultiDiGraph()
    documents: set[str] = set()
    records: dict[str, list[dict[str, Any]]] = {}  # relationship id -> its Evidence records
    for node in iter_nodes(store, page=page):
        node_id = str(node.id)
        if EVIDENCE_LABEL in node.labels:  # one document's evidence for a relationship: onto that edge
            records.setdefault(str(node.properties.get("edge")), []).append(node.properties)
            continue
        if is_document(node):
            documents.add(node_id)
            if not include_documents:
                continue
        graph.add_node(node_id)  # attributes set by update: a property may be named like an argument
        graph.nodes[node_id].update({**node.properties, "labels": list(node.labels)})
    for edge in iter_edges(store, page=page):
        if edge.type == MENTIONED_IN and edge.source in graph:  # the document's evidence, onto the entity
            _provenance(graph.nodes[edge.source], [{"doc": edge.target, **edge.properties}])
        if not include_documents and (edge.type in (MENTIONED_IN, IN_CHUNK) or edge.target in documents):
            continue
        graph.add_edge(edge.source, edge.target, key=edge.type)
        attributes = graph.edges[edge.source, edge.target, edge.type]
        attributes.update(edge.properties)
        if edge.type != MENTIONED_IN:
            _provenance(attributes, records.get(str(edge.properties.get("id")), []))
    return graph


def _provenance(attributes: dict[str, Any], records: list[dict[str, Any]]) -> None:
    """Add ``sources`` (document ids) and ``evidence`` (strings) from per-document records."""
    for r in sorted(records, key=lambda r: str(r.get("doc"))):
        attributes.setdefault("sources", []).append(str(r.get("doc")))
        attributes.setdefault("evidence", []).extend(str(k) for k in r.get("evidence") or [])
