"""Shortest undirected connection between two entities by bidirectional BFS over 1-hop reads.

Used where the backend's own ``shortestPath`` cannot serve (FalkorDB supports only directed shortest
paths). Each step reads the neighbours of the smaller frontier in one indexed query, so the cost grows
with the neighbourhoods touched, not with the graph.
"""

from __future__ import annotations

import itertools
from typing import Any, Protocol

from kg.core.errors import BadInputError
from kg.core.facts import GraphEdge, GraphNode, GraphPath
from kg.store import cypher


class _Reader(Protocol):
    def read(
        self, cypher: str, params: dict[str, Any] | None = None, *, timeout_ms: int | None = None
    ) -> Any: ...


def bfs_shortest_path(
    store: _Reader, rel_types: tuple[str, ...], source: str, target: str, max_hops: int
) -> GraphPath | None:
    """Return one shortest path from ``source`` to ``target`` (ids), or None when none within ``max_hops``."""
    if not 1 <= max_hops <= 10:
        raise BadInputError(f"max_hops must be from 1 to 10, got {max_hops}")
    nodes = {
        r["n"].id: r["n"]
        for r in store.read("MATCH (n:Entity) WHERE n.id IN $ids RETURN n", {"ids": [source, target]})
    }
    if source not in nodes or target not in nodes:
        missing = [x for x in (source, target) if x not in nodes]
        raise BadInputError(f"No entity with id {missing[0]!r} in the graph; search for it by name first.")
    if source == target:
        return GraphPath(nodes=[nodes[source]], edges=[])
    ids = _meet(store, cypher.neighbours_of_frontier(rel_types), source, target, max_hops)
    return _materialise(store, ids) if ids else None


def _meet(store: _Reader, step: str, source: str, target: str, max_hops: int) -> list[str] | None:
    parents: tuple[dict[str, str | None], dict[str, str | None]] = ({source: None}, {target: None})
    frontiers = ([source], [target])
    for _ in range(max_hops):
        side = 0 if len(frontiers[0]) <= len(frontiers[1]) else 1
        seen, other = parents[side], parents[1 - side]
        nxt: list[str] = []
        for row in store.read(step, {"ids": frontiers[side]}):
            src, dst = row["src"], row["dst"]
            if dst in seen:
                continue
            seen[dst] = src
            nxt.append(dst)
            if dst in other:
                return _join(parents, dst)
        if not nxt:
            return None
        frontiers = (nxt, frontiers[1]) if side == 0 else (frontiers[0], nxt)
    return None


def _join(parents: tuple[dict[str, str | None], dict[str, str | None]], meet: str) -> list[str]:
    left: list[str] = []
    cur: str | None = meet
    while cur is not None:
        left.append(cur)
        cur = parents[0][cur]
    right: list[str] = []
    cur = parents[1][meet]
    while cur is not None:
        right.append(cur)
        cur = parents[1][cur]
    return [*reversed(left), *right]


def _materialise(store: _Reader, ids: list[str]) -> GraphPath:
    rows = store.read("MATCH (n:Entity) WHERE n.id IN $ids RETURN n", {"ids": ids})
    by_id: dict[str, GraphNode] = {r["n"].id: r["n"] for r in rows}
    pairs = [[a, b] for a, b in itertools.pairwise(ids)]
    edges: dict[tuple[str, str], GraphEdge] = {}
    for r in store.read(cypher.path_edges(), {"pairs": pairs}):
        key = (r["a"], r["b"])
        if key not in edges:
            e: GraphEdge = r["e"]
            other = r["b"] if r["src"] == r["a"] else r["a"]
            edges[key] = GraphEdge(type=e.type, source=r["src"], target=other, properties=e.properties)
    return GraphPath(nodes=[by_id[i] for i in ids], edges=[edges[(a, b)] for a, b in pairs])
