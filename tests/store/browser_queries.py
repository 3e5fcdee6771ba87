"""The saved Neo4j Browser queries of ``docs/neo4j/saved-queries.cypher``, split for the tests that lint them
and run them (a module of its own: tests never import each other)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

SAVED_QUERIES = Path(__file__).resolve().parents[2] / "docs" / "neo4j" / "saved-queries.cypher"

_NAME_HEADER = re.compile(r"^// name:[ \t]*(.+?)[ \t]*$", re.MULTILINE)
_PARAM_LINE = re.compile(r"^:param[ \t]+([A-Za-z_][A-Za-z0-9_]*)[ \t]*=>.*$", re.MULTILINE)
_PARAM_USE = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


@dataclass(frozen=True)
class SavedQuery:
    name: str
    cypher: str
    declared: tuple[str, ...]
    used: tuple[str, ...]


def saved_queries() -> list[SavedQuery]:
    """Split the saved-queries file on its ``// name:`` headers; ``:param`` lines are Browser commands."""
    text = SAVED_QUERIES.read_text(encoding="utf-8")
    parts = _NAME_HEADER.split(text)
    out = []
    for name, body in zip(parts[1::2], parts[2::2], strict=True):
        declared = tuple(_PARAM_LINE.findall(body))
        cypher = _PARAM_LINE.sub("", body).strip()
        used = tuple(sorted(set(_PARAM_USE.findall(cypher))))
        out.append(SavedQuery(name=name, cypher=cypher, declared=declared, used=used))
    return out
