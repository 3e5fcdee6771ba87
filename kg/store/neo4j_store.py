"""Neo4j backend through the official ``neo4j`` driver.

Writes of one batch run in one transaction (``transactional = True``). Reads run with READ routing in
read transactions, which Neo4j itself refuses to write in; untrusted queries are also ``EXPLAIN``-ed
first and refused unless the planner reports a read-only query (type ``"r"``).

Every statement this module can send is listed by :func:`emitted_statements`, which CI lints with
Neo4j's own Cypher parser.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

import neo4j
import neo4j.exceptions as nx
import neo4j.graph as ng

from kg.core.errors import (
    ConfigError,
    QueryError,
    QueryTimeoutError,
    StoreAccessError,
    StoreError,
    StoreUnavailableError,
    StoreWriteError,
    UnsafeQueryError,
)
from kg.core.facts import (
    ENTITY_LABEL,
    FactBatch,
    GraphEdge,
    GraphNode,
    GraphPath,
    ReadResult,
    WriteSummary,
)
from kg.core.graph_schema import UNIQUE_ID_LABELS, GraphSchema
from kg.core.settings import StoreSettings
from kg.store import cypher, writes
from kg.store.common import StatementStore
from kg.store.fulltext import fulltext_terms
from kg.store.guard import screen_untrusted
from kg.store.migrate import migration_statements
from kg.store.paths import bfs_shortest_path
from kg.store.plan import Statement, plan_upsert
from kg.store.recording import record

FULLTEXT_INDEX = "entity_fulltext"


def to_python(value: Any) -> Any:
    """Turn driver values (Node, Relationship, Path, lists, maps) into our own types."""
    if isinstance(value, ng.Node):
        return GraphNode(labels=sorted(value.labels), properties=dict(value))
    if isinstance(value, ng.Relationship):
        start, end = value.start_node, value.end_node
        return GraphEdge(
            type=value.type,
            source=start.get("id") if start else None,
            target=end.get("id") if end else None,
            properties=dict(value),
        )
    if isinstance(value, ng.Path):
        return GraphPath(
            nodes=[to_python(n) for n in value.nodes], edges=[to_python(r) for r in value.relationships]
        )
    if isinstance(value, list):
        return [to_python(v) for v in value]
    if isinstance(value, dict):
        return {k: to_python(v) for k, v in value.items()}
    return value


# -- backend-specific statements (the hooks) -----------------------------------------------------
def schema_statements(schema: GraphSchema) -> list[str]:
    """Constraints, indexes and the full-text index, all ``IF NOT EXISTS``."""
    out = [
        f"CREATE CONSTRAINT {label.lower()}_id_unique IF NOT EXISTS FOR (n:{label}) REQUIRE n.id IS UNIQUE"
        for label in UNIQUE_ID_LABELS
    ]
    for label, prop in schema.index_targets():
        if label in UNIQUE_ID_LABELS and prop == "id":
            continue  # covered by the uniqueness constraints
        out.append(
            f"CREATE INDEX {label.lower()}_{prop} IF NOT EXISTS FOR (n:{cypher.identifier(label)}) "
            f"ON (n.{cypher.identifier(prop)})"
        )
    props = ", ".join(f"n.{cypher.identifier(p)}" for p in schema.fulltext_properties)
    out.append(
        f"CREATE FULLTEXT INDEX {FULLTEXT_INDEX} IF NOT EXISTS FOR (n:{ENTITY_LABEL}) ON EACH [{props}]"
    )
    return out


def search_query() -> str:
    """Params: ``q``, ``limit``."""
    return (
        f"CALL db.index.fulltext.queryNodes('{FULLTEXT_INDEX}', $q) YIELD node, score\n"
        "RETURN node.id AS id, node.name AS name, labels(node) AS labels, score\n"
        "ORDER BY score DESC LIMIT $limit"
    )


class Neo4jStore(StatementStore):
    """GraphStore on one Neo4j database. The driver is passed in, never created here."""

    name = "neo4j"
    transactional = True

    def __init__(
        self,
        driver: neo4j.Driver,
        *,
        database: str | None = None,
        batch_size: int = 5000,
        query_timeout_ms: int = 10_000,
        max_rows: int = 1000,
    ):
        super().__init__(batch_size=batch_size, query_timeout_ms=query_timeout_ms, max_rows=max_rows)
        self.driver = driver
        self.database = database

    def ensure_schema(self, schema: GraphSchema) -> None:
        with self._errors(write=True), self.driver.session(database=self.database) as s:
            for statement in schema_statements(schema):
                s.run(statement).consume()
            s.run("CALL db.awaitIndexes(300)").consume()
        self.schema = schema

    def _execute(self, statements: list[Statement]) -> WriteSummary:
        """All statements in one transaction: a failure rolls the whole batch back."""

        def work(tx: neo4j.ManagedTransaction) -> WriteSummary:
            total = WriteSummary()
            for st in statements:
                result = tx.run(st.cypher, st.params)
                rows = list(result)
                c = result.consume().counters
                if (
                    st.expect_written is not None
                    and (int(rows[0]["written"]) if rows else 0) != st.expect_written
                ):
                    raise StoreWriteError(
                        "Some relationships did not find both endpoints: an endpoint node is missing "
                        "(another writer deleted it during this write, or the batch lacks it). Nothing was "
                        "written; write the batch again."
                    )
                total += WriteSummary(
                    nodes_created=c.nodes_created,
                    nodes_deleted=c.nodes_deleted,
                    relationships_created=c.relationships_created,
                    relationships_deleted=c.relationships_deleted,
                    properties_set=c.properties_set,
                    statements=1,
                )
            return total

        with self._errors(write=True), self.driver.session(database=self.database) as s:
            result: WriteSummary = s.execute_write(work)
            return result

    def read(
        self, cypher_text: str, params: Mapping[str, Any] | None = None, *, timeout_ms: int | None = None
    ) -> list[dict[str, Any]]:
        rows, _ = self._read(cypher_text, dict(params or {}), None, timeout_ms)
        return rows

    def guarded_read(
        self,
        cypher_text: str,
        params: Mapping[str, Any] | None = None,
        *,
        max_rows: int | None = None,
        timeout_ms: int | None = None,
    ) -> ReadResult:
        text = screen_untrusted(cypher_text)
        values = dict(params or {})
        with (
            self._errors(write=False),
            self.driver.session(database=self.database, default_access_mode=neo4j.READ_ACCESS) as s,
        ):
            kind = s.run(neo4j.Query(f"EXPLAIN {text}"), values).consume().query_type
        if kind != "r":
            raise UnsafeQueryError(f"Neo4j plans this query as type {kind!r}, not read-only ('r'); refused.")
        limit = max_rows or self.max_rows
        rows, truncated = self._read(text, values, limit, timeout_ms or self.query_timeout_ms)
        return ReadResult(
            columns=list(rows[0]) if rows else [], rows=rows, truncated=truncated, cypher=text, params=values
        )

    def _read(
        self, text: str, params: dict[str, Any], limit: int | None, timeout_ms: int | None
    ) -> tuple[list[dict[str, Any]], bool]:
        def work(tx: neo4j.ManagedTransaction) -> tuple[list[dict[str, Any]], bool]:
            result = tx.run(text, params)
            rows = (
                [{k: to_python(v) for k, v in rec.items()} for rec in result.fetch(limit + 1)]
                if limit is not None
                else [{k: to_python(v) for k, v in rec.items()} for rec in result]
            )
            return (rows[:limit], True) if limit is not None and len(rows) > limit else (rows, False)

        timeout = timeout_ms / 1000 if timeout_ms else None
        with (
            self._errors(write=False),
            self.driver.session(database=self.database, default_access_mode=neo4j.READ_ACCESS) as s,
        ):
            started = time.perf_counter()
            out: tuple[list[dict[str, Any]], bool] = s.execute_read(neo4j.unit_of_work(timeout=timeout)(work))
            record(text, params, len(out[0]), time.perf_counter() - started)
            return out

    def shortest_path(self, source_id: str, target_id: str, *, max_hops: int = 6) -> GraphPath | None:
        # the same bidirectional BFS as the embedded store, over ordered 1-hop reads: where several shortest
        # paths tie, both backends return the same one (Neo4j's shortestPath() picks any)
        schema = self._require_schema()
        return bfs_shortest_path(self, schema.relationship_types, source_id, target_id, max_hops)

    def search_entities(self, text: str, *, limit: int = 10) -> list[dict[str, Any]]:
        query = fulltext_terms(text, lucene=True)  # every word must match, as on FalkorDB
        return self.read(search_query(), {"q": query, "limit": limit}) if query else []

    def close(self) -> None:
        self.driver.close()

    def _errors(self, *, write: bool) -> _ErrorMap:
        return _ErrorMap(write=write)


class _ErrorMap:
    """Context manager translating driver errors into ours, with a next step in each message."""

    def __init__(self, *, write: bool):
        self.write = write

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: Any) -> None:
        if exc is None or isinstance(exc, StoreError):
            return
        if isinstance(exc, nx.AuthError):
            raise StoreUnavailableError(
                f"Neo4j refused the credentials ({exc}); check NEO4J_USERNAME/NEO4J_PASSWORD."
            ) from exc
        if isinstance(exc, nx.Forbidden):  # Security.Forbidden: the user's rights (Enterprise roles)
            raise StoreAccessError(
                f"The Neo4j user (NEO4J_USERNAME) may not {'write' if self.write else 'read'} here "
                f"({exc.message}). "
                + ("Ingestion needs a user with write rights; a read-only user suits `kg serve`."
                   if self.write else "Grant it MATCH on the graph (Enterprise), or use another user.")
            ) from exc  # fmt: skip
        if isinstance(exc, nx.ServiceUnavailable | nx.SessionExpired):
            raise StoreUnavailableError(
                f"Neo4j is not reachable ({exc}); is it running at NEO4J_URI?"
            ) from exc
        if isinstance(exc, nx.Neo4jError):
            code = exc.code or ""
            if "TransactionTimedOut" in code or "Timeout" in code:
                raise QueryTimeoutError(f"Query exceeded its time limit: {exc.message}") from exc
            if "AccessMode" in code or "ForbiddenOnReadOnlyDatabase" in code:
                raise UnsafeQueryError(f"The query would write; refused ({exc.message}).") from exc
            if self.write:
                raise StoreWriteError(
                    f"Neo4j refused the write ({code}: {exc.message}); the transaction was rolled back."
                ) from exc
            raise QueryError(f"Query failed ({code}): {exc.message}") from exc


def open_neo4j(settings: StoreSettings) -> Neo4jStore:
    """Create the driver from settings, verify connectivity, and wrap it."""
    cfg = settings.neo4j
    if not cfg.uri:
        raise ConfigError("Neo4j backend selected but no URI: set NEO4J_URI (e.g. bolt://localhost:7687).")
    auth = (cfg.user, cfg.password.get_secret_value()) if cfg.password else None
    # the server's notices ("relationship type does not exist" on an empty graph, "null value eliminated")
    # are about valid, linted statements: not for the user's log
    driver = neo4j.GraphDatabase.driver(
        cfg.uri, auth=auth, notifications_min_severity="OFF", max_transaction_retry_time=cfg.retry_s
    )
    try:
        driver.verify_connectivity()
        driver.execute_query("RETURN 1", database_=cfg.database, routing_=neo4j.RoutingControl.READ)
    except (nx.ServiceUnavailable, nx.AuthError, ValueError) as e:
        driver.close()
        raise StoreUnavailableError(
            f"Cannot connect to Neo4j at {cfg.uri}: {e}. Check NEO4J_URI and credentials."
        ) from e
    except nx.Neo4jError as e:
        driver.close()
        if "DatabaseNotFound" in (e.code or ""):
            raise StoreUnavailableError(
                f"Neo4j at {cfg.uri} has no database {cfg.database!r}: set NEO4J_DATABASE to one it has "
                "(Community has only 'neo4j'), or create it (CREATE DATABASE, Enterprise)."
            ) from e
        raise StoreUnavailableError(f"Neo4j at {cfg.uri} refused the first query: {e.message}") from e
    return Neo4jStore(
        driver,
        database=cfg.database,
        batch_size=settings.batch_size,
        query_timeout_ms=settings.query_timeout_ms,
        max_rows=settings.max_rows,
    )


def _upsert_statements(schema: GraphSchema) -> list[tuple[str, str, dict[str, Any]]]:
    """The statements an upsert of every label and relationship type runs, and the batch skip's."""
    from kg.core.facts import ChunkInfo, ChunkMention, DocumentInfo, EdgeFact, Evidence, NodeFact

    ev = Evidence(doc_id="doc-1", start=0, end=4)
    nodes = [NodeFact(label=label, name=f"x {label}", evidence=[ev]) for label in schema.labels]
    by_label = {n.label: n for n in nodes}
    edges = []
    for rule in schema.relations.values():
        s, o = sorted(rule.pairs)[0]
        edges.append(EdgeFact(source=by_label[s].id, type=rule.type, target=by_label[o].id, evidence=[ev]))
    batch = FactBatch(
        nodes=nodes,
        edges=edges,
        documents=[DocumentInfo(id="doc-1")],
        chunks=[ChunkInfo(id="doc-1:c0", doc_id="doc-1", start=0, end=4, text="x")],
        chunk_mentions=[ChunkMention(entity_id=nodes[0].id, chunk_id="doc-1:c0", spans=["0-4"])],
    )
    out = [
        (f"upsert:{i}", st.cypher, st.params)
        for i, st in enumerate(plan_upsert(batch, schema, batch_size=10_000))
    ]
    out.append(("applied_batch", writes.applied_batch(), {"id": "x"}))
    out.append(("mark_applied", writes.mark_applied(), {"id": "x", "now": "T"}))
    return out


def emitted_statements(schema: GraphSchema) -> list[tuple[str, str, dict[str, Any]]]:
    """Every Cypher statement this backend can send, with example parameters, for linting in CI."""
    out: list[tuple[str, str, dict[str, Any]]] = [
        (f"schema:{i}", q, {}) for i, q in enumerate(schema_statements(schema))
    ]
    out.append(("schema:await", "CALL db.awaitIndexes(300)", {}))
    out += _upsert_statements(schema)
    out += [(f"delete:{i}", q, {"doc": "doc-1"}) for i, q in enumerate(writes.delete_document_steps())]
    out += migration_statements()
    rels = schema.relationship_types
    out += [
        ("clear", cypher.clear_graph(), {"limit": 5000}),
        ("clear relationships", cypher.clear_relationships(), {"limit": 5000}),
        ("node_by_id", cypher.node_by_id(), {"id": "x"}),
        ("node_evidence", cypher.node_evidence(), {"id": "x", "limit": 10}),
        ("edge_evidence", cypher.edge_evidence(), {"ids": ["x"]}),
        ("neighbourhood", cypher.neighbourhood(rels, 2), {"id": "x", "limit": 10}),
        (
            "failure_chains",
            cypher.failure_chains(),
            {"id": "x", "limit": 10, "records": ["csv-loader"], "subassemblies": False},
        ),
        ("causal_paths", cypher.causal_paths(), {"id": "x", "limit": 10}),
        ("supplier_impact", cypher.supplier_impact(), {"id": "x", "limit": 10, "records": None}),
        ("single_source", cypher.single_source_items(), {"limit": 10, "records": None}),
        ("all_nodes", cypher.all_nodes(), {"skip": 0, "limit": 10}),
        ("all_edges", cypher.all_edges(), {"skip": 0, "limit": 10}),
        ("entity_names", cypher.entity_names(), {"skip": 0, "limit": 10}),
        ("entity_index", cypher.entity_names(with_recorded=True), {"skip": 0, "limit": 10, "records": ["x"]}),
        ("document_paths", cypher.document_paths(), {}),
        ("entities_of_document", cypher.entities_of_document(), {"doc": "doc-1"}),
        ("relationships_of_document", cypher.relationships_of_document(), {"doc": "doc-1"}),
        ("chunks_of_entity", cypher.chunks_of_entity(), {"id": "x", "limit": 10}),
        ("counts", cypher.count_summary(), {}),
        ("rel_counts", cypher.count_relationships(), {}),
        ("doc_counts", cypher.count_documents(), {}),
        ("top_equipment", cypher.top_equipment_by_failure_modes(), {}),
        ("top_supplier", cypher.top_supplier_by_equipment(), {}),
        ("bfs_step", cypher.neighbours_of_frontier(rels), {"ids": ["x"]}),
        ("path_edges", cypher.path_edges(), {"pairs": [["a", "b"]]}),
        ("search", search_query(), {"q": "pump", "limit": 10}),
    ]
    return out
