"""Batch ingestion: :mod:`kg.ingest.discover` finds document files, :mod:`kg.ingest.readers` reads them."""
