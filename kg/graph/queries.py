"""The API's own read statements, as small builders (the library's are in :mod:`kg.store.cypher`).

Same portable subset as the library: ``MATCH ... WHERE a.id = $id``, variable-length ``HAS_PART``
patterns with a literal bound, ``min``/``collect`` aggregation; no ``elementId``, ``datetime()``, ``=~`` or
``EXISTS {}``. Values are always parameters; depths are checked integers.

Example:
    >>> "ALTERNATIVE_TO" in alternatives()
    True
    >>> where_used(11)
    Traceback (most recent call last):
    ...
    kg.core.errors.BadInputError: depth must be a whole number from 1 to 6, got 11
"""

from __future__ import annotations

from kg.core.errors import BadInputError
from kg.core.facts import CHUNK_LABEL, DOCUMENT_LABEL, ENTITY_LABEL, EVIDENCE_LABEL, IN_CHUNK, MENTIONED_IN
from kg.store.cypher import recorded, recorded_path

MAX_DEPTH = 6


def _depth(depth: int) -> int:
    if not isinstance(depth, int) or isinstance(depth, bool) or not 1 <= depth <= MAX_DEPTH:
        raise BadInputError(f"depth must be a whole number from 1 to {MAX_DEPTH}, got {depth!r}")
    return depth


def alternatives() -> str:
    """Items interchangeable with ``$id`` (ALTERNATIVE_TO in either direction) and each one's suppliers.

    Params: ``id``, ``limit``, ``records`` (:func:`~kg.store.cypher.recorded`). One row per (alternative,
    supplier); supplier columns null when none.
    """
    return (
        f"MATCH (p:{ENTITY_LABEL}) WHERE p.id = $id\n"
        f"MATCH (p)-[ra:ALTERNATIVE_TO]-(alt:{ENTITY_LABEL})\n"
        f"WHERE alt.id <> p.id AND {recorded('ra')}\n"
        "WITH DISTINCT alt\n"
        f"OPTIONAL MATCH (alt)-[sb:SUPPLIED_BY]->(s:{ENTITY_LABEL}) WHERE {recorded('sb')}\n"
        "RETURN alt.id AS id, alt.name AS name, alt.part_number AS part_number,"
        " s.id AS supplier_id, s.name AS supplier\n"
        "ORDER BY id, supplier_id\nLIMIT $limit"
    )


def fits_as_alternative() -> str:
    """Equipment a supplier's items fit as alternatives: ``$id``'s items, interchangeable (ALTERNATIVE_TO,
    either direction) with items on an equipment's BOM. Params: ``id``, ``limit``. One row per (item,
    replaced item, equipment)."""
    return (
        f"MATCH (s:{ENTITY_LABEL}) WHERE s.id = $id\n"
        f"MATCH (s)<-[:SUPPLIED_BY]-(item:{ENTITY_LABEL})-[:ALTERNATIVE_TO]-(other:{ENTITY_LABEL})"
        f"<-[:HAS_PART]-(e:{ENTITY_LABEL})\n"
        "RETURN DISTINCT item.id AS item_id, item.name AS item, other.id AS other_id, other.name AS other,"
        " e.id AS equipment_id, e.name AS equipment\nORDER BY equipment_id, item_id, other_id\nLIMIT $limit"
    )


def suppliers_of() -> str:
    """Direct suppliers of each item in ``$ids``. Params: ``ids``, ``records``."""
    return (
        f"MATCH (item:{ENTITY_LABEL})-[sb:SUPPLIED_BY]->(s:{ENTITY_LABEL})"
        f" WHERE item.id IN $ids AND {recorded('sb')}\n"
        "RETURN DISTINCT item.id AS item_id, s.id AS id, s.name AS name\nORDER BY item_id, id"
    )


def items_of_organisations() -> str:
    """Items an organisation in ``$ids`` supplies or makes, with names and part numbers. Params: ``ids``,
    ``records``."""
    return (
        f"MATCH (o:{ENTITY_LABEL}) WHERE o.id IN $ids\nWITH o\n"
        f"MATCH (item:{ENTITY_LABEL})-[r:SUPPLIED_BY|MANUFACTURED_BY]->(o) WHERE {recorded('r')}\n"
        "RETURN DISTINCT item.id AS id, item.name AS name, item.part_number AS part_number ORDER BY id"
    )


def where_used(depth: int = 4) -> str:
    """Equipment containing ``$id`` through 1..``depth`` HAS_PART levels, nearest first, with sites.

    Params: ``id``, ``limit``, ``records``.
    """
    d = _depth(depth)
    return (
        f"MATCH (p:{ENTITY_LABEL}) WHERE p.id = $id\n"
        f"MATCH path = (e:Equipment)-[:HAS_PART*1..{d}]->(p) WHERE {recorded_path('path')}\n"
        "WITH e, min(length(path)) AS depth\n"
        f"OPTIONAL MATCH (e)-[la:LOCATED_AT]->(site:Site) WHERE {recorded('la')}\n"
        "RETURN e.id AS equipment_id, e.name AS equipment, e.tag AS tag, depth,"
        " site.id AS site_id, site.name AS site\n"
        "ORDER BY depth, equipment_id\nLIMIT $limit"
    )


def bom(depth: int = 4) -> str:
    """Bill-of-materials explosion of ``$id``: every (parent, item) HAS_PART link 1..``depth`` levels down.

    Params: ``id``, ``limit``, ``records``. ``level`` is the shortest distance of the item from the root.
    """
    d = _depth(depth)
    return (
        f"MATCH (root:{ENTITY_LABEL}) WHERE root.id = $id\n"
        f"MATCH path = (root)-[:HAS_PART*1..{d}]->(item:{ENTITY_LABEL}) WHERE {recorded_path('path')}\n"
        "WITH nodes(path)[length(path) - 1] AS parent, item, length(path) AS level\n"
        "RETURN parent.id AS parent_id, item.id AS item_id, item.name AS item, labels(item) AS labels,"
        " item.part_number AS part_number, item.tag AS tag, min(level) AS level\n"
        "ORDER BY level, parent_id, item_id\nLIMIT $limit"
    )


def documents_by_id() -> str:
    """Path, content hash and reader of the documents in ``$ids`` (for citations). Params: ``ids``."""
    return (
        f"MATCH (d:{DOCUMENT_LABEL}) WHERE d.id IN $ids\n"
        "RETURN d.id AS id, d.path AS path, d.content_hash AS content_hash, d.reader AS reader,"
        " coalesce(d.file_name, d.path, d.id) AS file_name, d.title AS title"
    )


def work_order_events(depth: int = 3) -> str:
    """Work-order rows that name ``$id`` or one of its parts (0..``depth`` HAS_PART levels), newest first.

    Params: ``id``, ``limit``. Rows come from ingested work-order tables (Chunk nodes with a number or date).
    """
    d = _depth(depth)
    return (
        f"MATCH (x:{ENTITY_LABEL}) WHERE x.id = $id\n"
        f"MATCH (x)-[:HAS_PART*0..{d}]->(a:{ENTITY_LABEL})-[:{IN_CHUNK}]->(r:{CHUNK_LABEL})\n"
        "WHERE r.work_order IS NOT NULL OR r.date IS NOT NULL\n"
        "RETURN DISTINCT r.id AS chunk, r.doc AS doc, r.start AS start, r.end AS end, r.text AS text,"
        " r.work_order AS work_order, r.date AS date, a.id AS asset_id, a.name AS asset\n"
        "ORDER BY coalesce(date, '') DESC, coalesce(work_order, '') DESC\nLIMIT $limit"
    )


def entities_in_spans() -> str:
    """Entities mentioned in chunks lying inside each span of ``$spans`` (``{key, doc, start, end}``).

    Params: ``spans``. A work-order row's description chunk lies inside the row: its failure modes,
    activities and parts come back with the row's ``key``.
    """
    return (
        "UNWIND $spans AS s\n"
        f"MATCH (c:{CHUNK_LABEL}) WHERE c.doc = s.doc AND c.start >= s.start AND c.end <= s.end\n"
        f"MATCH (n:{ENTITY_LABEL})-[:{IN_CHUNK}]->(c)\n"
        "RETURN DISTINCT s.key AS key, n.id AS id, n.name AS name, labels(n) AS labels"
    )


def entity_refs() -> str:
    """Name and classes of each entity in ``$ids``. Params: ``ids``."""
    return (
        f"MATCH (n:{ENTITY_LABEL}) WHERE n.id IN $ids\nRETURN n.id AS id, n.name AS name, labels(n) AS labels"
    )


def documents_mentioning() -> str:
    """The documents that mention any entity in ``$ids``. Params: ``ids``."""
    return (
        f"MATCH (n:{ENTITY_LABEL})-[:{MENTIONED_IN}]->(d:{DOCUMENT_LABEL}) WHERE n.id IN $ids\n"
        "RETURN DISTINCT d.id AS id"
    )


SUPPLY_RELATIONS = ("HAS_PART", "SUPPLIED_BY", "LOCATED_AT")


def supply_network() -> str:
    """The supply network for graph analytics: HAS_PART, SUPPLIED_BY and LOCATED_AT links with names.

    Params: ``types`` (relationship types), ``limit`` (most links read: analytics on a huge graph reads a
    bounded sample and says so), ``records``.
    """
    return (
        f"MATCH (a:{ENTITY_LABEL})-[r]->(b:{ENTITY_LABEL}) WHERE type(r) IN $types AND {recorded('r')}\n"
        "RETURN a.id AS source, a.name AS source_name, labels(a) AS source_labels, type(r) AS type,"
        " b.id AS target, b.name AS target_name, labels(b) AS target_labels\n"
        "LIMIT $limit"
    )


def audit_candidates() -> str:
    """Entities of one class (``$label``; null: every class), least confident first, for ``kg audit``.

    Params: ``label``, ``limit``. Tables' and known entities carry confidence 1.0; the model's, its score.
    """
    return (
        f"MATCH (n:{ENTITY_LABEL}) WHERE $label IS NULL OR $label IN labels(n)\n"
        "RETURN n.id AS id, coalesce(n.confidence, 1.0) AS confidence\n"
        "ORDER BY confidence ASC, id ASC\n"
        "LIMIT $limit"
    )


def site_scope(depth: int = 4) -> str:
    """What is at site ``$id``: its equipment, their parts down ``depth`` levels, those items' suppliers and
    failure modes, one id per row. Params: ``id``, ``records``."""
    d = _depth(depth)
    return (
        f"MATCH (site:Site) WHERE site.id = $id\n"
        f"MATCH (eq:Equipment)-[la:LOCATED_AT]->(site) WHERE {recorded('la')}\n"
        f"MATCH path = (eq)-[:HAS_PART*0..{d}]->(x:{ENTITY_LABEL}) WHERE {recorded_path('path')}\n"
        "WITH DISTINCT x\n"
        f"OPTIONAL MATCH (x)-[sb:SUPPLIED_BY]->(s:{ENTITY_LABEL}) WHERE {recorded('sb')}\n"
        f"OPTIONAL MATCH (x)-[hm:HAS_FAILURE_MODE]->(m:{ENTITY_LABEL}) WHERE {recorded('hm')}\n"
        "WITH collect(DISTINCT x.id) + collect(DISTINCT s.id) + collect(DISTINCT m.id) AS ids\n"
        "UNWIND ids AS id\nRETURN DISTINCT id"
    )


def all_work_order_rows() -> str:
    """Every work-order row (a Chunk with a number or date), newest first. Params: ``limit``."""
    return (
        f"MATCH (r:{CHUNK_LABEL}) WHERE r.work_order IS NOT NULL OR r.date IS NOT NULL\n"
        "RETURN r.id AS chunk, r.doc AS doc, r.start AS start, r.end AS end, r.text AS text,"
        " r.work_order AS work_order, r.date AS date, null AS asset_id, null AS asset\n"
        "ORDER BY coalesce(date, '') DESC, coalesce(work_order, '') DESC\nLIMIT $limit"
    )


def all_documents() -> str:
    """Every document's id, file name, path, title and document numbers, in path order. Params: ``limit``."""
    return (
        f"MATCH (d:{DOCUMENT_LABEL})\n"
        "RETURN d.id AS id, coalesce(d.file_name, d.path, d.id) AS file_name, d.path AS path,"
        " d.title AS title, d.numbers AS numbers\n"
        "ORDER BY path, id\nLIMIT $limit"
    )


def recorded_entities() -> str:
    """Entities of class ``$label`` some record backs (their own evidence). Params: ``label``, ``records``,
    ``limit``."""
    return (
        f"MATCH (n:{ENTITY_LABEL}) WHERE $label IN labels(n) AND {recorded('n')}\n"
        "RETURN n.id AS id, n.name AS name, n.equipment_class AS equipment_class\nORDER BY id\nLIMIT $limit"
    )


def failure_mode_ratings() -> str:
    """Every rated failure mode of an item: FMEA severity and RPN per (item, mode), the highest of its FMEA
    lines (each line's ratings sit on its CAUSES link; the mode's own when it has none). Params:
    ``records``."""
    return (
        f"MATCH (item:{ENTITY_LABEL})-[hm:HAS_FAILURE_MODE]->(m:FailureMode) WHERE {recorded('hm')}\n"
        f"OPTIONAL MATCH (:FailureCause)-[rc:CAUSES]->(m) WHERE {recorded('rc')}\n"
        "WITH item, m, hm, max(rc.rpn) AS line_rpn, max(rc.severity) AS line_severity\n"
        "RETURN item.id AS item_id, item.name AS item, m.id AS mode_id, m.name AS mode,"
        " coalesce(line_rpn, hm.rpn) AS rpn, coalesce(line_severity, hm.severity) AS severity"
    )


def supply_pairs() -> str:
    """(equipment, item on its own BOM, the item's supplier) by the records. Params: ``records``."""
    return (
        f"MATCH (eq:Equipment)-[hp:HAS_PART]->(item:{ENTITY_LABEL}) WHERE {recorded('hp')}\n"
        f"OPTIONAL MATCH (item)-[sb:SUPPLIED_BY]->(s:{ENTITY_LABEL}) WHERE {recorded('sb')}\n"
        "RETURN eq.id AS equipment_id, eq.name AS equipment, item.id AS item_id, item.name AS item,"
        " s.id AS supplier_id,"
        " s.name AS supplier"
    )


def equipment_parents(depth: int = 4) -> str:
    """Each sub-assembly with its top-level equipment (one that no equipment contains). Params:
    ``records``."""
    d = _depth(depth)
    return (
        f"MATCH path = (root:Equipment)-[:HAS_PART*1..{d}]->(child:Equipment) WHERE {recorded_path('path')}\n"
        "OPTIONAL MATCH (up:Equipment)-[:HAS_PART]->(root)\n"
        "WITH root, child WHERE up IS NULL\n"
        "RETURN DISTINCT child.id AS child, root.id AS root"
    )


def all_failure_chains() -> str:
    """Every rated chain, cause → mode → effect, of every item, highest RPN first (a row's own ratings, on
    its CAUSES link, else the mode's). Params: ``records``,
    ``limit``."""
    return (
        f"MATCH (item:{ENTITY_LABEL})-[hm:HAS_FAILURE_MODE]->(mode:FailureMode) WHERE {recorded('hm')}\n"
        f"OPTIONAL MATCH (cause:FailureCause)-[rc:CAUSES]->(mode) WHERE {recorded('rc')}\n"
        f"OPTIONAL MATCH (mode)-[re:CAUSES]->(effect:FailureEffect) WHERE {recorded('re')}\n"
        "RETURN DISTINCT item.id AS item_id, item.name AS item, mode.id AS mode_id, mode.name AS mode,"
        " cause.id AS cause_id, cause.name AS cause, effect.id AS effect_id, effect.name AS effect,"
        " coalesce(rc.severity, hm.severity) AS severity,"
        " coalesce(rc.occurrence, hm.occurrence) AS occurrence,"
        " coalesce(rc.detection, hm.detection) AS detection, coalesce(rc.rpn, hm.rpn) AS rpn\n"
        "ORDER BY coalesce(rpn, -1) DESC, item, mode, cause, effect\nLIMIT $limit"
    )


def mode_consequences() -> str:
    """The failure modes each mode in ``$ids`` leads to (CAUSES between modes).

    Params: ``ids``, ``records``."""
    return (
        f"MATCH (m:FailureMode)-[c:CAUSES]->(n:FailureMode) WHERE m.id IN $ids AND {recorded('c')}\n"
        "RETURN DISTINCT m.id AS from_id, m.name AS from_name, n.id AS id, n.name AS name ORDER BY id"
    )


def mode_origins() -> str:
    """The failure modes that lead to each mode in ``$ids`` (CAUSES between modes, the other way).

    Params: ``ids``, ``records``."""
    return (
        f"MATCH (m:FailureMode)-[c:CAUSES]->(n:FailureMode) WHERE n.id IN $ids AND {recorded('c')}\n"
        "RETURN DISTINCT n.id AS to_id, n.name AS to_name, m.id AS id, m.name AS name ORDER BY id"
    )


def multi_source_items() -> str:
    """Items with two suppliers or more, with them. Params: ``limit``, ``records``."""
    return (
        f"MATCH (item:{ENTITY_LABEL})-[sb:SUPPLIED_BY]->(s:{ENTITY_LABEL}) WHERE {recorded('sb')}\n"
        "WITH item, collect(DISTINCT s) AS suppliers WHERE size(suppliers) > 1\n"
        "RETURN item.id AS item_id, item.name AS item, [x IN suppliers | x.id] AS supplier_ids,"
        " [x IN suppliers | x.name] AS suppliers\nORDER BY item\nLIMIT $limit"
    )


def items_with_alternatives() -> str:
    """Items with a recorded alternative (ALTERNATIVE_TO either way), with the alternatives and the item's
    suppliers. Params: ``limit``, ``records``."""
    return (
        f"MATCH (item:{ENTITY_LABEL})-[ra:ALTERNATIVE_TO]-(alt:{ENTITY_LABEL})"
        f" WHERE alt.id <> item.id AND {recorded('ra')}\n"
        "WITH item, collect(DISTINCT alt) AS alts\n"
        f"OPTIONAL MATCH (item)-[sb:SUPPLIED_BY]->(s:{ENTITY_LABEL}) WHERE {recorded('sb')}\n"
        "WITH item, alts, collect(DISTINCT s) AS suppliers\n"
        "RETURN item.id AS item_id, item.name AS item, [x IN suppliers | x.id] AS supplier_ids,"
        " [x IN suppliers | x.name] AS suppliers, [x IN alts | x.id] AS alternative_ids,"
        " [x IN alts | x.name] AS alternatives\nORDER BY item\nLIMIT $limit"
    )


def bom_lines() -> str:
    """Every recorded (equipment, item on its own BOM, item's supplier) with both links' ids, so the caller
    can read their evidence (:func:`kg.store.cypher.edge_evidence`) and keep the supplier a BOM line names
    for that equipment. Params: ``records``, ``limit``, ``items`` (only these items' lines; null: every
    line)."""
    return (
        f"MATCH (eq:Equipment)-[hp:HAS_PART]->(item:{ENTITY_LABEL})"
        f" WHERE ($items IS NULL OR item.id IN $items) AND {recorded('hp')}\n"
        f"OPTIONAL MATCH (item)-[sb:SUPPLIED_BY]->(s:{ENTITY_LABEL}) WHERE {recorded('sb')}\n"
        "RETURN eq.id AS equipment_id, eq.name AS equipment, item.id AS item_id, item.name AS item,"
        " s.id AS supplier_id, s.name AS supplier, hp.id AS line, sb.id AS supply\n"
        "LIMIT $limit"
    )


def organisations() -> str:
    """Every node of the organisation classes in ``$labels``: id and name. Params: ``labels``."""
    return (
        f"MATCH (n:{ENTITY_LABEL}) WHERE any(l IN labels(n) WHERE l IN $labels)\n"
        "RETURN n.id AS id, n.name AS name ORDER BY id"
    )


def documents_numbered() -> str:
    """Documents whose own or cited numbers include one of ``$keys`` (``number_key`` forms: ``NCR2025019``),
    with their numbers. Params: ``keys``, ``limit``."""
    return (
        f"MATCH (d:{DOCUMENT_LABEL}) WHERE any(k IN coalesce(d.number_keys, []) WHERE k IN $keys)\n"
        "RETURN d.id AS id, coalesce(d.file_name, d.path, d.id) AS file_name, d.path AS path,"
        " d.title AS title, d.numbers AS numbers, d.references AS references\n"
        "ORDER BY path, id\nLIMIT $limit"
    )


def document_contents() -> str:
    """What document ``$id`` says: each entity it mentions, with the relationships its own text states
    (it holds an Evidence record of the relationship) to other entities. Params: ``id``, ``limit``."""
    return (
        f"MATCH (d:{DOCUMENT_LABEL}) WHERE d.id = $id\n"
        f"MATCH (e:{ENTITY_LABEL})-[:{MENTIONED_IN}]->(d)\n"
        f"OPTIONAL MATCH (x:{EVIDENCE_LABEL}) WHERE x.doc = $id AND x.source = e.id\n"
        f"OPTIONAL MATCH (e)-[r]->(o:{ENTITY_LABEL}) WHERE r.id = x.edge AND o.id = x.target\n"
        "RETURN e.id AS id, e.name AS name, labels(e) AS labels, e.part_number AS part_number, e.tag AS tag,"
        " type(r) AS type, o.id AS other_id, o.name AS other\n"
        "ORDER BY id, type, other_id\nLIMIT $limit"
    )


def chunks_in_document() -> str:
    """Chunks of document ``$doc`` that mention one of the entities ``$ids`` (citations of what one document
    says), in reading order. Params: ``ids``, ``doc``, ``limit``."""
    return (
        f"MATCH (n:{ENTITY_LABEL})-[m:{IN_CHUNK}]->(c:{CHUNK_LABEL}) WHERE n.id IN $ids AND c.doc = $doc\n"
        "RETURN DISTINCT c.doc AS doc, c.id AS chunk, c.start AS start, c.end AS end, c.text AS text,"
        " m.spans AS spans\n"
        "ORDER BY start, chunk LIMIT $limit"
    )
