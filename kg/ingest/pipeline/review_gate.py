"""The ontology check on each extracted edge: an edge the ontology refuses goes to the review queue
(:mod:`kg.ingest.review`) instead of the graph.

Example:
    >>> bool(ReviewGate(kg, manifest).run(doc_id, seal, "SUPPLIED_BY", noisy, ev).refused)  # doctest: +SKIP
    True
"""

from __future__ import annotations

from dataclasses import dataclass

from kg.core.errors import OntologyError
from kg.core.facts import EdgeFact, Evidence, NodeFact
from kg.graph.knowledge_graph import KnowledgeGraph
from kg.ingest.manifest import Manifest


@dataclass
class CheckedEdge:
    """An edge and, when the ontology refused it, why (it is then queued for review, not written)."""

    edge: EdgeFact
    refused: str = ""


class ReviewGate:
    """Checks an edge against the graph's ontology; queues a refused one for review with its nodes."""

    def __init__(self, kg: KnowledgeGraph, manifest: Manifest):
        self.kg = kg
        self.manifest = manifest

    def run(
        self, doc_id: str, source: NodeFact, rel_type: str, target: NodeFact, ev: Evidence
    ) -> CheckedEdge:
        edge = EdgeFact(source=source.id, type=rel_type, target=target.id, evidence=[ev])
        try:
            why = self.kg.schema.check_fact(source.label, rel_type, target.label)
        except OntologyError as e:
            why = str(e)
        if why:
            self.manifest.queue_for_review(doc_id, why, [source, target], edge)
        return CheckedEdge(edge, why or "")
