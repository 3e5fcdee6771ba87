"""Documents a question names by number: "8D-2024-017", "ncr 2025-019", "PO NW-PO-24-0388".

Ingestion keeps each document's own numbers and the numbers it cites on its node
(:mod:`kg.ingest.document_numbers`). A code in the question (letters and at least three digits) that is one
of them names that document; a code no document carries (a part number, a tag) is left to entity linking.
A number that is one document's own is that document; a number only cited ("which documents cite
NWO-PO-24-0655") names the documents citing it.

Example:
    >>> [c for c, _ in candidate_numbers("which part failed in 8d-2024-017 on lds-p-101?")]
    ['8d-2024-017', 'lds-p-101']
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kg.graph.knowledge_graph import KnowledgeGraph
from kg.ingest.document_numbers import CODE, is_document_number, number_key
from kg.qa.router import Route

#: a code in a question, or a document kind then its number ("ncr 2025-019", "po 4500012345")
_PREFIXED = re.compile(
    r"\b(?:PO|NCR|8D|CAPA|RMA|ECN|ECR|PCN|SCAR|RFQ|CoC|CoA|IR|QA|CC|TI)\s*(?:no\.?|nr\.?|number|#)?\s*"
    r"[:.]?\s*\d[\w/-]*\d\b",
    re.IGNORECASE,
)
MAX_DOCUMENTS = 20


@dataclass
class NamedDocument:
    """A document the question names: its id, file name, title, and whether the number is its own."""

    id: str
    file_name: str
    title: str | None
    mention: str
    start: int
    end: int
    own: bool


@dataclass
class DocumentsNamed:
    documents: list[NamedDocument] = field(default_factory=list)
    #: written like a document number ("8D-2099-999") but no document carries it
    unknown: list[str] = field(default_factory=list)
    spans: list[tuple[int, int]] = field(default_factory=list)  # of every number read as a document's

    @property
    def own(self) -> list[NamedDocument]:
        """The documents a number names as their own ("8D-2024-017" is that 8D report)."""
        return [d for d in self.documents if d.own]

    def blank(self, text: str) -> str:
        """``text`` with the numbers blanked (same length): they name a document, not an entity."""
        for start, end in self.spans:
            text = text[:start] + " " * (end - start) + text[end:]
        return text


def candidate_numbers(question: str) -> list[tuple[str, tuple[int, int]]]:
    """Codes in ``question`` with a letter and at least three digits, with their spans."""
    out: dict[tuple[int, int], str] = {}
    for rx in (_PREFIXED, CODE):
        for m in rx.finditer(question):
            code = m.group(0)
            coded = sum(c.isdigit() for c in code) >= 3 and any(c.isalpha() for c in code)
            if coded and not any(s <= m.start() < e for s, e in out):  # "ncr 2025-019": once, whole
                out[m.span()] = code
    return [(code, span) for span, code in sorted(out.items())]


def named_documents(kg: KnowledgeGraph, question: str) -> DocumentsNamed:
    """The documents whose own or cited numbers are written in ``question``."""
    from kg.graph import queries

    found = DocumentsNamed()
    candidates = candidate_numbers(question)
    if not candidates:
        return found
    keys = {number_key(code): (code, span) for code, span in candidates}
    rows = kg.store.read(queries.documents_numbered(), {"keys": sorted(keys), "limit": MAX_DOCUMENTS})
    carried: set[str] = set()
    for r in rows:
        carried |= {number_key(n) for n in [*(r["numbers"] or []), *(r["references"] or [])]}
    unknown = {k: c for k, (c, _) in keys.items() if k not in carried and is_document_number(c)}
    found.unknown = list(unknown.values())
    found.spans = [span for k, (_, span) in keys.items() if k in carried or k in unknown]
    for r in rows:
        own = {number_key(n) for n in r["numbers"] or []}
        cited = {number_key(n) for n in r["references"] or []}
        for key, (code, (start, end)) in keys.items():
            if key in own or key in cited:
                found.documents.append(
                    NamedDocument(
                        id=str(r["id"]),
                        file_name=str(r["file_name"]),
                        title=r["title"],
                        mention=code,
                        start=start,
                        end=end,
                        own=key in own,
                    )
                )
    return found


def document_route(route: Route | None, named: DocumentsNamed, entities: int) -> Route | None:
    """A question that names a document by number and no entity asks what the document says, unless it
    asks for documents ("which documents cite NWO-PO-24-0655": the documents tool, narrowed to them). A
    number no document carries is said to be unknown, never answered with other documents."""
    if entities or not (named.documents or named.unknown):
        return route
    if named.documents and route and route.tool.name == "documents" and route.method == "rules":
        return route
    from kg.qa.tools.document_contents import DOCUMENT_CONTENTS

    return Route(DOCUMENT_CONTENTS, "rules", 1.0, [])
