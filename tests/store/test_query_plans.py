"""Anchored reads start at their anchor: FalkorDB's planner must seek the id in an index, not scan a label.

A read that names an entity by id (``$id`` / ``$ids``) and then walks a pattern can be planned from the far
end of the pattern: ``failure_chains`` once started at every FailureMode and walked back to the asked
equipment, 0.3 ms on a small graph and 40 ms at 100k nodes. Every such statement we send is checked here.
"""

from __future__ import annotations

import uuid

import falkordb
from factories import plant_batch
from test_cypher_lint import _api_statements

from kg.core.graph_schema import GraphSchema
from kg.store.falkordb_store import FalkorDBStore
from kg.store.neo4j_store import emitted_statements

_SCANS = ("Node By Label Scan", "All Node Scan")


def test_reads_anchored_on_an_id_never_scan_a_label(
    falkor_server: falkordb.FalkorDB, schema: GraphSchema
) -> None:
    graph = falkor_server.select_graph(f"plans_{uuid.uuid4().hex[:8]}")
    store = FalkorDBStore(graph)
    store.ensure_schema(schema)
    store.upsert(plant_batch())
    checked, scanning = 0, []
    for name, query, params in [*emitted_statements(schema), *_api_statements()]:
        anchored = "$id" in query and "WHERE" in query
        writes = any(w in query for w in ("MERGE", "CREATE", "DELETE", " SET "))
        if not anchored or writes or query.lstrip().startswith("CALL"):
            continue
        plan = [line.strip() for line in str(graph.explain(query, params)).splitlines()]
        checked += 1
        if any(line.startswith(_SCANS) for line in plan):
            scanning.append(f"{name}: {' / '.join(plan)}")
    graph.delete()
    assert checked > 20
    assert scanning == [], "\n".join(scanning)
