"""The extractor interface: texts in, mentions (character spans, label, score) and relations out."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

from extractors.types import ChunkExtraction, TextChunk


@runtime_checkable
class EntityRelationExtractor(Protocol):
    """Anything that finds entities and relations in text.

    ``extract`` keeps order (one result per chunk) and never fails on odd text: empty or whitespace
    chunks give empty results.
    """

    @property
    def labels(self) -> tuple[str, ...]: ...

    @property
    def relation_labels(self) -> tuple[str, ...]: ...

    @property
    def version(self) -> str: ...

    def extract(self, chunks: Sequence[TextChunk]) -> list[ChunkExtraction]: ...
