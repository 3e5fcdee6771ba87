"""Turn rows read from a file into a :class:`~kg.documents.content.Table`, and a table into text lines."""

from __future__ import annotations

from collections.abc import Sequence

from kg.documents.content import Table


def make_table(
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


def table_text(table: Table) -> str:
    """One line per row, ``header: value; header: value``; empty cells left out, newlines as spaces."""
    return "\n".join(
        "; ".join(f"{h}: {' '.join(v.splitlines())}" for h, v in zip(table.header, row, strict=True) if v)
        for row in table.rows
    )
