"""Export the graph to networkx and RDF (Turtle, JSON-LD), and import RDF back.

Example:
    >>> from kg.interchange import export_rdf, import_rdf, to_networkx
    >>> g = to_networkx(store, include_documents=False)                 # doctest: +SKIP
    >>> export_rdf(store, load_ontology(), Path("graph.ttl"))           # doctest: +SKIP
    >>> import_rdf(Path("graph.ttl"), load_ontology(), other_store)     # doctest: +SKIP
"""

from kg.interchange.nxgraph import iter_edges, iter_nodes, to_networkx
from kg.interchange.rdf_export import export_rdf, to_rdf
from kg.interchange.rdf_import import import_rdf, parse_rdf, rdf_to_batch
from kg.interchange.rdf_terms import DATA, PROP, OntologyTerms, RdfFormat, iri_to_id, node_iri

__all__ = [
    "DATA",
    "PROP",
    "OntologyTerms",
    "RdfFormat",
    "export_rdf",
    "import_rdf",
    "iri_to_id",
    "iter_edges",
    "iter_nodes",
    "node_iri",
    "parse_rdf",
    "rdf_to_batch",
    "to_networkx",
    "to_rdf",
]
