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
