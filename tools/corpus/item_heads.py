"""Write ``kg/ingest/data/item_heads.txt``: the words that end the physical objects of the default extractor's
training data, which ingestion uses to finish an item's name the model cut before its head noun ("the
[suction] strainer" → "suction strainer"; :func:`kg.ingest.name_spans.item_end`).

A word is listed when it ends at least ``--min-count`` gold PhysicalObject spans of the training splits that
``extractors/configs/default.toml`` names (dev and test splits are not read), is three letters or more, and
is not a pronoun, determiner, conjunction or preposition. Rerun it when the training data changes:

    python tools/corpus/item_heads.py [--min-count 2]
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from pathlib import Path

from extractors.data import load_split
from extractors.train_config import TrainConfig
from kg.ingest.node_rules import FUNCTION_WORDS, wordlist

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "extractors" / "configs" / "default.toml"
OUT = ROOT / "kg" / "ingest" / "data" / "item_heads.txt"
_WORD = re.compile(r"[a-z][a-z-]*[a-z]")
#: words that join or place names, never a head, whatever a span ends on by mistake ("pump and")
NOT_HEADS = FUNCTION_WORDS | wordlist("and or nor but with for of in on at to from by")


def item_heads(config: Path, min_count: int) -> Counter[str]:
    """The last word of each gold PhysicalObject span in ``config``'s training data, counted, where it ends
    more physical objects than spans of other labels."""
    cfg = TrainConfig.load(config)
    texts = load_split(cfg.train, cfg.entity_map, cfg.relation_map, cfg.unknown_labels)
    counts: Counter[str] = Counter()
    other: Counter[str] = Counter()  # the same word ending a span of any other label
    seen: set[tuple[str, int, int]] = set()  # a training file read several times an epoch counts once
    for t in texts:
        for e in t.entities:
            if (t.text, e.start, e.end) in seen:
                continue
            seen.add((t.text, e.start, e.end))
            words = _WORD.findall(t.text[e.start : e.end].lower())
            if words and len(words[-1]) >= 3 and words[-1] not in NOT_HEADS:
                (counts if e.label == "PhysicalObject" else other)[words[-1]] += 1
    return Counter({w: n for w, n in counts.items() if n >= min_count and n > other[w]})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min-count", type=int, default=2)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    heads = item_heads(CONFIG, args.min_count)
    header = (
        "# The head nouns of physical objects: the last word of at least "
        f"{args.min_count} gold PhysicalObject spans, and of more\n# of them than of other spans, in the "
        "training splits of extractors/configs/default.toml.\n# Written by tools/corpus/item_heads.py; do "
        "not edit.\n"
    )
    args.out.write_text(header + "".join(f"{w}\n" for w in sorted(heads)), encoding="utf-8")
    print(f"{len(heads)} head nouns -> {args.out}")


if __name__ == "__main__":
    main()
