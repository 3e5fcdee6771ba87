"""Label Studio JSON exports (a list of tasks) of NER + relation projects.

Each task's text is ``task["data"]["text"]`` (or the first string field of ``data``); annotations come
from the first annotation that was not cancelled: ``"labels"`` results give entities (one per label),
``"relation"`` results give relations (``direction`` ``left`` swaps the ends, ``bi`` adds both;
unlabelled ones get ``related``). Other result types (choices, text areas...) are counted and ignored.

Offsets: current Label Studio exports code-point offsets (Python ``str`` indices); versions before the
2022 emoji fix exported JavaScript UTF-16 code units, which differ after any character outside the Basic
Multilingual Plane (emoji). ``offsets="auto"`` uses each result's ``value.text`` to tell them apart.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from extractors.corpora._common import OnError, ReadReport, ReadResult, bad_input, build_text, log_report
from extractors.corpora.spert import load_json
from extractors.types import AnnotatedText, EntityAnnotation, RelationAnnotation
from kg.core.errors import BadInputError

Offsets = Literal["auto", "codepoints", "utf16"]
UNLABELLED_RELATION = "related"


def utf16_to_codepoints(text: str) -> dict[int, int]:
    """Map each UTF-16 code-unit offset that falls on a character boundary to its code-point offset."""
    mapping: dict[int, int] = {}
    unit = 0
    for i, ch in enumerate(text):
        mapping[unit] = i
        unit += 2 if ord(ch) > 0xFFFF else 1
    mapping[unit] = len(text)
    return mapping


def read_label_studio(
    path: str | Path, *, offsets: Offsets = "auto", on_error: OnError = "raise"
) -> ReadResult:
    """Read a Label Studio JSON export.

    Args:
        path: the export (``[{"id", "data": {"text"}, "annotations": [{"result": [...]}]}, ...]``).
        offsets: ``"auto"`` (decide per span from ``value.text``), ``"codepoints"`` or ``"utf16"``.
        on_error: ``"skip"`` leaves out (and counts) tasks with a bad result instead of raising.

    Returns:
        One text per annotated task, id ``str(task["id"])``; tasks without a usable annotation are counted
        in ``report.counts["unannotated_tasks"]`` and left out.

    Raises:
        BadInputError: not a list of tasks, a task without text, a span that does not fit or does not match
            its ``value.text``, a relation to an unknown region id.
    """
    p = Path(path)
    tasks = load_json(p)
    if not isinstance(tasks, list) or not all(isinstance(t, dict) for t in tasks):
        raise bad_input(
            str(p), "expected a list of tasks (Label Studio JSON export)", "Export as JSON, not JSON-MIN"
        )
    report = ReadReport(source=str(p))
    out = ReadResult(report=report)
    for i, task in enumerate(tasks):
        try:
            where = f"{p}, task {i} (id {task.get('id')})"
            doc = _task(task, str(task.get("id", i)), where, str(p), offsets, report)
        except BadInputError as e:
            if on_error == "raise":
                raise
            report.add("skipped_tasks", str(e))
            continue
        if doc is not None:
            out.append(doc)
    log_report(report)
    return out


def _task_text(task: dict[str, Any], results: list[Any], where: str) -> str:
    """``data["text"]``, else the first string field that holds every labelled span."""
    data = task.get("data")
    if isinstance(data, dict):
        if isinstance(data.get("text"), str):
            return str(data["text"])
        fields = [v for v in data.values() if isinstance(v, str)]
        values = [r.get("value") or {} for r in results if isinstance(r, dict) and r.get("type") == "labels"]
        for field in fields:
            if all(_could_hold(field, v) for v in values):
                return field
    raise bad_input(
        where, "the task has no text in data that holds its labelled spans", 'Put it in data["text"]'
    )


def _could_hold(text: str, value: dict[str, Any]) -> bool:
    end, shown = value.get("end"), value.get("text")
    if isinstance(shown, str):
        return shown in text
    return isinstance(end, int) and end <= len(text)


def _task(
    task: dict[str, Any], task_id: str, where: str, source: str, offsets: Offsets, report: ReadReport
) -> AnnotatedText | None:
    anns = [
        a
        for a in task.get("annotations") or task.get("completions") or []
        if isinstance(a, dict) and not a.get("was_cancelled")
    ]
    if not anns:
        report.add("unannotated_tasks")
        return None
    results = anns[0].get("result") or []
    text = _task_text(task, results, where)
    ents: list[EntityAnnotation] = []
    regions: dict[str, list[int]] = {}
    relations: list[dict[str, Any]] = []
    cp_map = utf16_to_codepoints(text) if offsets != "codepoints" else {}
    for k, res in enumerate(results):
        kind = res.get("type") if isinstance(res, dict) else None
        if kind == "relation":
            relations.append(res)
        elif kind == "labels":
            span = _span(res.get("value") or {}, text, cp_map, offsets, f"{where}, result {k}", report)
            for label in (res.get("value") or {}).get("labels") or []:
                regions.setdefault(str(res.get("id")), []).append(len(ents))
                ents.append(EntityAnnotation(start=span[0], end=span[1], label=str(label)))
        else:
            report.add(f"ignored_{kind}_results")
    rels = [r for res in relations for r in _relations(res, regions, where, report)]
    return build_text(task_id, text, ents, rels, source=source, where=where, report=report)


def _span(
    value: dict[str, Any], text: str, cp_map: dict[int, int], offsets: Offsets, where: str, report: ReadReport
) -> tuple[int, int]:
    s, e, shown = value.get("start"), value.get("end"), value.get("text")
    if type(s) is not int or type(e) is not int:
        raise bad_input(where, f"start/end must be integers, got {s!r}, {e!r}", "Check the export")
    as_cp = (s, e) if 0 <= s < e <= len(text) else None
    as_u16 = (cp_map[s], cp_map[e]) if s in cp_map and e in cp_map and s < e else None
    candidates = {"codepoints": [as_cp], "utf16": [as_u16], "auto": [as_cp, as_u16]}[offsets]
    if isinstance(shown, str):
        candidates = [c for c in candidates if c is not None and text[c[0] : c[1]] == shown]
    found = next((c for c in candidates if c is not None), None)
    if found is None:
        raise bad_input(
            where,
            f"span [{s}, {e}) with text {shown!r} does not fit the task text ({offsets} offsets)",
            "Check that the export matches the task text, or pass offsets='utf16'/'codepoints'",
        )
    if offsets == "auto" and found != as_cp:
        report.add("utf16_offsets_converted")
    elif offsets == "auto" and not isinstance(shown, str) and as_u16 not in (None, as_cp):
        report.add("ambiguous_offsets", f"{where}: no value.text to check the offsets; read as code points")
    return found


def _relations(
    res: dict[str, Any], regions: dict[str, list[int]], where: str, report: ReadReport
) -> list[RelationAnnotation]:
    ends = []
    for key in ("from_id", "to_id"):
        rid = str(res.get(key))
        if rid not in regions:
            raise bad_input(where, f"relation {key} {rid!r} names no labelled region", "Check the export")
        ends.append(regions[rid])
    labels = [str(x) for x in res.get("labels") or []]
    if not labels:
        report.add("unlabelled_relations")
        labels = [UNLABELLED_RELATION]
    direction = res.get("direction", "right")
    pairs = [(h, t) for h in ends[0] for t in ends[1]]
    if direction == "left":
        pairs = [(t, h) for h, t in pairs]
    elif direction == "bi":
        pairs += [(t, h) for h, t in pairs]
    return [RelationAnnotation(head=h, tail=t, label=lab) for h, t in pairs for lab in labels]
