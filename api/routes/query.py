"""``POST /query``: read-only Cypher for power users, through the library's guard.

The guard (:func:`kg.store.guard.screen_untrusted`) refuses write clauses, procedures outside a small
allow-list, ``LOAD CSV`` and several statements; the store then runs the query in read-only mode
(FalkorDB ``GRAPH.RO_QUERY``, Neo4j READ transactions) with the configured time and row limits. A
refused query is a 403 with the reason; a broken one a 400; a slow one a 408.

Example:
    >>> client.post("/query", json={"cypher": "MATCH (n) DETACH DELETE n"}).status_code  # doctest: +SKIP
    403
"""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import KGDep, SettingsDep
from api.errors import ApiError
from api.schemas import ErrorBody, QueryRequest, QueryResponse
from kg.graph.entities import to_jsonable

router = APIRouter(tags=["power users"])


@router.post(
    "/query",
    response_model=QueryResponse,
    responses={
        403: {"model": ErrorBody, "description": "The query could write, call a procedure or read files."},
        408: {"model": ErrorBody, "description": "The query ran past the time limit."},
    },
    summary="Run read-only Cypher",
)
def run_query(body: QueryRequest, kg: KGDep, settings: SettingsDep) -> QueryResponse:
    """Rows of a read-only Cypher query, and the statement that ran. Writes are refused (403)."""
    limit = settings.store.max_rows
    if body.max_rows is not None and body.max_rows > limit:
        raise ApiError(
            400,
            "bad_input",
            f"body field 'max_rows' is {body.max_rows}; this server returns at most {limit} rows "
            "(KG_STORE__MAX_ROWS). Ask for fewer, or add LIMIT/SKIP to page.",
        )
    result = kg.query(body.cypher, body.params, max_rows=body.max_rows or limit)
    return QueryResponse(
        columns=result.columns,
        rows=[to_jsonable(r) for r in result.rows],
        truncated=result.truncated,
        cypher=result.cypher,
        params=to_jsonable(result.params),
    )
