"""Human decisions on what ingestion did: ``kg review`` (facts the ontology refused) and ``kg resolve``
(entity-resolution merges).

Both groups read the ingest manifest next to the store; ``review accept`` and ``resolve undo`` also write
to the graph.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kg.cli.root import console, run, state, table
from kg.core.settings import Settings

review_app = typer.Typer(help="Facts the ontology refused: list, accept (corrected) or reject.")
resolve_app = typer.Typer(help="Entity-resolution merges: list them, undo one.")


@review_app.command("list")
def review_list_cli(
    all_states: Annotated[bool, typer.Option("--all", help="Also decided items.")] = False,
) -> None:
    """Refused facts waiting for a decision, with the reason and the source document."""
    run(lambda: list_review_items(state.settings, all_states=all_states))


def list_review_items(settings: Settings, *, all_states: bool = False) -> None:
    """Print the pending review items (``all_states``: the decided ones too)."""
    from kg.ingest.manifest import Manifest
    from kg.ingest.service import manifest_path

    with Manifest(manifest_path(settings)) as m:
        items = m.review_items(None if all_states else "pending")
    rows = [
        {"id": i.id, "fact": i.describe(), "why": i.reason, "document": i.doc_id, "state": i.state}
        for i in items
    ]
    console.print(table(rows, f"{len(rows)} review item(s)"))


@review_app.command("accept")
def review_accept_cli(
    item: Annotated[int, typer.Argument(help="Review item id (from `kg review list`).")],
    rel_type: Annotated[str | None, typer.Option("--type", help="Correct the relationship type.")] = None,
    source_label: Annotated[str | None, typer.Option(help="Correct the source entity's class.")] = None,
    target_label: Annotated[str | None, typer.Option(help="Correct the target entity's class.")] = None,
    reverse: Annotated[bool, typer.Option(help="Swap source and target.")] = False,
) -> None:
    """Write a refused fact, corrected so the ontology allows it (it is never written as refused)."""
    run(
        lambda: accept_review_item(
            state.settings, item, rel_type=rel_type, source_label=source_label,
            target_label=target_label, reverse=reverse,
        )
    )  # fmt: skip


def accept_review_item(
    settings: Settings,
    item: int,
    *,
    rel_type: str | None = None,
    source_label: str | None = None,
    target_label: str | None = None,
    reverse: bool = False,
) -> None:
    """Write review item ``item`` with the corrections applied and mark it accepted."""
    from kg.graph.knowledge_graph import open_knowledge_graph
    from kg.ingest.manifest import Manifest
    from kg.ingest.review import corrected_fact
    from kg.ingest.service import manifest_path

    with Manifest(manifest_path(settings)) as m, open_knowledge_graph(settings) as kg:
        batch = corrected_fact(
            m.review_item(item), kg.schema, rel_type=rel_type, source_label=source_label,
            target_label=target_label, reverse=reverse,
        )  # fmt: skip
        kg.store.upsert(batch)
        m.decide(item, "accepted")
    console.print(f"Accepted {item}: wrote {batch.edges[0].source} -[{batch.edges[0].type}]-> "
                  f"{batch.edges[0].target}")  # fmt: skip


@review_app.command("reject")
def review_reject_cli(items: Annotated[list[int], typer.Argument(help="Review item ids.")]) -> None:
    """Drop refused facts for good (a re-ingest of the same document does not bring them back)."""
    run(lambda: reject_review_items(state.settings, items))


def reject_review_items(settings: Settings, items: list[int]) -> None:
    """Mark each of ``items`` rejected (an unknown id is an error before anything else is decided)."""
    from kg.ingest.manifest import Manifest
    from kg.ingest.service import manifest_path

    with Manifest(manifest_path(settings)) as m:
        for i in items:
            m.review_item(i)  # a clear error for an unknown id
            m.decide(i, "rejected")
    console.print(f"Rejected {len(items)} item(s).")


@resolve_app.command("list")
def resolve_list_cli(
    label: Annotated[str | None, typer.Option(help="Only merges of this class.")] = None,
    surface: Annotated[str | None, typer.Option(help="Only merges of this spelling.")] = None,
) -> None:
    """Spellings merged into existing entities: how (key, alias, fuzzy, embedding), score, document."""
    run(lambda: list_merges(state.settings, label=label, surface=surface))


def list_merges(settings: Settings, *, label: str | None = None, surface: str | None = None) -> None:
    """Print the merges entity resolution made, optionally only of one class or one spelling."""
    from kg.ingest.manifest import Manifest
    from kg.ingest.service import manifest_path

    with Manifest(manifest_path(settings)) as m:
        merges = m.merges(label=label, surface=surface)
    rows = [
        {"id": x.id, "label": x.label, "surface": x.surface, "into": x.target_id, "method": x.method,
         "score": round(x.score, 3), "document": x.doc_id}
        for x in merges
    ]  # fmt: skip
    console.print(table(rows, f"{len(rows)} merge(s)"))


@resolve_app.command("undo")
def resolve_undo_cli(merge: Annotated[int, typer.Argument(help="Merge id from `kg resolve list`.")]) -> None:
    """Split a wrongly merged spelling off again (its documents are re-ingested without the merge)."""
    run(lambda: undo_merge(state.settings, merge))


def undo_merge(settings: Settings, merge: int) -> None:
    """Undo merge ``merge`` and re-ingest the documents that used it, without it."""
    from kg.graph.knowledge_graph import open_knowledge_graph
    from kg.ingest.manifest import Manifest
    from kg.ingest.service import ingestor_for, manifest_path
    from kg.ingest.service import undo_merge as undo_in_graph

    with open_knowledge_graph(settings) as kg:

        def reingest(paths: list[Path]) -> None:
            with ingestor_for(kg, settings, force=True) as ingestor:
                ingestor.run(paths)

        with Manifest(manifest_path(settings)) as m:
            what, docs = undo_in_graph(kg, m, merge, reingest)
    console.print(f"Undone: {what}. Re-ingested {len(docs)} document(s).")
