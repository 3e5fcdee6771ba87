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
    r"\b(?:in|from|on|of|per)\s+(?:the|our)\s+(?P<about>[\w&' -]{3,60}?)\s+fmea\b", re.IGNORECASE
)


def named_fmea(question: str) -> str | None:
    """The words describing the one FMEA document a question names, if it names one."""
    m = _NAMED_FMEA.search(question)
    return m.group("about").strip() if m else None


def fmea_document_rows(kg: KnowledgeGraph, about: str) -> list[dict[str, Any]] | None:
    """The rated lines of the one FMEA document ``about`` describes best (item, mode, RPN, severity); None
    when no single FMEA document fits the description."""
    from kg.graph import item_queries, queries
    from kg.qa.tools.documents import best_described

    docs = kg.store.read(queries.all_documents(), {"limit": MAX_ROWS})
    fmeas = [d for d in docs if "fmea" in document_kinds(f"{d['file_name']} {d['title'] or ''}")]
    best = best_described(fmeas, about, or_all=False)
    if len(best) != 1:
        return None
    return kg.store.read(item_queries.document_fmea_lines(), {"doc": best[0]["id"]})
