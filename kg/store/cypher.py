"""Every portable Cypher statement mfg-kg emits, as small builder functions.

Only the subset both FalkorDB and Neo4j 5 run identically: ``MERGE`` + ``ON CREATE SET``, ``UNWIND``
batches, ``MATCH (a:L) WHERE a.id = r.x``, list comprehensions, ``split``/``reduce``; no ``elementId``,
``datetime()``, ``=~`` or ``EXISTS {}``. Labels and relationship types cannot be parameters, so they are
checked against :func:`identifier` before being formatted in; values are always parameters.

Index, constraint, full-text and shortest-path syntax differs per backend and is not here; the statements
that write facts and delete documents are in :mod:`kg.store.writes`.
"""

from __future__ import annotations

import re

from kg.core.errors import BadInputError
from kg.core.facts import (
    CHUNK_LABEL,
    DOCUMENT_LABEL,
    ENTITY_LABEL,
    EVIDENCE_LABEL,
    IN_CHUNK,
    MENTIONED_IN,
    META_LABEL,
)

_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")

#: builders of predicate fragments, not statements (the Neo4j lint covers them inside the statements)
FRAGMENTS = ("identifier", "recorded", "recorded_path")


def recorded(rel: str) -> str:
    """A predicate: fact ``rel`` is backed by a record (``$records`` is null: any fact counts).

    ``$records`` lists extractor prefixes of systems of record (:data:`kg.core.facts.RECORD_EXTRACTORS`:
    tables, manual entry); a fact only a model read from prose fails it. Tools ask with ``$records`` first
    and list what only documents say apart, so a BOM answer is the BOM, not every part a manual names.
    """
    return (
        f"($records IS NULL OR any(x IN coalesce({rel}.extractors, []) WHERE"
        " any(p IN $records WHERE x STARTS WITH p)))"
    )


def recorded_path(path: str) -> str:
    """:func:`recorded` for every relationship of ``path``."""
    return f"($records IS NULL OR all(rp IN relationships({path}) WHERE {recorded('rp')}))"


def identifier(name: str) -> str:
    """Return ``name`` if it is safe to format into Cypher as a label/type, else raise."""
    if not _IDENT.match(name):
        raise BadInputError(f"{name!r} is not a valid label or relationship type (letters, digits, _).")
    return name


def clear_relationships() -> str:  # $limit per transaction: Neo4j's transaction memory holds no whole graph
    return "MATCH ()-[r]->() WITH r LIMIT $limit DELETE r"


def clear_graph() -> str:  # $limit nodes (and any relationship left), after clear_relationships()
    return "MATCH (n) WITH n LIMIT $limit DETACH DELETE n"


def count_summary() -> str:
    """One row per (label set) with counts: used by ``kg stats`` and tests."""
    return f"MATCH (n:{ENTITY_LABEL}) RETURN labels(n) AS labels, count(*) AS count"


def count_relationships() -> str:
    return f"MATCH (:{ENTITY_LABEL})-[e]->(:{ENTITY_LABEL}) RETURN type(e) AS type, count(*) AS count"


def count_documents() -> str:
    return f"MATCH (d:{DOCUMENT_LABEL}) RETURN count(d) AS n"


def node_by_id() -> str:
    """Params: ``id``."""
    return f"MATCH (n:{ENTITY_LABEL}) WHERE n.id = $id RETURN n"


def neighbourhood(rel_types: tuple[str, ...], hops: int) -> str:
    """Paths of up to ``hops`` domain relationships around ``$id``. Params: ``id``, ``limit``."""
    types = "|".join(identifier(t) for t in rel_types)
    hops = _hops(hops, low=1)
    return (
        f"MATCH (n:{ENTITY_LABEL}) WHERE n.id = $id\n"
        f"MATCH p = (n)-[:{types}*1..{hops}]-(m:{ENTITY_LABEL})\n"
        "RETURN p ORDER BY length(p), m.id LIMIT $limit"
    )  # ordered: a truncated neighbourhood is the same on every backend


def failure_chains(max_depth: int = 3) -> str:
    """Cause → mode → effect for ``$id`` and its parts down ``max_depth`` HAS_PART levels.

    Params: ``id``, ``limit``, ``records`` (:func:`recorded`), ``subassemblies`` (false: stop at equipment
    below ``$id``, its own parts only). One row per (item, mode, cause, effect); cause/effect may be null.
    """
    depth = _hops(max_depth)
    return (
        f"MATCH (x:{ENTITY_LABEL}) WHERE x.id = $id\nWITH x\n"  # FalkorDB: start at x, not at every mode
        f"MATCH path = (x)-[:HAS_PART*0..{depth}]->(item:{ENTITY_LABEL})"
        "-[hm:HAS_FAILURE_MODE]->(mode:FailureMode)\n"
        f"WHERE {recorded_path('path')}"
        " AND ($subassemblies OR none(n IN tail(nodes(path)) WHERE 'Equipment' IN labels(n)))\n"
        f"OPTIONAL MATCH (cause:FailureCause)-[rc:CAUSES]->(mode) WHERE {recorded('rc')}\n"
        f"OPTIONAL MATCH (mode)-[re:CAUSES]->(effect:FailureEffect) WHERE {recorded('re')}\n"
        "RETURN DISTINCT item.id AS item_id, item.name AS item, mode.id AS mode_id, mode.name AS mode,"
        " cause.id AS cause_id, cause.name AS cause, effect.id AS effect_id, effect.name AS effect,"
        " coalesce(rc.severity, hm.severity) AS severity,"
        " coalesce(rc.occurrence, hm.occurrence) AS occurrence,"
        " coalesce(rc.detection, hm.detection) AS detection, coalesce(rc.rpn, hm.rpn) AS rpn\n"
        "ORDER BY coalesce(rpn, -1) DESC, item, mode, cause, effect\nLIMIT $limit"
    )


def causal_paths(max_hops: int = 4) -> str:
    """Chains of CAUSES of any length up to ``max_hops`` starting from ``$id``. Params: ``id``, ``limit``."""
    hops = _hops(max_hops, low=1)
    return (
        f"MATCH (x:{ENTITY_LABEL}) WHERE x.id = $id\n"
        f"MATCH p = (x)-[:CAUSES*1..{hops}]->(y:{ENTITY_LABEL})\nRETURN p LIMIT $limit"
    )


def supplier_impact(max_depth: int = 4) -> str:
    """What an outage of supplier ``$id`` hits: supplied items, the equipment containing them, sites.

    Params: ``id``, ``limit``, ``records`` (:func:`recorded`). ``other_suppliers`` counts alternative
    sources of the same item, so a single-sourced item (0) is the real exposure.
    """
    depth = _hops(max_depth)
    return (
        f"MATCH (s:{ENTITY_LABEL}) WHERE s.id = $id\n"
        f"MATCH (item:{ENTITY_LABEL})-[sb:SUPPLIED_BY]->(s) WHERE {recorded('sb')}\n"
        f"MATCH path = (eq:Equipment)-[:HAS_PART*0..{depth}]->(item) WHERE {recorded_path('path')}\n"
        f"OPTIONAL MATCH (eq)-[la:LOCATED_AT]->(site:Site) WHERE {recorded('la')}\n"
        f"OPTIONAL MATCH (item)-[ob:SUPPLIED_BY]->(other)\nWHERE other.id <> s.id AND {recorded('ob')}\n"
        "RETURN item.id AS item_id, item.name AS item, eq.id AS equipment_id, eq.name AS equipment,"
        " site.name AS site, count(DISTINCT other) AS other_suppliers, min(length(path)) AS depth\n"
        "ORDER BY other_suppliers, site, equipment, item\nLIMIT $limit"
    )


def single_source_items() -> str:
    """Items with exactly one supplier. Params: ``limit``, ``records`` (:func:`recorded`)."""
    return (
        f"MATCH (item:{ENTITY_LABEL})-[sb:SUPPLIED_BY]->(s:{ENTITY_LABEL}) WHERE {recorded('sb')}\n"
        "WITH item, collect(DISTINCT s) AS suppliers WHERE size(suppliers) = 1\n"
        "RETURN item.id AS item_id, item.name AS item, suppliers[0].id AS supplier_id,"
        " suppliers[0].name AS supplier\nORDER BY item\nLIMIT $limit"
    )


def top_equipment_by_failure_modes() -> str:
    """The equipment with the most FMEA-rated failure modes in its part tree (the demo's example); modes
    from work orders (no RPN) break ties."""
    return (
        f"MATCH (e:Equipment)-[:HAS_PART*0..3]->(:{ENTITY_LABEL})-[hm:HAS_FAILURE_MODE]->(m:FailureMode)\n"
        "WITH e, m, max(coalesce(hm.rpn, 0)) AS rpn\n"
        "RETURN e.id AS id, e.name AS name, sum(CASE WHEN rpn > 0 THEN 1 ELSE 0 END) AS rated,"
        " count(DISTINCT m) AS modes ORDER BY rated DESC, modes DESC, id LIMIT 1"
    )


def top_supplier_by_equipment() -> str:
    """The supplier feeding the most equipment through parts (the demo's example)."""
    return (
        f"MATCH (s:{ENTITY_LABEL})<-[:SUPPLIED_BY]-(:{ENTITY_LABEL})<-[:HAS_PART*1..4]-(e:Equipment)\n"
        "RETURN s.id AS id, s.name AS name, count(DISTINCT e) AS equipment\n"
        "ORDER BY equipment DESC, id LIMIT 1"
    )


def all_nodes() -> str:
    """Every entity and document, paged by ``$skip``/``$limit`` in id order (exports)."""
    return "MATCH (n) RETURN n ORDER BY n.id SKIP $skip LIMIT $limit"


def chunks_of_entity() -> str:
    """Chunks that mention entity ``$id`` (text and spans, for citations), paged by ``$limit``."""
    return (
        f"MATCH (n:{ENTITY_LABEL})-[m:{IN_CHUNK}]->(c:{CHUNK_LABEL}) WHERE n.id = $id\n"
        "RETURN c.doc AS doc, c.id AS chunk, c.start AS start, c.end AS end, c.text AS text,"
        " m.spans AS spans\n"
        "ORDER BY doc, start LIMIT $limit"
    )


def document_paths() -> str:
    """Every document's id and path."""
    return f"MATCH (d:{DOCUMENT_LABEL}) RETURN d.id AS id, d.path AS path"


def entities_of_document() -> str:
    """Entities document ``$doc`` mentions, with names, aliases and its evidence for them (gold scoring)."""
    return (
        f"MATCH (n:{ENTITY_LABEL})-[m:{MENTIONED_IN}]->(d:{DOCUMENT_LABEL}) WHERE d.id = $doc\n"
        "RETURN n.id AS id, labels(n) AS labels, n.name AS name, n.aliases AS aliases, m.evidence AS evidence"
    )


def relationships_of_document() -> str:
    """Relationships document ``$doc`` supports, by its Evidence records (gold scoring)."""
    return (
        f"MATCH (x:{EVIDENCE_LABEL}) WHERE x.doc = $doc\n"
        f"MATCH (a:{ENTITY_LABEL}) WHERE a.id = x.source\n"
        f"MATCH (a)-[e]->(b:{ENTITY_LABEL}) WHERE b.id = x.target AND e.id = x.edge\n"
        "RETURN a.id AS source, type(e) AS type, b.id AS target"
    )


def entity_names(*, with_recorded: bool = False, by_id: bool = False) -> str:
    """Every entity's id, labels, name, aliases, part number, tag and support (how many documents back
    it), paged (entity resolution's known entities, question answering's entity index); with
    ``with_recorded``, whether a record backs it (params ``records``: :func:`recorded`); with ``by_id``,
    only the entities of ``$ids``."""
    extra = f", {recorded('n')} AS recorded" if with_recorded else ""
    where = " WHERE n.id IN $ids" if by_id else ""
    return (
        f"MATCH (n:{ENTITY_LABEL}){where} RETURN n.id AS id, labels(n) AS labels, n.name AS name,"
        " n.aliases AS aliases, n.part_number AS part_number, n.tag AS tag,"
        f" coalesce(n.support, 0) AS support{extra}"
        " ORDER BY n.id SKIP $skip LIMIT $limit"
    )


def all_edges() -> str:
    """Every relationship with its endpoints' ids, paged (exports)."""
    return (
        "MATCH (a)-[e]->(b) RETURN a.id AS source, type(e) AS type, b.id AS target, e AS edge"
        " ORDER BY source, type, target SKIP $skip LIMIT $limit"
    )


def neighbours_of_frontier(rel_types: tuple[str, ...]) -> str:
    """One BFS step: entities adjacent to any id in ``$ids`` over the given types (either direction)."""
    types = "|".join(identifier(t) for t in rel_types)
    return (
        f"MATCH (n:{ENTITY_LABEL})-[:{types}]-(m:{ENTITY_LABEL}) WHERE n.id IN $ids\n"
        "RETURN DISTINCT n.id AS src, m.id AS dst ORDER BY src, dst"
    )  # ordered: every backend then finds the same one of several shortest paths


def path_edges() -> str:
    """Edges between consecutive ids of a path found by BFS. Params: ``pairs`` (list of [a, b])."""
    return (
        f"UNWIND $pairs AS p\nMATCH (a:{ENTITY_LABEL})-[e]-(b:{ENTITY_LABEL})\n"
        "WHERE a.id = p[0] AND b.id = p[1]\nRETURN p[0] AS a, p[1] AS b, e, startNode(e).id AS src\n"
        "ORDER BY a, b, type(e), src"
    )


def _hops(n: int, low: int = 0) -> int:
    if not isinstance(n, int) or isinstance(n, bool) or not low <= n <= 10:
        raise BadInputError(f"hop count must be a whole number from {low} to 10, got {n!r}")
    return n


def node_evidence() -> str:
    """Entity ``$id``'s evidence, one row per document that mentions it, most confident first.
    Params: ``id``, ``limit``."""
    return (
        f"MATCH (n:{ENTITY_LABEL})-[m:{MENTIONED_IN}]->(d:{DOCUMENT_LABEL}) WHERE n.id = $id\n"
        "RETURN d.id AS doc, m.evidence AS evidence, m.confidence AS confidence\n"
        "ORDER BY confidence DESC, doc LIMIT $limit"
    )


def edge_evidence() -> str:
    """The Evidence records of the relationships whose ids are in ``$ids``: one row per (relationship,
    document). Params: ``ids``."""
    return (
        f"MATCH (x:{EVIDENCE_LABEL}) WHERE x.edge IN $ids\n"
        "RETURN x.edge AS edge, x.doc AS doc, x.evidence AS evidence ORDER BY edge, doc"
    )


def provenance_version() -> str:
    """The provenance layout the graph is written in (no row: none recorded), and whether it holds any
    entity (a graph without either is new)."""
    return (
        f"OPTIONAL MATCH (m:{META_LABEL}) WHERE m.id = 'graph'\n"
        f"OPTIONAL MATCH (n:{ENTITY_LABEL}) WITH m, n LIMIT 1\n"
        "RETURN m.provenance AS version, n IS NOT NULL AS has_entities"
    )


def set_provenance_version() -> str:
    """Record the provenance layout ``$version``."""
    return f"MERGE (m:{META_LABEL} {{id: 'graph'}})\nSET m.provenance = $version"
