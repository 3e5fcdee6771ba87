"""Quality on the graph users get: ``samples/`` ingested whole (tables + every document) with the configured
extractor, then scored against the samples' hand-checked gold (13 documents kept out of training), with
node counts per class and what the node rules removed.

    python -m bench.graph_quality_bench --out bench/results/graph_quality.json [--data-dir DIR]

``KG_EXTRACTOR__MODEL`` picks the model (default: the default model, trained on first use). ``--keep`` leaves
the graph in ``--data-dir`` for ``kg audit``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

from bench.peers import machine_info
from kg.core.settings import Settings
from kg.evaluation.gold import score_graph
from kg.evaluation.node_precision import graph_nodes, load_judgements, score_nodes
from kg.graph.knowledge_graph import open_knowledge_graph
from kg.ingest.service import ingestor_for

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
JUDGEMENTS = Path(__file__).resolve().parent / "judgements" / "nodes.jsonl"


def measure(data_dir: Path) -> dict[str, Any]:
    """Ingest the samples into ``data_dir`` and score the graph against the gold."""
    settings = Settings(store={"data_dir": str(data_dir)})
    with open_knowledge_graph(settings) as kg, ingestor_for(kg, settings, recursive=True) as ing:
        run = ing.run([SAMPLES / "structured", SAMPLES / "documents"])
        gold = score_graph(kg, SAMPLES / "gold", SAMPLES / "documents").as_dict()
        gold.pop("per_document")
        precision = score_nodes(graph_nodes(kg), load_judgements(JUDGEMENTS))
        stats = kg.stats()
        extractor = ing.extractor()
        model = getattr(extractor, "version", None)
    summary = run.summary()
    return {
        "model": model,
        "ingest": {k: summary[k] for k in ("documents", "loaded", "failed", "facts", "review", "seconds")},
        "node_rules": summary["node_rules"],
        "gold": gold,
        "node_precision": precision,
        "entities_per_class": stats["entities"],
        "relationships_per_type": stats["relationships"],
        "machine": machine_info(),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=Path("bench/results/graph_quality.json"))
    ap.add_argument("--data-dir", type=Path, default=None)
    ap.add_argument("--keep", action="store_true", help="keep the graph (needs --data-dir)")
    args = ap.parse_args()
    work = args.data_dir or Path(tempfile.mkdtemp(prefix="kg-quality-")) / "data"
    try:
        result = measure(work)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps({k: result[k] for k in ("model", "ingest", "node_rules", "gold")}, indent=2))
    for label, c in result["node_precision"].items():
        counts = f"{c['right']} right, {c['wrong']} wrong, {c['unjudged']} unjudged"
        print(f"{label}: {c['nodes']} nodes, {c['precision']} % ({counts})", c["unjudged_names"][:20])


if __name__ == "__main__":
    main()
