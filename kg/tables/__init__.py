"""Loaders that turn source files into :class:`kg.core.facts.FactBatch` objects with row-level provenance."""

from kg.tables.structured import RowError, StructuredLoad, load_csv, load_directory

__all__ = ["RowError", "StructuredLoad", "load_csv", "load_directory"]
