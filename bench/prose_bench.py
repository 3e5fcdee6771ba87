"""Prose extraction quality (issue #10): the configured extractor on the prose corpus' dev and test splits,
per genre and overall, entities and relations (strict), CAUSES on its own line; and the same predictions
after ingestion's span repairs (:func:`kg.ingest.name_spans.repair_spans`), and after its node rules as well
(:func:`kg.ingest.node_rules.judge`: a dropped mention goes with its relations, a re-typed one takes its new
class), and after the relations the words between two mentions state (:mod:`kg.ingest.stated_links`), which
is what the graph gets.

    python -m bench.prose_bench --out bench/results/prose.json [--split test]

``KG_EXTRACTOR__MODEL`` picks the model (default: the default model, trained on first use). The test split is
for the final report; choose anything (thresholds, configs) on dev.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench.peers import PROSE_GENRES, machine_info
from extractors.data import DataSpec, datasets_dir, load_split
from extractors.default import load_extractor
from extractors.metrics import score
from extractors.types import AnnotatedText, EntityAnnotation, RelationAnnotation
from kg.core.settings import Settings
from kg.evaluation.extraction import evaluate
from kg.ingest.name_spans import repair_extraction
from kg.ingest.node_rules import judge
from kg.ingest.stated_links import stated_links

#: the training label of an ontology class the node rules re-type a mention to
_TRAINING_LABEL = {"Part": "PhysicalObject", "Equipment": "PhysicalObject"}


def _scores(run: Any) -> dict[str, Any]:
    r = run.report
    return {
        "texts": run.texts,
        **_headline(r),
        "entities": {k: round(100 * v.f1, 2) for k, v in sorted(r.entities.items())},
        "relations": {k: round(100 * v.f1, 2) for k, v in sorted(r.relations_strict.per_label.items())},
    }


def _repaired_scores(extractor: Any, specs: list[DataSpec]) -> dict[str, Any]:
    cfg = extractor.meta.training.get("config", {})
    gold = load_split(
        specs, cfg.get("entity_map"), cfg.get("relation_map"), cfg.get("unknown_labels", "error")
    )
    found = extractor.predict([t.text for t in gold])
    pred = [f.as_annotated(t.id, t.text) for f, t in zip(found, gold, strict=True)]
    fixed = [
        repair_extraction(t.text, f).as_annotated(t.id, t.text) for f, t in zip(found, gold, strict=True)
    ]
    before, after = score(gold, pred), score(gold, fixed)
    ruled_texts = [judged(t) for t in fixed]
    ruled = score(gold, ruled_texts)
    chained = score(gold, [with_stated_links(t) for t in ruled_texts])
    return {
        "model": _headline(before),
        "after_span_repairs": _headline(after),
        "after_node_rules": _headline(ruled),
        "after_stated_links": _headline(chained),
    }


def _headline(report: Any) -> dict[str, float]:
    causes = report.relations_strict.per_label.get("causes")
    return {**report.headline(), "causes_f1": round(100 * causes.f1, 2) if causes else 0.0}


def with_stated_links(t: AnnotatedText) -> AnnotatedText:
    """``t`` with the relations ingestion adds where the words between two mentions state one the model did
    not give (:func:`kg.ingest.stated_links.stated_links`)."""
    links = stated_links(
        t.text, [((e.start, e.end), e.label) for e in t.entities], [(r.head, r.tail) for r in t.relations]
    )
    added = [RelationAnnotation(head=k.head, tail=k.tail, label=k.relation) for k in links]
    return t.model_copy(update={"relations": [*t.relations, *added]})


def judged(t: AnnotatedText) -> AnnotatedText:
    """``t`` as the node rules leave it: dropped mentions gone with their relations, re-typed ones so."""
    keep: dict[int, int] = {}
    entities = []
    for i, e in enumerate(t.entities):
        verdict = judge(e.label, " ".join(t.text[e.start : e.end].split()))
        if not verdict.keep:
            continue
        label = e.label if verdict.rule is None else _TRAINING_LABEL.get(verdict.label, verdict.label)
        keep[i] = len(entities)
        entities.append(EntityAnnotation(start=e.start, end=e.end, label=label))
    relations = [
        RelationAnnotation(head=keep[r.head], tail=keep[r.tail], label=r.label)
        for r in t.relations
        if r.head in keep and r.tail in keep
    ]
    return AnnotatedText(id=t.id, text=t.text, entities=entities, relations=relations, source=t.source)


def measure(splits: Sequence[str]) -> dict[str, Any]:
    extractor = load_extractor(Settings().extractor)
    root = datasets_dir() / "prose"
    out: dict[str, Any] = {"model": extractor.version, "machine": machine_info()}
    for split in splits:
        per_genre = {
            g: _scores(evaluate(extractor, [DataSpec(reader="jsonl", path=str(root / g / f"{split}.jsonl"))]))
            for g in PROSE_GENRES
        }
        specs = [DataSpec(reader="jsonl", path=str(root / g / f"{split}.jsonl")) for g in PROSE_GENRES]
        out[split] = {
            "all": _scores(evaluate(extractor, specs)),
            "per_genre": per_genre,
            "span_repairs": _repaired_scores(extractor, specs),
        }
    return out


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True, help="JSON result file")
    parser.add_argument("--split", action="append", choices=("dev", "test"), help="default: dev and test")
    args = parser.parse_args(argv)
    result = measure(args.split or ["dev", "test"])
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2))
    for split in args.split or ["dev", "test"]:
        a = result[split]["all"]
        print(
            f"{split}: entity F1 {a['entity_micro_f1']}, relation strict F1 {a['relation_strict_micro_f1']}, "
            f"causes F1 {a['causes_f1']} ({a['texts']} texts, {result['model']})"
        )
        for key, what in (
            ("after_span_repairs", "span repairs"),
            ("after_node_rules", "span repairs and node rules"),
            ("after_stated_links", "span repairs, node rules and stated links"),
        ):
            r = result[split]["span_repairs"][key]
            print(
                f"  after ingestion's {what}: entity F1 {r['entity_micro_f1']}, relation strict F1 "
                f"{r['relation_strict_micro_f1']}, causes F1 {r['causes_f1']}"
            )


if __name__ == "__main__":
    main()
