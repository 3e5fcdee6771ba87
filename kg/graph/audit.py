"""A precision audit users can run (``kg audit``): entities with the evidence that created them, least
confident first, so a user reviews what the graph is least sure of before trusting a list of suppliers.

Each row says which entity, of which class, how confident the graph is (the best score any evidence gave it),
what made it (the extractor model's version, the gazetteer, a table loader) and where: the first citation's
document and sentence or table row.

Example:
    >>> rows = audit(kg, label="Supplier", limit=20)                   # doctest: +SKIP
    >>> rows[0].confidence <= rows[-1].confidence                      # doctest: +SKIP
    True
"""

from __future__ import annotations

import random

from pydantic import BaseModel, Field

from kg.core.errors import BadInputError
from kg.core.facts import ENTITY_LABEL
from kg.graph import queries
from kg.graph.entities import citations_of, entity_ref
from kg.graph.knowledge_graph import KnowledgeGraph
from kg.graph.results import Citation, EntityRef

#: at most this many candidates are read to draw a random sample from
MAX_SAMPLED_FROM = 100_000


class AuditRow(BaseModel):
    """One entity as the audit shows it."""

    entity: EntityRef
    confidence: float = Field(description="The best score any evidence gave it (1.0: tables, known names).")
    made_by: list[str] = Field(
        description="Extractors behind its evidence: model versions, gazetteer, tables."
    )
    documents: int = Field(description="How many documents mention it.")
    citation: Citation | None = Field(default=None, description="Where it was first found, with the text.")


def audit(
    kg: KnowledgeGraph,
    *,
    label: str | None = None,
    limit: int = 50,
    sample: int | None = None,
    seed: int = 0,
) -> list[AuditRow]:
    """Entities of ``label`` (every class when None), least confident first; or a random ``sample`` of them.

    Raises:
        BadInputError: an unknown class, or a limit/sample that is not a positive whole number.
    """
    if label is not None and (label not in kg.schema.labels or label == ENTITY_LABEL):
        known = ", ".join(sorted(x for x in kg.schema.labels if x != ENTITY_LABEL))
        raise BadInputError(f"Unknown class {label!r} for the audit; choose one of: {known}.")
    for name, value in (("limit", limit), ("sample", sample)):
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
            raise BadInputError(f"--{name} must be a whole number of at least 1, got {value!r}")
    wanted = MAX_SAMPLED_FROM if sample else limit
    rows = kg.store.read(queries.audit_candidates(), {"label": label, "limit": wanted})
    ids = [str(r["id"]) for r in rows]
    if sample:
        chosen = set(random.Random(seed).sample(ids, min(sample, len(ids))))
        ids = [i for i in ids if i in chosen]  # still least confident first
    return [row for row in (audit_row(kg, i) for i in ids) if row is not None]


def audit_row(kg: KnowledgeGraph, entity_id: str) -> AuditRow | None:
    """The audit's view of one entity; None when it vanished meanwhile."""
    node = kg.entity(entity_id)
    if node is None:
        return None
    made_by = sorted(str(x) for x in node.properties.get("extractors") or [])
    confidence = node.properties.get("confidence")
    cited = citations_of(kg, node, limit=1)
    return AuditRow(
        entity=entity_ref(node),
        confidence=float(confidence) if isinstance(confidence, int | float) else 1.0,
        made_by=made_by,
        documents=int(node.properties.get("support") or 0),
        citation=cited[0] if cited else None,
    )
