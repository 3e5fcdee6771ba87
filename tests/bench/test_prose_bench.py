"""The prose benchmark scores what the graph gets: after span repairs and after the node rules."""

from __future__ import annotations

from bench.prose_bench import judged
from extractors.types import AnnotatedText, EntityAnnotation, RelationAnnotation


def test_node_rules_drop_a_mention_with_its_relations_and_retype_another() -> None:
    text = "Fine swarf from the pump pit wore the seal. It was replaced."
    words = ("swarf", "pump pit", "seal", "It")
    entities = [
        EntityAnnotation(start=text.index(w), end=text.index(w) + len(w), label="PhysicalObject")
        for w in words
    ]
    relations = [
        RelationAnnotation(head=1, tail=2, label="hasPart"),  # its head is dropped ("pump pit": a place)
        RelationAnnotation(head=0, tail=2, label="causes"),  # both ends kept: re-indexed
        RelationAnnotation(head=2, tail=3, label="hasPart"),  # its tail is dropped ("It": a pronoun)
    ]
    out = judged(AnnotatedText(id="t1", text=text, entities=entities, relations=relations, source="test"))
    assert [(text[e.start : e.end], e.label) for e in out.entities] == [
        ("swarf", "Material"),  # a contaminant, re-typed
        ("seal", "PhysicalObject"),
    ]
    assert [(r.head, r.tail, r.label) for r in out.relations] == [(0, 1, "causes")]
