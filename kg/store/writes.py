"""The portable Cypher that writes facts and their provenance, and deletes a document's.

Provenance costs per fact, not per node history (see :mod:`kg.core.facts`): a node or relationship holds a
summary (``confidence``, ``support``, ``extractors``, times), and each document's evidence lives apart, on
the entity's ``MENTIONED_IN`` link to that document or in one ``Evidence`` record per (relationship,
document). A new document writes its own links and records and touches the fact only to raise the summary,
so a supplier cited by 10,000 documents costs the same to cite once more as one cited by one.

Every statement is idempotent: ``support`` is raised only when a document's link or record is created, and a
delete recomputes it from what is left instead of counting down, so running a cut-off batch or deletion
again finishes it without counting twice. A link or record a deletion has already discounted is marked
``retracted`` until the deletion finishes; writing the document again meanwhile counts it back.
"""

from __future__ import annotations

from kg.core.facts import (
    APPLIED_LABEL,
    CHUNK_LABEL,
    DOCUMENT_LABEL,
    ENTITY_LABEL,
    EVIDENCE_LABEL,
    IN_CHUNK,
    MENTIONED_IN,
    META_LABEL,
    PART_OF,
)
from kg.store.cypher import identifier

_MAX = "CASE WHEN {r}.confidence > {v}.confidence THEN {r}.confidence ELSE {v}.confidence END"
_UNION = "coalesce({v}.{p}, []) + [item IN {r}.{p} WHERE NOT item IN coalesce({v}.{p}, [])]"


def _summary(v: str) -> str:
    """ON MATCH items of a fact seen again: properties, the best confidence, new extractors."""
    return (
        f"{v} += r.props, {v}.confidence = {_MAX.format(v=v, r='r')},"
        f" {v}.extractors = {_UNION.format(v=v, p='extractors', r='r')}"
    )


def _support(fact: str, record: str) -> str:
    """ON MATCH items of a document's link/record (row ``g``) seen again: new evidence only, and the fact's
    support counted back when a deletion that discounted the record was cut off before it removed it."""
    return (
        f"{fact}.support = CASE WHEN {record}.retracted THEN {fact}.support + 1 ELSE {fact}.support END,"
        f" {fact}.last_seen = CASE WHEN {record}.retracted OR any(k IN g.evidence WHERE NOT k IN"
        f" {record}.evidence) THEN $now ELSE {fact}.last_seen END,"
        f" {record}.evidence = {_UNION.format(v=record, p='evidence', r='g')},"
        f" {record}.extractors = {_UNION.format(v=record, p='extractors', r='g')},"
        f" {record}.confidence = {_MAX.format(v=record, r='g')}, {record}.retracted = null"
    )


def mark_provenance() -> str:
    """Stamp a graph with the provenance layout ``$version`` on its first write. Params: ``version``."""
    return f"MERGE (m:{META_LABEL} {{id: 'graph'}})\nON CREATE SET m.provenance = $version"


def applied_batch() -> str:
    """Whether the batch with fingerprint ``$id`` was written in full (one row if so)."""
    return f"MATCH (b:{APPLIED_LABEL}) WHERE b.id = $id RETURN b.id AS id"


def mark_applied() -> str:
    """Record that the batch with fingerprint ``$id`` was written in full (its last statement). Params:
    ``id``, ``now``."""
    return f"MERGE (b:{APPLIED_LABEL} {{id: $id}})\nON CREATE SET b.at = $now"


def forget_applied() -> str:
    """Forget every fingerprint: after a deletion, a batch written before must be written again."""
    return f"MATCH (b:{APPLIED_LABEL})\nDELETE b"


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
    """Rows ``{id, name, props, aliases, extractors, confidence, docs}`` for one label, ``docs`` being
    ``[{doc, evidence, extractors, confidence}]``: each document's evidence for the entity, on the entity's
    MENTIONED_IN link to it. Params: ``rows``, ``now``.

    A node keeps the first name it was given; every surface name lands in ``aliases``. ``support`` counts
    a document when its link is created.
    """
    label = identifier(label)
    return (
        f"UNWIND $rows AS r\nMERGE (n:{ENTITY_LABEL}:{label} {{id: r.id}})\n"
        "ON CREATE SET n += r.props, n.name = r.name, n.aliases = r.aliases, n.extractors = r.extractors,"
        " n.confidence = r.confidence, n.support = 0, n.first_seen = $now, n.last_seen = $now\n"
        f"ON MATCH SET {_summary('n')}, n.aliases = {_UNION.format(v='n', p='aliases', r='r')}\n"
        f"WITH n, r UNWIND r.docs AS g\nMATCH (d:{DOCUMENT_LABEL}) WHERE d.id = g.doc\n"
        f"MERGE (n)-[m:{MENTIONED_IN}]->(d)\n"
        "ON CREATE SET m.evidence = g.evidence, m.extractors = g.extractors, m.confidence = g.confidence,"
        " n.support = coalesce(n.support, 0) + 1, n.last_seen = $now\n"
        f"ON MATCH SET {_support('n', 'm')}"
    )


def merge_edges(rel_type: str) -> str:
    """Rows ``{id, source, target, props, extractors, confidence, docs}`` for one type, ``docs`` being
    ``[{id, doc, evidence, extractors, confidence}]``: each document's evidence for the relationship, as an
    Evidence record. Params: ``rows``, ``now``.

    Returns one row ``written`` = rows whose endpoints both exist.
    """
    rel_type = identifier(rel_type)
    return (
        f"UNWIND $rows AS r\nMATCH (a:{ENTITY_LABEL}) WHERE a.id = r.source\n"
        f"MATCH (b:{ENTITY_LABEL}) WHERE b.id = r.target\n"
        f"MERGE (a)-[e:{rel_type}]->(b)\n"
        "ON CREATE SET e += r.props, e.id = r.id, e.extractors = r.extractors, e.confidence = r.confidence,"
        " e.support = 0, e.first_seen = $now, e.last_seen = $now\n"
        f"ON MATCH SET {_summary('e')}\n"
        f"WITH e, r UNWIND r.docs AS g\nMERGE (x:{EVIDENCE_LABEL} {{id: g.id}})\n"
        "ON CREATE SET x.edge = r.id, x.doc = g.doc, x.source = r.source, x.target = r.target,"
        " x.evidence = g.evidence, x.extractors = g.extractors, x.confidence = g.confidence,"
        " e.support = coalesce(e.support, 0) + 1, e.last_seen = $now\n"
        f"ON MATCH SET {_support('e', 'x')}\nRETURN count(DISTINCT r.id) AS written"
    )


def _recount(fact: str, others: str) -> str:
    """SET items: ``fact``'s summary from the links/records in list ``others`` (all but one document's)."""
    best = f"reduce(top = 0.0, o IN {others} | CASE WHEN o.confidence > top THEN o.confidence ELSE top END)"
    made = f"reduce(acc = [], o IN {others} | acc + [item IN o.extractors WHERE NOT item IN acc])"
    return f"{fact}.support = size({others}), {fact}.confidence = {best}, {fact}.extractors = {made}"


def _doc_edges(extra: str = "") -> str:
    """MATCH of document ``$doc``'s Evidence records ``x`` and their relationships ``e``."""
    return (
        f"MATCH (x:{EVIDENCE_LABEL}) WHERE x.doc = $doc\n"
        f"MATCH (a:{ENTITY_LABEL}) WHERE a.id = x.source\n"
        f"MATCH (a)-[e]->(b:{ENTITY_LABEL}) WHERE b.id = x.target AND e.id = x.edge{extra}\n"
    )


def retract_document_edges() -> str:
    """Recount the relationships document ``$doc`` supports from the other documents' records."""
    return (
        _doc_edges() + f"OPTIONAL MATCH (o:{EVIDENCE_LABEL}) WHERE o.edge = e.id AND o.doc <> $doc\n"
        "WITH x, e, collect(o) AS others\n"
        f"SET x.retracted = true, {_recount('e', 'others')}"
    )


def delete_unsupported_edges() -> str:
    """Delete relationships document ``$doc`` supported that no other document supports."""
    return _doc_edges(" AND e.support = 0") + "DELETE e"


def delete_document_evidence() -> str:
    """Delete document ``$doc``'s Evidence records (after the relationships were recounted)."""
    return f"MATCH (x:{EVIDENCE_LABEL}) WHERE x.doc = $doc\nDELETE x"


def retract_document_nodes() -> str:
    """Recount the entities document ``$doc`` mentions from their links to the other documents."""
    return (
        f"MATCH (d:{DOCUMENT_LABEL})<-[m:{MENTIONED_IN}]-(n:{ENTITY_LABEL}) WHERE d.id = $doc\n"
        f"OPTIONAL MATCH (n)-[o:{MENTIONED_IN}]->(other:{DOCUMENT_LABEL}) WHERE other.id <> $doc\n"
        "WITH m, n, collect(o) AS others\n"
        f"SET m.retracted = true, {_recount('n', 'others')}"
    )


def delete_unsupported_nodes() -> str:
    """Delete document ``$doc``'s entities that no other document mentions."""
    return (
        f"MATCH (d:{DOCUMENT_LABEL})<-[:{MENTIONED_IN}]-(n:{ENTITY_LABEL})\n"
        "WHERE d.id = $doc AND n.support = 0\nDETACH DELETE n"
    )


def delete_document_chunks() -> str:
    """Delete document ``$doc``'s Chunk nodes and their links."""
    return f"MATCH (c:{CHUNK_LABEL}) WHERE c.doc = $doc\nDETACH DELETE c"


def delete_document_node() -> str:
    """Delete the Document node ``$doc`` and its MENTIONED_IN links (run last)."""
    return f"MATCH (d:{DOCUMENT_LABEL}) WHERE d.id = $doc\nDETACH DELETE d"


def delete_document_steps() -> tuple[str, ...]:
    """The statements that delete a document, in order. Each is idempotent and the Document node goes
    last, so a run cut off part-way is finished by running all of them again."""
    return (
        forget_applied(),
        retract_document_edges(),
        delete_unsupported_edges(),
        delete_document_evidence(),
        retract_document_nodes(),
        delete_unsupported_nodes(),
        delete_document_chunks(),
        delete_document_node(),
    )
