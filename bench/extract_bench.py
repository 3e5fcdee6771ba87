"""Extraction benchmark: dev-split quality against published figures, speed, memory, peers side by side.

    python -m bench.extract_bench [--datasets maintie mwo2kg] [--retrain] [--out bench/results/extract.json]

For each dataset it trains the shipped config (or reuses ``models/<name>`` unless ``--retrain``), scores
the dev split strictly, and times inference on the dev texts at batch sizes 1 and 32 (sentences/s and
sub-tokens/s). Peer results written by ``bench.peers`` in the same results folder are put beside ours
with the ratio of F1 and of speed.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import time
from pathlib import Path
from typing import Any

from extractors.configs import resolve_config
from extractors.data import load_split
from extractors.metrics import score
from extractors.train import TrainConfig, train
from extractors.transformer import TransformerExtractor
from kg.evaluation.extraction import predict_texts

PUBLISHED = {
    "maintie": {
        "source": "SpERT (BERT-base), MaintIE test split",
        "entity_micro_f1": 87.39,
        "relation_strict_micro_f1": 67.07,
    },
    "mwo2kg": {"source": "Flair, MWO2KG test split", "entity_micro_f1": 82.6},
}
RESULTS = Path("bench/results")


def _print_epochs(kind: str, info: dict[str, Any]) -> None:
    if kind != "step":
        print("   ", info, flush=True)


def _model_dir(dataset: str, cfg: TrainConfig) -> Path:
    if dataset == "default":  # the model ingestion uses: trained on first use into the cache
        from extractors.default import default_model_dir
        from kg.core.settings import ExtractorSettings

        return default_model_dir(ExtractorSettings(), cfg)
    return Path("models") / cfg.name


def _model(dataset: str, retrain: bool) -> tuple[TransformerExtractor, TrainConfig, dict[str, Any]]:
    cfg = TrainConfig.load(resolve_config(dataset))
    out = _model_dir(dataset, cfg)
    info: dict[str, Any] = {}
    if retrain or not (out / "mfgkg.json").exists():
        t0 = time.perf_counter()
        result = train(cfg, out, progress=_print_epochs)
        info = {"train_seconds": round(time.perf_counter() - t0, 1), **result.model_dump()}
    else:
        info = json.loads((out / "mfgkg.json").read_text()).get("training", {}).get("result", {})
    return TransformerExtractor.from_pretrained(out, device="cpu"), cfg, info


def _speed(ex: TransformerExtractor, texts: list[str], n: int = 1000) -> dict[str, float]:
    """Sentences/s and sub-tokens/s over ``n`` dev texts (repeated when the split is smaller)."""
    texts = (texts * (n // max(len(texts), 1) + 1))[:n]
    tokens = sum(len(ex.tokenizer(t)["input_ids"]) - 2 for t in texts)
    out: dict[str, float] = {"speed_texts": len(texts), "load_avg_1m": round(os.getloadavg()[0], 2)}
    for bs in (1, 32):
        ex.batch_size = bs
        ex.predict(texts[:8])  # warm-up
        t0 = time.perf_counter()
        ex.predict(texts)
        dt = time.perf_counter() - t0
        out[f"sents_per_s_bs{bs}"] = round(len(texts) / dt, 1)
        out[f"tokens_per_s_bs{bs}"] = round(tokens / dt, 1)
    return out


def bench_dataset(dataset: str, retrain: bool) -> dict[str, Any]:
    ex, cfg, info = _model(dataset, retrain)
    gold = load_split(cfg.dev, cfg.entity_map, cfg.relation_map, cfg.unknown_labels)
    report = score(gold, predict_texts(ex, gold))
    row: dict[str, Any] = {
        "dataset": dataset,
        "model": ex.version,
        "dev_texts": len(gold),
        "dev": report.headline(),
        "per_label": {k: round(v.f1 * 100, 2) for k, v in report.entities.items()},
        "published_test": PUBLISHED.get(dataset, {}),
        "training": {
            k: info.get(k)
            for k in (
                "train_seconds",
                "seconds",
                "best_epoch",
                "epochs_run",
                "windows_per_second",
                "train_texts",
                "dropped_nested",
            )
        },
        **_speed(ex, [t.text for t in gold]),
    }
    # dynamic int8 quantization of the encoder: what it costs in F1 and buys in speed
    q = TransformerExtractor.from_pretrained(_model_dir(dataset, cfg), device="cpu", precision="int8")
    q_report = score(gold, predict_texts(q, gold))
    row["int8"] = {"dev": q_report.headline(), **_speed(q, [t.text for t in gold])}
    row["peers"] = _peers(dataset, row)
    return row


def _peers(dataset: str, ours: dict[str, Any]) -> dict[str, Any]:
    peers = {}
    for path in sorted(RESULTS.glob(f"peer_*_{dataset}.json")):
        p = json.loads(path.read_text())
        f1 = (p.get("dev") or p.get("headline") or {}).get("entity_micro_f1")
        speed = p.get("sents_per_s_bs32")
        peers[path.stem] = {
            "entity_micro_f1": f1,
            "relation_strict_micro_f1": (p.get("dev") or p.get("headline") or {}).get(
                "relation_strict_micro_f1"
            ),
            "sents_per_s_bs32": speed,
            "ours_over_peer_f1": round(ours["dev"]["entity_micro_f1"] / f1, 2) if f1 else None,
            "ours_over_peer_speed": round(ours["sents_per_s_bs32"] / speed, 1) if speed else None,
        }
    return peers


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--datasets", nargs="+", default=["maintie", "mwo2kg", "default"])
    ap.add_argument("--retrain", action="store_true")
    ap.add_argument("--out", type=Path, default=RESULTS / "extract.json")
    args = ap.parse_args()
    rows = []
    for d in args.datasets:
        print(f"== {d}", flush=True)
        rows.append(bench_dataset(d, args.retrain))
        print(json.dumps(rows[-1], indent=2), flush=True)
    doc = {
        "machine": {
            "python": platform.python_version(),
            "processor": platform.processor(),
            "cpus": __import__("os").cpu_count(),
        },
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "results": rows,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(doc, indent=2))
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
