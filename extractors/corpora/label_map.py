"""Map a corpus's labels onto the labels a model is trained for."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from extractors.corpora._common import dedupe
from extractors.types import AnnotatedText, EntityAnnotation, RelationAnnotation
from kg.core.errors import BadInputError

Unknown = Literal["error", "drop", "keep"]


@dataclass
class LabelMapReport:
    """What :func:`apply_label_map` did: counts per ``(source label, target label or None if dropped)``.

    Example:
        >>> r = LabelMapReport()
        >>> r.entities[("Item", "PhysicalObject")] += 3
        >>> r.dropped_entities(), r.mapped_entities()
        (0, 3)
    """

    entities: Counter[tuple[str, str | None]] = field(default_factory=Counter)
    relations: Counter[tuple[str, str | None]] = field(default_factory=Counter)
    relations_dropped_with_entity: int = 0
    duplicates_merged: int = 0

    def dropped_entities(self) -> int:
        """Entities removed because their label maps to None (or is unknown with ``unknown="drop"``)."""
        return sum(n for (_, dst), n in self.entities.items() if dst is None)

    def mapped_entities(self) -> int:
        """Entities kept (under their new or unchanged label)."""
        return sum(n for (_, dst), n in self.entities.items() if dst is not None)

    def dropped_relations(self) -> int:
        """Relations removed for their own label or because one of their entities went."""
        return (
            sum(n for (_, dst), n in self.relations.items() if dst is None)
            + self.relations_dropped_with_entity
        )


def apply_label_map(
    texts: Sequence[AnnotatedText],
    entity_map: Mapping[str, str | None],
    relation_map: Mapping[str, str | None],
    *,
    unknown: Unknown = "error",
) -> tuple[list[AnnotatedText], LabelMapReport]:
    """Rename entity and relation labels; a label mapped to None is dropped with everything hanging on it.

    Args:
        texts: annotated texts (not modified).
        entity_map: dataset entity label → target label, or None to drop those entities (and their relations).
        relation_map: dataset relation label → target label, or None to drop those relations.
        unknown: what to do with labels missing from the maps: ``"error"`` (raise, listing them all),
            ``"drop"`` or ``"keep"`` (unchanged).

    Returns:
        New texts with remapped labels and re-indexed relations (entities that end up identical are
        merged), and a :class:`LabelMapReport`.

    Raises:
        BadInputError: with ``unknown="error"``, naming every unknown label with its count and source file.
    """
    if unknown not in ("error", "drop", "keep"):
        raise BadInputError(f"unknown={unknown!r} is not allowed: use 'error', 'drop' or 'keep'.")
    if unknown == "error":
        _check_known(texts, entity_map, relation_map)
    report = LabelMapReport()
    out = [_map_one(t, entity_map, relation_map, unknown, report) for t in texts]
    return out, report


def _map_one(
    t: AnnotatedText,
    entity_map: Mapping[str, str | None],
    relation_map: Mapping[str, str | None],
    unknown: Unknown,
    report: LabelMapReport,
) -> AnnotatedText:
    keep: dict[int, int] = {}  # old entity index → new
    ents: list[EntityAnnotation] = []
    for i, e in enumerate(t.entities):
        dst = entity_map.get(e.label, e.label if unknown == "keep" else None)
        report.entities[(e.label, dst)] += 1
        if dst is not None:
            keep[i] = len(ents)
            ents.append(EntityAnnotation(start=e.start, end=e.end, label=dst))
    rels: list[RelationAnnotation] = []
    for r in t.relations:
        if r.head not in keep or r.tail not in keep:
            report.relations_dropped_with_entity += 1
            continue
        dst = relation_map.get(r.label, r.label if unknown == "keep" else None)
        report.relations[(r.label, dst)] += 1
        if dst is not None:
            rels.append(RelationAnnotation(head=keep[r.head], tail=keep[r.tail], label=dst))
    ents, rels, n_dup, _ = dedupe(ents, rels)
    report.duplicates_merged += n_dup
    return t.model_copy(update={"entities": ents, "relations": rels})


def _check_known(
    texts: Sequence[AnnotatedText],
    entity_map: Mapping[str, str | None],
    relation_map: Mapping[str, str | None],
) -> None:
    missing: Counter[tuple[str, str, str]] = Counter()  # (kind, label, source)
    for t in texts:
        missing.update(("entity", e.label, t.source) for e in t.entities if e.label not in entity_map)
        kept = [e.label not in entity_map or entity_map[e.label] is not None for e in t.entities]
        # Relations that go with an entity mapped to None never need a mapping of their own.
        missing.update(
            ("relation", r.label, t.source)
            for r in t.relations
            if r.label not in relation_map and kept[r.head] and kept[r.tail]
        )
    if not missing:
        return
    lines = [
        f"  {kind} label {label!r}: {n} occurrence(s) in {src or '(unknown source)'}"
        for (kind, label, src), n in sorted(missing.items())
    ]
    raise BadInputError(
        f"{len(missing)} label(s) are not in the label mapping:\n"
        + "\n".join(lines)
        + "\nAdd them to the label mapping, or map them to null to drop them "
        "(or pass unknown='drop' / unknown='keep')."
    )
