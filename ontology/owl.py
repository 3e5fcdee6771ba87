"""Turn the OWL graph into plain records: classes, object properties, datatype properties."""

from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from kg.core.errors import OntologyError
from ontology._vocab import (
    ALIGNMENT_PREDICATES,
    CLOSE_MATCH_PREDICATES,
    MFG,
    camel_to_snake,
    camel_to_upper_snake,
    flag,
    iris,
    is_mfg,
    local_name,
    text,
    texts,
)
from ontology.axioms import ancestors, class_expression
from ontology.records import DatatypeProperty, OntologyClass, OntologyRelation


def _declared(graph: Graph, kind: URIRef) -> list[URIRef]:
    """``mfg:`` terms typed ``kind``, sorted by IRI."""
    return sorted(s for s in graph.subjects(RDF.type, kind) if isinstance(s, URIRef) and is_mfg(s))


def _names(graph: Graph, prop: URIRef, predicate: URIRef) -> tuple[str, ...]:
    """Class local names named by ``rdfs:domain``/``rdfs:range`` of ``prop`` (unions flattened, sorted)."""
    where = f"rdfs:{local_name(predicate)} of {local_name(prop)}"
    out: set[str] = set()
    for node in graph.objects(prop, predicate):
        if isinstance(node, URIRef) and not is_mfg(node):
            continue  # an XSD datatype range, or a foreign class kept for documentation
        out |= class_expression(graph, node, where)
    return tuple(sorted(out))


def read_classes(graph: Graph) -> list[OntologyClass]:
    """Every ``owl:Class`` in the ``mfg:`` namespace, sorted by label."""
    out = []
    for cls in _declared(graph, OWL.Class):
        name = local_name(cls)
        out.append(
            OntologyClass(
                label=name,
                iri=str(cls),
                pref_label=text(graph, cls, RDFS.label) or text(graph, cls, SKOS.prefLabel) or name,
                alt_labels=texts(graph, cls, SKOS.altLabel),
                definition=text(graph, cls, SKOS.definition) or "",
                parents=ancestors(graph, cls),
                close_matches=iris(graph, cls, CLOSE_MATCH_PREDICATES),
                alignments=iris(graph, cls, ALIGNMENT_PREDICATES),
                abstract=flag(graph, cls, MFG.abstract),
                store_managed=flag(graph, cls, MFG.storeManaged),
            )
        )
    return sorted(out, key=lambda c: c.label)


def _inverse(graph: Graph, prop: URIRef) -> str | None:
    """Local name of the property declared ``owl:inverseOf`` ``prop``, in either direction."""
    found = [o for o in graph.objects(prop, OWL.inverseOf) if isinstance(o, URIRef)]
    found += [s for s in graph.subjects(OWL.inverseOf, prop) if isinstance(s, URIRef)]
    return local_name(found[0]) if found else None


def read_relations(graph: Graph) -> list[OntologyRelation]:
    """Every ``owl:ObjectProperty`` in the ``mfg:`` namespace, sorted by name.

    The graph type is the ``mfg:graphType`` annotation when present, else the local name in UPPER_SNAKE.
    """
    out = []
    for prop in _declared(graph, OWL.ObjectProperty):
        name = local_name(prop)
        stored_as = graph.value(prop, MFG.storedAs)
        out.append(
            OntologyRelation(
                name=name,
                graph_type=text(graph, prop, MFG.graphType) or camel_to_upper_snake(name),
                iri=str(prop),
                label=text(graph, prop, RDFS.label) or name,
                definition=text(graph, prop, SKOS.definition) or "",
                domain=_names(graph, prop, RDFS.domain),
                range=_names(graph, prop, RDFS.range),
                symmetric=(prop, RDF.type, OWL.SymmetricProperty) in graph,
                inverse=_inverse(graph, prop),
                stored_as=local_name(stored_as) if isinstance(stored_as, URIRef) else None,
                store_managed=flag(graph, prop, MFG.storeManaged),
                alignments=iris(graph, prop, ALIGNMENT_PREDICATES),
            )
        )
    return sorted(out, key=lambda r: r.name)


def _xsd_range(graph: Graph, prop: URIRef) -> str | None:
    ranges = [r for r in graph.objects(prop, RDFS.range) if isinstance(r, URIRef) and not is_mfg(r)]
    return local_name(ranges[0]) if ranges else None


def read_datatype_properties(graph: Graph) -> list[DatatypeProperty]:
    """Every ``owl:DatatypeProperty`` in the ``mfg:`` namespace, sorted by name.

    The graph name is the ``mfg:graphName`` annotation when present, else the local name in snake_case.
    """
    out = []
    for prop in _declared(graph, OWL.DatatypeProperty):
        name = local_name(prop)
        indexed = graph.objects(prop, MFG.indexedOn)
        out.append(
            DatatypeProperty(
                name=name,
                graph_name=text(graph, prop, MFG.graphName) or camel_to_snake(name),
                iri=str(prop),
                label=text(graph, prop, RDFS.label) or name,
                definition=text(graph, prop, SKOS.definition) or "",
                domain=_names(graph, prop, RDFS.domain),
                range=_xsd_range(graph, prop),
                indexed_on=tuple(sorted(local_name(c) for c in indexed if isinstance(c, URIRef))),
                full_text=flag(graph, prop, MFG.fullTextIndexed),
                alignments=iris(graph, prop, ALIGNMENT_PREDICATES),
            )
        )
    return sorted(out, key=lambda p: p.name)


def read_header(graph: Graph, source: str) -> tuple[str, str]:
    """The ontology IRI and its ``owl:versionInfo``.

    Raises:
        OntologyError: the file declares no ``owl:Ontology``, several, or no version.
    """
    headers = [s for s in graph.subjects(RDF.type, OWL.Ontology) if isinstance(s, URIRef)]
    if len(headers) != 1:
        raise OntologyError(
            f"{source} declares {len(headers)} owl:Ontology resources; it needs exactly one, e.g. "
            "'<https://w3id.org/mfg-kg/ontology> a owl:Ontology ; owl:versionInfo \"0.1.0\" .'"
        )
    version = text(graph, headers[0], OWL.versionInfo)
    if not version:
        raise OntologyError(
            f'{source}: the ontology {headers[0]} has no owl:versionInfo; add one, e.g. "0.1.0".'
        )
    return str(headers[0]), version
