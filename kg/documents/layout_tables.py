"""Tables in a PDF page's layout text (pypdf's ``extraction_mode="layout"``): columns are runs of text set
apart by wide gaps, and a row's cells may wrap onto the lines below it.

A table starts at a line of two or more cells (its header) followed by lines whose cells start under the
header's columns. When blank lines set the rows apart, each block of lines between them is a row, however
its cells wrap (a cell set lower or higher than its neighbours included); otherwise a row starts at a line
with text in the first column and another, and every other line continues the row above. The table ends at
a line whose text runs across a column boundary (a paragraph), at a lone first-column line after a blank
line (a heading), or at three blank lines. Fewer than two rows is no table.

The page's text is not changed: ingestion loads a table of a known kind (a troubleshooting table) as facts
and reads the rest as text, as for every other reader.

Example:
    >>> page = '''Symptom            Cause                 Remedy
    ...
    ... Oil leak at hose   Hose abrasion at a    Replace hose
    ...                    clamp
    ...
    ... Slow ram           Filter in bypass      Change element
    ... '''
    >>> [t.rows for t in layout_tables(page, "p1")][0][0]
    ['Oil leak at hose', 'Hose abrasion at a clamp', 'Replace hose']
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kg.documents.content import Table
from kg.documents.table_building import make_table

#: a cell: words set apart from the next cell by three or more spaces
_CELL = re.compile(r"\S+(?: {1,2}\S+)*")
#: how far a cell may start left or right of its column's start
_SLACK = 2


@dataclass
class _Grid:
    starts: list[int]
    header: list[str]
    rows: list[list[str]] = field(default_factory=list)
    numbers: list[int] = field(default_factory=list)


def _cells(line: str) -> list[tuple[int, str]]:
    return [(m.start(), m.group(0)) for m in _CELL.finditer(line)]


def _columns(grid: _Grid, cells: list[tuple[int, str]]) -> list[int] | None:
    """The column of each cell, or None when a cell is not under a column or runs into the next one."""
    out = []
    for start, text in cells:
        col = max((i for i, s in enumerate(grid.starts) if s - _SLACK <= start), default=None)
        if col is None or (col + 1 < len(grid.starts) and start + len(text) > grid.starts[col + 1] - 1):
            return None
        if abs(start - grid.starts[col]) > _SLACK and col > 0 and start < grid.starts[col]:
            return None
        out.append(col)
    return out if len(set(out)) == len(out) else None


def layout_tables(text: str, name: str) -> list[Table]:
    """The tables of one page's layout text, named ``<name> table <n>``."""
    lines = text.splitlines()
    tables: list[Table] = []
    i = 0
    while i < len(lines):
        header = _cells(lines[i])
        if len(header) >= 2:
            grid = _Grid([s for s, _ in header], [t for _, t in header])
            end = _read_rows(grid, lines, i + 1)
            if len(grid.rows) >= 2:
                rows = list(zip(grid.numbers, grid.rows, strict=True))
                tables.append(make_table(f"{name} table {len(tables) + 1}", grid.header, rows, 1, []))
                i = end
                continue
        i += 1
    return tables


def _read_rows(grid: _Grid, lines: list[str], i: int) -> int:
    """Fill ``grid`` from line ``i``; the line after the table."""
    blocks: list[list[tuple[int, list[tuple[int, str]], list[int]]]] = [[]]
    blanks = 0
    while i < len(lines):
        cells = _cells(lines[i])
        if not cells:
            blanks += 1
            if blanks >= 3:
                break
            if blocks[-1]:
                blocks.append([])
            i += 1
            continue
        cols = _columns(grid, cells)
        if cols is None or (blanks and cols == [0] and any(blocks)):
            break  # a paragraph, or a heading after the table
        blanks = 0
        blocks[-1].append((i + 1, cells, cols))
        i += 1
    blocks = [b for b in blocks if b]
    if len(blocks) > 1:  # rows set apart by blank lines: each block is a row, however its cells wrap
        for block in blocks:
            _add_row(grid, block)
        return i
    row: list[tuple[int, list[tuple[int, str]], list[int]]] = []
    for line in blocks[0] if blocks else []:
        if 0 in line[2] and line[2] != [0] and row:  # text in the first column and beyond: a new row
            _add_row(grid, row)
            row = []
        row.append(line)
    if row:
        _add_row(grid, row)
    return i


def _add_row(grid: _Grid, lines: list[tuple[int, list[tuple[int, str]], list[int]]]) -> None:
    parts: list[list[str]] = [[] for _ in grid.starts]
    for _, cells, cols in lines:
        for (_, text), col in zip(cells, cols, strict=True):
            parts[col].append(text)
    grid.rows.append([" ".join(p) for p in parts])
    grid.numbers.append(lines[0][0])
