"""Check the prose corpus (extractors/datasets/prose/**/*.jsonl) against docs/ANNOTATION.md.

Every entity's ``text`` must equal ``text[start:end]``, ids must be unique, relation ends must name entities,
labels must be the guidelines' labels, relation directions must fit the table, and no record may be one of
the held-out public safety records. Prints one line per problem and a count per file; exit 1 on any problem.

    python tools/corpus/check_prose.py [FILE_OR_DIR ...]
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "extractors" / "datasets" / "prose"
HELD_OUT = ROOT.parent / "shared" / "datasets" / "HELD_OUT_RECORDS.txt"

ENTITY_LABELS = {
    "PhysicalObject",
    "Organization",
    "Material",
    "FailureMode",
    "FailureCause",
    "FailureEffect",
    "MaintenanceActivity",
    "Property",
    "Site",
}
FAILURES = {"FailureMode", "FailureCause", "FailureEffect"}
#: relation -> (allowed head labels, allowed tail labels)
RELATIONS: dict[str, tuple[set[str], set[str]]] = {
    "hasPart": ({"PhysicalObject"}, {"PhysicalObject"}),
    "suppliedBy": ({"PhysicalObject", "Material"}, {"Organization"}),
    "manufacturedBy": ({"PhysicalObject", "Material"}, {"Organization"}),
    "madeOf": ({"PhysicalObject"}, {"Material"}),
    "hasFailureMode": ({"PhysicalObject", "Material"}, {"FailureMode"}),
    "causes": ({"FailureCause", "FailureMode"}, {"FailureMode", "FailureEffect"}),
    "mitigatedBy": ({"FailureMode", "FailureCause", "FailureEffect"}, {"MaintenanceActivity"}),
    "performedOn": ({"MaintenanceActivity"}, {"PhysicalObject"}),
    "locatedAt": ({"PhysicalObject", "Organization"}, {"Site"}),
    "hasProperty": ({"PhysicalObject", "Material"}, {"Property"}),
}
PRONOUNS = {"it", "its", "they", "them", "this", "that", "which", "we", "our", "he", "she", "these", "those"}


def held_out_ids() -> set[str]:
    if not HELD_OUT.is_file():
        return set()
    lines = HELD_OUT.read_text(encoding="utf-8").splitlines()
    return {_norm(x) for x in lines if x.strip() and not x.startswith("#")}


def _norm(record: str) -> str:
    """One spelling per record: NHTSA ``24V-120`` / ``24V120`` -> ``24V120000``; else letters and digits."""
    flat = re.sub(r"[^0-9A-Z]", "", record.upper())
    nhtsa = re.fullmatch(r"(\d{2})([VETCI])(\d{1,3})(000)?", flat)
    if nhtsa:
        return f"{nhtsa[1]}{nhtsa[2]}{int(nhtsa[3]):03d}000"
    return flat


def check_record(rec: dict, where: str, held: set[str]) -> list[str]:
    errs: list[str] = []
    text = rec.get("text")
    if not isinstance(text, str) or not text.strip():
        return [f"{where}: no text"]
    meta = rec.get("meta") or {}
    for key in ("genre", "source", "licence", "annotator", "split"):
        if not meta.get(key):
            errs.append(f"{where}: meta.{key} missing")
    if meta.get("split") not in (None, "train", "dev", "test"):
        errs.append(f"{where}: meta.split must be train, dev or test")
    rid = _norm(str(meta.get("record", "")))
    if rid and any(h and (h == rid or h in rid or rid in h) for h in held):
        errs.append(f"{where}: record {meta.get('record')} is held out: remove it")
    labels: dict[str, str] = {}
    for j, e in enumerate(rec.get("entities") or []):
        w = f"{where}, entity {j}"
        eid, s, t, lab = e.get("id"), e.get("start"), e.get("end"), e.get("label")
        if eid in labels:
            errs.append(f"{w}: duplicate id {eid}")
        labels[eid] = lab
        if lab not in ENTITY_LABELS:
            errs.append(f"{w}: unknown label {lab!r}")
        if not (isinstance(s, int) and isinstance(t, int) and 0 <= s < t <= len(text)):
            errs.append(f"{w}: bad span {s}..{t}")
            continue
        if text[s:t] != e.get("text"):
            errs.append(f"{w}: text[{s}:{t}] is {text[s:t]!r}, entity text is {e.get('text')!r}")
        if text[s:t] != text[s:t].strip():
            errs.append(f"{w}: span has surrounding whitespace")
        if text[s:t].lower() in PRONOUNS:
            errs.append(f"{w}: pronoun {text[s:t]!r} is not an entity")
    for j, r in enumerate(rec.get("relations") or []):
        w = f"{where}, relation {j}"
        lab, h, t = r.get("label"), r.get("head"), r.get("tail")
        if lab not in RELATIONS:
            errs.append(f"{w}: unknown relation {lab!r}")
            continue
        if h not in labels or t not in labels:
            errs.append(f"{w}: end {h!r} or {t!r} names no entity")
            continue
        heads, tails = RELATIONS[lab]
        if labels[h] not in heads or labels[t] not in tails:
            errs.append(f"{w}: {labels[h]} -{lab}-> {labels[t]} does not fit the guidelines")
    return errs


def check_file(path: Path, held: set[str]) -> tuple[int, list[str]]:
    errs: list[str] = []
    n = 0
    for ln, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        n += 1
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as e:
            errs.append(f"{path}:{ln}: not JSON ({e.msg})")
            continue
        errs.extend(check_record(rec, f"{path}:{ln} ({rec.get('id')})", held))
    return n, errs


def main(argv: list[str]) -> int:
    targets = [Path(a) for a in argv] or [CORPUS]
    files = sorted(f for t in targets for f in ([t] if t.is_file() else t.rglob("*.jsonl")))
    held = held_out_ids()
    total, problems, labels = 0, 0, Counter[str]()
    for f in files:
        n, errs = check_file(f, held)
        total += n
        problems += len(errs)
        for e in errs:
            print(e)
        for line in f.read_text(encoding="utf-8").splitlines():
            if line.strip():
                try:
                    rec = json.loads(line)
                except json.JSONDecodeError:
                    continue
                labels.update(e.get("label") for e in rec.get("entities") or [])
                labels.update("rel:" + r.get("label", "?") for r in rec.get("relations") or [])
        print(f"{f}: {n} records, {len(errs)} problems")
    print(
        f"{total} records in {len(files)} files, {problems} problems; "
        + ", ".join(f"{k} {v}" for k, v in sorted(labels.items()))
    )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
