"""Operations on read corpora: cut documents into pieces at given boundaries, and a deterministic split."""

from __future__ import annotations

import hashlib
from bisect import bisect_right
from collections.abc import Callable, Sequence

from extractors.corpora._common import ReadReport, ReadResult, log_report
from extractors.types import AnnotatedText, EntityAnnotation, RelationAnnotation
from kg.core.errors import BadInputError

Boundaries = Callable[[str], list[tuple[int, int]]]


def documents_to_sentences(texts: Sequence[AnnotatedText], boundaries: Boundaries) -> ReadResult:
    """Cut each annotated text into pieces at character boundaries (for example spaCy sentences).

    Args:
        texts: annotated documents.
        boundaries: returns the ``(start, end)`` character ranges of a text's pieces, in order and not
            overlapping (gaps between pieces are allowed).

    Returns:
        One text per piece, id ``{doc id}#{piece number}``, spans shifted to the piece. Entities that do not
        lie inside one piece are dropped (``report.counts["entities_crossing"]``), as are their relations
        (``relations_dropped_with_entity``) and relations whose ends are in different pieces
        (``relations_crossing``).

    Example:
        >>> doc = AnnotatedText(id="d", text="Acme sells pumps. Bolt Co makes bolts.",
        ...     entities=[EntityAnnotation(start=0, end=4, label="org"),
        ...               EntityAnnotation(start=11, end=16, label="product")],
        ...     relations=[RelationAnnotation(head=0, tail=1, label="provides")])
        >>> pieces = documents_to_sentences([doc], lambda t: [(0, 17), (18, len(t))])
        >>> [p.text for p in pieces], len(pieces[0].relations)
        (['Acme sells pumps.', 'Bolt Co makes bolts.'], 1)

    Raises:
        BadInputError: the boundaries are not ordered, overlap, or fall outside the text.
    """
    report = ReadReport(source="documents_to_sentences")
    out = ReadResult(report=report)
    for doc in texts:
        out.extend(_split_one(doc, _checked(boundaries(doc.text), len(doc.text), doc.id), report))
    log_report(report)
    return out


def _split_one(doc: AnnotatedText, pieces: list[tuple[int, int]], report: ReadReport) -> list[AnnotatedText]:
    starts = [s for s, _ in pieces]
    where: list[tuple[int, int] | None] = []  # entity → (piece, index in piece), None if dropped
    ents: list[list[EntityAnnotation]] = [[] for _ in pieces]
    for e in doc.entities:
        k = bisect_right(starts, e.start) - 1
        if k >= 0 and e.end <= pieces[k][1]:
            where.append((k, len(ents[k])))
            ents[k].append(EntityAnnotation(start=e.start - starts[k], end=e.end - starts[k], label=e.label))
        else:
            where.append(None)
            report.add(
                "entities_crossing", f"{doc.id}: entity [{e.start}, {e.end}) {e.label} crosses a boundary"
            )
    rels: list[list[RelationAnnotation]] = [[] for _ in pieces]
    for r in doc.relations:
        h, t = where[r.head], where[r.tail]
        if h is None or t is None:
            report.add("relations_dropped_with_entity")
        elif h[0] != t[0]:
            report.add("relations_crossing")
        else:
            rels[h[0]].append(RelationAnnotation(head=h[1], tail=t[1], label=r.label))
    return [
        AnnotatedText(
            id=f"{doc.id}#{k}", text=doc.text[s:e], entities=ents[k], relations=rels[k], source=doc.source
        )
        for k, (s, e) in enumerate(pieces)
    ]


def _checked(pieces: list[tuple[int, int]], n: int, doc_id: str) -> list[tuple[int, int]]:
    prev_end = 0
    for s, e in pieces:
        if not prev_end <= s < e <= n:
            raise BadInputError(
                f"{doc_id}: piece boundary ({s}, {e}) is out of order, overlapping or outside the text "
                f"(length {n}). The boundaries function must return ordered, disjoint (start, end) ranges."
            )
        prev_end = e
    return pieces


def split_by_id(
    texts: Sequence[AnnotatedText], dev_fraction: float = 0.1, seed: int = 13
) -> tuple[list[AnnotatedText], list[AnnotatedText]]:
    """Split texts into (train, dev) by a hash of each id: stable whatever the order or the other texts.

    Each text goes to dev when ``sha256(f"{seed}:{id}")`` falls in the lowest ``dev_fraction`` of the hash
    range, so dev holds about (not exactly) that fraction, and texts sharing an id stay together.

    Raises:
        BadInputError: ``dev_fraction`` is not between 0 and 1.
    """
    if not 0.0 <= dev_fraction <= 1.0:
        raise BadInputError(f"dev_fraction={dev_fraction} must be between 0 and 1.")
    train: list[AnnotatedText] = []
    dev: list[AnnotatedText] = []
    for t in texts:
        digest = hashlib.sha256(f"{seed}:{t.id}".encode()).digest()
        (dev if int.from_bytes(digest[:8], "big") / 2**64 < dev_fraction else train).append(t)
    return train, dev
