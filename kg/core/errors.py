"""One error hierarchy for mfg-kg.

Every error a user can meet derives from :class:`KGError`. Messages name the input that was wrong and say
what to do next; library errors are wrapped where they enter our code (``raise ... from e``) so the
original cause stays visible in tracebacks. The API maps these classes to HTTP statuses in one handler.
"""

from __future__ import annotations


class KGError(Exception):
    """Root of every mfg-kg error."""


class ConfigError(KGError):
    """Settings are missing or inconsistent (bad backend name, missing password, unreadable path)."""


class BadInputError(KGError, ValueError):
    """Input data (a fact, a document, a query parameter) is malformed."""


class NotFoundError(BadInputError):
    """A named thing (an entity id, a document, a job) is not in the graph.

    Attributes:
        suggestions: close matches the user may have meant (ids), possibly empty.

    Example:
        >>> NotFoundError("No entity with id 'Part:x'.", suggestions=["Part:y"]).suggestions
        ['Part:y']
    """

    def __init__(self, message: str, *, suggestions: list[str] | None = None):
        super().__init__(message)
        self.suggestions = list(suggestions or [])


class WrongEntityTypeError(BadInputError):
    """An entity exists but is not of a class the operation takes (a Part where a Supplier is needed)."""


class DocumentError(BadInputError):
    """A document cannot be read: missing, empty, binary, too large, encrypted, corrupt or of unknown type.

    The message starts with the file's path, says what is wrong and what to do about it.
    """


class OntologyError(KGError):
    """Something is not allowed by the ontology: unknown class/relation, or a domain/range violation."""


class OntologyViolationError(OntologyError):
    """One or more candidate facts violate the ontology's domain/range rules.

    Attributes:
        violations: one human-readable line per rejected fact.
    """

    def __init__(self, violations: list[str]):
        self.violations = violations
        shown = "\n  - ".join(violations[:20])
        more = f"\n  ... and {len(violations) - 20} more" if len(violations) > 20 else ""
        super().__init__(
            f"{len(violations)} fact(s) violate the ontology's domain/range rules and were not written:"
            f"\n  - {shown}{more}\nFix the facts' types, or send them to review instead of writing them."
        )


class StoreError(KGError):
    """Base for graph-store failures."""


class StoreUnavailableError(StoreError):
    """The graph store cannot be reached, started or opened (server down, data dir locked or corrupt)."""


class StoreAccessError(StoreUnavailableError):
    """The store's user may not do this: a read-only user asked to write, or a user without access."""


class StoreWriteError(StoreError):
    """A write was refused or failed; nothing of the failed statement was applied."""


class QueryError(StoreError):
    """A read query is invalid (syntax, unknown function) or failed at run time."""


class UnsafeQueryError(QueryError):
    """A query was refused because it could write, call a non-allowed procedure or read outside the graph."""


class QueryTimeoutError(QueryError):
    """A read query ran longer than its time limit."""


class ClusterError(KGError):
    """The cluster (``kg ingest --cluster``) could not be reached or could not start its workers."""


class ExtractionError(KGError):
    """The extractor could not be loaded or run."""
