"""Stage 8, write: each group of documents in one batch, then the group marked ``done`` in the manifest.

A changed document's old version is removed first (facts only it supported go, shared facts stay). When a
batch cannot be written, each document is tried alone, so one bad document fails and the others go in.

When the store itself goes away (a Neo4j server stopped, a network cut), no document is to blame: the writer
waits up to ``store_wait_s`` for the store to answer again and writes the group then. If it does not come
back (or its user may not write), the run stops; the group's documents stay pending in the manifest, so
the same command run again resumes where it stopped (upserts are idempotent: nothing is doubled).

Example:
    >>> DocumentWriter(kg, manifest, masking=False).run(group, report)  # doctest: +SKIP
"""

from __future__ import annotations

import time

from pydantic import ValidationError

from kg.core.errors import KGError, StoreAccessError, StoreUnavailableError
from kg.core.facts import ChunkInfo, ChunkMention, DocumentInfo, FactBatch, PropertyValue
from kg.graph.knowledge_graph import KnowledgeGraph
from kg.ingest.document_numbers import document_numbers
from kg.ingest.manifest import Manifest
from kg.ingest.pipeline.document_work import DocumentWork, fail_document, updated_record
from kg.ingest.pipeline.ingest_report import IngestReport
from kg.store.plan import now_iso


def document_properties(w: DocumentWork, *, masking: bool) -> dict[str, PropertyValue]:
    """The document node's properties: where it came from, how it was read, its numbers and the numbers it
    cites (:mod:`kg.ingest.document_numbers`), what was masked."""
    c = w.content
    props: dict[str, PropertyValue] = {
        "path": str(c.path),
        "file_name": c.path.name,
        "content_hash": c.sha256,
        "size": c.size,
        "reader": c.reader,
        "chunks": len(w.chunks) + len(w.rows),
        "ingested": now_iso(),
    }
    if c.encoding:
        props["encoding"] = c.encoding
        props["encoding_note"] = c.encoding_note
    for k in ("title", "pages", "author"):
        if c.metadata.get(k):
            props[k] = str(c.metadata[k])
    numbers = document_numbers(c.path.name, str(c.metadata.get("title") or ""), c.text)
    if numbers.numbers:
        props["numbers"] = numbers.numbers
    if numbers.references:
        props["references"] = numbers.references
    if numbers.keys:
        props["number_keys"] = numbers.keys
    if masking:
        props["personal_data_masked"] = True  # and how many values of each kind (never the values)
        for kind, count in sorted(w.masked.items()):
            props[f"masked_{kind}"] = count
    return props


def document_batch(w: DocumentWork, *, masking: bool) -> FactBatch:
    """Everything one document adds: its facts, its node, its chunks (text and table rows), the mentions."""
    doc_id, text = w.record.doc_id, w.content.text
    chunks = [
        ChunkInfo(id=f"{doc_id}:{i}", doc_id=doc_id, start=ch.offset, end=ch.offset + ch.length,
                  text=text[ch.offset : ch.offset + ch.length])
        for i, ch in enumerate(w.chunks)
    ]  # fmt: skip
    rows = {span: f"{doc_id}:r{i}" for i, span in enumerate(w.rows)}
    chunks += [
        ChunkInfo(id=cid, doc_id=doc_id, start=s, end=e, text=text[s:e], **w.row_meta.get((s, e), {}))
        for (s, e), cid in rows.items()
    ]
    mentions = list(w.mentions)
    for n in w.batch_nodes:  # table facts: their evidence is the row's span
        for ev in n.evidence:
            cid = rows.get((ev.start, ev.end)) if ev.doc_id == doc_id else None
            if cid is not None:
                mentions.append(ChunkMention(entity_id=n.id, chunk_id=cid, spans=[f"{ev.start}-{ev.end}"]))
    return FactBatch(
        nodes=w.batch_nodes,
        edges=w.batch_edges,
        documents=[DocumentInfo(id=doc_id, properties=document_properties(w, masking=masking))],
        chunks=chunks,
        chunk_mentions=mentions,
    )


class StoreGoneError(StoreUnavailableError):
    """The store went away in the middle of a run and did not come back in time; the run stops, resumable."""


class DocumentWriter:
    """Writes a group's facts to the graph and records each document as done (or failed) in the manifest."""

    #: seconds between two checks whether a store that went away answers again
    POLL_S = 1.0

    def __init__(self, kg: KnowledgeGraph, manifest: Manifest, *, masking: bool, store_wait_s: float = 60.0):
        self.kg = kg
        self.store_wait_s = store_wait_s
        self.manifest = manifest
        self.masking = masking  # documents say that personal data was masked, and how much

    def run(self, group: list[DocumentWork], report: IngestReport) -> None:
        if not group:
            return
        try:
            self._write(group, report)
        except StoreAccessError:
            raise  # the user may not write: waiting changes nothing; the run stops and says so
        except StoreUnavailableError as gone:
            began = time.monotonic()
            back = self._store_came_back()
            report.waited_for_store_s += time.monotonic() - began
            if not back:
                raise StoreGoneError(
                    f"The graph store went away while writing and did not answer again within "
                    f"{self.store_wait_s:g} s ({gone}). {report.count('loaded') + report.count('replaced')} "
                    "document(s) of this run were written; start the store and run the same command again: "
                    "it resumes with the documents not yet written (KG_INGEST__STORE_WAIT_S waits longer)."
                ) from gone
            written = {id(o) for o in report.outcomes}
            rest = [w for w in group if id(w.outcome) not in written]  # documents not yet written or failed
            self._write(rest, report)  # the store is back: written once more (upserts merge, nothing doubles)

    def _store_came_back(self) -> bool:
        """Poll the store until it answers a trivial read, for at most ``store_wait_s``."""
        deadline = time.monotonic() + self.store_wait_s
        while time.monotonic() < deadline:
            try:
                self.kg.store.read("RETURN 1 AS ok")
                return True
            except StoreUnavailableError:
                time.sleep(self.POLL_S)
        return False

    def _write(self, group: list[DocumentWork], report: IngestReport) -> None:
        try:
            batches = [(w, document_batch(w, masking=self.masking)) for w in group]
            for w, _ in batches:
                if w.replaces:
                    self.kg.store.delete_document(w.record.doc_id)
            self.kg.store.upsert(
                FactBatch(
                    nodes=[n for _, b in batches for n in b.nodes],
                    edges=[e for _, b in batches for e in b.edges],
                    documents=[d for _, b in batches for d in b.documents],
                    chunks=[c for _, b in batches for c in b.chunks],
                    chunk_mentions=[m for _, b in batches for m in b.chunk_mentions],
                )
            )
            self._done(batches, report)
        except StoreUnavailableError:
            raise  # not the documents' fault: run() waits for the store
        except (KGError, ValidationError) as e:
            if len(group) == 1:
                fail_document(group[0], f"{group[0].outcome.path}: not written: {e}", report, self.manifest)
                return
            for w in group:  # isolate the document that cannot be written; the others go in
                self._write([w], report)

    def _done(self, batches: list[tuple[DocumentWork, FactBatch]], report: IngestReport) -> None:
        records = []
        for w, b in batches:
            w.outcome.state = "replaced" if w.replaces else "loaded"
            w.outcome.nodes, w.outcome.edges = len({n.id for n in b.nodes}), len({e.id for e in b.edges})
            records.append(updated_record(w.record, state="done", facts=w.outcome.nodes + w.outcome.edges))
            report.outcomes.append(w.outcome)
        self.manifest.record(records)
