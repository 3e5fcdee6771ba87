"""The mfg-kg manufacturing ontology: OWL classes and relations, failure-mode codes, and the graph schema.

``manufacturing.ttl`` (OWL 2) and ``failure_modes.ttl`` (SKOS) are the source of truth; this package
reads them with rdflib and derives the plain-data :class:`~kg.core.graph_schema.GraphSchema` the write path
checks facts against.

Example:
    >>> from ontology import load_ontology
    >>> onto = load_ontology()
    >>> onto.check("FailureCause", "CAUSES", "FailureEffect")  # doctest: +ELLIPSIS
    'FailureCause -CAUSES-> FailureEffect: with subject class FailureCause, CAUSES (causes) needs ...'
    >>> onto.find_failure_mode("seal leak").code
    'ELP'
"""

from ontology._vocab import DEFAULT_FAILURE_MODES, DEFAULT_ONTOLOGY, MFG
from ontology.core import Ontology
from ontology.loader import load_ontology
from ontology.records import DatatypeProperty, FailureModeCode, OntologyClass, OntologyRelation

__all__ = [
    "DEFAULT_FAILURE_MODES",
    "DEFAULT_ONTOLOGY",
    "MFG",
    "DatatypeProperty",
    "FailureModeCode",
    "Ontology",
    "OntologyClass",
    "OntologyRelation",
    "load_ontology",
]
