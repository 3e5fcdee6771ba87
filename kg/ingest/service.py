"""Build an :class:`~kg.ingest.pipeline.Ingestor` from settings: what ``kg ingest`` and the API use.

Example:
    >>> with open_knowledge_graph(settings) as kg:                               # doctest: +SKIP
    ...     with ingestor_for(kg, settings) as ingestor:
    ...         report = ingestor.run([Path("samples/documents")])
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.core.settings import Settings
from kg.graph.knowledge_graph import KnowledgeGraph
from kg.ingest.cluster import ClusterReader
from kg.ingest.manifest import Manifest
from kg.ingest.pipeline import IngestOptions, Ingestor, ProgressFn
from kg.ingest.pipeline.graph_names import gazetteer_entries, known_entities

if TYPE_CHECKING:
    from kg.ingest.cluster.ray_pool import RayGroupPool


def manifest_path(settings: Settings) -> Path:
    return settings.ingest.manifest or settings.store.data_dir / "ingest.sqlite"


def text_preparers(settings: Settings) -> tuple[Any, Any]:
    """The work-order normaliser and the personal-data masker the settings ask for (None when not)."""
    normaliser = masker = None
    if settings.ingest.normalise_work_orders:
        from kg.ingest.normalise import Normaliser

        normaliser = Normaliser.from_maintnorm()
    if settings.ingest.mask_personal_data:
        from kg.ingest.privacy import PrivacyMasker

        masker = PrivacyMasker()
    return normaliser, masker


@contextmanager
def ingestor_for(
    kg: KnowledgeGraph,
    settings: Settings,
    *,
    recursive: bool = False,
    force: bool = False,
    progress: ProgressFn | None = None,
    extractor: Any = None,
) -> Iterator[Ingestor]:
    """An ingestor wired from settings; the extractor loads (or is trained) only when text needs it.

    ``extractor``: use this :class:`~extractors.base.EntityRelationExtractor` instead of the configured one.
    """
    from extractors.default import load_extractor

    cfg = settings.ingest
    manifest = Manifest(manifest_path(settings))
    from kg.ingest.gazetteer import Gazetteer

    rows = list(kg.entity_names())  # one read of the graph's names for resolver and gazetteer
    known = list(known_entities(kg, rows))
    gazetteer = Gazetteer(gazetteer_entries(kg, rows))
    resolver = None
    if cfg.resolve_entities:
        from kg.ingest.resolve import EntityResolver

        resolver = EntityResolver(known, never_merge=[(s, t) for _, s, t in manifest.never_merge()])
    normaliser, masker = text_preparers(settings)
    options = IngestOptions(
        recursive=recursive,
        max_document_mb=cfg.max_document_mb,
        group_documents=cfg.group_documents,
        workers=cfg.workers,
        force=force,
        store_wait_s=cfg.store_wait_s,
        languages=tuple(cfg.languages),
    )
    pool = cluster_pool(settings, options, progress) if cfg.cluster else None
    try:
        yield Ingestor(
            kg,
            manifest,
            extractor=extractor or (lambda: load_extractor(settings.extractor, progress=progress)),
            resolver=resolver,
            normaliser=normaliser,
            masker=masker,
            gazetteer=gazetteer,
            options=options,
            progress=progress,
            reader=None if pool is None else ClusterReader(manifest, options, pool),
        )
    finally:
        if pool is not None:
            pool.close()
        manifest.close()


def cluster_pool(settings: Settings, options: IngestOptions, progress: ProgressFn | None) -> RayGroupPool:
    """Workers on the configured cluster; they start (and the model resolves) on the first group."""
    from extractors.default import ensure_default_model
    from kg.ingest.cluster.ray_pool import RayGroupPool

    def model() -> Path:
        if settings.extractor.model is not None:
            return settings.extractor.model
        return ensure_default_model(settings.extractor, progress=progress)

    assert settings.ingest.cluster is not None
    return RayGroupPool(settings.ingest.cluster, settings, options, model=model, progress=progress)


def undo_merge(
    kg: KnowledgeGraph, manifest: Manifest, merge_id: int, reingest: Callable[[list[Path]], Any]
) -> tuple[str, list[str]]:
    """Undo one entity-resolution merge: never merge that surface into that entity again, remove the
    documents that made it, and ``reingest`` them (a run whose resolver honours ``manifest.never_merge()``),
    so the surface becomes its own entity. Returns (what was undone, the documents re-ingested)."""
    from kg.core.errors import BadInputError

    merge = next((m for m in manifest.merges() if m.id == merge_id), None)
    if merge is None:
        raise BadInputError(f"No merge {merge_id}: `kg resolve list` shows the recorded merges.")
    manifest.block_merge(merge.label, merge.surface, merge.target_id)
    same = [
        m for m in manifest.merges(label=merge.label, surface=merge.surface) if m.target_id == merge.target_id
    ]
    records = [r for r in (manifest.by_doc_id(m.doc_id) for m in same) if r is not None]
    for r in records:
        kg.store.delete_document(r.doc_id)
        manifest.forget_merges(r.doc_id)
        manifest.forget(r.path)
    paths = sorted({Path(r.path) for r in records})
    if paths:
        reingest(paths)
    return f"{merge.surface!r} ({merge.label}) no longer merges into {merge.target_id}", [
        str(p) for p in paths
    ]
