"""Batch ingestion: files → documents → chunks → extraction → resolution → ontology check → graph.

``Ingestor(kg, manifest, ...).run(paths)`` is what ``kg ingest`` and the API call. Per run:

1. **Discover** the files (recursively if asked); symlink loops, broken links and missing paths are
   reported, not fatal.
2. **Skip what is already loaded**: a file whose content hash the manifest records as ``done`` is
   unchanged (re-ingest reads and hashes, nothing more); the same content under a second name is a
   ``duplicate`` and adds nothing.
3. **Read** (worker processes for larger batches): text, tables, encoding decision — or a clear reason why
   not, which fails that document only.
4. **Turn into facts**: tables of a known kind (equipment, BOM, FMEA) become facts without the model; the
   descriptions of work-order tables, other tables' rows and prose are chunked (spaCy sentences, exact
   offsets), work-order texts normalised, personal data masked when configured, and read by the extractor
   in batches across documents. Mentions are resolved to existing entities (canonical keys, aliases,
   fuzzy and embedding similarity; every merge recorded) and relations mapped to the ontology's edges;
   an edge the ontology refuses goes to the review queue.
5. **Write** each group of documents in one batch (a changed document's old version is removed first:
   facts only it supported go, shared facts stay), then mark the group ``done`` in the manifest. A run
   killed at any point redoes only unfinished documents, and redoing is idempotent.

Example:
    >>> with open_knowledge_graph(settings) as kg:                         # doctest: +SKIP
    ...     report = Ingestor(kg, Manifest(settings.store.data_dir / "ingest.sqlite")).run([Path("docs")])
    >>> report.summary()                                                     # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
import os
import re
import resource
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from datetime import date
from multiprocessing import get_context
from pathlib import Path
from typing import Any, Protocol

from pydantic import ValidationError

from extractors.base import EntityRelationExtractor
from extractors.types import ChunkExtraction, Mention, TextChunk
from kg.core.errors import BadInputError, KGError, OntologyError
from kg.core.facts import (
    ChunkInfo,
    ChunkMention,
    DocumentInfo,
    EdgeFact,
    Evidence,
    FactBatch,
    NodeFact,
    PropertyValue,
)
from kg.core.keys import normalise_name
from kg.documents import DocumentContent, Table, read_document
from kg.graph.knowledge_graph import KnowledgeGraph
from kg.ingest.chunking import split_text
from kg.ingest.discover import discover
from kg.ingest.gazetteer import COMPATIBLE, Gazetteer, GazetteerMatch
from kg.ingest.manifest import DocumentRecord, Manifest
from kg.ingest.mapping import graph_relation, looks_like_code, refine_label
from kg.store.plan import now_iso
from kg.tables.csv_table import ColumnMapping, normalise_header
from kg.tables.structured import EXTRACTOR as TABLE_EXTRACTOR
from kg.tables.structured import load_rows

ProgressFn = Callable[[str, dict[str, Any]], None]
GAZETTEER = "gazetteer@1"
#: classes whose table names go through entity resolution (codes such as tags and part numbers are keys)
RESOLVED_TABLE_LABELS = frozenset({"Supplier", "Manufacturer", "Organization", "Site", "Material"})

#: header spellings of a maintenance work-order table (compared after normalise_header)
WORK_ORDER_COLUMNS: dict[str, tuple[str, ...]] = {
    "asset": ("asset", "asset_tag", "equipment", "equipment_tag", "tag", "functional_location", "asset_id"),
    "description": ("description", "short_text", "work_description", "problem", "text", "notes"),
    "date": ("date", "reported", "created", "start_date", "reported_date"),
    "work_order": ("work_order", "wo", "wo_number", "order", "order_no", "work_order_no", "notification"),
    "technician": ("technician", "tech", "performed_by", "assigned_to", "reported_by"),
}


class Resolver(Protocol):
    """What the pipeline needs from entity resolution (:class:`kg.ingest.resolve.EntityResolver`)."""

    def resolve(self, label: str, surfaces: Sequence[str]) -> list[Any]: ...

    def add(self, entity: Any) -> None: ...


class Normaliser(Protocol):
    def __call__(self, text: str) -> Any: ...


class Masker(Protocol):
    def __call__(self, text: str, *, extra_names: Sequence[str] = ()) -> Any: ...


@dataclass
class IngestOptions:
    recursive: bool = False
    max_document_mb: float = 25.0
    group_documents: int = 32  # documents extracted and written together: bounds memory per step
    workers: int = 0  # reader processes; 0 = automatic (none for small batches)
    mapping: ColumnMapping | None = None
    force: bool = False  # re-read documents even when the manifest says they are unchanged


@dataclass
class DocumentOutcome:
    path: str
    doc_id: str = ""
    state: str = "loaded"  # loaded | replaced | unchanged | duplicate | failed
    reason: str = ""
    nodes: int = 0
    edges: int = 0
    review: int = 0
    chunks: int = 0
    warnings: list[str] = field(default_factory=list)


@dataclass
class IngestReport:
    outcomes: list[DocumentOutcome] = field(default_factory=list)
    seconds: float = 0.0
    stages: dict[str, float] = field(
        default_factory=lambda: dict.fromkeys(("read", "extract", "resolve", "write"), 0.0)
    )
    peak_rss_mb: float = 0.0

    @property
    def failed(self) -> list[DocumentOutcome]:
        return [o for o in self.outcomes if o.state == "failed"]

    def count(self, state: str) -> int:
        return sum(1 for o in self.outcomes if o.state == state)

    @property
    def facts(self) -> int:
        return sum(o.nodes + o.edges for o in self.outcomes)

    def summary(self) -> dict[str, Any]:
        done = [o for o in self.outcomes if o.state in ("loaded", "replaced")]
        return {
            "documents": len(self.outcomes),
            **{s: self.count(s) for s in ("loaded", "replaced", "unchanged", "duplicate", "failed")},
            "facts": self.facts,
            "review": sum(o.review for o in self.outcomes),
            "seconds": round(self.seconds, 2),
            "documents_per_min": round(len(done) / self.seconds * 60, 1) if self.seconds else 0.0,
            "facts_per_s": round(self.facts / self.seconds, 1) if self.seconds else 0.0,
            "stages_s": {k: round(v, 2) for k, v in self.stages.items()},
            "peak_rss_mb": round(self.peak_rss_mb, 1),
        }


@dataclass
class _Work:
    """One document on its way through the pipeline."""

    outcome: DocumentOutcome
    record: DocumentRecord
    content: DocumentContent
    replaces: bool
    batch_nodes: list[NodeFact] = field(default_factory=list)
    batch_edges: list[EdgeFact] = field(default_factory=list)
    chunks: list[_Chunk] = field(default_factory=list)
    rows: list[tuple[int, int]] = field(default_factory=list)  # table row spans (chunks without the model)
    row_meta: dict[tuple[int, int], dict[str, str]] = field(default_factory=dict)  # work-order number, date
    mentions: list[ChunkMention] = field(default_factory=list)
    masked: dict[str, int] = field(default_factory=dict)  # personal data masked, per kind


@dataclass
class _Chunk:
    """Text for the extractor and how its spans map back into the document."""

    text: str
    offset: int  # where the original span of this chunk starts in the document text
    length: int = -1  # length of the original span (differs from len(text) once normalised)
    to_original: Callable[[int, int], tuple[int, int]] | None = None  # normalised → original (chunk-relative)
    asset: NodeFact | None = None  # the work order's asset, for WO descriptions


@dataclass
class _ChunkMentions:
    index: int  # position of the chunk in its document's chunk list
    chunk: _Chunk
    result: ChunkExtraction
    spans: list[tuple[int, int]]  # document offsets
    labels: list[str]  # ontology classes
    surfaces: list[str]
    links: list[GazetteerMatch | None]  # known entity a mention is, by name
    extra: list[GazetteerMatch]  # known entities found by name that the model did not mark


def document_id(real_path: Path) -> str:
    """Stable per file location: ``<file name>#<8 hex of the resolved path>`` (a new version keeps it)."""
    digest = hashlib.sha1(str(real_path).encode()).hexdigest()[:8]
    return f"{real_path.name.replace('|', '_')}#{digest}"


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _read_one(path: str, max_bytes: int) -> tuple[str, DocumentContent | None, str]:
    try:
        return path, read_document(Path(path), max_bytes=max_bytes), ""
    except KGError as e:
        return path, None, str(e)
    except Exception as e:  # one unreadable document must not stop the batch
        return path, None, f"{path}: the reader failed unexpectedly ({type(e).__name__}: {e})"


def _read_all(
    paths: list[str], max_bytes: int, workers: int
) -> Iterator[tuple[str, DocumentContent | None, str]]:
    """Read in ``workers`` processes (in order, a few ahead); inline when 0 or when the pool cannot start
    (e.g. a calling script without the ``if __name__ == "__main__"`` guard that ``spawn`` needs)."""
    done = 0
    if workers:
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn"))
        try:
            for item in pool.map(_read_one, paths, [max_bytes] * len(paths), chunksize=4):
                done += 1
                yield item
        except BrokenProcessPool:
            pass  # finish inline below
        finally:
            pool.shutdown(cancel_futures=True)
    for path in paths[done:]:
        yield _read_one(path, max_bytes)


class Ingestor:
    """Runs ingestion against one knowledge graph and manifest. See the module docstring."""

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
    ):
        self.kg = kg
        self.manifest = manifest
        self._extractor = extractor
        self.resolver = resolver
        self.normaliser = normaliser
        self.masker = masker
        self.gazetteer = gazetteer
        self.options = options or IngestOptions()
        self.progress = progress
        self._items: dict[str, str] = {}
        self._items_loaded = False

    # -- the run ------------------------------------------------------------------------------------
    def run(self, paths: Sequence[Path]) -> IngestReport:
        t0 = time.perf_counter()
        report = IngestReport()
        found, problems = discover(list(paths), recursive=self.options.recursive)
        for p in problems:
            report.outcomes.append(DocumentOutcome(path=str(p.path), state="failed", reason=str(p)))
        todo = self._triage(found, report)
        self._emit("start", {"documents": len(found), "to_read": len(todo)})
        done = 0
        for group in self._groups(todo, report):
            self._process(group, report)
            done += len(group)
            elapsed = time.perf_counter() - t0
            self._emit("progress", {"done": done, "total": len(todo), "elapsed": elapsed})
        report.seconds = time.perf_counter() - t0
        report.peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        return report

    def _emit(self, kind: str, info: dict[str, Any]) -> None:
        if self.progress:
            self.progress(kind, info)

    def _triage(self, found: Sequence[Any], report: IngestReport) -> list[tuple[str, DocumentRecord, bool]]:
        """Hash each file; skip unchanged ones and same-content duplicates. Returns what must be read."""
        todo: list[tuple[str, DocumentRecord, bool]] = []
        seen_hashes: dict[str, str] = {}
        for f in found:
            real = str(f.real)
            outcome = DocumentOutcome(path=str(f.path), doc_id=document_id(f.real))
            try:
                stat = os.stat(real)
                sha = file_sha256(f.real)
            except OSError as e:
                outcome.state, outcome.reason = "failed", f"{f.path}: cannot read ({e.strerror or e})"
                report.outcomes.append(outcome)
                continue
            old = self.manifest.document(real)
            if old is not None and old.sha256 == sha and old.state == "done" and not self.options.force:
                outcome.state = "unchanged"
                report.outcomes.append(outcome)
                continue
            twin = seen_hashes.get(sha) or self._done_twin(sha, real)
            if twin is not None:
                outcome.state, outcome.reason = "duplicate", f"same content as {twin}"
                report.outcomes.append(outcome)
                record = DocumentRecord(
                    real, outcome.doc_id, sha, stat.st_size, None, None, "duplicate", outcome.reason, 0, twin,
                    now_iso(),
                )  # fmt: skip
                self.manifest.record([record])
                continue
            seen_hashes[sha] = real
            record = DocumentRecord(
                real, outcome.doc_id, sha, stat.st_size, None, None, "pending", None, 0, None, now_iso()
            )
            replaces = old is not None and old.state == "done"
            todo.append((str(f.path), record, replaces))
        return todo

    def _done_twin(self, sha: str, real: str) -> str | None:
        twin = self.manifest.by_hash(sha)
        return twin.path if twin is not None and twin.path != real else None

    def _groups(
        self, todo: list[tuple[str, DocumentRecord, bool]], report: IngestReport
    ) -> Iterator[list[_Work]]:
        """Read documents (in worker processes for bigger batches) and yield them in groups."""
        max_bytes = int(self.options.max_document_mb * 2**20)
        workers = self.options.workers or (min(2, os.cpu_count() or 1) if len(todo) >= 16 else 0)
        group: list[_Work] = []
        by_path = {rec.path: (shown, rec, replaces) for shown, rec, replaces in todo}
        t_read = time.perf_counter()
        for real, content, error in _read_all(list(by_path), max_bytes, workers):
            report.stages["read"] += time.perf_counter() - t_read
            shown, rec, replaces = by_path[real]
            outcome = DocumentOutcome(path=shown, doc_id=rec.doc_id)
            if content is None:
                outcome.state, outcome.reason = "failed", error
                report.outcomes.append(outcome)
                self.manifest.record([_with(rec, state="failed", reason=error)])
            else:
                rec = _with(rec, reader=content.reader, encoding=content.encoding)
                group.append(_Work(outcome, rec, content, replaces))
            if len(group) >= self.options.group_documents:
                yield group
                group = []
            t_read = time.perf_counter()
        if group:
            yield group

    def _process(self, group: list[_Work], report: IngestReport) -> None:
        t = time.perf_counter()
        for w in group:
            try:
                self._prepare(w)
            except (KGError, ValidationError, ValueError) as e:
                self._fail(w, report, f"{w.outcome.path}: {e}")
        group = [w for w in group if w.outcome.state != "failed"]
        self._canonicalise_tables(group)
        if self.gazetteer is not None:  # this batch's tables name entities its documents mention
            for w in group:
                for n in w.batch_nodes:
                    self.gazetteer.add(n.label, n.name, n.id)
                    if n.key:
                        self.gazetteer.add(n.label, n.key, n.id)
        report.stages["resolve"] += time.perf_counter() - t
        t = time.perf_counter()
        extractions = self._extract(group)
        report.stages["extract"] += time.perf_counter() - t
        t = time.perf_counter()
        found: dict[int, list[_ChunkMentions]] = {}  # gazetteer and spans once per chunk, used twice
        for w in group:
            try:
                found[id(w)] = list(self._mentions(w, extractions.get(id(w), [])))
            except (KGError, ValidationError, ValueError) as e:
                self._fail(w, report, f"{w.outcome.path}: {e}")
        group = [w for w in group if w.outcome.state != "failed"]
        resolved = self._resolve_group(group, found)
        for w in group:
            try:
                self._facts_from_extractions(w, found[id(w)], resolved)
            except (KGError, ValidationError, ValueError) as e:
                self._fail(w, report, f"{w.outcome.path}: {e}")
        group = [w for w in group if w.outcome.state != "failed"]
        report.stages["resolve"] += time.perf_counter() - t
        t = time.perf_counter()
        self._write(group, report)
        report.stages["write"] += time.perf_counter() - t
        if self.gazetteer is not None:  # what this group wrote is known to the next (as after a restart)
            for w in group:
                for n in w.batch_nodes:
                    self.gazetteer.add(n.label, n.name, n.id)

    def _fail(self, w: _Work, report: IngestReport, reason: str) -> None:
        w.outcome.state, w.outcome.reason = "failed", reason
        report.outcomes.append(w.outcome)
        self.manifest.record([_with(w.record, state="failed", reason=reason)])

    # -- documents → chunks and table facts --------------------------------------------------------
    def _prepare(self, w: _Work) -> None:
        if w.replaces:  # the new version's refusals replace the old version's pending ones
            self.manifest.drop_pending_reviews(w.record.doc_id)
        content = w.content
        w.outcome.warnings += [f"{w.outcome.path}: {x}" for x in content.warnings]
        original = content.text
        if self.masker is not None:
            masked = self.masker(original, extra_names=_technicians(content.tables))
            w.content = _replace_text(content, masked.text)  # same length: every offset stays valid
            kinds: dict[str, int] = {}
            for m in masked.maskings:
                kinds[m.kind] = kinds.get(m.kind, 0) + 1
            w.masked = kinds
        used_rows = False
        cursor = 0
        for table in content.tables:
            spans, cursor = _row_spans(original, table, cursor)
            if _is_work_orders(table):
                self._work_orders(w, table, spans, original)
                used_rows = True
                continue
            try:
                loaded = load_rows(
                    content.path,
                    w.record.doc_id,
                    table.header,
                    [(n, s, e, r) for n, (s, e), r in zip(table.row_numbers, spans, table.rows, strict=True)],
                    mapping=self.options.mapping,
                    item_labels=self._item_labels(),
                )
            except BadInputError:
                continue  # not a known table kind: its rows are read as text below
            used_rows = True
            w.rows += [(s, e) for s, e in spans if e > s]
            for n in loaded.batch.nodes:  # FMEA items later in the batch are typed by these tags/numbers
                if n.label in ("Equipment", "Part") and n.key is not None:
                    self._items.setdefault(n.id.split(":", 1)[1], n.label)
            w.batch_nodes += loaded.batch.nodes
            w.batch_edges += loaded.batch.edges
            w.outcome.warnings += [f"{w.outcome.path}: {e}" for e in loaded.errors]
        if used_rows:
            return
        tabular = content.reader in ("csv", "xlsx", "json") and bool(content.tables)
        for chunk in split_text(w.content.text, doc_id=w.record.doc_id, lines=tabular):
            w.chunks.append(_Chunk(chunk.text, chunk.offset, len(chunk.text)))

    def _item_labels(self) -> dict[str, str]:
        """Known equipment tags and part numbers (key -> label): the graph's, then this run's."""
        if not self._items_loaded:
            self._items_loaded = True
            for r in self.kg.entity_names():
                label = next((x for x in r["labels"] if x in ("Equipment", "Part")), None)
                if label:
                    self._items.setdefault(r["id"].split(":", 1)[1], label)
        return self._items

    def _work_orders(self, w: _Work, table: Table, spans: list[tuple[int, int]], original: str) -> None:
        cols = _work_order_columns(table.header)
        text = w.content.text  # masked when masking is on; same offsets as ``original``
        for row, (start, end) in zip(table.rows, spans, strict=True):
            asset_tag = row[cols["asset"]].strip() if "asset" in cols else ""
            description = " ".join(row[cols["description"]].splitlines())  # as the reader renders it
            ev = Evidence(
                doc_id=w.record.doc_id, start=start, end=end, extractor=TABLE_EXTRACTOR, confidence=1.0
            )
            if end > start:
                w.rows.append((start, end))
                w.row_meta[(start, end)] = _work_order_meta(row, cols)
            asset = None
            if asset_tag:
                asset = NodeFact(label="Equipment", name=asset_tag, key=asset_tag, evidence=[ev])
                w.batch_nodes.append(asset)
            if not description.strip():
                continue
            at = original.find(description, start, end) if end > start else -1
            if at < 0:
                continue  # the rendering lost the cell (should not happen): its text cannot be cited
            chunk = _Chunk(text[at : at + len(description)], at, len(description), asset=asset)
            if self.normaliser is not None:
                norm = self.normaliser(chunk.text)
                chunk.text, chunk.to_original = norm.text, norm.to_original
            w.chunks.append(chunk)

    def _canonicalise_tables(self, group: list[_Work]) -> None:
        """Table facts go through entity resolution too: "SKF Group" in a BOM joins the SKF entity."""
        if self.resolver is None:
            return
        wanted: dict[str, dict[str, None]] = {}
        for w in group:
            for n in w.batch_nodes:
                if n.label in RESOLVED_TABLE_LABELS:
                    wanted.setdefault(n.label, {})[n.name] = None
        resolved: dict[tuple[str, str], Any] = {}
        for label, unique in wanted.items():
            names = list(unique)
            for name, res in zip(names, self.resolver.resolve(label, names), strict=True):
                resolved[(label, name)] = res
                if res.method == "new":
                    from kg.ingest.resolve import KnownEntity

                    self.resolver.add(KnownEntity(id=res.id, label=label, name=name))
        for w in group:
            renamed: dict[str, str] = {}
            nodes = []
            for n in w.batch_nodes:
                res = resolved.get((n.label, n.name))
                if res is None or res.id == n.id:
                    nodes.append(n)
                    continue
                renamed[n.id] = res.id
                nodes.append(n.model_copy(update={"canonical_id": res.id, "key": None}))
                if res.method not in ("new", "exact"):
                    self.manifest.record_merges(
                        [(w.record.doc_id, n.label, n.name, res.id, res.method, float(res.score))]
                    )
            w.batch_nodes = nodes
            w.batch_edges = [
                e.model_copy(
                    update={
                        "source": renamed.get(e.source, e.source),
                        "target": renamed.get(e.target, e.target),
                    }
                )
                for e in w.batch_edges
            ]

    # -- extraction ---------------------------------------------------------------------------------
    def extractor(self) -> EntityRelationExtractor | None:
        if self._extractor is not None and not isinstance(self._extractor, EntityRelationExtractor):
            self._extractor = self._extractor()  # built on first need: table-only batches never load it
        return self._extractor

    def _extract(self, group: list[_Work]) -> dict[int, list[ChunkExtraction]]:
        pending = [(w, c) for w in group for c in w.chunks]
        if not pending:
            return {}
        ex = self.extractor()
        if ex is None:
            return {}
        results = ex.extract([TextChunk(text=c.text, doc_id=w.record.doc_id) for w, c in pending])
        out: dict[int, list[ChunkExtraction]] = {}
        for (w, _), r in zip(pending, results, strict=True):
            out.setdefault(id(w), []).append(r)
        return out

    def _mentions(self, w: _Work, results: list[ChunkExtraction]) -> Iterator[_ChunkMentions]:
        """Per chunk: document spans, ontology labels and cleaned surfaces of the model's mentions, with
        mentions linked to known entities by the gazetteer, and known entities the model missed."""
        text = w.content.text
        for index, (chunk, result) in enumerate(zip(w.chunks, results, strict=True)):
            spans = [self._doc_span(chunk, m) for m in result.mentions]
            manufactured = {r.tail for r in result.relations if r.label == "manufacturedBy"}
            surfaces = [" ".join(text[s:e].split()) for s, e in spans]
            labels = [
                refine_label(m.label, surface, manufactured=i in manufactured)
                for i, (m, surface) in enumerate(zip(result.mentions, surfaces, strict=True))
            ]
            links: list[GazetteerMatch | None] = [None] * len(spans)
            extra: list[GazetteerMatch] = []
            if self.gazetteer is not None:
                start = chunk.offset
                for g in self.gazetteer.find(text[start : start + chunk.length]):
                    g = replace(g, start=g.start + start, end=g.end + start)
                    hits = [
                        i
                        for i, ((s, e), m) in enumerate(zip(spans, result.mentions, strict=True))
                        if s < g.end and g.start < e and g.label in COMPATIBLE.get(m.label, ())
                        and links[i] is None
                    ]  # fmt: skip
                    if not hits:
                        extra.append(g)
                        continue
                    for i in hits:  # the model's mention is that known entity
                        links[i], spans[i], labels[i], surfaces[i] = g, (g.start, g.end), g.label, g.surface
            yield _ChunkMentions(index, chunk, result, spans, labels, surfaces, links, extra)

    def _resolve_group(
        self, group: list[_Work], found: dict[int, list[_ChunkMentions]]
    ) -> dict[tuple[str, str], Any]:
        """Resolve every (label, surface) of the group in one call per label (one encoder pass)."""
        if self.resolver is None:
            return {}
        wanted: dict[str, dict[str, None]] = {}
        for w in group:
            for cm in found[id(w)]:
                for label, surface, link in zip(cm.labels, cm.surfaces, cm.links, strict=True):
                    if link is None and normalise_name(surface) and label in self.kg.schema.labels:
                        wanted.setdefault(label, {})[surface] = None
        out: dict[tuple[str, str], Any] = {}
        for label, unique in wanted.items():
            names = list(unique)
            for surface, res in zip(names, self.resolver.resolve(label, names), strict=True):
                out[(label, surface)] = res
        return out

    def _facts_from_extractions(
        self, w: _Work, found: list[_ChunkMentions], resolved: dict[tuple[str, str], Any]
    ) -> None:
        ex = self.extractor() if found else None
        version = (ex.version if ex is not None else "extractor").replace("|", "_")
        doc_id = w.record.doc_id
        for cm in found:
            chunk, result, spans, labels = cm.chunk, cm.result, cm.spans, cm.labels
            chunk_id = f"{doc_id}:{cm.index}"
            nodes: list[NodeFact | None] = []
            for m, (s, e), label, surface, link in zip(
                result.mentions, spans, labels, cm.surfaces, cm.links, strict=True
            ):
                if not normalise_name(surface) or label not in self.kg.schema.labels:
                    # blank after cleaning, or a class the ontology lacks (a model trained on other labels)
                    nodes.append(None)
                    continue
                ev = Evidence(doc_id=doc_id, start=s, end=e, extractor=version, confidence=_conf(m.score))
                if link is not None:  # linked to a known entity by name
                    node = NodeFact(label=label, name=surface, canonical_id=link.entity_id, evidence=[ev])
                else:
                    node = self._node(doc_id, label, surface, ev, resolved.get((label, surface)))
                nodes.append(node)
                w.mentions.append(ChunkMention(entity_id=node.id, chunk_id=chunk_id, spans=[f"{s}-{e}"]))
            for g in cm.extra:  # known entities the model did not mark
                ev = Evidence(doc_id=doc_id, start=g.start, end=g.end, extractor=GAZETTEER, confidence=0.9)
                known = NodeFact(label=g.label, name=g.surface, canonical_id=g.entity_id, evidence=[ev])
                w.batch_nodes.append(known)
                w.mentions.append(
                    ChunkMention(entity_id=known.id, chunk_id=chunk_id, spans=[f"{g.start}-{g.end}"])
                )
            w.batch_nodes += [n for n in nodes if n is not None]
            linked: set[int] = set()
            for r in result.relations:
                head, tail = nodes[r.head], nodes[r.tail]
                mapped = graph_relation(r.label, labels[r.head])
                if head is None or tail is None or mapped is None:
                    continue
                rel_type, reverse = mapped
                source, target = (tail, head) if reverse else (head, tail)
                if rel_type == "SUPPLIED_BY" and target.id.startswith("Manufacturer:"):
                    target = self._supplier_account(w, target)
                s = min(spans[r.head][0], spans[r.tail][0])
                e = max(spans[r.head][1], spans[r.tail][1])
                ev = Evidence(doc_id=doc_id, start=s, end=e, extractor=version, confidence=_conf(r.score))
                self._edge(w, source, rel_type, target, ev)
                linked.update((r.head, r.tail))
            if chunk.asset is not None:  # a work order: its failures and activities concern its asset
                for i, mentioned in enumerate(nodes):
                    if mentioned is None or i in linked:
                        continue
                    if mentioned.label == "FailureMode":
                        self._edge(w, chunk.asset, "HAS_FAILURE_MODE", mentioned, mentioned.evidence[0])
                    elif mentioned.label == "MaintenanceActivity":
                        self._edge(w, mentioned, "PERFORMED_ON", chunk.asset, mentioned.evidence[0])
        w.outcome.chunks = len(w.chunks)

    def _supplier_account(self, w: _Work, brand: NodeFact) -> NodeFact:
        """A manufacturer named as a source ("impeller from KSB") is the brand's one supplier account,
        when entity resolution knows exactly one; else the manufacturer itself."""
        account = getattr(self.resolver, "supplier_account", None)
        found = account(brand.id) if account is not None else None
        if found is None:
            return brand
        node = NodeFact(label="Supplier", name=brand.name, canonical_id=found, evidence=brand.evidence)
        w.batch_nodes.append(node)
        return node

    def _doc_span(self, chunk: _Chunk, m: Mention) -> tuple[int, int]:
        s, e = chunk.to_original(m.start, m.end) if chunk.to_original else (m.start, m.end)
        return chunk.offset + s, chunk.offset + e

    def _node(self, doc_id: str, label: str, surface: str, ev: Evidence, res: Any) -> NodeFact:
        if res is None:  # no resolver: canonical keys only (tags and part numbers compare as codes)
            key = surface if label in ("Part", "Equipment") and looks_like_code(surface) else None
            return NodeFact(label=label, name=surface, key=key, evidence=[ev])
        props: dict[str, PropertyValue] = {}
        if getattr(res, "code", None):
            props["failure_mode_code"] = res.code
        node = NodeFact(label=label, name=surface, canonical_id=res.id, properties=props, evidence=[ev])
        if res.method == "new":
            from kg.ingest.resolve import KnownEntity

            assert self.resolver is not None
            self.resolver.add(KnownEntity(id=res.id, label=label, name=surface))
        elif res.method != "exact":
            self.manifest.record_merges([(doc_id, label, surface, res.id, res.method, float(res.score))])
        return node

    def _edge(self, w: _Work, source: NodeFact, rel_type: str, target: NodeFact, ev: Evidence) -> None:
        if source.id == target.id:
            return
        edge = EdgeFact(source=source.id, type=rel_type, target=target.id, evidence=[ev])
        try:
            why = self.kg.schema.check_fact(source.label, rel_type, target.label)
        except OntologyError as e:
            why = str(e)
        if why:
            self.manifest.queue_for_review(w.record.doc_id, why, [source, target], edge)
            w.outcome.review += 1
            return
        w.batch_edges.append(edge)

    # -- writing ------------------------------------------------------------------------------------
    def _write(self, group: list[_Work], report: IngestReport) -> None:
        if not group:
            return
        try:
            batches = [(w, self._batch(w)) for w in group]
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
        except (KGError, ValidationError) as e:
            if len(group) == 1:
                self._fail(group[0], report, f"{group[0].outcome.path}: not written: {e}")
                return
            for w in group:  # isolate the document that cannot be written; the others go in
                self._write([w], report)

    def _batch(self, w: _Work) -> FactBatch:
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
        if self.masker is not None:
            props["personal_data_masked"] = True  # and how many values of each kind (never the values)
            for kind, count in sorted(w.masked.items()):
                props[f"masked_{kind}"] = count
        doc_id, text = w.record.doc_id, c.text
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
                    mentions.append(
                        ChunkMention(entity_id=n.id, chunk_id=cid, spans=[f"{ev.start}-{ev.end}"])
                    )
        return FactBatch(
            nodes=w.batch_nodes,
            edges=w.batch_edges,
            documents=[DocumentInfo(id=doc_id, properties=props)],
            chunks=chunks,
            chunk_mentions=mentions,
        )

    def _done(self, batches: list[tuple[_Work, FactBatch]], report: IngestReport) -> None:
        records = []
        for w, b in batches:
            w.outcome.state = "replaced" if w.replaces else "loaded"
            w.outcome.nodes, w.outcome.edges = len({n.id for n in b.nodes}), len({e.id for e in b.edges})
            records.append(_with(w.record, state="done", facts=w.outcome.nodes + w.outcome.edges))
            report.outcomes.append(w.outcome)
        self.manifest.record(records)


# -- helpers ------------------------------------------------------------------------------------------
def _with(rec: DocumentRecord, **changes: Any) -> DocumentRecord:
    return replace(rec, updated=now_iso(), **changes)


def _conf(score: float) -> float:
    return min(1.0, max(0.0, float(score)))


def _replace_text(content: DocumentContent, text: str) -> DocumentContent:
    return replace(content, text=text)


def _work_order_columns(header: list[str]) -> dict[str, int]:
    cols: dict[str, int] = {}
    for i, h in enumerate(normalise_header(x) for x in header):
        for col, names in WORK_ORDER_COLUMNS.items():
            if h in names and col not in cols:
                cols[col] = i
    return cols


def _work_order_meta(row: list[str], cols: dict[str, int]) -> dict[str, str]:
    """The row's work-order number and ISO date (when the date cell reads as one), for failure history."""
    meta = {}
    number = row[cols["work_order"]].strip() if "work_order" in cols else ""
    if number:
        meta["work_order"] = number[:100]
    day = parse_date(row[cols["date"]]) if "date" in cols else None
    if day:
        meta["date"] = day
    return meta


def parse_date(text: str) -> str | None:
    """``2024-01-08``, ``09.01.2024``, ``09/01/2024`` (day first, as in Europe), ``2024/01/08``, with an
    optional time after it, as an ISO date; None when the text is not one of those.

    Example:
        >>> parse_date("09.01.2024 06:20"), parse_date("2024-1-8"), parse_date("soon")
        ('2024-01-09', '2024-01-08', None)
    """
    m = _DATE.match(text.strip())
    if not m:
        return None
    a, b, c = m.group(1), m.group(2), m.group(3)
    year, month, day = (a, b, c) if len(a) == 4 else (c, b, a)
    try:
        return date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


_DATE = re.compile(r"^(\d{4}|\d{1,2})[-./](\d{1,2})[-./](\d{4}|\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")


def _is_work_orders(table: Table) -> bool:
    cols = _work_order_columns(table.header)
    return "description" in cols and ("asset" in cols or "work_order" in cols)


def _technicians(tables: list[Table]) -> list[str]:
    names: set[str] = set()
    for t in tables:
        cols = _work_order_columns(t.header)
        if "technician" in cols:
            names.update(r[cols["technician"]].strip() for r in t.rows if r[cols["technician"]].strip())
    return sorted(names)


def _row_spans(text: str, table: Table, cursor: int) -> tuple[list[tuple[int, int]], int]:
    """Each row's character span in the document text (the readers render a row per line)."""
    spans: list[tuple[int, int]] = []
    for row in table.rows:
        rendered = "; ".join(
            f"{h}: {' '.join(v.splitlines())}" for h, v in zip(table.header, row, strict=True) if v
        )
        at = text.find(rendered, cursor) if rendered else -1
        if at >= 0:
            spans.append((at, at + len(rendered)))
            cursor = at + len(rendered)
            continue
        first = next((v for v in row if v.strip()), "")  # other renderings (DOCX " | "): anchor on a cell
        at = text.find(first, cursor) if first else -1
        if at < 0:
            spans.append((cursor, cursor))
            continue
        line_end = text.find("\n", at)
        line_end = len(text) if line_end < 0 else line_end
        spans.append((at, line_end))
        cursor = line_end
    return spans, cursor
