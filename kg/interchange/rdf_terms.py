"""IRIs shared by the RDF export and import: namespaces, the ontology's terms by graph name, literals.

Every node becomes ``data:<quote(id)>``; its class, relations and datatype properties use the ontology's
own IRIs, so an export reads as instance data of ``manufacturing.ttl``. Provenance terms the ontology does
not declare (yet) live in its namespace too and are declared in every export (:data:`PROVENANCE_TERMS`).

Example:
    >>> node_iri("Equipment:p-101 feed pump")
    rdflib.term.URIRef('https://w3id.org/mfg-kg/data/Equipment%3Ap-101%20feed%20pump')
    >>> iri_to_id(node_iri("Equipment:p-101 feed pump"))
    'Equipment:p-101 feed pump'
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal
from urllib.parse import quote, unquote

from rdflib import Literal as RdfLiteral
from rdflib import Namespace, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS, SKOS, XSD

from kg.core.errors import BadInputError
from kg.core.facts import DOCUMENT_LABEL, MENTIONED_IN, Scalar
from ontology import MFG, Ontology

DATA = Namespace("https://w3id.org/mfg-kg/data/")
#: Domain properties the ontology does not declare.
PROP = Namespace("https://w3id.org/mfg-kg/property#")
#: Node labels the ontology does not declare (never written by a healthy store; import rejects them).
CLASS = Namespace("https://w3id.org/mfg-kg/class#")

EVIDENCE = MFG.evidence
CONFIDENCE = MFG.confidence
FIRST_SEEN = MFG.firstSeen
LAST_SEEN = MFG.lastSeen
#: Provenance terms missing from manufacturing.ttl: (IRI, rdfs:range, definition), declared in each export.
PROVENANCE_TERMS = (
    (EVIDENCE, XSD.string, "One piece of evidence for a fact: 'doc|start|end|extractor|confidence'."),
    (CONFIDENCE, XSD.double, "Highest confidence among a fact's evidence, 0 to 1."),
    (FIRST_SEEN, XSD.dateTime, "When the graph first recorded the fact (UTC)."),
    (LAST_SEEN, XSD.dateTime, "When the fact last received new evidence (UTC)."),
)
PREFIXES = {
    "mfg": MFG,
    "data": DATA,
    "prop": PROP,
    "prov": PROV,
    "skos": SKOS,
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
}

RdfFormat = Literal["turtle", "json-ld"]
_SUFFIX_FORMATS: dict[str, RdfFormat] = {".ttl": "turtle", ".jsonld": "json-ld", ".json-ld": "json-ld"}


def node_iri(node_id: str) -> URIRef:
    """The data IRI of a node (entity or document) with application id ``node_id``."""
    return DATA[quote(node_id, safe="")]


def iri_to_id(iri: URIRef) -> str | None:
    """The application id encoded in a data IRI, or None for an IRI outside the data namespace."""
    text = str(iri)
    return unquote(text[len(DATA) :]) if text.startswith(str(DATA)) and len(text) > len(DATA) else None


def rdf_format(path: Path, fmt: RdfFormat | None) -> RdfFormat:
    """``fmt`` if given, else the format the file extension names.

    Raises:
        BadInputError: no format given and the extension is not .ttl, .jsonld or .json-ld.
    """
    if fmt is not None:
        if fmt not in ("turtle", "json-ld"):
            raise BadInputError(f"Unknown RDF format {fmt!r} for {path.name}; use 'turtle' or 'json-ld'.")
        return fmt
    found = _SUFFIX_FORMATS.get(path.suffix.lower())
    if found is None:
        raise BadInputError(
            f"Cannot tell the RDF format of {path.name} from its extension {path.suffix!r}: name it "
            ".ttl, .jsonld or .json-ld, or pass the format ('turtle' or 'json-ld')."
        )
    return found


def to_literal(value: Scalar) -> RdfLiteral:
    """A typed literal: xsd:boolean, xsd:integer, xsd:double or a plain string."""
    if isinstance(value, bool):
        return RdfLiteral(value, datatype=XSD.boolean)
    if isinstance(value, int):
        return RdfLiteral(value, datatype=XSD.integer)
    if isinstance(value, float):
        return RdfLiteral(value, datatype=XSD.double)
    return RdfLiteral(str(value))


def from_literal(value: RdfLiteral) -> Scalar:
    """The Python scalar of a literal; anything that is not bool/int/float comes back as its text."""
    py: Any = value.toPython()
    if isinstance(py, bool | int | float):
        return py
    if isinstance(py, Decimal):
        return float(py)
    return str(value)


@dataclass(frozen=True)
class OntologyTerms:
    """The ontology's IRIs for node labels, relationship types and property names, in both directions."""

    label_iris: dict[str, URIRef]
    document: URIRef
    mentioned_in: URIRef
    #: graph type -> object property IRI (relations the graph stores)
    relation_iris: dict[str, URIRef]
    #: object property IRI -> (graph type, stored reversed?), stored-reversed inverses included
    relations_by_iri: dict[URIRef, tuple[str, bool]]
    #: snake_case graph name -> datatype property IRI (``name`` excluded: it is rdfs:label)
    property_iris: dict[str, URIRef]
    property_names: dict[URIRef, str]
    #: the ontology's datatype property for ``name`` (exports use rdfs:label; imports accept both)
    name_iri: URIRef

    @classmethod
    def of(cls, ontology: Ontology) -> OntologyTerms:
        """Collect the terms of ``ontology``."""
        schema = ontology.graph_schema()
        by_name = {r.name: r for r in ontology.relations()}
        by_iri: dict[URIRef, tuple[str, bool]] = {
            URIRef(r.iri): (t, False) for t, r in schema.relations.items()
        }
        for rel in by_name.values():
            stored = by_name.get(rel.stored_as) if rel.stored_as else None
            if stored is not None and stored.graph_type in schema.relations:
                by_iri[URIRef(rel.iri)] = (stored.graph_type, True)
        classes = {c.label: c for c in ontology.classes()}
        mentioned = next((r for r in by_name.values() if r.graph_type == MENTIONED_IN), None)
        props = {
            p.graph_name: URIRef(p.iri) for p in ontology.datatype_properties() if p.graph_name != "name"
        }
        return cls(
            label_iris={label: URIRef(iri) for label, iri in schema.label_iris.items()},
            document=URIRef(classes[DOCUMENT_LABEL].iri) if DOCUMENT_LABEL in classes else MFG.Document,
            mentioned_in=URIRef(mentioned.iri) if mentioned else MFG.mentionedIn,
            relation_iris={t: URIRef(r.iri) for t, r in schema.relations.items()},
            relations_by_iri=by_iri,
            property_iris=props,
            property_names={iri: name for name, iri in props.items()},
            name_iri=next(
                (URIRef(p.iri) for p in ontology.datatype_properties() if p.graph_name == "name"), MFG.name
            ),
        )

    def property_iri(self, name: str) -> URIRef:
        """The ontology's datatype property for graph key ``name``, else ``prop:<name>``."""
        return self.property_iris.get(name) or PROP[name]

    def property_name(self, iri: URIRef) -> str | None:
        """The graph key a property IRI stands for, or None when it is neither declared nor ``prop:``."""
        if iri in self.property_names:
            return self.property_names[iri]
        text = str(iri)
        if text.startswith(str(PROP)) and text[len(PROP) :].isidentifier():
            return text[len(PROP) :]
        return None
