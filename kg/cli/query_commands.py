"""Commands that read the graph: ``query`` (guarded Cypher), ``stats``, ``search`` and the analyst questions
``failure-chains``, ``supplier-impact`` and ``single-source``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any

import typer

from kg.cli.root import console, err, run, state, table
from kg.core.settings import Settings

if TYPE_CHECKING:
    from kg.graph.knowledge_graph import KnowledgeGraph


def query_cli(
    cypher_text: Annotated[str, typer.Argument(metavar="CYPHER", help="A read-only Cypher query.")],
    param: Annotated[
        list[str] | None, typer.Option("--param", "-p", help="name=value (JSON value or text).")
    ] = None,
    max_rows: Annotated[int, typer.Option(help="Row limit.")] = 100,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """Run a read-only Cypher query through the guard (writes, LOAD CSV and procedures are refused)."""
    params = dict(parse_param(p) for p in param or [])
    run(lambda: query(state.settings, cypher_text, params, max_rows=max_rows, as_json=as_json))


def query(
    settings: Settings,
    cypher_text: str,
    params: dict[str, Any],
    *,
    max_rows: int = 100,
    as_json: bool = False,
) -> None:
    """Run ``cypher_text`` through the read-only guard; print the rows as a table or as JSON."""
    from kg.graph.knowledge_graph import open_knowledge_graph

    with open_knowledge_graph(settings) as kg:
        res = kg.query(cypher_text, params, max_rows=max_rows)
    if as_json:
        console.print_json(json.dumps(res.model_dump(), default=str))
    else:
        console.print(table(res.rows, f"{len(res.rows)} row(s){' (truncated)' if res.truncated else ''}"))


def parse_param(text: str) -> tuple[str, Any]:
    """``--param name=value``: the value as JSON when it parses, else as text; exit 2 when malformed."""
    name, sep, value = text.partition("=")
    if not sep or not name.isidentifier():
        err.print(f"[red]error:[/red] --param {text!r} must look like name=value")
        raise typer.Exit(2)
    try:
        return name, json.loads(value)
    except json.JSONDecodeError:
        return name, value


def stats_cli() -> None:
    """Counts of entities per class, relationships per type, documents."""
    run(lambda: stats(state.settings))


def stats(settings: Settings) -> None:
    """Print the counts :meth:`~kg.graph.knowledge_graph.KnowledgeGraph.stats` returns as one table."""
    from kg.graph.knowledge_graph import open_knowledge_graph

    with open_knowledge_graph(settings) as kg:
        s = kg.stats()
    console.print(
        table([{"kind": k, "name": n, "count": c} for k, d in s.items() for n, c in d.items()], "Graph")
    )


def failure_chains_cli(entity_id: str, limit: int = 50) -> None:
    """Cause → mode → effect for an equipment or part (and its sub-parts), highest RPN first."""
    title = f"Failure chains of {entity_id}"
    run(lambda: analyst_rows(state.settings, lambda kg: kg.failure_chains(entity_id, limit=limit), title))


def supplier_impact_cli(supplier_id: str, limit: int = 50) -> None:
    """What an outage of a supplier hits: items, equipment containing them, sites."""
    title = f"Impact of {supplier_id}"
    run(
        lambda: analyst_rows(
            state.settings,  # the depth column (1: on the equipment's own BOM) is for tools, not the terminal
            lambda kg: [
                {k: v for k, v in r.items() if k != "depth"}
                for r in kg.supplier_impact(supplier_id, limit=limit)
            ],
            title,
        )
    )


def single_source_cli(limit: int = 50) -> None:
    """Items with exactly one supplier."""
    title = "Single-source items"
    run(lambda: analyst_rows(state.settings, lambda kg: kg.single_source_items(limit=limit), title))


def search_cli(text: str, limit: int = 10) -> None:
    """Find entities by name (full-text, prefix match on the last word)."""
    title = f"Entities matching {text!r}"
    run(lambda: analyst_rows(state.settings, lambda kg: kg.search(text, limit=limit), title))


def analyst_rows(
    settings: Settings, fn: Callable[[KnowledgeGraph], list[dict[str, Any]]], title: str
) -> None:
    """Print the rows ``fn`` reads from the graph as a table titled ``title`` (or say nothing was found)."""
    from kg.graph.knowledge_graph import open_knowledge_graph

    with open_knowledge_graph(settings) as kg:
        rows = fn(kg)
    console.print(table(rows, title) if rows else f"{title}: nothing found.")
