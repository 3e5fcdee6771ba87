"""Stage 2, read: the documents triage kept, in reader processes for larger batches, yielded in groups.

A document that cannot be read (a clear reason from its reader, or an unexpected reader error) fails alone
and is recorded in the manifest; the others go on.

Example:
    >>> read_one("no/such/file.txt", 1 << 20)[1] is None
    True
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import get_context
from pathlib import Path

from kg.core.errors import KGError
from kg.documents import DocumentContent, read_document
from kg.ingest.manifest import Manifest
from kg.ingest.pipeline.document_work import DocumentWork, PendingDocument, updated_record
from kg.ingest.pipeline.ingest_options import IngestOptions
from kg.ingest.pipeline.ingest_report import DocumentOutcome, IngestReport


def read_one(path: str, max_bytes: int) -> tuple[str, DocumentContent | None, str]:
    """``(path, content, "")``, or ``(path, None, why)`` when the file cannot be read."""
    try:
        return path, read_document(Path(path), max_bytes=max_bytes), ""
    except KGError as e:
        return path, None, str(e)
    except Exception as e:  # one unreadable document must not stop the batch
        return path, None, f"{path}: the reader failed unexpectedly ({type(e).__name__}: {e})"


def read_all(
    paths: list[str], max_bytes: int, workers: int
) -> Iterator[tuple[str, DocumentContent | None, str]]:
    """Read in ``workers`` processes (in order, a few ahead); inline when 0 or when the pool cannot start
    (e.g. a calling script without the ``if __name__ == "__main__"`` guard that ``spawn`` needs)."""
    done = 0
    if workers:
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn"))
        try:
            for item in pool.map(read_one, paths, [max_bytes] * len(paths), chunksize=4):
                done += 1
                yield item
        except BrokenProcessPool:
            pass  # finish inline below
        finally:
            pool.shutdown(cancel_futures=True)
    for path in paths[done:]:
        yield read_one(path, max_bytes)


def admit(
    pending: PendingDocument,
    content: DocumentContent | None,
    error: str,
    report: IngestReport,
    manifest: Manifest,
) -> DocumentWork | None:
    """The document as work for the next stages, or None when it could not be read (reported, recorded)."""
    rec = pending.record
    outcome = DocumentOutcome(path=pending.shown, doc_id=rec.doc_id)
    if content is None:
        outcome.state, outcome.reason = "failed", error
        report.outcomes.append(outcome)
        manifest.record([updated_record(rec, state="failed", reason=error)])
        return None
    rec = updated_record(rec, reader=content.reader, encoding=content.encoding)
    return DocumentWork(outcome, rec, content, pending.replaces)


def slices(todo: list[PendingDocument], size: int) -> list[list[PendingDocument]]:
    """The groups a run works in: consecutive slices of ``size`` pending documents (a group holds fewer
    when some cannot be read). Local and cluster runs cut the same groups, so the model reads the same
    batches and the graphs are identical."""
    return [todo[i : i + size] for i in range(0, len(todo), size)]


class DocumentReader:
    """Reads the pending documents and yields them in groups (:func:`slices` of ``options.group_documents``).

    Read failures go into ``report`` (and the manifest) as they happen; read time into
    ``report.stages["read"]``.

    Example:
        >>> for group in DocumentReader(manifest, IngestOptions()).run(todo, report):  # doctest: +SKIP
        ...     print([w.outcome.path for w in group])
    """

    def __init__(self, manifest: Manifest, options: IngestOptions):
        self.manifest = manifest
        self.options = options

    def run(self, todo: list[PendingDocument], report: IngestReport) -> Iterator[list[DocumentWork]]:
        max_bytes = int(self.options.max_document_mb * 2**20)
        workers = self.options.workers or (min(2, os.cpu_count() or 1) if len(todo) >= 16 else 0)
        read = read_all([p.record.path for p in todo], max_bytes, workers)
        for part in slices(todo, self.options.group_documents):
            group: list[DocumentWork] = []
            for pending in part:
                t_read = time.perf_counter()
                _, content, error = next(read)
                report.stages["read"] += time.perf_counter() - t_read
                w = admit(pending, content, error, report, self.manifest)
                if w is not None:
                    group.append(w)
            if group:
                yield group
