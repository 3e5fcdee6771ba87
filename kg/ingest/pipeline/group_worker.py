"""Stages 2–4 without the graph: what a cluster worker does with one group of documents
(:mod:`kg.ingest.cluster`). It reads each document, prepares it as the driver will (personal data masked,
work orders normalised, chunks cut, languages gated) and runs the model over the group's chunks in one call,
as :class:`~kg.ingest.pipeline.batch_extractor.BatchExtractor` does locally for the same group.

The driver prepares each document again, in order and against the graph (table facts need the graph's known
items), and takes the worker's results for every chunk whose text is the same: the model never runs on the
driver, and the graph is the one a local run writes.

Example:
    >>> from kg.ingest.pipeline.ingest_options import IngestOptions
    >>> GroupWorker(None, IngestOptions()).run([]).documents
    []
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from extractors.base import EntityRelationExtractor
from extractors.types import ChunkExtraction
from kg.documents import DocumentContent
from kg.ingest.language import LanguageGate
from kg.ingest.pipeline.batch_extractor import BatchExtractor
from kg.ingest.pipeline.document_preparer import DocumentPreparer
from kg.ingest.pipeline.document_reader import read_one
from kg.ingest.pipeline.document_work import DOCUMENT_ERRORS, DocumentWork, PendingDocument
from kg.ingest.pipeline.ingest_options import IngestOptions, Masker, Normaliser
from kg.ingest.pipeline.ingest_report import DocumentOutcome
from kg.ingest.pipeline.table_facts import TableFactLoader
from kg.ingest.pipeline.work_orders import WorkOrderReader


@dataclass
class WorkedDocument:
    """One document as a worker leaves it: what it read (or why not), and the model's results per chunk.

    ``texts`` is None when the document could not be prepared: the driver prepares it again and reports
    the reason itself.
    """

    content: DocumentContent | None
    error: str = ""
    texts: list[str] | None = None
    results: list[ChunkExtraction] = field(default_factory=list)


@dataclass
class WorkedGroup:
    """A group's documents, in the order they were sent, and the worker's seconds per stage."""

    documents: list[WorkedDocument]
    seconds: dict[str, float] = field(default_factory=dict)

    @classmethod
    def failed(cls, part: list[PendingDocument], reason: str) -> WorkedGroup:
        """Every document of ``part`` failed with ``reason`` (the group could not be worked)."""
        return cls([WorkedDocument(None, f"{p.shown}: {reason}") for p in part])


class GroupWorker:
    """Reads, prepares and extracts groups of documents, without a graph or a manifest.

    Example:
        >>> GroupWorker(load_extractor(settings.extractor), IngestOptions()).run(part)  # doctest: +SKIP
    """

    def __init__(
        self,
        extractor: EntityRelationExtractor | Callable[[], EntityRelationExtractor] | None,
        options: IngestOptions,
        *,
        masker: Masker | None = None,
        normaliser: Normaliser | None = None,
    ):
        self.max_bytes = int(options.max_document_mb * 2**20)
        self.preparer = DocumentPreparer(
            None,
            masker,
            TableFactLoader(None, options),
            WorkOrderReader(normaliser),
            LanguageGate(options.languages),
        )
        self.extractor = BatchExtractor(extractor)

    def run(self, part: list[PendingDocument]) -> WorkedGroup:
        """The documents of ``part`` read, prepared and extracted; one that fails does so alone."""
        seconds = dict.fromkeys(("read", "prepare", "extract"), 0.0)
        out: list[WorkedDocument] = []
        works: list[tuple[WorkedDocument, DocumentWork]] = []
        for p in part:
            t = time.perf_counter()
            _, content, error = read_one(p.record.path, self.max_bytes)
            seconds["read"] += time.perf_counter() - t
            doc = WorkedDocument(content, error)
            out.append(doc)
            if content is None:
                continue
            t = time.perf_counter()
            w = DocumentWork(DocumentOutcome(p.shown, p.record.doc_id), p.record, content, replaces=False)
            try:
                self.preparer.run(w)
                works.append((doc, w))
            except DOCUMENT_ERRORS:
                pass  # the driver prepares it again and reports why
            seconds["prepare"] += time.perf_counter() - t
        t = time.perf_counter()
        found = self.extractor.run([w for _, w in works])
        for doc, w in works:
            doc.texts, doc.results = [c.text for c in w.chunks], found.of(w)
        seconds["extract"] += time.perf_counter() - t
        return WorkedGroup(out, seconds)
