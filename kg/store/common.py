"""What every backend shares: limits, the schema it was given, and writes expressed as statements.

A backend only says how a list of :class:`~kg.store.plan.Statement` runs (``_execute``: one transaction
on Neo4j, sequential idempotent statements on FalkorDB) and how it reads; planning upserts and document
deletion is the same for all.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kg.core.errors import StoreError
from kg.core.facts import FactBatch, WriteSummary
from kg.core.graph_schema import GraphSchema
from kg.store import cypher, writes
from kg.store.plan import Statement, batch_fingerprint, check_batch, now_iso, plan_upsert


class StatementStore:
    """Base for backends: subclasses implement ``_execute`` (and the read side of GraphStore)."""

    def __init__(self, *, batch_size: int = 5000, query_timeout_ms: int = 10_000, max_rows: int = 1000):
        self.batch_size = batch_size
        self.query_timeout_ms = query_timeout_ms
        self.max_rows = max_rows
        self.schema: GraphSchema | None = None
        self._stamped = False

    def upsert(self, batch: FactBatch) -> WriteSummary:
        """Validate against the ontology, then write in idempotent UNWIND batches.

        A large batch (:data:`~kg.store.plan.SKIP_MIN_FACTS` facts or more) that was already written in full
        is not written again (``batches_skipped``): its fingerprint is recorded by its last statement, and
        every deletion forgets all fingerprints, so a skipped batch would have changed nothing.
        """
        statements = self.planned(batch)
        if statements is None:
            return WriteSummary(batches_skipped=1)
        summary = self._execute(statements)
        self._stamped = True
        return summary

    def planned(self, batch: FactBatch) -> list[Statement] | None:
        """The statements :meth:`upsert` runs for ``batch``; None when it was already written in full."""
        schema = self._require_schema()
        check_batch(batch, schema)
        key = batch_fingerprint(batch)
        if key is not None and self.read(writes.applied_batch(), {"id": key}):
            return None
        now = now_iso()
        # the layout stamp is written once per store: after its first write it exists (a deletion keeps it)
        statements = plan_upsert(
            batch, schema, batch_size=self.batch_size, now=now, check=False, stamp=not self._stamped
        )
        if key is not None:
            statements.append(Statement(writes.mark_applied(), {"id": key, "now": now}))
        return statements

    def delete_document(self, doc_id: str) -> WriteSummary:
        return self._execute([Statement(q, {"doc": doc_id}) for q in writes.delete_document_steps()])

    def clear(self) -> None:
        """Delete everything: ``batch_size`` relationships, then nodes, per transaction."""
        self._stamped = False
        rels = Statement(cypher.clear_relationships(), {"limit": self.batch_size})
        while self._execute([rels]).relationships_deleted:
            pass
        while self._execute([Statement(cypher.clear_graph(), {"limit": self.batch_size})]).nodes_deleted:
            pass

    def read(
        self, cypher: str, params: Mapping[str, Any] | None = None, *, timeout_ms: int | None = None
    ) -> list[dict[str, Any]]:
        raise NotImplementedError(f"{type(self).__name__} must say how it reads")

    def _execute(self, statements: list[Statement]) -> WriteSummary:
        raise NotImplementedError(f"{type(self).__name__} must say how statements run")

    def _require_schema(self) -> GraphSchema:
        if self.schema is None:
            raise StoreError(
                "Call ensure_schema(schema) before using the store: indexes must exist before any MERGE."
            )
        return self.schema
