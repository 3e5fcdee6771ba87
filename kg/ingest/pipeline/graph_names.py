"""The graph's entity names as the resolver and the gazetteer take them: read once when a run starts, and
again for the entities each group wrote, so that a run knows after each group exactly what a run started
then would read (a killed run's next run continues with the same knowledge, and writes the same graph).

Example:
    >>> rows = [{"id": "Supplier:skf", "labels": ["Supplier"], "name": "SKF", "aliases": ["AB SKF"]}]
    >>> [e.name for e in known_entities(None, rows)], list(gazetteer_entries(None, rows))[1]
    (['SKF'], ('Supplier', 'AB SKF', 'Supplier:skf'))
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from kg.graph.knowledge_graph import KnowledgeGraph


def _label(row: dict[str, Any]) -> str | None:
    return next((x for x in row["labels"] if x != "Entity"), None)


def known_entities(kg: KnowledgeGraph | None, rows: Iterable[dict[str, Any]] | None = None) -> Iterator[Any]:
    """The graph's entities as resolver input, paged (``rows``: ``kg.entity_names()`` already read)."""
    from kg.ingest.resolve import KnownEntity

    for r in _rows(kg, rows):
        label = _label(r)
        if label and r["name"]:
            yield KnownEntity(id=r["id"], label=label, name=r["name"], aliases=tuple(r.get("aliases") or ()))


def gazetteer_entries(
    kg: KnowledgeGraph | None, rows: Iterable[dict[str, Any]] | None = None
) -> Iterator[tuple[str, str, str]]:
    """(label, name, id) for every name the graph knows an entity by: its name, aliases, part number and tag
    (a BOM part is named "Deep groove ball bearing" but found in a letter by "6205-2RSH")."""
    for r in _rows(kg, rows):
        label = _label(r)
        if not label:
            continue
        for name in (r["name"], *(r.get("aliases") or ()), r.get("part_number"), r.get("tag")):
            if isinstance(name, str) and name:
                yield label, name, r["id"]


def _rows(kg: KnowledgeGraph | None, rows: Iterable[dict[str, Any]] | None) -> Iterable[dict[str, Any]]:
    if rows is not None:
        return rows
    if kg is None:
        raise ValueError("give the graph or the rows read from it")
    return kg.entity_names()
