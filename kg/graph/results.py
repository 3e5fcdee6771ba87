"""What the analyst tools and entity reads return: entities, citations, impact, BOM, failure chains, paths.

Plain pydantic models shared by every caller: the API uses them as response models, the question-answering
tools turn them into facts, the CLI prints them. Requests forbid unknown fields (:class:`StrictModel`).

Example:
    >>> EntityRef(id="Part:62052rsh", name="6205-2RSH", labels=["Part"]).id
    'Part:62052rsh'
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class StrictModel(BaseModel):
    """Request bodies: unknown fields are an error, not silently ignored."""

    model_config = ConfigDict(extra="forbid")


# -- entities -----------------------------------------------------------------------------------------
class EntityRef(BaseModel):
    id: str = Field(examples=["Part:62052rsh"])
    name: str | None = None
    labels: list[str] = Field(default_factory=list, description="Ontology classes (without Entity).")


class SearchHit(EntityRef):
    score: float


class SearchResponse(BaseModel):
    query: str
    results: list[SearchHit]


class Neighbour(BaseModel):
    relationship: str = Field(examples=["SUPPLIED_BY"])
    direction: Literal["out", "in"] = Field(description="out: entity -[rel]-> neighbour.")
    entity: EntityRef


class Citation(BaseModel):
    """Where the graph learnt about an entity: a document span, with its text when we have it."""

    document: str = Field(description="Document id.")
    path: str | None = Field(default=None, description="The document's file when ingested.")
    start: int = Field(description="Character offset of the cited span in the document text.")
    end: int
    snippet: str | None = Field(default=None, description="The span's text (table row or sentence).")
    chunk: str | None = Field(default=None, description="Chunk id, when the citation comes from a chunk.")
    spans: list[list[int]] = Field(default_factory=list, description="The entity's own spans within it.")
    extractor: str | None = None
    confidence: float | None = None
    source: Literal["chunk", "evidence"] = Field(
        description="chunk: from Chunk nodes (ingestion); evidence: from the document's evidence for the "
        "fact (its MENTIONED_IN link or Evidence record)."
    )


class EntityDetail(BaseModel):
    entity: EntityRef
    properties: dict[str, Any] = Field(description="Stored properties (evidence is under citations).")
    neighbours: list[Neighbour]
    neighbours_truncated: bool
    citations: list[Citation]


class StatsResponse(BaseModel):
    entities: dict[str, int]
    relationships: dict[str, int]
    documents: dict[str, int]


class PathEdge(BaseModel):
    type: str
    source: str | None
    target: str | None


class PathResponse(BaseModel):
    source: str
    target: str
    found: bool
    length: int | None = Field(default=None, description="Relationships on the path; null when none found.")
    nodes: list[EntityRef] = Field(default_factory=list)
    edges: list[PathEdge] = Field(default_factory=list)


# -- analyst and engineer tools -------------------------------------------------------------------------
class ImpactRow(BaseModel):
    item_id: str
    item: str | None
    equipment_id: str
    equipment: str | None
    site: str | None
    other_suppliers: int = Field(description="Other sources of the item; 0 = sole source.")
    depth: int = Field(
        default=1, description="HAS_PART levels from the equipment to the item (1: on its own BOM)."
    )


class SupplierImpact(BaseModel):
    supplier: EntityRef
    items: list[str] = Field(description="Ids of the items this supplier provides that equipment uses.")
    sole_source_items: list[str]
    equipment: list[str]
    sites: list[str]
    rows: list[ImpactRow]
    truncated: bool = Field(default=False, description="More rows matched than limit: raise it to see all.")


class SingleSourceItem(BaseModel):
    item_id: str
    item: str | None
    supplier_id: str
    supplier: str | None


class SingleSourceResponse(BaseModel):
    count: int
    items: list[SingleSourceItem]
    truncated: bool = Field(default=False, description="More rows matched than limit: raise it to see all.")


class SupplierRef(BaseModel):
    id: str
    name: str | None


class AlternativePart(BaseModel):
    id: str
    name: str | None
    part_number: str | None
    suppliers: list[SupplierRef]


class AlternativesResponse(BaseModel):
    part: EntityRef
    suppliers: list[SupplierRef] = Field(description="Who supplies the part itself.")
    alternatives: list[AlternativePart]


class WhereUsedRow(BaseModel):
    equipment_id: str
    equipment: str | None
    tag: str | None
    depth: int = Field(description="HAS_PART levels between the equipment and the part.")
    site_id: str | None
    site: str | None


class WhereUsedResponse(BaseModel):
    part: EntityRef
    equipment: list[WhereUsedRow]
    truncated: bool = Field(default=False, description="More rows matched than limit: raise it to see all.")


class BomLine(BaseModel):
    parent_id: str
    item_id: str
    item: str | None
    labels: list[str]
    part_number: str | None
    tag: str | None
    level: int
    suppliers: list[SupplierRef]


class BomResponse(BaseModel):
    root: EntityRef
    lines: list[BomLine]
    truncated: bool = Field(default=False, description="More rows matched than limit: raise it to see all.")


class FailureChain(BaseModel):
    item_id: str
    item: str | None
    mode_id: str
    mode: str | None
    cause: str | None
    effect: str | None
    severity: int | float | None = None
    occurrence: int | float | None = None
    detection: int | float | None = None
    rpn: int | float | None = Field(default=None, description="Risk priority number (S x O x D) when loaded.")


class FailureChainsResponse(BaseModel):
    entity: EntityRef
    chains: list[FailureChain]
    truncated: bool = Field(default=False, description="More rows matched than limit: raise it to see all.")
