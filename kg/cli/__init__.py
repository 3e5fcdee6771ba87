"""``kg``: thin commands over the library. Every command takes the same global options.

Errors from mfg-kg print as one clear message (no traceback) and exit with code 2; ``--debug`` shows the
traceback.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

import typer
from rich.console import Console
from rich.table import Table

from kg.core.errors import BadInputError, ConfigError, KGError
from kg.core.settings import Settings, load_settings

app = typer.Typer(
    help="mfg-kg: manufacturing knowledge graphs from documents.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
)
store_app = typer.Typer(help="Manage the graph store's data directory.", no_args_is_help=True)
app.add_typer(store_app, name="store")
console = Console()
err = Console(stderr=True)
T = TypeVar("T")


class _State:
    settings: Settings
    debug: bool = False


state = _State()


@app.callback()
def main(
    data_dir: Annotated[Path | None, typer.Option(help="Embedded FalkorDB data directory.")] = None,
    backend: Annotated[str | None, typer.Option(help="falkordb (default) or neo4j.")] = None,
    debug: Annotated[bool, typer.Option(help="Show tracebacks.")] = False,
) -> None:
    """Settings come from KG_* environment variables; these options override them."""
    try:
        settings = load_settings()
    except ConfigError as e:
        err.print(f"[red]error:[/red] {e}")
        raise typer.Exit(2) from e
    overrides: dict[str, Any] = {}
    if data_dir is not None:
        overrides["data_dir"] = data_dir
    if backend is not None:
        overrides["backend"] = backend
    if overrides:
        try:
            store = settings.store.model_validate({**settings.store.model_dump(), **overrides})
        except ValueError as e:
            err.print(f"[red]Invalid option:[/red] {e}")
            raise typer.Exit(2) from e
        settings = settings.model_copy(update={"store": store})
    state.settings = settings
    state.debug = debug


def _run(fn: Callable[[], T]) -> T:
    """Run a command body, turning our errors into one message and exit code 2."""
    try:
        return fn()
    except KGError as e:
        if state.debug:
            raise
        err.print(f"[red]error:[/red] {e}")
        raise typer.Exit(2) from e


def _table(rows: list[dict[str, Any]], title: str, *, hide_ids: bool = False) -> Table:
    table = Table(title=title, show_lines=False)
    cols = [c for c in (rows[0] if rows else []) if not (hide_ids and c.endswith("_id"))]
    for c in cols:
        table.add_column(c)
    for r in rows:
        table.add_row(*("" if r[c] is None else str(r[c]) for c in cols))
    return table


@app.command()
def demo(
    samples: Annotated[
        Path | None, typer.Option(help="Samples folder (with structured/ and documents/).")
    ] = None,
    structured_only: Annotated[
        bool, typer.Option(help="Only the structured tables: no documents, so no model needed.")
    ] = False,
) -> None:
    """Ingest samples/ on the embedded store; show failure chains, a supplier outage, single sources."""
    from kg.cli.demo import DEFAULT_SAMPLES, demo_paths, run_demo
    from kg.graph.knowledge_graph import open_knowledge_graph

    def progress(kind: str, info: dict[str, Any]) -> None:
        if kind == "first-use":
            err.print(
                f"First use: training the default extractor into {info['model']} "
                f"(up to {info['max_minutes']:.0f} min on this machine; later runs load it)."
            )
        elif kind == "epoch":
            err.print("  " + ", ".join(f"{k}={v}" for k, v in info.items()))

    def body() -> int:
        paths = demo_paths(samples or DEFAULT_SAMPLES, structured_only=structured_only)
        with open_knowledge_graph(state.settings) as kg:
            where = state.settings.store.data_dir if kg.store.name == "falkordb" else kg.store.name
            console.print(f"[bold]mfg-kg demo[/bold] — store: {kg.store.name} ({where})")
            r = run_demo(kg, state.settings, paths, progress=progress)
        s = r.ingest.summary()
        console.print(
            f"Ingested: {s['loaded']} loaded, {s['replaced']} replaced, {s['unchanged']} unchanged, "
            f"{s['duplicate']} duplicate, {s['failed']} failed; {s['facts']} facts in {s['seconds']} s "
            "(a re-run finds every document unchanged and writes nothing)."
        )
        for o in r.ingest.outcomes:
            for w in o.warnings:
                err.print(f"[yellow]warning:[/yellow] {w}")
        for o in r.ingest.failed:
            err.print(f"[red]failed:[/red] {o.reason}")
        counts = [{"kind": k, "name": n, "count": c} for k, d in r.stats.items() for n, c in d.items()]
        console.print(_table(counts, "What the graph holds"))
        if r.equipment:
            console.print(
                _table(
                    r.failure_chains,
                    f"Failure chains of {r.equipment['name']} ({r.equipment['id']}),"
                    " cause → mode → effect, highest RPN first",
                    hide_ids=True,
                )
            )
        if r.supplier:
            console.print(
                _table(
                    r.supplier_impact,
                    f"If {r.supplier['name']} ({r.supplier['id']}) stops"
                    " supplying: items, equipment and sites hit (other_suppliers = 0: sole source)",
                    hide_ids=True,
                )
            )
        if r.single_source:
            console.print(_table(r.single_source, "Single-source items (one supplier only)", hide_ids=True))
        for a in r.answers:
            console.print(f"\n[bold]Q: {a.question}[/bold]\n[bold]A:[/bold] {a.answer}")
            if a.explanation != a.answer:
                console.print(a.explanation)
            tool = a.tool.name if a.tool else "none"
            grounded = "grounded" if a.explainer.grounded else "not grounded"
            console.print(
                f"[dim]tool {tool}; {len(a.facts)} facts, {len(a.cypher)} Cypher statements, "
                f"{len(a.citations)} citations; explained by {a.explainer.name} ({grounded})[/dim]"
            )
        if r.answers:
            console.print(
                '\nAsk your own: `kg ask "Which parts are single-sourced?"`, or `kg serve` and open '
                "http://127.0.0.1:8000/ (web explorer) or /docs (API)."
            )
        if s["review"]:
            console.print(f"{s['review']} fact(s) refused by the ontology wait in `kg review list`.")
        return 1 if r.ingest.failed else 0

    code = _run(body)
    if code:
        raise typer.Exit(code)


@app.command("load-csv")
def load_csv_cmd(paths: Annotated[list[Path], typer.Argument(help="CSV files or folders of CSVs.")]) -> None:
    """Load structured tables (equipment, bill of materials, FMEA) as facts, without the model."""
    from kg.graph.knowledge_graph import open_knowledge_graph
    from kg.tables import load_csv, load_directory

    def body() -> None:
        failed = 0
        with open_knowledge_graph(state.settings) as kg:
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
        if failed:
            raise typer.Exit(1)

    _run(body)


@app.command()
def query(
    cypher_text: Annotated[str, typer.Argument(metavar="CYPHER", help="A read-only Cypher query.")],
    param: Annotated[
        list[str] | None, typer.Option("--param", "-p", help="name=value (JSON value or text).")
    ] = None,
    max_rows: Annotated[int, typer.Option(help="Row limit.")] = 100,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """Run a read-only Cypher query through the guard (writes, LOAD CSV and procedures are refused)."""
    from kg.graph.knowledge_graph import open_knowledge_graph

    params = dict(_parse_param(p) for p in param or [])

    def body() -> None:
        with open_knowledge_graph(state.settings) as kg:
            res = kg.query(cypher_text, params, max_rows=max_rows)
        if as_json:
            console.print_json(json.dumps(res.model_dump(), default=str))
        else:
            console.print(
                _table(res.rows, f"{len(res.rows)} row(s){' (truncated)' if res.truncated else ''}")
            )

    _run(body)


def _parse_param(text: str) -> tuple[str, Any]:
    name, sep, value = text.partition("=")
    if not sep or not name.isidentifier():
        err.print(f"[red]error:[/red] --param {text!r} must look like name=value")
        raise typer.Exit(2)
    try:
        return name, json.loads(value)
    except json.JSONDecodeError:
        return name, value


@app.command()
def stats() -> None:
    """Counts of entities per class, relationships per type, documents."""
    from kg.graph.knowledge_graph import open_knowledge_graph

    def body() -> None:
        with open_knowledge_graph(state.settings) as kg:
            s = kg.stats()
        console.print(
            _table([{"kind": k, "name": n, "count": c} for k, d in s.items() for n, c in d.items()], "Graph")
        )

    _run(body)


@app.command("failure-chains")
def failure_chains_cmd(entity_id: str, limit: int = 50) -> None:
    """Cause → mode → effect for an equipment or part (and its sub-parts), highest RPN first."""
    _analyst(lambda kg: kg.failure_chains(entity_id, limit=limit), f"Failure chains of {entity_id}")


@app.command("supplier-impact")
def supplier_impact_cmd(supplier_id: str, limit: int = 50) -> None:
    """What an outage of a supplier hits: items, equipment containing them, sites."""
    _analyst(lambda kg: kg.supplier_impact(supplier_id, limit=limit), f"Impact of {supplier_id}")


@app.command("single-source")
def single_source_cmd(limit: int = 50) -> None:
    """Items with exactly one supplier."""
    _analyst(lambda kg: kg.single_source_items(limit=limit), "Single-source items")


@app.command()
def search(text: str, limit: int = 10) -> None:
    """Find entities by name (full-text, prefix match on the last word)."""
    _analyst(lambda kg: kg.search(text, limit=limit), f"Entities matching {text!r}")


def _analyst(fn: Callable[[Any], list[dict[str, Any]]], title: str) -> None:
    from kg.graph.knowledge_graph import open_knowledge_graph

    def body() -> None:
        with open_knowledge_graph(state.settings) as kg:
            rows = fn(kg)
        console.print(_table(rows, title) if rows else f"{title}: nothing found.")

    _run(body)


@app.command("delete-document")
def delete_document_cmd(doc_id: str) -> None:
    """Remove a document's evidence; delete facts that only it supported."""
    from kg.graph.knowledge_graph import open_knowledge_graph
    from kg.ingest.manifest import Manifest
    from kg.ingest.service import manifest_path

    def body() -> None:
        with open_knowledge_graph(state.settings) as kg:
            w = kg.delete_document(doc_id)
        path = manifest_path(state.settings)
        if path.exists():  # an ingested file: the next `kg ingest` of it loads it again
            with Manifest(path) as m:
                record = m.by_doc_id(doc_id)
                if record is not None:
                    m.forget(record.path)
                    m.forget_merges(doc_id)
                    m.drop_pending_reviews(doc_id)
        console.print(
            f"Deleted {w.nodes_deleted} nodes and {w.relationships_deleted} relationships "
            f"(shared facts kept, with {doc_id} removed from their sources)."
        )

    _run(body)


@app.command("ingest")
def ingest_cmd(
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
) -> None:
    """Load documents into the graph: read, extract, resolve entities, check the ontology, write.

    Idempotent and resumable: unchanged files are skipped, changed ones replace their old version, and a
    killed run is finished by running the same command again. Exit code 1 when any document failed.
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from kg.graph.knowledge_graph import open_knowledge_graph
    from kg.ingest.service import ingestor_for

    settings = state.settings
    if mask_personal_data is not None:
        settings = settings.model_copy(
            update={"ingest": settings.ingest.model_copy(update={"mask_personal_data": mask_personal_data})}
        )

    def body() -> int:
        with (
            open_knowledge_graph(settings) as kg,
            Progress(
                TextColumn("ingest"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[rate]}"),
                TimeRemainingColumn(),
                console=err,
                transient=True,
            ) as bar,
        ):
            task = bar.add_task("ingest", total=None, rate="")

            def progress(kind: str, info: dict[str, Any]) -> None:
                if kind == "start":
                    bar.update(task, total=info["to_read"])
                elif kind == "progress":
                    rate = info["done"] / max(info["elapsed"], 1e-9)
                    bar.update(task, completed=info["done"], rate=f"{rate:.1f} docs/s")
                elif kind == "first-use":
                    bar.console.print(
                        f"First use: training the default extractor into {info['model']} "
                        f"(up to {info['max_minutes']:.0f} min; later runs load it)."
                    )
                elif kind == "epoch":
                    bar.console.print("  " + ", ".join(f"{k}={v}" for k, v in info.items()))

            with ingestor_for(kg, settings, recursive=recursive, force=force, progress=progress) as ing:
                if columns is not None:
                    ing.options.mapping = _column_mapping(columns)
                result = ing.run(paths)
        summary = result.summary()
        console.print(
            _table([{k: v for k, v in summary.items() if not isinstance(v, dict)}], "Ingestion summary")
        )
        console.print("Time per stage (s): " + ", ".join(f"{k} {v}" for k, v in summary["stages_s"].items()))
        for o in result.outcomes:
            for w in o.warnings:
                err.print(f"[yellow]warning:[/yellow] {w}")
        for o in result.failed:
            err.print(f"[red]failed:[/red] {o.reason}")
        if summary["review"]:
            console.print(f"{summary['review']} fact(s) refused by the ontology wait in `kg review list`.")
        if report is not None:
            report.write_text(
                json.dumps({"summary": summary, "documents": [o.__dict__ for o in result.outcomes]}, indent=2)
            )
        return 1 if result.failed else 0

    code = _run(body)
    if code:
        raise typer.Exit(code)


def _column_mapping(path: Path) -> dict[str, dict[str, list[str]]]:
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


review_app = typer.Typer(help="Facts the ontology refused: list, accept (corrected) or reject.")
app.add_typer(review_app, name="review")


@review_app.command("list")
def review_list(
    all_states: Annotated[bool, typer.Option("--all", help="Also decided items.")] = False,
) -> None:
    """Refused facts waiting for a decision, with the reason and the source document."""
    from kg.ingest.manifest import Manifest
    from kg.ingest.service import manifest_path

    def body() -> None:
        with Manifest(manifest_path(state.settings)) as m:
            items = m.review_items(None if all_states else "pending")
        rows = [
            {"id": i.id, "fact": i.describe(), "why": i.reason, "document": i.doc_id, "state": i.state}
            for i in items
        ]
        console.print(_table(rows, f"{len(rows)} review item(s)"))

    _run(body)


@review_app.command("accept")
def review_accept(
    item: Annotated[int, typer.Argument(help="Review item id (from `kg review list`).")],
    rel_type: Annotated[str | None, typer.Option("--type", help="Correct the relationship type.")] = None,
    source_label: Annotated[str | None, typer.Option(help="Correct the source entity's class.")] = None,
    target_label: Annotated[str | None, typer.Option(help="Correct the target entity's class.")] = None,
    reverse: Annotated[bool, typer.Option(help="Swap source and target.")] = False,
) -> None:
    """Write a refused fact, corrected so the ontology allows it (it is never written as refused)."""
    from kg.graph.knowledge_graph import open_knowledge_graph
    from kg.ingest.manifest import Manifest
    from kg.ingest.review import corrected_fact
    from kg.ingest.service import manifest_path

    def body() -> None:
        with Manifest(manifest_path(state.settings)) as m, open_knowledge_graph(state.settings) as kg:
            batch = corrected_fact(
                m.review_item(item), kg.schema, rel_type=rel_type, source_label=source_label,
                target_label=target_label, reverse=reverse,
            )  # fmt: skip
            kg.store.upsert(batch)
            m.decide(item, "accepted")
        console.print(f"Accepted {item}: wrote {batch.edges[0].source} -[{batch.edges[0].type}]-> "
                      f"{batch.edges[0].target}")  # fmt: skip

    _run(body)


@review_app.command("reject")
def review_reject(items: Annotated[list[int], typer.Argument(help="Review item ids.")]) -> None:
    """Drop refused facts for good (a re-ingest of the same document does not bring them back)."""
    from kg.ingest.manifest import Manifest
    from kg.ingest.service import manifest_path

    def body() -> None:
        with Manifest(manifest_path(state.settings)) as m:
            for i in items:
                m.review_item(i)  # a clear error for an unknown id
                m.decide(i, "rejected")
        console.print(f"Rejected {len(items)} item(s).")

    _run(body)


resolve_app = typer.Typer(help="Entity-resolution merges: list them, undo one.")
app.add_typer(resolve_app, name="resolve")


@resolve_app.command("list")
def resolve_list(
    label: Annotated[str | None, typer.Option(help="Only merges of this class.")] = None,
    surface: Annotated[str | None, typer.Option(help="Only merges of this spelling.")] = None,
) -> None:
    """Spellings merged into existing entities: how (key, alias, fuzzy, embedding), score, document."""
    from kg.ingest.manifest import Manifest
    from kg.ingest.service import manifest_path

    def body() -> None:
        with Manifest(manifest_path(state.settings)) as m:
            merges = m.merges(label=label, surface=surface)
        rows = [
            {"id": x.id, "label": x.label, "surface": x.surface, "into": x.target_id, "method": x.method,
             "score": round(x.score, 3), "document": x.doc_id}
            for x in merges
        ]  # fmt: skip
        console.print(_table(rows, f"{len(rows)} merge(s)"))

    _run(body)


@resolve_app.command("undo")
def resolve_undo(merge: Annotated[int, typer.Argument(help="Merge id from `kg resolve list`.")]) -> None:
    """Split a wrongly merged spelling off again (its documents are re-ingested without the merge)."""
    from kg.graph.knowledge_graph import open_knowledge_graph
    from kg.ingest.manifest import Manifest
    from kg.ingest.service import ingestor_for, manifest_path, undo_merge

    def body() -> None:
        with open_knowledge_graph(state.settings) as kg:

            def reingest(paths: list[Path]) -> None:
                with ingestor_for(kg, state.settings, force=True) as ingestor:
                    ingestor.run(paths)

            with Manifest(manifest_path(state.settings)) as m:
                what, docs = undo_merge(kg, m, merge, reingest)
        console.print(f"Undone: {what}. Re-ingested {len(docs)} document(s).")

    _run(body)


@app.command("serve")
def serve_cmd(
    host: Annotated[str | None, typer.Option(help="Address (default: KG_API__HOST or 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default: KG_API__PORT or 8000).")] = None,
) -> None:
    """Serve the HTTP API (OpenAPI docs at /docs) on the configured store, in one process."""

    def body() -> None:
        import uvicorn

        from api.app import create_app

        api_settings = state.settings.api
        app_ = create_app(state.settings)  # honours --data-dir / --backend
        uvicorn.run(app_, host=host or api_settings.host, port=port or api_settings.port, workers=1)

    _run(body)


@app.command("export")
def export_cmd(
    path: Path, fmt: Annotated[str | None, typer.Option("--format", help="turtle, json-ld")] = None
) -> None:
    """Export the graph as RDF (Turtle or JSON-LD by extension) with the ontology's IRIs."""
    from kg.graph.knowledge_graph import open_knowledge_graph
    from kg.interchange import export_rdf
    from ontology import load_ontology

    def body() -> None:
        with open_knowledge_graph(state.settings) as kg:
            n = export_rdf(kg.store, load_ontology(), path, _rdf_format(fmt))
        console.print(f"Wrote {n} triples to {path}")

    _run(body)


def _rdf_format(fmt: str | None) -> Literal["turtle", "json-ld"] | None:
    if fmt is None or fmt in ("turtle", "json-ld"):
        return fmt  # type: ignore[return-value]
    raise BadInputError(f"--format {fmt!r} is not supported: use turtle or json-ld (or a .ttl/.jsonld name).")


@app.command("import")
def import_cmd(path: Path) -> None:
    """Import RDF (Turtle/JSON-LD) written by `kg export` or typed with the ontology's classes."""
    from kg.graph.knowledge_graph import open_knowledge_graph
    from kg.interchange import import_rdf
    from ontology import load_ontology

    def body() -> None:
        with open_knowledge_graph(state.settings) as kg:
            w = import_rdf(path, load_ontology(), kg.store)
        console.print(f"Imported: {w.nodes_created} new nodes, {w.relationships_created} new relationships")

    _run(body)


@app.command("train")
def train_cmd(
    config: Annotated[
        str,
        typer.Argument(help="A training config (.toml/.json) or a shipped one: maintie, mwo2kg, default."),
    ],
    output: Annotated[
        Path | None, typer.Option(help="Where to save the model (default: models/NAME).")
    ] = None,
    device: Annotated[str | None, typer.Option(help="auto (default), cpu, cuda, cuda:N.")] = None,
) -> None:
    """Fine-tune the entity + relation extractor; early-stops on the config's dev split."""
    from extractors.configs import resolve_config
    from extractors.train import TrainConfig, train

    def body() -> None:
        cfg = TrainConfig.load(resolve_config(config))
        out = output or Path("models") / cfg.name
        console.print(f"Training {cfg.name} → {out}")

        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        with Progress(
            TextColumn("epoch {task.fields[epoch]}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=console,
            transient=True,
        ) as bar:
            task = bar.add_task("train", total=None, epoch=1)

            def report(kind: str, info: dict[str, Any]) -> None:
                if kind == "step":
                    bar.update(task, completed=info["step"], total=info["steps"], epoch=info["epoch"])
                else:
                    bar.console.print("  " + ", ".join(f"{k}={v}" for k, v in info.items()))

            result = train(cfg, out, device=device, progress=report)
        console.print(f"Saved {out}: best epoch {result.best_epoch}, dev {result.dev}, {result.seconds} s")

    _run(body)


@app.command("extract")
def extract_cmd(
    text: Annotated[
        list[str] | None, typer.Argument(help="Text(s) to read; use --file for files, - for stdin.")
    ] = None,
    file: Annotated[
        list[Path] | None, typer.Option("--file", "-f", help="UTF-8 text file(s), one text per file.")
    ] = None,
    model: Annotated[
        Path | None, typer.Option(help="A folder written by `kg train` (default: the mfg-kg default model).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON lines instead of tables.")] = False,
) -> None:
    """Entities and relations in text, with character spans and scores (nothing is written to the graph).

    The default model is trained once on first use (see `kg train default`); later runs load it.
    """
    from extractors.default import load_extractor
    from extractors.types import TextChunk

    def body() -> None:
        texts: list[tuple[str, str]] = []
        for t in text or []:
            texts.append(("stdin", typer.get_text_stream("stdin").read()) if t == "-" else ("arg", t))
        for f in file or []:
            try:
                texts.append((str(f), f.read_text(encoding="utf-8")))
            except (OSError, UnicodeDecodeError) as e:
                raise BadInputError(f"Cannot read {f} as UTF-8 text: {e}. Give a readable text file.") from e
        if not texts:
            raise BadInputError("Nothing to read: give a text, --file PATH, or - for stdin.")
        cfg = state.settings.extractor
        if model is not None:
            cfg = cfg.model_copy(update={"model": model})

        def report(kind: str, info: dict[str, Any]) -> None:
            if kind == "first-use":
                err.print(
                    f"First use: training the default model into {info['model']} "
                    f"(up to {info['max_minutes']:.0f} min on this machine; later runs load it)."
                )
            elif kind == "epoch":
                err.print("  " + ", ".join(f"{k}={v}" for k, v in info.items()))

        ex = load_extractor(cfg, progress=report)
        results = ex.extract([TextChunk(text=t, doc_id=src) for src, t in texts])
        for (src, t), r in zip(texts, results, strict=True):
            if as_json:
                console.print_json(json.dumps({"source": src, "text": t, **r.model_dump()}))
                continue
            rows = [
                {"#": i, "text": m.text, "label": m.label, "span": f"{m.start}-{m.end}", "score": m.score}
                for i, m in enumerate(r.mentions)
            ]
            console.print(_table(rows, f"{src}: {len(r.mentions)} entities ({r.model_version})"))
            if r.relations:
                rels = [
                    {
                        "head": r.mentions[x.head].text,
                        "relation": x.label,
                        "tail": r.mentions[x.tail].text,
                        "score": x.score,
                    }
                    for x in r.relations
                ]
                console.print(_table(rels, "relations"))

    _run(body)


@app.command("eval")
def eval_cmd(
    model: Annotated[Path, typer.Argument(help="A folder written by `kg train`.")],
    data: Annotated[
        str, typer.Argument(help="Annotated data (file/folder), or a config whose dev split to use.")
    ],
    reader: Annotated[
        str, typer.Option(help="maintie, conll, jsonl, labelstudio, brat, ... (auto by default)")
    ] = "auto",
    out: Annotated[Path | None, typer.Option(help="Write eval.json and eval.md here.")] = None,
    device: Annotated[str, typer.Option(help="auto (default), cpu, cuda, cuda:N.")] = "auto",
    precision: Annotated[
        str, typer.Option(help="fp32 (default); int8 (CPU, quantized encoder); fp16/bf16 (GPU).")
    ] = "fp32",
    batch_size: Annotated[int, typer.Option(min=1, help="Windows per forward pass.")] = 32,
) -> None:
    """Score a trained extractor: entity and relation precision/recall/F1 (strict)."""
    from extractors.configs import resolve_config, shipped
    from extractors.data import DataSpec
    from extractors.train import TrainConfig
    from kg.evaluation.extraction import evaluate

    def body() -> None:
        if data in shipped() or data.endswith(".toml"):
            specs = TrainConfig.load(resolve_config(data)).dev  # the config's dev split
        else:
            specs = [DataSpec(reader=reader, path=str(Path(data).resolve()))]
        run = evaluate(model, specs, out_dir=out, device=device, precision=precision, batch_size=batch_size)
        console.print(run.report.to_markdown())
        console.print(
            f"{run.texts} texts in {run.seconds} s ({run.texts_per_second} texts/s), {run.model_version}"
        )

    _run(body)


@app.command("ask")
def ask_cmd(
    question: Annotated[str, typer.Argument(help="A question in plain language, in quotes.")],
    explainer: Annotated[
        str | None, typer.Option(help="template, local or openai (default: KG_LLM__EXPLAINER).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the whole answer as JSON.")] = False,
) -> None:
    """Answer a question from the graph: the answer, the explanation, the facts, citations and Cypher."""
    from kg.graph.knowledge_graph import open_knowledge_graph
    from kg.qa.answers import AskRequest
    from kg.qa.service import QAService

    def body() -> None:
        try:
            req = AskRequest(question=question, explainer=explainer)  # type: ignore[arg-type]
        except ValueError as e:
            raise BadInputError(f"Bad question or --explainer: {e}") from e
        with open_knowledge_graph(state.settings) as kg:
            resp = QAService(kg, state.settings).ask(req)
        if as_json:
            console.print_json(resp.model_dump_json())
            return
        console.print(f"[bold]{resp.answer}[/bold]")
        if resp.explanation != resp.answer:
            console.print(resp.explanation)
        grounded = "grounded" if resp.explainer.grounded else "NOT grounded"
        tool = f"{resp.tool.name} ({resp.tool.method})" if resp.tool else "none"
        console.print(
            f"[dim]status {resp.status}; tool {tool}; explainer {resp.explainer.name} ({grounded})[/dim]"
        )
        for choice in resp.choices + resp.suggestions:
            names = ", ".join(f"{x.name} [{x.id}]" for x in choice.candidates)
            console.print(f"  {choice.mention!r}: {names}")
        for cite in resp.citations[:5]:
            console.print(
                f"  [dim]cites {cite.document} [{cite.start}:{cite.end}][/dim] {(cite.snippet or '')[:120]}"
            )

    _run(body)


@app.command("eval-qa")
def eval_qa_cmd(
    questions: Annotated[Path | None, typer.Option(help="JSONL of questions with gold answers.")] = None,
    explainer: Annotated[str, typer.Option(help="template, local or openai.")] = "template",
    current: Annotated[
        bool, typer.Option(help="Ask the configured graph instead of a fresh graph of samples/.")
    ] = False,
    out: Annotated[Path | None, typer.Option(help="Write the full report (JSON) here.")] = None,
) -> None:
    """Competency questions over the samples graph: routing, entity linking and answer accuracy."""
    from kg.cli.demo import DEFAULT_SAMPLES
    from kg.evaluation.qa import DEFAULT_QUESTIONS, evaluate, load_questions, sample_graph
    from kg.graph.knowledge_graph import open_knowledge_graph

    if explainer not in ("template", "local", "openai"):
        raise typer.BadParameter("use template, local or openai", param_hint="--explainer")

    def body() -> None:
        items = load_questions(questions or DEFAULT_QUESTIONS)
        graph = (
            open_knowledge_graph(state.settings) if current else sample_graph(state.settings, DEFAULT_SAMPLES)
        )
        with graph as kg:
            report = evaluate(kg, state.settings, items, explainer=explainer)  # type: ignore[arg-type]
        wrong = [q for q in report["questions"] if not (q["routing"] and q["answer"])]
        if wrong:
            cols = ("id", "question", "tool", "gold_tool", "status", "missing", "extra")
            console.print(_table([{k: q[k] for k in cols} for q in wrong], "Questions answered wrongly"))
        console.print(_table([{"metric": k, "value": v} for k, v in report["summary"].items()], "eval-qa"))
        if out:
            out.write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
            console.print(f"Report written to {out}")

    _run(body)


@store_app.command("repair")
def store_repair() -> None:
    """Cut a damaged append-only file back to its last complete write (a backup is kept)."""
    from kg.store.falkor_server import repair_data_dir

    _run(lambda: console.print(repair_data_dir(state.settings.store.data_dir)))
