"""Inter-annotator agreement on the prose corpus: the second pass (agreement/) against the first.

Entity F1 strict (same start, end, label) and lenient (overlapping spans, same label); relation F1 strict
(both ends strict-matched, same label) and lenient (both ends lenient-matched); per label too. F1 between two
passes is symmetric, so neither pass is "gold". Writes a Markdown table to stdout.

    python tools/corpus/agreement.py [--second extractors/datasets/prose/agreement/second_pass.jsonl]
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "extractors" / "datasets" / "prose"

Span = tuple[int, int, str]


def load(paths: list[Path]) -> dict[str, dict]:
    out = {}
    for p in paths:
        for line in p.read_text(encoding="utf-8").splitlines():
            if line.strip():
                rec = json.loads(line)
                out[rec["id"]] = rec
    return out


def spans(rec: dict) -> dict[str, Span]:
    return {e["id"]: (e["start"], e["end"], e["label"]) for e in rec.get("entities") or []}


def overlap(a: Span, b: Span) -> bool:
    return a[2] == b[2] and a[0] < b[1] and b[0] < a[1]


def match(a: list[Span], b: list[Span], lenient: bool) -> dict[int, int]:
    """Greedy one-to-one matching of spans in ``a`` to spans in ``b`` (exact first, then overlaps)."""
    pairs: dict[int, int] = {}
    used: set[int] = set()
    for i, x in enumerate(a):
        for j, y in enumerate(b):
            if j not in used and x == y:
                pairs[i], _ = j, used.add(j)
                break
    if lenient:
        for i, x in enumerate(a):
            if i in pairs:
                continue
            for j, y in enumerate(b):
                if j not in used and overlap(x, y):
                    pairs[i], _ = j, used.add(j)
                    break
    return pairs


def score(first: dict[str, dict], second: dict[str, dict]) -> dict[str, Counter]:
    c: dict[str, Counter] = {k: Counter() for k in ("ent_strict", "ent_lenient", "rel_strict", "rel_lenient")}
    per_label: Counter = Counter()
    for rid, b_rec in second.items():
        a_rec = first[rid]
        a_ids, b_ids = spans(a_rec), spans(b_rec)
        a_keys, b_keys = list(a_ids), list(b_ids)
        a_list, b_list = [a_ids[k] for k in a_keys], [b_ids[k] for k in b_keys]
        for mode in ("strict", "lenient"):
            m = match(a_list, b_list, mode == "lenient")
            c[f"ent_{mode}"].update(tp=len(m), a=len(a_list), b=len(b_list))
            if mode == "strict":
                for i, x in enumerate(a_list):
                    per_label[(x[2], "a")] += 1
                    per_label[(x[2], "tp")] += i in m
                for y in b_list:
                    per_label[(y[2], "b")] += 1
            ida = {a_keys[i]: b_keys[j] for i, j in m.items()}
            a_rels = {(r["head"], r["tail"], r["label"]) for r in a_rec.get("relations") or []}
            b_rels = {(r["head"], r["tail"], r["label"]) for r in b_rec.get("relations") or []}
            mapped = {(ida.get(h), ida.get(t), lab) for h, t, lab in a_rels}
            c[f"rel_{mode}"].update(tp=len(mapped & b_rels), a=len(a_rels), b=len(b_rels))
    return {**c, "labels": per_label}


def f1(tp: int, a: int, b: int) -> float:
    return 200 * tp / (a + b) if a + b else 0.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--second", type=Path, default=CORPUS / "agreement" / "second_pass.jsonl")
    args = ap.parse_args()
    first = load([p for p in sorted(CORPUS.glob("*/*.jsonl")) if p.parent.name != "agreement"])
    second = load([args.second])
    s = score(first, second)
    print(f"{len(second)} records annotated twice.\n")
    print("| measure | F1 | first pass | second pass | both |\n|---|---|---|---|---|")
    for k in ("ent_strict", "ent_lenient", "rel_strict", "rel_lenient"):
        v = s[k]
        print(
            f"| {k.replace('_', ' ')} | {f1(v['tp'], v['a'], v['b']):.1f} | {v['a']} | {v['b']} | {v['tp']} |"
        )
    labels = sorted({lab for lab, _ in s["labels"]})
    print("\n| entity label (strict) | F1 | first | second |\n|---|---|---|---|")
    for lab in labels:
        v = s["labels"]
        print(
            f"| {lab} | {f1(v[(lab, 'tp')], v[(lab, 'a')], v[(lab, 'b')]):.1f} | {v[(lab, 'a')]} | {v[(lab, 'b')]} |"  # noqa: E501
        )


if __name__ == "__main__":
    main()
