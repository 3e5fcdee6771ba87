"""mfg-kg's HTTP service (L4): typed analyst tools, guarded Cypher, questions and document ingestion over
the knowledge graph, with API keys, rate and size limits, and Prometheus metrics.

Importing :mod:`api` loads nothing of FastAPI; :func:`create_app` is imported on first use. Run the service
with ``kg serve`` or ``python -m api`` (one process: the embedded store has one owner), or build it in code:

Example:
    >>> from api import create_app
    >>> app = create_app()                                              # doctest: +SKIP
"""

from __future__ import annotations

from typing import Any

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from api.app import create_app

        return create_app
    raise AttributeError(f"module 'api' has no attribute {name!r}")
