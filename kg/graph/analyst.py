"""The analyst and engineer tools behind the typed endpoints (and, later, the question router).

Each takes a :class:`~kg.graph.KnowledgeGraph` and plain arguments and returns a response model, so the
routes stay thin and ``/ask`` can call the same functions.

Example:
    >>> with open_knowledge_graph(Settings()) as kg:                 # doctest: +SKIP
    ...     where_used(kg, "Part:62052rsh").equipment[0].equipment_id
    'Equipment:ldsp101m'
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from kg.core.facts import ENTITY_LABEL
from kg.graph import queries
from kg.graph.entities import entity_ref, require
from kg.graph.knowledge_graph import KnowledgeGraph
from kg.graph.results import (
    AlternativePart,
    AlternativesResponse,
    BomLine,
    BomResponse,
    FailureChain,
    FailureChainsResponse,
    ImpactRow,
    PathEdge,
    PathResponse,
    SingleSourceItem,
    SingleSourceResponse,
    SupplierImpact,
    SupplierRef,
    WhereUsedResponse,
    WhereUsedRow,
)


def _ends(kg: KnowledgeGraph, rel: str, side: int) -> set[str]:
    """Labels the ontology allows as subject (side 0) or object (side 1) of ``rel``; empty = any."""
    rule = kg.schema.relations.get(rel)
    return {pair[side] for pair in rule.pairs} if rule else set()


Records = (
    Sequence[str] | None
)  # only facts these extractors back (kg.core.facts.RECORD_EXTRACTORS); None: all


def suppliers(kg: KnowledgeGraph, ids: list[str], records: Records = None) -> dict[str, list[SupplierRef]]:
    """Direct suppliers of each item (``records``: only links these extractors back)."""
    out: dict[str, list[SupplierRef]] = defaultdict(list)
    if ids:
        rec = None if records is None else list(records)
        for r in kg.store.read(queries.suppliers_of(), {"ids": ids, "records": rec}):
            out[str(r["item_id"])].append(SupplierRef(id=str(r["id"]), name=r["name"]))
    return out


def supplier_impact(
    kg: KnowledgeGraph, supplier_id: str, *, limit: int = 100, records: Records = None
) -> SupplierImpact:
    """Items the supplier provides, equipment containing them, sites; sole-sourced items first."""
    node = require(kg, supplier_id, "path parameter 'supplier_id'", _ends(kg, "SUPPLIED_BY", 1))
    found = kg.supplier_impact(supplier_id, limit=limit + 1, records=records)
    rows = [ImpactRow(**r) for r in found[:limit]]
    return SupplierImpact(
        truncated=len(found) > limit,
        supplier=entity_ref(node),
        items=sorted({r.item_id for r in rows}),
        sole_source_items=sorted({r.item_id for r in rows if r.other_suppliers == 0}),
        equipment=sorted({r.equipment_id for r in rows}),
        sites=sorted({r.site for r in rows if r.site}),
        rows=rows,
    )


def single_source(kg: KnowledgeGraph, *, limit: int = 100, records: Records = None) -> SingleSourceResponse:
    found = kg.single_source_items(limit=limit + 1, records=records)
    items = [SingleSourceItem(**r) for r in found[:limit]]
    return SingleSourceResponse(count=len(items), items=items, truncated=len(found) > limit)


def alternatives(
    kg: KnowledgeGraph, part_id: str, *, limit: int = 100, records: Records = None
) -> AlternativesResponse:
    """Other sources for a part: its own suppliers and interchangeable parts with theirs."""
    node = require(kg, part_id, "path parameter 'part_id'", _ends(kg, "SUPPLIED_BY", 0))
    params = {"id": part_id, "limit": limit, "records": None if records is None else list(records)}
    rows = kg.store.read(queries.alternatives(), params)
    alts: dict[str, AlternativePart] = {}
    for r in rows:
        alt = alts.setdefault(
            str(r["id"]),
            AlternativePart(id=str(r["id"]), name=r["name"], part_number=r["part_number"], suppliers=[]),
        )
        if r["supplier_id"] is not None:
            alt.suppliers.append(SupplierRef(id=str(r["supplier_id"]), name=r["supplier"]))
    own = suppliers(kg, [part_id], records).get(part_id, [])
    return AlternativesResponse(part=entity_ref(node), suppliers=own, alternatives=list(alts.values()))


def where_used(
    kg: KnowledgeGraph, part_id: str, *, depth: int = 4, limit: int = 100, records: Records = None
) -> WhereUsedResponse:
    node = require(kg, part_id, "path parameter 'part_id'", _ends(kg, "HAS_PART", 1))
    params = {"id": part_id, "limit": limit + 1, "records": None if records is None else list(records)}
    rows = kg.store.read(queries.where_used(depth), params)
    return WhereUsedResponse(
        part=entity_ref(node),
        equipment=[WhereUsedRow(**r) for r in rows[:limit]],
        truncated=len(rows) > limit,
    )


def bom(
    kg: KnowledgeGraph, root_id: str, *, depth: int = 4, limit: int = 500, records: Records = None
) -> BomResponse:
    """Bill-of-materials explosion, level by level, each line with its direct suppliers."""
    node = require(kg, root_id, "path parameter 'equipment_id'", _ends(kg, "HAS_PART", 0))
    params = {"id": root_id, "limit": limit + 1, "records": None if records is None else list(records)}
    found = kg.store.read(queries.bom(depth), params)
    rows = found[:limit]
    by_item = suppliers(kg, sorted({str(r["item_id"]) for r in rows}), records)
    lines = [
        BomLine(
            parent_id=str(r["parent_id"]),
            item_id=str(r["item_id"]),
            item=r["item"],
            labels=[x for x in r["labels"] or [] if x != ENTITY_LABEL],
            part_number=_text(r["part_number"]),
            tag=_text(r["tag"]),
            level=int(r["level"]),
            suppliers=by_item.get(str(r["item_id"]), []),
        )
        for r in rows
    ]
    return BomResponse(root=entity_ref(node), lines=lines, truncated=len(found) > limit)


def failure_chains(
    kg: KnowledgeGraph,
    entity_id: str,
    *,
    depth: int = 3,
    limit: int = 100,
    param: str = "path parameter 'equipment_id'",
    records: Records = None,
) -> FailureChainsResponse:
    node = require(kg, entity_id, param, _ends(kg, "HAS_FAILURE_MODE", 0))
    rows = kg.failure_chains(entity_id, limit=limit + 1, depth=depth, records=records)
    return FailureChainsResponse(
        entity=entity_ref(node),
        chains=[FailureChain(**numeric_ratings(r)) for r in rows[:limit]],
        truncated=len(rows) > limit,
    )


def shortest_path(kg: KnowledgeGraph, source: str, target: str, *, max_hops: int = 6) -> PathResponse:
    require(kg, source, "query parameter 'source'")
    require(kg, target, "query parameter 'target'")
    path = kg.shortest_path(source, target, max_hops=max_hops)
    if path is None:
        return PathResponse(source=source, target=target, found=False)
    return PathResponse(
        source=source,
        target=target,
        found=True,
        length=len(path.edges),
        nodes=[entity_ref(n) for n in path.nodes],
        edges=[PathEdge(type=e.type, source=e.source, target=e.target) for e in path.edges],
    )


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def numeric_ratings(row: dict[str, Any]) -> dict[str, Any]:
    """FMEA ratings may be stored as text by a hand-written sheet: numbers or null, never a 500."""
    out = dict(row)
    for k in ("severity", "occurrence", "detection", "rpn"):
        try:
            number = None if row.get(k) is None else float(row[k])
            out[k] = int(number) if number is not None and number.is_integer() else number
        except (TypeError, ValueError):
            out[k] = None
    return out
