"""Batch ingestion: :mod:`kg.ingest.discover` finds document files, :mod:`kg.documents` reads them."""
