"""Export the graph as RDF instance data of the ontology: Turtle or JSON-LD.

Each node is ``data:<quote(id)>`` typed with its ontology class; each domain relationship is both a direct
triple (so SPARQL over the export reads naturally) and a reified ``rdf:Statement`` carrying the
relationship's provenance (evidence, source documents, confidence, times) and properties.

Example:
    >>> triples = export_rdf(store, load_ontology(), Path("graph.ttl"))   # doctest: +SKIP
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS, SKOS, XSD

from kg.core.errors import BadInputError
from kg.core.facts import (
    CHUNK_LABEL,
    ENTITY_LABEL,
    EVIDENCE_LABEL,
    IN_CHUNK,
    MENTIONED_IN,
    PART_OF,
    RESERVED_PROPERTIES,
    GraphEdge,
    GraphNode,
)
from kg.interchange.nxgraph import is_document, iter_edges, iter_nodes
from kg.interchange.rdf_terms import (
    CLASS,
    CONFIDENCE,
    DATA,
    EVIDENCE,
    FIRST_SEEN,
    LAST_SEEN,
    PREFIXES,
    PROP,
    PROVENANCE_TERMS,
    OntologyTerms,
    RdfFormat,
    node_iri,
    rdf_format,
    to_literal,
)
from kg.store.base import GraphStore
from ontology import Ontology


def statement_iri(edge_id: str) -> URIRef:
    """IRI of the reified statement of a relationship (``/`` is never in a quoted node IRI: no clash)."""
    return DATA["stmt/" + quote(edge_id, safe="")]


def new_graph(ontology: Ontology) -> Graph:
    """An empty graph with the export prefixes bound and the provenance terms the ontology lacks declared."""
    graph = Graph(bind_namespaces="core")
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    for term, datatype, definition in PROVENANCE_TERMS:
        if (term, RDF.type, None) not in ontology.graph:
            graph.add((term, RDF.type, OWL.DatatypeProperty))
            graph.add((term, RDFS.range, datatype))
            graph.add((term, SKOS.definition, Literal(definition, lang="en")))
    return graph


def to_rdf(store: GraphStore, ontology: Ontology, *, page: int = 10_000) -> Graph:
    """Read the whole store into an rdflib graph that uses the ontology's IRIs.

    Raises:
        BadInputError: ``page`` is not a positive whole number.
    """
    terms = OntologyTerms.of(ontology)
    graph = new_graph(ontology)
    for node in iter_nodes(store, page=page):
        if CHUNK_LABEL in node.labels:
            continue  # passages of documents: derivable from the evidence spans, not ontology facts
        if EVIDENCE_LABEL in node.labels:  # one document's evidence for a relationship: on its statement
            _add_record(graph, node.properties)
        elif is_document(node):
            _add_document(graph, terms, node)
        else:
            _add_entity(graph, terms, node)
    for edge in iter_edges(store, page=page):
        if edge.type in (PART_OF, IN_CHUNK):
            continue
        if edge.type == MENTIONED_IN:  # a document mentions the entity, with its evidence for it
            subject = node_iri(str(edge.source))
            graph.add((subject, terms.mentioned_in, node_iri(str(edge.target))))
            for key in _as_list(edge.properties.get("evidence")):
                graph.add((subject, EVIDENCE, Literal(str(key))))
        else:
            _add_edge(graph, terms, edge)
    return graph


def serialize(graph: Graph, fmt: RdfFormat) -> str:
    """Turtle, or compact JSON-LD whose context is the export's prefixes."""
    if fmt == "turtle":
        return graph.serialize(format="turtle")
    context = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
    return graph.serialize(format="json-ld", context=context, auto_compact=True)


def export_rdf(store: GraphStore, ontology: Ontology, path: Path, fmt: RdfFormat | None = None) -> int:
    """Write the whole graph to ``path`` as Turtle or JSON-LD and return the number of triples.

    Args:
        store: the graph to export.
        ontology: supplies the class, relation and property IRIs.
        path: output file; its parent directory must exist.
        fmt: ``"turtle"`` or ``"json-ld"``; None picks it from the extension (.ttl, .jsonld, .json-ld).

    Raises:
        BadInputError: the format cannot be determined, or the file cannot be written.
    """
    path = Path(path)
    fmt = rdf_format(path, fmt)
    graph = to_rdf(store, ontology)
    text = serialize(graph, fmt)
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as e:
        raise BadInputError(f"Cannot write the RDF export to {path}: {e}. Check the directory exists.") from e
    return len(graph)


def _entity_class(terms: OntologyTerms, labels: list[str]) -> URIRef:
    for label in labels:
        if label in terms.label_iris:
            return terms.label_iris[label]
    own = [label for label in labels if label != ENTITY_LABEL]
    return CLASS[own[0] if own else ENTITY_LABEL]


def _add_entity(graph: Graph, terms: OntologyTerms, node: GraphNode) -> None:
    subject = node_iri(str(node.id))
    props = node.properties
    graph.add((subject, RDF.type, _entity_class(terms, node.labels)))
    if isinstance(props.get("name"), str):
        graph.add((subject, RDFS.label, Literal(props["name"])))
    for alias in _as_list(props.get("aliases")):
        if alias != props.get("name"):
            graph.add((subject, SKOS.altLabel, Literal(str(alias))))
    _add_provenance(graph, subject, props, terms.mentioned_in)
    _add_properties(graph, terms, subject, props)


def _add_document(graph: Graph, terms: OntologyTerms, node: GraphNode) -> None:
    subject = node_iri(str(node.id))
    graph.add((subject, RDF.type, terms.document))
    _add_provenance(graph, subject, node.properties, terms.mentioned_in)
    _add_properties(graph, terms, subject, node.properties)


def _add_edge(graph: Graph, terms: OntologyTerms, edge: GraphEdge) -> None:
    subject, obj = node_iri(str(edge.source)), node_iri(str(edge.target))
    predicate = terms.relation_iris.get(edge.type) or PROP[edge.type]
    graph.add((subject, predicate, obj))
    edge_id = edge.properties.get("id") or f"{edge.source}-{edge.type}->{edge.target}"
    statement = statement_iri(str(edge_id))
    graph.add((statement, RDF.type, RDF.Statement))
    graph.add((statement, RDF.subject, subject))
    graph.add((statement, RDF.predicate, predicate))
    graph.add((statement, RDF.object, obj))
    _add_provenance(graph, statement, edge.properties, PROV.wasDerivedFrom)
    _add_properties(graph, terms, statement, edge.properties)


def _add_record(graph: Graph, props: dict[str, Any]) -> None:
    """An Evidence record: its document and spans, stated on the relationship's rdf:Statement."""
    if not props.get("edge") or not props.get("doc"):
        return
    statement = statement_iri(str(props["edge"]))
    graph.add((statement, PROV.wasDerivedFrom, node_iri(str(props["doc"]))))
    for key in _as_list(props.get("evidence")):
        graph.add((statement, EVIDENCE, Literal(str(key))))


def _add_provenance(graph: Graph, subject: URIRef, props: dict[str, Any], source_predicate: URIRef) -> None:
    for doc in _as_list(props.get("sources")):
        graph.add((subject, source_predicate, node_iri(str(doc))))
    for key in _as_list(props.get("evidence")):
        graph.add((subject, EVIDENCE, Literal(str(key))))
    if isinstance(props.get("confidence"), int | float):
        graph.add((subject, CONFIDENCE, Literal(float(props["confidence"]), datatype=XSD.double)))
    for name, term in (("first_seen", FIRST_SEEN), ("last_seen", LAST_SEEN)):
        if props.get(name):
            graph.add((subject, term, Literal(str(props[name]), datatype=XSD.dateTime)))


def _add_properties(graph: Graph, terms: OntologyTerms, subject: URIRef, props: dict[str, Any]) -> None:
    for name, value in props.items():
        if name in RESERVED_PROPERTIES:
            continue
        predicate = terms.property_iri(name)
        for item in _as_list(value):
            graph.add((subject, predicate, to_literal(item)))


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]
