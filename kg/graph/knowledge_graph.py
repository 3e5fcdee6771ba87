"""The knowledge graph as users see it: a store plus the ontology's schema, with the analyst queries.

The CLI, the demo and the API all go through :class:`KnowledgeGraph`; it holds no state of its own
besides the store and the schema, so it is cheap to build and safe to share.

Example:
    >>> with open_knowledge_graph(Settings()) as kg:          # doctest: +SKIP
    ...     kg.failure_chains("Equipment:p101")
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from kg.core.errors import BadInputError, NotFoundError
from kg.core.facts import FactBatch, GraphNode, GraphPath, ReadResult, WriteSummary
from kg.core.graph_schema import GraphSchema
from kg.core.settings import Settings
from kg.store import cypher, open_store
from kg.store.base import GraphStore
from kg.store.migrate import require_current

DEFAULT_LIMIT = 100
MAX_LIMIT = 10_000


def _limit(limit: int) -> int:
    if not isinstance(limit, int) or isinstance(limit, bool) or not 1 <= limit <= MAX_LIMIT:
        raise BadInputError(f"limit must be a whole number from 1 to {MAX_LIMIT}, got {limit!r}")
    return limit


def _records(records: Sequence[str] | None) -> list[str] | None:
    """The ``$records`` parameter of :func:`kg.store.cypher.recorded`: None reads every fact."""
    if records is None:
        return None
    if isinstance(records, str) or not all(isinstance(r, str) and r for r in records):
        raise BadInputError(f"records must be a list of extractor names, got {records!r}")
    return list(records)


class KnowledgeGraph:
    """A :class:`GraphStore` whose schema has been ensured, plus typed analyst and engineer queries."""

    def __init__(self, store: GraphStore, schema: GraphSchema):
        self.store = store
        self.schema = schema

    # -- writes -------------------------------------------------------------------------------------
    def upsert(self, batch: FactBatch) -> WriteSummary:
        return self.store.upsert(batch)

    def delete_document(self, doc_id: str) -> WriteSummary:
        return self.store.delete_document(doc_id)

    # -- reads --------------------------------------------------------------------------------------
    def entity(self, entity_id: str) -> GraphNode | None:
        rows = self.store.read(cypher.node_by_id(), {"id": entity_id})
        node: GraphNode | None = rows[0]["n"] if rows else None
        return node

    def require_entity(self, entity_id: str) -> GraphNode:
        """The entity, or NotFoundError with close matches from full-text search."""
        node = self.entity(entity_id)
        if node is None:
            name = entity_id.split(":", 1)[-1]
            hits = [h["id"] for h in self.store.search_entities(name, limit=5)]
            if not hits:  # a typo defeats whole-word search; retry on each word's first letters
                stems = " ".join(w[:3] for w in name.split() if len(w) >= 3)
                hits = [h["id"] for h in self.store.search_entities(stems, limit=5)] if stems else []
            hint = f" Close matches: {', '.join(hits)}." if hits else " Use `kg search NAME` to find ids."
            raise NotFoundError(f"No entity with id {entity_id!r} in the graph.{hint}", suggestions=hits)
        return node

    def failure_chains(
        self,
        entity_id: str,
        *,
        limit: int = DEFAULT_LIMIT,
        depth: int = 3,
        records: Sequence[str] | None = None,
        subassemblies: bool = True,
    ) -> list[dict[str, Any]]:
        """Cause → mode → effect rows for an equipment/part and its sub-parts, highest RPN first.

        ``records``: only facts backed by these extractors (:data:`~kg.core.facts.RECORD_EXTRACTORS`);
        ``subassemblies``: False keeps the entity's own parts, not the equipment mounted in it."""
        self.require_entity(entity_id)
        params = {
            "id": entity_id,
            "limit": _limit(limit),
            "records": _records(records),
            "subassemblies": subassemblies,
        }
        return self.store.read(cypher.failure_chains(depth), params)

    def causal_paths(
        self, entity_id: str, *, max_hops: int = 4, limit: int = DEFAULT_LIMIT
    ) -> list[GraphPath]:
        """Chains of CAUSES from a cause or mode, up to ``max_hops`` long."""
        self.require_entity(entity_id)
        rows = self.store.read(cypher.causal_paths(max_hops), {"id": entity_id, "limit": _limit(limit)})
        return [r["p"] for r in rows]

    def supplier_impact(
        self,
        supplier_id: str,
        *,
        limit: int = DEFAULT_LIMIT,
        depth: int = 4,
        records: Sequence[str] | None = None,
    ) -> list[dict[str, Any]]:
        """Items a supplier provides, the equipment containing them and their sites; sole-sourced first."""
        self.require_entity(supplier_id)
        params = {"id": supplier_id, "limit": _limit(limit), "records": _records(records)}
        return self.store.read(cypher.supplier_impact(depth), params)

    def single_source_items(
        self, *, limit: int = DEFAULT_LIMIT, records: Sequence[str] | None = None
    ) -> list[dict[str, Any]]:
        params = {"limit": _limit(limit), "records": _records(records)}
        return self.store.read(cypher.single_source_items(), params)

    def neighbourhood(self, entity_id: str, *, hops: int = 1, limit: int = DEFAULT_LIMIT) -> list[GraphPath]:
        self.require_entity(entity_id)
        query = cypher.neighbourhood(self.schema.relationship_types, hops)
        return [r["p"] for r in self.store.read(query, {"id": entity_id, "limit": _limit(limit)})]

    def shortest_path(self, source_id: str, target_id: str, *, max_hops: int = 6) -> GraphPath | None:
        return self.store.shortest_path(source_id, target_id, max_hops=max_hops)

    def search(self, text: str, *, limit: int = 10) -> list[dict[str, Any]]:
        return self.store.search_entities(text, limit=_limit(limit))

    def query(
        self, cypher_text: str, params: dict[str, Any] | None = None, *, max_rows: int | None = None
    ) -> ReadResult:
        """Untrusted read-only Cypher, through the guard."""
        return self.store.guarded_read(cypher_text, params, max_rows=max_rows)

    def stats(self) -> dict[str, dict[str, int]]:
        """Entity counts per class and relationship counts per type."""
        labels: dict[str, int] = {}
        for row in self.store.read(cypher.count_summary()):
            for label in row["labels"]:
                if label != "Entity":
                    labels[label] = labels.get(label, 0) + int(row["count"])
        rels = {r["type"]: int(r["count"]) for r in self.store.read(cypher.count_relationships())}
        docs = self.store.read(cypher.count_documents())
        return {
            "entities": dict(sorted(labels.items())),
            "relationships": dict(sorted(rels.items())),
            "documents": {"Document": int(docs[0]["n"]) if docs else 0},
        }

    def entity_names(
        self, *, page: int = 10_000, records: Sequence[str] | None = None, ids: Sequence[str] | None = None
    ) -> Iterator[dict[str, Any]]:
        """Every entity's id, labels, name, aliases, codes and support, read a page at a time, in id order;
        with ``records``, also whether a record (of those extractors) backs it (``recorded``); with ``ids``,
        only those entities."""
        skip = 0
        query = cypher.entity_names(with_recorded=records is not None, by_id=ids is not None)
        while True:
            params = {"skip": skip, "limit": page, "records": _records(records), "ids": list(ids or ())}
            rows = self.store.read(query, params)
            yield from rows
            if len(rows) < page:
                return
            skip += page

    def close(self) -> None:
        self.store.close()


@contextmanager
def open_knowledge_graph(settings: Settings, schema: GraphSchema | None = None) -> Iterator[KnowledgeGraph]:
    """Open the configured store, ensure the ontology's schema, and close the store on exit."""
    if schema is None:
        from ontology import load_ontology

        schema = load_ontology().graph_schema()
    store = open_store(settings)
    try:
        store.ensure_schema(schema)
        require_current(store)
        yield KnowledgeGraph(store, schema)
    finally:
        store.close()
