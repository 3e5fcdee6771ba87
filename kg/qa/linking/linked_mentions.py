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

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from kg.core.keys import normalise_name
from kg.qa.answers import LinkedEntity
from kg.qa.linking.index import IndexEntry
from kg.qa.text import singular

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
        """The candidate the mention most likely names whatever the tool (:func:`prefer` over any class)."""
        return (prefer(self.candidates, ()) or self.candidates)[0]


@dataclass
class LinkResult:
    mentions: list[Mention] = field(default_factory=list)  # in question order
    unknown: list[Mention] = field(
        default_factory=list
    )  # words naming nothing known; candidates = suggestions
    #: words that matched only what a model read from prose, in a question that names a record or code:
    #: descriptions ("seal leak jobs on LDS-P-101"), not entities; kept for tools that filter by words
    generic: list[Mention] = field(default_factory=list)
    #: runs of content words that matched nothing at all (a description: "the leeds press power unit")
    words: list[Mention] = field(default_factory=list)


def tied(
    scored: list[tuple[IndexEntry, float]], surface: str, method: str, tie: float = TIE
) -> list[LinkedEntity]:
    """The best score of each entry, best first; those within ``tie`` of the top (at most 10)."""
    best: dict[str, tuple[IndexEntry, float]] = {}
    for entry, score in scored:
        if entry.id not in best or score > best[entry.id][1]:
            best[entry.id] = (entry, score)
    ranked = sorted(best.values(), key=lambda x: (-x[1], *standing(x[0]), x[0].id))
    if not ranked:
        return []
    top = ranked[0][1]
    kept = [(e, s) for e, s in ranked if s >= top - tie]
    if tie <= TIE:  # equally good: the better-standing entity first, whatever the small score difference
        kept.sort(key=lambda x: (*standing(x[0]), -x[1], x[0].id))
    return [linked(e, surface, method, s) for e, s in kept][:10]


def standing(entry: IndexEntry) -> tuple[int, int]:
    """Sort key of equally good candidates: known by a code first, then the best-supported (a register's
    "SKF" before a noun a manual once used as a part name)."""
    return (0 if entry.coded else 1, -entry.support)


def linked(entry: IndexEntry, surface: str, method: str, score: float) -> LinkedEntity:
    return LinkedEntity(
        id=entry.id,
        name=entry.name,
        labels=list(entry.labels),
        mention=surface,
        method=method,  # type: ignore[arg-type]
        score=round(min(score, 1.0), 4),
        support=entry.support,
        recorded=entry.recorded or entry.coded,
    )


def prefer(candidates: list[LinkedEntity], labels: Sequence[str]) -> list[LinkedEntity]:
    """The best candidates of the first of ``labels`` any candidate has (several only when they tie in
    score within that class: truly ambiguous). With no ``labels`` (any class), the class of the
    best-supported top candidate comes first, then :data:`CLASS_ORDER`: "SKF" is the register's supplier,
    not a part a manual once named after it."""
    candidates = dominant(candidates)
    order = list(labels)
    if not order:  # an exact name and an alias or code are equally sure: support decides between them
        top = max((c.score for c in candidates), default=0.0)
        sure = [c for c in candidates if c.score >= top - TIE or c.method == "exact"]
        leaders = sorted(sure, key=lambda c: (-c.support, -c.score, _rank(c)))
        order = [*(leaders[0].labels if leaders else ()), *CLASS_ORDER]
    for label in order:
        hit = [c for c in candidates if label in c.labels]
        if hit:
            return settle(hit)
    return [] if labels else candidates[:1]


def dominant(candidates: list[LinkedEntity]) -> list[LinkedEntity]:
    """The sure candidates (method ``exact``) backed by at least half the documents of the best-backed one,
    whatever their class, and every looser one: "SKF" is the supplier seventeen documents cite, not a Part
    or Manufacturer one letter named so, even for a tool that wants a part."""
    sure = [c for c in candidates if c.method == "exact"]
    if not sure:
        return candidates
    lead = max(c.support for c in sure)
    return [c for c in candidates if c.method != "exact" or 2 * c.support >= lead]


def settle(hit: list[LinkedEntity]) -> list[LinkedEntity]:
    """The candidates of one class that stay: several only when truly ambiguous.

    Matches by name, alias, code or a name's first words (method ``exact``) are all sure; among them the
    evidence decides: a candidate backed by fewer than half the documents of the best-backed one drops
    ("parker" is Parker Hannifin, cited by ten documents, not a "Parker" one letter named); two
    comparably backed ones stay if they match equally well ("HYDAC": two HYDAC companies, to be asked
    about). Looser matches keep those within :data:`TIE` of the best score.
    """
    hit = _records_over_prose(hit)
    sure = [c for c in hit if c.method == "exact"]
    if not sure:
        best = max(c.score for c in hit)
        sure = [c for c in hit if c.score >= best - TIE]
    ranked = sorted(sure, key=lambda c: (-c.support, -c.score))
    lead = ranked[0]
    if lead.support == 0:  # no evidence to go by (a graph without sources): the best scores stay
        best = max(c.score for c in ranked)
        return [c for c in ranked if c.score >= best - TIE]
    close = [c for c in ranked if 2 * c.support >= lead.support]
    best = max(c.score for c in close)  # comparably backed: the better match ("SKF" itself, not "SKF Group")
    return by_head([c for c in close if c.score >= best - TIE])


def _records_over_prose(hit: list[LinkedEntity]) -> list[LinkedEntity]:
    """Without a prose-only candidate whose whole name starts a recorded one's ("CNC main spindle unit", a
    manual's, beside the register's "CNC main spindle unit 12 000 rpm"): the same thing, as recorded."""
    names = [(c.name or "").casefold() for c in hit if c.recorded]
    return [
        c
        for c in hit
        if c.recorded
        or not any(n != (c.name or "").casefold() and n.startswith((c.name or "").casefold()) for n in names)
    ]


def by_head(candidates: list[LinkedEntity]) -> list[LinkedEntity]:
    """Of several candidates, those whose name ends in the noun the mention ends in: "the circulation pump"
    is "Cooling tower circulation pump", not "Circulation pump motor 15 kW"; all when none or all do."""
    if len(candidates) < 2:
        return candidates
    word = name_head(candidates[0].mention or "")
    same = [c for c in candidates if word and name_head(c.name or "") == word]
    return same or candidates


def name_head(name: str) -> str:
    """The head noun of a name, singular: its last word before a comma, a bracket or a size ("Hydraulic
    press 250 t" → press; "Circulation pump motor 15 kW" → motor)."""
    words = re.split(r"[,(]|\s\d", name, maxsplit=1)[0].split()
    return singular(normalise_name(words[-1])) if words else ""


def _rank(c: LinkedEntity) -> int:
    return min((CLASS_ORDER.index(x) for x in c.labels if x in CLASS_ORDER), default=len(CLASS_ORDER))
