"""Readers for delimited tables (.csv, .tsv: delimiter sniffed) and JSON (flat records as a table)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

from kg.core.errors import DocumentError
from kg.documents.charset import SAMPLE, decode_bytes
from kg.documents.content import ParsedFile
from kg.documents.table_building import make_table, table_text


def _sniff_delimiter(sample: str) -> str:
    """The delimiter among , ; tab | that splits the first lines into the most consistent field counts."""
    lines = sample.splitlines(keepends=True)[:200]
    if len(lines) > 1 and len(sample) >= SAMPLE:
        lines.pop()  # probably cut short
    best, best_key = ",", (0.0, 0, 0)
    for priority, delimiter in enumerate(reversed(",;\t|")):
        try:
            counts = [len(r) for r in csv.reader(lines, delimiter=delimiter) if any(f.strip() for f in r)]
        except csv.Error:
            continue
        if not counts:
            continue
        mode = max(set(counts), key=counts.count)
        key = (counts.count(mode) / len(counts), mode, priority)
        if mode >= 2 and key > best_key:
            best, best_key = delimiter, key
    return best


def _csv_records(path: Path, text: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """(1-based first line, fields) of each CSV record with a non-blank cell."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    done = 0
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as e:
            raise DocumentError(
                f"{path}:{done + 1}: not valid CSV ({e}); a quote is probably not closed. Fix the quoting "
                "there and ingest again."
            ) from e
        line, done = done + 1, reader.line_num
        if any(f.strip() for f in fields):
            yield line, fields


def read_csv(path: Path, raw: bytes, max_bytes: int) -> ParsedFile:
    """A CSV/TSV file (delimiter sniffed): one table, its first non-blank record the header."""
    decoded = decode_bytes(path, raw)
    delimiter = _sniff_delimiter(decoded.text[:SAMPLE])
    records = _csv_records(path, decoded.text, delimiter)
    first = next(records, None)
    if first is None:
        raise DocumentError(f"{path}: no rows: every line is blank. Export the table again.")
    parsed = ParsedFile("", decoded=decoded, metadata={"delimiter": delimiter})
    table = make_table(path.stem, first[1], list(records), 1, parsed.warnings)
    parsed.tables.append(table)
    parsed.text = table_text(table)
    return parsed


def read_json(path: Path, raw: bytes, max_bytes: int) -> ParsedFile:
    """A JSON file: an array of flat objects as a table, anything else as ``path.to.key: value`` lines."""
    decoded = decode_bytes(path, raw)
    try:
        data = json.loads(decoded.text)
    except json.JSONDecodeError as e:
        raise DocumentError(
            f"{path}: invalid JSON at line {e.lineno}, column {e.colno}: {e.msg}. Fix it there "
            f"(python -m json.tool '{path}' shows the spot) and ingest again."
        ) from e
    except RecursionError as e:
        raise DocumentError(f"{path}: JSON nested too deeply to read; flatten it and ingest again.") from e
    parsed = ParsedFile("", decoded=decoded)
    scalar = (str, int, float, bool, type(None))
    records = data if isinstance(data, list) and data else [None]
    if all(isinstance(x, dict) and all(isinstance(v, scalar) for v in x.values()) for x in records):
        header = list(dict.fromkeys(k for x in data for k in x))
        body = [(i, [_json_scalar(x.get(k)) for k in header]) for i, x in enumerate(data, 1)]
        table = make_table(path.stem, header, body, 1, parsed.warnings)
        parsed.tables.append(table)
        parsed.text = table_text(table)
        return parsed
    parsed.text = "\n".join(f"{key}: {value}" if key else value for key, value in _json_leaves(data))
    return parsed


def _json_scalar(value: object) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else json.dumps(value)


def _json_leaves(data: object) -> Iterator[tuple[str, str]]:
    """(path.to[0].key, text) for each non-null scalar, in document order (iterative: no recursion limit)."""
    stack: list[tuple[str, object]] = [("", data)]
    while stack:
        key, value = stack.pop()
        if isinstance(value, dict):
            stack.extend((f"{key}.{k}" if key else str(k), v) for k, v in reversed(value.items()))
        elif isinstance(value, list):
            stack.extend((f"{key}[{i}]", v) for i, v in reversed(list(enumerate(value))))
        elif value is not None:
            yield key, _json_scalar(value)
