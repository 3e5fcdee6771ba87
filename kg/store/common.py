"""What every backend shares: limits, the schema it was given, and writes expressed as statements.

A backend only says how a list of :class:`~kg.store.plan.Statement` runs (``_execute``: one transaction
on Neo4j, sequential idempotent statements on FalkorDB) and how it reads; planning upserts and document
deletion is the same for all.
"""

from __future__ import annotations

from kg.core.errors import StoreError
from kg.core.facts import FactBatch, WriteSummary
from kg.core.graph_schema import GraphSchema
from kg.store import cypher
from kg.store.plan import Statement, plan_upsert


class StatementStore:
    """Base for backends: subclasses implement ``_execute`` (and the read side of GraphStore)."""

    def __init__(self, *, batch_size: int = 5000, query_timeout_ms: int = 10_000, max_rows: int = 1000):
        self.batch_size = batch_size
        self.query_timeout_ms = query_timeout_ms
        self.max_rows = max_rows
        self.schema: GraphSchema | None = None

    def upsert(self, batch: FactBatch) -> WriteSummary:
        """Validate against the ontology, then write in idempotent UNWIND batches."""
        return self._execute(plan_upsert(batch, self._require_schema(), batch_size=self.batch_size))

    def delete_document(self, doc_id: str) -> WriteSummary:
        return self._execute([Statement(q, {"doc": doc_id}) for q in cypher.delete_document_steps()])

    def clear(self) -> None:
        """Delete everything: ``batch_size`` relationships, then nodes, per transaction."""
        rels = Statement(cypher.clear_relationships(), {"limit": self.batch_size})
        while self._execute([rels]).relationships_deleted:
            pass
        while self._execute([Statement(cypher.clear_graph(), {"limit": self.batch_size})]).nodes_deleted:
            pass

    def _execute(self, statements: list[Statement]) -> WriteSummary:
        raise NotImplementedError(f"{type(self).__name__} must say how statements run")

    def _require_schema(self) -> GraphSchema:
        if self.schema is None:
            raise StoreError(
                "Call ensure_schema(schema) before using the store: indexes must exist before any MERGE."
            )
        return self.schema
