"""What is done against a failure: the actions the records tie to its causes and failure modes
(``MITIGATED_BY``, an FMEA row's recommended action). Asked as "what mitigates cavitation on OST-P-201",
"corrective actions for seal leakage", "how do we prevent hose bursts"; answered by the failure-chains tool.

The question's wording is read by :mod:`kg.qa.causal` (``ask="actions"``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from kg.core.facts import RECORD_EXTRACTORS
from kg.graph.knowledge_graph import KnowledgeGraph
from kg.graph.results import EntityRef
from kg.qa.tools.answer_facts import FactList
from kg.qa.tools.base import ToolOutput, answer_ref


def recommended_actions(
    kg: KnowledgeGraph,
    e: EntityRef | None,
    rows: list[dict[str, Any]],
    text: str,
    limit: int,
    *,
    records: Sequence[str] | None = RECORD_EXTRACTORS,
    with_causes: bool = False,
) -> ToolOutput:
    """The recorded actions against the causes and failure modes of ``rows`` (the chain rows the question
    names, or all of an asset's), each with what it acts against; with ``records`` None, those documents
    give too (a manual's remedies); ``with_causes``, what they act against answers too ("cause and fix?")."""
    from kg.graph import item_queries

    targets: dict[str, str | None] = {}
    for c in rows:
        for part in ("cause", "mode"):
            if c.get(f"{part}_id"):
                targets.setdefault(str(c[f"{part}_id"]), c[part])
    params = {"ids": sorted(targets), "records": None if records is None else list(records)}
    found = kg.store.read(item_queries.mitigations(), params) if targets else []
    facts = FactList()
    actions: dict[str, EntityRef] = {}
    against: dict[str, list[str]] = {}
    causes: dict[str, EntityRef] = {}
    for r in found:
        causes.setdefault(str(r["from_id"]), answer_ref(str(r["from_id"]), r["from_name"]))
        actions.setdefault(str(r["id"]), answer_ref(str(r["id"]), r["name"], ["MaintenanceActivity"]))
        against.setdefault(str(r["id"]), []).append(str(r["from_name"] or r["from_id"]))
        facts.relation((str(r["from_id"]), r["from_name"]), "MITIGATED_BY", (str(r["id"]), r["name"]))
    where = f" of {e.name or e.id}" if e else ""
    subject = f" against {text}" if text else ""
    if not actions:
        subject = subject or " against its failures"
        answer = f"No failure chain{where} in the graph records an action{subject}."
    else:
        listed = [
            f"{a.name or a.id} (against {'; '.join(dict.fromkeys(against[k]))})" for k, a in actions.items()
        ]
        given = "recorded actions" if records else "actions documents give"
        answer = f"In the failure chains{where}, the {given}{subject}: " + "; ".join(listed) + "."
    refs = [*(causes.values() if with_causes else ()), *actions.values()]
    return ToolOutput(
        answer=answer,
        answer_entities=refs[: limit * (2 if with_causes else 1)],
        facts=facts.unique(),
        cite=[*([e.id] if e else []), *targets][:20],
    )
