"""The :class:`Ingestor`: wires the pipeline's stages and runs them, a group of documents at a time.

Each stage is a component with one ``run()`` in its own module (see :mod:`kg.ingest.pipeline`); the
ingestor only passes documents from one to the next, takes failed documents out of the group, and times
the stages.

Example:
    >>> with open_knowledge_graph(settings) as kg:                         # doctest: +SKIP
    ...     report = Ingestor(kg, Manifest(settings.store.data_dir / "ingest.sqlite")).run([Path("docs")])
"""

from __future__ import annotations

import resource
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, Protocol

from extractors.base import EntityRelationExtractor
from kg.core.errors import StoreUnavailableError
from kg.graph.knowledge_graph import KnowledgeGraph
from kg.ingest.gazetteer import Gazetteer
from kg.ingest.language import LanguageGate
from kg.ingest.manifest import Manifest
from kg.ingest.pipeline.batch_extractor import BatchExtractor
from kg.ingest.pipeline.document_preparer import DocumentPreparer
from kg.ingest.pipeline.document_reader import DocumentReader
from kg.ingest.pipeline.document_work import DOCUMENT_ERRORS, DocumentWork, PendingDocument, fail_document
from kg.ingest.pipeline.document_writer import DocumentWriter
from kg.ingest.pipeline.fact_builder import FactBuilder
from kg.ingest.pipeline.gazetteer_linker import ChunkMentions, GazetteerLinker
from kg.ingest.pipeline.graph_names import gazetteer_entries, known_entities
from kg.ingest.pipeline.ingest_options import IngestOptions, Masker, Normaliser, Resolver
from kg.ingest.pipeline.ingest_report import IngestReport, ProgressFn
from kg.ingest.pipeline.resolve_step import MentionResolver, TableNameResolver
from kg.ingest.pipeline.review_gate import ReviewGate
from kg.ingest.pipeline.table_facts import TableFactLoader
from kg.ingest.pipeline.triage import Triage
from kg.ingest.pipeline.work_orders import WorkOrderReader


class GroupReader(Protocol):
    """Stage 2: the pending documents, read, in groups (:class:`DocumentReader`, or a cluster's)."""

    def run(self, todo: list[PendingDocument], report: IngestReport) -> Iterator[list[DocumentWork]]: ...


class Ingestor:
    """Runs ingestion against one knowledge graph and manifest. See :mod:`kg.ingest.pipeline`.

    Example:
        >>> Ingestor(kg, manifest, extractor=load_extractor).run([Path("docs")]).summary()  # doctest: +SKIP
    """

    def __init__(
        self,
        kg: KnowledgeGraph,
        manifest: Manifest,
        *,
        extractor: EntityRelationExtractor | Callable[[], EntityRelationExtractor] | None = None,
        resolver: Resolver | None = None,
        normaliser: Normaliser | None = None,
        masker: Masker | None = None,
        gazetteer: Gazetteer | None = None,
        options: IngestOptions | None = None,
        progress: ProgressFn | None = None,
        reader: GroupReader | None = None,
    ):
        self.kg = kg
        self.manifest = manifest
        self.resolver = resolver
        self.normaliser = normaliser
        self.masker = masker
        self.gazetteer = gazetteer
        self.options = options or IngestOptions()
        self.progress = progress
        self.triage = Triage(manifest, self.options)
        self.reader = reader or DocumentReader(manifest, self.options)  # or kg.ingest.cluster's
        self.preparer = DocumentPreparer(
            manifest,
            masker,
            TableFactLoader(kg, self.options),
            WorkOrderReader(normaliser),
            LanguageGate(self.options.languages),
        )
        self.table_names = TableNameResolver(resolver, manifest)
        self.batch_extractor = BatchExtractor(extractor)
        self.linker = GazetteerLinker(gazetteer)
        self.mention_resolver = MentionResolver(resolver, kg)
        self.fact_builder = FactBuilder(
            kg, manifest, resolver, ReviewGate(kg, manifest), self.batch_extractor
        )
        self.writer = DocumentWriter(
            kg, manifest, masking=masker is not None, store_wait_s=self.options.store_wait_s
        )

    def extractor(self) -> EntityRelationExtractor | None:
        """The extractor, built on first call when it was given as a factory."""
        return self.batch_extractor.extractor()

    def run(self, paths: Sequence[Path]) -> IngestReport:
        t0 = time.perf_counter()
        report = IngestReport()
        triaged = self.triage.run(paths)
        report.outcomes += triaged.settled
        todo = triaged.todo
        self._emit("start", {"documents": triaged.found, "to_read": len(todo)})
        done = 0
        try:
            for group in self.reader.run(todo, report):
                self._process(group, report)
                done += len(group)
                elapsed = time.perf_counter() - t0
                self._emit("progress", {"done": done, "total": len(todo), "elapsed": elapsed})
        except StoreUnavailableError as e:  # the store went away: stop; what is not written stays pending
            report.stopped = str(e)
        report.seconds = time.perf_counter() - t0
        report.peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        return report

    def _emit(self, kind: str, info: dict[str, Any]) -> None:
        if self.progress:
            self.progress(kind, info)

    def _each(
        self, group: list[DocumentWork], report: IngestReport, step: Callable[[DocumentWork], None]
    ) -> list[DocumentWork]:
        """Run ``step`` on each document; one that fails is reported and left out of what is returned."""
        for w in group:
            try:
                step(w)
            except StoreUnavailableError:
                raise  # no document is to blame: the run stops (see run())
            except DOCUMENT_ERRORS as e:
                fail_document(w, f"{w.outcome.path}: {e}", report, self.manifest)
        return [w for w in group if w.outcome.state != "failed"]

    def _process(self, group: list[DocumentWork], report: IngestReport) -> None:
        t = time.perf_counter()
        group = self._each(group, report, self.preparer.run)
        self.table_names.run(group)
        self.linker.learn_tables(group)
        report.stages["resolve"] += time.perf_counter() - t
        t = time.perf_counter()
        extractions = self.batch_extractor.run(group)
        report.stages["extract"] += time.perf_counter() - t
        t = time.perf_counter()
        found: dict[int, list[ChunkMentions]] = {}  # gazetteer and spans once per chunk, used twice

        def link(w: DocumentWork) -> None:
            found[id(w)] = self.linker.run(w, extractions.of(w))

        group = self._each(group, report, link)
        resolved = self.mention_resolver.run(group, found)
        group = self._each(group, report, lambda w: self.fact_builder.run(w, found[id(w)], resolved))
        report.stages["resolve"] += time.perf_counter() - t
        t = time.perf_counter()
        self.writer.run(group, report)
        self._learn_written(group)
        report.stages["write"] += time.perf_counter() - t

    def _learn_written(self, group: list[DocumentWork]) -> None:
        """The entities the group wrote, read back as the graph now holds them (every alias so far), for
        the resolver and the gazetteer: the next group knows what a run started now would read."""
        if self.resolver is None and self.gazetteer is None:
            return
        ids = sorted({n.id for w in group if w.outcome.state != "failed" for n in w.batch_nodes})
        rows = list(self.kg.entity_names(ids=ids)) if ids else []
        if self.resolver is not None:
            for entity in known_entities(self.kg, rows):
                self.resolver.add(entity)
        self.linker.learn_written(gazetteer_entries(self.kg, rows))
