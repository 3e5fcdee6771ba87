"""Failure-mode codes: the ontology code closest to a failure description ("noisy bearing" -> NOI).

Failure modes resolve like other entities (their wording stays their name); :class:`FailureModeCodes` adds
the closest code of the ontology's failure-mode list to each, with a score the resolver compares with its
``failure_mode_threshold``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
from rapidfuzz import fuzz, process

if TYPE_CHECKING:
    from kg.ingest.resolve.sentence_encoder import SentenceEncoder
    from ontology import Ontology

FAILURE_MODE_LABEL = "FailureMode"
_LEXICAL_WEIGHT = 0.9  # a fuzzy label hit counts a little less than an equally strong embedding hit


class FailureModeCodes:
    """Maps failure descriptions to the ontology's failure-mode codes (prefLabel and altLabels).

    Score of a code: the best of an exact label match (1.0), the cosine similarity of embeddings, and
    rapidfuzz WRatio x 0.9 over the labels. Embeddings alone miss "noisy bearing" (-> NOI); the lexical
    score alone is fooled by shared words; together reached the best accuracy (tests/ingest/test_resolve).

    Example:
        >>> from ontology import load_ontology
        >>> codes = FailureModeCodes(load_ontology())
        >>> [code for code, _ in codes.best(["noisy bearing", "Overheating"], encoder=None)]
        ['NOI', 'OHE']
    """

    def __init__(self, ontology: Ontology) -> None:
        from ontology.failure_modes import normalize

        self._ontology = ontology
        self._normalize = normalize
        self.codes: list[str] = []
        self.texts: list[str] = []
        self._starts: list[int] = []  # texts of code i are texts[starts[i]:starts[i + 1]]
        for fm in ontology.failure_modes():
            self.codes.append(fm.code)
            self._starts.append(len(self.texts))
            self.texts.extend(dict.fromkeys((fm.pref_label, *fm.alt_labels)))
        self._normalized = [normalize(t) for t in self.texts]

    def best(self, surfaces: Sequence[str], encoder: SentenceEncoder | None) -> list[tuple[str, float]]:
        """Per surface, the closest code and its score."""
        lexical = process.cdist([self._normalize(s) for s in surfaces], self._normalized, scorer=fuzz.WRatio)
        scores = lexical.astype(np.float32) * (_LEXICAL_WEIGHT / 100)
        if encoder is not None:
            semantic = (
                encoder.encode([s.casefold() for s in surfaces]) @ encoder.encode(self.texts).T
            ).numpy()
            scores = np.maximum(scores, semantic)
        per_code = np.maximum.reduceat(scores, self._starts, axis=1)
        out = []
        for surface, row in zip(surfaces, per_code, strict=True):
            exact = self._ontology.find_failure_mode(surface)
            best = int(row.argmax())
            out.append((exact.code, 1.0) if exact else (self.codes[best], min(float(row[best]), 1.0)))
        return out
