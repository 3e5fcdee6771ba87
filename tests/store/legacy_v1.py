"""The writer of mfg-kg 0.1 (provenance layout 1), kept verbatim for migration tests.

Its statements are the ones 0.1 ran (``kg/store/cypher.py`` and ``kg/store/plan.py`` at commit ffef37b):
every entity and relationship carries ``sources`` (document ids) and ``evidence`` (one string per span) as
lists that every later document extends, and a bare ``MENTIONED_IN`` link to each document. Tests write
graphs with it and check that ``kg store migrate`` turns them into what today's writer writes.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from kg.core.facts import FactBatch
from kg.store.common import StatementStore
from kg.store.plan import Statement, _placeholder

_ON_MATCH = (
    "{v}.last_seen = CASE WHEN any(k IN r.evidence WHERE NOT k IN {v}.evidence)"
    " THEN $now ELSE {v}.last_seen END, {v} += r.props,"
    " {v}.evidence = {v}.evidence + [k IN r.evidence WHERE NOT k IN {v}.evidence],"
    " {v}.sources = {v}.sources + [s IN r.sources WHERE NOT s IN {v}.sources],"
    " {v}.confidence = CASE WHEN r.confidence > {v}.confidence THEN r.confidence ELSE {v}.confidence END"
)
DOCUMENTS = (
    "UNWIND $rows AS r\nMERGE (d:Document {id: r.id})\nON CREATE SET d.first_seen = $now\nSET d += r.props"
)
MENTIONS = (
    "UNWIND $rows AS r\nMATCH (n:Entity) WHERE n.id = r.id\n"
    "MATCH (d:Document) WHERE d.id = r.doc\nMERGE (n)-[:MENTIONED_IN]->(d)"
)


def nodes(label: str) -> str:
    return (
        f"UNWIND $rows AS r\nMERGE (n:Entity:{label} {{id: r.id}})\n"
        "ON CREATE SET n += r.props, n.name = r.name, n.aliases = r.aliases, n.sources = r.sources,"
        " n.evidence = r.evidence, n.confidence = r.confidence, n.first_seen = $now, n.last_seen = $now\n"
        "ON MATCH SET "
        + _ON_MATCH.format(v="n")
        + ", n.aliases = n.aliases + [a IN r.aliases WHERE NOT a IN n.aliases]"
    )


def edges(rel_type: str) -> str:
    return (
        "UNWIND $rows AS r\nMATCH (a:Entity) WHERE a.id = r.source\n"
        "MATCH (b:Entity) WHERE b.id = r.target\n"
        f"MERGE (a)-[e:{rel_type}]->(b)\n"
        "ON CREATE SET e += r.props, e.id = r.id, e.sources = r.sources, e.evidence = r.evidence,"
        " e.confidence = r.confidence, e.first_seen = $now, e.last_seen = $now\n"
        "ON MATCH SET " + _ON_MATCH.format(v="e")
    )


def _row(facts: list[Any]) -> dict[str, Any]:
    evidence: dict[str, Any] = {}
    props: dict[str, Any] = {}
    aliases: list[str] = []
    for f in facts:
        props.update(f.properties)
        name = getattr(f, "name", None)
        if name is not None and name not in aliases:
            aliases.append(name)
        for ev in f.evidence:
            evidence.setdefault(ev.key(), ev)
    return {
        "props": props,
        "aliases": aliases,
        "evidence": list(evidence),
        "sources": sorted({e.doc_id for e in evidence.values()}),
        "confidence": max(e.confidence for e in evidence.values()),
    }


def write_v1(store: StatementStore, batch: FactBatch, now: str = "2025-01-01T00:00:00.000+00:00") -> None:
    """Write ``batch`` exactly as mfg-kg 0.1 did (no ontology check: the batches are valid)."""
    by_node: dict[str, list[Any]] = defaultdict(list)
    for n in batch.nodes:
        by_node[n.id].append(n)
    by_edge: dict[str, list[Any]] = defaultdict(list)
    for e in batch.edges:
        by_edge[e.id].append(e)
    doc_props = {d.id: d.properties for d in batch.documents}
    steps = [
        Statement(
            DOCUMENTS,
            {"rows": [{"id": d, "props": doc_props.get(d, {})} for d in sorted(batch.document_ids())]},
        )
    ]
    labelled: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for node_id, facts in by_node.items():
        name = facts[0].name
        for n in facts[1:]:  # 0.1's rule: a code given as a name yields to a real name
            if name != n.name and _placeholder(name, n) and not _placeholder(n.name, n):
                name = n.name
        labelled[facts[0].label].append({"id": node_id, "name": name, **_row(facts)})
    steps += [Statement(nodes(label), {"rows": rows}) for label, rows in sorted(labelled.items())]
    mentions = [{"id": r["id"], "doc": d} for rows in labelled.values() for r in rows for d in r["sources"]]
    steps.append(Statement(MENTIONS, {"rows": mentions}))
    typed: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for edge_id, facts in by_edge.items():
        row = _row(facts)
        del row["aliases"]
        typed[facts[0].type].append(
            {"id": edge_id, "source": facts[0].source, "target": facts[0].target, **row}
        )
    steps += [Statement(edges(t), {"rows": rows}) for t, rows in sorted(typed.items())]
    store._execute([Statement(s.cypher, {**s.params, "now": now}) for s in steps])
