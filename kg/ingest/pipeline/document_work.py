"""One document on its way through the pipeline (:class:`DocumentWork`), the text chunks it gives the
extractor (:class:`ExtractionChunk`), and how a document that fails at any stage is recorded.

Every stage reads and fills a :class:`DocumentWork`; a document that fails is taken out of its group, so the
others go on (per-document failures stay isolated).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from pydantic import ValidationError

from extractors.types import ChunkExtraction, Mention
from kg.core.errors import KGError
from kg.core.facts import ChunkMention, EdgeFact, NodeFact
from kg.documents import DocumentContent
from kg.ingest.manifest import DocumentRecord, Manifest
from kg.ingest.pipeline.ingest_report import DocumentOutcome, IngestReport
from kg.store.plan import now_iso

#: what a failing stage may raise for one document: that document fails, the others go on
DOCUMENT_ERRORS = (KGError, ValidationError, ValueError)


@dataclass
class PendingDocument:
    """A file triage found new or changed: to be read. ``shown`` is the path as the user gave it."""

    shown: str
    record: DocumentRecord
    replaces: bool  # a version of it is in the graph already: removed before the new one is written


@dataclass
class ExtractionChunk:
    """Text for the extractor and how its spans map back into the document."""

    text: str
    offset: int  # where the original span of this chunk starts in the document text
    length: int = -1  # length of the original span (differs from len(text) once normalised)
    to_original: Callable[[int, int], tuple[int, int]] | None = None  # normalised → original (chunk-relative)
    asset: NodeFact | None = None  # the work order's asset, for WO descriptions
    read_by_model: bool = True  # False: in a language the extractor was not trained for (names still link)

    def document_span(self, m: Mention) -> tuple[int, int]:
        """Where a mention the extractor found in this chunk's text lies in the document text."""
        s, e = self.to_original(m.start, m.end) if self.to_original else (m.start, m.end)
        return self.offset + s, self.offset + e


@dataclass
class DocumentWork:
    """One document on its way through the pipeline: what it was read as, and the facts found so far."""

    outcome: DocumentOutcome
    record: DocumentRecord
    content: DocumentContent
    replaces: bool
    batch_nodes: list[NodeFact] = field(default_factory=list)
    batch_edges: list[EdgeFact] = field(default_factory=list)
    chunks: list[ExtractionChunk] = field(default_factory=list)
    rows: list[tuple[int, int]] = field(default_factory=list)  # table row spans (chunks without the model)
    row_meta: dict[tuple[int, int], dict[str, str]] = field(default_factory=dict)  # work-order number, date
    mentions: list[ChunkMention] = field(default_factory=list)
    masked: dict[str, int] = field(default_factory=dict)  # personal data masked, per kind
    #: what a cluster worker found (kg.ingest.cluster): its chunks' texts and one result per chunk
    extracted: tuple[list[str], list[ChunkExtraction]] | None = None


def updated_record(rec: DocumentRecord, **changes: Any) -> DocumentRecord:
    """``rec`` with ``changes`` and a fresh ``updated`` time, for the manifest."""
    return replace(rec, updated=now_iso(), **changes)


def fail_document(w: DocumentWork, reason: str, report: IngestReport, manifest: Manifest) -> None:
    """Report ``w`` as failed and record that in the manifest (a later run tries it again)."""
    w.outcome.state, w.outcome.reason = "failed", reason
    report.outcomes.append(w.outcome)
    manifest.record([updated_record(w.record, state="failed", reason=reason)])
