"""Normalise noisy maintenance short texts (MaintNorm style) with an exact map back to the original text.

Work-order texts are full of abbreviations and typos ("REPL U/S HYD PMP", "c/o brg"). :class:`Normaliser`
rewrites them token by token from a lexicon ("repl" → "replace", "u/s" → "unserviceable", "c/o" → "change
out", "brg" → "bearing") so the extractor sees the words it was trained on. Every change is an :class:`Edit`
on a span of the original, and :meth:`Normalised.to_original` maps any span of the normalised text back to
the original characters, so mentions found in the normalised text keep exact provenance.

What it does, in order, for each token (``\\w+`` runs joined by ``/ & ' . -``, or a lone ``&``/``#``):

- phrases: consecutive tokens on one line whose normalised forms make a lexicon phrase ("auto greaser" →
  "autogreaser") become one edit;
- number + unit: "1000H" → "1000 hour" (units learned from MaintNorm, only where the unit is expanded);
- lexicon: the token, lower-cased, is looked up; the replacement takes the token's case style (``REPL`` →
  ``REPLACE``, ``Repl`` → ``Replace``, ``repl`` → ``replace``; a one-letter token follows its line);
- masks (off by default: tags such as "LDS-P-101" and part numbers carry meaning for the graph):
  ``mask_numbers`` turns numbers into ``<num>`` and dates into ``<date>``; ``mask_ids`` turns other tokens
  with digits (tags, part numbers: digits mixed with letters or separators) into ``<id>``. Mask tokens
  already in a text are left alone, so normalising twice changes nothing more.

The shipped lexicon (``kg/ingest/data/maintnorm_lexicon.tsv``) is learned from the MaintNorm *train* split
only (never test; thresholds tuned on dev) by :func:`build_lexicon`; rebuild it with
``python -m kg.ingest.normalise --build-lexicon``. A short hand-written list of common abbreviations that
MaintNorm's train split lacks ("pmp", "lkg") is in ``kg/ingest/data/extra_abbreviations.tsv``. The runtime
reads only these files, never the dataset. :func:`evaluate_on_maintnorm` scores a normaliser on a split.

Limits: the lexicon is context-free, so an abbreviation with two meanings is left alone unless one meaning
holds at least ``min_share`` of its uses in train ("rep" is "replace" or "repair" by company); spelling
fixes cover the typos seen in train only.

Attribution: the lexicon is derived from MaintNorm — T. Bikaun, M. Hodkiewicz, W. Liu, "MaintNorm: A corpus
and benchmark model for lexical normalisation and masking of industrial maintenance short text", W-NUT 2024
(github.com/nlp-tlp/maintnorm, commit e98ca406f7afffbb0ab3243aa7c922f3b64bc7c8), MIT licence, Copyright (c)
2024 NLP-TLP Group; the licence text is repeated in the lexicon file's header.

Where each part lives: :mod:`~kg.ingest.normalise.normaliser` (:class:`Normaliser`),
:mod:`~kg.ingest.normalise.edits` (:class:`Edit`, :class:`Normalised`), :mod:`~kg.ingest.normalise.lexicon`
(the lexicon file and :func:`build_lexicon`), :mod:`~kg.ingest.normalise.token_patterns` (what a token is),
:mod:`~kg.ingest.normalise.maintnorm_corpus` (reading MaintNorm), :mod:`~kg.ingest.normalise.maintnorm_scores`
(:func:`evaluate_on_maintnorm`) and :mod:`~kg.ingest.normalise.command_line` (``python -m``).

Example:
    >>> norm = Normaliser({"repl": "replace", "u/s": "unserviceable", "hyd": "hydraulic"})
    >>> out = norm("REPL U/S hyd pump")
    >>> out.text
    'REPLACE UNSERVICEABLE hydraulic pump'
    >>> out.original[slice(*out.to_original(8, 21))]
    'U/S'
"""

from kg.ingest.normalise.command_line import main
from kg.ingest.normalise.edits import Edit, Normalised, edit_kind
from kg.ingest.normalise.lexicon import (
    DATA_DIR,
    EXTRA_PATH,
    LEXICON_PATH,
    MIN_COUNT,
    MIN_SHARE,
    UNSAFE_FORMS,
    UNSAFE_UNITS,
    LexiconEntry,
    build_lexicon,
    read_lexicon,
    write_lexicon,
)
from kg.ingest.normalise.maintnorm_corpus import SPLIT_FILES, Text, maintnorm_file, read_maintnorm
from kg.ingest.normalise.maintnorm_scores import Scores, evaluate_on_maintnorm, token_predictions
from kg.ingest.normalise.normaliser import Normaliser

__all__ = [
    "DATA_DIR",
    "EXTRA_PATH",
    "LEXICON_PATH",
    "MIN_COUNT",
    "MIN_SHARE",
    "SPLIT_FILES",
    "UNSAFE_FORMS",
    "UNSAFE_UNITS",
    "Edit",
    "LexiconEntry",
    "Normalised",
    "Normaliser",
    "Scores",
    "Text",
    "build_lexicon",
    "edit_kind",
    "evaluate_on_maintnorm",
    "main",
    "maintnorm_file",
    "read_lexicon",
    "read_maintnorm",
    "token_predictions",
    "write_lexicon",
]
