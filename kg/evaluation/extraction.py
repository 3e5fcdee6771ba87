"""Score a saved extractor on annotated data: ``evaluate(model, specs)`` (``kg eval MODEL DATA``)."""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

from pydantic import BaseModel

from extractors.data import DataSpec, load_split
from extractors.metrics import EvalReport, score
from extractors.transformer import TransformerExtractor
from extractors.types import AnnotatedText


class EvalRun(BaseModel):
    """The report plus what it cost."""

    report: EvalReport
    texts: int
    seconds: float
    texts_per_second: float
    model_version: str


def predict_texts(extractor: TransformerExtractor, texts: Sequence[AnnotatedText]) -> list[AnnotatedText]:
    preds = extractor.predict([t.text for t in texts])
    return [p.as_annotated(t.id, t.text) for p, t in zip(preds, texts, strict=True)]


def evaluate(
    model: str | Path | TransformerExtractor,
    data: Sequence[DataSpec],
    *,
    out_dir: str | Path | None = None,
    device: str = "auto",
    precision: str = "fp32",
    batch_size: int = 32,
) -> EvalRun:
    """Predict on ``data`` (labels mapped with the model's training config), score strictly, write
    ``eval.json`` and ``eval.md`` to ``out_dir`` when given."""
    extractor = (
        model
        if isinstance(model, TransformerExtractor)
        else TransformerExtractor.from_pretrained(
            model, device=device, precision=precision, batch_size=batch_size
        )
    )
    cfg = extractor.meta.training.get("config", {})
    gold = load_split(
        data, cfg.get("entity_map"), cfg.get("relation_map"), cfg.get("unknown_labels", "error")
    )
    t0 = time.perf_counter()
    pred = predict_texts(extractor, gold)
    seconds = time.perf_counter() - t0
    report = score(gold, pred)
    run = EvalRun(
        report=report,
        texts=len(gold),
        seconds=round(seconds, 3),
        texts_per_second=round(len(gold) / max(seconds, 1e-9), 1),
        model_version=extractor.version,
    )
    if out_dir is not None:
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        report.to_json(out / "eval.json")
        (out / "eval.md").write_text(
            f"# {extractor.version} on {len(gold)} texts\n\n{report.to_markdown()}\n"
        )
    return run
