"""The ingestion manifest: one SQLite file recording each document's state, the review queue and merges.

It is what makes ingestion resumable and re-ingest cheap:

- ``documents``: per file (resolved path) its document id, content hash, size, reader, encoding decision,
  state (``done``, ``failed``, ``duplicate``), the reason when it failed and how many facts it gave. A file
  whose path and hash are ``done`` is skipped on the next run; a changed hash replaces the old version.
  A document becomes ``done`` only after its facts are written, so a run killed at any moment leaves the
  unfinished documents to the next run (writes are idempotent: redoing one duplicates nothing).
- ``review``: facts the ontology refused (domain/range), kept with their evidence until someone accepts
  (they are written) or rejects them — never silently dropped, never silently written.
- ``merges``: every entity-resolution merge (surface form → existing entity, method, score, document), so
  merges can be listed and undone; ``never_merge`` holds the undone pairs.

Example:
    >>> m = Manifest(Path(".kg-data/ingest.sqlite"))          # doctest: +SKIP
    >>> m.document_state(Path("/data/letter.pdf"))             # doctest: +SKIP
    DocumentRecord(path='/data/letter.pdf', doc_id='letter.pdf#1a2b3c4d', state='done', ...)
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.core.errors import BadInputError, StoreUnavailableError
from kg.core.facts import EdgeFact, NodeFact
from kg.store.plan import now_iso

_SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    path TEXT PRIMARY KEY,
    doc_id TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    reader TEXT,
    encoding TEXT,
    state TEXT NOT NULL,
    reason TEXT,
    facts INTEGER NOT NULL DEFAULT 0,
    duplicate_of TEXT,
    updated TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS documents_sha ON documents (sha256);
CREATE INDEX IF NOT EXISTS documents_doc ON documents (doc_id);
CREATE TABLE IF NOT EXISTS review (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    doc_id TEXT NOT NULL,
    reason TEXT NOT NULL,
    fact TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending',
    created TEXT NOT NULL,
    decided TEXT,
    UNIQUE (doc_id, fact)
);
CREATE TABLE IF NOT EXISTS merges (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    doc_id TEXT NOT NULL,
    label TEXT NOT NULL,
    surface TEXT NOT NULL,
    target_id TEXT NOT NULL,
    method TEXT NOT NULL,
    score REAL NOT NULL,
    UNIQUE (doc_id, label, surface, target_id)
);
CREATE TABLE IF NOT EXISTS never_merge (
    label TEXT NOT NULL,
    surface TEXT NOT NULL,
    target_id TEXT NOT NULL,
    PRIMARY KEY (label, surface, target_id)
);
"""


@dataclass(frozen=True)
class DocumentRecord:
    path: str
    doc_id: str
    sha256: str
    size: int
    reader: str | None
    encoding: str | None
    state: str
    reason: str | None
    facts: int
    duplicate_of: str | None
    updated: str


@dataclass(frozen=True)
class ReviewItem:
    """A fact waiting for a decision: the nodes and the edge as they would be written, and why not yet."""

    id: int
    doc_id: str
    reason: str
    state: str
    nodes: list[NodeFact]
    edge: EdgeFact

    def describe(self) -> str:
        names = {n.id: f"{n.name} ({n.label})" for n in self.nodes}
        e = self.edge
        return f"{names.get(e.source, e.source)} -[{e.type}]-> {names.get(e.target, e.target)}"


@dataclass(frozen=True)
class MergeRecord:
    id: int
    doc_id: str
    label: str
    surface: str
    target_id: str
    method: str
    score: float


class Manifest:
    """SQLite manifest next to the graph data (one writer: the ingesting process)."""

    def __init__(self, path: Path):
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(str(self.path), timeout=30, isolation_level=None)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.executescript(_SCHEMA)
        except (OSError, sqlite3.Error) as e:
            raise StoreUnavailableError(
                f"Cannot open the ingestion manifest {self.path}: {e}. Check the folder is writable, or "
                "delete a damaged manifest (the next run re-ingests everything, without duplicates)."
            ) from e
        self.db.row_factory = sqlite3.Row

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Manifest:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    # -- documents ----------------------------------------------------------------------------------
    def document(self, path: str) -> DocumentRecord | None:
        row = self.db.execute("SELECT * FROM documents WHERE path = ?", (path,)).fetchone()
        return DocumentRecord(**dict(row)) if row else None

    def by_hash(self, sha256: str) -> DocumentRecord | None:
        """A ``done`` document with this content (duplicate detection across names)."""
        row = self.db.execute(
            "SELECT * FROM documents WHERE sha256 = ? AND state = 'done' ORDER BY path LIMIT 1", (sha256,)
        ).fetchone()
        return DocumentRecord(**dict(row)) if row else None

    def by_doc_id(self, doc_id: str) -> DocumentRecord | None:
        row = self.db.execute("SELECT * FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()
        return DocumentRecord(**dict(row)) if row else None

    def documents(self, state: str | None = None) -> list[DocumentRecord]:
        rows = (
            self.db.execute("SELECT * FROM documents WHERE state = ? ORDER BY path", (state,))
            if state
            else self.db.execute("SELECT * FROM documents ORDER BY path")
        )
        return [DocumentRecord(**dict(r)) for r in rows]

    def record(self, records: Iterable[DocumentRecord]) -> None:
        """Insert or replace document records (call after their facts are written)."""
        rows = [
            (
                r.path,
                r.doc_id,
                r.sha256,
                r.size,
                r.reader,
                r.encoding,
                r.state,
                r.reason,
                r.facts,
                r.duplicate_of,
                r.updated or now_iso(),
            )
            for r in records
        ]
        with self.transaction() as db:
            db.executemany("INSERT OR REPLACE INTO documents VALUES (?,?,?,?,?,?,?,?,?,?,?)", rows)

    def forget(self, path: str) -> None:
        with self.transaction() as db:
            db.execute("DELETE FROM documents WHERE path = ?", (path,))

    # -- review queue -------------------------------------------------------------------------------
    def queue_for_review(self, doc_id: str, reason: str, nodes: list[NodeFact], edge: EdgeFact) -> None:
        fact = json.dumps(
            {"nodes": [n.model_dump(mode="json") for n in nodes], "edge": edge.model_dump(mode="json")},
            sort_keys=True,
        )
        with self.transaction() as db:  # the same refused fact from a re-run is queued once
            db.execute(
                "INSERT OR IGNORE INTO review (doc_id, reason, fact, created) VALUES (?,?,?,?)",
                (doc_id, reason, fact, now_iso()),
            )

    def review_items(self, state: str | None = "pending") -> list[ReviewItem]:
        rows = (
            self.db.execute("SELECT * FROM review WHERE state = ? ORDER BY id", (state,))
            if state
            else self.db.execute("SELECT * FROM review ORDER BY id")
        )
        return [_review_item(r) for r in rows]

    def review_item(self, item_id: int) -> ReviewItem:
        row = self.db.execute("SELECT * FROM review WHERE id = ?", (item_id,)).fetchone()
        if row is None:
            raise BadInputError(f"No review item {item_id}: `kg review list` shows the pending ones.")
        return _review_item(row)

    def decide(self, item_id: int, state: str) -> None:
        with self.transaction() as db:
            db.execute("UPDATE review SET state = ?, decided = ? WHERE id = ?", (state, now_iso(), item_id))

    def drop_pending_reviews(self, doc_id: str) -> None:
        """A document's new version replaces the refused facts of its old one."""
        with self.transaction() as db:
            db.execute("DELETE FROM review WHERE doc_id = ? AND state = 'pending'", (doc_id,))

    # -- merges -------------------------------------------------------------------------------------
    def record_merges(self, rows: Iterable[tuple[str, str, str, str, str, float]]) -> None:
        """``(doc_id, label, surface, target_id, method, score)`` per merge."""
        with self.transaction() as db:
            db.executemany(
                "INSERT OR IGNORE INTO merges (doc_id, label, surface, target_id, method, score) "
                "VALUES (?,?,?,?,?,?)",
                list(rows),
            )

    def merges(self, *, label: str | None = None, surface: str | None = None) -> list[MergeRecord]:
        sql, args = "SELECT * FROM merges WHERE 1=1", list[str]()
        if label:
            sql, args = sql + " AND label = ?", [*args, label]
        if surface:
            sql, args = sql + " AND surface = ?", [*args, surface]
        return [MergeRecord(**dict(r)) for r in self.db.execute(sql + " ORDER BY id", args)]

    def forget_merges(self, doc_id: str) -> None:
        with self.transaction() as db:
            db.execute("DELETE FROM merges WHERE doc_id = ?", (doc_id,))

    def block_merge(self, label: str, surface: str, target_id: str) -> None:
        with self.transaction() as db:
            db.execute("INSERT OR IGNORE INTO never_merge VALUES (?,?,?)", (label, surface, target_id))

    def never_merge(self) -> list[tuple[str, str, str]]:
        return [tuple(r) for r in self.db.execute("SELECT label, surface, target_id FROM never_merge")]

    def stats(self) -> dict[str, Any]:
        states = dict(self.db.execute("SELECT state, count(*) FROM documents GROUP BY state").fetchall())
        pending = self.db.execute("SELECT count(*) FROM review WHERE state = 'pending'").fetchone()[0]
        merges = self.db.execute("SELECT count(*) FROM merges").fetchone()[0]
        return {"documents": states, "review_pending": pending, "merges": merges}


def _review_item(row: sqlite3.Row) -> ReviewItem:
    fact = json.loads(row["fact"])
    return ReviewItem(
        id=row["id"],
        doc_id=row["doc_id"],
        reason=row["reason"],
        state=row["state"],
        nodes=[NodeFact.model_validate(n) for n in fact["nodes"]],
        edge=EdgeFact.model_validate(fact["edge"]),
    )
