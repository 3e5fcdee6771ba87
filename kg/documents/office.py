"""Readers for Office packages: Word (.docx) text and tables, Excel (.xlsx, .xlsm) sheets as tables.

Both are zip packages, checked (not an OLE file, a valid zip, not a zip bomb) before a library inflates them.
"""

from __future__ import annotations

import datetime as dt
import io
import warnings
import zipfile
from pathlib import Path
from typing import Any

from kg.core.errors import DocumentError
from kg.documents.content import ParsedFile
from kg.documents.file_bytes import format_size
from kg.documents.table_building import make_table, table_text

_MAX_UNPACK_RATIO = 20  # a .docx/.xlsx may unpack to at most this many times max_bytes (zip-bomb guard)
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"


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
            f"{path}: unpacks to {format_size(unpacked)}, over {_MAX_UNPACK_RATIO}x the "
            f"{format_size(max_bytes)} limit; raise --max-document-mb or split the file."
        )
    return io.BytesIO(raw)


def read_docx(path: Path, raw: bytes, max_bytes: int) -> ParsedFile:
    """A Word file: paragraphs and tables in document order (a table row as a line), each table as a table."""
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
    parsed = ParsedFile("")
    lines: list[str] = []
    for block in blocks:
        if isinstance(block, DocxTable):
            name = f"table_{len(parsed.tables) + 1}"
            grid, text_rows, merged = _docx_grid(block)
            if merged:
                parsed.warnings.append(f"{name}: {merged} merged cell(s) filled with their value")
            if grid:
                parsed.tables.append(
                    make_table(name, grid[0], list(enumerate(grid[1:], 2)), 1, parsed.warnings)
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


def read_xlsx(path: Path, raw: bytes, max_bytes: int) -> ParsedFile:
    """An Excel workbook: one table per sheet (from its first row with two filled cells) and its text."""
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
    parsed = ParsedFile("", warnings=list(dict.fromkeys(f"XLSX: {w.message}" for w in caught)))
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


def _sheet(sheet: Any, parsed: ParsedFile) -> str | None:
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
    table = make_table(
        sheet.title, [rows[header_row].get(c, "") for c in width], body, first, parsed.warnings
    )
    parsed.tables.append(table)
    above = [" ".join(rows[r][c] for c in sorted(rows[r])) for r in sorted(rows) if r < header_row]
    return "\n".join(part for part in (f"Sheet: {sheet.title}", *above, table_text(table)) if part)
