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

One module per stage, each a component with one ``run()`` (as in neo4j-graphrag's ``SimpleKGPipeline``):

- :mod:`~kg.ingest.pipeline.ingestor`: :class:`Ingestor`, which only wires the stages below.
- :mod:`~kg.ingest.pipeline.triage`: discover, hash, skip unchanged and duplicate files (``Triage``).
- :mod:`~kg.ingest.pipeline.document_reader`: read in reader processes, yield groups (``DocumentReader``).
- :mod:`~kg.ingest.pipeline.document_preparer`: mask, table facts, chunks (``DocumentPreparer``), with
  :mod:`~kg.ingest.pipeline.table_facts` (known table kinds, row spans) and
  :mod:`~kg.ingest.pipeline.work_orders` (work-order tables).
- :mod:`~kg.ingest.pipeline.batch_extractor`: the model over a group's chunks (``BatchExtractor``).
- :mod:`~kg.ingest.pipeline.gazetteer_linker`: mentions placed and linked by name (``GazetteerLinker``).
- :mod:`~kg.ingest.pipeline.resolve_step`: entity resolution of table names and mentions.
- :mod:`~kg.ingest.pipeline.fact_builder`: mentions and relations → facts (``FactBuilder``), through
  :mod:`~kg.ingest.pipeline.review_gate` (the ontology check and review queue).
- :mod:`~kg.ingest.pipeline.document_writer`: one batch per group, then the manifest (``DocumentWriter``).
- :mod:`~kg.ingest.pipeline.document_work`, :mod:`~kg.ingest.pipeline.ingest_options`,
  :mod:`~kg.ingest.pipeline.ingest_report`: what passes between stages, the options, the report.

Example:
    >>> with open_knowledge_graph(settings) as kg:                         # doctest: +SKIP
    ...     report = Ingestor(kg, Manifest(settings.store.data_dir / "ingest.sqlite")).run([Path("docs")])
    >>> report.summary()                                                     # doctest: +SKIP
"""

from kg.ingest.pipeline.gazetteer_linker import GAZETTEER
from kg.ingest.pipeline.ingest_options import IngestOptions, Masker, Normaliser, Resolver
from kg.ingest.pipeline.ingest_report import DocumentOutcome, IngestReport, ProgressFn
from kg.ingest.pipeline.ingestor import Ingestor
from kg.ingest.pipeline.resolve_step import RESOLVED_TABLE_LABELS
from kg.ingest.pipeline.triage import document_id, file_sha256
from kg.ingest.pipeline.work_orders import WORK_ORDER_COLUMNS, parse_date

__all__ = [
    "GAZETTEER",
    "RESOLVED_TABLE_LABELS",
    "WORK_ORDER_COLUMNS",
    "DocumentOutcome",
    "IngestOptions",
    "IngestReport",
    "Ingestor",
    "Masker",
    "Normaliser",
    "ProgressFn",
    "Resolver",
    "document_id",
    "file_sha256",
    "parse_date",
]
