"""Work orders: an asset's history (its own rows, its sub-assemblies' on request), at a site, in a date range,
still open, about given words; and :func:`failure_history`, which ``GET /equipment/{id}/history`` serves.

Rows are the work-order table rows ingestion keeps as chunks (``work_order``, ``date``, and the row's text
as ``header: value; ...``, from which the asset and status columns are read back).

Example:
    >>> row_fields("work_order: 24-0097; asset: OST-CMP-01; status: closed")["status"]
    'closed'
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from kg.core.keys import node_id, normalise_part_number
from kg.graph.knowledge_graph import KnowledgeGraph
from kg.graph.results import EntityRef
from kg.ingest.item_heads import is_item_head
from kg.ingest.pipeline.work_orders import WORK_ORDER_COLUMNS
from kg.qa.answers import FailureHistoryResponse, WorkOrderEvent
from kg.qa.linking.organisation_items import item_words
from kg.qa.text import holds, says_failure
from kg.qa.text import stems as word_stems
from kg.qa.tools.answer_facts import FactList
from kg.qa.tools.base import (
    ASSET,
    MAX_ROWS,
    Slot,
    Tool,
    ToolOutput,
    answer_ref,
    asks_rollup,
    bom_lines,
    name_list,
    plural,
    site_scope,
)
from kg.tables.csv_table import normalise_header

#: work-order statuses that mean done (anything else, WAPPR, WMATL, open, counts as still open)
CLOSED_STATUSES = frozenset(
    {
        "close",
        "closed",
        "comp",
        "complete",
        "completed",
        "done",
        "finished",
        "cancelled",
        "canceled",
        "canc",
        "clos",
    }
)


#: words that say what kind of job a work order is, which its text does not: "corrective wos since June",
#: "breakdowns in 2024" (any failure event: the text says what broke, not "breakdown")
_KIND_WORDS = re.compile(
    r"\b(corrective|preventi?v?e?|preventative|reactive|(un)?planned|(un)?scheduled|maintenance|"
    r"work ?orders?|wos?|wo's|jobs?|tickets?|breakdowns?|failures?|faults?|problems?|issues?|incidents?|"
    r"stoppages?|call[- ]?outs?|interventions?|repairs?|events?|troubles?|latest|last|most recent|recent|"
    r"newest)\b",
    re.IGNORECASE,
)


#: the failures an asset or a kind of equipment has most often ("the most common failure on the compressors")
_COMMON_FAILURE = (
    r"\b(most|more) (common|frequent|usual|typical|recurring) "
    r"(failures?|failure modes?|faults?|problems?|issues?)\b"
)


def history_params(question: str) -> dict[str, str]:
    """``rollup`` for sub-assemblies too; ``kind`` for the most common failures of a kind of equipment."""
    from kg.qa.tools.shapes import asked_kind

    out = {"rollup": "yes"} if asks_rollup(question) else {}
    if re.search(_COMMON_FAILURE, question, re.IGNORECASE) and (kind := asked_kind(question)):
        out["kind"] = kind
    if _LATEST.search(question):  # "when did X last fail": every work order, the latest (failure) told
        failure = re.search(r"\b(fail\w*|broke\w*|break\w*|leak\w*|trip\w*)\b", question, re.IGNORECASE)
        out["latest"] = "failure" if failure else "yes"
    return out


_LATEST = re.compile(r"\b(most recent|latest|newest)\b|\blast\b(?! (year|month|week|quarter|\d))", re.I)


def _numbers_of_parts_named(kg: KnowledgeGraph, asset_id: str, wanted: list[str]) -> dict[str, list[str]]:
    """The part numbers (normalised) of the asset's BOM parts whose name holds some of the asked words, each
    with the words its name does not hold: a work order that writes "seal leaking, repl jc-t2100-35" is about
    "mech seal leaks" (the mech seal is JC-T2100-35)."""
    from kg.core.errors import NotFoundError
    from kg.graph import analyst

    try:
        lines = analyst.bom(kg, asset_id).lines
    except NotFoundError:  # an asset without a BOM
        return {}
    out: dict[str, list[str]] = {}
    for line in lines:
        if line.part_number and line.item:
            rest = [w for w in wanted if not holds(line.item, [w])]
            if len(rest) < len(wanted):
                out[normalise_part_number(line.part_number)] = rest
    return out


def _names_a_number(text: str, numbers: dict[str, list[str]]) -> bool:
    """Whether ``text`` writes one of the part numbers (with any separators) and the words its name lacks."""
    plain = normalise_part_number(text)
    return any(n and n in plain and holds(text, rest) for n, rest in numbers.items())


def _described(
    kg: KnowledgeGraph, asset: EntityRef | None, events: list[Any], a: dict[str, str]
) -> list[Any]:
    """The orders saying what the question describes: "bearing replacements" (rows saying "replaced ...
    brgs", shorthand expanded, or a number of a part so named), and how it failed ("temp alarms", "found
    blocked", in any of its spellings) when any order says so."""
    if a.get("about"):
        wanted = word_stems(_KIND_WORDS.sub(" ", a["about"].replace("|", " ")))
        own = set(word_stems(asset.name or "")) if asset else set()  # "motor brg problems on the motor"
        wanted = [w for w in wanted if w not in own] or wanted
        numbers = _numbers_of_parts_named(kg, asset.id, wanted) if asset else {}
        events = [ev for ev in events if holds(ev.text, wanted) or _names_a_number(ev.text, numbers)]
    if a.get("failed"):
        events = [ev for ev in events if says_failure(ev.text, a["failed"])] or events
    return events


def _failure_history(kg: KnowledgeGraph, a: dict[str, str], limit: int) -> ToolOutput:
    """Work orders written against an asset (its sub-assemblies' too when asked), at a site, or all; in a
    date range, still open, about given words: whatever the question says."""
    from kg.graph.entities import entity_ref, require

    asset = entity_ref(require(kg, a["asset"], "the question", ASSET)) if a.get("asset") else None
    events = work_orders(kg, asset.id if asset else None, limit=MAX_ROWS)
    if asset is not None and asset.id.startswith("Part:"):  # "v-belt trouble": its machines' orders on it
        events, a = _part_orders(kg, asset, events, a)
    applied = {"since", "until", "open_only"}
    events = _narrowed(kg, events, a, applied)
    if a.get("kind") and asset is None:  # "the most common failure on the compressors": those only
        events, a = _of_kind(kg, events, a, applied)
    events = _described(kg, asset, events, a)
    what = asset.name or asset.id if asset else f"the {a['kind']}s" if a.get("kind") else "the graph's assets"
    if asset is not None and a.get("rollup") != "yes" and not asset.id.startswith("Part:"):  # against it
        own = {normalise_part_number(t) for t in (asset_tag(kg, asset.id), asset.name) if t}
        mine = [ev for ev in events if ev.asset is None or normalise_part_number(ev.asset) in own]
        if mine or not a.get("about"):
            events = mine
        elif events:  # "the OST-HP-02 hose burst": written against its power unit, a sub-assembly
            what = f"{what} and its sub-assemblies"
    facts = FactList()
    modes: dict[str, EntityRef] = {}
    times: Counter[str] = Counter()  # work orders recording each failure: the most frequent first
    for ev in events:
        times.update({m.id for m in ev.failure_modes})
        wo = ev.work_order or f"{ev.document}@{ev.start}"
        order = (wo, f"work order {wo}")
        facts.attribute(order, "date", ev.date)
        if ev.asset:
            facts.attribute(order, "asset", ev.asset)
        if ev.status:
            facts.attribute(order, "status", ev.status)
        for m in ev.failure_modes:
            modes.setdefault(m.id, m)
            facts.relation(order, "RECORDS", m)
        for act in ev.activities:
            facts.relation(order, "RECORDS", act)
    dated = [ev.date for ev in events if ev.date]
    answer = (
        f"{plural(len(events), 'work order')} {'concerns' if len(events) == 1 else 'concern'} {what}"
        + (f", from {min(dated)} to {max(dated)}" if dated else "")
        + (f"; failures recorded: {_by_frequency(modes, times)}." if modes else ".")
        if events
        else f"No work order in the graph concerns {what} under the question's conditions."
    ) + (_latest(events, failures=a["latest"] == "failure") if a.get("latest") else "")
    return ToolOutput(
        answer=answer,
        answer_entities=sorted(modes.values(), key=lambda m: -times[m.id])[:limit],
        facts=facts.all(),
        cite=[asset.id] if asset else [],
        data={"work_orders": [ev.work_order for ev in events if ev.work_order], "events": events[:limit]},
        applied=applied,
    )


def _part_orders(
    kg: KnowledgeGraph, part: EntityRef, events: list[WorkOrderEvent], a: dict[str, str]
) -> tuple[list[WorkOrderEvent], dict[str, str]]:
    """A part's work orders: those naming it, and those of the machines whose BOM holds it that name its
    kind ("belt" for "V-belt SPA 1250") or its number; the machines' own words ("compressors") leave
    ``about``: they chose the orders, they filter no text."""
    lines = bom_lines(kg, [part.id])
    kinds = [w for w in re.findall(r"[a-z]+", (part.name or "").casefold()) if len(w) > 2 and is_item_head(w)]
    number = normalise_part_number(part.id.split(":", 1)[1])
    seen = {(ev.document, ev.start) for ev in events}
    for equipment in dict.fromkeys(x.equipment_id for x in lines):
        for ev in work_orders(kg, equipment, limit=MAX_ROWS):
            names = holds(ev.text, word_stems(" ".join(kinds))) if kinds else False
            if (ev.document, ev.start) not in seen and (names or number in normalise_part_number(ev.text)):
                seen.add((ev.document, ev.start))
                events.append(ev)
    machines = item_words(" ".join(x.equipment or "" for x in lines))
    about = [w for w in a.get("about", "").split() if not item_words(w) & machines]
    return events, {**a, "about": " ".join(about)}


def _latest(events: list[WorkOrderEvent], *, failures: bool) -> str:
    """ " The latest failure is 25-01234 on 2025-10-21: <its description>." for "when did X last fail": the
    latest work order that records a failure (with ``failures``, when one does), else the latest one."""
    dated = [ev for ev in events if ev.date]
    failed = [ev for ev in dated if ev.failure_modes] if failures else []
    if not dated:
        return ""
    ev = max(failed or dated, key=lambda e: str(e.date))
    row = re.search(r"\bdescription:\s*([^;]+)", ev.text)  # a work-order table row: its description
    text = " ".join((row.group(1) if row else ev.text).split())
    what = "failure" if failed else "one"
    return f" The latest {what} is {ev.work_order or 'a work order'} on {ev.date}: {text[:160]}."


def _narrowed(
    kg: KnowledgeGraph, events: list[WorkOrderEvent], a: dict[str, str], applied: set[str]
) -> list[WorkOrderEvent]:
    """The work orders at the asked site, in the asked date range, still open when asked."""
    if a.get("site"):
        scope = site_scope(kg, a["site"])
        events = [ev for ev in events if ev.asset and node_id("Equipment", ev.asset, is_code=True) in scope]
        applied.add("site")
    events = [ev for ev in events if in_range(ev.date, a.get("since"), a.get("until"))]
    if a.get("open_only"):
        events = [ev for ev in events if ev.status is None or ev.status.casefold() not in CLOSED_STATUSES]
    return events


def _of_kind(
    kg: KnowledgeGraph, events: list[WorkOrderEvent], a: dict[str, str], applied: set[str]
) -> tuple[list[WorkOrderEvent], dict[str, str]]:
    """The work orders of the asked kind of equipment, and the arguments without the kind's words in
    ``about``: they chose the equipment, they filter no text."""
    from kg.qa.tools.shapes import equipment_of_kind

    kind = equipment_of_kind(kg, a["kind"])
    applied.add("kind")
    about = [w for w in a.get("about", "").split() if not w.lower().startswith(a["kind"])]
    events = [ev for ev in events if ev.asset and node_id("Equipment", ev.asset, is_code=True) in kind]
    return events, {**a, "about": " ".join(about)}


def _by_frequency(modes: dict[str, EntityRef], times: Counter[str]) -> str:
    """The failures, the most often recorded first, with how many work orders record each more than once:
    "leak (4 work orders), weep (2 work orders), worn"."""
    ranked = sorted(modes.values(), key=lambda m: -times[m.id])  # stable: first recorded first among ties
    named = name_list(ranked).split(", ")
    if len(named) != len(ranked) or all(times[m.id] == 1 for m in ranked):
        return name_list(ranked)
    return ", ".join(
        f"{n} ({plural(times[m.id], 'work order')})" if times[m.id] > 1 else n
        for n, m in zip(named, ranked, strict=True)
    )


def in_range(day: str | None, since: str | None, until: str | None) -> bool:
    """Whether an ISO date is within [since, until] (an undated row is not, once a range is asked)."""
    if not since and not until:
        return True
    if not day:
        return False
    return (not since or day[:10] >= since) and (not until or day[:10] <= until)


def asset_tag(kg: KnowledgeGraph, entity_id: str) -> str | None:
    node = kg.entity(entity_id)
    tag = node.properties.get("tag") if node else None
    return tag if isinstance(tag, str) else None


def row_fields(text: str) -> dict[str, str]:
    """A table row chunk's ``header: value; header: value`` text as a dict (headers normalised)."""
    out: dict[str, str] = {}
    for part in text.split("; "):
        key, sep, value = part.partition(": ")
        if sep:
            out.setdefault(normalise_header(key), value.strip())
    return out


def _column(fields: dict[str, str], column: str) -> str | None:
    return next((fields[h] for h in WORK_ORDER_COLUMNS[column] if fields.get(h)), None)


def work_orders(kg: KnowledgeGraph, asset_id: str | None, *, limit: int = 100) -> list[WorkOrderEvent]:
    """Work orders naming an asset or one of its parts (``asset_id``), or every work order (None), newest
    first, with the asset and status their rows were written with."""
    from kg.graph import queries

    if asset_id is None:
        rows = kg.store.read(queries.all_work_order_rows(), {"limit": limit + 1})
    else:
        rows = kg.store.read(queries.work_order_events(), {"id": asset_id, "limit": limit + 1})
    return _events(kg, rows[:limit])


def failure_history(kg: KnowledgeGraph, asset_id: str, *, limit: int = 100) -> FailureHistoryResponse:
    """Work orders of an asset and its sub-assets, newest first, with what each one records."""
    from kg.graph import queries
    from kg.graph.entities import entity_ref, require

    node = require(kg, asset_id, "path parameter 'equipment_id'", ASSET)
    rows = kg.store.read(queries.work_order_events(), {"id": asset_id, "limit": limit + 1})
    return FailureHistoryResponse(
        entity=entity_ref(node), events=_events(kg, rows[:limit]), truncated=len(rows) > limit
    )


def _events(kg: KnowledgeGraph, rows: list[dict[str, Any]]) -> list[WorkOrderEvent]:
    from kg.graph import queries

    spans = [{"key": r["chunk"], "doc": r["doc"], "start": r["start"], "end": r["end"]} for r in rows]
    found: dict[str, list[dict[str, Any]]] = {}
    if spans:
        for m in kg.store.read(queries.entities_in_spans(), {"spans": spans}):
            found.setdefault(str(m["key"]), []).append(m)
    events = []
    for r in rows:
        mentioned = found.get(str(r["chunk"]), [])

        def of(label: str, mentioned: list[dict[str, Any]] = mentioned) -> list[EntityRef]:
            return [
                answer_ref(str(m["id"]), m["name"], m["labels"]) for m in mentioned if label in m["labels"]
            ]

        fields = row_fields(str(r["text"] or ""))
        events.append(
            WorkOrderEvent(
                work_order=r["work_order"],
                date=r["date"],
                text=str(r["text"] or ""),
                document=str(r["doc"]),
                start=int(r["start"]),
                end=int(r["end"]),
                asset=_column(fields, "asset"),
                status=_column(fields, "status"),
                failure_modes=of("FailureMode"),
                activities=of("MaintenanceActivity"),
                parts=[p for p in of("Part") if p.id != r.get("asset_id")],
            )
        )
    return events


FAILURE_HISTORY = Tool(
    "failure_history",
    "Failure history from work orders",
    (),
    (
        "What is the maintenance history of {X}?",
        "Which work orders were raised on {X}?",
        "What failures has {X} had?",
        "When did {X} last break down?",
        "Past repairs on {X}",
        "Show the work orders for {X}",
    ),
    (
        r"\b(hist\w*|work[- ]?orders?|wos?|wo's|jobs?|past (failures|repairs)|breakdowns?|"
        r"last (failed|broke|repair)|has .* had|when did|maintenance (log|records?)|cmms|"
        r"(still|left) open|not (yet )?closed( out)?)\b",
        r"\bhow (many times|often) (has|have|did|does|do|was|were)\b|"
        r"\b(replacements?|repairs?|overhauls?|interventions?) (on|at|to|done)\b|"
        r"\b(was|were|got|been|we) (replaced|repaired|overhauled|serviced)\b",
        _COMMON_FAILURE,
        r"\b(most recent|latest|newest)\b|\blast (\{X\}|time|failures?|repairs?|jobs?)\b",  # "latest {X} on"
        r"\b(logged|raised|booked|recorded) (on|against|for)\b|"  # "temp alarms logged on {X}"
        r"\b(problems?|trouble|issues|faults)\b.{0,30}\b(on|with|against)\b.{0,25}\{[XY]\}",
    ),
    _failure_history,
    optional=(Slot("asset", ASSET),),
    params=history_params,
)
