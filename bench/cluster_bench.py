"""Cluster ingestion benchmark (issue #14): the 2,029-document batch of ``bench.ingest_bench`` ingested
locally and through a local Ray cluster with 1, 2 and 4 extraction workers, each into a fresh embedded
store, in the same run; documents/min, time per stage, the ratio to the local run, whether each graph is
the local one, and a projection for N machines from the per-worker rate.

    python -m bench.cluster_bench [--copies 63] [--workers 1 2 4] [--out bench/results/cluster.json]
    python -m bench.cluster_bench --driver-memory 1 21 63   # the driver's peak RSS per batch size

``--driver-memory`` runs ``kg ingest --cluster`` (2 workers) as a process of its own per batch size (copies of
the text samples) and records its peak RSS: bounded by the window of groups in flight, not by the batch.

The Ray cluster is one node on this machine (tests/ray_cluster.py) with 4 logical CPUs over its physical
cores: one worker reserves 2 (two torch threads, as the local run has), more workers 1 each. All share the
machine's cores with the driver, so the figures that matter here are the overhead at one worker and the
shape of the scaling, not speed-up.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.ingest_bench import replicate
from kg.core.settings import Settings
from kg.graph.knowledge_graph import open_knowledge_graph
from kg.ingest.service import ingestor_for

sys.path.append(str(Path(__file__).resolve().parents[1] / "tests"))  # the tests' local Ray cluster
from processes import graph_contents
from ray_cluster import LocalRayCluster


def ingest(corpus: Path, data: Path, **cluster: Any) -> tuple[dict[str, Any], Any]:
    settings = Settings(store={"data_dir": str(data)}, ingest=cluster)  # type: ignore[arg-type]
    t0 = time.perf_counter()
    with open_knowledge_graph(settings) as kg, ingestor_for(kg, settings, recursive=True) as ing:
        report = ing.run([corpus])
        contents = graph_contents(kg)
    summary = report.summary()
    summary["wall_s"] = round(time.perf_counter() - t0, 1)  # with connecting and starting the workers
    summary["documents_per_min"] = round(report.count("loaded") / summary["wall_s"] * 60, 1)
    return summary, contents


def driver_memory(work: Path, copies: list[int]) -> dict[str, Any]:
    """Peak RSS of a ``kg ingest --cluster`` process per batch size, each into a fresh store."""
    import subprocess

    out: dict[str, Any] = {}
    with LocalRayCluster(work, cpus_per_node=2, nodes=1) as cluster:
        for n in copies:
            corpus, report = work / f"corpus{n}", work / f"report{n}.json"
            docs = replicate(corpus, n)
            cmd = [sys.executable, "-m", "kg.cli", "--data-dir", str(work / f"mem{n}"), "ingest", "-r"]
            cmd += [str(corpus), "--cluster", cluster.address, "--cluster-workers", "2"]
            cmd += ["--report", str(report)]
            subprocess.run(cmd, check=False, capture_output=True)
            summary = json.loads(report.read_text())["summary"]
            out[str(docs)] = {"peak_rss_mb": summary["peak_rss_mb"], "loaded": summary["loaded"]}
            print(json.dumps({docs: out[str(docs)]}), flush=True)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--copies", type=int, default=63)
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    ap.add_argument("--out", type=Path, default=Path("bench/results/cluster.json"))
    ap.add_argument("--driver-memory", type=int, nargs="*", help="copies per batch; only this measurement")
    args = ap.parse_args()
    if args.driver_memory:
        work = Path(tempfile.mkdtemp(prefix="kg-cluster-mem-"))
        try:
            memory = driver_memory(work, args.driver_memory)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        results = json.loads(args.out.read_text()) if args.out.exists() else {}
        results["driver_memory"] = {"workers": 2, "by_documents": memory, "load_after": os.getloadavg()}
        args.out.write_text(json.dumps(results, indent=2))
        return
    work = Path(tempfile.mkdtemp(prefix="kg-cluster-bench-"))
    results: dict[str, Any] = {
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "load": os.getloadavg()},
        "runs": {},
    }

    def save() -> None:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(results, indent=2))

    try:
        corpus = work / "corpus"
        results["documents"] = replicate(corpus, args.copies)
        local, want = ingest(corpus, work / "local")
        results["runs"]["local"] = local
        print(json.dumps({"local": local}, indent=2), flush=True)
        save()
        with LocalRayCluster(work, cpus_per_node=4, nodes=1) as cluster:
            for n in args.workers:
                run, got = ingest(
                    corpus, work / f"cluster{n}", cluster=cluster.address, cluster_workers=n,
                    cluster_cpus_per_worker=2 if n == 1 else 1,
                )  # fmt: skip
                run["graph_identical_to_local"] = got == want
                run["ratio_to_local"] = round(run["documents_per_min"] / local["documents_per_min"], 3)
                per_worker = run["stages_s"].get("worker_extract", 0) + run["stages_s"].get("worker_read", 0)
                per_worker += run["stages_s"].get("worker_prepare", 0)
                run["worker_documents_per_min"] = round(results["documents"] / max(per_worker, 1e-9) * 60, 1)
                results["runs"][f"cluster_{n}"] = run
                print(json.dumps({f"cluster_{n}": run}, indent=2), flush=True)
                save()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    results["machine"]["load_after"] = os.getloadavg()
    save()
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
