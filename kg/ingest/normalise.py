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

Example:
    >>> norm = Normaliser({"repl": "replace", "u/s": "unserviceable", "hyd": "hydraulic"})
    >>> out = norm("REPL U/S hyd pump")
    >>> out.text
    'REPLACE UNSERVICEABLE hydraulic pump'
    >>> out.original[slice(*out.to_original(8, 21))]
    'U/S'
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from kg.core.errors import BadInputError, ConfigError

DATA_DIR = Path(__file__).resolve().parent / "data"
LEXICON_PATH = DATA_DIR / "maintnorm_lexicon.tsv"
EXTRA_PATH = DATA_DIR / "extra_abbreviations.tsv"
#: MaintNorm split name -> file name in ``data/combined``.
SPLIT_FILES = {"train": "train.norm", "dev": "val.norm", "test": "test.norm"}

_MASK = r"<(?:num|id|date|sensitive)>"
_TOKEN_RE = re.compile(rf"{_MASK}|\w+(?:[/&'.\-]\w+)*|[&#]|(?<!\S)[@+](?!\S)")
_MASK_RE = re.compile(_MASK)
_NUMBER_RE = re.compile(r"[+-]?\d+(?:[.,]\d+)*")
_DATE_RE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}([/.])\d{1,2}\1(?:\d{4}|\d{2})")
_UNIT_RE = re.compile(r"(\d+(?:[.,]\d+)?)([^\W\d_]+)")


@dataclass(frozen=True)
class Edit:
    """One change: ``original[start:end]`` became ``replacement``.

    Example:
        >>> Edit(0, 4, "replace", "abbreviation").replacement
        'replace'
    """

    start: int
    end: int
    replacement: str
    kind: str  # "abbreviation" | "spelling" | "mask"


@dataclass(frozen=True)
class Normalised:
    """A normalised text, its original, and the edits (sorted, non-overlapping) that turn one into the other.

    Example:
        >>> n = Normalised("c/o brg", "change out brg", (Edit(0, 3, "change out", "abbreviation"),))
        >>> n.to_original(11, 14), n.to_original(0, 6)
        ((4, 7), (0, 3))
    """

    original: str
    text: str
    edits: tuple[Edit, ...]

    @cached_property
    def _starts(self) -> tuple[list[int], list[int]]:
        """Where each edit's replacement starts and ends in ``text``."""
        starts, ends, shift = [], [], 0
        for e in self.edits:
            starts.append(e.start + shift)
            shift += len(e.replacement) - (e.end - e.start)
            ends.append(starts[-1] + len(e.replacement))
        return starts, ends

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map the span ``text[start:end]`` to the span of ``original`` it came from.

        Unchanged characters map one to one; a span touching part of an edit's replacement takes in the whole
        edited source span.

        Raises:
            BadInputError: the span is not inside ``text``.
        """
        if not 0 <= start <= end <= len(self.text):
            raise BadInputError(
                f"Span ({start}, {end}) is outside the normalised text (length {len(self.text)})."
            )
        starts, ends = self._starts
        i = bisect.bisect_right(starts, start) - 1  # last edit starting at or before `start`
        if i < 0:
            o_start = start
        elif start < ends[i]:
            o_start = self.edits[i].start
        else:
            o_start = self.edits[i].end + start - ends[i]
        j = bisect.bisect_left(starts, end) - 1  # last edit starting before `end`
        if j < 0:
            o_end = end
        elif end <= ends[j]:
            o_end = self.edits[j].end
        else:
            o_end = self.edits[j].end + end - ends[j]
        return o_start, max(o_start, o_end)


def edit_kind(noisy: str, normalised: str) -> str:
    """``"abbreviation"`` when ``noisy`` is a shortening of ``normalised`` (or a symbol), else ``"spelling"``.

    Example:
        >>> edit_kind("brg", "bearing"), edit_kind("replce", "replace"), edit_kind("u/s", "unserviceable")
        ('abbreviation', 'spelling', 'abbreviation')
    """
    letters = [c for c in noisy.lower() if c.isalnum()]
    if not letters or "/" in noisy:
        return "abbreviation"
    rest = iter(normalised.lower())
    is_subsequence = all(c in rest for c in letters)
    shortened = len(normalised) >= len(noisy) + 2 or len(letters) <= 3 < len(normalised)
    return "abbreviation" if is_subsequence and shortened else "spelling"


def _match_case(source: str, replacement: str, upper_line: bool) -> str:
    """Give ``replacement`` the case style of ``source``: UPPER, Capitalised or as it is (lower)."""
    letters = [c for c in source if c.isalpha()]
    if not letters:
        return replacement.upper() if upper_line else replacement
    if all(c.isupper() for c in letters):
        return replacement.upper() if len(letters) > 1 or upper_line else replacement
    if letters[0].isupper():
        return replacement[:1].upper() + replacement[1:]
    return replacement


def _upper_lines(text: str) -> list[tuple[int, bool]]:
    """(line start, line is upper case) for each line of ``text``."""
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, line.upper() == line and line.lower() != line))
        pos += len(line) + 1
    return out


@dataclass(frozen=True)
class _Tok:
    start: int
    end: int
    text: str
    upper_line: bool
    line: int


class Normaliser:
    """Lexicon-based normalisation of maintenance short texts; see the module docstring for the steps.

    Args:
        lexicon: lower-case noisy form -> normalised form; a key with spaces is a phrase of tokens (matched
            on the tokens' normalised forms). Chained entries (a value containing another key) are refused.
        units: unit suffix -> word for "1000H"-style tokens ("h" -> "hour").
        mask_numbers: replace numbers by ``<num>`` and dates by ``<date>``.
        mask_ids: replace identifiers (tags, part numbers, asset numbers) by ``<id>``.

    Example:
        >>> Normaliser({"pmp": "pump"}, mask_numbers=True)("Pmp 2 lkg").text
        'Pump <num> lkg'
    """

    def __init__(
        self,
        lexicon: Mapping[str, str] | None = None,
        *,
        units: Mapping[str, str] | None = None,
        mask_numbers: bool = False,
        mask_ids: bool = False,
    ):
        lex = {" ".join(k.lower().split()): " ".join(v.split()) for k, v in (lexicon or {}).items()}
        lex = {k: v for k, v in lex.items() if k != v.lower()}
        chained = sorted(k for k, v in lex.items() if any(t.lower() in lex for t in _words(v)))
        if chained:
            raise BadInputError(
                f"Lexicon entries {chained[:5]} map to a form containing another key, so normalising twice "
                "would change the text again; map them straight to the final form."
            )
        self.tokens = {k: v for k, v in lex.items() if " " not in k}
        self.phrases = {k: v for k, v in lex.items() if " " in k}
        self.units = {k.lower(): v for k, v in (units or {}).items()}
        self.mask_numbers = mask_numbers
        self.mask_ids = mask_ids
        self._max_phrase = max((k.count(" ") + 1 for k in self.phrases), default=1)

    @classmethod
    def from_maintnorm(
        cls,
        path: Path | None = None,
        *,
        extras: bool = True,
        mask_numbers: bool = False,
        mask_ids: bool = False,
    ) -> Normaliser:
        """The normaliser with the lexicon learned from MaintNorm's train split.

        Args:
            path: a lexicon TSV (default: the shipped one), or a MaintNorm folder / ``train.norm`` file to
                learn from now with :func:`build_lexicon`.
            extras: also use the hand-written abbreviations in ``extra_abbreviations.tsv``.
        """
        path = path or LEXICON_PATH
        entries = read_lexicon(path) if path.suffix == ".tsv" else build_lexicon(path)
        if extras:
            learned = {e.noisy for e in entries}
            entries += [e for e in read_lexicon(EXTRA_PATH) if e.noisy not in learned]
        lexicon = {e.noisy: e.normalised for e in entries if e.kind in ("token", "phrase")}
        units = {e.noisy: e.normalised for e in entries if e.kind == "unit"}
        return cls(lexicon, units=units, mask_numbers=mask_numbers, mask_ids=mask_ids)

    def __call__(self, text: str) -> Normalised:
        """Normalise ``text``; see :class:`Normalised` for mapping spans back."""
        lines = _upper_lines(text)
        starts = [s for s, _ in lines]
        toks = []
        for m in _TOKEN_RE.finditer(text):
            line = bisect.bisect_right(starts, m.start()) - 1
            toks.append(_Tok(m.start(), m.end(), m.group(), lines[line][1], line))
        forms = [self.tokens.get(t.text.lower(), t.text.lower()) for t in toks]
        edits: list[Edit] = []
        i = 0
        while i < len(toks):
            n = self._phrase_at(text, toks, forms, i)
            if n:
                last = toks[i + n - 1]
                value = self.phrases[" ".join(forms[i : i + n])]
                source = text[toks[i].start : last.end]
                replacement = _match_case(source, value, toks[i].upper_line)
                edits.append(Edit(toks[i].start, last.end, replacement, edit_kind(source, value)))
                i += n
                continue
            edits.extend(self._token_edits(toks[i]))
            i += 1
        edits = [_pad(text, e) for e in edits if text[e.start : e.end] != e.replacement]
        out, pos = [], 0
        for e in edits:
            out += [text[pos : e.start], e.replacement]
            pos = e.end
        out.append(text[pos:])
        return Normalised(text, "".join(out), tuple(edits))

    def _phrase_at(self, text: str, toks: Sequence[_Tok], forms: Sequence[str], i: int) -> int:
        """Length of the longest lexicon phrase starting at token ``i`` (0 if none).

        A phrase's tokens are on one line with only spaces between them ("auto, greaser" is no phrase).
        """
        for n in range(min(self._max_phrase, len(toks) - i), 1, -1):
            run = toks[i : i + n]
            if any(
                a.line != b.line or not text[a.end : b.start].isspace() for a, b in itertools.pairwise(run)
            ):
                continue
            if " ".join(forms[i : i + n]) in self.phrases:
                return n
        return 0

    def _token_edits(self, tok: _Tok) -> list[Edit]:
        low = tok.text.lower()
        if _MASK_RE.fullmatch(tok.text):
            return []
        if low in self.tokens:
            value = _match_case(tok.text, self.tokens[low], tok.upper_line)
            return [Edit(tok.start, tok.end, value, edit_kind(low, self.tokens[low]))]
        unit = _UNIT_RE.fullmatch(tok.text)
        if unit and unit.group(2).lower() in self.units:
            word = self.units[unit.group(2).lower()]
            edits = []
            if self.mask_numbers:
                edits.append(Edit(tok.start, tok.start + unit.end(1), "<num>", "mask"))
            if self.mask_numbers or word != unit.group(2).lower():
                value = " " + _match_case(unit.group(2), word, tok.upper_line)
                edits.append(Edit(tok.start + unit.start(2), tok.end, value, "abbreviation"))
            return edits
        mask = self._mask_for(tok.text)
        return [Edit(tok.start, tok.end, mask, "mask")] if mask else []

    def _mask_for(self, token: str) -> str | None:
        if _DATE_RE.fullmatch(token):
            return "<date>" if self.mask_numbers else None
        if _NUMBER_RE.fullmatch(token):
            return "<num>" if self.mask_numbers else None
        if any(c.isdigit() for c in token):
            return "<id>" if self.mask_ids else None
        return None


def _pad(text: str, e: Edit) -> Edit:
    """Add a space where a replacement would run into a neighbouring word ("#2" → "number 2")."""
    before = " " if e.start > 0 and text[e.start - 1].isalnum() and e.replacement[:1].isalnum() else ""
    after = " " if e.end < len(text) and text[e.end].isalnum() and e.replacement[-1:].isalnum() else ""
    return Edit(e.start, e.end, before + e.replacement + after, e.kind) if before or after else e


def _words(text: str) -> list[str]:
    return [m.group() for m in _TOKEN_RE.finditer(text)]


# --- the lexicon file and how it is learned ---------------------------------------------------------------


@dataclass(frozen=True)
class LexiconEntry:
    """One learned mapping: ``kind`` is ``token``, ``phrase`` (tokens merged) or ``unit`` (after a number).

    Example:
        >>> LexiconEntry("token", "brg", "bearing", support=19, share=1.0).normalised
        'bearing'
    """

    kind: str
    noisy: str
    normalised: str
    support: int = 0  # train occurrences with this normalisation
    share: float = 1.0  # ... as a share of all train occurrences of the noisy form


_MAINTNORM_HEADER = """\
# Token lexicon for kg.ingest.normalise, derived from the MaintNorm corpus (train split only).
# Source: T. Bikaun, M. Hodkiewicz, W. Liu, "MaintNorm: A corpus and benchmark model for lexical
#   normalisation and masking of industrial maintenance short text", W-NUT 2024 (aclanthology 2024.wnut-1.7);
#   github.com/nlp-tlp/maintnorm, commit e98ca406f7afffbb0ab3243aa7c922f3b64bc7c8, data/combined/train.norm.
# Generated by: python -m kg.ingest.normalise --build-lexicon (min_count={min_count}, min_share={min_share})
#   (forms in kg.ingest.normalise.UNSAFE_FORMS / UNSAFE_UNITS are left out: they are words or units elsewhere)
# Columns: kind (token|phrase|unit), noisy form (lower case), normalised form, train support, share.
#
# MIT License
#
# Copyright (c) [2024] [NLP-TLP Group]
#
# Permission is hereby granted, free of charge, to any person obtaining a copy
# of this software and associated documentation files (the "Software"), to deal
# in the Software without restriction, including without limitation the rights
# to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
# copies of the Software, and to permit persons to whom the Software is
# furnished to do so, subject to the following conditions:
#
# The above copyright notice and this permission notice shall be included in all
# copies or substantial portions of the Software.
#
# THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
# IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
# FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
# AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
# LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
# OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
# SOFTWARE.
"""

MIN_COUNT = 2
#: Forms MaintNorm expands that mean something else in ordinary technical text (words, units, electrical
#: abbreviations: "press the button", "contact us", "5 cm", "10 hp", "AC supply", "RF", "ext. 2231", "10m
#: cable", "1/4 inch"); never learned, so the lexicon is safe on manuals and reports too.
UNSAFE_FORMS = frozenset(
    "us n j press sense inject stub surf mob hi ok exam roll cm hp ext 1/4 center duo inter alt ac rf".split()  # noqa: SIM905
)
UNSAFE_UNITS = frozenset({"m", "kh"})  # "10m" is metres as often as months; "kh" is thousands of hours
_OTHER = "\0other"  # stands for "any other normalisation" in counts
MIN_SHARE = 0.7


def read_lexicon(path: Path) -> list[LexiconEntry]:
    """Read a lexicon TSV (``#`` lines are comments; kind, noisy, normalised[, support, share]).

    Raises:
        ConfigError: the file is missing or a line is malformed.
    """
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as e:
        raise ConfigError(f"Cannot read lexicon {path}: {e}. Rebuild it with --build-lexicon.") from e
    entries = []
    for n, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) not in (3, 5) or cols[0] not in ("token", "phrase", "unit"):
            raise ConfigError(f"{path}:{n}: expected kind<TAB>noisy<TAB>normalised[<TAB>support<TAB>share].")
        extra = (int(cols[3]), float(cols[4])) if len(cols) == 5 else ()
        entries.append(LexiconEntry(cols[0], cols[1], cols[2], *extra))
    return entries


def write_lexicon(entries: Iterable[LexiconEntry], path: Path, *, header: str) -> None:
    """Write ``entries`` as TSV under ``header`` (comment lines)."""
    rows = [f"{e.kind}\t{e.noisy}\t{e.normalised}\t{e.support}\t{e.share:.3f}" for e in entries]
    path.write_text(header + "\n".join(rows) + "\n", encoding="utf-8")


Text = list[tuple[str, str]]


def read_maintnorm(path: Path) -> list[Text]:
    """Read a MaintNorm ``.norm`` file: texts as lists of (raw token, normalised form).

    Example:
        >>> read_maintnorm(maintnorm_file("dev"))[0][:2]   # doctest: +SKIP
        [('AN426', '<id>'), ('Replace', 'replace')]
    """
    texts: list[Text] = []
    current: Text = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            if current:
                texts.append(current)
            current = []
            continue
        raw, _, norm = line.partition("\t")
        current.append((raw.strip(), " ".join(norm.split()).lower()))
    if current:
        texts.append(current)
    return texts


def maintnorm_file(split: str, root: Path | None = None) -> Path:
    """The ``.norm`` file of ``split`` (train, dev or test) of the combined corpus under ``root``.

    Raises:
        ConfigError: unknown split, or the dataset is not there.
    """
    if split not in SPLIT_FILES:
        raise ConfigError(f"Unknown MaintNorm split {split!r}; choose one of {', '.join(SPLIT_FILES)}.")
    if root is None:
        from extractors.data import datasets_dir

        root = datasets_dir() / "maintnorm"
    path = root / "data" / "combined" / SPLIT_FILES[split]
    if not path.is_file():
        raise ConfigError(f"MaintNorm not found at {path}. Set KG_DATASETS_DIR to the shared corpora folder.")
    return path


def build_lexicon(
    source: Path | None = None, *, min_count: int = MIN_COUNT, min_share: float = MIN_SHARE
) -> list[LexiconEntry]:
    """Learn token, phrase and unit mappings from MaintNorm's train split.

    A noisy form is kept when its most frequent normalisation differs from it, was seen ``min_count`` times
    and accounts for ``min_share`` of the form's occurrences; masks (``<id>`` …) are never learned as words.

    Args:
        source: a ``train.norm`` file or the MaintNorm folder (default: the shared datasets folder's).
    """
    if source is None or source.is_dir():
        source = maintnorm_file("train", source)
    texts = read_maintnorm(source)
    token_counts: defaultdict[str, Counter[str]] = defaultdict(Counter)
    merges: list[tuple[list[str], str]] = []
    unit_counts: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for text in texts:
        i = 0
        while i < len(text):
            raw, norm = text[i]
            n = 1
            while i + n < len(text) and text[i + n][1] == "" and norm:
                n += 1  # tokens normalised to "" were merged into this one
            if n > 1:
                merges.append(([r.lower() for r, _ in text[i : i + n]], norm))
            elif (unit := _UNIT_RE.fullmatch(raw)) is not None:
                parts = norm.split()
                found = parts[1] if len(parts) == 2 and parts[0] == "<num>" else None
                unit_counts[unit.group(2).lower()][found or _OTHER] += 1
            elif _TOKEN_RE.fullmatch(raw) and not _MASK_RE.fullmatch(raw) and norm:
                token_counts[raw.lower()][norm] += 1
            i += n
    tokens = [e for e in _keep(token_counts, "token", min_count, min_share) if e.noisy not in UNSAFE_FORMS]
    lexicon = {e.noisy: e.normalised for e in tokens}
    tokens = [e for e in tokens if not any(w in lexicon for w in _words(e.normalised))]
    phrases = _phrases(texts, merges, {e.noisy: e.normalised for e in tokens}, min_count, min_share)
    units = [e for e in _keep(unit_counts, "unit", min_count, min_share) if e.noisy not in UNSAFE_UNITS]
    return sorted(tokens + phrases + units, key=lambda e: (e.kind, e.noisy))


def _keep(
    counts: Mapping[str, Counter[str]], kind: str, min_count: int, min_share: float
) -> list[LexiconEntry]:
    out = []
    for noisy, seen in counts.items():
        best, support = seen.most_common(1)[0]
        share = support / sum(seen.values())
        if best not in (noisy, _OTHER) and "<" not in best and support >= min_count and share >= min_share:
            out.append(LexiconEntry(kind, noisy, best, support, round(share, 3)))
    return out


def _phrases(
    texts: Sequence[Text],
    merges: Sequence[tuple[list[str], str]],
    tokens: Mapping[str, str],
    min_count: int,
    min_share: float,
) -> list[LexiconEntry]:
    """Merges seen often enough, keyed by their tokens' normalised forms (as :class:`Normaliser` matches)."""
    merged: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for raws, norm in merges:
        if all(_TOKEN_RE.fullmatch(r) and not _MASK_RE.fullmatch(r) for r in raws) and "<" not in norm:
            merged[" ".join(tokens.get(r, r) for r in raws)][norm] += 1
    seen: Counter[str] = Counter()  # every occurrence of each phrase, merged or not, for the share
    lengths = {k.count(" ") + 1 for k in merged}
    for text in texts:
        forms = [tokens.get(r.lower(), r.lower()) for r, _ in text]
        for n in lengths:
            seen.update(k for i in range(len(forms) - n + 1) if (k := " ".join(forms[i : i + n])) in merged)
    for key, counts in merged.items():
        counts[_OTHER] = max(0, seen[key] - counts.total())
    parts = {w for k in merged for w in k.split()}
    return [
        e for e in _keep(merged, "phrase", min_count, min_share) if e.normalised not in parts | tokens.keys()
    ]


# --- evaluation on MaintNorm -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Scores:
    """Token-level scores against MaintNorm's gold, compared case-insensitively.

    ``precision``: of the tokens the normaliser changed, the share changed to the gold form; ``recall``: of
    the tokens the gold changes, the share changed to the gold form; ``error_reduction``: the share of the
    identity baseline's errors that were fixed (MaintNorm's ERR).

    Example:
        >>> Scores("dev", 100, 0.95, 0.80, 0.9, 0.7).error_reduction
        0.75
    """

    split: str
    tokens: int
    accuracy: float
    baseline_accuracy: float  # identity: every token kept (lower-cased)
    precision: float
    recall: float
    masks: bool = False
    counts: dict[str, int] = field(default_factory=dict, compare=False)

    @property
    def error_reduction(self) -> float:
        return round((self.accuracy - self.baseline_accuracy) / max(1e-9, 1 - self.baseline_accuracy), 4)

    def __str__(self) -> str:
        return (
            f"MaintNorm {self.split} ({'with' if self.masks else 'without'} masks, {self.tokens} tokens): "
            f"accuracy {self.accuracy:.4f} (identity {self.baseline_accuracy:.4f}), precision "
            f"{self.precision:.4f}, recall {self.recall:.4f}, error reduction {self.error_reduction:.4f}"
        )


def token_predictions(normaliser: Normaliser, tokens: Sequence[str]) -> list[str]:
    """Normalise the text ``" ".join(tokens)`` and return what became of each token ("" if merged away).

    Example:
        >>> token_predictions(Normaliser({"repl": "replace"}), ["REPL", "pump"])
        ['REPLACE', 'pump']
    """
    spans, pos = [], 0
    for t in tokens:
        spans.append((pos, pos + len(t)))
        pos += len(t) + 1
    result = normaliser(" ".join(tokens))
    out = []
    for start, end in spans:
        pieces, pos = [], start
        for e in result.edits:
            if e.end <= start or e.start >= end:
                continue
            if e.start >= start:
                pieces += [result.original[pos : e.start], e.replacement]
            pos = max(pos, min(e.end, end))
        pieces.append(result.original[pos:end])
        out.append("".join(pieces))
    return out


def evaluate_on_maintnorm(
    split: str = "dev", *, normaliser: Normaliser | None = None, masks: bool = False, root: Path | None = None
) -> Scores:
    """Score ``normaliser`` (default: the shipped lexicon) token by token on a MaintNorm split.

    Args:
        masks: False: the default normaliser (no masking), scored on the tokens whose gold form is not a mask;
            True: ``mask_numbers`` and ``mask_ids`` on, scored on every token.
    """
    if normaliser is None:
        normaliser = Normaliser.from_maintnorm(mask_numbers=masks, mask_ids=masks)
    c: Counter[str] = Counter()
    for text in read_maintnorm(maintnorm_file(split, root)):
        raws = [r for r, _ in text]
        for (raw, gold), pred in zip(text, token_predictions(normaliser, raws), strict=True):
            if not masks and "<" in gold:
                continue
            pred, ident = " ".join(pred.lower().split()), raw.lower()
            c["tokens"] += 1
            c["correct"] += pred == gold
            c["identity_correct"] += ident == gold
            c["gold_changed"] += ident != gold
            c["changed"] += pred != ident
            c["changed_correct"] += pred != ident and pred == gold
    n = max(1, c["tokens"])
    return Scores(
        split,
        c["tokens"],
        round(c["correct"] / n, 4),
        round(c["identity_correct"] / n, 4),
        round(c["changed_correct"] / max(1, c["changed"]), 4),
        round(c["changed_correct"] / max(1, c["gold_changed"]), 4),
        masks,
        dict(c),
    )


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m kg.ingest.normalise --build-lexicon | --evaluate SPLIT``."""
    ap = argparse.ArgumentParser(prog="python -m kg.ingest.normalise", description=__doc__.split("\n")[0])
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
        header = _MAINTNORM_HEADER.format(min_count=args.min_count, min_share=args.min_share)
        write_lexicon(entries, args.out, header=header)
        print(f"wrote {len(entries)} entries to {args.out}")
    if args.evaluate:
        for masks in (False, True):
            norm = Normaliser.from_maintnorm(args.out, mask_numbers=masks, mask_ids=masks)
            print(evaluate_on_maintnorm(args.evaluate, normaliser=norm, masks=masks, root=args.source))
    return 0


if __name__ == "__main__":
    sys.exit(main())
