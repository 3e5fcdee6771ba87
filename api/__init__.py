"""mfg-kg's HTTP service (issue #5): typed analyst tools, guarded Cypher and document ingestion over the
knowledge graph, with API keys, rate and size limits, and Prometheus metrics.

Run it with ``python -m api`` (one process: the embedded store has one owner), or build it in code:

Example:
    >>> from api import create_app
    >>> app = create_app()                                              # doctest: +SKIP
"""

from api.app import create_app

__all__ = ["create_app"]
