"""Candidate search for the fuzzy and embedding steps: which known names is a surface similar to?

Each function returns, per query, a short list of ``(row, score)`` pairs (score in [0, 1], best first)
above a cut-off, computed a chunk of the score matrix at a time so memory stays bounded whatever the batch
size: :func:`fuzzy_candidates` with rapidfuzz, :func:`embedding_candidates` with a matrix product of unit
vectors, and :class:`SameWords` for names equal but for spaces or (proper names) word subsets.

Example:
    >>> fuzzy_candidates(["pump feed"], ["pump feed", "motor feed"], 0.9)
    [[(0, 1.0)]]
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

import numpy as np
from rapidfuzz import fuzz, process

if TYPE_CHECKING:
    import torch

_TOP_K = 8  # candidates examined per surface (after the score cut-off)
_CELLS = 4_000_000  # score-matrix cells per chunk: bounds memory at ~16 MB whatever the batch size
_MAX_SUBSET = 4  # word subsets indexed per name (names of more words still match whole)


def fuzzy_candidates(
    queries: Sequence[str], choices: Sequence[str], cutoff: float, *, causal: bool = False
) -> list[list[tuple[int, float]]]:
    """Per query, the best choices (index, score in [0, 1]) by fuzz.ratio >= ``cutoff``, best first.

    Callers pass words sorted (so this is token_sort_ratio) and look up names that differ only in spaces
    with :class:`SameWords`. rapidfuzz scores a chunk of queries against every choice in C++; Python only
    visits the few cells above the cut-off. ``causal``: queries and choices are the same list, and query i
    may only match j < i.
    """
    out: list[list[tuple[int, float]]] = [[] for _ in queries]
    step = max(1, _CELLS // max(1, len(choices)))
    for start in range(0, len(queries), step):
        scores = process.cdist(
            queries[start : start + step], choices, scorer=fuzz.ratio, score_cutoff=cutoff * 100,
            dtype=np.float32, workers=-1,
        )  # fmt: skip
        if causal:
            rows = np.arange(start, start + scores.shape[0])[:, None]
            scores[np.arange(scores.shape[1])[None, :] >= rows] = 0
        for r in np.flatnonzero(scores.max(axis=1, initial=0) > 0):
            row = scores[r]
            cols = np.flatnonzero(row)
            if len(cols) > _TOP_K:
                cols = cols[np.argpartition(-row[cols], _TOP_K)[:_TOP_K]]
            out[start + r] = sorted(((int(c), float(row[c]) / 100) for c in cols), key=lambda x: -x[1])
    return out


def merged_candidates(*rows: list[tuple[int, float]]) -> list[tuple[int, float]]:
    """Candidate lists joined: best score per index, best first."""
    best: dict[int, float] = {}
    for row in rows:
        for i, score in row:
            best[i] = max(score, best.get(i, 0.0))
    return sorted(best.items(), key=lambda x: -x[1])


def _word_subsets(words: Sequence[str]) -> Iterator[str]:
    for size in range(1, min(len(words), _MAX_SUBSET) + 1):
        yield from (" ".join(c) for c in itertools.combinations(words, size))


class SameWords:
    """Names that equal a query but for spaces ("Eagle Burgmann", "EagleBurgmann"), and for proper names also
    names whose words contain, or are contained in, the query's (rapidfuzz token_set_ratio = 100).

    token_set_ratio in ``cdist`` costs ~1 µs a pair (27x ratio): 100 s for 10k x 10k. Indexing every name
    under its word subsets turns the same question into a few dictionary look-ups per query.

    Example:
        >>> same = SameWords(subsets=True)
        >>> same.add(0, "atlas copco compressors uk"); same.add(1, "hydac technology")
        >>> same.matches("atlas copco"), same.matches("hydac international"), same.matches("hydactechnology")
        ([0], [], [1])
    """

    def __init__(self, *, subsets: bool) -> None:
        self._subsets = subsets
        self._compact: dict[str, list[int]] = {}  # words without spaces -> rows
        self._whole: dict[str, list[int]] = {}  # sorted words -> rows with exactly these words
        self._within: dict[str, list[int]] = {}  # sorted word subset -> rows whose words include it

    def add(self, row: int, key: str) -> None:
        """Index the name ``key`` (its comparison words) under ``row``."""
        self._compact.setdefault(key.replace(" ", ""), []).append(row)
        if self._subsets:
            words = sorted(set(key.split()))
            self._whole.setdefault(" ".join(words), []).append(row)
            for subset in _word_subsets(words):
                self._within.setdefault(subset, []).append(row)

    def matches(self, key: str) -> list[int]:
        """Rows of the indexed names that match ``key``, at most a few per kind of match."""
        rows = self._compact.get(key.replace(" ", ""), [])[:_TOP_K]
        if self._subsets:
            words = sorted(set(key.split()))
            rows += (
                self._within.get(" ".join(words), [])[:_TOP_K] + self._whole.get(" ".join(words), [])[:_TOP_K]
            )
            for subset in _word_subsets(words):  # names made of some of the query's words
                rows += self._whole.get(subset, [])[:_TOP_K]
        return list(dict.fromkeys(rows))


def sorted_words(words: str) -> str:
    """The words in alphabetical order: fuzz.ratio of two such strings is their token_sort_ratio."""
    return " ".join(sorted(words.split()))


def embedding_candidates(
    queries: torch.Tensor, choices: torch.Tensor, cutoff: float, *, causal: bool = False
) -> list[list[tuple[int, float]]]:
    """Like :func:`fuzzy_candidates`, by cosine similarity of unit vectors (a chunked matrix product)."""
    import torch

    out: list[list[tuple[int, float]]] = [[] for _ in range(queries.shape[0])]
    if not len(choices):
        return out
    step = max(1, _CELLS // choices.shape[0])
    k = min(_TOP_K, choices.shape[0])
    for start in range(0, queries.shape[0], step):
        sims = queries[start : start + step] @ choices.T
        if causal:
            rows = torch.arange(start, start + sims.shape[0])[:, None]
            sims[torch.arange(choices.shape[0])[None, :] >= rows] = -1.0
        values, indices = sims.topk(k, dim=1)
        for r in (values[:, 0] >= cutoff).nonzero().flatten().tolist():
            out[start + r] = [
                (c, min(v, 1.0))
                for v, c in zip(values[r].tolist(), indices[r].tolist(), strict=True)
                if v >= cutoff
            ]
    return out
