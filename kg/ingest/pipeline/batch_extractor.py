"""Stage 4, extract: the model reads every chunk of a group of documents in one call.

The extractor may be given as a factory: it is built on first need, so table-only batches never load it.

Example:
    >>> BatchExtractor(None).run([]).of(object())
    []
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from extractors.base import EntityRelationExtractor
from extractors.types import ChunkExtraction, TextChunk
from kg.ingest.pipeline.document_work import DocumentWork


@dataclass
class GroupExtractions:
    """The extractor's results for each document of a group, one per chunk, in chunk order."""

    by_document: dict[int, list[ChunkExtraction]] = field(default_factory=dict)  # by id() of the work

    def of(self, w: object) -> list[ChunkExtraction]:
        return self.by_document.get(id(w), [])


class BatchExtractor:
    """Runs the entity/relation extractor over all chunks of a group.

    Example:
        >>> BatchExtractor(lambda: load_extractor(settings.extractor)).run(group)  # doctest: +SKIP
    """

    def __init__(self, extractor: EntityRelationExtractor | Callable[[], EntityRelationExtractor] | None):
        self._extractor = extractor

    @property
    def loaded(self) -> bool:
        """Whether the model was loaded (a cluster run's driver never loads it)."""
        return isinstance(self._extractor, EntityRelationExtractor)

    def extractor(self) -> EntityRelationExtractor | None:
        if self._extractor is not None and not isinstance(self._extractor, EntityRelationExtractor):
            self._extractor = self._extractor()  # built on first need: table-only batches never load it
        return self._extractor

    def run(self, group: list[DocumentWork]) -> GroupExtractions:
        """One result per chunk of each document. A document a cluster worker already extracted (the same
        texts as its chunks here) uses those results; the model reads the others' chunks in one call."""
        out = GroupExtractions()
        todo = []
        for w in group:
            if w.extracted is not None and w.extracted[0] == [c.text for c in w.chunks]:
                out.by_document[id(w)] = w.extracted[1]
            else:
                todo.append(w)
        chunks = [(w, c) for w in todo for c in w.chunks]
        if not chunks:
            return out
        ex = self.extractor()
        if ex is None:
            return out
        read = [TextChunk(text=c.text, doc_id=w.record.doc_id) for w, c in chunks if c.read_by_model]
        results = iter(ex.extract(read) if read else [])
        for (
            w,
            c,
        ) in chunks:  # a chunk the model does not read gets no mentions; the gazetteer still links names
            r = next(results) if c.read_by_model else ChunkExtraction(model_version=ex.version)
            out.by_document.setdefault(id(w), []).append(r)
        return out
