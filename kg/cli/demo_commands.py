"""``kg demo``: the command, and how it prints what :func:`kg.cli.demo.run_demo` found.

The work (ingest ``samples/``, pick the equipment and supplier to show, ask the questions) lives in
:mod:`kg.cli.demo`; this module only parses the options and prints the report.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kg.cli.ingest_commands import print_ingest_problems, print_node_rules, print_review_hint
from kg.cli.root import console, err, first_use_progress, run_with_exit_code, state, table
from kg.core.settings import Settings

if TYPE_CHECKING:
    from kg.cli.demo import DemoReport
    from kg.qa.answers import AskResponse


def demo_cli(
    samples: Annotated[
        Path | None, typer.Option(help="Samples folder (with structured/ and documents/).")
    ] = None,
    structured_only: Annotated[
        bool, typer.Option(help="Only the structured tables: no documents, so no model needed.")
    ] = False,
) -> None:
    """Ingest samples/ on the embedded store; show failure chains, a supplier outage, single sources."""
    run_with_exit_code(lambda: demo(state.settings, samples, structured_only=structured_only))


def demo(settings: Settings, samples: Path | None = None, *, structured_only: bool = False) -> int:
    """Run the demo on ``settings``' store and print what it found; 1 when a sample failed to load.

    Two steps, each printed as soon as it is done: the structured tables (no model needed, so their tables and
    answers are on screen within a minute of the install), then the documents (the default extractor is
    trained on first use, at most ``KG_EXTRACTOR__FIRST_USE_MINUTES``).
    """
    from kg.cli.demo import DEFAULT_SAMPLES, demo_steps, run_demo
    from kg.graph.knowledge_graph import open_knowledge_graph

    steps = demo_steps(samples or DEFAULT_SAMPLES, structured_only=structured_only)
    failed = 0
    with open_knowledge_graph(settings) as kg:
        where = settings.store.data_dir if kg.store.name == "falkordb" else kg.store.name
        console.print(f"[bold]mfg-kg demo[/bold] — store: {kg.store.name} ({where})")
        for n, (title, paths) in enumerate(steps, 1):
            console.print(f"\n[bold]Step {n} of {len(steps)}: {title}[/bold]")
            r = run_demo(kg, settings, paths, progress=first_use_progress(err))
            print_report(r)
            failed += len(r.ingest.failed)
    return 1 if failed else 0


def print_report(r: DemoReport) -> None:
    """One step's ingestion summary, findings and answers."""
    s = r.ingest.summary()
    console.print(
        f"Ingested: {s['loaded']} loaded, {s['replaced']} replaced, {s['unchanged']} unchanged, "
        f"{s['duplicate']} duplicate, {s['failed']} failed; {s['facts']} facts in {s['seconds']} s "
        "(a re-run finds every document unchanged and writes nothing)."
    )
    print_node_rules(s)
    print_ingest_problems(r.ingest)
    print_findings(r)
    print_answers(r.answers)
    print_review_hint(s)


def print_findings(r: DemoReport) -> None:
    """What the graph holds, then the failure chains, the supplier outage and the single sources found."""
    counts = [{"kind": k, "name": n, "count": c} for k, d in r.stats.items() for n, c in d.items()]
    console.print(table(counts, "What the graph holds"))
    if r.equipment:
        console.print(
            table(
                r.failure_chains,
                f"Failure chains of {r.equipment['name']} ({r.equipment['id']}),"
                " cause → mode → effect, highest RPN first",
                hide_ids=True,
            )
        )
    if r.supplier:
        console.print(
            table(
                r.supplier_impact,
                f"If {r.supplier['name']} ({r.supplier['id']}) stops"
                " supplying: items, equipment and sites hit (other_suppliers = 0: sole source)",
                hide_ids=True,
            )
        )
    if r.single_source:
        console.print(table(r.single_source, "Single-source items (one supplier only)", hide_ids=True))


def print_answers(answers: Sequence[AskResponse]) -> None:
    """Each question with its answer, explanation and what it ran; then how to ask your own."""
    for a in answers:
        console.print(f"\n[bold]Q: {a.question}[/bold]\n[bold]A:[/bold] {a.answer}")
        if a.explanation != a.answer:
            console.print(a.explanation)
        tool = a.tool.name if a.tool else "none"
        grounded = "grounded" if a.explainer.grounded else "not grounded"
        console.print(
            f"[dim]tool {tool}; {len(a.facts)} facts, {len(a.cypher)} Cypher statements, "
            f"{len(a.citations)} citations; explained by {a.explainer.name} ({grounded})[/dim]"
        )
    if answers:
        console.print(
            '\nAsk your own: `kg ask "Which parts are single-sourced?"`, or `kg serve` and open '
            "http://127.0.0.1:8000/ (web explorer) or /docs (API)."
        )
