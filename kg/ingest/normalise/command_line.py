"""``python -m kg.ingest.normalise``: rebuild the lexicon from MaintNorm train, or score on a split."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from kg.ingest.normalise.lexicon import (
    LEXICON_PATH,
    MAINTNORM_HEADER,
    MIN_COUNT,
    MIN_SHARE,
    build_lexicon,
    write_lexicon,
)
from kg.ingest.normalise.maintnorm_scores import evaluate_on_maintnorm
from kg.ingest.normalise.normaliser import Normaliser


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m kg.ingest.normalise --build-lexicon | --evaluate SPLIT``."""
    import kg.ingest.normalise as package  # here, not on top: the package imports this module

    description = (package.__doc__ or "").split("\n")[0]  # the help says what the package does
    ap = argparse.ArgumentParser(prog="python -m kg.ingest.normalise", description=description)
    ap.add_argument("--build-lexicon", action="store_true", help="learn the lexicon from MaintNorm train")
    ap.add_argument("--evaluate", metavar="SPLIT", choices=("dev", "test"), help="score on a MaintNorm split")
    ap.add_argument("--source", type=Path, help="MaintNorm folder (default: $KG_DATASETS_DIR/maintnorm)")
    ap.add_argument(
        "--out", type=Path, default=LEXICON_PATH, help=f"lexicon file to write ({LEXICON_PATH.name})"
    )
    ap.add_argument("--min-count", type=int, default=MIN_COUNT)
    ap.add_argument("--min-share", type=float, default=MIN_SHARE)
    args = ap.parse_args(argv)
    if not (args.build_lexicon or args.evaluate):
        ap.error("give --build-lexicon and/or --evaluate SPLIT")
    if args.build_lexicon:
        entries = build_lexicon(args.source, min_count=args.min_count, min_share=args.min_share)
        header = MAINTNORM_HEADER.format(min_count=args.min_count, min_share=args.min_share)
        write_lexicon(entries, args.out, header=header)
        print(f"wrote {len(entries)} entries to {args.out}")
    if args.evaluate:
        for masks in (False, True):
            norm = Normaliser.from_maintnorm(args.out, mask_numbers=masks, mask_ids=masks)
            print(evaluate_on_maintnorm(args.evaluate, normaliser=norm, masks=masks, root=args.source))
    return 0
