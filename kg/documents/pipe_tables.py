"""Pipe tables written in Markdown or plain text (``| Symptom | Cause | Remedy |`` over a ``|---|`` line),
parsed by markdown-it-py's GFM table rule into :class:`~kg.documents.content.Table` objects.

The document text is not changed: ingestion loads a table of a known kind (a troubleshooting table, an
FMEA, a BOM) as facts and reads every other table as text, as before. A row's number is its line in the
file.

Example:
    >>> text = "Intro\\n\\n| Symptom | Cause |\\n|---|---|\\n| Leak | Worn seal |\\n"
    >>> t = pipe_tables(text, "manual.md")[0]
    >>> t.header, t.rows, t.row_numbers
    (['Symptom', 'Cause'], [['Leak', 'Worn seal']], [5])
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt

from kg.documents.content import Table
from kg.documents.table_building import make_table

#: a delimiter row (``|---|:---:|``): without one there is no pipe table to parse
_DELIMITER = re.compile(r"^[ \t]*\|?[ \t]*:?-{3,}:?[ \t]*(\|[ \t]*:?-{3,}:?[ \t]*)*\|?[ \t]*$", re.MULTILINE)
_PARSER = MarkdownIt("commonmark").enable("table")


def pipe_tables(text: str, name: str, notes: list[str] | None = None) -> list[Table]:
    """The pipe tables of ``text``, named ``<name> table <n>``; what was changed to make one (an empty
    header cell named, a row cut to the header) is added to ``notes``."""
    notes = [] if notes is None else notes
    if "|" not in text or not _DELIMITER.search(text):
        return []
    tables: list[Table] = []
    rows: list[tuple[int, list[str]]] = []
    cells: list[str] | None = None
    for token in _PARSER.parse(text):
        if token.type == "table_open":
            rows = []
        elif token.type == "tr_open":
            cells = []
            line = token.map[0] + 1 if token.map else 0
        elif token.type == "inline" and cells is not None:
            cells.append(token.content.strip())
        elif token.type == "tr_close" and cells is not None:
            rows.append((line, cells))
            cells = None
        elif token.type == "table_close" and rows:
            tables.append(make_table(f"{name} table {len(tables) + 1}", rows[0][1], rows[1:], 1, notes))
    return tables
