"""Collect nodes and edges by id, merging facts that share an id (evidence, names and properties)."""

from __future__ import annotations

from kg.core.facts import EdgeFact, Evidence, NodeFact, PropertyValue

# FMEA ratings live here because merging keeps them together: the highest-RPN row wins all four.
RATINGS = ("severity", "occurrence", "detection")
RATING_KEYS = (*RATINGS, "rpn")
CODE_PROPERTY = {"Equipment": "tag", "Part": "part_number"}


def _is_placeholder(fact: NodeFact) -> bool:
    return fact.key is not None and fact.name == fact.key


def _merge_properties(
    old: dict[str, PropertyValue], new: dict[str, PropertyValue]
) -> dict[str, PropertyValue]:
    merged = dict(old)
    new_rpn, old_rpn = new.get("rpn"), old.get("rpn")
    if isinstance(new_rpn, int) and (not isinstance(old_rpn, int) or new_rpn > old_rpn):
        merged = {k: v for k, v in merged.items() if k not in RATING_KEYS}
        merged.update({k: v for k, v in new.items() if k in RATING_KEYS})
    for k, v in new.items():
        merged.setdefault(k, v)
    return merged


def _merge_evidence(old: list[Evidence], new: list[Evidence]) -> None:
    seen = {ev.key() for ev in old}
    old.extend(ev for ev in new if ev.key() not in seen)


class FactCollector:
    """Nodes and edges by id; adding a fact whose id is present merges the two."""

    def __init__(self) -> None:
        self.nodes: dict[str, NodeFact] = {}
        self.edges: dict[str, EdgeFact] = {}

    def node(
        self, label: str, name: str, ev: Evidence, key: str | None = None, **props: PropertyValue
    ) -> str:
        return self.add_node(NodeFact(label=label, name=name, key=key, properties=props, evidence=[ev]))

    def edge(self, source: str, type_: str, target: str, ev: Evidence, **props: PropertyValue) -> None:
        self.add_edge(EdgeFact(source=source, type=type_, target=target, properties=props, evidence=[ev]))

    def add_node(self, fact: NodeFact) -> str:
        old = self.nodes.setdefault(fact.id, fact)
        if old is not fact:
            if _is_placeholder(old) and not _is_placeholder(fact):
                old.name = fact.name
            old.properties = _merge_properties(old.properties, fact.properties)
            _merge_evidence(old.evidence, fact.evidence)
        return fact.id

    def add_edge(self, fact: EdgeFact) -> None:
        old = self.edges.setdefault(fact.id, fact)
        if old is not fact:
            old.properties = _merge_properties(old.properties, fact.properties)
            _merge_evidence(old.evidence, fact.evidence)

    def merge(self, other: FactCollector) -> None:
        for node in other.nodes.values():
            self.add_node(node)
        for edge in other.edges.values():
            self.add_edge(edge)


def coded_node(f: FactCollector, label: str, code: str, ev: Evidence, name: str | None = None) -> str:
    """An Equipment (by tag) or Part (by part number); without a name the code stands in for it."""
    return f.node(label, name or code, ev, code, **{CODE_PROPERTY[label]: code})
