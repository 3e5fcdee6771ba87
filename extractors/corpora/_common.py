"""Pieces every reader shares: the result type with its report, error messages, span checks, dedupe."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import ValidationError

from extractors.types import AnnotatedText, EntityAnnotation, RelationAnnotation
from kg.core.errors import BadInputError

log = logging.getLogger("extractors.corpora")

OnError = Literal["raise", "skip"]
MAX_MESSAGES = 20


@dataclass
class ReadReport:
    """What a reader counted while reading: skipped records, repaired tags, ignored lines, and so on.

    Example:
        >>> r = ReadReport(source="train.jsonl")
        >>> r.add("skipped_records", "line 3: span out of range")
        >>> r.counts["skipped_records"], r.messages
        (1, ['line 3: span out of range'])
    """

    source: str = ""
    counts: Counter[str] = field(default_factory=Counter)
    messages: list[str] = field(default_factory=list)

    def add(self, key: str, message: str | None = None, n: int = 1) -> None:
        """Count ``n`` occurrences of ``key``; keep the first few messages as examples."""
        self.counts[key] += n
        if message is not None and len(self.messages) < MAX_MESSAGES:
            self.messages.append(message)

    def merge(self, other: ReadReport) -> None:
        """Add another report's counts and messages to this one."""
        self.counts.update(other.counts)
        self.messages.extend(other.messages[: max(0, MAX_MESSAGES - len(self.messages))])

    def summary(self) -> str:
        """One line: the non-zero counts, sorted by name."""
        parts = [f"{k}={v}" for k, v in sorted(self.counts.items()) if v]
        return f"{self.source}: " + (", ".join(parts) if parts else "nothing to report")


class ReadResult(list[AnnotatedText]):
    """A plain list of :class:`AnnotatedText` that also carries the reader's :class:`ReadReport`.

    Example:
        >>> res = ReadResult([], ReadReport(source="demo"))
        >>> len(res), res.report.source
        (0, 'demo')
    """

    def __init__(self, texts: Iterable[AnnotatedText] = (), report: ReadReport | None = None):
        super().__init__(texts)
        self.report = report if report is not None else ReadReport()


def bad_input(where: str, problem: str, fix: str) -> BadInputError:
    """An error naming the file and line/record, the problem, and what to do about it."""
    return BadInputError(f"{where}: {problem}. {fix}")


def read_text_file(path: Path, *, keep_bom: bool = False) -> str:
    """Read a UTF-8 file exactly (no newline translation, so character offsets stay valid).

    A byte-order mark is dropped unless ``keep_bom``: BRAT counts it as a character of the ``.txt``.
    """
    try:
        with path.open(encoding="utf-8" if keep_bom else "utf-8-sig", newline="") as f:
            return f.read()
    except FileNotFoundError as e:
        raise BadInputError(f"{path}: file not found. Check the path.") from e
    except UnicodeDecodeError as e:
        raise BadInputError(
            f"{path}: not valid UTF-8 (byte {e.start}: {e.reason}). Re-save the file as UTF-8."
        ) from e
    except OSError as e:
        raise BadInputError(f"{path}: cannot be read ({e}). Check its permissions.") from e


def check_span(start: object, end: object, n: int, where: str) -> tuple[int, int]:
    """Return ``(start, end)`` as ints; raise unless they are a non-empty span inside a text of length n."""
    if type(start) is not int or type(end) is not int:
        raise bad_input(
            where, f"span offsets must be integers, got {start!r} and {end!r}", "Fix the offsets."
        )
    if not 0 <= start < end <= n:
        raise bad_input(
            where,
            f"span [{start}, {end}) does not fit in the text (length {n})",
            "Offsets are character offsets into the text, end exclusive; fix or remove this annotation",
        )
    return start, end


def dedupe(
    entities: Sequence[EntityAnnotation], relations: Sequence[RelationAnnotation]
) -> tuple[list[EntityAnnotation], list[RelationAnnotation], int, int]:
    """Merge entities with the same span and label and relations that become identical.

    Returns:
        The kept entities (first occurrence order), the remapped relations, and the numbers of entities
        and relations removed as duplicates.
    """
    first: dict[tuple[int, int, str], int] = {}
    remap: list[int] = []
    kept: list[EntityAnnotation] = []
    for e in entities:
        key = (e.start, e.end, e.label)
        if key not in first:
            first[key] = len(kept)
            kept.append(e)
        remap.append(first[key])
    seen: set[tuple[int, int, str]] = set()
    rels: list[RelationAnnotation] = []
    for r in relations:
        rkey = (remap[r.head], remap[r.tail], r.label)
        if rkey not in seen:
            seen.add(rkey)
            rels.append(RelationAnnotation(head=rkey[0], tail=rkey[1], label=r.label))
    return kept, rels, len(entities) - len(kept), len(relations) - len(rels)


def build_text(
    id: str,
    text: str,
    entities: Sequence[EntityAnnotation],
    relations: Sequence[RelationAnnotation],
    *,
    source: str,
    where: str,
    report: ReadReport,
) -> AnnotatedText:
    """Dedupe (counting duplicates) and build the text; validation errors become BadInputError."""
    ents, rels, n_dup_e, n_dup_r = dedupe(entities, relations)
    if n_dup_e:
        report.add("duplicate_entities", f"{where}: {n_dup_e} duplicate entity(ies) merged", n_dup_e)
    if n_dup_r:
        report.add("duplicate_relations", f"{where}: {n_dup_r} duplicate relation(s) merged", n_dup_r)
    try:
        return AnnotatedText(id=id, text=text, entities=ents, relations=rels, source=source)
    except ValidationError as e:
        raise bad_input(where, f"invalid annotation ({e.errors()[0]['msg']})", "Fix this record") from e


def join_tokens(tokens: Sequence[str]) -> tuple[str, list[int]]:
    """Join tokens with single spaces; return the text and each token's start offset."""
    starts: list[int] = []
    pos = 0
    for t in tokens:
        starts.append(pos)
        pos += len(t) + 1
    return " ".join(tokens), starts


def log_report(report: ReadReport) -> None:
    """Log the report at INFO level when it has anything to say."""
    if report.counts:
        log.info("%s", report.summary())
