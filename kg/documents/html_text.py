"""Reader for HTML (.html, .htm): the visible text, laid out with the line breaks a browser would show."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from kg.documents.charset import decode_bytes
from kg.documents.content import ParsedFile, Table
from kg.documents.table_building import make_table


def read_html(path: Path, raw: bytes, max_bytes: int) -> ParsedFile:
    """An HTML file: its visible text, its tables, ``<title>`` and author ``<meta>``."""
    from bs4 import BeautifulSoup

    decoded = decode_bytes(path, raw, html=True)
    soup = BeautifulSoup(decoded.text, "lxml")
    parsed = ParsedFile(_HtmlText().render(soup), decoded=decoded)
    parsed.tables = _tables(soup, path.name)
    if soup.title is not None and (title := " ".join(soup.title.get_text().split())):
        parsed.metadata["title"] = title
    author = soup.find("meta", attrs={"name": re.compile("^author$", re.IGNORECASE)})
    if author is not None and (content := str(author.get("content") or "").strip()):
        parsed.metadata["author"] = content
    return parsed


def _tables(soup: Any, name: str) -> list[Table]:
    """The document's data tables (``<table>`` without a table inside: an outer layout table is no data),
    the first row as the header; a table's rows are also in the text, as "cell | cell" lines."""
    tables: list[Table] = []
    for table in soup.find_all("table"):
        if table.find("table") is not None:
            continue
        rows = [
            (number, [" ".join(cell.get_text(" ").split()) for cell in tr.find_all(("td", "th"))])
            for number, tr in enumerate(table.find_all("tr"), 1)
        ]
        rows = [(n, cells) for n, cells in rows if any(cells)]
        if len(rows) >= 2:
            tables.append(make_table(f"{name} table {len(tables) + 1}", rows[0][1], rows[1:], 1, []))
    return tables


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
