"""A question-answering service over a graph the real ingestion pipeline builds from a few files (documents
written inline, sample tables copied), read with a given extractor: shared by the QA tests that need one."""

from __future__ import annotations

import shutil
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from extractors.base import EntityRelationExtractor
from kg.core.settings import ExtractorSettings, LLMSettings, Settings, StoreSettings
from kg.graph.knowledge_graph import KnowledgeGraph, open_knowledge_graph
from kg.ingest.service import ingestor_for
from kg.qa.service import QAService


@contextmanager
def ingested(
    tmp: Path, files: Mapping[str, str | Path], extractor: EntityRelationExtractor
) -> Iterator[tuple[QAService, KnowledgeGraph]]:
    """Write ``files`` (text, or a path to copy) into ``tmp/docs``, ingest them, and yield a QA service with
    the template explainer and no encoder, and its graph."""
    docs = tmp / "docs"
    docs.mkdir()
    for name, content in files.items():
        if isinstance(content, Path):
            shutil.copy(content, docs / name)
        else:
            (docs / name).write_text(content, encoding="utf-8")
    settings = Settings(
        store=StoreSettings(data_dir=tmp / "db"),
        extractor=ExtractorSettings(model=tmp / "no-model"),
        llm=LLMSettings(explainer="template"),
    )
    with open_knowledge_graph(settings) as kg:
        with ingestor_for(kg, settings, extractor=extractor) as ingestor:
            report = ingestor.run([docs])
        assert not report.failed, [o.reason for o in report.failed]
        yield QAService(kg, settings, encoder=None), kg
