"""Cause→effect span corpora in the UniCausal JSON-lines layout: the Causal News Corpus and BECAUSE 2.0.

Each line is a sentence with ``relations``: ``{"cause": [segment...], "effect": [segment...]}`` where a
segment is ``{"start", "end", "text"}`` (character offsets, end exclusive). The reader turns every argument
into a ``Cause`` or ``Effect`` entity and every pair into a ``causes`` relation (cause → effect), so a
config's ``entity_map`` can put them under the ontology's labels (e.g. ``Cause = "FailureCause"``).

What cannot be a flat span is counted in the report and left out: discontinuous arguments (more than one
segment) keep their first segment only when ``discontinuous = "first"`` (default ``"skip"``), and arguments
that overlap another argument (the flat tagger cannot hold both) drop the later one with its relations. An
argument that is the effect of one pair and the cause of the next is one span (labelled by its first role),
so chains stay chains.

Example:
    >>> texts = read_cause_effect("causal_news_corpus/train.jsonl")  # doctest: +SKIP
    >>> texts[0].entities[0].label                                    # doctest: +SKIP
    'Effect'
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

from extractors.corpora._common import ReadReport, ReadResult, bad_input, log_report, read_text_file
from extractors.types import AnnotatedText, EntityAnnotation, RelationAnnotation

Discontinuous = Literal["skip", "first"]


def read_cause_effect(
    path: str | Path, *, causal_only: bool = False, discontinuous: Discontinuous = "skip"
) -> ReadResult:
    """Read a cause→effect JSON-lines file (CNC V2 or BECAUSE/UniCausal as shipped in ``shared/datasets``).

    Args:
        path: the ``.jsonl`` file.
        causal_only: leave out sentences without a causal relation (they teach "no cause here").
        discontinuous: ``"skip"`` leaves out an argument made of several segments (with its relation);
            ``"first"`` keeps its first segment.

    Raises:
        BadInputError: a line is not JSON, or a segment's offsets do not fit the text.
    """
    p = Path(path)
    report = ReadReport(source=str(p))
    out = ReadResult(report=report)
    for ln, line in enumerate(read_text_file(p).splitlines(), 1):
        if not line.strip():
            continue
        where = f"{p}, line {ln}"
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as e:
            raise bad_input(where, f"not JSON ({e.msg})", "Each line must be one JSON object") from e
        text = _sentence(rec, where, causal_only, discontinuous, report)
        if text is not None:
            out.append(text)
    log_report(report)
    return out


def _sentence(
    rec: dict[str, Any], where: str, causal_only: bool, discontinuous: Discontinuous, report: ReadReport
) -> AnnotatedText | None:
    text = rec.get("text")
    if not isinstance(text, str) or not text:
        raise bad_input(where, "no 'text'", "Every line needs a non-empty 'text' string")
    pairs = rec.get("relations") or []
    if causal_only and not pairs:
        report.add("non_causal_skipped")
        return None
    entities: list[EntityAnnotation] = []
    index: dict[tuple[int, int], int] = {}
    relations: list[RelationAnnotation] = []
    for pair in pairs:
        cause = _argument(pair.get("cause"), "Cause", text, where, discontinuous, report)
        effect = _argument(pair.get("effect"), "Effect", text, where, discontinuous, report)
        if cause is None or effect is None:
            report.add("relations_skipped")
            continue
        if not all(_fits(e, entities, index) for e in (cause, effect)):
            report.add("overlapping_skipped")
            report.add("relations_skipped")
            continue
        ends = [_add(e, entities, index) for e in (cause, effect)]
        if ends[0] != ends[1]:
            relations.append(RelationAnnotation(head=ends[0], tail=ends[1], label="causes"))
    report.add("texts")
    return AnnotatedText(
        id=str(rec.get("id", where)), text=text, entities=entities, relations=relations, source=report.source
    )


def _argument(
    segments: Any, label: str, text: str, where: str, discontinuous: Discontinuous, report: ReadReport
) -> EntityAnnotation | None:
    if not isinstance(segments, list) or not segments:
        report.add("arguments_missing", f"{where}: a relation without a {label.lower()}")
        return None
    if len(segments) > 1 and discontinuous == "skip":
        report.add("discontinuous_skipped")
        return None
    seg = segments[0]
    start, end = seg.get("start"), seg.get("end")
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
        raise bad_input(where, f"{label} offsets {start!r}..{end!r} do not fit the text", "Fix the offsets")
    return EntityAnnotation(start=start, end=end, label=label)


def _fits(ent: EntityAnnotation, entities: list[EntityAnnotation], index: dict[tuple[int, int], int]) -> bool:
    """The span is already there, or overlaps none of the spans there."""
    if (ent.start, ent.end) in index:
        return True
    return not any(e.start < ent.end and ent.start < e.end for e in entities)


def _add(ent: EntityAnnotation, entities: list[EntityAnnotation], index: dict[tuple[int, int], int]) -> int:
    key = (ent.start, ent.end)  # the middle of a chain (effect of one pair, cause of the next) is one span
    if key not in index:
        index[key] = len(entities)
        entities.append(ent)
    return index[key]
