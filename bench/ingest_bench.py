"""Ingestion benchmark: end-to-end documents/min and facts/s on ``samples/`` replicated to ≥ 2,000 documents,
time per stage, peak memory, re-ingest of the unchanged batch, gold-fact precision/recall and entity
resolution on the alias gold.

    python -m bench.ingest_bench [--copies 63] [--out bench/results/ingest.json]

Replication: every text-format document (txt, md, html, csv, json) is copied ``--copies`` times with
``i`` trailing newlines appended, so each copy has its own content hash (else the duplicate detection would
skip it) while readers and the extractor see the same text; binary formats (pdf, docx, xlsx) are loaded
once. The extractor is the default model (trained on first use if missing).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from kg.core.settings import Settings
from kg.evaluation.gold import score_graph
from kg.graph.knowledge_graph import open_knowledge_graph
from kg.ingest.service import ingestor_for

SAMPLES = Path("samples")
TEXT_SUFFIXES = {".txt", ".md", ".html", ".csv", ".json"}


def replicate(target: Path, copies: int) -> int:
    n = 0
    for src in sorted((SAMPLES / "documents").rglob("*")):
        if not src.is_file():
            continue
        rel = src.relative_to(SAMPLES / "documents")
        if src.suffix.lower() not in TEXT_SUFFIXES:
            dst = target / "binary" / rel
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(src, dst)
            n += 1
            continue
        raw = src.read_bytes()
        newline = "\n".encode("utf-16-le") if raw[:2] in (b"\xff\xfe",) else b"\n"
        for i in range(copies):
            dst = target / f"copy{i:03d}" / rel
            dst.parent.mkdir(parents=True, exist_ok=True)
            dst.write_bytes(raw + newline * i)
            n += 1
    return n


def resolution_on_alias_gold(settings: Settings) -> dict[str, Any]:
    """Pairwise precision/recall of resolving every alias spelling of ``samples/gold/aliases.json``."""
    from itertools import combinations

    from kg.ingest.resolve import EntityResolver, KnownEntity

    gold = json.loads((SAMPLES / "gold" / "aliases.json").read_text())
    resolver = EntityResolver()
    tp = fp = fn = 0
    t0 = time.perf_counter()
    surfaces = 0
    for label, groups in gold.items():
        if not isinstance(groups, dict) or label in ("notes", "distinct", "ambiguous"):
            continue
        cluster_of: dict[str, str] = {}
        truth: dict[str, str] = {}
        for canonical, aliases in groups.items():
            if not isinstance(aliases, list):
                continue
            for surface in dict.fromkeys([canonical, *aliases]):
                truth[surface] = canonical
        for surface in truth:
            (res,) = resolver.resolve(label, [surface])
            surfaces += 1
            if res.method == "new":
                resolver.add(KnownEntity(id=res.id, label=label, name=surface))
            cluster_of[surface] = res.id
        for a, b in combinations(truth, 2):
            same_gold, same_pred = truth[a] == truth[b], cluster_of[a] == cluster_of[b]
            tp += same_gold and same_pred
            fp += (not same_gold) and same_pred
            fn += same_gold and not same_pred
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {
        "pairwise_precision": round(p * 100, 2),
        "pairwise_recall": round(r * 100, 2),
        "pairwise_f1": round(2 * p * r / (p + r) * 100, 2) if p + r else 0.0,
        "surfaces": surfaces,
        "seconds": round(time.perf_counter() - t0, 2),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--copies", type=int, default=63)
    ap.add_argument("--out", type=Path, default=Path("bench/results/ingest.json"))
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="kg-ingest-bench-"))
    results: dict[str, Any] = {
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "load": os.getloadavg()}
    }
    try:
        # 1. quality: the real samples, gold precision/recall
        settings = Settings(store={"data_dir": str(work / "gold-data")})
        with open_knowledge_graph(settings) as kg, ingestor_for(kg, settings, recursive=True) as ing:
            first = ing.run([SAMPLES / "structured", SAMPLES / "documents"])
            results["samples"] = first.summary()
            results["gold"] = score_graph(kg, SAMPLES / "gold", SAMPLES / "documents").as_dict()
            results["gold"].pop("per_document")
        print(json.dumps({"samples": results["samples"], "gold": results["gold"]}, indent=2), flush=True)
        results["resolution"] = resolution_on_alias_gold(settings)
        print(json.dumps(results["resolution"]), flush=True)
        # 2. throughput: replicated batch, then the same batch again
        corpus = work / "corpus"
        results["replicated_documents"] = replicate(corpus, args.copies)
        settings = Settings(store={"data_dir": str(work / "data")})
        with open_knowledge_graph(settings) as kg, ingestor_for(kg, settings, recursive=True) as ing:
            run = ing.run([corpus])
            results["first_load"] = run.summary()
            print(json.dumps(results["first_load"], indent=2), flush=True)
            again = ing.run([corpus])
            results["reingest"] = again.summary()
            results["reingest_speedup"] = round(run.seconds / max(again.seconds, 1e-9), 1)
            results["graph"] = kg.stats()
        print(json.dumps({k: results[k] for k in ("reingest", "reingest_speedup")}, indent=2), flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    results["machine"]["load_after"] = os.getloadavg()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2))
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
