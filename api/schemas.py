"""The HTTP API's own request and response models: errors, guarded queries, ingestion jobs, health.

What the analyst tools return lives in :mod:`kg.graph.results` and is used here as response models.

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

from pydantic import BaseModel, Field, field_validator

from kg.graph.results import StrictModel

_PARAM_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")


# -- errors -------------------------------------------------------------------------------------------
class ErrorDetail(BaseModel):
    code: str = Field(description="Stable, machine-readable reason, e.g. entity_not_found.")
    message: str = Field(description="What was wrong, naming the input, and what to do.")
    suggestions: list[str] | None = Field(default=None, description="Close entity ids, for unknown ids.")


class ErrorBody(BaseModel):
    """Every error response: ``{"error": {"code", "message"}}``."""

    error: ErrorDetail


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
