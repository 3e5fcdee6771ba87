"""Tables of a known kind (equipment, BOM, FMEA) → facts without the model, and where each table row lies
in the document text (the row's span is the evidence of its facts).

Example:
    >>> from kg.documents import Table
    >>> row_spans("a: 1; b: 2\\n", Table("t", ["a", "b"], [["1", "2"]], [2]), 0)
    ([(0, 10)], 10)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kg.core.errors import BadInputError
from kg.core.facts import EdgeFact, NodeFact
from kg.core.keys import normalise_part_number
from kg.documents import Table
from kg.graph.knowledge_graph import KnowledgeGraph
from kg.ingest.pipeline.document_work import DocumentWork
from kg.ingest.pipeline.ingest_options import IngestOptions
from kg.tables.csv_table import RowError
from kg.tables.structured import load_rows
from kg.tables.troubleshooting import subject_failure_modes


def row_spans(text: str, table: Table, cursor: int) -> tuple[list[tuple[int, int]], int]:
    """Each row's character span in the document text (the readers render a row per line)."""
    spans: list[tuple[int, int]] = []
    for row in table.rows:
        rendered = "; ".join(
            f"{h}: {' '.join(v.splitlines())}" for h, v in zip(table.header, row, strict=True) if v
        )
        at = text.find(rendered, cursor) if rendered else -1
        if at >= 0:
            spans.append((at, at + len(rendered)))
            cursor = at + len(rendered)
            continue
        cells = [v for v in row if v.strip()]  # other renderings (DOCX " | ", a PDF's wrapped cells)
        first = _loose(cells[0]).search(text, cursor) if cells else None
        if first is None:
            spans.append((cursor, cursor))
            continue
        end = first.end()
        last = _loose(cells[-1]).search(text, end) if len(cells) > 1 else None
        if last is not None and last.start() - end <= 2 * sum(map(len, cells)):  # the row's last cell
            end = last.end()
        line_end = text.find("\n", end)
        line_end = len(text) if line_end < 0 else line_end
        spans.append((first.start(), line_end))
        cursor = line_end
    return spans, cursor


def _loose(cell: str) -> re.Pattern[str]:
    """``cell``'s words with any white space between them (a cell wrapped onto two lines of a PDF)."""
    return re.compile(r"\s+".join(re.escape(w) for w in cell.split()))


class KnownItems:
    """Known equipment tags and part numbers (key -> label): the graph's, then this ingestor's tables'.

    FMEA rows name items by tag or number; this says which is equipment and which a part.
    """

    def __init__(self, kg: KnowledgeGraph | None):
        self.kg = kg
        self._items: dict[str, str] = {}
        self._loaded = kg is None  # no graph (a cluster worker): only what its tables name

    def labels(self) -> dict[str, str]:
        if not self._loaded:
            self._loaded = True
            for r in self.kg.entity_names() if self.kg is not None else ():
                label = next((x for x in r["labels"] if x in ("Equipment", "Part")), None)
                if label:
                    self._items.setdefault(r["id"].split(":", 1)[1], label)
        return self._items

    def remember(self, nodes: list[NodeFact]) -> None:
        for n in nodes:  # FMEA items later in the batch are typed by these tags/numbers
            if n.label in ("Equipment", "Part") and n.key is not None:
                self._items.setdefault(n.id.split(":", 1)[1], n.label)


@dataclass
class TableFacts:
    """The facts of one table of a known kind, the spans of its rows, and rows it could not use."""

    nodes: list[NodeFact] = field(default_factory=list)
    edges: list[EdgeFact] = field(default_factory=list)
    rows: list[tuple[int, int]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    kind: str = ""


class TableFactLoader:
    """Loads a table of a known kind as facts (:func:`kg.tables.structured.load_rows`).

    Example:
        >>> TableFactLoader(kg, IngestOptions()).run(work, table, spans)  # doctest: +SKIP
    """

    def __init__(self, kg: KnowledgeGraph | None, options: IngestOptions):
        self.options = options
        self.items = KnownItems(kg)  # lives as long as the ingestor: its runs share what they learnt

    def run(self, w: DocumentWork, table: Table, spans: list[tuple[int, int]]) -> TableFacts | None:
        """The table's facts; None when it is not a known kind (its rows are then read as text)."""
        try:
            loaded = load_rows(
                w.content.path,
                w.record.doc_id,
                table.header,
                [(n, s, e, r) for n, (s, e), r in zip(table.row_numbers, spans, table.rows, strict=True)],
                mapping=self.options.mapping,
                item_labels=self.items.labels(),
            )
        except BadInputError:
            return None
        self.items.remember(loaded.batch.nodes)
        rows = [(s, e) for s, e in spans if e > s]
        kind = next(iter(loaded.kinds.values()), "")
        nodes, edges = list(loaded.batch.nodes), list(loaded.batch.edges)
        if kind == "troubleshooting":
            labels = {normalise_part_number(k): v for k, v in self.items.labels().items()}
            about = subject_failure_modes(nodes, edges, _title(w), labels)
            nodes += about.nodes.values()
            edges += about.edges.values()
        return TableFacts(nodes, edges, rows, list(loaded.errors), kind)


def _title(w: DocumentWork) -> str:
    """The document's title and its first line with text (a PDF's title is often only in its metadata)."""
    title = str(w.content.metadata.get("title") or "")
    first = next((line for line in w.content.text.splitlines() if line.strip()), "")
    return f"{title}\n{first[:300]}"
