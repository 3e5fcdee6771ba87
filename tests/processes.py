"""Killing an ingesting process half-way, for the tests that prove a killed run is finished by the next one
(tests/cli/test_ingest_cli.py on embedded FalkorDB, tests/store/test_neo4j_outage.py on Neo4j), and the
fingerprint that compares a troubled run's graph with an untroubled one's."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import time
from pathlib import Path
from typing import Any

from kg.graph.knowledge_graph import KnowledgeGraph


def kill_after_documents(
    proc: subprocess.Popen[bytes], manifest: Path, at: int, *, within_s: float = 300
) -> int:
    """SIGKILL ``proc``'s process group (it must run in a session of its own) once its manifest holds ``at``
    documents ``done``; returns how many were done then (fewer when the run ended or the time ran out)."""
    done, deadline = 0, time.monotonic() + within_s
    while time.monotonic() < deadline and proc.poll() is None:
        if manifest.exists():
            try:
                with sqlite3.connect(manifest) as db:
                    done = db.execute("SELECT count(*) FROM documents WHERE state = 'done'").fetchone()[0]
            except sqlite3.Error:
                done = 0
        if done >= at:
            os.killpg(proc.pid, signal.SIGKILL)  # the whole group: kg and anything it started
            break
        time.sleep(0.02)
    proc.wait(timeout=60)
    return done


def graph_fingerprint(kg: KnowledgeGraph) -> tuple[Any, ...]:
    """Counts per label and type, every node's id with its support and number of evidence entries, and the
    relationships' count, support and evidence: equal for two runs when nothing was lost or doubled."""
    nodes = kg.store.read(
        "MATCH (n) OPTIONAL MATCH (n)-[m:MENTIONED_IN]->() "
        "RETURN n.id AS id, n.support AS support, sum(size(m.evidence)) AS ev ORDER BY id"
    )
    edges = kg.store.read("MATCH ()-[e]->() RETURN count(e) AS n, sum(e.support) AS support")
    records = kg.store.read("MATCH (x:Evidence) RETURN count(x) AS n, sum(size(x.evidence)) AS ev")
    return kg.stats(), [(r["id"], r["support"], r["ev"]) for r in nodes], edges, records


#: properties that say when, not what: they differ between any two runs
WHEN = frozenset({"first_seen", "last_seen", "ingested", "at"})


def graph_contents(kg: KnowledgeGraph) -> tuple[list[str], list[str]]:
    """Every node (labels and properties) and relationship (ends, type, properties) but the run's times
    and its batch bookkeeping: equal for two runs that wrote the same graph."""
    import json

    def shown(props: dict[str, Any]) -> str:
        return json.dumps({k: v for k, v in props.items() if k not in WHEN}, sort_keys=True, default=str)

    nodes = kg.store.read("MATCH (n) WHERE NOT n:AppliedBatch RETURN labels(n) AS l, properties(n) AS p")
    rels = kg.store.read("MATCH (a)-[r]->(b) RETURN a.id AS a, type(r) AS t, b.id AS b, properties(r) AS p")
    return (
        sorted(f"{sorted(n['l'])} {shown(n['p'])}" for n in nodes),
        sorted(f"{r['a']} {r['t']} {r['b']} {shown(r['p'])}" for r in rels),
    )
