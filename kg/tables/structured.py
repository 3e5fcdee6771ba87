"""Load structured maintenance tables (equipment register, bill of materials, FMEA, troubleshooting) from CSV
files.

A table's kind is recognised from its header (:data:`DEFAULT_COLUMNS`, extendable per call). Every data row
becomes nodes and relationships whose evidence is that row's exact character span in the decoded file
(decoded as ``utf-8-sig``, so a byte-order mark is not counted), read by ``csv-loader/0.1`` with
confidence 1.0.

Identity rules:
    * Equipment is keyed by tag and Part by part number (``NodeFact.key``); Site, Supplier, Manufacturer,
      Material and MaintenanceActivity by their text as written (aliases are left to entity resolution).
    * FailureMode is scoped to its item: key ``<item>/<mode>``, name the mode text, so the same wording
      on two items gives two nodes and their RPNs never collide. FailureCause and FailureEffect are scoped
      to their mode (``<item>/<mode>/<text>``).
    * An FMEA ``item`` is typed by an ``item_type`` column (Equipment/Part) when there is one, else by
      looking it up among known equipment tags and part numbers (``item_labels``; :func:`load_directory`
      fills it from the directory's equipment and BOM tables), else it is Equipment.

FMEA ratings: a row's severity/occurrence/detection/rpn go on its ``cause -CAUSES-> mode`` edge; the mode
node and its ``HAS_FAILURE_MODE`` edge carry the ratings of the mode's worst (highest-RPN) row. The row's
detection method and recommended action attach (DETECTED_BY / MITIGATED_BY) to its cause, or to the mode
when the row names no cause, and are PERFORMED_ON the item.

Merging (rows of a file, files of a directory): facts with the same id are merged: evidence is united,
a placeholder name (equal to the key, e.g. a tag seen only in a BOM) gives way to a real one, and for
properties the first value wins except the ratings above.

Example:
    >>> result = load_csv(Path("samples/structured/equipment.csv"))  # doctest: +SKIP
    >>> result.errors, result.batch.documents[0].id  # doctest: +SKIP
    ([], 'csv:equipment')
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from kg.core.errors import BadInputError
from kg.core.facts import DocumentInfo, Evidence, FactBatch, PropertyValue
from kg.core.keys import normalise_part_number
from kg.tables.csv_table import (
    DEFAULT_COLUMNS,
    REQUIRED_COLUMNS,
    ColumnMapping,
    RowError,
    RowProblem,
    Table,
    TableRow,
    detect_table_kind,
    normalise_header,
    read_table,
    row_cells,
    table_columns,
    table_doc_id,
)
from kg.tables.fmea import fmea_row_facts, known_item_labels
from kg.tables.merge import FactCollector, coded_node
from kg.tables.troubleshooting import troubleshooting_row_facts

__all__ = [
    "DEFAULT_COLUMNS",
    "EXTRACTOR",
    "REQUIRED_COLUMNS",
    "ColumnMapping",
    "RowError",
    "StructuredLoad",
    "load_csv",
    "load_directory",
    "load_rows",
    "normalise_header",
]

EXTRACTOR = "csv-loader/0.1"
#: a manual's troubleshooting table is what a document says, not a system of record
#: (:data:`kg.core.facts.RECORD_EXTRACTORS`): answers list its failure modes beside the FMEA's, not as them
TROUBLESHOOTING_EXTRACTOR = "troubleshooting-table/0.1"


@dataclass
class StructuredLoad:
    """What a load produced: the facts, the rows that were skipped, and each file's table kind.

    Example:
        >>> result = load_directory(Path("samples/structured"))  # doctest: +SKIP
        >>> result.raise_for_errors().batch.nodes[0].label  # doctest: +SKIP
        'Equipment'
    """

    batch: FactBatch
    errors: list[RowError] = field(default_factory=list)
    kinds: dict[str, str] = field(default_factory=dict)

    def raise_for_errors(self) -> StructuredLoad:
        """Return self when every row loaded; otherwise raise one BadInputError listing the bad rows."""
        if self.errors:
            lines = "\n  - ".join(str(e) for e in self.errors[:20])
            more = f"\n  ... and {len(self.errors) - 20} more" if len(self.errors) > 20 else ""
            raise BadInputError(f"{len(self.errors)} row(s) were skipped:\n  - {lines}{more}")
        return self


def load_csv(
    path: Path,
    *,
    doc_id: str | None = None,
    mapping: ColumnMapping | None = None,
    item_labels: Mapping[str, str] | None = None,
) -> StructuredLoad:
    """Load one CSV table (kind detected from its header) into facts with row-level evidence.

    Args:
        path: the CSV file (UTF-8, header row first).
        doc_id: the document id for evidence; default ``csv:<file stem>``. Must not contain ``|``.
        mapping: extra header spellings per kind and canonical column, e.g.
            ``{"bom": {"part_number": ["Mat.-Nr."]}}``; added to :data:`DEFAULT_COLUMNS`.
        item_labels: FMEA item code -> ``"Equipment"`` or ``"Part"``; unknown items are Equipment.

    Returns:
        The facts, plus one :class:`RowError` per skipped row.

    Raises:
        BadInputError: the file is unreadable, not UTF-8, empty, or its header matches no table kind.
    """
    path = Path(path)
    table = read_table(path, table_doc_id(path, doc_id), table_columns(mapping))
    labels = {normalise_part_number(k): v for k, v in (item_labels or {}).items()}
    return _result([table], _build(table, labels))


def load_directory(path: Path, *, mapping: ColumnMapping | None = None) -> StructuredLoad:
    """Load every ``*.csv`` of a directory (sorted by name) into one merged batch.

    FMEA tables are built after the others so their items are typed by the directory's equipment tags
    and part numbers. Document ids are ``csv:<file stem>``.

    Raises:
        BadInputError: ``path`` is not a directory, holds no CSV, or one file fails as in :func:`load_csv`.
    """
    path = Path(path)
    if not path.is_dir():
        raise BadInputError(f"{path} is not a directory: pass the folder of *.csv tables, or use load_csv.")
    files = sorted(path.glob("*.csv"))
    if not files:
        raise BadInputError(f"No *.csv files in {path}: put the equipment, BOM and FMEA tables there.")
    columns = table_columns(mapping)
    tables = [read_table(p, table_doc_id(p, None), columns) for p in files]
    ids = [t.doc_id for t in tables]
    if len(set(ids)) < len(ids):
        raise BadInputError(f"Files in {path} map to the same document id ({ids}); rename one of them.")
    tables.sort(key=lambda t: t.kind in _ITEM_KINDS)  # stable: keeps name order within each group
    facts = FactCollector()
    for table in (t for t in tables if t.kind not in _ITEM_KINDS):
        facts.merge(_build(table, {}))
    labels = known_item_labels(facts)
    for table in (t for t in tables if t.kind in _ITEM_KINDS):
        facts.merge(_build(table, labels))
    return _result(tables, facts)


def load_rows(
    path: Path,
    doc_id: str,
    header: list[str],
    rows: list[tuple[int, int, int, list[str]]],
    *,
    mapping: ColumnMapping | None = None,
    item_labels: Mapping[str, str] | None = None,
) -> StructuredLoad:
    """Facts from a table another reader already parsed (an XLSX sheet, a CSV in another encoding).

    Args:
        rows: ``(source line or sheet row, start, end, cells)`` per row, where ``start``/``end`` is the
            row's character span in the document text the caller stores as evidence.

    Raises:
        BadInputError: the header matches no known table kind (the caller may read the table as text).
    """
    kind, colmap = detect_table_kind(path, header, table_columns(mapping))
    table = Table(path, doc_id, kind, b"", [], [])
    for line, start, end, fields in rows:
        try:
            table.rows.append(TableRow(line, start, end, row_cells(fields, header, colmap, kind)))
        except RowProblem as e:
            table.errors.append(RowError(str(path), line, str(e), e.column))
    labels = {normalise_part_number(k): v for k, v in (item_labels or {}).items()}
    facts = _build(table, labels)
    batch = FactBatch(nodes=list(facts.nodes.values()), edges=list(facts.edges.values()))
    return StructuredLoad(batch=batch, errors=table.errors, kinds={str(path): kind})


# --- building facts ----------------------------------------------------------------------------------


def _equipment_row(f: FactCollector, c: dict[str, str], ev: Evidence, labels: Mapping[str, str]) -> None:
    props: dict[str, PropertyValue] = (
        {"equipment_class": c["equipment_class"]} if c.get("equipment_class") else {}
    )
    equipment = f.node("Equipment", c["name"], ev, c["tag"], tag=c["tag"], **props)
    f.edge(equipment, "LOCATED_AT", f.node("Site", c["site"], ev), ev)
    if c.get("parent_tag"):
        parent = coded_node(f, "Equipment", c["parent_tag"], ev)
        if parent == equipment:
            raise RowProblem(f"parent_tag {c['parent_tag']!r} is the row's own tag; clear it", "parent_tag")
        f.edge(parent, "HAS_PART", equipment, ev)


def _bom_row(f: FactCollector, c: dict[str, str], ev: Evidence, labels: Mapping[str, str]) -> None:
    part = coded_node(f, "Part", c["part_number"], ev, c["part_name"])
    f.edge(coded_node(f, "Equipment", c["equipment_tag"], ev), "HAS_PART", part, ev)
    for column, label, relation in (
        ("supplier", "Supplier", "SUPPLIED_BY"),
        ("manufacturer", "Manufacturer", "MANUFACTURED_BY"),
        ("material", "Material", "MADE_OF"),
    ):
        if c.get(column):
            f.edge(part, relation, f.node(label, c[column], ev), ev)
    if c.get("alternative_part_number"):
        alternative = coded_node(f, "Part", c["alternative_part_number"], ev)
        if alternative != part:
            f.edge(part, "ALTERNATIVE_TO", alternative, ev)


_BUILDERS: dict[str, Callable[[FactCollector, dict[str, str], Evidence, Mapping[str, str]], None]] = {
    "equipment": _equipment_row,
    "bom": _bom_row,
    "fmea": fmea_row_facts,
    "troubleshooting": troubleshooting_row_facts,
}
#: kinds whose rows name items by tag or part number: built after the others, which say what each code is
_ITEM_KINDS = ("fmea", "troubleshooting")


def _build(table: Table, labels: Mapping[str, str]) -> FactCollector:
    """Build each row separately so that a bad row adds nothing, then merge it into the table's facts."""
    facts = FactCollector()
    builder = _BUILDERS[table.kind]
    for row in table.rows:
        extractor = TROUBLESHOOTING_EXTRACTOR if table.kind == "troubleshooting" else EXTRACTOR
        ev = Evidence(doc_id=table.doc_id, start=row.start, end=row.end, extractor=extractor, confidence=1.0)
        one = FactCollector()
        try:
            builder(one, row.cells, ev, labels)
        except BadInputError as e:  # includes RowProblem; node_id raises it for blank or huge names
            table.errors.append(RowError(str(table.path), row.line, str(e), getattr(e, "column", None)))
            continue
        except ValidationError as e:
            message = "; ".join(err["msg"] for err in e.errors())
            table.errors.append(RowError(str(table.path), row.line, message))
            continue
        facts.merge(one)
    return facts


def _result(tables: list[Table], facts: FactCollector) -> StructuredLoad:
    documents = [
        DocumentInfo(
            id=t.doc_id,
            properties={
                "path": str(t.path),
                "content_hash": hashlib.sha256(t.raw).hexdigest(),
                "reader": "csv",
                "size": len(t.raw),
                "table_kind": t.kind,
            },
        )
        for t in tables
    ]
    batch = FactBatch(nodes=list(facts.nodes.values()), edges=list(facts.edges.values()), documents=documents)
    errors = sorted((e for t in tables for e in t.errors), key=lambda e: (e.file, e.line))
    return StructuredLoad(batch=batch, errors=errors, kinds={str(t.path): t.kind for t in tables})
