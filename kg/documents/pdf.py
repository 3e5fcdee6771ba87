"""Reader for PDF: the text layer of each page (scanned and encrypted PDFs are refused with a fix)."""

from __future__ import annotations

import contextlib
import io
import logging
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kg.core.errors import DocumentError
from kg.documents.content import ParsedFile
from kg.documents.layout_tables import layout_tables


class _LogCapture(logging.Handler):
    """Collects a library's log warnings emitted by this thread (pypdf reports repairs this way)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.thread = threading.get_ident()
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if record.thread == self.thread and message not in self.messages:
            self.messages.append(message)


@contextlib.contextmanager
def _captured_log(name: str) -> Iterator[list[str]]:
    handler = _LogCapture()
    logger = logging.getLogger(name)
    logger.addHandler(handler)
    try:
        yield handler.messages
    finally:
        logger.removeHandler(handler)


def read_pdf(path: Path, raw: bytes, max_bytes: int) -> ParsedFile:
    """A PDF: page texts separated by a blank line, the tables of each page's layout
    (:mod:`kg.documents.layout_tables`); pypdf's repair notes become warnings."""
    with _captured_log("pypdf") as logged:
        parsed = _pdf_pages(path, raw)
    parsed.warnings[:0] = [f"PDF: {m}" for m in logged]
    return parsed


def _opens_without_password(reader: Any) -> bool:
    try:
        return bool(reader.decrypt(""))
    except Exception:  # an encryption pypdf cannot handle: as good as a password we do not have
        return False


def _open_pdf(path: Path, raw: bytes) -> tuple[list[Any], Any]:
    """The pages and the info dictionary of a PDF that opens without a password."""
    import pypdf

    try:
        reader = pypdf.PdfReader(io.BytesIO(raw))
        if reader.is_encrypted and not _opens_without_password(reader):
            raise DocumentError(
                f"{path}: encrypted PDF. Decrypt it (qpdf --password=PASSWORD --decrypt in.pdf out.pdf) and "
                "ingest again."
            )
        return list(reader.pages), reader.metadata
    except DocumentError:
        raise
    except Exception as e:
        raise DocumentError(
            f"{path}: corrupt PDF: {e}. Get a fresh copy or re-export it; `qpdf --check` shows what is "
            "broken."
        ) from e


def _pdf_pages(path: Path, raw: bytes) -> ParsedFile:
    pages, info = _open_pdf(path, raw)
    parsed = ParsedFile("")
    texts = []
    for number, page in enumerate(pages, 1):
        try:
            texts.append(page.extract_text())
        except Exception as e:
            parsed.warnings.append(
                f"page {number}: text extraction failed ({type(e).__name__}: {e}); skipped"
            )
            texts.append("")
            continue
        with contextlib.suppress(Exception):  # a page pypdf cannot lay out keeps its text, without tables
            layout = page.extract_text(extraction_mode="layout")
            parsed.tables += layout_tables(layout, f"{path.name} page {number}")
    if not "".join(texts).strip():
        if len(texts) and len(parsed.warnings) == len(texts):
            raise DocumentError(
                f"{path}: corrupt PDF: no page could be read. Get a fresh copy or re-export it."
            )
        raise DocumentError(
            f"{path}: scanned PDF without a text layer; OCR it first (e.g. ocrmypdf in.pdf out.pdf) and "
            "ingest the result."
        )
    parsed.text = "\n\n".join(texts)
    starts, at = [], 0
    for text in texts:
        starts.append(str(at))
        at += len(text) + 2
    parsed.metadata = {"pages": str(len(texts)), "page_starts": ",".join(starts)}
    for key in ("title", "author"):
        with contextlib.suppress(Exception):  # damaged info dictionaries are common and not worth failing
            if value := getattr(info, key, None):
                parsed.metadata[key] = str(value).strip()
    return parsed
