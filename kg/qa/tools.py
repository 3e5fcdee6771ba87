"""The tools a question can be routed to: each wraps an analyst endpoint and returns facts.

A tool declares the entities it needs (slots, with the ontology classes each accepts), example questions
for the embedding router, and a few high-precision keyword rules. Its result is a :class:`ToolOutput`: the
entities that answer, the facts behind them (triples the explainer may use and the grounding check
compares against), and the ids to cite.

Example:
    >>> [t.name for t in TOOLS][:3]
    ['supplier_impact', 'single_source', 'suppliers_of']
    >>> TOOL_BY_NAME["where_used"].slots[0].labels
    ('Part', 'Equipment', 'Material', 'Product')
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from kg.graph import analyst
from kg.graph.knowledge_graph import KnowledgeGraph
from kg.graph.results import EntityRef
from kg.qa import analytics
from kg.qa.answers import Fact, FailureHistoryResponse


@dataclass(frozen=True)
class Slot:
    name: str
    labels: tuple[str, ...]  # ontology classes the entity may have; empty = any


@dataclass
class ToolOutput:
    answer: str
    answer_entities: list[EntityRef] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    cite: list[str] = field(default_factory=list)  # entity ids whose sources are cited, most relevant first
    data: dict[str, Any] = field(default_factory=dict)  # tool-specific numbers for the template explainer

    @property
    def empty(self) -> bool:
        return not self.answer_entities and not self.facts


Runner = Callable[[KnowledgeGraph, dict[str, str], int], ToolOutput]


@dataclass(frozen=True)
class Tool:
    name: str
    title: str
    slots: tuple[Slot, ...]
    exemplars: tuple[str, ...]  # {X} / {Y}: where the entities go (the router masks linked mentions so)
    rules: tuple[str, ...]  # regexes (case-insensitive) that select this tool outright
    run: Runner

    def matches_rule(self, question: str) -> bool:
        return any(re.search(r, question, re.IGNORECASE) for r in self.rules)


ITEM = ("Part", "Equipment", "Material", "Product")
ASSET = ("Equipment", "Part")
SUPPLIER = ("Supplier", "Manufacturer", "Organization")


def _ref(id_: str, name: str | None, labels: list[str] | None = None) -> EntityRef:
    return EntityRef(id=id_, name=name, labels=[x for x in labels or [] if x != "Entity"])


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def _names(refs: list[EntityRef], most: int = 8) -> str:
    names = [r.name or r.id for r in refs[:most]]
    more = f" and {len(refs) - most} more" if len(refs) > most else ""
    return ", ".join(names) + more


# -- runners ---------------------------------------------------------------------------------------------
def _supplier_impact(kg: KnowledgeGraph, a: dict[str, str], limit: int) -> ToolOutput:
    r = analyst.supplier_impact(kg, a["supplier"], limit=limit)
    s = r.supplier
    facts: list[Fact] = []
    equipment: dict[str, EntityRef] = {}
    for row in r.rows:
        facts.append(
            Fact(
                subject=row.item_id,
                subject_name=row.item,
                predicate="SUPPLIED_BY",
                object=s.id,
                object_name=s.name,
            )
        )
        facts.append(
            Fact(
                subject=row.equipment_id,
                subject_name=row.equipment,
                predicate="HAS_PART",
                object=row.item_id,
                object_name=row.item,
            )
        )
        facts.append(
            Fact(
                subject=row.item_id,
                subject_name=row.item,
                predicate="other_suppliers",
                value=row.other_suppliers,
            )
        )
        if row.site:
            facts.append(
                Fact(subject=row.equipment_id, subject_name=row.equipment, predicate="site", value=row.site)
            )
        equipment.setdefault(row.equipment_id, _ref(row.equipment_id, row.equipment, ["Equipment"]))
    eq = list(equipment.values())
    sole = len(r.sole_source_items)
    answer = (
        f"An outage of {s.name or s.id} hits {_plural(len(eq), 'piece')} of equipment"
        f" at {_plural(len(r.sites), 'site')} through {_plural(len(r.items), 'item')}"
        f" ({sole} sole-sourced)."
        if eq
        else f"No equipment in the graph uses anything {s.name or s.id} supplies."
    )
    return ToolOutput(
        answer=answer,
        answer_entities=eq,
        facts=_dedupe(facts),
        cite=[s.id, *r.sole_source_items, *r.items],
        data={"supplier": s.name or s.id, "sites": r.sites, "items": len(r.items), "sole": sole},
    )


def _single_source(kg: KnowledgeGraph, a: dict[str, str], limit: int) -> ToolOutput:
    r = analyst.single_source(kg, limit=limit)
    items = [_ref(i.item_id, i.item) for i in r.items]
    facts = [
        Fact(
            subject=i.item_id,
            subject_name=i.item,
            predicate="SUPPLIED_BY",
            object=i.supplier_id,
            object_name=i.supplier,
        )
        for i in r.items
    ]
    answer = (
        f"{_plural(len(items), 'item')} {'has' if len(items) == 1 else 'have'} exactly one supplier"
        + (" (more than shown)." if r.truncated else ".")
        if items
        else "No item in the graph has exactly one supplier."
    )
    return ToolOutput(answer=answer, answer_entities=items, facts=facts, cite=[i.id for i in items])


def _suppliers_of(kg: KnowledgeGraph, a: dict[str, str], limit: int) -> ToolOutput:
    r = analyst.alternatives(kg, a["item"], limit=limit)
    p = r.part
    facts = [
        Fact(subject=p.id, subject_name=p.name, predicate="SUPPLIED_BY", object=s.id, object_name=s.name)
        for s in r.suppliers
    ]
    refs = [_ref(s.id, s.name) for s in r.suppliers]
    answer = (
        f"{p.name or p.id} is supplied by {_names(refs)}."
        if refs
        else f"The graph names no supplier for {p.name or p.id}."
    )
    return ToolOutput(answer=answer, answer_entities=refs, facts=facts, cite=[p.id])


def _alternatives(kg: KnowledgeGraph, a: dict[str, str], limit: int) -> ToolOutput:
    r = analyst.alternatives(kg, a["item"], limit=limit)
    p = r.part
    facts: list[Fact] = []
    alts = []
    for alt in r.alternatives:
        alts.append(_ref(alt.id, alt.name))
        facts.append(
            Fact(
                subject=p.id,
                subject_name=p.name,
                predicate="ALTERNATIVE_TO",
                object=alt.id,
                object_name=alt.name,
            )
        )
        for s in alt.suppliers:
            facts.append(
                Fact(
                    subject=alt.id,
                    subject_name=alt.name,
                    predicate="SUPPLIED_BY",
                    object=s.id,
                    object_name=s.name,
                )
            )
    for s in r.suppliers:
        facts.append(
            Fact(subject=p.id, subject_name=p.name, predicate="SUPPLIED_BY", object=s.id, object_name=s.name)
        )
    answer = (
        f"{p.name or p.id} can be replaced by {_names(alts)}."
        if alts
        else f"The graph records no alternative to {p.name or p.id}"
        + (
            f"; its suppliers are {_names([_ref(s.id, s.name) for s in r.suppliers])}."
            if r.suppliers
            else "."
        )
    )
    return ToolOutput(answer=answer, answer_entities=alts, facts=facts, cite=[p.id, *(x.id for x in alts)])


def _where_used(kg: KnowledgeGraph, a: dict[str, str], limit: int) -> ToolOutput:
    r = analyst.where_used(kg, a["item"], limit=limit)
    p = r.part
    refs = [_ref(e.equipment_id, e.equipment, ["Equipment"]) for e in r.equipment]
    facts = [
        Fact(
            subject=e.equipment_id,
            subject_name=e.equipment,
            predicate="HAS_PART",
            object=p.id,
            object_name=p.name,
        )
        for e in r.equipment
    ]
    facts += [
        Fact(subject=e.equipment_id, subject_name=e.equipment, predicate="site", value=e.site)
        for e in r.equipment
        if e.site
    ]
    answer = (
        f"{p.name or p.id} is used in {_plural(len(refs), 'piece')} of equipment: {_names(refs)}."
        if refs
        else f"No equipment in the graph contains {p.name or p.id}."
    )
    return ToolOutput(answer=answer, answer_entities=refs, facts=facts, cite=[p.id])


def _bom(kg: KnowledgeGraph, a: dict[str, str], limit: int) -> ToolOutput:
    r = analyst.bom(kg, a["equipment"], limit=limit)
    root = r.root
    names = {root.id: root.name} | {line.item_id: line.item for line in r.lines}
    items: dict[str, EntityRef] = {}
    facts: list[Fact] = []
    for line in r.lines:
        items.setdefault(line.item_id, _ref(line.item_id, line.item, line.labels))
        facts.append(
            Fact(
                subject=line.parent_id,
                subject_name=names.get(line.parent_id),
                predicate="HAS_PART",
                object=line.item_id,
                object_name=line.item,
            )
        )
        for s in line.suppliers:
            facts.append(
                Fact(
                    subject=line.item_id,
                    subject_name=line.item,
                    predicate="SUPPLIED_BY",
                    object=s.id,
                    object_name=s.name,
                )
            )
    refs = list(items.values())
    answer = (
        f"The bill of materials of {root.name or root.id} has {_plural(len(refs), 'item')}: {_names(refs)}."
        if refs
        else f"The graph holds no parts of {root.name or root.id}."
    )
    return ToolOutput(answer=answer, answer_entities=refs, facts=_dedupe(facts), cite=[root.id])


def _failure_chains(kg: KnowledgeGraph, a: dict[str, str], limit: int) -> ToolOutput:
    from kg.graph.entities import entity_ref, require

    e = entity_ref(require(kg, a["asset"], "the question", ASSET))
    rows = [analyst.numeric_ratings(r) for r in kg.failure_chains(a["asset"], limit=limit)]
    facts: list[Fact] = []
    modes: dict[str, EntityRef] = {}
    for c in rows:
        mode, mode_id = c["mode"], str(c["mode_id"])
        modes.setdefault(mode_id, _ref(mode_id, mode, ["FailureMode"]))
        facts.append(
            Fact(
                subject=str(c["item_id"]),
                subject_name=c["item"],
                predicate="HAS_FAILURE_MODE",
                object=mode_id,
                object_name=mode,
            )
        )
        if c["cause"]:
            facts.append(
                Fact(
                    subject=str(c["cause_id"]),
                    subject_name=c["cause"],
                    predicate="CAUSES",
                    object=mode_id,
                    object_name=mode,
                )
            )
        if c["effect"]:
            facts.append(
                Fact(
                    subject=mode_id,
                    subject_name=mode,
                    predicate="CAUSES",
                    object=str(c["effect_id"]),
                    object_name=c["effect"],
                )
            )
        for k in ("severity", "occurrence", "detection", "rpn"):
            if c[k] is not None:
                facts.append(Fact(subject=mode_id, subject_name=mode, predicate=k, value=c[k]))
    refs = list(modes.values())
    top = next((c for c in rows if c["rpn"] is not None), None)
    answer = (
        f"{e.name or e.id} has {_plural(len(refs), 'failure mode')}"
        + (
            f"; the highest RPN is {top['rpn']} ({top['mode']}"
            + (f", caused by {top['cause']})." if top["cause"] else ").")
            if top
            else "."
        )
        if refs
        else f"The graph holds no failure modes for {e.name or e.id}."
    )
    return ToolOutput(answer=answer, answer_entities=refs, facts=_dedupe(facts), cite=[e.id, *modes])


def _failure_history(kg: KnowledgeGraph, a: dict[str, str], limit: int) -> ToolOutput:
    r = failure_history(kg, a["asset"], limit=limit)
    e = r.entity
    facts: list[Fact] = []
    modes: dict[str, EntityRef] = {}
    for ev in r.events:
        wo = ev.work_order or f"{ev.document}@{ev.start}"
        facts.append(Fact(subject=wo, subject_name=f"work order {wo}", predicate="date", value=ev.date))
        for m in ev.failure_modes:
            modes.setdefault(m.id, m)
            facts.append(
                Fact(
                    subject=wo,
                    subject_name=f"work order {wo}",
                    predicate="RECORDS",
                    object=m.id,
                    object_name=m.name,
                )
            )
        for act in ev.activities:
            facts.append(
                Fact(
                    subject=wo,
                    subject_name=f"work order {wo}",
                    predicate="RECORDS",
                    object=act.id,
                    object_name=act.name,
                )
            )
    answer = (
        f"{_plural(len(r.events), 'work order')} concern {e.name or e.id}"
        + (
            f", from {r.events[-1].date} to {r.events[0].date}"
            if r.events[0].date and r.events[-1].date
            else ""
        )
        + (f"; failures recorded: {_names(list(modes.values()))}." if modes else ".")
        if r.events
        else f"No work order in the graph concerns {e.name or e.id}."
    )
    return ToolOutput(
        answer=answer,
        answer_entities=list(modes.values()),
        facts=facts,
        cite=[e.id],
        data={"work_orders": [ev.work_order for ev in r.events if ev.work_order], "events": r.events},
    )


def _shortest_path(kg: KnowledgeGraph, a: dict[str, str], limit: int) -> ToolOutput:
    r = analyst.shortest_path(kg, a["source"], a["target"])
    names = {n.id: n for n in r.nodes}
    facts = [
        Fact(
            subject=str(e.source),
            subject_name=names[str(e.source)].name if str(e.source) in names else None,
            predicate=e.type,
            object=str(e.target),
            object_name=names[str(e.target)].name if str(e.target) in names else None,
        )
        for e in r.edges
    ]
    src, dst = names.get(r.source), names.get(r.target)
    s_name = src.name if src and src.name else r.source
    t_name = dst.name if dst and dst.name else r.target
    answer = (
        f"{s_name} and {t_name} are connected in {_plural(r.length or 0, 'step')}:"
        f" {' → '.join(n.name or n.id for n in r.nodes)}."
        if r.found
        else f"No connection between {s_name} and {t_name} within 6 steps."
    )
    return ToolOutput(answer=answer, answer_entities=list(r.nodes), facts=facts, cite=[n.id for n in r.nodes])


def _entity_detail(kg: KnowledgeGraph, a: dict[str, str], limit: int) -> ToolOutput:
    from kg.graph.entities import entity_detail

    d = entity_detail(kg, a["entity"], neighbours=min(limit, 50), citations=0)
    e = d.entity
    facts = []
    for n in d.neighbours:
        s, o = (e, n.entity) if n.direction == "out" else (n.entity, e)
        facts.append(
            Fact(subject=s.id, subject_name=s.name, predicate=n.relationship, object=o.id, object_name=o.name)
        )
    for k, v in d.properties.items():
        if k in ("part_number", "tag", "equipment_class", "failure_mode_code", "description") and v:
            facts.append(Fact(subject=e.id, subject_name=e.name, predicate=k, value=v))
    kinds = "/".join(e.labels) or "entity"
    answer = f"{e.name or e.id} is a {kinds} with {_plural(len(d.neighbours), 'direct link')} in the graph."
    return ToolOutput(answer=answer, answer_entities=[e], facts=facts, cite=[e.id])


def _criticality(kg: KnowledgeGraph, a: dict[str, str], limit: int) -> ToolOutput:
    r = analytics.criticality(kg, limit=min(limit, 10))
    refs = [EntityRef(id=x.id, name=x.name, labels=x.labels) for x in r.rows]
    facts = []
    for x in r.rows:
        facts.append(
            Fact(subject=x.id, subject_name=x.name, predicate="criticality", value=round(x.score, 3))
        )
        facts.append(Fact(subject=x.id, subject_name=x.name, predicate="dependents", value=x.dependents))
        facts.append(Fact(subject=x.id, subject_name=x.name, predicate="suppliers", value=x.suppliers))
    answer = (
        f"The most critical item is {refs[0].name or refs[0].id}: {r.rows[0].dependents} pieces of equipment"
        f" depend on it and it has {_plural(r.rows[0].suppliers, 'supplier')}."
        if refs
        else "The graph has no supply network (HAS_PART and SUPPLIED_BY links) to analyse."
    )
    return ToolOutput(answer=answer, answer_entities=refs, facts=facts, cite=[x.id for x in refs[:3]])


def _concentration(kg: KnowledgeGraph, a: dict[str, str], limit: int) -> ToolOutput:
    r = analytics.concentration(kg, by="site", limit=min(limit, 20))
    refs = [row.group for row in r.rows]
    facts = []
    for row in r.rows:
        g = row.group
        facts.append(Fact(subject=g.id, subject_name=g.name, predicate="hhi", value=round(row.hhi, 3)))
        facts.append(Fact(subject=g.id, subject_name=g.name, predicate="suppliers", value=row.suppliers))
        if row.top_supplier:
            facts.append(
                Fact(
                    subject=g.id,
                    subject_name=g.name,
                    predicate="top_supplier",
                    value=row.top_supplier.name or row.top_supplier.id,
                )
            )
    top = r.rows[0] if r.rows else None
    answer = (
        f"{top.group.name or top.group.id} has the most concentrated supply base (HHI {round(top.hhi, 3)},"
        f" {_plural(top.suppliers, 'supplier')})."
        if top
        else "The graph has no sites with supplied equipment to analyse."
    )
    return ToolOutput(answer=answer, answer_entities=refs, facts=facts, cite=[])


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
            return [_ref(str(m["id"]), m["name"], m["labels"]) for m in mentioned if label in m["labels"]]

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


def _dedupe(facts: list[Fact]) -> list[Fact]:
    seen: set[tuple[Any, ...]] = set()
    out = []
    for f in facts:
        key = (f.subject, f.predicate, f.object, repr(f.value))
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


TOOLS: tuple[Tool, ...] = (
    Tool(
        "supplier_impact",
        "Supplier outage impact",
        (Slot("supplier", SUPPLIER),),
        (
            "What does an outage of {X} hit?",
            "If {X} stops supplying, which equipment is affected?",
            "Which machines depend on {X}?",
            "What is the impact if {X} goes bankrupt?",
            "Which sites are hit if {X} cannot deliver?",
            "What breaks if we lose {X} as a supplier?",
            "Which equipment relies on parts from {X}?",
            "Supply risk of {X}",
        ),
        (
            r"\b(outage|disruption|stops? (supplying|delivering)|goes? (bankrupt|out of business)|"
            r"can(no|')t deliver|lose|losing)\b",
            r"\bimpact of\b.*\b(supplier|outage)\b",
            r"\bdepend(s|ent)? on\b",
        ),
        _supplier_impact,
    ),
    Tool(
        "single_source",
        "Single-source items",
        (),
        (
            "Which parts are single-sourced?",
            "Which parts have only one supplier?",
            "List sole-source items",
            "Where do we depend on a single supplier?",
            "Which components have no second source?",
        ),
        (
            r"\b(single|sole)[- ]?sourced?\b",
            r"\bonly one supplier\b",
            r"\bno (second|alternative) (source|supplier)\b",
        ),
        _single_source,
    ),
    Tool(
        "suppliers_of",
        "Suppliers of an item",
        (Slot("item", ITEM),),
        (
            "Who supplies {X}?",
            "Which suppliers provide {X}?",
            "Where do we buy {X}?",
            "Who sells us {X}?",
            "Supplier of {X}",
            "Who can deliver {X}?",
        ),
        (
            r"\bwho (supplies|sells|delivers|provides)\b",
            r"\bsuppliers? (of|for)\b",
            r"\bwhere (do|can) we (buy|get|source)\b",
        ),
        _suppliers_of,
    ),
    Tool(
        "alternatives",
        "Alternatives for a part",
        (Slot("item", ITEM),),
        (
            "What are the alternatives to {X}?",
            "Can {X} be replaced by another part?",
            "Which part can substitute {X}?",
            "Is there an equivalent for {X}?",
            "Interchangeable parts for {X}",
        ),
        (
            r"\b(alternatives?|substitutes?|equivalents?|interchangeable|replacement part"
            r"|second source for)\b",
        ),
        _alternatives,
    ),
    Tool(
        "where_used",
        "Where a part is used",
        (Slot("item", ITEM),),
        (
            "Where is {X} used?",
            "Which equipment contains {X}?",
            "Which machines use {X}?",
            "In which assets is {X} installed?",
            "Where-used list for {X}",
        ),
        (
            r"\bwhere[- ](is|are)?\s*.*\bused\b",
            r"\bwhere[- ]used\b",
            r"\bwhich (equipment|machines?|assets?)"
            r" (use|uses|contain|contains|have|has)\b",
            r"\binstalled\b",
        ),
        _where_used,
    ),
    Tool(
        "bom",
        "Bill of materials",
        (Slot("equipment", ("Equipment", "Part", "Product")),),
        (
            "What parts does {X} have?",
            "Show the bill of materials of {X}",
            "What is {X} made of?",
            "List the components of {X}",
            "BOM for {X}",
            "Which spare parts belong to {X}?",
        ),
        (
            r"\b(bom|bill of materials?|components of|spare parts (of|for)|parts (of|in)|"
            r"what parts|which parts does)\b",
        ),
        _bom,
    ),
    Tool(
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
    ),
    Tool(
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
    ),
    Tool(
        "shortest_path",
        "Connection between two entities",
        (Slot("source", ()), Slot("target", ())),
        (
            "How is {X} connected to {Y}?",
            "What links {X} and {Y}?",
            "Path between {X} and {Y}",
            "How does {X} relate to {Y}?",
        ),
        (
            r"\b(connected|connection|link(s|ed)?|path|relat(e|ed|ion)) (to|between|with)\b",
            r"\bhow (is|are|does) .* (connected|related|linked)\b",
        ),
        _shortest_path,
    ),
    Tool(
        "criticality",
        "Most critical items",
        (),
        (
            "Which parts are most critical?",
            "What are our supply bottlenecks?",
            "Which components would hurt most if unavailable?",
            "Rank items by criticality",
        ),
        (r"\b(most critical|criticality|bottlenecks?)\b",),
        _criticality,
    ),
    Tool(
        "concentration",
        "Supplier concentration",
        (),
        (
            "Which site depends on the fewest suppliers?",
            "How concentrated is our supplier base?",
            "Supplier concentration per site",
            "Where is the supply base least diversified?",
        ),
        (r"\b(concentrat(ed|ion)|hhi|herfindahl|diversif(y|ied|ication))\b",),
        _concentration,
    ),
    Tool(
        "entity_detail",
        "About an entity",
        (Slot("entity", ()),),
        (
            "What do we know about {X}?",
            "Tell me about {X}",
            "Show {X}",
            "What is {X}?",
            "Details of {X}",
            "Information on {X}",
        ),
        (
            r"^\s*(what do (we|you) know about|tell me about|details (of|on|about)"
            r"|info(rmation)? (on|about))\b",
        ),
        _entity_detail,
    ),
)

TOOL_BY_NAME = {t.name: t for t in TOOLS}
