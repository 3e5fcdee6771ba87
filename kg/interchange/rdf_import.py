"""Import RDF (Turtle or JSON-LD, e.g. an earlier export) into a store, checked against the ontology.

Strict by default: a file that uses classes or predicates outside the ontology is refused as a whole,
with the first offending IRIs in the message. ``strict=False`` imports what fits and returns the rest.

Example:
    >>> summary = import_rdf(Path("graph.ttl"), load_ontology(), store)      # doctest: +SKIP
    >>> summary, skipped = import_rdf(Path("x.jsonld"), onto, store, strict=False)  # doctest: +SKIP
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal, overload

from rdflib import Graph

from kg.core.errors import BadInputError
from kg.core.facts import FactBatch, WriteSummary
from kg.interchange.rdf_reader import RdfReader
from kg.interchange.rdf_terms import OntologyTerms, RdfFormat, rdf_format
from kg.store.base import GraphStore
from ontology import Ontology

_SHOWN = 5
_FORMAT_NAMES = {"turtle": "Turtle", "json-ld": "JSON-LD"}


def parse_rdf(path: Path, fmt: RdfFormat | None = None) -> Graph:
    """Parse one RDF file.

    Raises:
        BadInputError: the file is missing or unreadable, its format is unknown, or it does not parse;
            the message names the file, the format and the parser's own message.
    """
    path = Path(path)
    fmt = rdf_format(path, fmt)
    if not path.is_file():
        raise BadInputError(f"The RDF file {path} does not exist; pass the path of a .ttl or .jsonld file.")
    graph = Graph()
    try:
        graph.parse(source=str(path), format=fmt)
    except OSError as e:
        raise BadInputError(f"Cannot read the RDF file {path}: {e}. Check its permissions.") from e
    except Exception as e:  # rdflib's parsers raise many types (BadSyntax, JSONDecodeError, KeyError...)
        raise BadInputError(
            f"{path.name} is not valid {_FORMAT_NAMES[fmt]}: {type(e).__name__}: {e}\n"
            f"Fix the file where the parser points, or check that the extension matches its format."
        ) from e
    return graph


def _convert(graph: Graph, ontology: Ontology, source_name: str) -> tuple[FactBatch, list[str]]:
    schema = ontology.graph_schema()
    reader = RdfReader(graph, OntologyTerms.of(ontology), source_name=source_name)
    nodes, ids = reader.nodes()
    documents = reader.document_facts()
    edges = reader.edges(ids)
    labels = {n.id: n.label for n in nodes}
    allowed = []
    for edge in edges:
        why = schema.check_fact(labels[edge.source], edge.type, labels[edge.target])
        if why is None:
            allowed.append(edge)
        else:
            reader.problems.append(f"({edge.source})-[:{edge.type}]->({edge.target}) rejected: {why}")
    try:
        batch = FactBatch(nodes=nodes, edges=allowed, documents=documents)
    except ValueError as e:
        raise BadInputError(f"{source_name}: the facts read from it do not form a valid batch: {e}") from e
    return batch, reader.problems


def _refuse(source_name: str, ontology: Ontology, problems: list[str]) -> BadInputError:
    shown = "\n  - ".join(problems[:_SHOWN])
    more = f"\n  ... and {len(problems) - _SHOWN} more" if len(problems) > _SHOWN else ""
    return BadInputError(
        f"{source_name}: {len(problems)} statement(s) cannot be imported into the ontology {ontology.iri}:"
        f"\n  - {shown}{more}\nFix: use the ontology's classes and properties (see `kg ontology` or "
        "manufacturing.ttl), remove those statements, or import with strict=False to skip them."
    )


@overload
def rdf_to_batch(
    graph: Graph, ontology: Ontology, *, source_name: str, strict: Literal[True] = ...
) -> FactBatch: ...
@overload
def rdf_to_batch(
    graph: Graph, ontology: Ontology, *, source_name: str, strict: Literal[False]
) -> tuple[FactBatch, list[str]]: ...
@overload
def rdf_to_batch(
    graph: Graph, ontology: Ontology, *, source_name: str, strict: bool
) -> FactBatch | tuple[FactBatch, list[str]]: ...
def rdf_to_batch(
    graph: Graph, ontology: Ontology, *, source_name: str, strict: bool = True
) -> FactBatch | tuple[FactBatch, list[str]]:
    """Turn RDF instance data of the ontology into a :class:`FactBatch` (inverse of ``to_rdf``).

    Nodes keep the id their data IRI encodes; evidence comes from ``mfg:evidence`` literals, else one
    stand-in per source document, else ``rdf:<source_name>`` with extractor ``rdf-import``.

    Args:
        graph: the parsed RDF.
        ontology: decides which classes and predicates are known.
        source_name: names the input in messages and in stand-in evidence (usually the file name).
        strict: True refuses input with anything unknown or invalid; False skips it.

    Returns:
        The batch when strict, else ``(batch, skipped)`` with one line per skipped statement.

    Raises:
        BadInputError: strict, and something could not be placed (the first few problems are listed).
    """
    batch, problems = _convert(graph, ontology, source_name)
    if not strict:
        return batch, problems
    if problems:
        raise _refuse(source_name, ontology, problems)
    return batch


@overload
def import_rdf(
    path: Path,
    ontology: Ontology,
    store: GraphStore,
    *,
    fmt: RdfFormat | None = ...,
    strict: Literal[True] = ...,
) -> WriteSummary: ...
@overload
def import_rdf(
    path: Path, ontology: Ontology, store: GraphStore, *, fmt: RdfFormat | None = ..., strict: Literal[False]
) -> tuple[WriteSummary, list[str]]: ...
@overload
def import_rdf(
    path: Path, ontology: Ontology, store: GraphStore, *, fmt: RdfFormat | None = ..., strict: bool
) -> WriteSummary | tuple[WriteSummary, list[str]]: ...
def import_rdf(
    path: Path, ontology: Ontology, store: GraphStore, *, fmt: RdfFormat | None = None, strict: bool = True
) -> WriteSummary | tuple[WriteSummary, list[str]]:
    """Parse an RDF file and upsert its facts into ``store``.

    Args:
        path: a Turtle (.ttl) or JSON-LD (.jsonld / .json-ld) file.
        ontology: decides which classes and predicates are known.
        store: where the facts go (its schema must be ensured).
        fmt: overrides the format the extension implies.
        strict: see :func:`rdf_to_batch`.

    Returns:
        The store's write summary; with ``strict=False``, ``(summary, skipped)``.

    Raises:
        BadInputError: malformed file, or (strict) statements outside the ontology.
        OntologyViolationError / StoreWriteError: the store refused the batch.
    """
    path = Path(path)
    graph = parse_rdf(path, fmt)
    batch, problems = _convert(graph, ontology, path.name)
    if strict and problems:
        raise _refuse(path.name, ontology, problems)
    summary = store.upsert(batch)
    return summary if strict else (summary, problems)
