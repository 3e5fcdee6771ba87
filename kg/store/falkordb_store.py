"""FalkorDB backend through the native ``falkordb`` client (embedded by default, or a server by URL).

Reads run as ``GRAPH.RO_QUERY``, which the server refuses for anything that writes. FalkorDB has no
multi-statement transactions: a batch is several idempotent statements, so replaying a batch that was
cut off finishes it without duplicates (``transactional = False`` tells callers).

Example:
    >>> store = open_falkordb(Settings().store)          # doctest: +SKIP
    >>> store.ensure_schema(load_ontology().graph_schema())  # doctest: +SKIP
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import falkordb
import redis.exceptions as rx

from kg.core.errors import (
    QueryError,
    QueryTimeoutError,
    StoreError,
    StoreUnavailableError,
    StoreWriteError,
    UnsafeQueryError,
)
from kg.core.facts import (
    ENTITY_LABEL,
    GraphEdge,
    GraphNode,
    GraphPath,
    ReadResult,
    WriteSummary,
)
from kg.core.graph_schema import UNIQUE_ID_LABELS, GraphSchema
from kg.core.settings import StoreSettings
from kg.store import cypher
from kg.store.common import StatementStore
from kg.store.falkor_server import EmbeddedFalkor
from kg.store.fulltext import fulltext_terms
from kg.store.guard import screen_untrusted
from kg.store.paths import bfs_shortest_path
from kg.store.plan import Statement
from kg.store.recording import record


def to_python(value: Any, names: dict[int, str | None] | None = None) -> Any:
    """Turn FalkorDB client values (Node, Edge, Path, lists, maps) into our own types."""
    if isinstance(value, falkordb.Node):
        return GraphNode(labels=list(value.labels or []), properties=dict(value.properties))
    if isinstance(value, falkordb.Edge):
        names = names or {}
        src = value.src_node.id if isinstance(value.src_node, falkordb.Node) else value.src_node
        dst = value.dest_node.id if isinstance(value.dest_node, falkordb.Node) else value.dest_node
        return GraphEdge(
            type=value.relation,
            source=names.get(src),
            target=names.get(dst),
            properties=dict(value.properties),
        )
    if isinstance(value, falkordb.Path):
        ids = {n.id: n.properties.get("id") for n in value.nodes()}
        return GraphPath(
            nodes=[to_python(n) for n in value.nodes()], edges=[to_python(e, ids) for e in value.edges()]
        )
    if isinstance(value, list):
        return [to_python(v, names) for v in value]
    if isinstance(value, dict):
        return {k: to_python(v, names) for k, v in value.items()}
    return value


class FalkorDBStore(StatementStore):
    """GraphStore on one FalkorDB graph. The client is passed in; an embedded server may be owned."""

    name = "falkordb"
    transactional = False

    def __init__(
        self,
        graph: falkordb.Graph,
        *,
        server: EmbeddedFalkor | None = None,
        batch_size: int = 5000,
        query_timeout_ms: int = 10_000,
        max_rows: int = 1000,
    ):
        super().__init__(batch_size=batch_size, query_timeout_ms=query_timeout_ms, max_rows=max_rows)
        self.graph = graph
        self.server = server

    # -- schema -----------------------------------------------------------------------------------
    def ensure_schema(self, schema: GraphSchema) -> None:
        existing = self._existing_indexes()
        for label, prop in schema.index_targets():
            if (label, prop) not in existing:
                self._run(
                    f"CREATE INDEX FOR (n:{cypher.identifier(label)}) ON (n.{cypher.identifier(prop)})", {}
                )
        constraints = {(r[1], tuple(r[2])) for r in self._run("CALL db.constraints()", {}).result_set}
        for label in UNIQUE_ID_LABELS:
            if (label, ("id",)) not in constraints:  # re-creating logs an error into the AOF on every open
                self._unique_constraint(label, "id")
        for prop in schema.fulltext_properties:
            if (ENTITY_LABEL, f"fulltext:{prop}") not in existing:
                self._run(
                    f"CALL db.idx.fulltext.createNodeIndex('{ENTITY_LABEL}', '{cypher.identifier(prop)}')", {}
                )
        self._wait_for_indexes()
        self.schema = schema

    def _wait_for_indexes(self, timeout_s: float = 60.0) -> None:
        """FalkorDB builds indexes in the background (after CREATE INDEX, and again after loading a
        snapshot); until one is OPERATIONAL a full-text search silently finds nothing. Wait for them."""
        deadline = time.monotonic() + timeout_s
        while True:
            pending = [
                f"{row[0]}({', '.join(row[1])})"
                for row in self._run("CALL db.indexes() YIELD label, properties, status", {}).result_set
                if row[2] != "OPERATIONAL"
            ]
            if not pending:
                return
            if time.monotonic() > deadline:
                raise StoreUnavailableError(
                    f"FalkorDB indexes still under construction after {timeout_s:.0f} s: "
                    f"{', '.join(pending)}. Retry when the server is less busy."
                )
            time.sleep(0.02)

    def _existing_indexes(self) -> set[tuple[str, str]]:
        out: set[tuple[str, str]] = set()
        # a write-mode call creates the graph key when it does not exist yet
        for row in self._run(
            "CALL db.indexes() YIELD label, properties, types RETURN label, properties, types", {}
        ).result_set:
            label, props, types = row
            for prop in props:
                kinds = types.get(prop, []) if isinstance(types, dict) else []
                out.add((label, prop))
                if "FULLTEXT" in kinds:
                    out.add((label, f"fulltext:{prop}"))
        return out

    def _unique_constraint(self, label: str, prop: str) -> None:
        try:
            self.graph.execute_command(
                "GRAPH.CONSTRAINT",
                "CREATE",
                self.graph.name,
                "UNIQUE",
                "NODE",
                label,
                "PROPERTIES",
                "1",
                prop,
            )
        except rx.ResponseError as e:
            if "already exists" not in str(e).lower():
                raise StoreError(f"Could not create unique constraint on :{label}({prop}): {e}") from e

    # -- writes -----------------------------------------------------------------------------------
    def _execute(self, statements: list[Statement]) -> WriteSummary:
        total = WriteSummary()
        for st in statements:
            res = self._run(st.cypher, st.params)
            if st.expect_written is not None:
                written = int(res.result_set[0][0]) if res.result_set else 0
                if written != st.expect_written:
                    raise StoreWriteError(
                        f"Only {written} of {st.expect_written} relationships found both endpoints: an "
                        "endpoint node is missing (another writer deleted it during this write, or the "
                        "batch lacks it). Write the batch again; what was written is kept."
                    )
            total += WriteSummary(
                nodes_created=int(res.nodes_created), nodes_deleted=int(res.nodes_deleted),
                relationships_created=int(res.relationships_created),
                relationships_deleted=int(res.relationships_deleted),
                properties_set=int(res.properties_set), statements=1,
            )  # fmt: skip
        return total

    # -- reads ------------------------------------------------------------------------------------
    def read(
        self, cypher_text: str, params: Mapping[str, Any] | None = None, *, timeout_ms: int | None = None
    ) -> list[dict[str, Any]]:
        values = dict(params or {})
        started = time.perf_counter()
        res = self._run(cypher_text, values, read=True, timeout_ms=timeout_ms)
        names = [h[1] if isinstance(h, list | tuple) else h for h in res.header]
        rows = [dict(zip(names, to_python(row), strict=True)) for row in res.result_set]
        record(cypher_text, values, len(rows), time.perf_counter() - started)
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
        limit = max_rows or self.max_rows
        rows = self.read(text, params, timeout_ms=timeout_ms or self.query_timeout_ms)
        columns = list(rows[0]) if rows else []
        return ReadResult(
            columns=columns,
            rows=rows[:limit],
            truncated=len(rows) > limit,
            cypher=text,
            params=dict(params or {}),
        )

    def shortest_path(self, source_id: str, target_id: str, *, max_hops: int = 6) -> GraphPath | None:
        # FalkorDB's shortestPath() is directed only; a bidirectional BFS over 1-hop reads is exact.
        schema = self._require_schema()
        return bfs_shortest_path(self, schema.relationship_types, source_id, target_id, max_hops)

    def search_entities(self, text: str, *, limit: int = 10) -> list[dict[str, Any]]:
        query = fulltext_terms(text)
        if not query:
            return []
        return self.read(
            f"CALL db.idx.fulltext.queryNodes('{ENTITY_LABEL}', $q) YIELD node, score "
            "RETURN node.id AS id, node.name AS name, labels(node) AS labels, score "
            "ORDER BY score DESC LIMIT $limit",
            {"q": query, "limit": limit},
        )

    def close(self) -> None:
        # closing a dead connection must not hide the real error
        with contextlib.suppress(Exception):
            self.graph.client.close()
        if self.server is not None:
            self.server.stop()
            self.server = None

    # -- plumbing ---------------------------------------------------------------------------------
    def _run(
        self, text: str, params: dict[str, Any], *, read: bool = False, timeout_ms: int | None = None
    ) -> Any:
        try:
            if read:
                return self.graph.ro_query(text, params, timeout=timeout_ms)
            return self.graph.query(text, params)
        except rx.ConnectionError as e:
            raise StoreUnavailableError(
                f"FalkorDB at {self._where()} is not reachable ({e}). Is the server running?"
            ) from e
        except rx.ResponseError as e:
            msg = str(e)
            if read and "empty key" in msg:
                return _EMPTY  # the graph does not exist yet: nothing to read
            if "timed out" in msg.lower():
                raise QueryTimeoutError(
                    f"Query exceeded its time limit of {timeout_ms} ms: narrow it or add LIMIT."
                ) from e
            if "read-only" in msg.lower():
                raise UnsafeQueryError(
                    "The query would write to the graph; only read queries are allowed."
                ) from e
            if read:
                raise QueryError(f"Query failed: {msg}") from e
            if "no space left" in msg.lower() or msg.startswith("MISCONF"):
                where = f" holding {self.server.data_dir}" if self.server else " of the FalkorDB server"
                raise StoreWriteError(
                    f"The disk{where} is full or failing ({msg}). Every write acknowledged before is kept; "
                    "free space, then write the batch again (it is idempotent)."
                ) from e
            raise StoreWriteError(
                f"FalkorDB refused a write ({msg}); nothing of this statement was applied."
            ) from e

    def _where(self) -> str:
        return self.server.socket_path if self.server else str(self.graph.client)


class _EmptyResult:
    header: tuple[Any, ...] = ()
    result_set: tuple[Any, ...] = ()


_EMPTY = _EmptyResult()


def open_falkordb(settings: StoreSettings) -> FalkorDBStore:
    """Open the store the settings describe: embedded in ``data_dir``, or a server at ``falkordb.url``."""
    fs = settings.falkordb
    server = None
    if fs.url:
        try:
            db = falkordb.FalkorDB.from_url(fs.url)
            db.connection.ping()
        except (rx.ConnectionError, ValueError) as e:
            raise StoreUnavailableError(
                f"Cannot reach FalkorDB at {fs.url}: {e}. Start it, fix KG_STORE__FALKORDB__URL, or unset it "
                "to use the embedded server."
            ) from e
    else:
        server = EmbeddedFalkor(
            Path(settings.data_dir), appendfsync=fs.appendfsync, startup_timeout_s=fs.startup_timeout_s
        )
        db = falkordb.FalkorDB(unix_socket_path=server.start())
    return FalkorDBStore(
        db.select_graph(fs.graph),
        server=server,
        batch_size=settings.batch_size,
        query_timeout_ms=settings.query_timeout_ms,
        max_rows=settings.max_rows,
    )
