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
    kg.errors.BadInputError: depth must be a whole number from 1 to 6, got 11
"""

from __future__ import annotations

from kg.errors import BadInputError
from kg.model import DOCUMENT_LABEL, ENTITY_LABEL

MAX_DEPTH = 6


def _depth(depth: int) -> int:
    if not isinstance(depth, int) or isinstance(depth, bool) or not 1 <= depth <= MAX_DEPTH:
        raise BadInputError(f"depth must be a whole number from 1 to {MAX_DEPTH}, got {depth!r}")
    return depth


def alternatives() -> str:
    """Items interchangeable with ``$id`` (ALTERNATIVE_TO in either direction) and each one's suppliers.

    Params: ``id``, ``limit``. One row per (alternative, supplier); supplier columns null when none.
    """
    return (
        f"MATCH (p:{ENTITY_LABEL}) WHERE p.id = $id\n"
        f"MATCH (p)-[:ALTERNATIVE_TO]-(alt:{ENTITY_LABEL})\n"
        "WHERE alt.id <> p.id\n"
        "WITH DISTINCT alt\n"
        f"OPTIONAL MATCH (alt)-[:SUPPLIED_BY]->(s:{ENTITY_LABEL})\n"
        "RETURN alt.id AS id, alt.name AS name, alt.part_number AS part_number,"
        " s.id AS supplier_id, s.name AS supplier\n"
        "ORDER BY id, supplier_id\nLIMIT $limit"
    )


def suppliers_of() -> str:
    """Direct suppliers of each item in ``$ids``. Params: ``ids``."""
    return (
        f"MATCH (item:{ENTITY_LABEL})-[:SUPPLIED_BY]->(s:{ENTITY_LABEL}) WHERE item.id IN $ids\n"
        "RETURN item.id AS item_id, s.id AS id, s.name AS name\nORDER BY item_id, id"
    )


def where_used(depth: int = 4) -> str:
    """Equipment containing ``$id`` through 1..``depth`` HAS_PART levels, nearest first, with sites.

    Params: ``id``, ``limit``.
    """
    d = _depth(depth)
    return (
        f"MATCH (p:{ENTITY_LABEL}) WHERE p.id = $id\n"
        f"MATCH path = (e:Equipment)-[:HAS_PART*1..{d}]->(p)\n"
        "WITH e, min(length(path)) AS depth\n"
        "OPTIONAL MATCH (e)-[:LOCATED_AT]->(site:Site)\n"
        "RETURN e.id AS equipment_id, e.name AS equipment, e.tag AS tag, depth,"
        " site.id AS site_id, site.name AS site\n"
        "ORDER BY depth, equipment_id\nLIMIT $limit"
    )


def bom(depth: int = 4) -> str:
    """Bill-of-materials explosion of ``$id``: every (parent, item) HAS_PART link 1..``depth`` levels down.

    Params: ``id``, ``limit``. ``level`` is the shortest distance of the item from the root.
    """
    d = _depth(depth)
    return (
        f"MATCH (root:{ENTITY_LABEL}) WHERE root.id = $id\n"
        f"MATCH path = (root)-[:HAS_PART*1..{d}]->(item:{ENTITY_LABEL})\n"
        "WITH nodes(path)[length(path) - 1] AS parent, item, length(path) AS level\n"
        "RETURN parent.id AS parent_id, item.id AS item_id, item.name AS item, labels(item) AS labels,"
        " item.part_number AS part_number, item.tag AS tag, min(level) AS level\n"
        "ORDER BY level, parent_id, item_id\nLIMIT $limit"
    )


def documents_by_id() -> str:
    """Path, content hash and reader of the documents in ``$ids`` (for citations). Params: ``ids``."""
    return (
        f"MATCH (d:{DOCUMENT_LABEL}) WHERE d.id IN $ids\n"
        "RETURN d.id AS id, d.path AS path, d.content_hash AS content_hash, d.reader AS reader"
    )
