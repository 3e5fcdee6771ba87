"""``kg``: thin commands over the library. Every command takes the same global options.

Errors from mfg-kg print as one clear message (no traceback) and exit with code 2; ``--debug`` shows the
traceback.

One module per command group, each a thin ``*_cli`` Typer command over a function that does the work:

- :mod:`kg.cli.root`: the Typer app, the global options, errors → exit codes, output helpers
- :mod:`kg.cli.demo_commands`: ``demo`` (its work is in :mod:`kg.cli.demo`)
- :mod:`kg.cli.ingest_commands`: ``ingest``, ``load-csv``, ``delete-document``
- :mod:`kg.cli.review_commands`: ``review list|accept|reject``, ``resolve list|undo``
- :mod:`kg.cli.query_commands`: ``query``, ``stats``, ``search``, ``failure-chains``, ``supplier-impact``,
  ``single-source``
- :mod:`kg.cli.qa_commands`: ``ask``, ``eval-qa``
- :mod:`kg.cli.extractor_commands`: ``train``, ``extract``, ``eval``
- :mod:`kg.cli.store_commands`: ``export``, ``import``, ``store repair``
- :mod:`kg.cli.serve_commands`: ``serve``

This module registers them all on :data:`app` (``kg = "kg.cli:app"``); the order here is the order
``kg --help`` lists them in.
"""

from __future__ import annotations

from kg.cli import (
    audit_commands,
    demo_commands,
    extractor_commands,
    ingest_commands,
    qa_commands,
    query_commands,
    review_commands,
    serve_commands,
    store_commands,
)
from kg.cli.root import app

__all__ = ["app"]

app.command("demo")(demo_commands.demo_cli)
app.command("load-csv")(ingest_commands.load_csv_cli)
app.command("query")(query_commands.query_cli)
app.command("stats")(query_commands.stats_cli)
app.command("failure-chains")(query_commands.failure_chains_cli)
app.command("supplier-impact")(query_commands.supplier_impact_cli)
app.command("single-source")(query_commands.single_source_cli)
app.command("search")(query_commands.search_cli)
app.command("audit")(audit_commands.audit_cli)
app.command("delete-document")(ingest_commands.delete_document_cli)
app.command("ingest")(ingest_commands.ingest_cli)
app.command("serve")(serve_commands.serve_cli)
app.command("export")(store_commands.export_cli)
app.command("import")(store_commands.import_cli)
app.command("train")(extractor_commands.train_cli)
app.command("extract")(extractor_commands.extract_cli)
app.command("eval")(extractor_commands.eval_cli)
app.command("tune-thresholds")(extractor_commands.tune_thresholds_cli)
app.command("ask")(qa_commands.ask_cli)
app.command("eval-qa")(qa_commands.eval_qa_cli)
app.add_typer(store_commands.store_app, name="store")
app.add_typer(review_commands.review_app, name="review")
app.add_typer(review_commands.resolve_app, name="resolve")
