"""Stage 2 on a cluster: the groups a local run would read, sent to the cluster's workers in order, and
yielded as documents whose chunks the workers already extracted.

Example:
    >>> for group in ClusterReader(manifest, options, pool).run(todo, report):  # doctest: +SKIP
    ...     print([w.extracted is not None for w in group])
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from typing import Protocol

from kg.ingest.manifest import Manifest
from kg.ingest.pipeline.document_reader import admit, slices
from kg.ingest.pipeline.document_work import DocumentWork, PendingDocument
from kg.ingest.pipeline.group_worker import WorkedGroup
from kg.ingest.pipeline.ingest_options import IngestOptions
from kg.ingest.pipeline.ingest_report import IngestReport


class GroupPool(Protocol):
    """Workers that read, prepare and extract groups of documents, results in the order sent."""

    def map_ordered(
        self, parts: Iterable[list[PendingDocument]]
    ) -> Iterator[tuple[list[PendingDocument], WorkedGroup]]: ...


class ClusterReader:
    """Yields the same groups as :class:`~kg.ingest.pipeline.document_reader.DocumentReader`, read and
    extracted by ``pool``.

    Time the driver waits for the cluster goes to ``report.stages["cluster_wait"]``; the workers' own
    seconds to ``worker_read``, ``worker_prepare`` and ``worker_extract`` (summed over workers).
    """

    def __init__(self, manifest: Manifest, options: IngestOptions, pool: GroupPool):
        self.manifest = manifest
        self.options = options
        self.pool = pool

    def run(self, todo: list[PendingDocument], report: IngestReport) -> Iterator[list[DocumentWork]]:
        if not todo:
            return
        results = self.pool.map_ordered(slices(todo, self.options.group_documents))
        while True:
            t = time.perf_counter()
            item = next(results, None)
            report.stages["cluster_wait"] = report.stages.get("cluster_wait", 0.0) + time.perf_counter() - t
            if item is None:
                return
            part, worked = item
            for stage, s in worked.seconds.items():
                report.stages[f"worker_{stage}"] = report.stages.get(f"worker_{stage}", 0.0) + s
            group: list[DocumentWork] = []
            for pending, doc in zip(part, worked.documents, strict=True):
                w = admit(pending, doc.content, doc.error, report, self.manifest)
                if w is None:
                    continue
                if doc.texts is not None:
                    w.extracted = (doc.texts, doc.results)
                group.append(w)
            if group:
                yield group
