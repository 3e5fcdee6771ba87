"""The DFKI product corpus: news/web documents with organization, product and trigger mentions.

Files (``train.json.gz``, ``dev.json.gz``) hold concatenated pretty-printed JSON documents in the Avro-JSON
layout of ``document.avsc``: ``doc["text"]["string"]``, ``doc["conceptMentions"]["array"]`` (character
spans) and ``doc["relationMentions"]["array"]``. Relation mentions are n-ary (one company, one or more
products, optional triggers; Identity: one source, many targets); they are expanded into binary relations
company → product and source → target.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from extractors.corpora._common import (
    ReadReport,
    ReadResult,
    bad_input,
    build_text,
    check_span,
    log_report,
)
from extractors.types import EntityAnnotation, RelationAnnotation
from kg.core.errors import BadInputError

PROVIDES = "CompanyProvidesProduct"
IDENTITY = "Identity"
_ROLES = {PROVIDES: ("company", "product"), IDENTITY: ("source", "target")}


def iter_json_documents(raw: str, where: str) -> Iterator[tuple[int, Any]]:
    """Yield ``(line number, document)`` for each JSON value in a string of concatenated JSON values."""
    decoder = json.JSONDecoder()
    pos = 0
    while True:
        while pos < len(raw) and raw[pos].isspace():
            pos += 1
        if pos >= len(raw):
            return
        try:
            doc, end = decoder.raw_decode(raw, pos)
        except json.JSONDecodeError as e:
            raise bad_input(
                f"{where}, line {e.lineno}, column {e.colno}",
                f"not valid JSON ({e.msg})",
                "Fix the JSON there",
            ) from e
        yield raw.count("\n", 0, pos) + 1, doc
        pos = end


def _read_maybe_gzip(p: Path) -> str:
    try:
        if p.suffix == ".gz":
            with gzip.open(p, "rt", encoding="utf-8", newline="") as f:
                return f.read()
        return p.read_text(encoding="utf-8")
    except FileNotFoundError as e:
        raise BadInputError(f"{p}: file not found. Check the path.") from e
    except (OSError, EOFError, UnicodeDecodeError) as e:
        raise BadInputError(f"{p}: cannot be read ({e}). Check that it is UTF-8 JSON, gzipped or not.") from e


def _array(obj: Any, key: str) -> list[Any]:
    """Avro-JSON wraps optional arrays as ``{"array": [...]}`` (or null)."""
    val = obj.get(key)
    if isinstance(val, dict):
        val = val.get("array")
    return val if isinstance(val, list) else []


def read_dfki_product(
    path: str | Path, *, include_triggers: bool = True, include_identity: bool = False
) -> ReadResult:
    """Read a DFKI product corpus split into one text per document.

    Args:
        path: ``train.json.gz`` or ``dev.json.gz`` (plain ``.json`` works too).
        include_triggers: keep ``trigger`` mentions ("manufacturer", "offers") as entities.
        include_identity: add ``Identity`` (coreference) relations source → target.

    Returns:
        Texts with ids ``dfki/{doc id}``; relations ``CompanyProvidesProduct`` company → product (and
        ``Identity`` when asked). ``report.counts`` has the n-ary mention counts and what was dropped.

    Raises:
        BadInputError: JSON syntax errors (line and column), spans out of range, relation arguments that are
            not among the document's mentions.
    """
    p = Path(path)
    report = ReadReport(source=f"dfki_product_corpus/{p.name}")
    out = ReadResult(report=report)
    for i, (line, doc) in enumerate(iter_json_documents(_read_maybe_gzip(p), str(p))):
        where = f"{p}, document {i} (line {line})"
        try:
            text = doc["text"]["string"]
            doc_id = str(doc["id"])
        except (KeyError, TypeError) as e:
            raise bad_input(where, f"missing {e}", "Each document needs id and text.string") from e
        ents, index = _entities(doc, text, where, include_triggers, report)
        rels = _relations(doc, index, where, include_identity, report)
        out.append(
            build_text(f"dfki/{doc_id}", text, ents, rels, source=report.source, where=where, report=report)
        )
    log_report(report)
    return out


def _entities(
    doc: Any, text: str, where: str, include_triggers: bool, report: ReadReport
) -> tuple[list[EntityAnnotation], dict[str, int]]:
    ents: list[EntityAnnotation] = []
    index: dict[str, int] = {}  # mention id and "start:end:type" → entity position
    for j, cm in enumerate(_array(doc, "conceptMentions")):
        span, label = cm.get("span") or {}, str(cm.get("type", ""))
        if label == "trigger" and not include_triggers:
            report.add("dropped_triggers")
            continue
        s, e = check_span(span.get("start"), span.get("end"), len(text), f"{where}, concept mention {j}")
        index[str(cm.get("id"))] = index[f"{s}:{e}:{label}"] = len(ents)
        ents.append(EntityAnnotation(start=s, end=e, label=label))
    return ents, index


def _relations(
    doc: Any, index: dict[str, int], where: str, include_identity: bool, report: ReadReport
) -> list[RelationAnnotation]:
    rels: list[RelationAnnotation] = []
    for j, rm in enumerate(_array(doc, "relationMentions")):
        name = str(rm.get("name"))
        report.add(f"relation_mentions_{name}")
        if name not in _ROLES or (name == IDENTITY and not include_identity):
            report.add(f"dropped_relation_mentions_{name}")
            continue
        head_role, tail_role = _ROLES[name]
        heads, tails = [], []
        for arg in _array(rm, "args"):
            cm = arg.get("conceptMention") or {}
            span = cm.get("span") or {}
            ref = index.get(
                str(cm.get("id")), index.get(f"{span.get('start')}:{span.get('end')}:{cm.get('type')}")
            )
            if ref is None and arg.get("role") in (head_role, tail_role):
                raise bad_input(
                    f"{where}, relation mention {j}",
                    f"argument {cm.get('id')} is not one of the document's concept mentions",
                    "Add the mention to conceptMentions or remove the argument",
                )
            if arg.get("role") == head_role:
                heads.append(ref)
            elif arg.get("role") == tail_role:
                tails.append(ref)
        rels.extend(
            RelationAnnotation(head=h, tail=t, label=name)
            for h in heads
            for t in tails
            if h is not None and t is not None
        )
    return rels
