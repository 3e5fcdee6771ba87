"""Reliability tools: how an asset can fail (FMEA chains) and what its work orders record.

Also :func:`failure_history`, the work-order timeline of an asset that ``GET /equipment/{id}/history``
serves as well. Each :class:`~kg.qa.tools.base.Tool` sits next to its runner with the questions and rules
that route to it.

Example:
    >>> FAILURE_CHAINS.matches_rule("What is the RPN of the pump?"), FAILURE_HISTORY.slots[0].labels
    (True, ('Equipment', 'Part'))
"""

from __future__ import annotations

from typing import Any

from kg.graph import analyst
from kg.graph.knowledge_graph import KnowledgeGraph
from kg.graph.results import EntityRef
from kg.qa.answers import FailureHistoryResponse
from kg.qa.tools.answer_facts import FactList
from kg.qa.tools.base import (
    ASSET,
    Slot,
    Tool,
    ToolOutput,
    also_sentence,
    answer_ref,
    name_list,
    plural,
    records_first,
)

#: FMEA ratings stated as facts of a failure mode
RATINGS = ("severity", "occurrence", "detection", "rpn")


def _failure_chains(kg: KnowledgeGraph, a: dict[str, str], limit: int) -> ToolOutput:
    from kg.graph.entities import entity_ref, require

    e = entity_ref(require(kg, a["asset"], "the question", ASSET))
    rows, extra = records_first(
        lambda rec: [
            analyst.numeric_ratings(r) for r in kg.failure_chains(a["asset"], limit=limit, records=rec)
        ],
        lambda res: [answer_ref(str(c["mode_id"]), c["mode"], ["FailureMode"]) for c in res],
    )
    facts = FactList()
    modes: dict[str, EntityRef] = {}
    for c in rows:
        mode = (str(c["mode_id"]), c["mode"])
        modes.setdefault(mode[0], answer_ref(mode[0], mode[1], ["FailureMode"]))
        facts.relation((str(c["item_id"]), c["item"]), "HAS_FAILURE_MODE", mode)
        if c["cause"]:
            facts.relation((str(c["cause_id"]), c["cause"]), "CAUSES", mode)
        if c["effect"]:
            facts.relation(mode, "CAUSES", (str(c["effect_id"]), c["effect"]))
        for k in RATINGS:
            if c[k] is not None:
                facts.attribute(mode, k, c[k])
    refs = list(modes.values())
    top = next((c for c in rows if c["rpn"] is not None), None)
    answer = (
        f"{e.name or e.id} has {plural(len(refs), 'failure mode')}"
        + (
            f"; the highest RPN is {top['rpn']} ({top['mode']}"
            + (f", caused by {top['cause']})." if top["cause"] else ").")
            if top
            else "."
        )
        if refs
        else f"The graph holds no failure modes for {e.name or e.id}."
    ) + also_sentence(extra)
    return ToolOutput(
        answer=answer, answer_entities=refs, facts=facts.unique(), cite=[e.id, *modes], also_reported=extra
    )


def _failure_history(kg: KnowledgeGraph, a: dict[str, str], limit: int) -> ToolOutput:
    r = failure_history(kg, a["asset"], limit=limit)
    e = r.entity
    facts = FactList()
    modes: dict[str, EntityRef] = {}
    for ev in r.events:
        wo = ev.work_order or f"{ev.document}@{ev.start}"
        order = (wo, f"work order {wo}")
        facts.attribute(order, "date", ev.date)
        for m in ev.failure_modes:
            modes.setdefault(m.id, m)
            facts.relation(order, "RECORDS", m)
        for act in ev.activities:
            facts.relation(order, "RECORDS", act)
    answer = (
        f"{plural(len(r.events), 'work order')} concern {e.name or e.id}"
        + (
            f", from {r.events[-1].date} to {r.events[0].date}"
            if r.events[0].date and r.events[-1].date
            else ""
        )
        + (f"; failures recorded: {name_list(list(modes.values()))}." if modes else ".")
        if r.events
        else f"No work order in the graph concerns {e.name or e.id}."
    )
    return ToolOutput(
        answer=answer,
        answer_entities=list(modes.values()),
        facts=facts.all(),
        cite=[e.id],
        data={"work_orders": [ev.work_order for ev in r.events if ev.work_order], "events": r.events},
    )


def failure_history(kg: KnowledgeGraph, asset_id: str, *, limit: int = 100) -> FailureHistoryResponse:
    """Work orders of an asset and its sub-assets, newest first, with what each one records."""
    from kg.graph import queries
    from kg.graph.entities import entity_ref, require
    from kg.qa.answers import WorkOrderEvent

    node = require(kg, asset_id, "path parameter 'equipment_id'", ASSET)
    rows = kg.store.read(queries.work_order_events(), {"id": asset_id, "limit": limit + 1})
    spans = [{"key": r["chunk"], "doc": r["doc"], "start": r["start"], "end": r["end"]} for r in rows[:limit]]
    found: dict[str, list[dict[str, Any]]] = {}
    if spans:
        for m in kg.store.read(queries.entities_in_spans(), {"spans": spans}):
            found.setdefault(str(m["key"]), []).append(m)
    events = []
    for r in rows[:limit]:
        mentioned = found.get(str(r["chunk"]), [])

        def of(label: str, mentioned: list[dict[str, Any]] = mentioned) -> list[EntityRef]:
            return [
                answer_ref(str(m["id"]), m["name"], m["labels"]) for m in mentioned if label in m["labels"]
            ]

        events.append(
            WorkOrderEvent(
                work_order=r["work_order"],
                date=r["date"],
                text=str(r["text"] or ""),
                document=str(r["doc"]),
                start=int(r["start"]),
                end=int(r["end"]),
                failure_modes=of("FailureMode"),
                activities=of("MaintenanceActivity"),
                parts=[p for p in of("Part") if p.id != r["asset_id"]],
            )
        )
    return FailureHistoryResponse(entity=entity_ref(node), events=events, truncated=len(rows) > limit)


FAILURE_CHAINS = Tool(
    "failure_chains",
    "Failure chains",
    (Slot("asset", ASSET),),
    (
        "How can {X} fail?",
        "What are the failure modes of {X}?",
        "What causes {X} to fail?",
        "Show the failure chains for {X}",
        "What is the highest risk failure of {X}?",
        "FMEA of {X}",
        "What are the effects of failures of {X}?",
    ),
    (
        r"\bfailure (modes?|chains?|causes?|effects?)\b",
        r"\bfmea\b",
        r"\b(rpn|risk priority)\b",
        r"\bhow (can|could|does|do|might) .* fail\b",
        r"\bwhy (does|do|did) .* fail\b",
    ),
    _failure_chains,
)

FAILURE_HISTORY = Tool(
    "failure_history",
    "Failure history from work orders",
    (Slot("asset", ASSET),),
    (
        "What is the maintenance history of {X}?",
        "Which work orders were raised on {X}?",
        "What failures has {X} had?",
        "When did {X} last break down?",
        "Past repairs on {X}",
        "Show the work orders for {X}",
    ),
    (
        r"\b(history|work[- ]orders?|past (failures|repairs)|breakdowns?|last (failed|broke|repair)|"
        r"has .* had|when did)\b",
    ),
    _failure_history,
)
