"""The facts a tool answer rests on, built from (subject, relation, object) rows.

Every tool turns the rows of an analyst result into :class:`~kg.qa.answers.Fact` triples: a relationship
between two entities (``SUPPLIED_BY``, ``HAS_PART``) or a property of one (``rpn``, ``site``). An entity is
either a model with ``id`` and ``name`` (an :class:`~kg.graph.results.EntityRef`) or an ``(id, name)`` pair
for result rows that carry the two as separate columns.

Example:
    >>> facts = FactList()
    >>> facts.relation(("Part:belt", "V-belt"), "SUPPLIED_BY", ("Supplier:gates", "Gates"))
    >>> facts.attribute(("Part:belt", "V-belt"), "other_suppliers", 0)
    >>> facts.relation(("Part:belt", "V-belt"), "SUPPLIED_BY", ("Supplier:gates", "Gates"))
    >>> [f.text() for f in facts.unique()]
    ['V-belt -SUPPLIED_BY-> Gates', 'V-belt other_suppliers = 0']
"""

from __future__ import annotations

from typing import Any, Protocol

from kg.qa.answers import Fact


class Named(Protocol):
    """Anything with an entity id and a display name (EntityRef, SupplierRef, analytics rows)."""

    @property
    def id(self) -> str: ...

    @property
    def name(self) -> str | None: ...


Endpoint = Named | tuple[str, str | None]


def id_and_name(entity: Endpoint) -> tuple[str, str | None]:
    """``(id, name)`` of an entity given either way."""
    if isinstance(entity, tuple):
        return entity
    return entity.id, entity.name


class FactList:
    """The facts of one tool answer, in the order they were added.

    Example:
        >>> facts = FactList()
        >>> facts.relation(("Equipment:p101", "P-101"), "HAS_PART", ("Part:seal", None))
        >>> facts.all()[0].object
        'Part:seal'
    """

    def __init__(self) -> None:
        self.facts: list[Fact] = []

    def relation(self, subject: Endpoint, predicate: str, obj: Endpoint) -> None:
        """``subject -predicate-> obj`` between two entities."""
        (s, s_name), (o, o_name) = id_and_name(subject), id_and_name(obj)
        self.facts.append(
            Fact(subject=s, subject_name=s_name, predicate=predicate, object=o, object_name=o_name)
        )

    def attribute(self, subject: Endpoint, predicate: str, value: Any) -> None:
        """``subject.predicate = value``: a property of one entity."""
        s, s_name = id_and_name(subject)
        self.facts.append(Fact(subject=s, subject_name=s_name, predicate=predicate, value=value))

    def all(self) -> list[Fact]:
        """Every fact added, duplicates included."""
        return list(self.facts)

    def unique(self) -> list[Fact]:
        """Each (subject, predicate, object, value) once, first occurrence first (joins repeat rows)."""
        seen: set[tuple[Any, ...]] = set()
        out = []
        for f in self.facts:
            key = (f.subject, f.predicate, f.object, repr(f.value))
            if key not in seen:
                seen.add(key)
                out.append(f)
        return out
