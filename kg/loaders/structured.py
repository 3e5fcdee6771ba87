"""Load structured maintenance tables (equipment register, bill of materials, FMEA) from CSV files.

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

import csv
import hashlib
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from kg.errors import BadInputError
from kg.keys import normalise_part_number
from kg.model import DocumentInfo, EdgeFact, Evidence, FactBatch, NodeFact, PropertyValue

EXTRACTOR = "csv-loader/0.1"

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
}
#: Columns a table of each kind must have, and whose cells must not be empty.
REQUIRED_COLUMNS: dict[str, tuple[str, ...]] = {
    "equipment": ("tag", "name", "site"),
    "bom": ("equipment_tag", "part_number", "part_name"),
    "fmea": ("item", "failure_mode"),
}
_RATINGS = ("severity", "occurrence", "detection")
_RATING_KEYS = (*_RATINGS, "rpn")
_CODE_PROPERTY = {"Equipment": "tag", "Part": "part_number"}


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


class _RowProblem(BadInputError):
    """A problem confined to one row (caught and turned into a :class:`RowError`)."""

    def __init__(self, message: str, column: str | None = None) -> None:
        super().__init__(message)
        self.column = column


@dataclass(frozen=True)
class _Row:
    line: int
    start: int
    end: int
    cells: dict[str, str]


@dataclass
class _Table:
    path: Path
    doc_id: str
    kind: str
    raw: bytes
    rows: list[_Row]
    errors: list[RowError]


def normalise_header(name: str) -> str:
    """Header cells compare as lower-case words joined by ``_``: ``"Part No."`` -> ``"part_no"``."""
    return re.sub(r"[^0-9a-z]+", "_", name.casefold()).strip("_")


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
    table = _read_table(path, _doc_id(path, doc_id), _columns(mapping))
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
    columns = _columns(mapping)
    tables = [_read_table(p, _doc_id(p, None), columns) for p in files]
    ids = [t.doc_id for t in tables]
    if len(set(ids)) < len(ids):
        raise BadInputError(f"Files in {path} map to the same document id ({ids}); rename one of them.")
    tables.sort(key=lambda t: t.kind == "fmea")  # stable: keeps name order within each group
    facts = _Facts()
    for table in (t for t in tables if t.kind != "fmea"):
        facts.merge(_build(table, {}))
    labels = _item_labels(facts)
    for table in (t for t in tables if t.kind == "fmea"):
        facts.merge(_build(table, labels))
    return _result(tables, facts)


# --- reading -----------------------------------------------------------------------------------------


def _doc_id(path: Path, doc_id: str | None) -> str:
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


def _read_table(path: Path, doc_id: str, columns: dict[str, dict[str, tuple[str, ...]]]) -> _Table:
    raw, text = _decode(path)
    records = _records(text)
    first = next(records, None)
    if first is None:
        raise BadInputError(f"{path} has no header row: every line is blank or only separators.")
    line, _, _, header = first
    if isinstance(header, csv.Error):
        raise BadInputError(f"{path}:{line}: the header row is not valid CSV ({header}); fix its quoting.")
    kind, colmap = _detect(path, header, columns)
    table = _Table(path, doc_id, kind, raw, [], [])
    for line, start, end, fields in records:
        try:
            table.rows.append(_Row(line, start, end, _cells(fields, header, colmap, kind)))
        except _RowProblem as e:
            table.errors.append(RowError(str(path), line, str(e), e.column))
    return table


def _cells(
    fields: list[str] | csv.Error, header: list[str], colmap: dict[str, int], kind: str
) -> dict[str, str]:
    if isinstance(fields, csv.Error):
        raise _RowProblem(f"not valid CSV ({fields}); quote values containing commas, quotes or newlines")
    if len(fields) > len(header):
        raise _RowProblem(
            f"row has {len(fields)} fields but the header has {len(header)}; quote values that contain a "
            'comma ("a, b")'
        )
    if len(fields) < len(header):
        missing = len(fields)
        column = next((c for c, i in colmap.items() if i == missing), None)
        raise _RowProblem(
            f"row has {len(fields)} fields but the header has {len(header)}: column {header[missing]!r} "
            "onwards is missing; add the missing separators (an empty value is just ',')",
            column,
        )
    cells = {col: fields[i].strip() for col, i in colmap.items()}
    for col in REQUIRED_COLUMNS[kind]:
        if not cells[col]:
            heading = header[colmap[col]]
            raise _RowProblem(f"required column {heading!r} is empty; fill it in or delete the row", col)
    return cells


def _columns(mapping: ColumnMapping | None) -> dict[str, dict[str, tuple[str, ...]]]:
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


def _detect(
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


# --- building facts ----------------------------------------------------------------------------------


def _is_placeholder(fact: NodeFact) -> bool:
    return fact.key is not None and fact.name == fact.key


def _merge_properties(
    old: dict[str, PropertyValue], new: dict[str, PropertyValue]
) -> dict[str, PropertyValue]:
    merged = dict(old)
    new_rpn, old_rpn = new.get("rpn"), old.get("rpn")
    if isinstance(new_rpn, int) and (not isinstance(old_rpn, int) or new_rpn > old_rpn):
        merged = {k: v for k, v in merged.items() if k not in _RATING_KEYS}
        merged.update({k: v for k, v in new.items() if k in _RATING_KEYS})
    for k, v in new.items():
        merged.setdefault(k, v)
    return merged


def _merge_evidence(old: list[Evidence], new: list[Evidence]) -> None:
    seen = {ev.key() for ev in old}
    old.extend(ev for ev in new if ev.key() not in seen)


class _Facts:
    """Nodes and edges by id; adding a fact whose id is present merges the two."""

    def __init__(self) -> None:
        self.nodes: dict[str, NodeFact] = {}
        self.edges: dict[str, EdgeFact] = {}

    def node(
        self, label: str, name: str, ev: Evidence, key: str | None = None, **props: PropertyValue
    ) -> str:
        return self.add_node(NodeFact(label=label, name=name, key=key, properties=props, evidence=[ev]))

    def edge(self, source: str, type_: str, target: str, ev: Evidence, **props: PropertyValue) -> None:
        self.add_edge(EdgeFact(source=source, type=type_, target=target, properties=props, evidence=[ev]))

    def add_node(self, fact: NodeFact) -> str:
        old = self.nodes.setdefault(fact.id, fact)
        if old is not fact:
            if _is_placeholder(old) and not _is_placeholder(fact):
                old.name = fact.name
            old.properties = _merge_properties(old.properties, fact.properties)
            _merge_evidence(old.evidence, fact.evidence)
        return fact.id

    def add_edge(self, fact: EdgeFact) -> None:
        old = self.edges.setdefault(fact.id, fact)
        if old is not fact:
            old.properties = _merge_properties(old.properties, fact.properties)
            _merge_evidence(old.evidence, fact.evidence)

    def merge(self, other: _Facts) -> None:
        for node in other.nodes.values():
            self.add_node(node)
        for edge in other.edges.values():
            self.add_edge(edge)


def _coded(f: _Facts, label: str, code: str, ev: Evidence, name: str | None = None) -> str:
    """An Equipment (by tag) or Part (by part number); without a name the code stands in for it."""
    return f.node(label, name or code, ev, code, **{_CODE_PROPERTY[label]: code})


def _equipment_row(f: _Facts, c: dict[str, str], ev: Evidence, labels: Mapping[str, str]) -> None:
    props: dict[str, PropertyValue] = (
        {"equipment_class": c["equipment_class"]} if c.get("equipment_class") else {}
    )
    equipment = f.node("Equipment", c["name"], ev, c["tag"], tag=c["tag"], **props)
    f.edge(equipment, "LOCATED_AT", f.node("Site", c["site"], ev), ev)
    if c.get("parent_tag"):
        parent = _coded(f, "Equipment", c["parent_tag"], ev)
        if parent == equipment:
            raise _RowProblem(f"parent_tag {c['parent_tag']!r} is the row's own tag; clear it", "parent_tag")
        f.edge(parent, "HAS_PART", equipment, ev)


def _bom_row(f: _Facts, c: dict[str, str], ev: Evidence, labels: Mapping[str, str]) -> None:
    part = _coded(f, "Part", c["part_number"], ev, c["part_name"])
    f.edge(_coded(f, "Equipment", c["equipment_tag"], ev), "HAS_PART", part, ev)
    for column, label, relation in (
        ("supplier", "Supplier", "SUPPLIED_BY"),
        ("manufacturer", "Manufacturer", "MANUFACTURED_BY"),
        ("material", "Material", "MADE_OF"),
    ):
        if c.get(column):
            f.edge(part, relation, f.node(label, c[column], ev), ev)
    if c.get("alternative_part_number"):
        alternative = _coded(f, "Part", c["alternative_part_number"], ev)
        if alternative != part:
            f.edge(part, "ALTERNATIVE_TO", alternative, ev)


def _fmea_row(f: _Facts, c: dict[str, str], ev: Evidence, labels: Mapping[str, str]) -> None:
    item_code, mode_text = c["item"], c["failure_mode"]
    item = _coded(f, _item_label(c, labels), item_code, ev)
    ratings: dict[str, PropertyValue] = {**_ratings(c)}
    extra = {k: c[k] for k in ("failure_mode_code", "function") if c.get(k)}
    mode = f.node("FailureMode", mode_text, ev, f"{item_code}/{mode_text}", **extra, **ratings)
    f.edge(item, "HAS_FAILURE_MODE", mode, ev, **ratings)
    anchor = mode
    if c.get("cause"):
        anchor = f.node("FailureCause", c["cause"], ev, f"{item_code}/{mode_text}/{c['cause']}")
        f.edge(anchor, "CAUSES", mode, ev, **ratings)
    if c.get("effect"):
        effect = f.node("FailureEffect", c["effect"], ev, f"{item_code}/{mode_text}/{c['effect']}")
        f.edge(mode, "CAUSES", effect, ev, **{k: v for k, v in ratings.items() if k == "severity"})
    if c.get("leads_to_failure_mode"):
        nxt = c["leads_to_failure_mode"]
        if normalise_part_number(nxt) == normalise_part_number(mode_text):
            raise _RowProblem(
                "leads_to_failure_mode names the row's own mode; clear it", "leads_to_failure_mode"
            )
        f.edge(mode, "CAUSES", f.node("FailureMode", nxt, ev, f"{item_code}/{nxt}"), ev)
    for column, relation in (("detection_method", "DETECTED_BY"), ("recommended_action", "MITIGATED_BY")):
        if c.get(column):
            activity = f.node("MaintenanceActivity", c[column], ev)
            f.edge(anchor, relation, activity, ev)
            f.edge(activity, "PERFORMED_ON", item, ev)


_BUILDERS: dict[str, Callable[[_Facts, dict[str, str], Evidence, Mapping[str, str]], None]] = {
    "equipment": _equipment_row,
    "bom": _bom_row,
    "fmea": _fmea_row,
}


def _item_label(c: dict[str, str], labels: Mapping[str, str]) -> str:
    given = c.get("item_type", "")
    if given:
        match = next((label for label in _CODE_PROPERTY if label.casefold() == given.casefold()), None)
        if match is None:
            raise _RowProblem(f"item_type {given!r} must be Equipment or Part", "item_type")
        return match
    return labels.get(normalise_part_number(c["item"]), "Equipment")


def _rating(column: str, value: str, high: int) -> int:
    if not value.isdigit() or not 1 <= int(value) <= high:
        raise _RowProblem(f"{column} {value!r} must be a whole number from 1 to {high}", column)
    return int(value)


def _ratings(c: dict[str, str]) -> dict[str, int]:
    out = {k: _rating(k, c[k], 10) for k in _RATINGS if c.get(k)}
    if c.get("rpn"):
        out["rpn"] = _rating("rpn", c["rpn"], 1000)
    if all(k in out for k in _RATINGS):
        product = out["severity"] * out["occurrence"] * out["detection"]
        if out.setdefault("rpn", product) != product:
            raise _RowProblem(
                f"rpn {out['rpn']} is not severity x occurrence x detection = {product}; "
                "correct the rpn or the ratings",
                "rpn",
            )
    return out


def _item_labels(facts: _Facts) -> dict[str, str]:
    """Normalised tag/part number -> label, Equipment first so a tag wins over an equal part number."""
    labels: dict[str, str] = {}
    for label in ("Equipment", "Part"):
        for node in facts.nodes.values():
            if node.label == label and node.key:
                labels.setdefault(normalise_part_number(node.key), label)
    return labels


def _build(table: _Table, labels: Mapping[str, str]) -> _Facts:
    """Build each row separately so that a bad row adds nothing, then merge it into the table's facts."""
    facts = _Facts()
    builder = _BUILDERS[table.kind]
    for row in table.rows:
        ev = Evidence(doc_id=table.doc_id, start=row.start, end=row.end, extractor=EXTRACTOR, confidence=1.0)
        one = _Facts()
        try:
            builder(one, row.cells, ev, labels)
        except BadInputError as e:  # includes _RowProblem; node_id raises it for blank or huge names
            table.errors.append(RowError(str(table.path), row.line, str(e), getattr(e, "column", None)))
            continue
        except ValidationError as e:
            message = "; ".join(err["msg"] for err in e.errors())
            table.errors.append(RowError(str(table.path), row.line, message))
            continue
        facts.merge(one)
    return facts


def _result(tables: list[_Table], facts: _Facts) -> StructuredLoad:
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
