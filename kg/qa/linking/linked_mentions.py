"""What linking returns: mentions with their candidate entities, and how ties between candidates settle.

A mention keeps every candidate within :data:`TIE` of its best score (:func:`tied`), so the caller can
prefer the classes its tool accepts (:func:`prefer`) and ask the user when several remain.

Example:
    >>> a = LinkedEntity(id="Part:a", name="Pump", labels=["Part"], mention="pump", method="exact", score=1.0)
    >>> b = a.model_copy(update={"id": "Equipment:b", "labels": ["Equipment"]})
    >>> [c.id for c in prefer([a, b], ())], [c.id for c in prefer([a, b], ("Part",))]
    (['Equipment:b'], ['Part:a'])
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from kg.qa.answers import LinkedEntity
from kg.qa.linking.index import IndexEntry

TIE = 0.03  # candidates this close to the best are equally good: ambiguous unless a class decides

#: when a tool takes any entity, ties between classes are settled in this order
CLASS_ORDER = (
    "Equipment",
    "Part",
    "Supplier",
    "Manufacturer",
    "Site",
    "Material",
    "Product",
    "FailureMode",
    "FailureCause",
    "FailureEffect",
    "MaintenanceActivity",
    "Organization",
    "Process",
    "Property",
)


@dataclass
class Mention:
    text: str
    start: int
    end: int
    method: str
    candidates: list[LinkedEntity]  # best first; several when tied

    @property
    def best(self) -> LinkedEntity:
        return self.candidates[0]


@dataclass
class LinkResult:
    mentions: list[Mention] = field(default_factory=list)  # in question order
    unknown: list[Mention] = field(
        default_factory=list
    )  # words naming nothing known; candidates = suggestions


def tied(
    scored: list[tuple[IndexEntry, float]], surface: str, method: str, tie: float = TIE
) -> list[LinkedEntity]:
    """The best score of each entry, best first; those within ``tie`` of the top (at most 10)."""
    best: dict[str, tuple[IndexEntry, float]] = {}
    for entry, score in scored:
        if entry.id not in best or score > best[entry.id][1]:
            best[entry.id] = (entry, score)
    ranked = sorted(best.values(), key=lambda x: (-x[1], x[0].id))
    if not ranked:
        return []
    top = ranked[0][1]
    return [linked(e, surface, method, s) for e, s in ranked if s >= top - tie][:10]


def linked(entry: IndexEntry, surface: str, method: str, score: float) -> LinkedEntity:
    return LinkedEntity(
        id=entry.id,
        name=entry.name,
        labels=list(entry.labels),
        mention=surface,
        method=method,  # type: ignore[arg-type]
        score=round(min(score, 1.0), 4),
    )


def prefer(candidates: list[LinkedEntity], labels: Sequence[str]) -> list[LinkedEntity]:
    """The best candidates of the first of ``labels`` (default :data:`CLASS_ORDER`) any candidate has:
    several only when they tie in score within the same class (truly ambiguous)."""
    for label in labels or CLASS_ORDER:
        hit = [c for c in candidates if label in c.labels]
        if hit:
            top = max(c.score for c in hit)
            return [c for c in hit if c.score >= top - TIE]
    return [] if labels else candidates[:1]
