"""Maintenance work-order tables: how their columns are recognised, and how each row becomes an asset fact,
a row chunk (with its work-order number and date) and a description chunk for the extractor.

Example:
    >>> work_order_columns(["Asset Tag", "Short text", "Date"])
    {'asset': 0, 'description': 1, 'date': 2}
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from kg.core.facts import Evidence, NodeFact
from kg.documents import Table
from kg.ingest.pipeline.document_work import ExtractionChunk
from kg.ingest.pipeline.ingest_options import Normaliser
from kg.tables.csv_table import normalise_header
from kg.tables.structured import EXTRACTOR as TABLE_EXTRACTOR

#: header spellings of a maintenance work-order table (compared after normalise_header)
WORK_ORDER_COLUMNS: dict[str, tuple[str, ...]] = {
    "asset": ("asset", "asset_tag", "equipment", "equipment_tag", "tag", "functional_location", "asset_id"),
    "description": ("description", "short_text", "work_description", "problem", "text", "notes"),
    "date": ("date", "reported", "created", "start_date", "reported_date"),
    "work_order": ("work_order", "wo", "wo_number", "order", "order_no", "work_order_no", "notification"),
    "technician": ("technician", "tech", "performed_by", "assigned_to", "reported_by"),
    "status": ("status", "state", "wo_status", "order_status", "system_status", "user_status"),
}


def work_order_columns(header: list[str]) -> dict[str, int]:
    """Which column holds each :data:`WORK_ORDER_COLUMNS` field (the first that matches)."""
    cols: dict[str, int] = {}
    for i, h in enumerate(normalise_header(x) for x in header):
        for col, names in WORK_ORDER_COLUMNS.items():
            if h in names and col not in cols:
                cols[col] = i
    return cols


def is_work_orders(table: Table) -> bool:
    cols = work_order_columns(table.header)
    return "description" in cols and ("asset" in cols or "work_order" in cols)


def technicians(tables: list[Table]) -> list[str]:
    """The names in work-order technician columns (masked as personal data when masking is on)."""
    names: set[str] = set()
    for t in tables:
        cols = work_order_columns(t.header)
        if "technician" in cols:
            names.update(r[cols["technician"]].strip() for r in t.rows if r[cols["technician"]].strip())
    return sorted(names)


def work_order_meta(row: list[str], cols: dict[str, int]) -> dict[str, str]:
    """The row's work-order number and ISO date (when the date cell reads as one), for failure history."""
    meta = {}
    number = row[cols["work_order"]].strip() if "work_order" in cols else ""
    if number:
        meta["work_order"] = number[:100]
    day = parse_date(row[cols["date"]]) if "date" in cols else None
    if day:
        meta["date"] = day
    return meta


def parse_date(text: str) -> str | None:
    """``2024-01-08``, ``09.01.2024``, ``09/01/2024`` (day first, as in Europe), ``2024/01/08``, with an
    optional time after it, as an ISO date; None when the text is not one of those.

    Example:
        >>> parse_date("09.01.2024 06:20"), parse_date("2024-1-8"), parse_date("soon")
        ('2024-01-09', '2024-01-08', None)
    """
    m = _DATE.match(text.strip())
    if not m:
        return None
    a, b, c = m.group(1), m.group(2), m.group(3)
    year, month, day = (a, b, c) if len(a) == 4 else (c, b, a)
    try:
        return date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


_DATE = re.compile(r"^(\d{4}|\d{1,2})[-./](\d{1,2})[-./](\d{4}|\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")


@dataclass
class WorkOrderFacts:
    """What a work-order table gives: asset facts, row spans (with metadata) and description chunks."""

    assets: list[NodeFact] = field(default_factory=list)
    rows: list[tuple[int, int]] = field(default_factory=list)
    row_meta: dict[tuple[int, int], dict[str, str]] = field(default_factory=dict)
    chunks: list[ExtractionChunk] = field(default_factory=list)


class WorkOrderReader:
    """Turns a work-order table into facts and chunks; descriptions are normalised when a normaliser is given.

    Example:
        >>> facts = WorkOrderReader(None).run(doc_id, table, spans, text, original)  # doctest: +SKIP
    """

    def __init__(self, normaliser: Normaliser | None):
        self.normaliser = normaliser

    def run(
        self, doc_id: str, table: Table, spans: list[tuple[int, int]], text: str, original: str
    ) -> WorkOrderFacts:
        """``text`` is the (masked) document text, ``original`` the unmasked one: same offsets."""
        cols = work_order_columns(table.header)
        out = WorkOrderFacts()
        for row, (start, end) in zip(table.rows, spans, strict=True):
            asset_tag = row[cols["asset"]].strip() if "asset" in cols else ""
            description = " ".join(row[cols["description"]].splitlines())  # as the reader renders it
            ev = Evidence(doc_id=doc_id, start=start, end=end, extractor=TABLE_EXTRACTOR, confidence=1.0)
            if end > start:
                out.rows.append((start, end))
                out.row_meta[(start, end)] = work_order_meta(row, cols)
            asset = None
            if asset_tag:
                asset = NodeFact(label="Equipment", name=asset_tag, key=asset_tag, evidence=[ev])
                out.assets.append(asset)
            if not description.strip():
                continue
            at = original.find(description, start, end) if end > start else -1
            if at < 0:
                continue  # the rendering lost the cell (should not happen): its text cannot be cited
            chunk = ExtractionChunk(text[at : at + len(description)], at, len(description), asset=asset)
            if self.normaliser is not None:
                norm = self.normaliser(chunk.text)
                chunk.text, chunk.to_original = norm.text, norm.to_original
            out.chunks.append(chunk)
        return out
