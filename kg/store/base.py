"""The one interface every graph backend implements, plus small capability protocols.

Backends: ``falkordb`` (embedded default, or a server by URL) and ``neo4j`` (official driver). Both speak
the same portable Cypher from :mod:`kg.store.cypher`; index, constraint, full-text and shortest-path syntax
differs per backend and lives behind the backend's own hooks.

Writers raise (:class:`~kg.core.errors.StoreWriteError`), never return a failure status.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol, runtime_checkable

from kg.core.facts import FactBatch, GraphPath, ReadResult, WriteSummary
from kg.core.graph_schema import GraphSchema


@runtime_checkable
class GraphStore(Protocol):
    """A property-graph store holding mfg-kg facts."""

    #: short backend name ("falkordb", "neo4j")
    name: str
    #: True when the backend can run a whole multi-statement write atomically
    transactional: bool

    def ensure_schema(self, schema: GraphSchema) -> None:
        """Create indexes/constraints for ``schema`` (idempotent). Must run before any upsert."""
        ...

    def upsert(self, batch: FactBatch) -> WriteSummary:
        """Write a batch idempotently; raises OntologyError/StoreWriteError, never half-reports."""
        ...

    def read(
        self, cypher: str, params: Mapping[str, Any] | None = None, *, timeout_ms: int | None = None
    ) -> list[dict[str, Any]]:
        """Run trusted, parameterized Cypher in read-only mode; rows as dicts of our own value types."""
        ...

    def guarded_read(
        self,
        cypher: str,
        params: Mapping[str, Any] | None = None,
        *,
        max_rows: int | None = None,
        timeout_ms: int | None = None,
    ) -> ReadResult:
        """Run untrusted Cypher (a user's or an LLM's) only if it is provably read-only."""
        ...

    def delete_document(self, doc_id: str) -> WriteSummary:
        """Remove ``doc_id``'s evidence everywhere; delete facts that only it supported."""
        ...

    def shortest_path(self, source_id: str, target_id: str, *, max_hops: int = 6) -> GraphPath | None:
        """Shortest undirected connection between two entities over domain relationships."""
        ...

    def search_entities(self, text: str, *, limit: int = 10) -> list[dict[str, Any]]:
        """Full-text search over entity names: rows with id, name, labels, score."""
        ...

    def clear(self) -> None:
        """Delete every node and relationship of this graph (tests, re-builds)."""
        ...

    def close(self) -> None:
        """Release connections (and stop an embedded server)."""
        ...
