"""Token-span JSON in the SpERT layout, and the MaintIE corpus that uses it.

A file is a JSON list of records ``{"tokens": [...], "entities": [{"start", "end", "type"}],
"relations": [{"head", "tail", "type"}]}``; entity spans are token indices (end exclusive), relation ends
are indices into ``entities``. The text is the tokens joined by single spaces, so character spans are exact
whatever the record's own ``text`` says (five MaintIE records' ``text`` differs from their tokens).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from extractors.corpora._common import (
    ReadReport,
    ReadResult,
    bad_input,
    build_text,
    join_tokens,
    log_report,
    read_text_file,
)
from extractors.types import EntityAnnotation, RelationAnnotation
from kg.core.errors import BadInputError

PARTICIPANT_PREFIX = "hasParticipant/"


def load_json(path: Path) -> Any:
    """Parse a JSON file; a syntax error names the line and column."""
    raw = read_text_file(path)
    try:
        return json.loads(raw)
    except json.JSONDecodeError as e:
        raise bad_input(
            f"{path}, line {e.lineno}, column {e.colno}",
            f"not valid JSON ({e.msg})",
            "Fix the JSON syntax there",
        ) from e


def truncate_type(label: str, level: int | None) -> str:
    """Cut a hierarchical type path ``A/B/C`` to its first ``level`` parts (None keeps the full path)."""
    return label if level is None else "/".join(label.split("/")[:level])


def read_spert_json(
    path: str | Path,
    *,
    level: int | None = None,
    strip_participant: bool = False,
    source: str | None = None,
    id_prefix: str | None = None,
) -> ReadResult:
    """Read a SpERT-style token-span JSON file.

    Args:
        path: the JSON file (a list of records).
        level: keep this many levels of ``/``-separated entity types (None keeps the full path).
        strip_participant: turn ``hasParticipant/hasAgent`` into ``hasAgent`` (as the MaintIE paper does).
        source: value for each text's ``source`` (default: the path).
        id_prefix: text ids are ``{id_prefix}/{record index}`` (default: the file stem).

    Returns:
        One text per record; duplicate entities (same span and type) are merged and counted.

    Raises:
        BadInputError: the file is not a JSON list of such records, or a span/index is out of range.
    """
    p = Path(path)
    if level is not None and level < 1:
        raise BadInputError(f"level={level} is not allowed: use 1, 2, 3 ... or None for the full type path.")
    records = load_json(p)
    if not isinstance(records, list):
        raise bad_input(str(p), "expected a JSON list of records", "Wrap the records in [ ... ]")
    report = ReadReport(source=source or str(p))
    prefix = id_prefix if id_prefix is not None else p.stem
    out = ReadResult(report=report)
    for i, rec in enumerate(records):
        where = f"{p}, record {i}"
        ents, rels = _convert_record(rec, where, level, strip_participant)
        text, _ = join_tokens(rec["tokens"])
        out.append(
            build_text(f"{prefix}/{i}", text, ents, rels, source=report.source, where=where, report=report)
        )
    log_report(report)
    return out


def _convert_record(
    rec: Any, where: str, level: int | None, strip_participant: bool
) -> tuple[list[EntityAnnotation], list[RelationAnnotation]]:
    if not isinstance(rec, dict) or not isinstance(rec.get("tokens"), list):
        raise bad_input(where, "a record must be an object with a 'tokens' list", "Fix or remove this record")
    tokens: list[Any] = rec["tokens"]
    if not all(isinstance(t, str) and t and not any(c.isspace() for c in t) for t in tokens):
        raise bad_input(where, "tokens must be non-empty strings without spaces", "Fix the tokenisation")
    _, starts = join_tokens(tokens)
    ents: list[EntityAnnotation] = []
    for j, e in enumerate(rec.get("entities", [])):
        try:
            s, t, label = e["start"], e["end"], e["type"]
        except (KeyError, TypeError) as err:
            raise bad_input(f"{where}, entity {j}", f"missing key {err}", "Give start, end and type") from err
        if type(s) is not int or type(t) is not int or not 0 <= s < t <= len(tokens):
            raise bad_input(
                f"{where}, entity {j}",
                f"token span [{s}, {t}) does not fit the {len(tokens)} tokens",
                "Spans are token indices, end exclusive",
            )
        char_end = starts[t - 1] + len(tokens[t - 1])
        ents.append(EntityAnnotation(start=starts[s], end=char_end, label=truncate_type(str(label), level)))
    rels: list[RelationAnnotation] = []
    for j, r in enumerate(rec.get("relations", [])):
        try:
            h, t, label = r["head"], r["tail"], str(r["type"])
        except (KeyError, TypeError) as err:
            raise bad_input(
                f"{where}, relation {j}", f"missing key {err}", "Give head, tail and type"
            ) from err
        if type(h) is not int or type(t) is not int or not (0 <= h < len(ents) and 0 <= t < len(ents)):
            raise bad_input(
                f"{where}, relation {j}",
                f"head/tail ({h}, {t}) are not indices into the {len(ents)} entities",
                "Relation ends are positions in the record's entity list",
            )
        if strip_participant and label.startswith(PARTICIPANT_PREFIX):
            label = label[len(PARTICIPANT_PREFIX) :]
        rels.append(RelationAnnotation(head=h, tail=t, label=label))
    return ents, rels


def read_maintie(path: str | Path, *, level: int | None = None, strip_participant: bool = True) -> ReadResult:
    """Read a MaintIE split (``maintie/train.json`` or ``dev.json``).

    Args:
        path: the split file.
        level: 1 → the 5 top classes, 2 → 32, 3 → 224 leaf types, None → the full path.
        strip_participant: drop the ``hasParticipant/`` prefix of relation labels (the paper's setting).

    Returns:
        One text per work order; ids are ``maintie/{split}/{index}``, source ``maintie/{file name}``.

    Example:
        >>> texts = read_maintie("datasets/maintie/dev.json", level=1)  # doctest: +SKIP
    """
    p = Path(path)
    return read_spert_json(
        p,
        level=level,
        strip_participant=strip_participant,
        source=f"maintie/{p.name}",
        id_prefix=f"maintie/{p.stem}",
    )
