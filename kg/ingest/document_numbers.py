"""A document's own numbers ("8D-2024-017", "Certificate No. TSS-CoC-2024-77120") and the document numbers it
cites ("Customer PO: NWO-PO-24-0655"), kept on the Document node, not as entities.

Analysts name documents by number ("which part failed in 8D-2024-017", "who sent NW-PO-24-0388"). The node
rules keep such identifiers out of the entity classes (they are no supplier or part); this module puts them
where a question can find them:

- ``numbers``: what the document is called: identifiers in its file name, its title, its first line, or after
  a number label in its header ("Notification no.", "Our ref.", "PURCHASE ORDER No.");
- ``references``: the other document numbers its text cites (purchase orders, NCRs, certificates);
- ``number_keys``: both, without case or separators (``NCR 2025-019`` = ``ncr2025019``), for lookups.

An identifier is a code with a letter and at least three digits that is a document reference by the node
rules (:func:`~kg.ingest.node_rules.is_document_identifier`: a document kind among its words or segments), or
a numbered record (a year among its segments: ``NWC-SQ-2024-003``). Equipment tags and part numbers in a file
name (``OST-CMP-01``, ``OR-150X4-NBR70``) are neither.

Example:
    >>> n = document_numbers("NCR-2025-019_belt_OST-CMP-01.txt", None, "NCR-2025-019 Belt\\nPO NW-PO-25-0093")
    >>> n.numbers, n.references
    (['NCR-2025-019'], ['NW-PO-25-0093'])
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePath

from kg.ingest.node_rules import is_document_identifier

#: a code: letters and digits joined by hyphens, slashes or dots ("TSS-CoC-2024-77120", "8D-2024-017")
CODE = re.compile(r"(?<![\w./-])[A-Za-z0-9]+(?:[-/.][A-Za-z0-9]+)+(?![\w/-]|\.\w)")
#: a document kind, then a number apart from it: "PO 4500012345", "NCR no. 17", "8D # 2024-017"
_PREFIXED = re.compile(
    r"\b(PO|NCR|8D|CAPA|RMA|ECN|ECR|PCN|SCAR|RFQ|CoC|CoA|IR|QA|CC)\s*(?:no\.?|nr\.?|number|#)?\s*[:.]?\s*"
    r"(\d[\w/-]*\d)\b"
)
#: a number label in a header: the document's own number follows it ("Certificate No.:", "Our ref.")
_OWN_LABEL = re.compile(
    r"\b(?:certificate|cert|notification|notice|report|order|document|doc|letter|offer|quotation|quote|"
    r"invoice|record|ncr|8d|complaint|alert|claim|our|reference)\.?\s*(?:ref(?:erence)?|no|nr|number|#|id)"
    r"\.?[\s:.|]*"
    r"([A-Za-z0-9]+(?:[-/.][A-Za-z0-9]+)+)",
    re.IGNORECASE,
)
_YEAR = re.compile(r"^(?:19|20)\d\d$")
HEADER_CHARS = 1500  # where a document states its own number
MAX_REFERENCES = 200  # a long register cites many; the node keeps the first


@dataclass
class DocumentNumbers:
    numbers: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)

    @property
    def keys(self) -> list[str]:
        return sorted({number_key(n) for n in [*self.numbers, *self.references]})


def number_key(text: str) -> str:
    """A document number without case or separators: ``NCR-2025-019`` and ``ncr 2025 019`` are one."""
    return "".join(c for c in text.upper() if c.isalnum())


def is_document_number(code: str) -> bool:
    """Whether ``code`` names a document: a letter and three digits, and a document kind among its words or
    segments, or a year among its segments (``NWC-SQ-2024-003``; not ``OST-CMP-01`` or ``6205-2RSH``)."""
    if sum(c.isdigit() for c in code) < 3 or not any(c.isalpha() for c in code):
        return False
    segments = [s for s in re.split(r"[-/.\s]+", code) if s]
    numbered = len(segments) >= 3 and any(_YEAR.match(s) for s in segments)
    return numbered or is_document_identifier(code)


def numbers_in(text: str) -> list[str]:
    """The document numbers in ``text``, in order, each once."""
    found: dict[str, str] = {}
    for m in _PREFIXED.finditer(text):
        number = m.group(2)
        if not re.search(r"[-/]", number) and sum(c.isdigit() for c in number) < 5:
            continue  # "QA 2024", "CC 400 ml": a year or a quantity, not a document number
        found.setdefault(number_key(m.group(0)), f"{m.group(1)} {m.group(2)}")
    for m in CODE.finditer(text):
        code = m.group(0)
        if is_document_number(code):
            found.setdefault(number_key(code), code)
    return list(found.values())


def document_numbers(file_name: str, title: str | None, text: str) -> DocumentNumbers:
    """The document's own numbers (file name, title, first line, header labels) and the numbers it cites."""
    stem = PurePath(file_name).stem
    head = text[:HEADER_CHARS]
    first_line = next((line for line in head.splitlines() if line.strip()), "")
    own = [*numbers_in(stem.replace("_", " ")), *numbers_in(title or ""), *numbers_in(first_line)]
    own += [m.group(1) for m in _OWN_LABEL.finditer(head) if sum(c.isdigit() for c in m.group(1)) >= 3]
    numbers: dict[str, str] = {}
    for n in own:
        numbers.setdefault(number_key(n), n)
    cited = [n for n in numbers_in(text) if number_key(n) not in numbers]
    return DocumentNumbers(list(numbers.values()), cited[:MAX_REFERENCES])
