"""``kg store migrate``: rewrite a graph written by mfg-kg 0.1 (provenance layout 1) into 0.2's layout 2.

In mfg-kg 0.1 every entity and relationship carried its whole history as two growing lists, ``sources`` (one
document id per supporting document) and ``evidence`` (one ``doc|start|end|extractor|confidence`` string
per span). Today (:mod:`kg.core.facts`) a fact holds a summary (``support``, ``extractors``, confidence) and
each document's evidence lives on the entity's ``MENTIONED_IN`` link or in an ``Evidence`` record of the
relationship.

The migration reads the old lists a page at a time, writes the links and records, sets the summary and
drops the lists, so a converted fact no longer matches the next page's query. Every step is idempotent:
run again after a crash, it carries on where it stopped, and the graph is stamped with the new layout only
when nothing is left to convert. :func:`require_current` refuses to open an unconverted graph for work.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from kg.core.errors import StoreError
from kg.core.facts import (
    DOCUMENT_LABEL,
    ENTITY_LABEL,
    EVIDENCE_LABEL,
    MENTIONED_IN,
    PROVENANCE_VERSION,
    Evidence,
)
from kg.store import cypher
from kg.store.base import GraphStore
from kg.store.common import StatementStore
from kg.store.plan import Statement, by_document, evidence_id


@dataclass
class MigrationReport:
    """What ``kg store migrate`` did."""

    version_before: int | None
    version_after: int
    entities: int = 0
    relationships: int = 0
    mention_links: int = 0
    evidence_records: int = 0
    skipped_evidence: int = 0
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def stored_version(store: GraphStore) -> tuple[int | None, bool]:
    """(the provenance layout recorded in the graph or None, whether the graph holds any entity)."""
    rows = store.read(cypher.provenance_version())
    if not rows:
        return None, False
    version = rows[0].get("version")
    return (int(version) if version is not None else None), bool(rows[0].get("has_entities"))


def require_current(store: GraphStore) -> None:
    """Raise StoreError when the graph was written in an older (or newer) provenance layout."""
    version, has_entities = stored_version(store)
    if version is None and not has_entities:
        return  # a new graph: the first write stamps it
    if version is None and not store.read(_ANY_OLD_NODE) and isinstance(store, StatementStore):
        # written in today's layout but unstamped (cleared and refilled by a store that had stamped it)
        store._execute([Statement(cypher.set_provenance_version(), {"version": PROVENANCE_VERSION})])
        return
    if version is None or version < PROVENANCE_VERSION:
        raise StoreError(
            "This graph was written by an earlier mfg-kg (0.1: provenance lists on every node). Run "
            "`kg store migrate` once to convert it (it can be interrupted and run again), then retry."
        )
    if version > PROVENANCE_VERSION:
        raise StoreError(
            f"This graph was written by a newer mfg-kg (provenance layout {version}; this version reads "
            f"{PROVENANCE_VERSION}). Upgrade mfg-kg to use it."
        )


_ANY_OLD_NODE = (
    f"MATCH (n:{ENTITY_LABEL}) WHERE n.evidence IS NOT NULL OR n.sources IS NOT NULL RETURN n.id LIMIT 1"
)
_OLD_NODES = (
    f"MATCH (n:{ENTITY_LABEL}) WHERE n.evidence IS NOT NULL OR n.sources IS NOT NULL\n"
    "RETURN n.id AS id, n.evidence AS evidence, n.sources AS sources LIMIT $limit"
)
_OLD_EDGES = (
    f"MATCH (a:{ENTITY_LABEL})-[e]->(b:{ENTITY_LABEL})\n"
    "WHERE e.evidence IS NOT NULL OR e.sources IS NOT NULL\n"
    "RETURN a.id AS source, type(e) AS type, b.id AS target, e.id AS id, e.evidence AS evidence,"
    " e.sources AS sources LIMIT $limit"
)
_NODE_LINKS = (
    f"UNWIND $rows AS r\nMATCH (n:{ENTITY_LABEL}) WHERE n.id = r.id\nUNWIND r.docs AS g\n"
    f"MERGE (d:{DOCUMENT_LABEL} {{id: g.doc}})\nMERGE (n)-[m:{MENTIONED_IN}]->(d)\n"
    "SET m.evidence = g.evidence, m.extractors = g.extractors, m.confidence = g.confidence"
)
_NODE_SUMMARY = (
    f"UNWIND $rows AS r\nMATCH (n:{ENTITY_LABEL}) WHERE n.id = r.id\n"
    "SET n.support = r.support, n.extractors = r.extractors, n.evidence = null, n.sources = null"
)
_EDGE_RECORDS = (
    f"UNWIND $rows AS r\nUNWIND r.docs AS g\nMERGE (x:{EVIDENCE_LABEL} {{id: g.id}})\n"
    "SET x.edge = r.id, x.doc = g.doc, x.source = r.source, x.target = r.target, x.evidence = g.evidence,"
    " x.extractors = g.extractors, x.confidence = g.confidence"
)


def _edge_summary(rel_type: str) -> str:
    rel_type = cypher.identifier(rel_type)
    return (
        f"UNWIND $rows AS r\nMATCH (a:{ENTITY_LABEL}) WHERE a.id = r.source\n"
        f"MATCH (a)-[e:{rel_type}]->(b:{ENTITY_LABEL}) WHERE b.id = r.target AND e.id = r.id\n"
        "SET e.support = r.support, e.extractors = r.extractors, e.evidence = null, e.sources = null"
    )


def _per_document(evidence: Any, sources: Any, report: MigrationReport) -> list[dict[str, Any]]:
    """The old lists grouped by document (a source without evidence keeps an empty link)."""
    parsed = []
    for key in evidence or []:
        try:
            parsed.append((str(key), Evidence.from_key(str(key))))
        except ValueError:
            report.skipped_evidence += 1
    docs = by_document(parsed)
    for doc in sources or []:
        docs.setdefault(str(doc), {"doc": str(doc), "evidence": [], "extractors": [], "confidence": 0.0})
    return list(docs.values())


def _summary(docs: list[dict[str, Any]]) -> dict[str, Any]:
    made = sorted({x for d in docs for x in d["extractors"]})
    return {"support": len(docs), "extractors": made}


def migrate(
    store: GraphStore, *, page: int = 5000, progress: Callable[[str], None] | None = None
) -> MigrationReport:
    """Convert the graph in ``store`` to the current provenance layout (idempotent, resumable)."""
    if not isinstance(store, StatementStore):
        raise StoreError(f"The {store.name} backend cannot be migrated by this version of mfg-kg.")
    started = time.perf_counter()
    before, _ = stored_version(store)
    report = MigrationReport(version_before=before, version_after=PROVENANCE_VERSION)
    if before is not None and before > PROVENANCE_VERSION:
        raise StoreError(
            f"The graph's provenance layout {before} is newer than this mfg-kg's; upgrade mfg-kg."
        )
    while rows := store.read(_OLD_NODES, {"limit": page}):
        out = []
        for r in rows:
            docs = _per_document(r["evidence"], r["sources"], report)
            out.append({"id": r["id"], "docs": docs, **_summary(docs)})
            report.mention_links += len(docs)
        store._execute([Statement(_NODE_LINKS, {"rows": out}), Statement(_NODE_SUMMARY, {"rows": out})])
        report.entities += len(out)
        if progress:
            progress(f"{report.entities} entities converted")
    seen: set[tuple[str, str, str]] = set()
    while rows := store.read(_OLD_EDGES, {"limit": page}):
        keys = {(str(r["source"]), str(r["type"]), str(r["target"])) for r in rows}
        if keys <= seen or any(r["id"] is None for r in rows):
            raise StoreError(
                f"Cannot convert relationships such as {sorted(keys)[0]}: they have no id. The graph was not "
                "written by mfg-kg; export what you need and rebuild it with `kg ingest`."
            )
        seen |= keys
        by_type: dict[str, list[dict[str, Any]]] = {}
        for r in rows:
            docs = _per_document(r["evidence"], r["sources"], report)
            for d in docs:
                d["id"] = evidence_id(str(r["id"]), d["doc"])
            row = {k: r[k] for k in ("id", "source", "target")}
            by_type.setdefault(str(r["type"]), []).append({**row, "docs": docs, **_summary(docs)})
            report.evidence_records += len(docs)
        steps = []
        for rel_type, out in sorted(by_type.items()):
            steps += [
                Statement(_EDGE_RECORDS, {"rows": out}),
                Statement(_edge_summary(rel_type), {"rows": out}),
            ]
        store._execute(steps)
        report.relationships += len(rows)
        if progress:
            progress(f"{report.relationships} relationships converted")
    store._execute([Statement(cypher.set_provenance_version(), {"version": PROVENANCE_VERSION})])
    report.seconds = round(time.perf_counter() - started, 3)
    return report


def migration_statements() -> list[tuple[str, str, dict[str, Any]]]:
    """Every statement the migration and the layout check run, with example parameters (Cypher lint)."""
    docs = [{"id": "x", "doc": "d", "evidence": ["d|0|1|m|1.0000"], "extractors": ["m"], "confidence": 1.0}]
    row = {"id": "e", "source": "a", "target": "b", "docs": docs, "support": 1, "extractors": ["m"]}
    return [
        ("provenance_version", cypher.provenance_version(), {}),
        ("set_provenance_version", cypher.set_provenance_version(), {"version": PROVENANCE_VERSION}),
        ("migrate:any_old_node", _ANY_OLD_NODE, {}),
        ("migrate:old_nodes", _OLD_NODES, {"limit": 10}),
        ("migrate:old_edges", _OLD_EDGES, {"limit": 10}),
        ("migrate:node_links", _NODE_LINKS, {"rows": [row]}),
        ("migrate:node_summary", _NODE_SUMMARY, {"rows": [row]}),
        ("migrate:edge_records", _EDGE_RECORDS, {"rows": [row]}),
        ("migrate:edge_summary", _edge_summary("HAS_PART"), {"rows": [row]}),
    ]
