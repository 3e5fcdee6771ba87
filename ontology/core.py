"""The :class:`Ontology`: the OWL graph plus the views the rest of mfg-kg needs (graph schema, lookups)."""

from __future__ import annotations

import difflib
import functools
import re

from rdflib import Graph, URIRef

from kg.core.errors import OntologyError
from kg.core.graph_schema import GraphSchema, RelationRule
from ontology.axioms import ClosedWorld, PropertyAxioms, property_axioms
from ontology.failure_modes import FailureModeIndex, read_failure_modes
from ontology.owl import read_classes, read_datatype_properties, read_header, read_relations
from ontology.records import DatatypeProperty, FailureModeCode, OntologyClass, OntologyRelation

_GRAPH_TYPE = re.compile(r"^[A-Z][A-Z0-9_]*$")


class Ontology:
    """The manufacturing ontology, loaded: classes, relations, failure-mode codes and the graph schema.

    Use :func:`ontology.load_ontology` to get one. The rdflib graphs are exposed for SPARQL and export;
    treat them as read-only, because the derived views are computed once and cached.

    Example:
        >>> from ontology import load_ontology
        >>> onto = load_ontology()
        >>> onto.check("Part", "suppliedBy", "Manufacturer") is None
        True
        >>> onto.check("Equipment", "SUPPLIED_BY", "Part")  # doctest: +ELLIPSIS
        'Equipment -SUPPLIED_BY-> Part: ...'
    """

    def __init__(
        self,
        graph: Graph,
        failure_mode_graph: Graph,
        *,
        source: str = "<memory>",
        failure_mode_source: str = "<memory>",
    ):
        self.graph = graph
        self.failure_mode_graph = failure_mode_graph
        self.source = source
        self.failure_mode_source = failure_mode_source
        self.iri, self.version = read_header(graph, source)

    def __repr__(self) -> str:
        return f"Ontology({self.iri!r}, version={self.version!r}, source={self.source!r})"

    @functools.cached_property
    def _classes(self) -> tuple[OntologyClass, ...]:
        return tuple(read_classes(self.graph))

    @functools.cached_property
    def _relations(self) -> tuple[OntologyRelation, ...]:
        return tuple(read_relations(self.graph))

    @functools.cached_property
    def _datatype_properties(self) -> tuple[DatatypeProperty, ...]:
        return tuple(read_datatype_properties(self.graph))

    @functools.cached_property
    def _failure_modes(self) -> tuple[FailureModeCode, ...]:
        return tuple(read_failure_modes(self.failure_mode_graph, self.failure_mode_source))

    @functools.cached_property
    def _failure_mode_index(self) -> FailureModeIndex:
        return FailureModeIndex(self._failure_modes)

    def classes(self) -> list[OntologyClass]:
        """Every class, abstract root and Document included, sorted by label."""
        return list(self._classes)

    def relations(self) -> list[OntologyRelation]:
        """Every object property, store-managed and documentation-only ones included, sorted by name."""
        return list(self._relations)

    def datatype_properties(self) -> list[DatatypeProperty]:
        """Every datatype property, sorted by name."""
        return list(self._datatype_properties)

    def failure_modes(self) -> list[FailureModeCode]:
        """Every failure-mode code, sorted by code."""
        return list(self._failure_modes)

    def find_failure_mode(self, code_or_label: str) -> FailureModeCode | None:
        """The failure mode with this code, preferred or alternative label (case-insensitive), else None."""
        return self._failure_mode_index.find(code_or_label)

    def relation(self, name_or_type: str) -> OntologyRelation:
        """Look a relation up by property local name (``hasPart``) or graph type (``HAS_PART``).

        Raises:
            OntologyError: no such relation; the message suggests close matches.
        """
        for rel in self._relations:
            if name_or_type in (rel.name, rel.graph_type):
                return rel
        known = [r.name for r in self._relations] + [r.graph_type for r in self._relations]
        close = difflib.get_close_matches(name_or_type, known, n=3, cutoff=0.5)
        close += [k for k in known if k.lower() == name_or_type.lower() and k not in close]
        hint = f" Did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
        listing = ", ".join(f"{r.graph_type} ({r.name})" for r in self._relations)
        raise OntologyError(
            f"Unknown relation {name_or_type!r}: neither an object property nor a relationship type of "
            f"{self.iri}.{hint} Known relations: {listing}."
        )

    def graph_schema(self) -> GraphSchema:
        """The graph schema derived from this ontology (computed once).

        Raises:
            OntologyError: the ontology cannot be turned into a usable schema (bad graph type, duplicate
                types, a relation no pair of labels satisfies, an unsupported class expression).
        """
        return self._schema

    @functools.cached_property
    def _schema(self) -> GraphSchema:
        by_label = {c.label: c for c in self._classes}
        labels = tuple(sorted(c.label for c in self._classes if not c.abstract and not c.store_managed))
        world = ClosedWorld({c.label: c.parents for c in self._classes})
        relations: dict[str, RelationRule] = {}
        for rel in self._relations:
            if rel.store_managed or rel.stored_as:
                continue
            rule = self._rule(rel, labels, world)
            if rule.type in relations:
                raise OntologyError(
                    f"{self.source}: {rel.name} and {relations[rule.type].name} share the graph type "
                    f"{rule.type}; give one of them a different mfg:graphType."
                )
            relations[rule.type] = rule
        indexed: dict[str, list[str]] = {}
        for prop in self._datatype_properties:
            for label in prop.indexed_on:
                indexed.setdefault(label, []).append(prop.graph_name)
        return GraphSchema(
            ontology_iri=self.iri,
            version=self.version,
            labels=labels,
            label_iris={label: by_label[label].iri for label in labels},
            relations=relations,
            parents={label: tuple(p for p in by_label[label].parents if p in labels) for label in labels},
            indexed_properties={label: tuple(sorted(props)) for label, props in sorted(indexed.items())},
            fulltext_properties=tuple(sorted(p.graph_name for p in self._datatype_properties if p.full_text)),
        )

    def _axioms(self, rel: OntologyRelation) -> PropertyAxioms:
        return property_axioms(self.graph, URIRef(rel.iri))

    def _rule(self, rel: OntologyRelation, labels: tuple[str, ...], world: ClosedWorld) -> RelationRule:
        if not _GRAPH_TYPE.match(rel.graph_type):
            raise OntologyError(
                f"{self.source}: mfg:graphType {rel.graph_type!r} of {rel.name} is not UPPER_SNAKE_CASE; "
                "use e.g. 'HAS_PART'."
            )
        inverse = self.relation(rel.inverse) if rel.inverse else None
        pairs = world.pairs(
            labels,
            self._axioms(rel),
            symmetric=rel.symmetric,
            inverse=self._axioms(inverse) if inverse else None,
        )
        if not pairs:
            raise OntologyError(
                f"{self.source}: no pair of classes satisfies the domain, range and restrictions of "
                f"{rel.name}; check its rdfs:domain / rdfs:range and owl:allValuesFrom axioms."
            )
        return RelationRule(
            type=rel.graph_type,
            name=rel.name,
            iri=rel.iri,
            pairs=pairs,
            symmetric=rel.symmetric,
            inverse=inverse.graph_type if inverse else None,
        )

    def check(self, subject_label: str, relation: str, object_label: str) -> str | None:
        """None when the ontology allows the fact, else a line that says why not.

        ``relation`` may be a graph type (``HAS_PART``) or a property local name (``hasPart``). A property
        the graph stores reversed (``supplies``) is checked as its stored form (``Part SUPPLIED_BY ...``).

        Raises:
            OntologyError: unknown label or relation, or a store-managed relation (``MENTIONED_IN``).
        """
        rel = self.relation(relation)
        schema = self.graph_schema()
        if rel.store_managed:
            raise OntologyError(
                f"{rel.graph_type} ({rel.name}) is written by the store itself and cannot be stated as a "
                "fact; the store links every entity to the documents its evidence cites."
            )
        if rel.stored_as:
            stored = self.relation(rel.stored_as)
            why = schema.check_fact(object_label, stored.graph_type, subject_label)
            if why is None:
                return None
            return (
                f"{subject_label} -{rel.graph_type}-> {object_label} is stored as {object_label} "
                f"-{stored.graph_type}-> {subject_label}, which is not allowed: {why}"
            )
        return schema.check_fact(subject_label, rel.graph_type, object_label)
