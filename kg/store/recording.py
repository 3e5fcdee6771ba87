"""Record the Cypher a piece of work runs, for answers that show their queries (``POST /ask``).

Stores call :func:`record` after each read; it does nothing unless a :func:`recording` block is active in
the current context (a context variable: concurrent requests each see only their own statements).

Example:
    >>> with recording() as runs:
    ...     record("RETURN 1", {}, 1, 0.0002)
    >>> runs[0].query, runs[0].rows
    ('RETURN 1', 1)
    >>> record("RETURN 2", {}, 1, 0.0)  # no recording block: ignored
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

MAX_RECORDED = 500  # statements kept per block: a runaway loop must not grow a response without bound


@dataclass(frozen=True)
class RecordedQuery:
    query: str
    params: dict[str, Any]
    rows: int
    seconds: float


_RUNS: ContextVar[list[RecordedQuery] | None] = ContextVar("kg_recorded_queries", default=None)


@contextmanager
def recording() -> Iterator[list[RecordedQuery]]:
    """Collect every statement the stores run inside the block, in order."""
    runs: list[RecordedQuery] = []
    token = _RUNS.set(runs)
    try:
        yield runs
    finally:
        _RUNS.reset(token)


def record(query: str, params: Mapping[str, Any] | None, rows: int, seconds: float) -> None:
    runs = _RUNS.get()
    if runs is not None and len(runs) < MAX_RECORDED:
        runs.append(RecordedQuery(query, dict(params or {}), rows, seconds))
