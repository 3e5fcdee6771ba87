"""Read queries about single items that question answering asks: where a machine stands by the records,
and what an item is made of. Portable Cypher (linted with Neo4j's parser in
``tests/store/test_cypher_lint.py``), values as parameters, like :mod:`kg.graph.queries`.
"""

from __future__ import annotations

from kg.core.facts import DOCUMENT_LABEL, ENTITY_LABEL, EVIDENCE_LABEL, MENTIONED_IN
from kg.store.cypher import recorded, recorded_path


def located_at() -> str:
    """The sites the records place entity ``$id`` at. Params: ``id``, ``records``."""
    return (
        f"MATCH (e:{ENTITY_LABEL}) WHERE e.id = $id\n"
        f"MATCH (e)-[la:LOCATED_AT]->(site:Site) WHERE {recorded('la')}\n"
        "RETURN site.id AS id, site.name AS name\nORDER BY id"
    )


def made_of() -> str:
    """MADE_OF links touching the entities ``$ids``, either way: (item, material) pairs. Params: ``ids``,
    ``records``."""
    return (
        f"UNWIND $ids AS id\nMATCH (x:{ENTITY_LABEL}) WHERE x.id = id\nWITH x\n"
        f"MATCH (x)-[mo:MADE_OF]-(:{ENTITY_LABEL}) WHERE {recorded('mo')}\n"
        "WITH DISTINCT mo\n"
        "RETURN startNode(mo).id AS item_id, startNode(mo).name AS item, endNode(mo).id AS material_id,"
        " endNode(mo).name AS material\n"
        "ORDER BY item_id, material_id"
    )


def mitigations() -> str:
    """The actions that mitigate each cause or failure mode in ``$ids`` (MITIGATED_BY: an FMEA row's
    recommended action). Params: ``ids``, ``records``."""
    return (
        f"UNWIND $ids AS id\nMATCH (x:{ENTITY_LABEL}) WHERE x.id = id\nWITH x\n"
        f"MATCH (x)-[mb:MITIGATED_BY]->(a:{ENTITY_LABEL}) WHERE {recorded('mb')}\n"
        "RETURN DISTINCT x.id AS from_id, x.name AS from_name, a.id AS id, a.name AS name\n"
        "ORDER BY from_id, id"
    )


def fitted_in(depth: int = 4) -> str:
    """The names of the recorded equipment each item of ``$ids`` is fitted to, down ``depth`` HAS_PART
    levels ("the spindle bearings": the bearing in the CNC's spindle unit). Params: ``ids``, ``records``."""
    return (
        f"UNWIND $ids AS id\nMATCH (p:{ENTITY_LABEL}) WHERE p.id = id\nWITH p\n"
        f"MATCH path = (eq:Equipment)-[:HAS_PART*1..{max(1, min(int(depth), 6))}]->(p)"
        f" WHERE {recorded_path('path')}\n"
        "RETURN p.id AS id, collect(DISTINCT eq.name) AS names, collect(DISTINCT eq.id) AS equipment_ids"
    )


def makers_of() -> str:
    """The organisations that make each item of ``$ids`` (MANUFACTURED_BY). Params: ``ids``, ``records``."""
    return (
        f"UNWIND $ids AS id\nMATCH (item:{ENTITY_LABEL}) WHERE item.id = id\nWITH item\n"
        f"MATCH (item)-[mb:MANUFACTURED_BY]->(m:{ENTITY_LABEL}) WHERE {recorded('mb')}\n"
        "RETURN DISTINCT item.id AS item_id, item.name AS item, m.id AS id, m.name AS name\n"
        "ORDER BY item_id, id"
    )


def document_entity_ids() -> str:
    """Ids of the entities document ``$doc`` mentions ("the failure modes the Ostrava workbook lists for
    OST-HP-02-HPU"). Params: ``doc``."""
    return (
        f"MATCH (n:{ENTITY_LABEL})-[:{MENTIONED_IN}]->(d:{DOCUMENT_LABEL}) WHERE d.id = $doc\n"
        "RETURN n.id AS id"
    )


def document_fmea_lines() -> str:
    """The rated FMEA lines (cause → mode CAUSES links) document ``$doc`` is evidence for, each with the item
    whose failure mode it rates ("the top RPN in the Ostrava press line FMEA workbook"). Params: ``doc``."""
    return (
        f"MATCH (x:{EVIDENCE_LABEL}) WHERE x.doc = $doc\n"
        "WITH collect(DISTINCT x.edge) AS ids\nUNWIND ids AS id\n"
        "MATCH (:FailureCause)-[rc:CAUSES]->(m:FailureMode) WHERE rc.id = id\n"
        f"MATCH (item:{ENTITY_LABEL})-[:HAS_FAILURE_MODE]->(m)\n"
        "RETURN DISTINCT item.id AS item_id, item.name AS item, m.id AS mode_id, m.name AS mode,"
        " rc.rpn AS rpn, rc.severity AS severity\nORDER BY mode_id"
    )
