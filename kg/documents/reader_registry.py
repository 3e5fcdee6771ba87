"""Pick a reader by file suffix and run it: :func:`read_document`, :func:`supported_suffixes`, ``READERS``.

Each format's reader lives in its own module (see :mod:`kg.documents`) and has one signature,
``(path, raw bytes, max_bytes) -> ParsedFile``; :data:`READERS` maps a reader name to it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

from kg.core.errors import DocumentError
from kg.documents.content import DocumentContent, ParsedFile
from kg.documents.csv_json import read_csv, read_json
from kg.documents.file_bytes import DEFAULT_MAX_BYTES, read_bytes
from kg.documents.html_text import read_html
from kg.documents.office import read_docx, read_xlsx
from kg.documents.pdf import read_pdf
from kg.documents.plain_text import read_markdown, read_text

_READER_BY_SUFFIX: dict[str, str] = {
    ".txt": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".pdf": "pdf",
    ".docx": "docx",
    ".csv": "csv",
    ".tsv": "csv",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".json": "json",
}
#: What to tell the user about common formats we do not read.
_CONVERT_HINTS: dict[str, str] = {
    ".doc": "Save it as .docx (Word or LibreOffice: Save As) and ingest that.",
    ".rtf": "Save it as .docx or .txt and ingest that.",
    ".odt": "Save it as .docx and ingest that.",
    ".xls": "Save it as .xlsx (Excel or LibreOffice: Save As) and ingest that.",
    ".ods": "Save it as .xlsx and ingest that.",
    ".ppt": "Export it as PDF and ingest that.",
    ".pptx": "Export it as PDF and ingest that.",
}

#: Reader name -> reader; :func:`read_document` looks the reader up here on each call.
READERS: dict[str, Callable[[Path, bytes, int], ParsedFile]] = {
    "text": read_text,
    "markdown": read_markdown,
    "html": read_html,
    "pdf": read_pdf,
    "docx": read_docx,
    "csv": read_csv,
    "xlsx": read_xlsx,
    "json": read_json,
}


def supported_suffixes() -> tuple[str, ...]:
    """File suffixes :func:`read_document` reads, lower-case with the dot, sorted.

    Example:
        >>> ".pdf" in supported_suffixes()
        True
    """
    return tuple(sorted(_READER_BY_SUFFIX))


def read_document(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> DocumentContent:
    """Read one file into text and tables for extraction.

    Args:
        path: the file; its suffix (case-insensitive) picks the reader.
        max_bytes: larger files are refused before any byte is read.

    Raises:
        DocumentError: the file is missing, unreadable, empty, too large, binary, encrypted, corrupt, of an
            unsupported type, or has nothing to read (a scanned PDF). The message says what to do.

    Example:
        >>> doc = read_document(Path("bom.csv"))                     # doctest: +SKIP
        >>> doc.tables[0].header                                     # doctest: +SKIP
        ['part_number', 'part_name', 'supplier']
    """
    path = Path(path)
    reader = _reader_for(path)
    raw = read_bytes(path, max_bytes)
    try:
        parsed = READERS[reader](path, raw, max_bytes)
    except DocumentError:
        raise
    except Exception as e:  # a library failed in a way we did not foresee: still name the file
        raise DocumentError(
            f"{path}: could not read it as {reader} ({type(e).__name__}: {e}). The file may be damaged: open "
            "it in its usual program, save a fresh copy and ingest that."
        ) from e
    if not parsed.text.strip():
        parsed.warnings.append("no text found in the document")
    dec = parsed.decoded
    return DocumentContent(
        path=path,
        sha256=hashlib.sha256(raw).hexdigest(),
        size=len(raw),
        reader=reader,
        encoding=dec.encoding if dec else None,
        encoding_note=dec.note if dec else "",
        text=parsed.text,
        tables=parsed.tables,
        warnings=[*(dec.warnings if dec else ()), *parsed.warnings],
        metadata=parsed.metadata,
    )


def _reader_for(path: Path) -> str:
    suffix = path.suffix.lower()
    reader = _READER_BY_SUFFIX.get(suffix)
    if reader is None:
        what = f"unsupported file type {suffix}" if suffix else "no file suffix, so no reader applies"
        hint = _CONVERT_HINTS.get(suffix, "Convert it to one of these, or leave it out.")
        raise DocumentError(f"{path}: {what}; supported: {', '.join(supported_suffixes())}. {hint}")
    return reader
