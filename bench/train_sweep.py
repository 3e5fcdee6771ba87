"""Training sweep: variants of one training config trained side by side on one device, each scored on the
prose corpus' dev and test splits (per genre, CAUSES on its own line) and on the work-order dev sets.

    python -m bench.train_sweep bench/sweeps/gpu.toml --out bench/results/train_sweep_gpu.json \
        --device cuda --parallel 6 [--shared ../shared/datasets] [--models /tmp/sweep] [--smoke]

A sweep file names a ``base`` training config and ``[[variant]]`` tables; each variant may override
``[hyper]`` keys, add ``train`` datasets (``${SHARED}`` in their paths is ``--shared``, the public corpora
folder) and add ``entity_map`` / ``relation_map`` entries. Choose on dev; the test split is reported beside
it for the final table only. ``--smoke`` trains each variant one epoch on 8 texts per dataset (checks the
sweep runs, says nothing about quality).
"""

from __future__ import annotations

import argparse
import json
import os
import time
import tomllib
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from bench.peers import PROSE_GENRES, machine_info
from extractors.train_config import TrainConfig

WORK_ORDER_DEV = {
    "maintie_l2": ("maintie", "maintie/dev.json", {"level": 2}),
    "mwo2kg": ("mwo2kg", "mwo2kg_ner/dev.conll", {}),
}


def variant_config(
    sweep: dict[str, Any], variant: dict[str, Any], base_dir: Path, shared: Path, smoke: bool
) -> TrainConfig:
    """The training config of one variant: the base with the variant's overrides applied."""
    base = TrainConfig.load(base_dir / sweep["base"])
    raw = base.model_dump()
    raw["hyper"].update(variant.get("hyper", {}))
    for key in ("entity_map", "relation_map"):
        if variant.get(key):
            raw[key] = {**(raw.get(key) or {}), **{k: (v or None) for k, v in variant[key].items()}}
    for spec in raw["train"]:  # {"prose/": 6}: datasets whose path holds the key, read so often / cut so
        for key, n in variant.get("train_repeat", {}).items():
            spec["repeat"] = n if key in spec["path"] else spec["repeat"]
        for key, n in variant.get("train_limit", {}).items():
            spec["limit"] = n if key in spec["path"] else spec["limit"]
    for spec in variant.get("train", []):
        spec = dict(spec)
        spec["path"] = str(Path(spec["path"].replace("${SHARED}", str(shared))).resolve())
        raw["train"].append(spec)
    if "seed" in variant:
        raw["seed"] = variant["seed"]
    if "unknown_labels" in variant:
        raw["unknown_labels"] = variant["unknown_labels"]
    if os.environ.get("KG_SWEEP_ENCODER"):
        raw["encoder"] = os.environ["KG_SWEEP_ENCODER"]
    if smoke:
        for spec in [*raw["train"], *raw["dev"]]:
            spec["limit"], spec["repeat"] = 8, 1
        raw["hyper"].update(epochs=1, max_minutes=1)
    raw["name"] = f"{raw['name']}-{variant['name']}"
    return TrainConfig.model_validate(raw)


def _prose_scores(extractor: Any, split: str) -> dict[str, Any]:
    from bench.prose_bench import _scores
    from extractors.data import DataSpec, datasets_dir
    from kg.evaluation.extraction import evaluate

    root = datasets_dir() / "prose"
    specs = {g: DataSpec(reader="jsonl", path=str(root / g / f"{split}.jsonl")) for g in PROSE_GENRES}
    run = evaluate(extractor, list(specs.values()))
    return {
        "all": {**_scores(run), "texts_per_second": round(run.texts_per_second, 1)},
        "per_genre": {g: _scores(evaluate(extractor, [s])) for g, s in specs.items()},
    }


def _work_order_scores(extractor: Any) -> dict[str, Any]:
    from extractors.data import DataSpec, datasets_dir
    from kg.evaluation.extraction import evaluate

    out: dict[str, Any] = {}
    for name, (reader, rel, options) in WORK_ORDER_DEV.items():
        run = evaluate(extractor, [DataSpec(reader=reader, path=str(datasets_dir() / rel), options=options)])
        out[name] = {**run.report.headline(), "texts_per_second": round(run.texts_per_second, 1)}
    return out


def run_variant(job: tuple[dict[str, Any], dict[str, Any], str, str, str, str, bool]) -> dict[str, Any]:
    """Train one variant and score it (in its own process, so variants share the device side by side)."""
    sweep, variant, base_dir, shared, models, device, smoke = job
    import torch

    parallel = max(1, int(os.environ.get("KG_SWEEP_PARALLEL", 1)))
    torch.set_num_threads(max(1, (os.cpu_count() or 2) // parallel))
    from extractors.train import train
    from extractors.transformer import TransformerExtractor

    cfg = variant_config(sweep, variant, Path(base_dir), Path(shared), smoke)
    out_dir = Path(models) / variant["name"]
    t0 = time.monotonic()
    try:
        result = train(cfg, out_dir, device=device)
        extractor = TransformerExtractor.from_pretrained(out_dir, device=device, batch_size=32)
        return {
            "name": variant["name"],
            "variant": {k: v for k, v in variant.items() if k != "name"},
            "train": result.model_dump(),
            "prose_dev": _prose_scores(extractor, "dev"),
            "prose_test": _prose_scores(extractor, "test"),
            "work_orders_dev": _work_order_scores(extractor),
            "seconds": round(time.monotonic() - t0, 1),
        }
    except Exception as e:  # one failed variant must not lose the others' results
        return {"name": variant["name"], "error": f"{type(e).__name__}: {e}"}


def run_sweep(args: argparse.Namespace) -> dict[str, Any]:
    sweep = tomllib.loads(args.sweep.read_text())
    variants = [v for v in sweep["variant"] if not args.only or v["name"] in args.only]
    where = (str(args.sweep.resolve().parent), str(args.shared), str(args.models))
    jobs = [(sweep, v, *where, args.device, args.smoke) for v in variants]
    os.environ["KG_SWEEP_PARALLEL"] = str(args.parallel)
    result: dict[str, Any] = {"sweep": str(args.sweep), "device": args.device, "runs": []}
    with ProcessPoolExecutor(max_workers=args.parallel, mp_context=get_context("spawn")) as pool:
        for done in as_completed([pool.submit(run_variant, job) for job in jobs]):
            result["runs"].append(done.result())
            result["machine"] = _machine(args.device)
            _write(args.out, result)  # as each variant ends: a run cut short keeps what finished
            print(summary_lines({"runs": [result["runs"][-1]]})[0], flush=True)
    return result


def _write(path: Path, result: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=2) + "\n")


def _machine(device: str) -> dict[str, Any]:
    info = machine_info()
    try:
        import torch

        if device.startswith("cuda") and torch.cuda.is_available():
            info["gpu"] = torch.cuda.get_device_name(0)
        info["torch"] = torch.__version__
        import transformers

        info["transformers"] = transformers.__version__
    except ImportError:
        pass
    return info


def summary_lines(result: dict[str, Any]) -> list[str]:
    """One line per variant: epochs, time, dev and test entity / relation / causes F1, work orders."""
    lines = []
    for r in result["runs"]:
        if "error" in r:
            lines.append(f"{r['name']}: FAILED {r['error']}")
            continue
        d, t = r["prose_dev"]["all"], r["prose_test"]["all"]
        wo = r["work_orders_dev"]
        lines.append(
            f"{r['name']}: {r['train']['epochs_run']} epochs (best {r['train']['best_epoch']}) in "
            f"{r['train']['seconds']} s | dev {d['entity_micro_f1']}/{d['relation_strict_micro_f1']}/"
            f"{d['causes_f1']} | test {t['entity_micro_f1']}/{t['relation_strict_micro_f1']}/{t['causes_f1']}"
            f" | MaintIE L2 {wo['maintie_l2']['entity_micro_f1']} MWO2KG {wo['mwo2kg']['entity_micro_f1']}"
        )
    return lines


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sweep", type=Path, help="sweep file (TOML): base config and [[variant]] tables")
    parser.add_argument("--out", type=Path, required=True, help="JSON result file")
    parser.add_argument("--device", default="auto", help="auto, cpu, cuda, cuda:1, ...")
    parser.add_argument("--parallel", type=int, default=1, help="variants trained at once")
    parser.add_argument(
        "--shared", type=Path, default=Path("../shared/datasets"), help="the public corpora's folder"
    )
    parser.add_argument("--models", type=Path, default=Path("/tmp/mfg-kg-sweep"), help="where models go")
    parser.add_argument("--only", action="append", help="run only this variant (repeatable)")
    parser.add_argument("--smoke", action="store_true", help="8 texts per dataset, one epoch: a dry run")
    args = parser.parse_args(argv)
    result = run_sweep(args)
    print("\n".join(summary_lines(result)))


if __name__ == "__main__":
    main()
