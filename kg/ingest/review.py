"""Deciding on facts the ontology refused at ingestion (``kg review``).

A refused fact is written only once it is *corrected* into one the ontology allows — a different
relationship type, a different class for an end, or the other direction. The correction keeps the
fact's evidence, so the written fact still points at the span it came from.

Example:
    >>> batch = corrected_fact(item, schema, source_label="Part")        # doctest: +SKIP
"""

from __future__ import annotations

from kg.core.errors import BadInputError, OntologyError
from kg.core.facts import EdgeFact, FactBatch, NodeFact
from kg.core.graph_schema import GraphSchema
from kg.core.keys import node_id
from kg.ingest.manifest import ReviewItem


def _relabel(node: NodeFact, label: str | None) -> NodeFact:
    if label is None or label == node.label:
        return node
    key = node.id.split(":", 1)[1]
    return NodeFact(
        label=label,
        name=node.name,
        canonical_id=node_id(label, key, is_code=True) if node.key else f"{label}:{key}",
        properties=node.properties,
        evidence=node.evidence,
    )


def corrected_fact(
    item: ReviewItem,
    schema: GraphSchema,
    *,
    rel_type: str | None = None,
    source_label: str | None = None,
    target_label: str | None = None,
    reverse: bool = False,
) -> FactBatch:
    """The review item as a batch the store accepts, or an error saying what still violates the ontology."""
    by_id = {n.id: n for n in item.nodes}
    source, target = by_id[item.edge.source], by_id[item.edge.target]
    if reverse:
        source, target = target, source
    source, target = _relabel(source, source_label), _relabel(target, target_label)
    edge_type = rel_type or item.edge.type
    try:
        why = schema.check_fact(source.label, edge_type, target.label)
    except OntologyError as e:
        raise BadInputError(str(e)) from e
    if why:
        raise BadInputError(
            f"Still refused by the ontology: {why}. Correct it with --type, --source-label, "
            "--target-label or --reverse (or reject it with `kg review reject`)."
        )
    edge = EdgeFact(
        source=source.id, type=edge_type, target=target.id, properties=item.edge.properties,
        evidence=item.edge.evidence,
    )  # fmt: skip
    return FactBatch(nodes=[source, target], edges=[edge])
