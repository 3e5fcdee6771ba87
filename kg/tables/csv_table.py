"""Read a CSV table and recognise its kind from the header: the reading half of :mod:`kg.tables.structured`.

Decoding (``utf-8-sig``), splitting into records with each record's exact character span, header matching
against :data:`DEFAULT_COLUMNS` (plus per-call spellings) and per-row cell checks live here; turning the rows
into facts does not.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from kg.core.errors import BadInputError

#: kind -> canonical column -> extra accepted header spellings (compared after :func:`normalise_header`).
ColumnMapping = Mapping[str, Mapping[str, Sequence[str]]]

DEFAULT_COLUMNS: dict[str, dict[str, tuple[str, ...]]] = {
    "equipment": {
        "tag": ("equipment_tag", "tag_no", "tag_number", "asset_tag", "asset_id", "functional_location"),
        "name": ("equipment_name", "asset_name", "description", "equipment_description"),
        "site": ("plant", "location", "site_name", "plant_name"),
        "equipment_class": ("class", "equipment_type", "type", "asset_class", "category"),
        "parent_tag": ("parent", "parent_equipment", "parent_asset", "superior_equipment"),
    },
    "bom": {
        "equipment_tag": ("equipment", "tag", "asset", "asset_tag", "equipment_id"),
        "part_number": ("part_no", "part_num", "pn", "p_n", "part_id", "mpn", "material_number"),
        "part_name": ("part", "part_description", "item_description", "component"),
        "supplier": ("supplier_name", "vendor", "vendor_name"),
        "manufacturer": ("manufacturer_name", "mfr", "make", "oem", "brand"),
        "material": ("material_of_construction", "moc"),
        "alternative_part_number": (
            "alternative_part_no",
            "alternate_part_number",
            "alt_part_number",
            "alt_pn",
        ),
    },
    "fmea": {
        "item": ("component", "equipment", "item_tag", "equipment_tag", "part_number"),
        "item_type": ("item_class", "item_label"),
        "function": ("item_function",),
        "failure_mode": ("mode", "potential_failure_mode"),
        "failure_mode_code": ("mode_code", "iso_14224_code", "fm_code"),
        "cause": ("failure_cause", "potential_cause", "cause_of_failure"),
        "effect": ("failure_effect", "potential_effect", "effect_of_failure"),
        "severity": ("sev", "s", "severity_s"),
        "occurrence": ("occ", "o", "occurrence_o"),
        "detection": ("det", "d", "detection_d", "detectability"),
        "rpn": ("risk_priority_number",),
        "detection_method": ("current_detection", "detection_control", "current_controls"),
        "recommended_action": ("action", "recommended_actions", "mitigation"),
        "leads_to_failure_mode": ("leads_to", "next_failure_mode", "secondary_failure_mode"),
    },
    # a manual's troubleshooting table: kg.tables.troubleshooting
    "troubleshooting": {
        "symptom": ("symptoms", "problem", "fault", "trouble", "malfunction", "fault_symptom", "observation"),
        "cause": (
            "causes",
            "possible_cause",
            "possible_causes",
            "probable_cause",
            "probable_causes",
            "likely_cause",
            "likely_causes",
            "reason",
        ),
        "remedy": (
            "remedies",
            "corrective_action",
            "corrective_actions",
            "solution",
            "action",
            "actions",
            "fix",
            "what_to_do",
            "measure",
            "measures",
        ),
        "item": ("equipment", "component", "tag", "equipment_tag", "part_number", "assembly"),
    },
}
#: Columns a table of each kind must have, and whose cells must not be empty.
REQUIRED_COLUMNS: dict[str, tuple[str, ...]] = {
    "equipment": ("tag", "name", "site"),
    "bom": ("equipment_tag", "part_number", "part_name"),
    "fmea": ("item", "failure_mode"),
    "troubleshooting": ("symptom", "cause"),
}


@dataclass(frozen=True)
class RowError:
    """A row that was skipped, and why; the other rows of the file are still loaded.

    Example:
        >>> str(RowError("bom.csv", 7, "column 'part_number' is empty; fill it in", "part_number"))
        "bom.csv:7: column 'part_number' is empty; fill it in"
    """

    file: str
    line: int
    message: str
    column: str | None = None

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class RowProblem(BadInputError):
    """A problem confined to one row (caught and turned into a :class:`RowError`)."""

    def __init__(self, message: str, column: str | None = None) -> None:
        super().__init__(message)
        self.column = column


@dataclass(frozen=True)
class TableRow:
    line: int
    start: int
    end: int
    cells: dict[str, str]


@dataclass
class Table:
    path: Path
    doc_id: str
    kind: str
    raw: bytes
    rows: list[TableRow]
    errors: list[RowError]


def normalise_header(name: str) -> str:
    """Header cells compare as lower-case words joined by ``_``: ``"Part No."`` -> ``"part_no"``."""
    return re.sub(r"[^0-9a-z]+", "_", name.casefold()).strip("_")


def table_doc_id(path: Path, doc_id: str | None) -> str:
    if doc_id is None:
        return "csv:" + path.stem.replace("|", "_")
    if "|" in doc_id or not doc_id.strip():
        raise BadInputError(f"doc_id {doc_id!r} must be non-blank and free of '|' (the evidence separator).")
    return doc_id


def _decode(path: Path) -> tuple[bytes, str]:
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise BadInputError(f"Cannot read {path}: {e.strerror or e}. Check the path and permissions.") from e
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise BadInputError(
            f"{path} is not UTF-8: byte 0x{raw[e.start]:02x} at offset {e.start} (line {line}) does not "
            "decode. Re-save it as UTF-8 (Excel: 'CSV UTF-8'; or iconv -f cp1252 -t utf-8)."
        ) from e
    if not text.strip():
        raise BadInputError(f"{path} is empty: a table needs a header row, then one row per record.")
    return raw, text


def _records(text: str) -> Iterator[tuple[int, int, int, list[str] | csv.Error]]:
    """Yield (1-based first line, start, end, fields or the parse error) for each non-blank CSV record."""
    parts = text.split("\n")
    lines = [p + "\n" for p in parts[:-1]] + ([parts[-1]] if parts[-1] else [])
    starts = [0]
    for piece in lines:
        starts.append(starts[-1] + len(piece))
    reader = csv.reader(iter(lines), strict=True)
    done = 0
    while True:
        first = done
        try:
            fields: list[str] | csv.Error = next(reader)
        except StopIteration:
            return
        except csv.Error as e:
            fields = e
        done = reader.line_num
        start, end = starts[first], starts[done]
        for terminator in "\n\r":  # the record's line terminator (\n or \r\n) is not part of its span
            if end > start and text[end - 1] == terminator:
                end -= 1
        if isinstance(fields, csv.Error) or any(f.strip() for f in fields):
            yield first + 1, start, end, fields


def read_table(path: Path, doc_id: str, columns: dict[str, dict[str, tuple[str, ...]]]) -> Table:
    raw, text = _decode(path)
    records = _records(text)
    first = next(records, None)
    if first is None:
        raise BadInputError(f"{path} has no header row: every line is blank or only separators.")
    line, _, _, header = first
    if isinstance(header, csv.Error):
        raise BadInputError(f"{path}:{line}: the header row is not valid CSV ({header}); fix its quoting.")
    kind, colmap = detect_table_kind(path, header, columns)
    table = Table(path, doc_id, kind, raw, [], [])
    for line, start, end, fields in records:
        try:
            table.rows.append(TableRow(line, start, end, row_cells(fields, header, colmap, kind)))
        except RowProblem as e:
            table.errors.append(RowError(str(path), line, str(e), e.column))
    return table


def row_cells(
    fields: list[str] | csv.Error, header: list[str], colmap: dict[str, int], kind: str
) -> dict[str, str]:
    if isinstance(fields, csv.Error):
        raise RowProblem(f"not valid CSV ({fields}); quote values containing commas, quotes or newlines")
    if len(fields) > len(header):
        raise RowProblem(
            f"row has {len(fields)} fields but the header has {len(header)}; quote values that contain a "
            'comma ("a, b")'
        )
    if len(fields) < len(header):
        missing = len(fields)
        column = next((c for c, i in colmap.items() if i == missing), None)
        raise RowProblem(
            f"row has {len(fields)} fields but the header has {len(header)}: column {header[missing]!r} "
            "onwards is missing; add the missing separators (an empty value is just ',')",
            column,
        )
    cells = {col: fields[i].strip() for col, i in colmap.items()}
    for col in REQUIRED_COLUMNS[kind]:
        if not cells[col]:
            heading = header[colmap[col]]
            raise RowProblem(f"required column {heading!r} is empty; fill it in or delete the row", col)
    return cells


def table_columns(mapping: ColumnMapping | None) -> dict[str, dict[str, tuple[str, ...]]]:
    merged = {
        kind: {col: (col, *names) for col, names in cols.items()} for kind, cols in DEFAULT_COLUMNS.items()
    }
    for kind, cols in (mapping or {}).items():
        if kind not in merged:
            raise BadInputError(
                f"Unknown table kind {kind!r} in the column mapping; use one of {list(merged)}."
            )
        for col, names in cols.items():
            if col not in merged[kind]:
                raise BadInputError(
                    f"Unknown {kind} column {col!r} in the mapping; use one of {list(merged[kind])}."
                )
            extra = (names,) if isinstance(names, str) else tuple(names)
            merged[kind][col] += tuple(normalise_header(n) for n in extra)
    return merged


def detect_table_kind(
    path: Path, header: list[str], columns: dict[str, dict[str, tuple[str, ...]]]
) -> tuple[str, dict[str, int]]:
    """Pick the kind whose required columns are all present and that matches the most columns."""
    found: dict[str, dict[str, int]] = {}
    for kind, cols in columns.items():
        found[kind] = {}
        for i, heading in enumerate(normalise_header(h) for h in header):
            col = next((c for c, names in cols.items() if heading in names), None)
            if col is not None and col not in found[kind]:
                found[kind][col] = i
    complete = [k for k in columns if all(c in found[k] for c in REQUIRED_COLUMNS[k])]
    if not complete:
        expected = "\n".join(
            f"  - {k}: needs {', '.join(REQUIRED_COLUMNS[k])}; "
            f"missing {', '.join(c for c in REQUIRED_COLUMNS[k] if c not in found[k])}"
            for k in columns
        )
        raise BadInputError(
            f"{path}: the header matches no known table kind. Columns found: {header}.\n"
            f"Expected:\n{expected}\n"
            "Rename the columns, or pass mapping={kind: {column: [your header]}} to load_csv/load_directory."
        )
    kind = max(complete, key=lambda k: len(found[k]))
    return kind, found[kind]
