"""Stage 3, prepare each document: personal data masked (when configured), its tables turned into facts,
work-order descriptions and prose chunked for the extractor.

Example:
    >>> count_kinds([])
    {}
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from extractors.types import TextChunk
from kg.ingest.chunking import split_text
from kg.ingest.language import LanguageGate
from kg.ingest.manifest import Manifest
from kg.ingest.pipeline.document_work import DocumentWork, ExtractionChunk
from kg.ingest.pipeline.ingest_options import Masker
from kg.ingest.pipeline.table_facts import TableFactLoader, row_spans
from kg.ingest.pipeline.work_orders import WorkOrderReader, is_work_orders, technicians


def count_kinds(maskings: Iterable[Any]) -> dict[str, int]:
    """How many values of each kind were masked (never the values)."""
    kinds: dict[str, int] = {}
    for m in maskings:
        kinds[m.kind] = kinds.get(m.kind, 0) + 1
    return kinds


class DocumentPreparer:
    """Fills a :class:`DocumentWork` with its table facts and the chunks the extractor is to read.

    The rows of tables that give facts (a known kind or work orders) are not read again as prose; the rest of
    the document is (a workbook's notes sheet, a report's paragraphs around its BOM table). Without a
    ``manifest`` (a cluster worker, :mod:`kg.ingest.pipeline.group_worker`) it prepares text only.

    Example:
        >>> DocumentPreparer(manifest, None, tables, WorkOrderReader(None)).run(work)  # doctest: +SKIP
    """

    def __init__(
        self,
        manifest: Manifest | None,
        masker: Masker | None,
        tables: TableFactLoader,
        work_orders: WorkOrderReader,
        gate: LanguageGate | None = None,
    ):
        self.gate = gate
        self.manifest = manifest
        self.masker = masker
        self.tables = tables
        self.work_orders = work_orders

    def run(self, w: DocumentWork) -> None:
        if w.replaces and self.manifest is not None:  # the new version's refusals replace the old's
            self.manifest.drop_pending_reviews(w.record.doc_id)
        content = w.content
        w.outcome.warnings += [f"{w.outcome.path}: {x}" for x in content.warnings]
        original = content.text
        if self.masker is not None:
            masked = self.masker(original, extra_names=technicians(content.tables))
            w.content = replace(content, text=masked.text)  # same length: every offset stays valid
            w.masked = count_kinds(masked.maskings)
        consumed = self._table_facts(w, original)
        if consumed is None:
            return
        tabular = content.reader in ("csv", "xlsx", "json") and bool(content.tables)
        foreign: dict[str, int] = {}
        foreign_lines = self.gate.foreign_lines(w.content.text) if self.gate else []
        for chunk in split_text(blank(w.content.text, consumed), doc_id=w.record.doc_id, lines=tabular):
            if consumed and _SHEET_LABEL.fullmatch(chunk.text):
                continue
            lang = self.gate.foreign(chunk.text) if self.gate else None
            if lang is not None:
                foreign[lang] = foreign.get(lang, 0) + len(chunk.text)
            text = chunk.text if lang is not None else _unread_lines(chunk, foreign_lines, foreign)
            w.chunks.append(ExtractionChunk(text, chunk.offset, len(chunk.text), read_by_model=lang is None))
        if foreign:
            w.outcome.languages_skipped = foreign
            langs = ", ".join(f"{n} characters in {lang}" for lang, n in sorted(foreign.items()))
            w.outcome.warnings.append(
                f"{w.outcome.path}: not read by the extractor (known names still link): {langs}. It reads "
                f"{', '.join(sorted(self.gate.languages)) if self.gate else ''}; translate the document, "
                "or set KG_INGEST__LANGUAGES to the languages your extractor was trained for "
                "([] reads everything)."
            )

    def _table_facts(self, w: DocumentWork, original: str) -> list[tuple[int, int]] | None:
        """Add the facts of the document's tables; the spans of the rows that gave them (read as facts, not
        as prose), or None when a row that gave facts could not be found in the text (no prose chunks then:
        reading it twice would invent what the table already says)."""
        consumed: list[tuple[int, int]] = []
        located = True
        cursor = 0
        for table in w.content.tables:
            spans, cursor = row_spans(original, table, cursor)
            if is_work_orders(table):
                orders = self.work_orders.run(w.record.doc_id, table, spans, w.content.text, original)
                w.rows += orders.rows
                w.row_meta.update(orders.row_meta)
                w.batch_nodes += orders.assets
                w.chunks += orders.chunks
                consumed += spans
                located &= _all_found(table, spans)
                continue
            facts = self.tables.run(w, table, spans)
            if facts is None:
                continue  # not a known table kind: its rows are read as text below
            if facts.kind != "troubleshooting":  # its cells are prose too: the model reads them as well
                consumed += spans
                located &= _all_found(table, spans)
            w.rows += facts.rows
            w.batch_nodes += facts.nodes
            w.batch_edges += facts.edges
            w.outcome.warnings += [f"{w.outcome.path}: {e}" for e in facts.errors]
        return consumed if located else None


#: the line a workbook reader puts above each sheet ("Sheet: FMEA"): a label of ours, not the document's text
_SHEET_LABEL = re.compile(r"Sheet: [^\n]*")


def _unread_lines(chunk: TextChunk, lines: list[tuple[int, int, str]], counts: dict[str, int]) -> str:
    """The chunk's text with the lines in another language blanked (a French subject line in an English
    offer: not read either, but its known names still link), counted into ``counts`` by language."""
    end = chunk.offset + len(chunk.text)
    inside = [
        (max(s, chunk.offset), min(e, end), lang) for s, e, lang in lines if s < end and chunk.offset < e
    ]
    for s, e, lang in inside:
        counts[lang] = counts.get(lang, 0) + e - s
    return blank(chunk.text, [(s - chunk.offset, e - chunk.offset) for s, e, _ in inside])


def blank(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with each span's characters but its line breaks turned into spaces: same length, so every
    offset stays valid, and the blanked lines are empty to the chunker.

    Example:
        >>> blank("a: 1\nNote: late\n", [(0, 4)])
        '    \nNote: late\n'
    """
    if not spans:
        return text
    chars = list(text)
    for s, e in spans:
        for i in range(s, e):
            if chars[i] != "\n":
                chars[i] = " "
    return "".join(chars)


def _all_found(table: Any, spans: list[tuple[int, int]]) -> bool:
    """Whether every row with a value was found in the text (an unfound row's span is empty)."""
    return all(e > s for (s, e), row in zip(spans, table.rows, strict=True) if any(v.strip() for v in row))
