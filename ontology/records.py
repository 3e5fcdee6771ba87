"""Plain data read from the ontology files: classes, relations, datatype properties, failure-mode codes."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class OntologyClass(_Frozen):
    """One ``owl:Class`` of the ontology.

    Example:
        >>> from ontology import load_ontology
        >>> part = next(c for c in load_ontology().classes() if c.label == "Part")
        >>> "spare part" in part.alt_labels
        True
    """

    label: str = Field(description="Local name, used as the node label, e.g. 'Supplier'.")
    iri: str
    pref_label: str = Field(description="rdfs:label, e.g. 'supplier'.")
    alt_labels: tuple[str, ...] = ()
    definition: str = ""
    parents: tuple[str, ...] = Field(default=(), description="Ancestor local names, nearest first.")
    close_matches: tuple[str, ...] = Field(default=(), description="skos:exactMatch / skos:closeMatch IRIs.")
    alignments: tuple[str, ...] = Field(
        default=(),
        description="Every mapping IRI: SKOS exact/close/broad/narrow/related match and rdfs:seeAlso.",
    )
    abstract: bool = Field(default=False, description="Groups other classes; never a node label itself.")
    store_managed: bool = Field(default=False, description="Created by the store (Document), not extracted.")


class OntologyRelation(_Frozen):
    """One ``owl:ObjectProperty``: a relationship type of the graph, or a property the store handles itself.

    Example:
        >>> from ontology import load_ontology
        >>> rel = next(r for r in load_ontology().relations() if r.name == "suppliedBy")
        >>> rel.graph_type, rel.inverse
        ('SUPPLIED_BY', 'supplies')
    """

    name: str = Field(description="Local name, e.g. 'hasPart'.")
    graph_type: str = Field(description="Relationship type in the graph, e.g. 'HAS_PART'.")
    iri: str
    label: str = ""
    definition: str = ""
    domain: tuple[str, ...] = Field(
        default=(), description="Classes named by rdfs:domain (unions flattened)."
    )
    range: tuple[str, ...] = Field(default=(), description="Classes named by rdfs:range (unions flattened).")
    symmetric: bool = False
    inverse: str | None = Field(default=None, description="Local name of the owl:inverseOf property, if any.")
    stored_as: str | None = Field(
        default=None, description="When set, the graph stores these facts reversed, as this property."
    )
    store_managed: bool = Field(default=False, description="Written by the store itself (mentionedIn).")
    alignments: tuple[str, ...] = ()


class DatatypeProperty(_Frozen):
    """One ``owl:DatatypeProperty``: a key stored on nodes.

    Example:
        >>> from ontology import load_ontology
        >>> pn = next(p for p in load_ontology().datatype_properties() if p.name == "partNumber")
        >>> pn.graph_name, pn.indexed_on
        ('part_number', ('Part',))
    """

    name: str = Field(description="Local name, e.g. 'partNumber'.")
    graph_name: str = Field(description="Node key in the graph, e.g. 'part_number'.")
    iri: str
    label: str = ""
    definition: str = ""
    domain: tuple[str, ...] = ()
    range: str | None = Field(default=None, description="XSD datatype local name, e.g. 'string'.")
    indexed_on: tuple[str, ...] = Field(default=(), description="Labels that get an exact-match index on it.")
    full_text: bool = False
    alignments: tuple[str, ...] = ()


class FailureModeCode(_Frozen):
    """One failure-mode code of the ``mfg:FailureModeCodes`` SKOS scheme.

    Example:
        >>> from ontology import load_ontology
        >>> load_ontology().find_failure_mode("running hot").code
        'OHE'
    """

    code: str = Field(description="skos:notation, e.g. 'VIB'.")
    iri: str
    pref_label: str
    alt_labels: tuple[str, ...] = ()
    definition: str = ""
    applies_to: tuple[str, ...] = Field(
        default=(),
        description="Equipment classes (their skos:notation, e.g. 'Pump') the code is meaningful for.",
    )
