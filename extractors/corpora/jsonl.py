"""Character-span JSON lines, the simplest format to bring annotations in.

One object per line::

    {"id": "wo-1", "text": "replace pump seal",
     "entities": [{"start": 8, "end": 12, "label": "Item"}, {"start": 13, "end": 17, "label": "Item"}],
     "relations": [{"head": 1, "tail": 0, "label": "partOf"}]}

Also accepted: spaCy/Prodigy-style ``"spans"`` or ``"ents"`` (``[start, end, label]`` lists or dicts),
doccano's ``start_offset``/``end_offset`` and ``from_id``/``to_id``/``type``. Relation ends are indices into
the entity list, or entity ``id`` values when the entities carry ids, or Prodigy's ``head_span``/
``child_span`` objects. Offsets count Unicode code points (Python ``str`` indices).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from extractors.corpora._common import (
    OnError,
    ReadReport,
    ReadResult,
    bad_input,
    build_text,
    check_span,
    log_report,
    read_text_file,
)
from extractors.types import AnnotatedText, EntityAnnotation, RelationAnnotation
from kg.core.errors import BadInputError

_ENTITY_KEYS = ("entities", "spans", "ents", "label")


def read_jsonl(path: str | Path, *, on_error: OnError = "raise") -> ReadResult:
    """Read a JSON-lines file of character-span records.

    Args:
        path: the ``.jsonl`` file.
        on_error: ``"raise"`` stops at the first bad record; ``"skip"`` leaves it out and counts it in
            ``report.counts["skipped_records"]`` (the reasons are in ``report.messages``).

    Raises:
        BadInputError: naming the file, line and problem (JSON syntax, missing text, span out of range,
            relation end that names no entity).
    """
    p = Path(path)
    lines = read_text_file(p).splitlines()
    numbered = ((ln, line) for ln, line in enumerate(lines, 1) if line.strip())
    return _read_records(p, ((f"{p}, line {ln}", ln, line) for ln, line in numbered), on_error, parse=True)


def write_jsonl(texts: Iterable[AnnotatedText], path: str | Path) -> int:
    """Write texts as character-span JSON lines that :func:`read_jsonl` reads back unchanged.

    Returns:
        The number of lines written.
    """
    n = 0
    with Path(path).open("w", encoding="utf-8", newline="\n") as f:
        for t in texts:
            f.write(json.dumps(t.model_dump(), ensure_ascii=False) + "\n")
            n += 1
    return n


def read_json_records(path: str | Path, records: list[Any], *, on_error: OnError = "raise") -> ReadResult:
    """Read JSONL-layout records that came as one JSON list (``records``, already parsed from ``path``)."""
    p = Path(path)
    return _read_records(
        p, ((f"{p}, record {i}", i, rec) for i, rec in enumerate(records)), on_error, parse=False
    )


def _read_records(
    p: Path, items: Iterable[tuple[str, int, Any]], on_error: OnError, *, parse: bool
) -> ReadResult:
    report = ReadReport(source=str(p))
    out = ReadResult(report=report)
    for where, n, item in items:
        try:
            rec = _parse_line(item, where) if parse else item
            out.append(record_to_text(rec, where, default_id=f"{p.stem}/{n}", source=str(p), report=report))
        except BadInputError as e:
            if on_error == "raise":
                raise
            report.add("skipped_records", str(e))
    log_report(report)
    return out


def _parse_line(line: str, where: str) -> Any:
    try:
        return json.loads(line)
    except json.JSONDecodeError as e:
        raise bad_input(
            f"{where}, column {e.colno}",
            f"not valid JSON ({e.msg})",
            "Each line must be one complete JSON object",
        ) from e


def record_to_text(
    rec: Any, where: str, *, default_id: str, source: str, report: ReadReport
) -> AnnotatedText:
    """Convert one character-span record (see the module doc) to an :class:`AnnotatedText`."""
    if not isinstance(rec, dict) or not isinstance(rec.get("text"), str):
        raise bad_input(where, 'a record must be a JSON object with a "text" string', "Add the text")
    text: str = rec["text"]
    raw_ents: list[Any] = next((rec[k] for k in _ENTITY_KEYS if isinstance(rec.get(k), list)), [])
    ents: list[EntityAnnotation] = []
    ids: dict[Any, int] = {}
    for j, e in enumerate(raw_ents):
        s, t, label, eid = _entity_fields(e, f"{where}, entity {j}")
        s, t = check_span(s, t, len(text), f"{where}, entity {j}")
        if eid is not None:
            ids[eid] = j
        ents.append(EntityAnnotation(start=s, end=t, label=label))
    rels = [
        _relation(r, ents, ids, f"{where}, relation {j}") for j, r in enumerate(rec.get("relations") or [])
    ]
    rid = rec.get("id", default_id)
    return build_text(str(rid), text, ents, rels, source=source, where=where, report=report)


def _entity_fields(e: Any, where: str) -> tuple[Any, Any, str, Any]:
    if isinstance(e, list | tuple) and len(e) >= 3:
        return e[0], e[1], _label(e[2], where), None
    if isinstance(e, dict):
        s = e.get("start", e.get("start_offset"))
        t = e.get("end", e.get("end_offset"))
        return s, t, _label(e.get("label", e.get("type")), where), e.get("id")
    raise bad_input(where, f"an entity must be [start, end, label] or an object, got {e!r}", "Fix the entity")


def _label(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value:
        raise bad_input(
            where, f"the label must be a non-empty string, got {value!r}", "Give each annotation a label"
        )
    return value


def _relation(r: Any, ents: list[EntityAnnotation], ids: dict[Any, int], where: str) -> RelationAnnotation:
    if not isinstance(r, dict):
        raise bad_input(where, f"a relation must be an object, got {r!r}", 'Use {"head", "tail", "label"}')
    if isinstance(r.get("head_span"), dict) and isinstance(r.get("child_span"), dict):
        head, tail = _by_span(r["head_span"], ents, where), _by_span(r["child_span"], ents, where)
    else:
        head = _end(r.get("head", r.get("from_id", r.get("from"))), ents, ids, where)
        tail = _end(r.get("tail", r.get("to_id", r.get("to"))), ents, ids, where)
    return RelationAnnotation(head=head, tail=tail, label=_label(r.get("label", r.get("type")), where))


def _end(ref: Any, ents: list[EntityAnnotation], ids: dict[Any, int], where: str) -> int:
    if ids:
        if ref in ids:
            return ids[ref]
        raise bad_input(
            where, f"relation end {ref!r} is not the id of an entity", "Use the ids of the entities"
        )
    if type(ref) is int and 0 <= ref < len(ents):
        return ref
    raise bad_input(
        where,
        f"relation end {ref!r} is not an index into the {len(ents)} entities",
        "Use 0-based entity positions",
    )


def _by_span(span: dict[str, Any], ents: list[EntityAnnotation], where: str) -> int:
    for i, e in enumerate(ents):
        if (e.start, e.end) == (span.get("start"), span.get("end")) and span.get("label") in (None, e.label):
            return i
    raise bad_input(
        where, f"no entity matches the relation's span {span}", "List the span among the entities"
    )
