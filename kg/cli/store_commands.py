"""The store's data in and out: ``kg export`` / ``kg import`` (RDF with the ontology's IRIs) and
``kg store repair`` (the embedded store's data directory after a crash)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer

from kg.cli.root import console, run, state
from kg.core.errors import BadInputError
from kg.core.settings import Settings

store_app = typer.Typer(help="Manage the graph store's data directory.", no_args_is_help=True)


def export_cli(
    path: Path, fmt: Annotated[str | None, typer.Option("--format", help="turtle, json-ld")] = None
) -> None:
    """Export the graph as RDF (Turtle or JSON-LD by extension) with the ontology's IRIs."""
    run(lambda: export_graph(state.settings, path, fmt))


def export_graph(settings: Settings, path: Path, fmt: str | None = None) -> None:
    """Write the graph to ``path`` as RDF (``fmt``: turtle or json-ld; by default from the extension)."""
    from kg.graph.knowledge_graph import open_knowledge_graph
    from kg.interchange import export_rdf
    from ontology import load_ontology

    with open_knowledge_graph(settings) as kg:
        n = export_rdf(kg.store, load_ontology(), path, rdf_format(fmt))
    console.print(f"Wrote {n} triples to {path}")


def rdf_format(fmt: str | None) -> Literal["turtle", "json-ld"] | None:
    """Check ``--format``: turtle, json-ld, or none (the file name decides)."""
    if fmt is None or fmt in ("turtle", "json-ld"):
        return fmt  # type: ignore[return-value]
    raise BadInputError(f"--format {fmt!r} is not supported: use turtle or json-ld (or a .ttl/.jsonld name).")


def import_cli(path: Path) -> None:
    """Import RDF (Turtle/JSON-LD) written by `kg export` or typed with the ontology's classes."""
    run(lambda: import_graph(state.settings, path))


def import_graph(settings: Settings, path: Path) -> None:
    """Read the RDF file ``path`` into the graph and print how much was new."""
    from kg.graph.knowledge_graph import open_knowledge_graph
    from kg.interchange import import_rdf
    from ontology import load_ontology

    with open_knowledge_graph(settings) as kg:
        w = import_rdf(path, load_ontology(), kg.store)
    console.print(f"Imported: {w.nodes_created} new nodes, {w.relationships_created} new relationships")


@store_app.command("repair")
def store_repair_cli() -> None:
    """Cut a damaged append-only file back to its last complete write (a backup is kept)."""
    run(lambda: repair_store(state.settings))


def repair_store(settings: Settings) -> None:
    """Repair the embedded store's data directory and print what was done."""
    from kg.store.falkor_server import repair_data_dir

    console.print(repair_data_dir(settings.store.data_dir))


@store_app.command("migrate")
def store_migrate_cli(
    page: Annotated[int, typer.Option(help="Facts converted per write (memory against round trips).")] = 5000,
) -> None:
    """Convert a graph written by mfg-kg 0.1 (provenance lists on every node) to today's layout.

    Safe to interrupt and run again: it carries on where it stopped. A current graph is left as it is."""
    run(lambda: migrate_store(state.settings, page))


def migrate_store(settings: Settings, page: int = 5000) -> None:
    """Run the provenance migration on the configured store and print what it did."""
    from kg.store import open_store
    from kg.store.migrate import migrate
    from ontology import load_ontology

    if isinstance(page, bool) or page < 1:
        raise BadInputError(f"--page must be a whole number of at least 1, got {page!r}")
    store = open_store(settings)
    try:
        store.ensure_schema(load_ontology().graph_schema())
        report = migrate(store, page=page, progress=lambda line: console.print(line, style="dim"))
    finally:
        store.close()
    if report.version_before == report.version_after:
        console.print(f"The graph is already in provenance layout {report.version_after}; nothing to do.")
        return
    console.print(
        f"Converted {report.entities} entities ({report.mention_links} document links) and "
        f"{report.relationships} relationships ({report.evidence_records} evidence records) in "
        f"{report.seconds:.1f} s; the graph is now in provenance layout {report.version_after}."
    )
    if report.skipped_evidence:
        console.print(f"[yellow]{report.skipped_evidence} malformed evidence strings were dropped.[/]")
