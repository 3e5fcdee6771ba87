"""Small fact builders shared by tests (importable: pytest puts tests/ on sys.path via conftest)."""

from __future__ import annotations

from kg.core.facts import DocumentInfo, EdgeFact, Evidence, FactBatch, NodeFact
from kg.store.base import GraphStore


def ev(
    doc: str = "doc-a", start: int = 0, end: int = 10, conf: float = 1.0, extractor: str = "test"
) -> Evidence:
    return Evidence(doc_id=doc, start=start, end=end, confidence=conf, extractor=extractor)


def node(label: str, name: str, *evidence: Evidence, **props: object) -> NodeFact:
    return NodeFact(label=label, name=name, evidence=list(evidence) or [ev()], properties=props)  # type: ignore[arg-type]


def edge(a: NodeFact, rel: str, b: NodeFact, *evidence: Evidence, **props: object) -> EdgeFact:
    return EdgeFact(source=a.id, type=rel, target=b.id, evidence=list(evidence) or [ev()], properties=props)  # type: ignore[arg-type]


def plant_batch(doc: str = "doc-a") -> FactBatch:
    """A pump with a bearing from SKF at a site, and an FMEA chain cause -> mode -> effect."""
    e = ev(doc)
    pump = node("Equipment", "P-101 feed pump", e, tag="P-101")
    bearing = node("Part", "deep groove ball bearing 6205", e, part_number="6205-2RS")
    skf = node("Supplier", "SKF", e)
    site = node("Site", "Plant Alpha", e)
    mode = node("FailureMode", "bearing overheating", e)
    cause = node("FailureCause", "lubricant starvation", e)
    effect = node("FailureEffect", "pump seizure", e)
    return FactBatch(
        nodes=[pump, bearing, skf, site, mode, cause, effect],
        edges=[
            edge(pump, "HAS_PART", bearing, e),
            edge(bearing, "SUPPLIED_BY", skf, e),
            edge(pump, "LOCATED_AT", site, e),
            edge(bearing, "HAS_FAILURE_MODE", mode, e, severity=8, occurrence=4, detection=3, rpn=96),
            edge(cause, "CAUSES", mode, e),
            edge(mode, "CAUSES", effect, e),
        ],
        documents=[DocumentInfo(id=doc, properties={"path": f"/docs/{doc}.txt"})],
    )


def sources(store: GraphStore, entity_id: str) -> list[str]:
    """The documents that hold evidence for entity ``entity_id`` (its MENTIONED_IN links)."""
    rows = store.read(
        "MATCH (n:Entity)-[:MENTIONED_IN]->(d:Document) WHERE n.id = $id RETURN d.id AS d ORDER BY d",
        {"id": entity_id},
    )
    return [r["d"] for r in rows]


def evidence(store: GraphStore, entity_id: str) -> list[str]:
    """Entity ``entity_id``'s evidence strings, over every document, sorted."""
    rows = store.read(
        "MATCH (n:Entity)-[m:MENTIONED_IN]->(:Document) WHERE n.id = $id RETURN m.evidence AS e",
        {"id": entity_id},
    )
    return sorted(k for r in rows for k in r["e"] or [])


def edge_sources(store: GraphStore, edge_id: str) -> list[str]:
    """The documents holding an Evidence record of relationship ``edge_id``."""
    rows = store.read("MATCH (x:Evidence) WHERE x.edge = $id RETURN x.doc AS d ORDER BY d", {"id": edge_id})
    return [r["d"] for r in rows]
