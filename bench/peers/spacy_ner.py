"""Peer (a): spaCy's own NER pipeline (CNN tok2vec, no transformer), trained on the same train split.

Gold texts become spaCy ``DocBin`` files (a flat NER tagger takes no nested spans: of overlapping gold
entities the longest non-overlapping set is kept, and what was dropped is counted), the config comes from
``spacy init config --lang en --pipeline ner --optimize efficiency`` (CPU), training is spaCy's own
``spacy train`` capped by ``--max-steps``, and the best model predicts the dev split, scored with
:func:`extractors.metrics.score` (entities only: spaCy's NER has no relations, so those scores are 0).

Run::

    OMP_WAIT_POLICY=PASSIVE .venv/bin/python -m bench.peers.spacy_ner --dataset maintie \\
        --out bench/results/peer_spacy_maintie.json --max-steps 3000
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import DocBin, Span
from spacy.util import filter_spans

from bench.peers import DATASETS, Dataset, entity_table, load_dataset, machine_info, write_result
from extractors.metrics import score
from extractors.types import AnnotatedText, EntityAnnotation


@dataclass
class ConversionStats:
    """What happened to the gold entities on the way into spaCy docs."""

    texts: int = 0
    entities: int = 0
    kept: int = 0
    dropped_overlap: int = 0
    """Nested or overlapping entities (and second labels on one span) a flat tagger cannot hold."""
    dropped_misaligned: int = 0
    """Spans that fit no token boundary even when expanded (none expected: texts are space-joined tokens)."""
    expanded: int = 0
    """Spans kept, but widened to token boundaries (their gold span is then unreachable)."""


def to_docbin(nlp: Language, texts: Sequence[AnnotatedText]) -> tuple[DocBin, ConversionStats]:
    """Gold texts → a ``DocBin`` of docs whose ``ents`` are the longest non-overlapping gold spans."""
    stats = ConversionStats(texts=len(texts))
    db = DocBin(store_user_data=False)
    for t in texts:
        doc = nlp.make_doc(t.text)
        spans: list[Span] = []
        for e in t.entities:
            stats.entities += 1
            span = doc.char_span(e.start, e.end, label=e.label, alignment_mode="expand")
            if span is None:
                stats.dropped_misaligned += 1
                continue
            stats.expanded += (span.start_char, span.end_char) != (e.start, e.end)
            spans.append(span)
        kept = filter_spans(spans)
        stats.dropped_overlap += len(spans) - len(kept)
        stats.kept += len(kept)
        doc.ents = kept
        db.add(doc)
    return db, stats


def write_config(path: Path) -> Path:
    """``spacy init config --lang en --pipeline ner --optimize efficiency`` (CPU), saved to ``path``."""
    from spacy.cli.init_config import init_config

    config = init_config(lang="en", pipeline=["ner"], optimize="efficiency", gpu=False, silent=True)
    config.to_disk(path)
    return path


def train_spacy(
    config: Path, output: Path, train: Path, dev: Path, *, max_steps: int, eval_frequency: int, patience: int
) -> float:
    """Run ``spacy train`` (its Python entry point) on CPU; return the wall time in seconds."""
    from spacy.cli.train import train as spacy_train

    overrides: dict[str, Any] = {
        "paths.train": str(train),
        "paths.dev": str(dev),
        "training.max_epochs": 0,  # 0 = no epoch limit: max_steps and patience bound the run
        "training.max_steps": max_steps,
        "training.eval_frequency": eval_frequency,
        "training.patience": patience,
        "nlp.batch_size": 256,
    }
    t0 = time.perf_counter()
    spacy_train(config, output, use_gpu=-1, overrides=overrides)
    return time.perf_counter() - t0


def predict(nlp: Language, texts: Sequence[AnnotatedText]) -> list[AnnotatedText]:
    """The pipeline's entities on each text, in the gold format (no relations)."""
    out = []
    for t, doc in zip(texts, nlp.pipe([t.text for t in texts], batch_size=64), strict=True):
        ents = [EntityAnnotation(start=e.start_char, end=e.end_char, label=e.label_) for e in doc.ents]
        out.append(AnnotatedText(id=t.id, text=t.text, entities=ents, source=t.source))
    return out


def throughput(nlp: Language, texts: Sequence[str], batch_size: int, min_seconds: float = 2.0) -> float:
    """Texts per second through ``nlp.pipe(batch_size=...)``: one warm-up pass, then passes over ``texts``
    until ``min_seconds`` have gone by (the dev split alone takes well under a second)."""
    for _ in nlp.pipe(texts, batch_size=batch_size):
        pass
    done, t0 = 0, time.perf_counter()
    while True:
        for _ in nlp.pipe(texts, batch_size=batch_size):
            done += 1
        elapsed = time.perf_counter() - t0
        if elapsed >= min_seconds:
            return done / elapsed


def run(
    dataset: Dataset,
    *,
    max_steps: int,
    eval_frequency: int,
    patience: int,
    work: Path,
) -> dict[str, Any]:
    """Convert, train, predict and score; return the result record."""
    train_texts, dev_texts = load_dataset(dataset)
    # spaCy early-stops on its dev set: on the prose test split that set stays the prose dev split
    tune_texts = load_dataset("prose")[1] if dataset == "prose-test" else dev_texts
    nlp_blank = spacy.blank("en")
    work.mkdir(parents=True, exist_ok=True)
    conversion = {}
    for split, texts in (("train", train_texts), ("dev", tune_texts)):
        db, stats = to_docbin(nlp_blank, texts)
        db.to_disk(work / f"{split}.spacy")
        conversion[split] = asdict(stats)
    config = write_config(work / "config.cfg")
    train_seconds = train_spacy(
        config,
        work / "model",
        work / "train.spacy",
        work / "dev.spacy",
        max_steps=max_steps,
        eval_frequency=eval_frequency,
        patience=patience,
    )
    nlp = spacy.load(work / "model" / "model-best")
    t0 = time.perf_counter()
    pred = predict(nlp, dev_texts)
    predict_seconds = time.perf_counter() - t0
    report = score(dev_texts, pred)
    dev_strings = [t.text for t in dev_texts]
    return {
        "peer": "spacy-ner-cnn",
        "dataset": dataset,
        "split": "test" if dataset == "prose-test" else "dev",
        "texts": len(dev_texts),
        "headline": report.headline(),
        "entity_untyped_micro_f1": round(100 * report.entity_untyped_micro.f1, 2),
        "relations": "n/a (spaCy NER predicts no relations; relation F1s are 0)",
        "entities": entity_table(report),
        "train_seconds": round(train_seconds, 1),
        "predict_seconds": round(predict_seconds, 3),
        "sents_per_s_bs1": round(throughput(nlp, dev_strings, 1), 1),
        "sents_per_s_bs32": round(throughput(nlp, dev_strings, 32), 1),
        "settings": {
            "config": "spacy init config --lang en --pipeline ner --optimize efficiency (CPU)",
            "max_steps": max_steps,
            "eval_frequency": eval_frequency,
            "patience": patience,
            "nlp.batch_size": 256,
        },
        "conversion": conversion,
        "spacy_version": spacy.__version__,
        "machine": machine_info(),
    }


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--dataset", choices=DATASETS, required=True)
    parser.add_argument("--out", type=Path, required=True, help="JSON result file")
    parser.add_argument("--max-steps", type=int, default=3000, help="training step cap (time bound)")
    parser.add_argument("--eval-frequency", type=int, default=200, help="steps between dev evaluations")
    parser.add_argument("--patience", type=int, default=1600, help="stop after this many steps without gain")
    parser.add_argument("--work", type=Path, default=None, help="keep DocBins, config and model here")
    args = parser.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix=f"peer_spacy_{args.dataset}_"))
    try:
        result = run(
            args.dataset,
            max_steps=args.max_steps,
            eval_frequency=args.eval_frequency,
            patience=args.patience,
            work=work,
        )
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    write_result(args.out, result)
    print(
        f"{args.dataset}: {result['headline']}  train {result['train_seconds']} s  "
        f"bs1 {result['sents_per_s_bs1']}/s  bs32 {result['sents_per_s_bs32']}/s  -> {args.out}"
    )


if __name__ == "__main__":
    main()
