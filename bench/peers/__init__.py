"""Peer extractors, run on the same data and scored with the same metrics as ours.

- :mod:`bench.peers.spacy_ner`: spaCy's own CNN NER pipeline trained on the same train split.
- :mod:`bench.peers.llm_prompt`: few-shot prompting of a small local LLM (SmolLM2-135M-Instruct, GGUF).

Both write one JSON file to ``bench/results/`` with the headline F1s, the per-label entity table and what the
run cost. Texts are MaintIE work orders or MWO2KG lines, one short sentence each, so "sentences/s" below is
texts per second.
"""

from __future__ import annotations

import json
import os
import platform
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from extractors.data import datasets_dir
from extractors.metrics import EvalReport
from extractors.types import AnnotatedText

Dataset = Literal["maintie", "mwo2kg", "prose", "prose-test"]
DATASETS: tuple[Dataset, ...] = ("maintie", "mwo2kg", "prose", "prose-test")
PROSE_GENRES = ("recalls", "airworthiness_devices", "supplier_failure_analysis")


def load_dataset(name: Dataset) -> tuple[list[AnnotatedText], list[AnnotatedText]]:
    """The train split and the split scored: MaintIE at level 1 (5 classes), MWO2KG NER, or the prose corpus
    (dev for tuning; ``prose-test`` scores its test split, for the final side-by-side report only)."""
    from extractors.corpora import read_jsonl, read_maintie, read_mwo2kg

    root = datasets_dir()
    if name == "maintie":
        return (
            list(read_maintie(root / "maintie" / "train.json", level=1)),
            list(read_maintie(root / "maintie" / "dev.json", level=1)),
        )
    if name == "mwo2kg":
        return (
            list(read_mwo2kg(root / "mwo2kg_ner" / "train.conll")),
            list(read_mwo2kg(root / "mwo2kg_ner" / "dev.conll")),
        )
    if name in ("prose", "prose-test"):
        scored = "test" if name == "prose-test" else "dev"
        prose = root / "prose"
        return (
            [t for g in PROSE_GENRES for t in read_jsonl(prose / g / "train.jsonl")],
            [t for g in PROSE_GENRES for t in read_jsonl(prose / g / f"{scored}.jsonl")],
        )
    raise ValueError(f"Unknown dataset {name!r}; choose one of {', '.join(DATASETS)}.")


def entity_table(report: EvalReport) -> dict[str, dict[str, float | int]]:
    """Per-label entity scores (percentages, 2 decimals) with the micro and macro rows."""
    rows = {**report.entities, "micro": report.entity_micro, "macro": report.entity_macro}
    return {
        label: {
            "precision": round(100 * s.precision, 2),
            "recall": round(100 * s.recall, 2),
            "f1": round(100 * s.f1, 2),
            "support": s.support,
            "predicted": s.predicted,
        }
        for label, s in rows.items()
    }


def machine_info() -> dict[str, Any]:
    """What the figures were measured on (the load average matters: the machine is shared)."""
    return {
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "loadavg": [round(x, 2) for x in os.getloadavg()],
        "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def write_result(path: str | Path, result: dict[str, Any]) -> Path:
    """Write a peer's result as indented JSON (creating parent folders); return the path."""
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return out
