"""``POST /ask`` (questions in plain language), failure history from work orders, graph analytics.

Example:
    >>> client.post("/ask", json={"question": "What does an outage of SKF hit?"}).json()["tool"]["name"]
    'supplier_impact'                                                    # doctest: +SKIP
"""

from __future__ import annotations

import threading
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query

from api.deps import ContextDep, KGDep
from kg.qa import analytics
from kg.qa.answers import (
    AskRequest,
    AskResponse,
    ConcentrationResponse,
    CriticalityResponse,
    FailureHistoryResponse,
)
from kg.qa.service import QAService
from kg.qa.tools import failure_history

router = APIRouter()
_LOCK = threading.Lock()


def get_qa(context: ContextDep, kg: KGDep) -> QAService:
    """One question-answering service per app, built on first use (loads the sentence encoder)."""
    with _LOCK:
        if context.qa is None or context.qa.kg is not kg:
            context.qa = QAService(kg, context.settings)
        return context.qa


QADep = Annotated[QAService, Depends(get_qa)]


@router.post(
    "/ask", response_model=AskResponse, tags=["questions"], summary="Answer a question from the graph"
)
def ask(body: AskRequest, qa: QADep) -> AskResponse:
    """Links the entities the question names, routes it to an analyst tool, runs the tool's fixed
    parameterized Cypher, and explains the result. The response carries the facts, every statement run
    (with parameters), citations, the subgraph, and which explainer wrote the text (``explainer.name``;
    ``grounded`` says the grounding check passed). Ambiguous names come back as ``choices`` (ask again with
    ``entity_ids``), unknown ones as ``suggestions``."""
    return qa.ask(body)


@router.get(
    "/equipment/{equipment_id:path}/history", response_model=FailureHistoryResponse, tags=["reliability"],
    summary="Failure and maintenance history from work orders",
)  # fmt: skip
def history(
    kg: KGDep,
    equipment_id: Annotated[str, Path(min_length=1, max_length=1000, examples=["Equipment:ldsp101"])],
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> FailureHistoryResponse:
    """Work orders naming the asset or its sub-assets, newest first, with the failure modes, activities and
    parts each one records."""
    return failure_history(kg, equipment_id, limit=limit)


@router.get(
    "/analytics/criticality", response_model=CriticalityResponse, tags=["analytics"],
    summary="Items ranked by how much equipment depends on them per supplier",
)  # fmt: skip
def criticality(kg: KGDep, limit: Annotated[int, Query(ge=1, le=1000)] = 20) -> CriticalityResponse:
    return analytics.criticality(kg, limit=limit)


@router.get(
    "/analytics/concentration", response_model=ConcentrationResponse, tags=["analytics"],
    summary="Supplier concentration (HHI) per site or equipment",
)  # fmt: skip
def concentration(
    kg: KGDep,
    by: Literal["site", "equipment"] = "site",
    limit: Annotated[int, Query(ge=1, le=1000)] = 50,
) -> ConcentrationResponse:
    return analytics.concentration(kg, by=by, limit=limit)
