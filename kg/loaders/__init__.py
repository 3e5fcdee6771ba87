"""Loaders that turn source files into :class:`kg.model.FactBatch` objects with row-level provenance."""

from kg.loaders.structured import RowError, StructuredLoad, load_csv, load_directory

__all__ = ["RowError", "StructuredLoad", "load_csv", "load_directory"]
