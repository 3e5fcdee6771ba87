"""``kg audit``: the entities the graph is least sure of, with the evidence that created them.

Example::

    kg audit --label Supplier             # the 50 least confident suppliers, with document and sentence
    kg audit --label Part --sample 30     # a random sample, to estimate precision by hand
"""

from __future__ import annotations

import json
from typing import Annotated

import typer

from kg.cli.root import console, run, state, table
from kg.core.settings import Settings


def audit_cli(
    label: Annotated[
        str | None, typer.Option(help="Only this class (Supplier, Part, FailureMode, ...).")
    ] = None,
    sample: Annotated[
        int | None, typer.Option(help="A random sample of N instead of the least confident.")
    ] = None,
    limit: Annotated[int, typer.Option(help="How many entities, least confident first.")] = 50,
    seed: Annotated[int, typer.Option(help="Seed of the random sample.")] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """List entities with the evidence that created them (document, sentence, score, model or rule), least
    confident first, to review before trusting the graph."""
    run(lambda: audit(state.settings, label=label, sample=sample, limit=limit, seed=seed, as_json=as_json))


def audit(
    settings: Settings,
    *,
    label: str | None = None,
    sample: int | None = None,
    limit: int = 50,
    seed: int = 0,
    as_json: bool = False,
) -> None:
    """Print the audit of ``settings``' graph as a table or as JSON."""
    from kg.graph.audit import audit as audit_rows
    from kg.graph.knowledge_graph import open_knowledge_graph

    with open_knowledge_graph(settings) as kg:
        rows = audit_rows(kg, label=label, limit=limit, sample=sample, seed=seed)
    if as_json:
        console.print_json(json.dumps([r.model_dump() for r in rows]))
        return
    shown = [
        {
            "confidence": round(r.confidence, 3),
            "id": r.entity.id,
            "name": r.entity.name,
            "made by": ", ".join(r.made_by),
            "documents": r.documents,
            "document": r.citation.document if r.citation else None,
            "text": (r.citation.snippet or "")[:90] if r.citation else None,
        }
        for r in rows
    ]
    what = (
        f"a random sample of {label or 'entities'}"
        if sample
        else f"{label or 'entities'}, least confident first"
    )
    console.print(table(shown, f"Audit: {len(rows)} {what}"))
    if rows:
        console.print(
            "Wrong merges: `kg resolve list` / `kg resolve undo`; "
            "facts the ontology refused: `kg review list`."
        )
