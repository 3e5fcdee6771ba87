"""Entities: full-text search, detail (neighbours and citations), shortest connection, graph statistics.

Example:
    >>> client.get("/entities/search?q=coolant+pump").json()["results"][0]["id"]  # doctest: +SKIP
    'Equipment:ldsp101'
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from api.deps import KGDep
from kg.core.facts import ENTITY_LABEL
from kg.graph import analyst
from kg.graph.entities import entity_detail
from kg.graph.results import EntityDetail, PathResponse, SearchHit, SearchResponse, StatsResponse

router = APIRouter(tags=["entities"])
EntityId = Annotated[
    str,
    Path(min_length=1, max_length=1000, description="Entity id, Label:key.", examples=["Part:62052rsh"]),
]


@router.get("/entities/search", response_model=SearchResponse, summary="Full-text search over names")
def search(
    kg: KGDep,
    q: Annotated[str, Query(min_length=1, max_length=500, description="Words of a name.")],
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
) -> SearchResponse:
    """Entities whose names match the words of ``q`` (the last word as a prefix), best first."""
    hits = [
        SearchHit(
            id=str(h["id"]),
            name=h.get("name"),
            labels=[x for x in h.get("labels") or [] if x != ENTITY_LABEL],
            score=float(h.get("score") or 0.0),
        )
        for h in kg.search(q, limit=limit)
    ]
    return SearchResponse(query=q, results=hits)


@router.get("/entities/{entity_id:path}", response_model=EntityDetail, summary="An entity and its sources")
def entity(
    kg: KGDep,
    entity_id: EntityId,
    neighbours: Annotated[int, Query(ge=1, le=500, description="Most neighbours returned.")] = 50,
    citations: Annotated[int, Query(ge=1, le=200, description="Most citations returned.")] = 20,
) -> EntityDetail:
    """The node, its neighbours one relationship away, and citations (document, span, snippet).

    Unknown ids get 404 with close matches in ``error.suggestions``.
    """
    return entity_detail(kg, entity_id, neighbours=neighbours, citations=citations)


@router.get("/paths", response_model=PathResponse, summary="Shortest connection between two entities")
def shortest_path(
    kg: KGDep,
    source: Annotated[str, Query(min_length=1, max_length=1000, examples=["Supplier:skf"])],
    target: Annotated[str, Query(min_length=1, max_length=1000, examples=["Equipment:ldsp101"])],
    max_hops: Annotated[int, Query(ge=1, le=10)] = 6,
) -> PathResponse:
    """The shortest undirected chain of domain relationships; ``found: false`` when none is that short."""
    return analyst.shortest_path(kg, source, target, max_hops=max_hops)


@router.get("/stats", response_model=StatsResponse, summary="What the graph holds")
def stats(kg: KGDep) -> StatsResponse:
    """Entity counts per class, relationship counts per type, and the number of documents."""
    return StatsResponse(**kg.stats())
