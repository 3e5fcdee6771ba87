"""FalkorDB embedded vs Neo4j, side by side in one run (issue #12): the samples replicated to ``--copies``
copies per text document (2,000 documents at 63, the default) ingested into each store with the same
extractor and settings (documents/min, time in the write stage), an unchanged re-ingest, and p50/p95 of
three reads on the result: failure chains of an equipment, a supplier's outage impact, and a guarded
3-hop read. Then the store bench's write rates: its synthetic graph (bench.store_bench) upserted into
each empty store.

    python tools/neo4j/harness.py -- python -m bench.backends_bench [--copies 63] [--runs 200]

Needs a Neo4j at NEO4J_URI (the harness starts one: Neo4j Community 5.26 embedded, tools/neo4j); its
database is cleared first and after. The extractor is the default model; ``--extractor vocab`` uses a fixed
vocabulary instead, so the figures are the stores' alone.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.ingest_bench import replicate
from kg.core.settings import Settings
from kg.graph import analyst
from kg.graph.knowledge_graph import KnowledgeGraph, open_knowledge_graph
from kg.ingest.service import ingestor_for

SAMPLES = Path("samples")
THREE_HOPS = (
    "MATCH (s:Supplier)<-[:SUPPLIED_BY]-(p)<-[:HAS_PART]-(e:Equipment)-[:LOCATED_AT]->(site:Site) "
    "RETURN s.name AS supplier, count(DISTINCT e) AS equipment, count(DISTINCT site) AS sites "
    "ORDER BY equipment DESC LIMIT 20"
)


def _percentiles(samples: list[float]) -> dict[str, float]:
    qs = statistics.quantiles(samples, n=100)
    return {"p50_ms": round(qs[49], 2), "p95_ms": round(qs[94], 2), "runs": len(samples)}


def _timed(fn: Any, runs: int) -> dict[str, float]:
    fn()  # warm-up
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return _percentiles(out)


def reads(kg: KnowledgeGraph, runs: int) -> dict[str, Any]:
    return {
        "failure_chains": _timed(lambda: analyst.failure_chains(kg, "Equipment:ldsp101"), runs),
        "supplier_impact": _timed(lambda: analyst.supplier_impact(kg, "Supplier:skf"), runs),
        "guarded_3_hop": _timed(lambda: kg.query(THREE_HOPS), runs),
    }


def store_writes(backend: str, work: Path, nodes: int, rels: int, batch: int) -> dict[str, Any]:
    """The store bench's synthetic graph (bench.store_bench, same seed) written through ``upsert`` into an
    empty store: nodes first, then relationships, ``batch`` facts per call; rates per second."""
    from bench.store_bench import _chunks, edge_batch, generate, node_batch, upsert_all

    g = generate(nodes, rels, docs=2000, seed=7)
    settings = Settings(store={"backend": backend, "data_dir": str(work / f"{backend}-synthetic")})
    with open_knowledge_graph(settings) as kg:
        kg.store.clear()
        try:
            s_n, sum_n = upsert_all(kg.store, (node_batch(c) for c in _chunks(g.nodes, batch)))  # type: ignore[arg-type]
            s_e, sum_e = upsert_all(kg.store, (edge_batch(c) for c in _chunks(g.edges, batch)))  # type: ignore[arg-type]
            again, _ = upsert_all(kg.store, (edge_batch(c) for c in _chunks(g.edges, batch)))  # type: ignore[arg-type]
        finally:
            kg.store.clear()
    return {
        "nodes": len(g.nodes), "relationships": len(g.edges), "batch": batch,
        "nodes_created": sum_n.nodes_created, "relationships_created": sum_e.relationships_created,
        "nodes_per_s": round(len(g.nodes) / s_n), "relationships_per_s": round(len(g.edges) / s_e),
        "relationships_replayed_per_s": round(len(g.edges) / again),
    }  # fmt: skip


def _extractor(kind: str) -> Any:
    if kind == "default":
        return None  # the configured (default) model
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    from fakes import FakeExtractor

    vocab = {
        "Organization": ["SKF", "Parker Hannifin", "Trelleborg", "ERIKS", "John Crane"],
        "PhysicalObject": ["mechanical seal", "hose assembly", "O-ring", "bearing", "impeller"],
        "FailureMode": ["leak", "burst", "spalling", "overheating", "wear"],
    }
    return FakeExtractor(vocab, [("mechanical seal", "hasFailureMode", "leak")])


def one_backend(backend: str, corpus: Path, work: Path, args: argparse.Namespace) -> dict[str, Any]:
    settings = Settings(
        store={"backend": backend, "data_dir": str(work / f"{backend}-data")},
        ingest={"manifest": str(work / f"{backend}.sqlite")},
    )
    with open_knowledge_graph(settings) as kg:
        if backend == "neo4j":
            kg.store.clear()
        try:
            with ingestor_for(kg, settings, recursive=True, extractor=_extractor(args.extractor)) as ing:
                first = ing.run([SAMPLES / "structured", corpus])
                again = ing.run([SAMPLES / "structured", corpus])
            out = {
                "first_load": first.summary(),
                "reingest_s": round(again.seconds, 2),
                "graph": kg.stats(),
                "reads": reads(kg, args.runs),
            }
        finally:
            if backend == "neo4j":
                kg.store.clear()
    for key in ("node_rules",):
        out["first_load"].pop(key, None)
    out["store_writes"] = store_writes(backend, work, args.synthetic_nodes, args.synthetic_rels, args.batch)
    print(backend, json.dumps(out, indent=1), flush=True)
    return out


def ratios(f: dict[str, Any], n: dict[str, Any]) -> dict[str, float]:
    """Neo4j over FalkorDB (> 1: Neo4j takes longer; for write rates, FalkorDB's over Neo4j's)."""
    fs, ns = f["first_load"]["stages_s"], n["first_load"]["stages_s"]
    out = {
        "ingest_seconds": round(n["first_load"]["seconds"] / f["first_load"]["seconds"], 2),
        "write_stage_seconds": round(ns.get("write", 0) / max(fs.get("write", 0), 1e-9), 2),
        "reingest_seconds": round(n["reingest_s"] / max(f["reingest_s"], 1e-9), 2),
    }
    for rate in ("nodes_per_s", "relationships_per_s", "relationships_replayed_per_s"):
        out[f"store_writes_{rate}"] = round(f["store_writes"][rate] / max(n["store_writes"][rate], 1), 2)
    for read in f["reads"]:
        for q in ("p50_ms", "p95_ms"):
            out[f"{read}_{q}"] = round(n["reads"][read][q] / max(f["reads"][read][q], 1e-9), 2)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--copies", type=int, default=63)
    ap.add_argument("--runs", type=int, default=200)
    ap.add_argument("--extractor", choices=("default", "vocab"), default="default")
    ap.add_argument("--synthetic-nodes", type=int, default=20_000, help="store bench graph, nodes")
    ap.add_argument("--synthetic-rels", type=int, default=40_000, help="store bench graph, relationships")
    ap.add_argument("--batch", type=int, default=5000, help="facts per upsert in the store writes")
    ap.add_argument("--out", type=Path, default=Path("bench/results/backends.json"))
    args = ap.parse_args()
    if not os.environ.get("NEO4J_URI"):
        raise SystemExit(
            "No Neo4j: run it as `python tools/neo4j/harness.py -- python -m bench.backends_bench`."
        )
    work = Path(tempfile.mkdtemp(prefix="kg-backends-"))
    try:
        documents = replicate(work / "corpus", args.copies)
        result: dict[str, Any] = {
            "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "load": os.getloadavg()},
            "documents": documents,
            "extractor": args.extractor,
            "neo4j": os.environ["NEO4J_URI"],
        }
        for backend in ("falkordb", "neo4j"):
            result[backend] = one_backend(backend, work / "corpus", work, args)
        result["neo4j_over_falkordb"] = ratios(result["falkordb"], result["neo4j"])
        result["machine"]["load_after"] = os.getloadavg()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result["neo4j_over_falkordb"], indent=2))


if __name__ == "__main__":
    main()
