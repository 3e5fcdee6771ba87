"""Namespaces, file locations and small naming helpers shared by the ontology modules."""

from __future__ import annotations

import re
from pathlib import Path

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDFS, SKOS
from rdflib.term import Node

MFG = Namespace("https://w3id.org/mfg-kg/ontology#")
ISO_14224 = URIRef("https://www.iso.org/standard/64076.html")

PACKAGE_DIR = Path(__file__).resolve().parent
DEFAULT_ONTOLOGY = PACKAGE_DIR / "manufacturing.ttl"
DEFAULT_FAILURE_MODES = PACKAGE_DIR / "failure_modes.ttl"

#: Predicates that align a term of ours with a term of a public vocabulary or standard.
ALIGNMENT_PREDICATES = (
    SKOS.exactMatch,
    SKOS.closeMatch,
    SKOS.broadMatch,
    SKOS.narrowMatch,
    SKOS.relatedMatch,
    RDFS.seeAlso,
)
CLOSE_MATCH_PREDICATES = (SKOS.exactMatch, SKOS.closeMatch)

_CAMEL_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def is_mfg(node: Node) -> bool:
    """True for IRIs in the ``mfg:`` namespace."""
    return isinstance(node, URIRef) and str(node).startswith(str(MFG))


def local_name(node: Node) -> str:
    """The part of an IRI after the last ``#`` or ``/`` (``mfg:hasPart`` -> ``hasPart``)."""
    text = str(node)
    return re.split(r"[#/]", text.rstrip("/#"))[-1]


def camel_to_snake(name: str) -> str:
    """``partNumber`` -> ``part_number``."""
    return _CAMEL_BOUNDARY.sub("_", name).lower()


def camel_to_upper_snake(name: str) -> str:
    """``hasFailureMode`` -> ``HAS_FAILURE_MODE`` (the default graph type of an object property)."""
    return camel_to_snake(name).upper()


def text(graph: Graph, subject: Node, predicate: URIRef) -> str | None:
    """One literal value of ``predicate``, preferring English, then untagged, then any language."""
    values = [o for o in graph.objects(subject, predicate) if isinstance(o, Literal)]
    for wanted in ("en", None):
        for value in sorted(values, key=str):
            lang = value.language.split("-")[0].lower() if value.language else None
            if lang == wanted:
                return str(value)
    return str(sorted(values, key=str)[0]) if values else None


def texts(graph: Graph, subject: Node, predicate: URIRef) -> tuple[str, ...]:
    """Every literal value of ``predicate`` (English or untagged), sorted, without duplicates."""
    out = {
        str(o)
        for o in graph.objects(subject, predicate)
        if isinstance(o, Literal) and (not o.language or o.language.lower().startswith("en"))
    }
    return tuple(sorted(out))


def flag(graph: Graph, subject: Node, predicate: URIRef) -> bool:
    """True when ``predicate`` has a true boolean literal on ``subject``."""
    return any(isinstance(o, Literal) and o.toPython() is True for o in graph.objects(subject, predicate))


def iris(graph: Graph, subject: Node, predicates: tuple[URIRef, ...]) -> tuple[str, ...]:
    """IRIs that ``subject`` points at through any of ``predicates``, sorted, without duplicates."""
    return tuple(
        sorted({str(o) for p in predicates for o in graph.objects(subject, p) if isinstance(o, URIRef)})
    )
