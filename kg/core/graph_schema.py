"""The graph schema: which labels and relationship types exist, which pairs a relation may connect, and
which keys to index. It is derived from the OWL ontology (``ontology.load_ontology().graph_schema()``)
and is plain data, so the write path checks facts without touching rdflib.

Example:
    >>> from ontology import load_ontology
    >>> schema = load_ontology().graph_schema()
    >>> schema.check_fact("Equipment", "HAS_PART", "Part") is None
    True
    >>> schema.check_fact("Supplier", "HAS_PART", "FailureMode")  # doctest: +ELLIPSIS
    'Supplier -HAS_PART-> FailureMode: ...'
"""

from __future__ import annotations

import difflib

from pydantic import BaseModel, ConfigDict, Field

from kg.core.errors import OntologyError
from kg.core.facts import (
    APPLIED_LABEL,
    CHUNK_LABEL,
    DOCUMENT_LABEL,
    ENTITY_LABEL,
    EVIDENCE_LABEL,
    IN_CHUNK,
    MENTIONED_IN,
    PART_OF,
    FactBatch,
)

#: labels whose ``id`` is unique: a constraint on each, before any MERGE
UNIQUE_ID_LABELS = (ENTITY_LABEL, DOCUMENT_LABEL, CHUNK_LABEL, EVIDENCE_LABEL, APPLIED_LABEL)


class RelationRule(BaseModel):
    """One relationship type and the (subject label, object label) pairs the ontology allows for it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    type: str = Field(description="Graph relationship type, e.g. HAS_PART.")
    name: str = Field(description="Ontology property local name, e.g. hasPart.")
    iri: str
    pairs: frozenset[tuple[str, str]] = Field(
        description="Allowed (subject label, object label) pairs, subclasses already expanded."
    )
    symmetric: bool = False
    inverse: str | None = Field(
        default=None,
        description="Graph type of the inverse property, if any. It may name a type the graph does not "
        "store (e.g. SUPPLIES for SUPPLIED_BY): facts stated that way are stored reversed.",
    )


class GraphSchema(BaseModel):
    """Labels, relationship types, allowed pairs and keys to index, for one ontology version."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    ontology_iri: str
    version: str
    labels: tuple[str, ...] = Field(description="Entity class labels (every node also gets :Entity).")
    label_iris: dict[str, str]
    relations: dict[str, RelationRule]
    parents: dict[str, tuple[str, ...]] = Field(
        default_factory=dict,
        description="label -> its ancestor labels, nearest first (the abstract root class is left out).",
    )
    indexed_properties: dict[str, tuple[str, ...]] = Field(
        default_factory=dict, description="Extra exact-match indexes beyond `id`, label -> properties."
    )
    fulltext_properties: tuple[str, ...] = ("name",)

    @property
    def entity_label(self) -> str:
        return ENTITY_LABEL

    @property
    def document_label(self) -> str:
        return DOCUMENT_LABEL

    @property
    def relationship_types(self) -> tuple[str, ...]:
        """Domain relationship types (not MENTIONED_IN), sorted."""
        return tuple(sorted(self.relations))

    @property
    def all_relationship_types(self) -> tuple[str, ...]:
        """Domain types plus the provenance links the store writes itself."""
        return (*self.relationship_types, MENTIONED_IN, PART_OF, IN_CHUNK)

    def index_targets(self) -> list[tuple[str, str]]:
        """(label, property) pairs to index, `id` first on every label, before any MERGE."""
        out = [(label, "id") for label in UNIQUE_ID_LABELS]
        out += [(CHUNK_LABEL, "doc"), (EVIDENCE_LABEL, "doc"), (EVIDENCE_LABEL, "edge")]
        out += [(label, "id") for label in self.labels]
        for label, props in sorted(self.indexed_properties.items()):
            out += [(label, p) for p in props if p != "id"]
        return out

    def is_a(self, label: str, ancestor: str) -> bool:
        return label == ancestor or ancestor in self.parents.get(label, ())

    def require_label(self, label: str) -> None:
        """Raise :class:`OntologyError` naming close matches when ``label`` is not an ontology class."""
        if label not in self.labels:
            raise OntologyError(
                f"Unknown node label {label!r}: not a class of the ontology {self.ontology_iri}."
                f"{_suggest(label, self.labels)} Known labels: {', '.join(self.labels)}."
            )

    def require_relation(self, rel_type: str) -> None:
        """Raise :class:`OntologyError` naming close matches when ``rel_type`` is not an ontology relation."""
        if rel_type not in self.relations:
            raise OntologyError(
                f"Unknown relationship type {rel_type!r}: not an object property of the ontology."
                f"{_suggest(rel_type, tuple(self.relations))} "
                f"Known types: {', '.join(self.relationship_types)}."
            )

    def check_fact(self, subject_label: str, rel_type: str, object_label: str) -> str | None:
        """Return None when the ontology allows the fact, else a line that says why not.

        Raises:
            OntologyError: a label or the relationship type is unknown (a different problem from a
                domain/range violation: the fact cannot even be stated in this ontology).
        """
        if rel_type == MENTIONED_IN:
            raise OntologyError(
                f"{MENTIONED_IN} links are written by the store from each fact's evidence; do not state them."
            )
        self.require_label(subject_label)
        self.require_label(object_label)
        self.require_relation(rel_type)
        rule = self.relations[rel_type]
        if (subject_label, object_label) in rule.pairs:
            return None
        subjects = sorted({s for s, _ in rule.pairs})
        objects = sorted({o for s, o in rule.pairs if s == subject_label})
        if subject_label not in subjects:
            why = f"{rel_type} ({rule.name}) needs a subject of class {_short(subjects)}"
        else:
            why = (
                f"with subject class {subject_label}, {rel_type} ({rule.name}) needs an object of class "
                f"{_short(objects)}"
            )
        return f"{subject_label} -{rel_type}-> {object_label}: {why}"

    def violations(self, batch: FactBatch) -> list[str]:
        """Check every node label and every edge of ``batch``; one line per problem (empty = all good)."""
        labels = {n.id: n.label for n in batch.nodes}
        for label in sorted(set(labels.values())):
            self.require_label(label)
        problems = []
        for e in batch.edges:
            why = self.check_fact(labels[e.source], e.type, labels[e.target])
            if why:
                problems.append(f"({e.source})-[:{e.type}]->({e.target}) rejected: {why}")
        return problems


def _suggest(word: str, options: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(word, options, n=3, cutoff=0.5)
    close += [o for o in options if o.lower() == word.lower() and o not in close]
    return f" Did you mean {' or '.join(repr(c) for c in close)}?" if close else ""


def _short(items: list[str], n: int = 8) -> str:
    return " | ".join(items[:n]) + (" | ..." if len(items) > n else "")
