"""Read one document file into plain text (and tables) for extraction: the first step of batch ingestion.

:func:`read_document` picks a reader by the file's suffix, reads the bytes once (after checking the size, so
an oversized file is never loaded), and returns a :class:`DocumentContent`: the text extractors run on (spans
index into it), any tables, the encoding decision for byte formats, and non-fatal warnings. Everything that
makes a file unreadable raises :class:`kg.core.errors.DocumentError` with the file, the problem and the fix;
library errors are wrapped where they enter.

Byte formats (.txt .md .html .csv .json) are decoded by :func:`decode_bytes`: BOM, strict UTF-8, UTF-16
without a BOM, an HTML ``<meta charset>``, then charset-normalizer on a bounded sample. Decoded text is kept
exactly (newlines are not normalised) so offsets map back to the file's characters.

Example:
    >>> doc = read_document(Path("samples/pump-manual.pdf"))   # doctest: +SKIP
    >>> doc.reader, doc.metadata["pages"]                     # doctest: +SKIP
    ('pdf', '12')
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import datetime as dt
import hashlib
import io
import json
import logging
import re
import stat
import threading
import warnings
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.core.errors import DocumentError

DEFAULT_MAX_BYTES = 25 * 2**20

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
_SAMPLE = 64 * 1024  # bytes looked at for binary content and charset detection
_MAX_CONTROL = 0.10  # share of control bytes above which a file is binary, not text
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, *range(0x0E, 0x20), 0x7F])  # not \t \n \f \r
_CONTROL_CHARS = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")
_BOMS = (  # UTF-32 first: its LE BOM starts with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
#: Legacy encodings charset-normalizer may choose among (others mostly produce confident mojibake).
_CANDIDATES = ["cp1252", "latin_1", "gb18030", "shift_jis", "utf_16"]
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_MAX_UNPACK_RATIO = 20  # a .docx/.xlsx may unpack to at most this many times max_bytes (zip-bomb guard)
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"


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


@dataclass(frozen=True)
class Decoded:
    """Text decoded from bytes, with how its encoding was decided (see :func:`decode_bytes`).

    Example:
        >>> Decoded("Société", "cp1252", "charset-normalizer (1.00)").encoding
        'cp1252'
    """

    text: str
    encoding: str
    note: str
    warnings: tuple[str, ...] = ()


@dataclass
class _Parsed:
    text: str
    tables: list[Table] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    metadata: dict[str, str] = field(default_factory=dict)
    decoded: Decoded | None = None


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
    raw = _read_bytes(path, max_bytes)
    try:
        parsed = _READERS[reader](path, raw, max_bytes)
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


# --- reading bytes -------------------------------------------------------------------------------------


def _reader_for(path: Path) -> str:
    suffix = path.suffix.lower()
    reader = _READER_BY_SUFFIX.get(suffix)
    if reader is None:
        what = f"unsupported file type {suffix}" if suffix else "no file suffix, so no reader applies"
        hint = _CONVERT_HINTS.get(suffix, "Convert it to one of these, or leave it out.")
        raise DocumentError(f"{path}: {what}; supported: {', '.join(supported_suffixes())}. {hint}")
    return reader


def _size(n: int) -> str:
    if n >= 2**20:
        return f"{n // 2**20} MB" if n % 2**20 == 0 else f"{n / 2**20:.1f} MB"
    return f"{n / 1024:.1f} KB" if n >= 1024 else f"{n} bytes"


def _too_big(path: Path, size: int, max_bytes: int) -> DocumentError:
    return DocumentError(
        f"{path}: {_size(size)} is over the {_size(max_bytes)} limit; "
        "raise --max-document-mb or split the file."
    )


def _os_problem(path: Path, e: OSError) -> DocumentError:
    if isinstance(e, FileNotFoundError):
        return DocumentError(f"{path}: no such file or directory. Check the path.")
    if isinstance(e, PermissionError):
        return DocumentError(
            f"{path}: permission denied. Make it readable (chmod u+r '{path}') or ingest it as a user "
            "who can read it."
        )
    return DocumentError(f"{path}: cannot read it ({e.strerror or e}). Check the file and the disk.")


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    """The file's bytes; the size is checked before reading and the read is capped at ``max_bytes + 1``."""
    try:
        st = path.stat()
    except OSError as e:
        raise _os_problem(path, e) from e
    if stat.S_ISDIR(st.st_mode):
        raise DocumentError(f"{path}: is a directory; pass the files in it (ingest lists directories).")
    if not stat.S_ISREG(st.st_mode):
        raise DocumentError(
            f"{path}: not a regular file (a pipe, socket or device); copy its content to a file."
        )
    if st.st_size == 0:
        raise DocumentError(
            f"{path}: empty file (0 bytes); nothing to ingest. Export it again or leave it out."
        )
    if st.st_size > max_bytes:
        raise _too_big(path, st.st_size, max_bytes)
    try:
        with path.open("rb") as f:
            raw = f.read(max_bytes + 1)
    except OSError as e:
        raise _os_problem(path, e) from e
    if len(raw) > max_bytes:  # grew since stat()
        raise _too_big(path, len(raw), max_bytes)
    if not raw:
        raise DocumentError(
            f"{path}: empty file (0 bytes); nothing to ingest. Export it again or leave it out."
        )
    return raw


# --- decoding ------------------------------------------------------------------------------------------


def decode_bytes(path: Path, raw: bytes, *, html: bool = False) -> Decoded:
    """Decode a byte-format document, deciding the encoding as described in the module docstring.

    Raises:
        DocumentError: the bytes are binary (too many control bytes, or no candidate encoding fits).

    Example:
        >>> d = decode_bytes(Path("a.txt"), "Société".encode("utf-16"))
        >>> d.text, d.encoding, d.note
        ('Société', 'utf-16-le', 'BOM')
    """
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            return _check_text(path, _decode_whole(raw[len(bom) :], encoding, "BOM"))
    head = raw[:_SAMPLE]
    control = (len(head) - len(head.translate(None, _CONTROL_BYTES))) / len(head) if head else 0.0
    first_bad = 0
    if control <= _MAX_CONTROL:
        utf8 = _utf8(raw)
        if isinstance(utf8, Decoded):
            return utf8
        first_bad = utf8
    utf16 = _utf16_without_bom(head)
    if utf16 is not None:
        with contextlib.suppress(UnicodeDecodeError):
            return _check_text(
                path, Decoded(raw.decode(utf16), utf16, "UTF-16 without BOM (alternate NUL bytes)")
            )
    if control > _MAX_CONTROL:
        raise _binary(path, f"{control:.0%} control bytes")
    if html and (declared := _declared_charset(raw)) is not None:
        return declared
    return _check_text(path, _detect_legacy(path, raw, first_bad))


def _utf8(raw: bytes) -> Decoded | int:
    """UTF-8 if the bytes are (almost all) valid UTF-8, else the offset of the first invalid byte."""
    try:
        return Decoded(raw.decode("utf-8"), "utf-8", "valid UTF-8")
    except UnicodeDecodeError as e:
        first_bad = e.start
    text = raw.decode("utf-8", "replace")
    bad = text.count("\ufffd")
    valid_non_ascii = len(text) - len(text.encode("ascii", "ignore")) - bad
    # A few broken sequences among many valid multi-byte ones: a damaged UTF-8 file, not a legacy encoding
    # (cp1252 or GBK text rarely forms valid UTF-8 sequences by chance).
    if valid_non_ascii >= 20 * bad:
        return Decoded(
            text,
            "utf-8",
            "mostly valid UTF-8",
            (f"{bad} invalid UTF-8 sequence(s) (first at byte {first_bad}) replaced with U+FFFD",),
        )
    return first_bad


def _utf16_without_bom(head: bytes) -> str | None:
    pairs = len(head) // 2
    if pairs < 2:
        return None
    even_nuls = head[0 : pairs * 2 : 2].count(0)
    odd_nuls = head[1 : pairs * 2 : 2].count(0)
    if odd_nuls >= 0.25 * pairs and even_nuls * 4 < odd_nuls:
        return "utf-16-le"  # ASCII 'A' is 41 00 in little-endian
    if even_nuls >= 0.25 * pairs and odd_nuls * 4 < even_nuls:
        return "utf-16-be"
    return None


def _declared_charset(raw: bytes) -> Decoded | None:
    match = _META_CHARSET.search(raw[:4096])
    if match is None:
        return None
    try:
        encoding = codecs.lookup(match.group(1).decode("ascii")).name
    except LookupError:
        return None
    if encoding in ("latin-1", "iso8859-1", "ascii"):
        encoding = "cp1252"  # what browsers do (WHATWG encoding standard)
    try:
        return Decoded(raw.decode(encoding), encoding, "HTML meta charset")
    except UnicodeDecodeError:
        return None


def _detect_legacy(path: Path, raw: bytes, first_bad: int) -> Decoded:
    """charset-normalizer on a bounded sample around the first non-UTF-8 byte, then a decode of the whole."""
    from charset_normalizer import from_bytes

    start = raw.rfind(b"\n", max(0, first_bad - 4096), first_bad) + 1 or first_bad
    sample = raw[start : start + _SAMPLE]
    if start + _SAMPLE < len(raw) and (cut := sample.rfind(b"\n")) > _SAMPLE // 2:
        sample = sample[: cut + 1 + (sample[cut + 1 : cut + 2] == b"\x00")]  # keep a UTF-16 LE newline whole
    best = from_bytes(sample, cp_isolation=_CANDIDATES, enable_fallback=False).best()
    if best is None:
        raise _binary(path, "tried UTF-8, UTF-16, cp1252, GB18030 and Shift-JIS")
    encoding = codecs.lookup(best.encoding).name
    note = f"charset-normalizer ({1 - best.chaos:.2f})"
    if encoding == "cp1252":
        try:
            return Decoded(raw.decode("cp1252"), "cp1252", note)
        except UnicodeDecodeError:  # one of the 5 bytes cp1252 leaves undefined: latin-1 decodes them all
            return Decoded(raw.decode("latin-1"), "latin-1", note + ", latin-1 for bytes cp1252 lacks")
    return _decode_whole(raw, encoding, note)


def _decode_whole(raw: bytes, encoding: str, note: str) -> Decoded:
    try:
        return Decoded(raw.decode(encoding), encoding, note)
    except UnicodeDecodeError as e:
        text = raw.decode(encoding, "replace")
        bad = text.count("\ufffd")
        return Decoded(
            text,
            encoding,
            note,
            (f"{bad} byte sequence(s) invalid in {encoding} (first at byte {e.start}) replaced with U+FFFD",),
        )


def _check_text(path: Path, decoded: Decoded) -> Decoded:
    head = decoded.text[:_SAMPLE]
    share = len(_CONTROL_CHARS.findall(head)) / len(head) if head else 0.0
    if share > _MAX_CONTROL:
        raise _binary(path, f"{share:.0%} control characters as {decoded.encoding}")
    return decoded


def _binary(path: Path, why: str) -> DocumentError:
    return DocumentError(
        f"{path}: binary content (no text encoding fits: {why}) — not a text document. Check that it is the "
        "file you meant; if it is text, re-save it as UTF-8."
    )


# --- prose formats -------------------------------------------------------------------------------------


def _read_text(path: Path, raw: bytes, max_bytes: int) -> _Parsed:
    decoded = decode_bytes(path, raw)
    return _Parsed(decoded.text, decoded=decoded)


def _read_markdown(path: Path, raw: bytes, max_bytes: int) -> _Parsed:
    decoded = decode_bytes(path, raw)
    parsed = _Parsed(decoded.text, decoded=decoded)
    if heading := re.search(r"^ {0,3}#[ \t]+(.+?)[ \t#]*\r?$", decoded.text, re.MULTILINE):
        parsed.metadata["title"] = heading.group(1)
    return parsed


def _read_html(path: Path, raw: bytes, max_bytes: int) -> _Parsed:
    from bs4 import BeautifulSoup

    decoded = decode_bytes(path, raw, html=True)
    soup = BeautifulSoup(decoded.text, "lxml")
    parsed = _Parsed(_HtmlText().render(soup), decoded=decoded)
    if soup.title is not None and (title := " ".join(soup.title.get_text().split())):
        parsed.metadata["title"] = title
    author = soup.find("meta", attrs={"name": re.compile("^author$", re.IGNORECASE)})
    if author is not None and (content := str(author.get("content") or "").strip()):
        parsed.metadata["author"] = content
    return parsed


#: Elements whose text is not shown.
_HTML_HIDDEN = frozenset(
    {"script", "style", "noscript", "template", "head", "title", "iframe", "object", "svg"}
)
#: Elements that start a new line (1) or a new paragraph (2).
_HTML_BREAKS = {
    **dict.fromkeys(
        ("div", "li", "tr", "dt", "dd", "caption", "figcaption", "summary", "option", "label"), 1
    ),
    **dict.fromkeys(("p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl", "table", "pre", "hr"), 2),
    **dict.fromkeys(("blockquote", "section", "article", "aside", "header", "footer", "nav", "main"), 2),
    **dict.fromkeys(("address", "details", "fieldset", "figure", "form", "body", "html"), 2),
}
_HTML_CELLS = frozenset({"td", "th"})


class _HtmlText:
    """Visible text of an HTML tree: whitespace collapsed as a browser does, block boundaries as newlines."""

    def __init__(self) -> None:
        self.out: list[str] = []
        self.pending = 0  # newlines owed before the next text
        self.cell_gap = False  # a table cell ended on this line: separate the next one with " | "
        self.pre = 0

    def render(self, root: Any) -> str:
        from bs4.element import NavigableString, PreformattedString, Tag

        # Iterative walk: deeply nested HTML must not hit the recursion limit.
        stack: list[tuple[Any, bool]] = [(root, False)]
        while stack:
            node, closing = stack.pop()
            if isinstance(node, Tag):
                if node.name in _HTML_HIDDEN or node.has_attr("hidden"):
                    continue
                self._boundary(node.name, closing)
                if not closing:
                    stack.append((node, True))
                    stack.extend((child, False) for child in reversed(node.contents))
            elif isinstance(node, NavigableString) and not isinstance(node, PreformattedString):
                self._text(str(node))
        return "".join(self.out).strip()

    def _boundary(self, name: str, closing: bool) -> None:
        if name == "pre":
            self.pre += -1 if closing else 1
        if name == "br" and not closing:
            self.pending += 1
            self.cell_gap = False
        elif name in _HTML_BREAKS:
            self.pending = max(self.pending, _HTML_BREAKS[name])
            self.cell_gap = False
        elif name in _HTML_CELLS and closing:
            self.cell_gap = True

    def _text(self, text: str) -> None:
        if not self.pre:
            text = re.sub(r"\s+", " ", text)
        if not text.strip() and not self.pre:
            if self.out and not self.pending and not self.out[-1].endswith(" "):
                self.out.append(" ")
            return
        if self.pending:
            if self.out:
                self.out[-1] = self.out[-1].rstrip(" ")
                self.out.append("\n" * min(self.pending, 2))
            text = text if self.pre else text.lstrip()
            self.pending = 0
        elif self.cell_gap and self.out:
            self.out[-1] = self.out[-1].rstrip(" ")
            text = " | " + text.lstrip()
        self.cell_gap = False
        if self.out or text.strip():
            self.out.append(text if self.out else text.lstrip())


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


def _read_pdf(path: Path, raw: bytes, max_bytes: int) -> _Parsed:
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


def _pdf_pages(path: Path, raw: bytes) -> _Parsed:
    pages, info = _open_pdf(path, raw)
    parsed = _Parsed("")
    texts = []
    for number, page in enumerate(pages, 1):
        try:
            texts.append(page.extract_text())
        except Exception as e:
            parsed.warnings.append(
                f"page {number}: text extraction failed ({type(e).__name__}: {e}); skipped"
            )
            texts.append("")
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


# --- containers (.docx, .xlsx) -------------------------------------------------------------------------


def _open_zip_package(path: Path, raw: bytes, kind: str, max_bytes: int) -> io.BytesIO:
    """Check a .docx/.xlsx is a sane zip package before a library inflates it."""
    if raw.startswith(_OLE_MAGIC):
        raise DocumentError(
            f"{path}: not a {kind} package but an OLE file: a password-protected Office file or an old "
            f"binary .doc/.xls renamed. Remove the password or save it as {path.suffix.lower()} in Office or "
            "LibreOffice, and ingest again."
        )
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as package:
            unpacked = sum(info.file_size for info in package.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as e:
        raise DocumentError(
            f"{path}: corrupt {kind} (not a valid zip package: {e}). Open it in Office or LibreOffice, save "
            "it again and ingest the new file."
        ) from e
    if unpacked > _MAX_UNPACK_RATIO * max_bytes:
        raise DocumentError(
            f"{path}: unpacks to {_size(unpacked)}, over {_MAX_UNPACK_RATIO}x the {_size(max_bytes)} limit; "
            "raise --max-document-mb or split the file."
        )
    return io.BytesIO(raw)


def _read_docx(path: Path, raw: bytes, max_bytes: int) -> _Parsed:
    import docx
    from docx.table import Table as DocxTable

    stream = _open_zip_package(path, raw, "DOCX", max_bytes)
    try:
        document = docx.Document(stream)
        blocks = list(document.iter_inner_content())
    except Exception as e:
        raise DocumentError(
            f"{path}: corrupt DOCX: {e}. Open it in Word or LibreOffice, save it again and ingest the "
            "new file."
        ) from e
    parsed = _Parsed("")
    lines: list[str] = []
    for block in blocks:
        if isinstance(block, DocxTable):
            name = f"table_{len(parsed.tables) + 1}"
            grid, text_rows, merged = _docx_grid(block)
            if merged:
                parsed.warnings.append(f"{name}: {merged} merged cell(s) filled with their value")
            if grid:
                parsed.tables.append(
                    _make_table(name, grid[0], list(enumerate(grid[1:], 2)), 1, parsed.warnings)
                )
            lines.extend(text_rows)
        else:
            lines.append(block.text)
    parsed.text = "\n".join(lines)
    props = document.core_properties
    parsed.metadata = {k: v.strip() for k, v in (("title", props.title), ("author", props.author)) if v}
    return parsed


def _docx_grid(table: Any) -> tuple[list[list[str]], list[str], int]:
    """Cell texts per row (merged cells repeated), one text line per row (merged cells once), merge count."""
    grid: list[list[str]] = []
    lines: list[str] = []
    spans: dict[int, int] = {}
    for row in table.rows:
        cells = list(row.cells)
        for cell in cells:
            spans[id(cell._tc)] = spans.get(id(cell._tc), 0) + 1
        grid.append([""] * row.grid_cols_before + [c.text.strip() for c in cells])
        distinct = [c for i, c in enumerate(cells) if i == 0 or c._tc is not cells[i - 1]._tc]
        lines.append(" | ".join(c.text.strip() for c in distinct))
    return grid, lines, sum(1 for n in spans.values() if n > 1)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value).strip()


def _read_xlsx(path: Path, raw: bytes, max_bytes: int) -> _Parsed:
    import openpyxl

    stream = _open_zip_package(path, raw, "XLSX", max_bytes)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            # Not read_only: merged-cell ranges are only available on normal worksheets.
            book = openpyxl.load_workbook(stream, data_only=True)
        except Exception as e:
            raise DocumentError(
                f"{path}: corrupt XLSX: {e}. Open it in Excel or LibreOffice, save it again as .xlsx and "
                "ingest the new file."
            ) from e
    parsed = _Parsed("", warnings=list(dict.fromkeys(f"XLSX: {w.message}" for w in caught)))
    blocks, headless = [], []
    try:
        for sheet in book.worksheets:
            block = _sheet(sheet, parsed)
            if block is None:
                headless.append(sheet.title)
            elif block:
                blocks.append(block)
    finally:
        book.close()
    if not parsed.tables:
        if headless:
            raise DocumentError(
                f"{path}: xlsx: no header row found in sheet '{headless[0]}' (no row has two or more filled "
                "cells). Put the column names in one row above the data, or save prose as .txt."
            )
        raise DocumentError(
            f"{path}: xlsx: every sheet is empty; nothing to ingest. Fill it or leave it out."
        )
    parsed.text = "\n\n".join(blocks)
    parsed.metadata = {"sheets": str(len(book.worksheets))}
    props = book.properties
    parsed.metadata |= {k: v.strip() for k, v in (("title", props.title), ("author", props.creator)) if v}
    return parsed


def _sheet_cells(sheet: Any) -> tuple[dict[int, dict[int, str]], int]:
    """Non-empty cell texts as {row: {column: text}}, merged ranges filled from their top-left cell."""
    rows: dict[int, dict[int, str]] = {}
    # sheet._cells holds only the cells stored in the file; iter_rows() would create every cell of the used
    # range, which styling alone can stretch to a million rows.
    for (r, c), cell in sheet._cells.items():
        if text := _cell_text(cell.value):
            rows.setdefault(r, {})[c] = text
    if not rows:
        return rows, 0
    last_row, last_col = max(rows), max(max(cols) for cols in rows.values())
    filled = 0
    for merged in sheet.merged_cells.ranges:
        value = rows.get(merged.min_row, {}).get(merged.min_col)
        if value is None:
            continue
        filled += 1
        for r in range(merged.min_row, min(merged.max_row, last_row) + 1):
            for c in range(merged.min_col, min(merged.max_col, last_col) + 1):
                rows.setdefault(r, {})[c] = value
    return rows, filled


def _sheet(sheet: Any, parsed: _Parsed) -> str | None:
    """Add the sheet's table to ``parsed``; return its text ("" if empty, None if it has no header row)."""
    where = f"sheet '{sheet.title}'"
    rows, filled = _sheet_cells(sheet)
    if filled:
        parsed.warnings.append(f"{where}: {filled} merged range(s) filled with their top-left value")
    if not rows:
        parsed.warnings.append(f"{where}: empty; skipped")
        return ""
    header_row = next((r for r in sorted(rows) if len(rows[r]) >= 2), None)
    if header_row is None:
        parsed.warnings.append(f"{where}: no header row (no row has two or more filled cells); not a table")
        return None
    first = min(min(rows[r]) for r in rows if r >= header_row)
    last = max(max(rows[r]) for r in rows if r >= header_row)
    width = range(first, last + 1)
    body = [(r, [rows[r].get(c, "") for c in width]) for r in sorted(rows) if r > header_row]
    table = _make_table(
        sheet.title, [rows[header_row].get(c, "") for c in width], body, first, parsed.warnings
    )
    parsed.tables.append(table)
    above = [" ".join(rows[r][c] for c in sorted(rows[r])) for r in sorted(rows) if r < header_row]
    return "\n".join(part for part in (f"Sheet: {sheet.title}", *above, _table_text(table)) if part)


# --- tables (.csv, .json) ------------------------------------------------------------------------------


def _make_table(
    name: str,
    header: Sequence[str],
    body: Sequence[tuple[int, Sequence[str]]],
    first_col: int,
    notes: list[str],
) -> Table:
    """Name empty/duplicate header cells, pad or cut rows to the header, and note what was changed.

    ``first_col`` is the 1-based source column of ``header[0]`` (for ``column_<n>`` names). Trailing header
    cells that are empty in the header and in every row are dropped; cells past the header are cut (noted
    when they held a value). Rows with no value are left out.
    """
    header = [h.strip() for h in header]
    width = len(header)
    while width and not header[width - 1] and not any(_cell(row, width - 1) for _, row in body):
        width -= 1
    rows, numbers, cut = [], [], []
    for number, row in body:
        cells = [_cell(row, i) for i in range(width)]
        if any(c.strip() for c in row[width:]):
            cut.append(number)
        if any(cells):
            rows.append(cells)
            numbers.append(number)
    if cut:
        shown = ", ".join(map(str, cut[:5])) + (" ..." if len(cut) > 5 else "")
        notes.append(
            f"{name}: {len(cut)} row(s) have more cells than the header's {width} ({shown}); the extra cells "
            "were dropped. Quote values that contain the delimiter."
        )
    return Table(name, _header_names(name, header[:width], first_col, notes), rows, numbers)


def _cell(row: Sequence[str], i: int) -> str:
    return row[i].strip() if i < len(row) else ""


def _header_names(name: str, header: list[str], first_col: int, notes: list[str]) -> list[str]:
    """``column_<n>`` for empty cells, ``<name>_2`` for repeats; each change noted."""
    names: list[str] = []
    for i, cell in enumerate(header):
        label = cell or f"column_{first_col + i}"
        if not cell:
            notes.append(f"{name}: header cell {first_col + i} is empty; named it '{label}'")
        base, n = label, 1
        while label in names:
            n += 1
            label = f"{base}_{n}"
        if label != base and cell:
            notes.append(
                f"{name}: header '{base}' appears more than once; column {first_col + i} is '{label}'"
            )
        names.append(label)
    return names


def _table_text(table: Table) -> str:
    """One line per row, ``header: value; header: value``; empty cells left out, newlines as spaces."""
    return "\n".join(
        "; ".join(f"{h}: {' '.join(v.splitlines())}" for h, v in zip(table.header, row, strict=True) if v)
        for row in table.rows
    )


def _sniff_delimiter(sample: str) -> str:
    """The delimiter among , ; tab | that splits the first lines into the most consistent field counts."""
    lines = sample.splitlines(keepends=True)[:200]
    if len(lines) > 1 and len(sample) >= _SAMPLE:
        lines.pop()  # probably cut short
    best, best_key = ",", (0.0, 0, 0)
    for priority, delimiter in enumerate(reversed(",;\t|")):
        try:
            counts = [len(r) for r in csv.reader(lines, delimiter=delimiter) if any(f.strip() for f in r)]
        except csv.Error:
            continue
        if not counts:
            continue
        mode = max(set(counts), key=counts.count)
        key = (counts.count(mode) / len(counts), mode, priority)
        if mode >= 2 and key > best_key:
            best, best_key = delimiter, key
    return best


def _csv_records(path: Path, text: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """(1-based first line, fields) of each CSV record with a non-blank cell."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    done = 0
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as e:
            raise DocumentError(
                f"{path}:{done + 1}: not valid CSV ({e}); a quote is probably not closed. Fix the quoting "
                "there and ingest again."
            ) from e
        line, done = done + 1, reader.line_num
        if any(f.strip() for f in fields):
            yield line, fields


def _read_csv(path: Path, raw: bytes, max_bytes: int) -> _Parsed:
    decoded = decode_bytes(path, raw)
    delimiter = _sniff_delimiter(decoded.text[:_SAMPLE])
    records = _csv_records(path, decoded.text, delimiter)
    first = next(records, None)
    if first is None:
        raise DocumentError(f"{path}: no rows: every line is blank. Export the table again.")
    parsed = _Parsed("", decoded=decoded, metadata={"delimiter": delimiter})
    table = _make_table(path.stem, first[1], list(records), 1, parsed.warnings)
    parsed.tables.append(table)
    parsed.text = _table_text(table)
    return parsed


def _read_json(path: Path, raw: bytes, max_bytes: int) -> _Parsed:
    decoded = decode_bytes(path, raw)
    try:
        data = json.loads(decoded.text)
    except json.JSONDecodeError as e:
        raise DocumentError(
            f"{path}: invalid JSON at line {e.lineno}, column {e.colno}: {e.msg}. Fix it there "
            f"(python -m json.tool '{path}' shows the spot) and ingest again."
        ) from e
    except RecursionError as e:
        raise DocumentError(f"{path}: JSON nested too deeply to read; flatten it and ingest again.") from e
    parsed = _Parsed("", decoded=decoded)
    scalar = (str, int, float, bool, type(None))
    records = data if isinstance(data, list) and data else [None]
    if all(isinstance(x, dict) and all(isinstance(v, scalar) for v in x.values()) for x in records):
        header = list(dict.fromkeys(k for x in data for k in x))
        body = [(i, [_json_scalar(x.get(k)) for k in header]) for i, x in enumerate(data, 1)]
        table = _make_table(path.stem, header, body, 1, parsed.warnings)
        parsed.tables.append(table)
        parsed.text = _table_text(table)
        return parsed
    parsed.text = "\n".join(f"{key}: {value}" if key else value for key, value in _json_leaves(data))
    return parsed


def _json_scalar(value: object) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else json.dumps(value)


def _json_leaves(data: object) -> Iterator[tuple[str, str]]:
    """(path.to[0].key, text) for each non-null scalar, in document order (iterative: no recursion limit)."""
    stack: list[tuple[str, object]] = [("", data)]
    while stack:
        key, value = stack.pop()
        if isinstance(value, dict):
            stack.extend((f"{key}.{k}" if key else str(k), v) for k, v in reversed(value.items()))
        elif isinstance(value, list):
            stack.extend((f"{key}[{i}]", v) for i, v in reversed(list(enumerate(value))))
        elif value is not None:
            yield key, _json_scalar(value)


_READERS: dict[str, Callable[[Path, bytes, int], _Parsed]] = {
    "text": _read_text,
    "markdown": _read_markdown,
    "html": _read_html,
    "pdf": _read_pdf,
    "docx": _read_docx,
    "csv": _read_csv,
    "xlsx": _read_xlsx,
    "json": _read_json,
}
