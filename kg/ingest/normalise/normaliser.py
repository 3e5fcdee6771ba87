"""The :class:`Normaliser`: phrases, number + unit, lexicon look-up and masks, token by token."""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from kg.core.errors import BadInputError
from kg.ingest.normalise.edits import Edit, Normalised, edit_kind
from kg.ingest.normalise.lexicon import EXTRA_PATH, LEXICON_PATH, build_lexicon, read_lexicon
from kg.ingest.normalise.token_patterns import DATE_RE, MASK_RE, NUMBER_RE, TOKEN_RE, UNIT_RE, words


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
    """Lexicon-based normalisation of maintenance short texts; see :mod:`kg.ingest.normalise` for the steps.

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
        chained = sorted(k for k, v in lex.items() if any(t.lower() in lex for t in words(v)))
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
        for m in TOKEN_RE.finditer(text):
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
        if MASK_RE.fullmatch(tok.text):
            return []
        if low in self.tokens:
            value = _match_case(tok.text, self.tokens[low], tok.upper_line)
            return [Edit(tok.start, tok.end, value, edit_kind(low, self.tokens[low]))]
        unit = UNIT_RE.fullmatch(tok.text)
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
        if DATE_RE.fullmatch(token):
            return "<date>" if self.mask_numbers else None
        if NUMBER_RE.fullmatch(token):
            return "<num>" if self.mask_numbers else None
        if any(c.isdigit() for c in token):
            return "<id>" if self.mask_ids else None
        return None


def _pad(text: str, e: Edit) -> Edit:
    """Add a space where a replacement would run into a neighbouring word ("#2" → "number 2")."""
    before = " " if e.start > 0 and text[e.start - 1].isalnum() and e.replacement[:1].isalnum() else ""
    after = " " if e.end < len(text) and text[e.end].isalnum() and e.replacement[-1:].isalnum() else ""
    return Edit(e.start, e.end, before + e.replacement + after, e.kind) if before or after else e
