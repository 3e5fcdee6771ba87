"""Read one document file into plain text (and tables) for extraction: the first step of batch ingestion.

:func:`read_document` picks a reader by the file's suffix, reads the bytes once (after checking the size, so
an oversized file is never loaded), and returns a :class:`DocumentContent`: the text extractors run on (spans
index into it), any tables, the encoding decision for byte formats, and non-fatal warnings. Everything that
makes a file unreadable raises :class:`kg.core.errors.DocumentError` with the file, the problem and the fix;
library errors are wrapped where they enter.

Byte formats (.txt .md .html .csv .json) are decoded by :func:`decode_bytes`: BOM, strict UTF-8, UTF-16
without a BOM, an HTML ``<meta charset>``, then charset-normalizer on a bounded sample. Decoded text is kept
exactly (newlines are not normalised) so offsets map back to the file's characters.

Where each part lives:

- :mod:`~kg.documents.reader_registry`: :func:`read_document`, the suffix -> reader table, :data:`READERS`;
- :mod:`~kg.documents.content`: :class:`DocumentContent`, :class:`Table` and a reader's ``ParsedFile``;
- :mod:`~kg.documents.file_bytes`: reading the bytes under the size limit;
- :mod:`~kg.documents.charset`: :func:`decode_bytes` and :class:`Decoded` (encoding detection);
- :mod:`~kg.documents.plain_text`: .txt, .md, .markdown;
- :mod:`~kg.documents.html_text`: .html, .htm;
- :mod:`~kg.documents.pdf`: .pdf;
- :mod:`~kg.documents.office`: .docx, .xlsx, .xlsm;
- :mod:`~kg.documents.csv_json`: .csv, .tsv, .json;
- :mod:`~kg.documents.table_building`: rows -> :class:`Table` (header names, ragged rows) and table -> text.

Example:
    >>> doc = read_document(Path("samples/pump-manual.pdf"))   # doctest: +SKIP
    >>> doc.reader, doc.metadata["pages"]                     # doctest: +SKIP
    ('pdf', '12')
"""

from kg.documents.charset import Decoded, decode_bytes
from kg.documents.content import DocumentContent, Table
from kg.documents.file_bytes import DEFAULT_MAX_BYTES
from kg.documents.reader_registry import READERS, read_document, supported_suffixes

__all__ = [
    "DEFAULT_MAX_BYTES",
    "READERS",
    "Decoded",
    "DocumentContent",
    "Table",
    "decode_bytes",
    "read_document",
    "supported_suffixes",
]
