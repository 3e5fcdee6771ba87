"""BRAT standoff (``.txt`` + ``.ann``) pairs: from a pair of files, a directory, or a zip archive.

Line kinds: ``T`` text-bound annotations (discontinuous ``s e;s e`` spans become their minimal covering span,
counted), ``R`` relations (``Arg1 → Arg2``), ``E`` events (trigger ``Type:T1`` plus ``Role:Tn`` pairs → one
relation per role, trigger → argument; a role's numeric suffix, brat's ``Theme2``, is removed), and
``A``/``M``/``N``/``#``/``*`` lines, ignored and counted. A relation argument naming an event stands for
that event's trigger. Offsets are character offsets into the ``.txt`` read without newline translation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from extractors.corpora._common import (
    OnError,
    ReadReport,
    ReadResult,
    bad_input,
    build_text,
    log_report,
    read_text_file,
)
from extractors.types import AnnotatedText, EntityAnnotation, RelationAnnotation
from kg.core.errors import BadInputError

_IGNORED = {"A": "attribute", "M": "attribute", "N": "normalization", "#": "note", "*": "equivalence"}
_ROLE_SUFFIX = re.compile(r"\d+$")
_SPAN = re.compile(r"^(\d+) (\d+)$")


@dataclass
class _Parsed:
    entities: list[EntityAnnotation] = field(default_factory=list)
    ids: dict[str, int] = field(default_factory=dict)  # T id, or E id (its trigger) → entity index
    links: list[tuple[int, str, str, str]] = field(default_factory=list)  # (line, label, arg1 id, arg2 id)
    events: list[tuple[int, str, list[str]]] = field(default_factory=list)  # (line, E id, role:id items)


def parse_brat(
    text: str,
    ann: str,
    *,
    id: str,
    source: str,
    where: str,
    report: ReadReport,
    on_error: OnError = "raise",
) -> AnnotatedText:
    """Parse one document's ``.ann`` content against its text.

    Args:
        text: the ``.txt`` content.
        ann: the ``.ann`` content.
        id: the text id.
        source: the text's ``source``.
        where: how to name the ``.ann`` file in messages.
        report: receives the counts.
        on_error: ``"skip"`` skips (and counts) malformed lines instead of raising.

    Raises:
        BadInputError: a malformed line, a span out of range, or an unknown argument id (unless skipped).
    """
    parsed = _Parsed()
    for ln, line in enumerate(ann.splitlines(), 1):
        if not line.strip():
            continue
        try:
            _parse_line(line, text, parsed, f"{where}, line {ln}", ln, report)
        except BadInputError as e:
            if on_error == "raise":
                raise
            report.add("skipped_lines", str(e))
    events = _resolve_events(parsed, where, report, on_error)
    rels = _resolve_links(parsed, where, report, on_error) + events
    return build_text(id, text, parsed.entities, rels, source=source, where=where, report=report)


def _parse_line(line: str, text: str, parsed: _Parsed, where: str, ln: int, report: ReadReport) -> None:
    kind = line[0]
    fields = line.split("\t")
    if kind in _IGNORED:
        report.add(f"ignored_{_IGNORED[kind]}_lines")
        return
    if kind not in "TRE" or len(fields) < 2 or not fields[0][1:].isdigit():
        raise bad_input(where, f"not a BRAT annotation line ({line[:60]!r})", "Fix or delete the line")
    body = fields[1].split()
    if kind == "T":
        parsed.ids[fields[0]] = len(parsed.entities)
        parsed.entities.append(_text_bound(fields, text, where, report))
    elif kind == "R":
        args = dict(a.split(":", 1) for a in body[1:] if ":" in a)
        if len(body) != 3 or set(args) != {"Arg1", "Arg2"}:
            raise bad_input(
                where, f"a relation needs 'Label Arg1:Tx Arg2:Ty', got {fields[1]!r}", "Fix the line"
            )
        parsed.links.append((ln, body[0], args["Arg1"], args["Arg2"]))
    else:
        if not body or ":" not in body[0]:
            raise bad_input(
                where, f"an event needs 'Type:Tx [Role:Ty ...]', got {fields[1]!r}", "Fix the line"
            )
        parsed.events.append((ln, fields[0], body))


def _text_bound(fields: list[str], text: str, where: str, report: ReadReport) -> EntityAnnotation:
    label, _, spans = fields[1].partition(" ")
    pieces = [_SPAN.match(s.strip()) for s in spans.split(";")]
    if not label or not all(pieces):
        raise bad_input(
            where, f"expected 'Label start end[;start end]', got {fields[1]!r}", "Fix the offsets"
        )
    bounds = [(int(m.group(1)), int(m.group(2))) for m in pieces if m]
    start, end = min(b[0] for b in bounds), max(b[1] for b in bounds)
    if any(not 0 <= s < e <= len(text) for s, e in bounds):
        raise bad_input(
            where,
            f"span {spans!r} does not fit the text (length {len(text)})",
            "Offsets are character offsets into the .txt file; check it is the matching, unmodified text",
        )
    if len(bounds) > 1:
        report.add("discontinuous_spans", f"{where}: discontinuous span {spans} read as [{start}, {end})")
    elif len(fields) > 2 and fields[2] != text[start:end]:
        report.add("mention_text_mismatch", f"{where}: .ann says {fields[2]!r}, text has {text[start:end]!r}")
    return EntityAnnotation(start=start, end=end, label=label)


def _ref(parsed: _Parsed, ref: str, where: str) -> int:
    if ref not in parsed.ids:
        raise bad_input(
            where, f"unknown argument {ref}", f"Define {ref} in the same .ann file or fix the reference"
        )
    return parsed.ids[ref]


def _resolve_events(
    parsed: _Parsed, where: str, report: ReadReport, on_error: OnError
) -> list[RelationAnnotation]:
    for _ln, eid, body in parsed.events:  # triggers first: relations and events may point at events
        trig = body[0].split(":", 1)[1]
        if trig in parsed.ids:
            parsed.ids[eid] = parsed.ids[trig]
    rels: list[RelationAnnotation] = []
    for ln, _eid, body in parsed.events:
        report.add("events")
        try:
            head = _ref(parsed, body[0].split(":", 1)[1], f"{where}, line {ln}")
            args = [
                (role, _ref(parsed, arg, f"{where}, line {ln}"))
                for role, _, arg in (b.partition(":") for b in body[1:])
            ]
        except BadInputError as e:
            if on_error == "raise":
                raise
            report.add("skipped_events", str(e))
            continue
        rels.extend(
            RelationAnnotation(head=head, tail=t, label=_ROLE_SUFFIX.sub("", r) or r) for r, t in args
        )
    return rels


def _resolve_links(
    parsed: _Parsed, where: str, report: ReadReport, on_error: OnError
) -> list[RelationAnnotation]:
    rels: list[RelationAnnotation] = []
    for ln, label, a1, a2 in parsed.links:
        try:
            rels.append(
                RelationAnnotation(
                    head=_ref(parsed, a1, f"{where}, line {ln}"),
                    tail=_ref(parsed, a2, f"{where}, line {ln}"),
                    label=label,
                )
            )
        except BadInputError as e:
            if on_error == "raise":
                raise
            report.add("skipped_relations", str(e))
    return rels


def read_brat_pair(
    txt: str | Path, ann: str | Path, *, source: str | None = None, on_error: OnError = "raise"
) -> ReadResult:
    """Read one ``.txt``/``.ann`` pair into a one-element result (id: the file stem)."""
    t, a = Path(txt), Path(ann)
    report = ReadReport(source=source or str(a))
    doc = parse_brat(
        read_text_file(t, keep_bom=True),
        read_text_file(a),
        id=t.stem,
        source=report.source,
        where=str(a),
        report=report,
        on_error=on_error,
    )
    return ReadResult([doc], report)


def read_brat_dir(
    path: str | Path,
    *,
    names: list[str] | None = None,
    source: str | None = None,
    on_error: OnError = "raise",
) -> ReadResult:
    """Read every ``.ann`` file of a directory (or only ``names``, file stems) with its ``.txt``.

    Raises:
        BadInputError: the directory has no ``.ann`` files, a named file or a ``.txt`` partner is missing.
    """
    root = Path(path)
    if not root.is_dir():
        raise BadInputError(f"{root}: not a directory. Pass the folder that holds the .txt/.ann pairs.")
    stems = names if names is not None else sorted(p.stem for p in root.glob("*.ann"))
    if not stems:
        raise BadInputError(f"{root}: no .ann files found. Pass the folder that holds the .txt/.ann pairs.")
    report = ReadReport(source=source or str(root))
    out = ReadResult(report=report)
    for stem in stems:
        ann, txt = root / f"{stem}.ann", root / f"{stem}.txt"
        if not txt.is_file() or not ann.is_file():
            raise BadInputError(
                f"{root}: {stem}.txt or {stem}.ann is missing. Every document needs both files."
            )
        out.append(
            parse_brat(
                read_text_file(txt, keep_bom=True),
                read_text_file(ann),
                id=stem,
                source=report.source,
                where=str(ann),
                report=report,
                on_error=on_error,
            )
        )
    log_report(report)
    return out
