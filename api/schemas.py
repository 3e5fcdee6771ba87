"""Request and response models of the API (separate types per direction; requests forbid extra fields).

Example:
    >>> QueryRequest(cypher="MATCH (n:Supplier) RETURN n.name LIMIT 3").params
    {}
    >>> QueryRequest(cypher="RETURN $x", params={"x y": 1})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    pydantic_core._pydantic_core.ValidationError: ...
"""

from __future__ import annotations

import math
import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

_PARAM_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")


class StrictModel(BaseModel):
    """Request bodies: unknown fields are an error, not silently ignored."""

    model_config = ConfigDict(extra="forbid")


# -- errors -------------------------------------------------------------------------------------------
class ErrorDetail(BaseModel):
    code: str = Field(description="Stable, machine-readable reason, e.g. entity_not_found.")
    message: str = Field(description="What was wrong, naming the input, and what to do.")
    suggestions: list[str] | None = Field(default=None, description="Close entity ids, for unknown ids.")


class ErrorBody(BaseModel):
    """Every error response: ``{"error": {"code", "message"}}``."""

    error: ErrorDetail


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
        description="chunk: from Chunk nodes (ingestion); evidence: from the fact's evidence list."
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


# -- power users --------------------------------------------------------------------------------------
class QueryRequest(StrictModel):
    """Read-only Cypher with parameters; writes, procedures and LOAD CSV are refused."""

    cypher: str = Field(
        min_length=1,
        max_length=20_000,
        examples=["MATCH (p:Part)-[:SUPPLIED_BY]->(s) WHERE s.id = $id RETURN p.name LIMIT 5"],
    )
    params: dict[str, Any] = Field(default_factory=dict, examples=[{"id": "Supplier:skf"}])
    max_rows: int | None = Field(default=None, ge=1, description="At most the server's row limit.")

    @field_validator("params")
    @classmethod
    def _names(cls, params: dict[str, Any]) -> dict[str, Any]:
        for name, value in params.items():
            if not _PARAM_NAME.match(name):
                raise ValueError(f"parameter name {name!r} must be letters, digits and _ (not first a digit)")
            _check_value(value, name)
        return params


def _check_value(value: Any, where: str) -> None:
    if isinstance(value, dict):
        for k, v in value.items():
            if not k or "`" in k:
                raise ValueError(f"map key {k!r} in parameter {where!r} must be non-empty, without backticks")
            _check_value(v, f"{where}.{k}")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            _check_value(v, f"{where}[{i}]")
    elif isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"parameter {where!r} is not a finite number")


class QueryResponse(BaseModel):
    columns: list[str]
    rows: list[dict[str, Any]]
    truncated: bool = Field(description="More rows matched than max_rows.")
    cypher: str = Field(description="The statement that ran.")
    params: dict[str, Any]


# -- ingestion ------------------------------------------------------------------------------------------
JobState = Literal["queued", "running", "done", "failed"]


class JobDocument(BaseModel):
    filename: str = Field(description="The uploaded file's name as stored.")
    doc_id: str = ""
    state: str = Field(description="loaded | replaced | unchanged | duplicate | failed")
    reason: str = Field(default="", description="Why the document failed, and what to do.")
    nodes: int = 0
    edges: int = 0
    review: int = Field(default=0, description="Facts the ontology refused (see `kg review list`).")
    chunks: int = 0
    warnings: list[str] = Field(default_factory=list)


class JobStatus(BaseModel):
    id: str
    state: JobState
    files: list[str]
    created_at: str
    started_at: str | None = None
    finished_at: str | None = None
    progress: dict[str, int] = Field(default_factory=dict, description="documents done / to read")
    documents: list[JobDocument] = Field(default_factory=list)
    summary: dict[str, Any] = Field(default_factory=dict, description="As `kg ingest` prints it.")
    error: str | None = Field(default=None, description="Why the whole job failed (state failed).")


class JobAccepted(BaseModel):
    job_id: str
    state: JobState
    files: list[str]
    status_url: str


# -- health -------------------------------------------------------------------------------------------
class StoreHealth(BaseModel):
    backend: str
    reachable: bool
    detail: str = ""


class ModelHealth(BaseModel):
    configured: bool = Field(description="KG_EXTRACTOR__MODEL names a model, or the default one is trained.")
    source: Literal["settings", "default", "none"]
    path: str | None = None
    detail: str = ""


class HealthResponse(BaseModel):
    status: Literal["ok", "unavailable"]
    version: str
    store: StoreHealth
    model: ModelHealth
    auth: Literal["api-keys", "open"]
