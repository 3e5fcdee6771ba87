"""Entity lookups for the API: existence with suggestions, entity detail, citations, JSON-safe values.

Citations come from ``Chunk`` nodes when ingestion wrote them (``kg ingest``, ``POST /documents``); for
facts loaded without chunks (``kg load-csv``) they come from the evidence spans, with the snippet cut from
the document file when that file is still there, unchanged (same SHA-256) and plain text.

Example:
    >>> to_jsonable({"x": float("nan"), "n": GraphNode(labels=["Entity"], properties={"id": "Part:a"})})
    {'x': None, 'n': {'labels': ['Entity'], 'properties': {'id': 'Part:a'}}}
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from kg.core.errors import NotFoundError, WrongEntityTypeError
from kg.core.facts import ENTITY_LABEL, Evidence, GraphEdge, GraphNode, GraphPath
from kg.graph import queries
from kg.graph.knowledge_graph import KnowledgeGraph
from kg.graph.results import Citation, EntityDetail, EntityRef, Neighbour
from kg.store import cypher

SNIPPET_CHARS = 500
MAX_SNIPPET_FILE_BYTES = 25 * 1024 * 1024
_PLAIN_READERS = frozenset({"csv", "text"})


def entity_ref(node: GraphNode) -> EntityRef:
    name = node.properties.get("name")
    return EntityRef(
        id=str(node.id),
        name=name if isinstance(name, str) else None,
        labels=[label for label in node.labels if label != ENTITY_LABEL],
    )


def suggestions(kg: KnowledgeGraph, entity_id: str, limit: int = 5) -> list[str]:
    """Ids close to an unknown ``entity_id``: full-text on its name part, then on word stems (typos)."""
    name = entity_id.split(":", 1)[-1]
    hits = [str(h["id"]) for h in kg.search(name, limit=limit)]
    if not hits:
        stems = " ".join(w[:3] for w in name.replace("-", " ").split() if len(w) >= 3)
        hits = [str(h["id"]) for h in kg.search(stems, limit=limit)] if stems else []
    return hits


def require(kg: KnowledgeGraph, entity_id: str, param: str, labels: Iterable[str] = ()) -> GraphNode:
    """The entity; 404 with close matches when unknown, 400 when it is not one of ``labels``."""
    node = kg.entity(entity_id)
    if node is None:
        close = suggestions(kg, entity_id)
        hint = f" Close matches: {', '.join(close)}." if close else ""
        raise NotFoundError(
            f"No entity with id {entity_id!r} ({param}).{hint} "
            "Ids look like Label:key; find them with GET /entities/search?q=NAME.",
            suggestions=close,
        )
    wanted = set(labels)
    if wanted and not wanted.intersection(node.labels):
        have = ", ".join(entity_ref(node).labels) or "no class"
        raise WrongEntityTypeError(
            f"{entity_id!r} ({param}) is a {have}; this endpoint takes one of: {', '.join(sorted(wanted))}."
        )
    return node


def entity_detail(
    kg: KnowledgeGraph, entity_id: str, *, neighbours: int = 50, citations: int = 20
) -> EntityDetail:
    node = require(kg, entity_id, "path parameter 'entity_id'")
    paths = kg.neighbourhood(entity_id, hops=1, limit=neighbours + 1)
    found = [n for n in (_neighbour(entity_id, p) for p in paths) if n is not None]
    props = {k: to_jsonable(v) for k, v in node.properties.items()}
    return EntityDetail(
        entity=entity_ref(node),
        properties=props,
        neighbours=found[:neighbours],
        neighbours_truncated=len(paths) > neighbours,
        citations=citations_of(kg, node, limit=citations),
    )


def _neighbour(entity_id: str, path: GraphPath) -> Neighbour | None:
    if len(path.edges) != 1 or len(path.nodes) != 2:
        return None
    edge = path.edges[0]
    other = next((n for n in path.nodes if n.id != entity_id), path.nodes[-1])
    return Neighbour(
        relationship=edge.type,
        direction="out" if edge.source == entity_id else "in",
        entity=entity_ref(other),
    )


def citations_of(kg: KnowledgeGraph, node: GraphNode, *, limit: int = 20) -> list[Citation]:
    """Chunk citations first; evidence spans for the documents no chunk covers."""
    rows = kg.store.read(cypher.chunks_of_entity(), {"id": node.id, "limit": limit})
    evidence = [ev for ev in (parse_evidence(k) for k in evidence_of(kg, str(node.id), limit)) if ev]
    docs = {str(r["doc"]) for r in rows} | {ev.doc_id for ev in evidence}
    documents = {
        str(d["id"]): d for d in kg.store.read(queries.documents_by_id(), {"ids": sorted(docs)})
    } if docs else {}  # fmt: skip
    out = [chunk_citation(r, documents.get(str(r["doc"]), {})) for r in rows]
    covered = {c.document for c in out}
    texts: dict[str, str | None] = {}
    for ev in evidence:
        if len(out) >= limit:
            break
        if ev.doc_id in covered:
            continue
        doc = documents.get(ev.doc_id, {})
        if ev.doc_id not in texts:
            texts[ev.doc_id] = document_text(doc)
        text = texts[ev.doc_id]
        out.append(
            Citation(
                document=ev.doc_id,
                path=doc.get("path"),
                start=ev.start,
                end=ev.end,
                snippet=_cut(text[ev.start : ev.end]) if text and ev.end <= len(text) else None,
                extractor=ev.extractor,
                confidence=ev.confidence,
                source="evidence",
            )
        )
    return out


def chunk_citation(row: dict[str, Any], doc: dict[str, Any]) -> Citation:
    """A citation of one chunk row (``doc``, ``chunk``, ``start``, ``end``, ``text``, ``spans``)."""
    spans: list[list[int]] = []
    for span in row.get("spans") or []:
        start, _, end = str(span).partition("-")
        if start.isdigit() and end.isdigit():
            spans.append([int(start), int(end)])
    text = row.get("text")
    return Citation(
        document=str(row["doc"]),
        path=doc.get("path"),
        start=int(row.get("start") or 0),
        end=int(row.get("end") or 0),
        snippet=_cut(text) if isinstance(text, str) else None,
        chunk=row.get("chunk"),
        spans=spans,
        source="chunk",
    )


def evidence_of(kg: KnowledgeGraph, entity_id: str, documents: int = 20) -> list[str]:
    """Entity ``entity_id``'s evidence strings from its ``documents`` most confident documents."""
    rows = kg.store.read(cypher.node_evidence(), {"id": entity_id, "limit": documents})
    return [str(k) for r in rows for k in r["evidence"] or []]


def parse_evidence(key: Any) -> Evidence | None:
    """A stored evidence string (``doc|start|end|extractor|confidence``) read back; None when malformed."""
    try:
        return Evidence.from_key(str(key))
    except ValueError:
        return None


def _cut(text: str) -> str:
    return text if len(text) <= SNIPPET_CHARS else text[: SNIPPET_CHARS - 1] + "…"


def document_text(doc: dict[str, Any]) -> str | None:
    """The text a plain-text document had when it was loaded, if its file is still there unchanged."""
    path, reader, digest = doc.get("path"), doc.get("reader"), doc.get("content_hash")
    if not isinstance(path, str) or reader not in _PLAIN_READERS:
        return None
    try:
        file = Path(path)
        if not file.is_file() or file.stat().st_size > MAX_SNIPPET_FILE_BYTES:
            return None
        data = file.read_bytes()
    except OSError:
        return None
    if isinstance(digest, str) and hashlib.sha256(data).hexdigest() != digest:
        return None  # the file changed since: its offsets no longer point at the cited text
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


def to_jsonable(value: Any) -> Any:
    """Graph values as JSON: nodes/edges/paths as dicts, non-finite floats as null."""
    if isinstance(value, GraphNode | GraphEdge | GraphPath):
        return to_jsonable(value.model_dump())
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_jsonable(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


ORGANISATION_LABELS = ("Supplier", "Manufacturer", "Organization")


def related_organisations(kg: KnowledgeGraph, entity_id: str) -> list[str]:
    """The same organisation's other nodes: ``Manufacturer:skf`` for ``Supplier:skf`` (one company, recorded
    as supplier in the BOM and as maker in the register), and the nodes whose organisation name extends or
    is extended by this one word for word ("Trelleborg" and "Trelleborg Sealing Solutions")."""
    from kg.ingest.resolve import organization_key

    label, _, key = entity_id.partition(":")
    if label not in ORGANISATION_LABELS or not key:
        return []
    node = kg.entity(entity_id)
    name = node.properties.get("name") if node else None
    own = organization_key(name) if isinstance(name, str) else key
    out = []
    for r in kg.store.read(queries.organisations(), {"labels": list(ORGANISATION_LABELS)}):
        other = organization_key(str(r["name"] or ""))
        if (
            r["id"] != entity_id
            and other
            and (other == own or other.startswith(own + " ") or own.startswith(other + " "))
        ):
            out.append(str(r["id"]))
    return out
