"""Commands that put data into the graph or take a document out: ``ingest``, ``load-csv``,
``delete-document``.

Each ``*_cli`` function is the Typer command (options and help text); the function it calls does the work on
explicit settings and returns the exit code, so it can be called without Typer.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from kg.cli.root import (
    ProgressCallback,
    console,
    err,
    first_use_progress,
    run,
    run_with_exit_code,
    state,
    table,
)
from kg.core.errors import BadInputError
from kg.core.settings import Settings

if TYPE_CHECKING:
    from kg.ingest.pipeline import IngestReport


def load_csv_cli(paths: Annotated[list[Path], typer.Argument(help="CSV files or folders of CSVs.")]) -> None:
    """Load structured tables (equipment, bill of materials, FMEA) as facts, without the model."""
    run_with_exit_code(lambda: load_csv_tables(state.settings, paths))


def load_csv_tables(settings: Settings, paths: list[Path]) -> int:
    """Load each CSV file or folder of CSVs and print what it added; 1 when any row was skipped."""
    from kg.graph.knowledge_graph import open_knowledge_graph
    from kg.tables import load_csv, load_directory

    failed = 0
    with open_knowledge_graph(settings) as kg:
        for path in paths:
            loaded = load_directory(path) if path.is_dir() else load_csv(path)
            w = kg.upsert(loaded.batch)
            console.print(
                f"{path}: {len(loaded.batch.nodes)} nodes, {len(loaded.batch.edges)} relationships "
                f"read; {w.nodes_created} nodes and {w.relationships_created} relationships new"
            )
            for e in loaded.errors:
                failed += 1
                err.print(f"[yellow]skipped row:[/yellow] {e}")
    return 1 if failed else 0


def delete_document_cli(doc_id: str) -> None:
    """Remove a document's evidence; delete facts that only it supported."""
    run(lambda: delete_document(state.settings, doc_id))


def delete_document(settings: Settings, doc_id: str) -> None:
    """Delete ``doc_id`` from the graph and forget it in the ingest manifest, so it can be loaded again."""
    from kg.graph.knowledge_graph import open_knowledge_graph
    from kg.ingest.manifest import Manifest
    from kg.ingest.service import manifest_path

    with open_knowledge_graph(settings) as kg:
        w = kg.delete_document(doc_id)
    path = manifest_path(settings)
    if path.exists():  # an ingested file: the next `kg ingest` of it loads it again
        with Manifest(path) as m:
            record = m.by_doc_id(doc_id)
            if record is not None:
                m.forget(record.path)
                m.forget_merges(doc_id)
                m.drop_pending_reviews(doc_id)
    console.print(
        f"Deleted {w.nodes_deleted} nodes and {w.relationships_deleted} relationships "
        f"(shared facts kept, with {doc_id}'s evidence removed from them)."
    )


def ingest_cli(
    paths: Annotated[list[Path], typer.Argument(help="Files and folders to ingest.")],
    recursive: Annotated[bool, typer.Option("--recursive", "-r", help="Descend into sub-folders.")] = False,
    force: Annotated[bool, typer.Option(help="Re-read documents the manifest says are unchanged.")] = False,
    mask_personal_data: Annotated[
        bool | None, typer.Option(help="Mask e-mails, phones and names before storing (default: settings).")
    ] = None,
    report: Annotated[Path | None, typer.Option(help="Write the full report as JSON here.")] = None,
    columns: Annotated[
        Path | None,
        typer.Option(
            help='Extra header spellings per table kind, JSON: {"bom": {"part_number": ["Mat.-Nr."]}}.'
        ),
    ] = None,
    cluster: Annotated[
        str | None,
        typer.Option(
            help="Read and extract on a Ray cluster: ray://HOST:PORT, HOST:PORT or auto (default: settings, "
            "KG_INGEST__CLUSTER). Writes stay here. See docs/SCALE.md."
        ),
    ] = None,
    cluster_workers: Annotated[
        int | None,
        typer.Option(min=1, help="Extraction workers on the cluster (default: one per GPU, else per CPU)."),
    ] = None,
) -> None:
    """Load documents into the graph: read, extract, resolve entities, check the ontology, write.

    Idempotent and resumable: unchanged files are skipped, changed ones replace their old version, and a
    killed run is finished by running the same command again. Exit code 1 when any document failed; 2 when
    the run could not start or stopped before its end (the graph store went away): run it again to resume.
    """
    run_with_exit_code(
        lambda: ingest(
            state.settings, paths, recursive=recursive, force=force,
            mask_personal_data=mask_personal_data, report=report, columns=columns,
            cluster=cluster, cluster_workers=cluster_workers,
        )
    )  # fmt: skip


def ingest(
    settings: Settings,
    paths: list[Path],
    *,
    recursive: bool = False,
    force: bool = False,
    mask_personal_data: bool | None = None,
    report: Path | None = None,
    columns: Path | None = None,
    cluster: str | None = None,
    cluster_workers: int | None = None,
) -> int:
    """Ingest ``paths`` with a progress bar on stderr and print the summary; 1 when any document failed."""
    from kg.graph.knowledge_graph import open_knowledge_graph
    from kg.ingest.service import ingestor_for

    settings = with_ingest_overrides(
        settings, mask_personal_data=mask_personal_data, cluster=cluster, cluster_workers=cluster_workers
    )
    with (
        open_knowledge_graph(settings) as kg,
        ingest_progress() as progress,
        ingestor_for(kg, settings, recursive=recursive, force=force, progress=progress) as ing,
    ):
        if columns is not None:
            ing.options.mapping = column_mapping(columns)
        result = ing.run(paths)
    summary = result.summary()
    shown = {k: v for k, v in summary.items() if not isinstance(v, dict) and k != "stopped"}
    console.print(table([shown], "Ingestion summary"))
    console.print("Time per stage (s): " + ", ".join(f"{k} {v}" for k, v in summary["stages_s"].items()))
    print_node_rules(summary)
    print_ingest_problems(result)
    print_review_hint(summary)
    if report is not None:
        report.write_text(
            json.dumps({"summary": summary, "documents": [o.__dict__ for o in result.outcomes]}, indent=2)
        )
    if result.stopped:
        err.print(f"[red]error:[/red] the run stopped before its end: {result.stopped}")
        return 2
    return 1 if result.failed else 0


def with_ingest_overrides(settings: Settings, **flags: Any) -> Settings:
    """``settings`` with the ingest flags that were given (None: not given), validated as settings are."""
    from kg.core.settings import IngestSettings

    given = {k: v for k, v in flags.items() if v is not None}
    if not given:
        return settings
    try:
        ingest = IngestSettings.model_validate({**settings.ingest.model_dump(), **given})
    except ValueError as e:
        raise BadInputError(f"kg ingest: {e}") from e
    return settings.model_copy(update={"ingest": ingest})


@contextmanager
def ingest_progress() -> Iterator[ProgressCallback]:
    """A progress bar on stderr (documents done, rate, time left) and the callback that drives it."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(
        TextColumn("ingest"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeRemainingColumn(),
        console=err,
        transient=True,
    ) as bar:
        task = bar.add_task("ingest", total=None, rate="")
        first_use = first_use_progress(bar.console, budget_note="")

        def progress(kind: str, info: dict[str, Any]) -> None:
            if kind == "start":
                bar.update(task, total=info["to_read"])
            elif kind == "cluster":
                bar.console.print(f"cluster {info['address']}: {info['workers']} extraction workers")
            elif kind == "progress":
                rate = info["done"] / max(info["elapsed"], 1e-9)
                bar.update(task, completed=info["done"], rate=f"{rate:.1f} docs/s")
            else:
                first_use(kind, info)

        yield progress


def print_ingest_problems(result: IngestReport) -> None:
    """Each document's warnings, then each failed document's reason, on stderr."""
    for o in result.outcomes:
        for w in o.warnings:
            err.print(f"[yellow]warning:[/yellow] {w}")
    for o in result.failed:
        err.print(f"[red]failed:[/red] {o.reason}")


def print_node_rules(summary: dict[str, Any]) -> None:
    """How many of the model's mentions each node rule removed or re-typed (kg.ingest.node_rules)."""
    if summary["node_rules"]:
        counts = ", ".join(f"{rule} {n}" for rule, n in summary["node_rules"].items())
        console.print(f"Mentions that are no entity, or of another class, by rule: {counts}")


def print_review_hint(summary: dict[str, Any]) -> None:
    """Point to ``kg review list`` when the ontology refused facts."""
    if summary["review"]:
        console.print(f"{summary['review']} fact(s) refused by the ontology wait in `kg review list`.")


def column_mapping(path: Path) -> dict[str, dict[str, list[str]]]:
    """Read ``--columns``: extra header spellings per table kind, checked against the known columns."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise BadInputError(f"Cannot read the column mapping {path}: {e}. Give a JSON file.") from e
    ok = isinstance(raw, dict) and all(
        isinstance(cols, dict) and all(isinstance(v, list) for v in cols.values()) for cols in raw.values()
    )
    if not ok:
        raise BadInputError(
            f'{path}: expected {{"<kind>": {{"<column>": ["header spelling", ...]}}}}, e.g. '
            '{"bom": {"part_number": ["Mat.-Nr."]}}; kinds: equipment, bom, fmea.'
        )
    from kg.tables.csv_table import table_columns

    table_columns(raw)  # unknown kinds or columns: a clear error now, not per table later
    return raw
