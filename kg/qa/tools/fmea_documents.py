"""Ratings as one FMEA document gives them: "the top RPN in the Ostrava press line FMEA workbook", "the
highest-RPN item in the machining & conveyors FMEA csv". The graph merges every FMEA's lines; a question that
names one FMEA document ranks only the lines that document is evidence for.

Example:
    >>> named_fmea("top rpn in the ostrava press line fmea workbook")
    'ostrava press line'
    >>> named_fmea("whats the highest-rpn item in the machining & conveyors fmea csv"), named_fmea("top rpn")
    ('machining & conveyors', None)
"""

from __future__ import annotations

import re
from typing import Any

from kg.graph.knowledge_graph import KnowledgeGraph
from kg.qa.constraints import document_kinds
from kg.qa.tools.base import MAX_ROWS

#: "in the <description> fmea [workbook|sheet|csv|...]": one FMEA document, described
_NAMED_FMEA = re.compile(
    r"\b(?:in|from|on|of|per|does|do|did)\s+(?:the|our)\s+(?P<about>[\w&' -]{3,60}?)\s+fmea\b", re.IGNORECASE
)


def named_fmea(question: str) -> str | None:
    """The words describing the one FMEA document a question names, if it names one."""
    m = _NAMED_FMEA.search(question)
    return m.group("about").strip() if m else None


def fmea_document_rows(kg: KnowledgeGraph, about: str) -> list[dict[str, Any]] | None:
    """The rated lines of the one FMEA document ``about`` describes best (item, mode, RPN, severity); None
    when no single FMEA document fits the description."""
    from kg.graph import item_queries

    doc = _fmea_document(kg, about)
    return None if doc is None else kg.store.read(item_queries.document_fmea_lines(), {"doc": doc})


def fmea_document_entities(kg: KnowledgeGraph, about: str) -> set[str] | None:
    """Ids of what the one FMEA document ``about`` describes lists (items, modes, causes, effects); None when
    no single FMEA document fits the description."""
    from kg.graph import item_queries

    doc = _fmea_document(kg, about)
    rows = kg.store.read(item_queries.document_entity_ids(), {"doc": doc}) if doc is not None else None
    return None if rows is None else {str(r["id"]) for r in rows}


def _fmea_document(kg: KnowledgeGraph, about: str) -> str | None:
    from kg.graph import queries
    from kg.qa.tools.documents import best_described

    docs = kg.store.read(queries.all_documents(), {"limit": MAX_ROWS})
    fmeas = [d for d in docs if "fmea" in document_kinds(f"{d['file_name']} {d['title'] or ''}")]
    best = best_described(fmeas, about, or_all=False)
    return str(best[0]["id"]) if len(best) == 1 else None
