"""Read RDF instance data of the ontology back into facts (the inverse of :mod:`kg.interchange.rdf_export`).

A :class:`RdfReader` walks one rdflib graph: subjects typed with an ontology class become nodes, subjects
typed ``mfg:Document`` become documents, direct triples over the ontology's object properties become
relationships, and reified ``rdf:Statement`` nodes give those relationships their provenance. Whatever
it cannot place (unknown classes and predicates, malformed evidence, dangling edges) becomes one line of
:attr:`RdfReader.problems`, each naming the IRI concerned.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS, SKOS
from rdflib.term import Node

from kg.core.facts import DocumentInfo, EdgeFact, Evidence, NodeFact, PropertyValue, Scalar
from kg.interchange.rdf_terms import (
    CONFIDENCE,
    EVIDENCE,
    FIRST_SEEN,
    LAST_SEEN,
    OntologyTerms,
    from_literal,
    iri_to_id,
)

IMPORT_EXTRACTOR = "rdf-import"
#: Vocabulary declarations (the provenance terms an export declares, an owl:Ontology header) are not data.
_META = (str(RDF), str(RDFS), str(OWL))
_NAMES = (RDFS.label, SKOS.prefLabel)
_IGNORED = frozenset({RDF.type, FIRST_SEEN, LAST_SEEN, RDF.subject, RDF.predicate, RDF.object})


@dataclass
class Fields:
    """What one subject says about itself, sorted by meaning."""

    names: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    confidence: float | None = None
    props: dict[str, list[Scalar]] = field(default_factory=lambda: defaultdict(list))


class RdfReader:
    """Turns one RDF graph into node, edge and document facts, collecting problems instead of raising.

    Example:
        >>> reader = RdfReader(graph, OntologyTerms.of(onto), source_name="a.ttl")  # doctest: +SKIP
        >>> nodes, ids = reader.nodes()                                          # doctest: +SKIP
    """

    def __init__(self, graph: Graph, terms: OntologyTerms, *, source_name: str):
        self.graph = graph
        self.terms = terms
        self.fallback_doc = "rdf:" + source_name.replace("|", "_")
        self.problems: list[str] = []
        self.labels: dict[URIRef, str] = {}
        self.documents: set[Node] = set()
        self.statements: set[Node] = set()
        self._classify()

    # -- subjects ---------------------------------------------------------------------------------
    def _classify(self) -> None:
        by_iri: dict[Node, str] = {iri: label for label, iri in self.terms.label_iris.items()}
        found: dict[URIRef, list[str]] = defaultdict(list)
        for subject, kind in sorted(self.graph.subject_objects(RDF.type), key=str):
            if kind == RDF.Statement:
                self.statements.add(subject)
            elif kind == self.terms.document:
                self.documents.add(subject)
            elif kind in by_iri and isinstance(subject, URIRef):
                found[subject].append(by_iri[kind])
            elif not str(kind).startswith(_META):
                self.problems.append(f"unknown class <{kind}> (on <{subject}>)")
        for subject, labels in found.items():
            exact = iri_to_id(subject) or ""
            self.labels[subject] = next((x for x in labels if exact.startswith(f"{x}:")), labels[0])
        typed = set(self.graph.subjects(RDF.type))
        for subject in sorted({s for s in self.graph.subjects() if s not in typed}, key=str):
            if isinstance(subject, URIRef) and iri_to_id(subject) is not None:
                self.problems.append(f"<{subject}> has no rdf:type; type it with an ontology class")

    def fields(self, subject: Node) -> Fields:
        """Read every triple of ``subject``; predicates outside the ontology become problems."""
        out = Fields()
        for predicate, obj in sorted(self.graph.predicate_objects(subject), key=str):
            if predicate in _IGNORED or predicate in self.terms.relations_by_iri:
                continue  # relations are read as edges, times are the store's own
            if not self._field(out, subject, predicate, obj):
                self.problems.append(f"unknown predicate <{predicate}> (on <{subject}>)")
        return out

    def _field(self, out: Fields, subject: Node, predicate: Node, obj: Node) -> bool:
        if predicate in _NAMES or predicate == self.terms.name_iri:
            out.names.append(str(obj))
        elif predicate == SKOS.altLabel:
            out.aliases.append(str(obj))
        elif predicate in (self.terms.mentioned_in, PROV.wasDerivedFrom) and isinstance(obj, URIRef):
            out.sources.append(iri_to_id(obj) or str(obj))
        elif predicate == EVIDENCE:
            self._evidence(out, subject, str(obj))
        elif predicate == CONFIDENCE and isinstance(obj, Literal):
            value = from_literal(obj)
            out.confidence = float(value) if isinstance(value, int | float) else None
        elif isinstance(predicate, URIRef) and isinstance(obj, Literal):
            name = self.terms.property_name(predicate)
            if name is None:
                return False
            out.props[name].append(from_literal(obj))
        else:
            return False
        return True

    def _evidence(self, out: Fields, subject: Node, key: str) -> None:
        try:
            out.evidence.append(Evidence.from_key(key))
        except ValueError as e:
            self.problems.append(
                f"malformed mfg:evidence {key!r} (on <{subject}>): "
                f"expected 'doc|start|end|extractor|confidence' ({e})"
            )

    # -- facts ------------------------------------------------------------------------------------
    def evidence(self, found: Fields) -> list[Evidence]:
        """The evidence stated, plus a stand-in per source document without any, else one for the file."""
        conf = found.confidence if found.confidence is not None and 0.0 <= found.confidence <= 1.0 else 1.0
        out = list(dict.fromkeys(found.evidence))
        covered = {ev.doc_id for ev in out}
        for doc in dict.fromkeys(found.sources):
            if doc not in covered and "|" not in doc:
                out.append(Evidence(doc_id=doc, start=0, end=0, extractor=IMPORT_EXTRACTOR, confidence=conf))
        if not out:
            out.append(
                Evidence(
                    doc_id=self.fallback_doc, start=0, end=0, extractor=IMPORT_EXTRACTOR, confidence=conf
                )
            )
        return out

    def properties(self, subject: Node, found: Fields) -> dict[str, PropertyValue]:
        """One value stays a scalar; several become a sorted list (RDF values have no order)."""
        out: dict[str, Any] = {}
        for name, values in found.props.items():
            if len({type(v) for v in values}) > 1:
                self.problems.append(f"property {name} of <{subject}> mixes value types {values!r}; skipped")
                continue
            out[name] = values[0] if len(values) == 1 else sorted(values)
        return out

    def nodes(self) -> tuple[list[NodeFact], dict[Node, str]]:
        """Node facts (one per name and alias) and the node id of each subject."""
        facts: list[NodeFact] = []
        ids: dict[Node, str] = {}
        for subject, label in sorted(self.labels.items()):
            made = self._node(subject, label)
            if made:
                facts += made
                ids[subject] = made[0].id
        return facts, ids

    def _node(self, subject: URIRef, label: str) -> list[NodeFact]:
        found = self.fields(subject)
        exact = iri_to_id(subject)  # kept as is: the id the exported graph had
        names = found.names or ([exact.split(":", 1)[-1]] if exact else [])
        if not names:
            self.problems.append(f"<{subject}> has no rdfs:label and no data IRI to name it by; skipped")
            return []
        name, evidence, props = sorted(names)[0], self.evidence(found), self.properties(subject, found)
        try:
            first = NodeFact(label=label, name=name, properties=props, evidence=evidence, canonical_id=exact)
            aliases = [
                NodeFact(label=label, name=alias, evidence=evidence, canonical_id=first.id)
                for alias in sorted(set(found.aliases) - {name})
            ]
        except ValueError as e:
            self.problems.append(f"<{subject}> is not a valid {label}: {e}; skipped")
            return []
        return [first, *aliases]

    def document_facts(self) -> list[DocumentInfo]:
        """One DocumentInfo per ``mfg:Document`` subject."""
        out = []
        for subject in sorted(self.documents, key=str):
            found = self.fields(subject)
            doc_id = iri_to_id(subject) if isinstance(subject, URIRef) else None
            try:
                out.append(
                    DocumentInfo(id=doc_id or str(subject), properties=self.properties(subject, found))
                )
            except ValueError as e:
                self.problems.append(f"document <{subject}> is not valid: {e}; skipped")
        return out

    def edges(self, ids: Mapping[Node, str]) -> list[EdgeFact]:
        """Relationships from direct triples, with the provenance of their reified statements."""
        reified = self._reified()
        out = []
        for predicate, (rel_type, reverse) in sorted(self.terms.relations_by_iri.items()):
            for subject, obj in sorted(self.graph.subject_objects(predicate), key=str):
                found = reified.pop((subject, predicate, obj), None) or Fields()
                start, end, where = ids.get(subject), ids.get(obj), f"<{subject}> <{predicate}> <{obj}>"
                if start is None or end is None:
                    self.problems.append(
                        f"{where}: both ends must be nodes typed with an ontology class; skipped"
                    )
                    continue
                source, target = (end, start) if reverse else (start, end)
                try:
                    props, evidence = self.properties(subject, found), self.evidence(found)
                    out.append(
                        EdgeFact(
                            source=source, type=rel_type, target=target, properties=props, evidence=evidence
                        )
                    )
                except ValueError as e:
                    self.problems.append(f"{where} is not a valid relationship: {e}; skipped")
        self.problems += [
            f"reified statement about <{s}> <{p}> <{o}> has no direct triple; skipped" for s, p, o in reified
        ]
        return out

    def _reified(self) -> dict[tuple[Node, Node, Node], Fields]:
        out = {}
        for statement in sorted(self.statements, key=str):
            parts = tuple(self.graph.value(statement, p) for p in (RDF.subject, RDF.predicate, RDF.object))
            if None in parts:
                self.problems.append(
                    f"reified statement <{statement}> lacks rdf:subject/predicate/object; skipped"
                )
                continue
            out[parts] = self.fields(statement)
        return out  # type: ignore[return-value]
