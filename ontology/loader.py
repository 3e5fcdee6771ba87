"""Load the ontology and failure-mode files into an :class:`Ontology`, with readable errors."""

from __future__ import annotations

import functools
from pathlib import Path

from rdflib import Graph
from rdflib.exceptions import ParserError

from kg.core.errors import OntologyError
from ontology._vocab import DEFAULT_FAILURE_MODES, DEFAULT_ONTOLOGY
from ontology.core import Ontology


def parse_turtle(path: Path, what: str) -> Graph:
    """Parse one Turtle file.

    Raises:
        OntologyError: the file is missing, unreadable or not valid Turtle; the message names the file
            and carries the parser's own message (which points at the offending line).
    """
    if not path.is_file():
        raise OntologyError(
            f"The {what} file {path} does not exist. Pass the path of a Turtle file, or None for the "
            f"packaged default ({DEFAULT_ONTOLOGY.name} / {DEFAULT_FAILURE_MODES.name})."
        )
    graph = Graph()
    try:
        graph.parse(str(path), format="turtle")
    except (SyntaxError, ParserError, ValueError, UnicodeDecodeError) as e:
        raise OntologyError(
            f"The {what} file {path} is not valid Turtle: {e}\nFix the syntax where the parser points "
            "(Protégé or a Turtle linter such as `riot --validate` shows the same position), then reload."
        ) from e
    except OSError as e:
        raise OntologyError(f"Cannot read the {what} file {path}: {e}. Check its permissions.") from e
    return graph


def load_ontology(path: Path | None = None, *, failure_modes: Path | None = None) -> Ontology:
    """Load the manufacturing ontology and its failure-mode codes.

    Args:
        path: OWL ontology in Turtle; default ``manufacturing.ttl`` beside this module.
        failure_modes: SKOS failure-mode scheme in Turtle; default ``failure_modes.ttl`` beside this module.

    Returns:
        The loaded ontology. With both defaults the same instance is returned on every call (cached),
        so do not modify its graphs.

    Raises:
        OntologyError: a file is missing or malformed, or the ontology cannot yield a graph schema.

    Example:
        >>> onto = load_ontology()
        >>> onto.version, onto.find_failure_mode("VIB").pref_label
        ('0.1.0', 'vibration')
    """
    if path is None and failure_modes is None:
        return _load_default()
    return _load(Path(path or DEFAULT_ONTOLOGY), Path(failure_modes or DEFAULT_FAILURE_MODES))


@functools.lru_cache(maxsize=1)
def _load_default() -> Ontology:
    return _load(DEFAULT_ONTOLOGY, DEFAULT_FAILURE_MODES)


def _load(path: Path, failure_modes: Path) -> Ontology:
    ontology = Ontology(
        parse_turtle(path, "ontology"),
        parse_turtle(failure_modes, "failure-mode"),
        source=str(path),
        failure_mode_source=str(failure_modes),
    )
    # Derive everything once now, so a modelling error surfaces at load time, not at the first write.
    ontology.graph_schema()
    ontology.failure_modes()
    return ontology
