"""Analyst and engineer tools: supplier impact, single sources, alternatives, where-used, BOM, failures.

Example:
    >>> client.get("/suppliers/Supplier:skf/impact").json()["sites"]  # doctest: +SKIP
    ['Plant Alpha – Leeds', 'Plant Beta – Ostrava']
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from api.deps import KGDep
from kg.graph import analyst
from kg.graph.results import (
    AlternativesResponse,
    BomResponse,
    FailureChainsResponse,
    SingleSourceResponse,
    SupplierImpact,
    WhereUsedResponse,
)

router = APIRouter()
Limit = Annotated[int, Query(ge=1, le=1000, description="Most rows returned.")]
Depth = Annotated[int, Query(ge=1, le=6, description="HAS_PART levels followed.")]


def _id(example: str) -> object:
    return Path(min_length=1, max_length=1000, description="Entity id, Label:key.", examples=[example])


@router.get(
    "/suppliers/{supplier_id:path}/impact", response_model=SupplierImpact, tags=["supply chain"],
    summary="What an outage of this supplier hits",
)  # fmt: skip
def supplier_impact(
    kg: KGDep, supplier_id: Annotated[str, _id("Supplier:skf")], limit: Limit = 100
) -> SupplierImpact:
    """Items the supplier provides, the equipment containing them and their sites; sole sources first."""
    return analyst.supplier_impact(kg, supplier_id, limit=limit)


@router.get(
    "/parts/single-source", response_model=SingleSourceResponse, tags=["supply chain"],
    summary="Items with exactly one supplier",
)  # fmt: skip
def single_source(kg: KGDep, limit: Limit = 100) -> SingleSourceResponse:
    return analyst.single_source(kg, limit=limit)


@router.get(
    "/parts/{part_id:path}/alternatives", response_model=AlternativesResponse, tags=["supply chain"],
    summary="Alternative parts and suppliers",
)  # fmt: skip
def alternatives(
    kg: KGDep, part_id: Annotated[str, _id("Part:62052rsh")], limit: Limit = 100
) -> AlternativesResponse:
    """The part's own suppliers, and parts interchangeable with it (ALTERNATIVE_TO) with theirs."""
    return analyst.alternatives(kg, part_id, limit=limit)


@router.get(
    "/parts/{part_id:path}/where-used", response_model=WhereUsedResponse, tags=["bill of materials"],
    summary="Equipment that contains this part",
)  # fmt: skip
def where_used(
    kg: KGDep, part_id: Annotated[str, _id("Part:62052rsh")], depth: Depth = 4, limit: Limit = 100
) -> WhereUsedResponse:
    """Equipment containing the part through up to ``depth`` HAS_PART levels, nearest first."""
    return analyst.where_used(kg, part_id, depth=depth, limit=limit)


@router.get(
    "/equipment/{equipment_id:path}/bom", response_model=BomResponse, tags=["bill of materials"],
    summary="Bill-of-materials explosion",
)  # fmt: skip
def bom(
    kg: KGDep, equipment_id: Annotated[str, _id("Equipment:ldsp101")], depth: Depth = 4, limit: Limit = 500
) -> BomResponse:
    """Every part and sub-assembly down ``depth`` HAS_PART levels, with its parent and its suppliers."""
    return analyst.bom(kg, equipment_id, depth=depth, limit=limit)


@router.get(
    "/equipment/{equipment_id:path}/failure-chains", response_model=FailureChainsResponse,
    tags=["reliability"], summary="Cause → failure mode → effect, highest RPN first",
)  # fmt: skip
def failure_chains(
    kg: KGDep,
    equipment_id: Annotated[str, _id("Equipment:ldsp101")],
    depth: Annotated[int, Query(ge=0, le=6, description="HAS_PART levels of sub-parts included.")] = 3,
    limit: Limit = 100,
) -> FailureChainsResponse:
    """Failure chains of the equipment (or part) and its parts, with FMEA S/O/D/RPN where loaded."""
    return analyst.failure_chains(kg, equipment_id, depth=depth, limit=limit)


@router.get(
    "/parts/{part_id:path}/failure-chains", response_model=FailureChainsResponse, tags=["reliability"],
    summary="Cause → failure mode → effect of a part",
)  # fmt: skip
def part_failure_chains(
    kg: KGDep,
    part_id: Annotated[str, _id("Part:62052rsh")],
    depth: Annotated[int, Query(ge=0, le=6, description="HAS_PART levels of sub-parts included.")] = 3,
    limit: Limit = 100,
) -> FailureChainsResponse:
    """As for equipment: the part's failure modes with their causes, effects and FMEA ratings."""
    return analyst.failure_chains(kg, part_id, depth=depth, limit=limit, param="path parameter 'part_id'")
