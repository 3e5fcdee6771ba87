"""One fake per protocol, shared by the tests (as spacy-llm registers one fake model for offline tests).

:class:`FakeExtractor` implements :class:`extractors.base.EntityRelationExtractor` from a vocabulary: it marks
every whole-word occurrence of the words given per label, keeps the longest of overlapping matches, and
predicts the listed relations wherever both ends occur in a chunk. It counts its calls, so a test can check
that unchanged documents are not extracted again.

Example:
    >>> ex = FakeExtractor({"PhysicalObject": ["pump"], "Organization": ["SKF"]},
    ...                    [("pump", "suppliedBy", "SKF")])
    >>> out = ex.extract([TextChunk(text="pump from SKF")])[0]
    >>> [(m.text, m.label) for m in out.mentions], [r.label for r in out.relations]
    ([('pump', 'PhysicalObject'), ('SKF', 'Organization')], ['suppliedBy'])
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from extractors.types import ChunkExtraction, Mention, PredictedRelation, TextChunk


class FakeExtractor:
    """Marks the words of ``vocab`` (label -> words); predicts ``relations`` (head word, label, tail word)."""

    def __init__(
        self,
        vocab: Mapping[str, Iterable[str]],
        relations: Iterable[tuple[str, str, str]] = (),
        *,
        ignore_case: bool = False,
        version: str = "fake@1",
    ) -> None:
        self.vocab = {label: tuple(words) for label, words in vocab.items()}
        self.relations = tuple(relations)
        self.labels = tuple(self.vocab)
        self.relation_labels = tuple(sorted({r for _, r, _ in self.relations}))
        self.version = version
        self.calls = 0
        flags = re.IGNORECASE if ignore_case else 0
        self._patterns = [
            (label, re.compile(rf"(?<!\w){re.escape(w)}(?!\w)", flags))
            for label, words in self.vocab.items()
            for w in words
        ]
        self._fold = str.lower if ignore_case else str

    def extract(self, chunks: Sequence[TextChunk]) -> list[ChunkExtraction]:
        self.calls += 1
        return [self._one(c.text) for c in chunks]

    def _one(self, text: str) -> ChunkExtraction:
        found = sorted(
            (
                Mention(start=m.start(), end=m.end(), label=label, score=0.9, text=m.group())
                for label, pattern in self._patterns
                for m in pattern.finditer(text)
            ),
            key=lambda m: (m.start - m.end, m.start),  # longest first; overlapping shorter ones are dropped
        )
        mentions: list[Mention] = []
        for m in found:
            if not any(m.start < k.end and k.start < m.end for k in mentions):
                mentions.append(m)
        mentions.sort(key=lambda m: m.start)
        index = {self._fold(m.text): i for i, m in enumerate(mentions)}
        rels = [
            PredictedRelation(head=index[self._fold(h)], tail=index[self._fold(t)], label=r, score=0.8)
            for h, r, t in self.relations
            if self._fold(h) in index and self._fold(t) in index
        ]
        return ChunkExtraction(mentions=mentions, relations=rels, model_version=self.version)


def supplier_notice_extractor() -> FakeExtractor:
    """A fixed vocabulary for samples/documents/supplier and quality: the outage tests' extractor, in process
    (tests/ingest/test_store_outage.py, tests/store/test_neo4j_outage.py) and in a killable worker."""
    vocab = {
        "Organization": ["SKF", "Parker Hannifin", "Trelleborg", "ERIKS", "Hydraulika Ostrava s.r.o."],
        "PhysicalObject": ["mechanical seal", "hose assembly", "O-ring", "bearing", "bearings", "seal kit"],
        "FailureMode": ["leak", "leaking", "burst", "wear"],
    }
    return FakeExtractor(vocab, [("hose assembly", "suppliedBy", "Parker Hannifin")])
