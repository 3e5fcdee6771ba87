"""How an ingestion run is configured: :class:`IngestOptions`, and the protocols of the parts an
:class:`~kg.ingest.pipeline.Ingestor` is given (entity resolver, work-order normaliser, personal-data masker).

Example:
    >>> IngestOptions(recursive=True).group_documents
    32
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from kg.tables.csv_table import ColumnMapping


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
    """What a run reads and how (``kg ingest`` flags and ``settings.ingest``).

    Example:
        >>> IngestOptions(force=True).workers
        0
    """

    recursive: bool = False
    max_document_mb: float = 25.0
    group_documents: int = 32  # documents extracted and written together: bounds memory per step
    workers: int = 0  # reader processes; 0 = automatic (none for small batches)
    mapping: ColumnMapping | None = None
    force: bool = False  # re-read documents even when the manifest says they are unchanged
    store_wait_s: float = 60.0  # how long a write waits for a store that went away before the run stops
    languages: tuple[str, ...] = ("en",)  # what the extractor reads (kg.ingest.language); () = everything
