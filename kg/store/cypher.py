"""Every portable Cypher statement mfg-kg emits, as small builder functions.

Only the subset both FalkorDB and Neo4j 5 run identically: ``MERGE`` + ``ON CREATE SET``, ``UNWIND``
batches, ``MATCH (a:L) WHERE a.id = r.x``, list comprehensions, ``split``/``reduce``; no ``elementId``,
``datetime()``, ``=~`` or ``EXISTS {}``. Labels and relationship types cannot be parameters, so they are
checked against :func:`identifier` before being formatted in; values are always parameters.

Index, constraint, full-text and shortest-path syntax differs per backend and is not here.
"""

from __future__ import annotations

import re

from kg.core.errors import BadInputError
from kg.core.facts import CHUNK_LABEL, DOCUMENT_LABEL, ENTITY_LABEL, IN_CHUNK, MENTIONED_IN, PART_OF

_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")

# The confidence stored in an evidence string "doc|start|end|extractor|confidence".
_EV_CONF = "toFloat(split(x, '|')[4])"
_EV_DOC = "split(x, '|')[0]"


#: builders of predicate fragments, not statements (the Neo4j lint covers them inside the statements)
FRAGMENTS = ("identifier", "recorded", "recorded_path")


def recorded(rel: str) -> str:
    """A predicate: relationship ``rel`` is backed by a record (``$records`` is null: any fact counts).

    ``$records`` lists extractor prefixes of systems of record (:data:`kg.core.facts.RECORD_EXTRACTORS`:
    tables, manual entry); a fact only a model read from prose fails it. Tools ask with ``$records`` first
    and list what only documents say apart, so a BOM answer is the BOM, not every part a manual names.
    """
    return (
        f"($records IS NULL OR any(x IN {rel}.evidence WHERE"
        f" any(p IN $records WHERE split(x, '|')[3] STARTS WITH p)))"
    )


def recorded_path(path: str) -> str:
    """:func:`recorded` for every relationship of ``path``."""
    return f"($records IS NULL OR all(rp IN relationships({path}) WHERE {recorded('rp')}))"


def identifier(name: str) -> str:
    """Return ``name`` if it is safe to format into Cypher as a label/type, else raise."""
    if not _IDENT.match(name):
        raise BadInputError(f"{name!r} is not a valid label or relationship type (letters, digits, _).")
    return name


def _max_conf(list_expr: str) -> str:
    # round: FalkorDB's toFloat() parses to float32 (0.8 -> 0.800000011...)
    best = f"reduce(m = 0.0, x IN {list_expr} | CASE WHEN {_EV_CONF} > m THEN {_EV_CONF} ELSE m END)"
    return f"round(10000.0 * {best}) / 10000.0"


# One Update per row: a new fact takes its lists from the row as they are; an existing one merges them in.
# last_seen comes first so it sees the old evidence whether SET items apply one by one (Neo4j) or together
# (FalkorDB). Measured on FalkorDB 4.16 (bench --ablate): 35-40% faster than SET-after-WITH, same result.
_ON_MATCH_PROVENANCE = (
    "{v}.last_seen = CASE WHEN any(k IN r.evidence WHERE NOT k IN {v}.evidence)"
    " THEN $now ELSE {v}.last_seen END, {v} += r.props,"
    " {v}.evidence = {v}.evidence + [k IN r.evidence WHERE NOT k IN {v}.evidence],"
    " {v}.sources = {v}.sources + [s IN r.sources WHERE NOT s IN {v}.sources],"
    " {v}.confidence = CASE WHEN r.confidence > {v}.confidence THEN r.confidence ELSE {v}.confidence END"
)


def merge_documents() -> str:
    """Rows ``{id, props}``: create or update Document nodes. Params: ``rows``, ``now``."""
    return (
        f"UNWIND $rows AS r\nMERGE (d:{DOCUMENT_LABEL} {{id: r.id}})\n"
        "ON CREATE SET d.first_seen = $now\nSET d += r.props"
    )


def merge_chunks() -> str:
    """Rows ``{id, doc, start, end, text, work_order, date}``: Chunk nodes, each PART_OF its Document.
    Params: ``rows``."""
    return (
        f"UNWIND $rows AS r\nMATCH (d:{DOCUMENT_LABEL}) WHERE d.id = r.doc\n"
        f"MERGE (c:{CHUNK_LABEL} {{id: r.id}})\n"
        "SET c.doc = r.doc, c.start = r.start, c.end = r.end, c.text = r.text, c.work_order = r.work_order,"
        " c.date = r.date\n"
        f"MERGE (c)-[:{PART_OF}]->(d)"
    )


def merge_chunk_mentions() -> str:
    """Rows ``{id, chunk, spans}``: link an entity to a chunk that mentions it. Params: ``rows``."""
    return (
        f"UNWIND $rows AS r\nMATCH (n:{ENTITY_LABEL}) WHERE n.id = r.id\n"
        f"MATCH (c:{CHUNK_LABEL}) WHERE c.id = r.chunk\n"
        f"MERGE (n)-[m:{IN_CHUNK}]->(c)\nSET m.spans = r.spans"
    )


def merge_nodes(label: str) -> str:
    """Rows ``{id, name, props, aliases, sources, evidence, confidence}`` for one label.

    Params: ``rows``, ``now``. A node keeps the first name it was given; every surface name lands in
    ``aliases``.
    """
    label = identifier(label)
    return (
        f"UNWIND $rows AS r\nMERGE (n:{ENTITY_LABEL}:{label} {{id: r.id}})\n"
        "ON CREATE SET n += r.props, n.name = r.name, n.aliases = r.aliases, n.sources = r.sources,"
        " n.evidence = r.evidence, n.confidence = r.confidence, n.first_seen = $now, n.last_seen = $now\n"
        "ON MATCH SET "
        + _ON_MATCH_PROVENANCE.format(v="n")
        + ", n.aliases = n.aliases + [a IN r.aliases WHERE NOT a IN n.aliases]"
    )


def merge_mentions() -> str:
    """Rows ``{id, doc}``: link entities to the documents that mention them. Params: ``rows``."""
    return (
        f"UNWIND $rows AS r\nMATCH (n:{ENTITY_LABEL}) WHERE n.id = r.id\n"
        f"MATCH (d:{DOCUMENT_LABEL}) WHERE d.id = r.doc\nMERGE (n)-[:{MENTIONED_IN}]->(d)"
    )


def merge_edges(rel_type: str) -> str:
    """Rows ``{id, source, target, props, sources, evidence, confidence}`` for one type.

    Params: ``rows``, ``now``. Returns one row ``written`` = rows whose endpoints both exist.
    """
    rel_type = identifier(rel_type)
    return (
        f"UNWIND $rows AS r\nMATCH (a:{ENTITY_LABEL}) WHERE a.id = r.source\n"
        f"MATCH (b:{ENTITY_LABEL}) WHERE b.id = r.target\n"
        f"MERGE (a)-[e:{rel_type}]->(b)\n"
        "ON CREATE SET e += r.props, e.id = r.id, e.sources = r.sources, e.evidence = r.evidence,"
        " e.confidence = r.confidence, e.first_seen = $now, e.last_seen = $now\n"
        "ON MATCH SET " + _ON_MATCH_PROVENANCE.format(v="e") + "\nRETURN count(*) AS written"
    )


def retract_document_edges() -> str:
    """Remove document ``$doc``'s evidence from relationships (deletion is a separate statement:
    FalkorDB 4.16 silently applies nothing for ``SET ... WITH ... WHERE ... DELETE`` in one query)."""
    return (
        f"MATCH (d:{DOCUMENT_LABEL})<-[:{MENTIONED_IN}]-(:{ENTITY_LABEL})-[e]->(:{ENTITY_LABEL})\n"
        "WHERE d.id = $doc AND $doc IN e.sources\n"
        f"WITH e, [x IN e.evidence WHERE {_EV_DOC} <> $doc] AS kept\n"
        "SET e.sources = [s IN e.sources WHERE s <> $doc], e.evidence = kept,"
        f" e.confidence = {_max_conf('kept')}"
    )


def delete_unsupported_edges() -> str:
    """Delete relationships around document ``$doc``'s entities that no document supports any more."""
    return (
        f"MATCH (d:{DOCUMENT_LABEL})<-[:{MENTIONED_IN}]-(:{ENTITY_LABEL})-[e]->(:{ENTITY_LABEL})\n"
        "WHERE d.id = $doc AND size(e.sources) = 0\nDELETE e"
    )


def retract_document_nodes() -> str:
    """Remove document ``$doc``'s evidence from the entities it mentions."""
    return (
        f"MATCH (d:{DOCUMENT_LABEL})<-[:{MENTIONED_IN}]-(n:{ENTITY_LABEL})\n"
        "WHERE d.id = $doc AND $doc IN n.sources\n"
        f"WITH n, [x IN n.evidence WHERE {_EV_DOC} <> $doc] AS kept\n"
        "SET n.sources = [s IN n.sources WHERE s <> $doc], n.evidence = kept,"
        f" n.confidence = {_max_conf('kept')}"
    )


def delete_unsupported_nodes() -> str:
    """Delete document ``$doc``'s entities that no document supports any more."""
    return (
        f"MATCH (d:{DOCUMENT_LABEL})<-[:{MENTIONED_IN}]-(n:{ENTITY_LABEL})\n"
        "WHERE d.id = $doc AND size(n.sources) = 0\nDETACH DELETE n"
    )


def delete_document_steps() -> tuple[str, ...]:
    """The statements that delete a document, in order. Each is idempotent and the Document node goes
    last, so a run cut off part-way is finished by running all of them again."""
    return (
        retract_document_edges(),
        delete_unsupported_edges(),
        retract_document_nodes(),
        delete_unsupported_nodes(),
        delete_document_chunks(),
        delete_document_node(),
    )


def delete_document_chunks() -> str:
    """Delete document ``$doc``'s Chunk nodes and their links."""
    return f"MATCH (c:{CHUNK_LABEL}) WHERE c.doc = $doc\nDETACH DELETE c"


def delete_document_node() -> str:
    """Delete the Document node ``$doc`` and its MENTIONED_IN links (run last)."""
    return f"MATCH (d:{DOCUMENT_LABEL}) WHERE d.id = $doc\nDETACH DELETE d"


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
        f"MATCH (x:{ENTITY_LABEL}) WHERE x.id = $id\n"
        f"MATCH path = (x)-[:HAS_PART*0..{depth}]->(item:{ENTITY_LABEL})"
        "-[hm:HAS_FAILURE_MODE]->(mode:FailureMode)\n"
        f"WHERE {recorded_path('path')}"
        " AND ($subassemblies OR none(n IN tail(nodes(path)) WHERE 'Equipment' IN labels(n)))\n"
        f"OPTIONAL MATCH (cause:FailureCause)-[rc:CAUSES]->(mode) WHERE {recorded('rc')}\n"
        f"OPTIONAL MATCH (mode)-[re:CAUSES]->(effect:FailureEffect) WHERE {recorded('re')}\n"
        "RETURN DISTINCT item.id AS item_id, item.name AS item, mode.id AS mode_id, mode.name AS mode,"
        " cause.id AS cause_id, cause.name AS cause, effect.id AS effect_id, effect.name AS effect,"
        " hm.severity AS severity,"
        " hm.occurrence AS occurrence, hm.detection AS detection, hm.rpn AS rpn\n"
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
    """Entities document ``$doc`` supports, with names, aliases and evidence (gold scoring)."""
    return (
        f"MATCH (n:{ENTITY_LABEL}) WHERE $doc IN n.sources\n"
        "RETURN n.id AS id, labels(n) AS labels, n.name AS name, n.aliases AS aliases, n.evidence AS evidence"
    )


def relationships_of_document() -> str:
    """Relationships document ``$doc`` supports (gold scoring)."""
    return (
        f"MATCH (a:{ENTITY_LABEL})-[e]->(b:{ENTITY_LABEL}) WHERE $doc IN e.sources\n"
        "RETURN a.id AS source, type(e) AS type, b.id AS target"
    )


def entity_names(*, with_recorded: bool = False) -> str:
    """Every entity's id, labels, name, aliases, part number, tag and support (how many documents back
    it), paged (entity resolution's known entities, question answering's entity index); with
    ``with_recorded``, whether a record backs it (params ``records``: :func:`recorded`)."""
    extra = f", {recorded('n')} AS recorded" if with_recorded else ""
    return (
        f"MATCH (n:{ENTITY_LABEL}) RETURN n.id AS id, labels(n) AS labels, n.name AS name,"
        " n.aliases AS aliases, n.part_number AS part_number, n.tag AS tag,"
        f" size(coalesce(n.sources, [])) AS support{extra}"
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
