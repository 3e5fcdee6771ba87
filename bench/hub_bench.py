"""Write time per document when every document cites one hub supplier (issue #13).

Each of ``--docs`` documents says one thing: "part i is supplied by ACME" (the hub supplier, a part, the
SUPPLIED_BY between them, each with its evidence). The bench writes them one document per
``store.upsert`` into a fresh embedded FalkorDB and times each write. With the 0.1 layout every document
rewrote the lists on the hub (``sources``/``evidence``: half a megabyte at 10,000 documents); with
provenance per fact a document writes only its own link and record, and the hub keeps a few counters.

Two baselines in the same run: the bare ``falkordb`` client writing the same documents without provenance
(one MERGE query per document: what the store itself costs as the graph grows), and, with ``--compare``,
mfg-kg 0.1 (a ``git worktree`` of commit ``V1_COMMIT``, in a subprocess). Writes the series, their ratios
and a plot.

Run: ``python -m bench.hub_bench --compare`` (10,000 documents; about 2 minutes on 2 cores).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
V1_COMMIT = "ffef37b"  # the last commit with provenance lists on every node (layout 1)


def run_series(docs: int, bins: int) -> dict[str, Any]:
    """Write ``docs`` one-fact documents citing the hub; median write time per bin of documents."""
    import psutil

    from kg.core.facts import DocumentInfo, EdgeFact, Evidence, FactBatch, NodeFact
    from kg.core.settings import StoreSettings
    from kg.store.falkordb_store import open_falkordb
    from ontology import load_ontology

    work = Path(tempfile.mkdtemp(prefix="kg-hub-"))
    store = open_falkordb(StoreSettings(data_dir=str(work)))
    try:
        store.ensure_schema(load_ontology().graph_schema())
        times: list[float] = []
        for i in range(docs):
            ev = Evidence(doc_id=f"notice-{i:06d}", start=0, end=40, extractor="bench@1", confidence=0.9)
            hub = NodeFact(label="Supplier", name="ACME Bearings", evidence=[ev])
            part = NodeFact(label="Part", name=f"bearing {i:06d}", evidence=[ev])
            batch = FactBatch(
                nodes=[hub, part],
                edges=[EdgeFact(source=part.id, type="SUPPLIED_BY", target=hub.id, evidence=[ev])],
                documents=[DocumentInfo(id=ev.doc_id, properties={"path": f"notices/{i}.txt"})],
            )
            t = time.perf_counter()
            store.upsert(batch)
            times.append(time.perf_counter() - t)
        hub_props = store.read("MATCH (n:Supplier) RETURN n")[0]["n"].properties
        server = getattr(store, "server", None)
        rss = psutil.Process(server.pid).memory_info().rss if server is not None and server.pid else None
        disk = sum(f.stat().st_size for f in work.rglob("*") if f.is_file())
    finally:
        store.close()
        shutil.rmtree(work, ignore_errors=True)
    return {
        **_series(times, bins),
        "hub_node_bytes": len(json.dumps(hub_props, default=str)),
        "server_rss_mib": round(rss / 2**20, 1) if rss else None,
        "data_dir_mib_before_close": round(disk / 2**20, 1),
    }


def run_raw(docs: int, bins: int) -> dict[str, Any]:
    """The same documents through the bare ``falkordb`` client, without provenance: one indexed MERGE per
    node, the two MENTIONED_IN links and the SUPPLIED_BY, one query per document."""
    import falkordb

    from kg.store.falkor_server import EmbeddedFalkor

    work = Path(tempfile.mkdtemp(prefix="kg-hub-raw-"))
    server = EmbeddedFalkor(work)
    try:
        graph = falkordb.FalkorDB(unix_socket_path=server.start()).select_graph("raw")
        for label in ("Document", "Supplier", "Part"):
            graph.query(f"CREATE INDEX FOR (n:{label}) ON (n.id)")
        query = (
            "MERGE (d:Document {id: $doc}) MERGE (h:Supplier {id: 'Supplier:acme bearings'})"
            " MERGE (p:Part {id: $part}) MERGE (h)-[:MENTIONED_IN]->(d) MERGE (p)-[:MENTIONED_IN]->(d)"
            " MERGE (p)-[:SUPPLIED_BY]->(h)"
        )
        times = []
        for i in range(docs):
            t = time.perf_counter()
            graph.query(query, {"doc": f"notice-{i:06d}", "part": f"Part:bearing {i:06d}"})
            times.append(time.perf_counter() - t)
    finally:
        server.stop()
        shutil.rmtree(work, ignore_errors=True)
    return {
        **_series(times, bins),
        "hub_node_bytes": None,
    }


def _series(times: list[float], bins: int) -> dict[str, Any]:
    return {"documents": len(times), "total_s": round(sum(times), 2), "bins": _bins(times, bins)}


def _bins(times: list[float], bins: int) -> list[dict[str, Any]]:
    size = max(1, len(times) // bins)
    return [
        {
            "documents": (b + 1) * size,
            "median_ms": round(1000 * statistics.median(times[b * size : (b + 1) * size]), 3),
        }
        for b in range(len(times) // size)
    ]


def _v1_tree() -> Path:
    tree = Path(tempfile.mkdtemp(prefix="kg-v1-")) / "tree"
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(tree), V1_COMMIT], check=True,
                   capture_output=True)  # fmt: skip
    return tree


def _child(tree: Path, docs: int, bins: int) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    cmd = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--docs",
        str(docs),
        "--bins",
        str(bins),
        "--series",
    ]
    out = subprocess.run(cmd, env=env, cwd=tree, check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def plot(result: dict[str, Any], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4), dpi=120)
    for name, series in result["series"].items():
        xs = [b["documents"] for b in series["bins"]]
        ax.plot(xs, [b["median_ms"] for b in series["bins"]], marker="o", markersize=3, label=name)
    ax.set_xlabel("documents already citing the hub supplier")
    ax.set_ylabel("write time per document, median (ms)")
    ax.set_title("One hub supplier cited by every document (embedded FalkorDB)")
    ax.set_ylim(bottom=0)
    ax.grid(alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=10_000, help="documents citing the hub (default 10,000)")
    ap.add_argument("--bins", type=int, default=20, help="points on the plot")
    ap.add_argument("--compare", action="store_true", help=f"also run mfg-kg 0.1 (commit {V1_COMMIT})")
    ap.add_argument("--series", action="store_true", help="print one series as JSON (used by --compare)")
    ap.add_argument("--out", type=Path, default=ROOT / "bench/results/hub.json")
    ap.add_argument("--png", type=Path, default=ROOT / "docs/hub_write_time.png")
    args = ap.parse_args(argv)
    if args.series:
        print(json.dumps(run_series(args.docs, args.bins)))
        return 0
    result: dict[str, Any] = {"command": "python -m bench.hub_bench" + (" --compare" if args.compare else "")}
    result["series"] = {"provenance per fact (now)": _child(ROOT, args.docs, args.bins)}
    result["series"]["raw client, no provenance"] = run_raw(args.docs, args.bins)
    if args.compare:
        tree = _v1_tree()
        try:
            result["series"][f"lists on nodes (0.1, {V1_COMMIT})"] = _child(tree, args.docs, args.bins)
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)], check=False)
    for name, s in result["series"].items():
        first, last = s["bins"][0]["median_ms"], s["bins"][-1]["median_ms"]
        s["last_over_first_bin"] = round(last / first, 2) if first else None
        ratio = s["last_over_first_bin"]
        print(
            f"{name}: {s['total_s']} s, bins {first} -> {last} ms ({ratio}x); hub {s['hub_node_bytes']} bytes"
        )
    totals = {name: s["total_s"] for name, s in result["series"].items()}
    now = totals.pop("provenance per fact (now)")
    result["time_over_now"] = {name: round(t / now, 3) for name, t in totals.items()}
    print(f"total write time relative to now: {result['time_over_now']}")
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    plot(result, args.png)
    print(f"wrote {args.out} and {args.png}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
