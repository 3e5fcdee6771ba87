"""What the document readers hand on: tables, the content of one file, and a reader's raw result."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from kg.documents.charset import Decoded


@dataclass(frozen=True)
class Table:
    """One table of a CSV file, spreadsheet sheet, DOCX table or JSON array of flat objects.

    Example:
        >>> t = Table("parts", ["part", "qty"], [["O-ring", "4"]], [2])
        >>> dict(zip(t.header, t.rows[0])), t.row_numbers[0]
        ({'part': 'O-ring', 'qty': '4'}, 2)
    """

    name: str
    header: list[str]
    rows: list[list[str]]
    row_numbers: list[int]


@dataclass(frozen=True)
class DocumentContent:
    """What :func:`read_document` read from one file.

    Example:
        >>> doc = read_document(Path("letter.txt"))                  # doctest: +SKIP
        >>> doc.encoding, doc.encoding_note, doc.text[:7]            # doctest: +SKIP
        ('cp1252', 'charset-normalizer (1.00)', 'Société')
    """

    path: Path
    sha256: str
    size: int
    reader: str
    encoding: str | None
    encoding_note: str
    text: str
    tables: list[Table]
    warnings: list[str]
    metadata: dict[str, str]


@dataclass
class ParsedFile:
    """What one format's reader returns; :func:`~kg.documents.read_document` adds the file's facts to it.

    Example:
        >>> ParsedFile("Seal kit", metadata={"title": "Parts"}).tables
        []
    """

    text: str
    tables: list[Table] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    metadata: dict[str, str] = field(default_factory=dict)
    decoded: Decoded | None = None
