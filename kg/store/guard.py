"""Lexical screening of untrusted Cypher (a user's or an LLM's), before the database's own guard.

The database is the real guard (FalkorDB ``GRAPH.RO_QUERY``; Neo4j ``EXPLAIN`` query type plus a READ
transaction). This screen adds what those miss and gives clearer errors: ``LOAD CSV`` (reads files or
URLs even in read-only mode), procedure calls outside a small allow-list, several statements in one
string, and write clauses. It runs on the text with string literals and comments blanked out, so
``WHERE n.name = 'DELETE me'`` is fine.
"""

from __future__ import annotations

import re

from kg.core.errors import BadInputError, UnsafeQueryError

MAX_QUERY_CHARS = 20_000

#: Procedures untrusted queries may call (read-only introspection and full-text lookup).
ALLOWED_PROCEDURES = frozenset(
    {
        "db.labels",
        "db.relationshiptypes",
        "db.propertykeys",
        "db.indexes",
        "db.idx.fulltext.querynodes",
        "db.index.fulltext.querynodes",
    }
)
_WRITE_CLAUSES = (
    "CREATE",
    "MERGE",
    "DELETE",
    "DETACH",
    "SET",
    "REMOVE",
    "DROP",
    "FOREACH",
    "GRANT",
    "DENY",
    "REVOKE",
    "ALTER",
    "RENAME",
    "START",
    "STOP",
    "TERMINATE",
    "USE",
)
_STRING = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"", re.S)
_BACKTICK = re.compile(r"`(?:[^`]|``)*`")
_COMMENT = re.compile(r"//[^\n]*|/\*.*?\*/", re.S)
_WORD = re.compile(r"(?<![.\w$:])([A-Za-z_]+)\b")
_CALL = re.compile(r"\bCALL\s+([A-Za-z_][\w.]*)\s*\(?", re.I)


def blank_literals(cypher: str) -> str:
    """Replace strings, quoted names and comments by spaces, keeping offsets (for error positions)."""

    def blank(m: re.Match[str]) -> str:
        return " " * len(m.group(0))

    out = _COMMENT.sub(blank, cypher) if "/" in cypher else cypher
    out = _STRING.sub(blank, out)
    return _BACKTICK.sub(blank, out)


def screen_untrusted(cypher: str) -> str:
    """Return the query stripped of surrounding whitespace, or raise UnsafeQueryError/BadInputError."""
    if not isinstance(cypher, str) or not cypher.strip():
        raise BadInputError(
            "Empty query: send a Cypher read query such as `MATCH (n:Equipment) RETURN n LIMIT 5`."
        )
    if len(cypher) > MAX_QUERY_CHARS:
        raise BadInputError(f"Query is {len(cypher)} characters long; the limit is {MAX_QUERY_CHARS}.")
    text = cypher.strip().rstrip(";").strip()
    bare = blank_literals(text)
    if ";" in bare:
        raise UnsafeQueryError(
            "Only one statement per query is allowed: remove the ';' and send them one at a time."
        )
    upper = bare.upper()
    if re.search(r"\bLOAD\s+CSV\b", upper):
        raise UnsafeQueryError(
            "LOAD CSV is not allowed in read queries: it reads files and URLs outside the graph."
        )
    if re.search(r"\bIN\s+TRANSACTIONS\b|\bPERIODIC\s+COMMIT\b", upper):
        raise UnsafeQueryError(
            "Batched transactions (IN TRANSACTIONS / PERIODIC COMMIT) are write constructs."
        )
    for m in _WORD.finditer(upper):
        if m.group(1) in _WRITE_CLAUSES:
            raise UnsafeQueryError(
                f"{m.group(1)} at character {m.start(1)} would change the database; only read queries "
                "(MATCH ... RETURN) are allowed here."
            )
    for m in _CALL.finditer(bare):
        proc = m.group(1).lower()
        if proc not in ALLOWED_PROCEDURES:
            raise UnsafeQueryError(
                f"Procedure {m.group(1)!r} is not allowed; allowed: {', '.join(sorted(ALLOWED_PROCEDURES))}."
            )
    if re.search(r"\bCALL\s*\{", upper):
        raise UnsafeQueryError("CALL { ... } subqueries are not allowed in untrusted queries.")
    return text
