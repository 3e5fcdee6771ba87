"""Restart after a crash: kill -9 the embedded FalkorDB server in the middle of a large write, time the next
start, finish the batch, and compare the graph with an uninterrupted run's (issue #13).

For each graph size (the store benchmark's synthetic manufacturing graph, written through the real upsert
path in batches of 5,000 facts) and each log policy, the server is killed with SIGKILL at random moments
inside batches; the data directory is reopened as ``kg`` would reopen it (the time until the first query
answers is the start-up time, with the log's base snapshot and tail sizes at the kill), the interrupted
batch and the rest are written again, and the final graph's fingerprint (every node's id, name, aliases and
provenance summary, every document link with its evidence, every relationship with its summary, every
Evidence record) must equal the uninterrupted run's.

Log policies: ``4mb`` (ours: Redis rewrites the append-only log into an RDB snapshot once the tail reaches
4 MB and has doubled since the last rewrite) and ``64mb`` (Redis' default threshold; run on the smaller
graphs only, as its start-up time grows too fast beyond them).

    python -m bench.crash_bench                      # bench/results/crash.json and a table on stdout
    python -m bench.crash_bench --sizes 20000:40000  # quicker
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import random
import shutil
import signal
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from bench.store_bench import _chunks, aof_files, edge_batch, generate, load_schema, machine, node_batch
from kg.core.facts import FactBatch
from kg.core.settings import FalkorSettings, StoreSettings
from kg.store.falkor_server import EmbeddedFalkor
from kg.store.falkordb_store import FalkorDBStore, open_falkordb

POLICIES = ("4mb", "64mb")
PAGE = 20_000


def _open(data: Path) -> FalkorDBStore:
    return open_falkordb(
        StoreSettings(data_dir=data, falkordb=FalkorSettings(startup_timeout_s=600.0), max_rows=PAGE)
    )


def fingerprint(store: FalkorDBStore) -> str:
    """A digest of every node and relationship with its provenance (not its timestamps)."""
    digest = hashlib.sha256()
    queries = (  # a: name or id, b: aliases, c: the summary, d: the per-document evidence
        "MATCH (n:Entity) RETURN n.id AS k, n.name AS a, n.aliases AS b,"
        " [toString(n.support), toString(n.confidence)] + n.extractors AS c, null AS d",
        "MATCH (n:Entity)-[m:MENTIONED_IN]->(doc:Document) RETURN n.id + '|' + doc.id AS k, null AS a,"
        " null AS b, null AS c, m.evidence AS d",
        "MATCH (x:Entity)-[e]->(y:Entity) WHERE type(e) <> 'MENTIONED_IN'"
        " RETURN x.id + '|' + type(e) + '|' + y.id AS k, e.id AS a,"
        " null AS b, [toString(e.support), toString(e.confidence)] + e.extractors AS c, null AS d",
        "MATCH (r:Evidence) RETURN r.id AS k, r.edge AS a, null AS b, [r.doc] AS c, r.evidence AS d",
    )
    for q in queries:
        rows: list[tuple[Any, ...]] = []
        skip = 0
        while True:
            page = store.read(f"{q} ORDER BY k SKIP $skip LIMIT $limit", {"skip": skip, "limit": PAGE})
            rows += [
                (r["k"], r["a"], sorted(r["b"] or []), sorted(r["c"] or []), sorted(r["d"] or []))
                for r in page
            ]
            skip += PAGE
            if len(page) < PAGE:
                break
        digest.update(json.dumps(rows, sort_keys=True).encode())
    return digest.hexdigest()


def write(store: FalkorDBStore, batches: list[FactBatch]) -> float:
    t = time.perf_counter()
    for b in batches:
        store.upsert(b)
    return time.perf_counter() - t


def crash_run(batches: list[FactBatch], data: Path, at: int, delay: float, schema: Any) -> dict[str, Any]:
    """Write batches[:at], kill -9 the server ``delay`` s into batch ``at``, reopen, write batches[at:]."""
    store = _open(data)
    store.ensure_schema(schema)
    write(store, batches[:at])
    assert store.server is not None and store.server.pid is not None
    pid = store.server.pid
    killer = threading.Timer(delay, os.kill, (pid, signal.SIGKILL))
    killer.start()
    interrupted = False
    try:
        write(store, batches[at : at + 1])
    except Exception:  # whatever the client raises when the server dies under it
        interrupted = True
    killer.join()
    with contextlib.suppress(Exception):  # closing a store whose server is gone
        store.close()
    files = aof_files(data)
    t = time.perf_counter()
    store = _open(data)
    store.read("MATCH (n:Entity) RETURN n.id AS id LIMIT 1")
    start_s = time.perf_counter() - t
    store.ensure_schema(schema)
    try:
        write(store, batches[at:])  # the interrupted batch again, then the rest: upserts are idempotent
        return {
            "killed_in_batch": at,
            "kill_delay_s": round(delay, 2),
            "write_was_interrupted": interrupted,
            "start_s": round(start_s, 2),
            "log_base_bytes": sum(v for k, v in files.items() if k.endswith(".rdb")),
            "log_tail_bytes": sum(v for k, v in files.items() if k.endswith(".aof")),
            "fingerprint": fingerprint(store),
        }
    finally:
        store.close()


def run(args: argparse.Namespace) -> dict[str, Any]:
    schema, _ = load_schema()
    rng = random.Random(args.seed)
    results: list[dict[str, Any]] = []
    tmp = Path(tempfile.mkdtemp(prefix="mfg-kg-crash-"))
    original = EmbeddedFalkor.AOF_REWRITE_MIN_SIZE
    try:
        for size in args.sizes:
            n_nodes, n_rels = (int(x) for x in size.split(":"))
            g = generate(n_nodes, n_rels, docs=2000, seed=args.seed)
            batches = [node_batch(c) for c in _chunks(g.nodes, 5000)]
            batches += [edge_batch(c) for c in _chunks(g.edges, 5000)]
            for policy in POLICIES if n_nodes <= args.compare_up_to else POLICIES[:1]:
                EmbeddedFalkor.AOF_REWRITE_MIN_SIZE = policy
                data = tmp / f"clean-{policy}"
                store = _open(data)
                store.ensure_schema(schema)
                clean_s = write(store, batches)
                clean = fingerprint(store)
                store.close()
                shutil.rmtree(data)
                row: dict[str, Any] = {"nodes": n_nodes, "relationships": n_rels, "policy": policy,
                                       "uninterrupted_write_s": round(clean_s, 1), "crashes": []}  # fmt: skip
                per_batch = clean_s / len(batches)
                for _ in range(args.kills):
                    at = rng.randrange(len(batches) // 3, len(batches))
                    data = tmp / f"crash-{policy}"
                    crash = crash_run(batches, data, at, rng.uniform(0.05, 0.9) * per_batch, schema)
                    crash["identical"] = crash.pop("fingerprint") == clean
                    row["crashes"].append(crash)
                    shutil.rmtree(data)
                    print(json.dumps({"size": size, "policy": policy, **crash}), flush=True)
                results.append(row)
    finally:
        EmbeddedFalkor.AOF_REWRITE_MIN_SIZE = original
        shutil.rmtree(tmp, ignore_errors=True)
    return {"machine": machine(), "seed": args.seed, "results": results}


def markdown(report: dict[str, Any]) -> str:
    lines = [
        "| graph (nodes / relationships) | log policy | uninterrupted write | kill in batch | start-up after "
        "kill -9 | log base / tail at the kill | graph identical after resuming |",
        "| --- | --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for r in report["results"]:
        for c in r["crashes"]:
            lines.append(
                f"| {r['nodes']:,} / {r['relationships']:,} | {r['policy']} | {r['uninterrupted_write_s']} s "
                f"| {c['killed_in_batch']} | {c['start_s']} s | {c['log_base_bytes'] / 2**20:.1f} / "
                f"{c['log_tail_bytes'] / 2**20:.1f} MiB | {'yes' if c['identical'] else '**no**'} |"
            )
    return "\n".join(lines)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument(
        "--sizes", nargs="+", default=["10000:20000", "20000:40000", "50000:100000", "100000:200000"]
    )
    p.add_argument("--kills", type=int, default=2, help="crashes per size and policy")
    p.add_argument(
        "--compare-up-to",
        type=int,
        default=20_000,
        help="run Redis' default policy only up to this many nodes (its replay grows too slow beyond)",
    )
    p.add_argument("--seed", type=int, default=13)
    p.add_argument("--out", type=Path, default=Path("bench/results/crash.json"))
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    report = run(args)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(markdown(report))


if __name__ == "__main__":
    main()
