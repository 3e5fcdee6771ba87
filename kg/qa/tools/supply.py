"""Supply tools: who supplies an item, what a supplier's outage hits, single sources, alternatives.

Each runner wraps one analyst function of :mod:`kg.graph.analyst` and turns its rows into facts; each
:class:`~kg.qa.tools.base.Tool` sits next to its runner with the questions and rules that route to it.

Example:
    >>> SUPPLIERS_OF.matches_rule("Who supplies the 6205 bearing?")
    True
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from kg.core.facts import RECORD_EXTRACTORS
from kg.graph import analyst, queries
from kg.graph.knowledge_graph import KnowledgeGraph
from kg.graph.results import EntityRef, ImpactRow, SingleSourceItem, SupplierImpact, SupplierRef
from kg.qa.tools.answer_facts import FactList
from kg.qa.tools.base import (
    DIRECT_ONLY,
    ITEM,
    MAX_ROWS,
    SUPPLIER,
    Slot,
    Tool,
    ToolOutput,
    also_sentence,
    answer_ref,
    bom_lines,
    name_list,
    named_like,
    plural,
    records_first,
    site_scope,
)

#: the question asks for parts, not the equipment they sit in ("which pn's lose their only supplier")
_ASKS_ITEMS = re.compile(r"\b(parts?|pns?|p/ns?|items?|components?|skus?|part numbers?)\b", re.IGNORECASE)
_ASKS_EQUIPMENT = re.compile(
    r"\b(equipment|eqpt|machines?|assets?|tags?|hpus?|pumps?|lines?|plants?|motors?|gearbox(es)?)\b",
    re.IGNORECASE,
)
#: only what would be left with no source ("nobody else supplies", "their only supplier")
_ONLY_SOLE = re.compile(
    r"\b(nobody else|no (other|second|alternative|alt) (source|supplier)|only (supplier|source)|"
    r"sole[- ]?(source|sourced|supplier)|single[- ]?(source|sourced|supplier)|no backup)\b",
    re.IGNORECASE,
)


def impact_params(question: str) -> dict[str, str]:
    """``answer=items`` when parts are asked for rather than equipment; ``only=sole`` for what loses its
    only source."""
    out = {}
    if _ASKS_ITEMS.search(question) and not _ASKS_EQUIPMENT.search(question):
        out["answer"] = "items"
    if _ONLY_SOLE.search(question):
        out["only"] = "sole"
    return out


def _direct_equipment(r: SupplierImpact) -> list[EntityRef]:
    return [answer_ref(row.equipment_id, row.equipment, ["Equipment"]) for row in r.rows if row.depth <= 1]


def _supplier_impact(kg: KnowledgeGraph, a: dict[str, str], limit: int) -> ToolOutput:
    """The equipment whose own BOM holds a part of the supplier (depth 1) answers; the assemblies above it
    are named as context. Parts instead of equipment, sole sources only, one site: by the question."""
    r, extra = records_first(
        lambda rec: analyst.supplier_impact(kg, a["supplier"], limit=MAX_ROWS, records=rec), _direct_equipment
    )
    s = r.supplier
    rows = _on_bom_lines(kg, a["supplier"], list(r.rows))
    applied = set()
    if a.get("only") == "sole":
        rows = [row for row in rows if row.other_suppliers == 0]
    if a.get("site"):
        scope = site_scope(kg, a["site"])
        rows = [row for row in rows if row.equipment_id in scope]
        applied.add("site")
    direct = [row for row in rows if row.depth <= 1]
    above = {row.equipment_id: answer_ref(row.equipment_id, row.equipment) for row in rows if row.depth > 1}
    facts = FactList()
    equipment: dict[str, EntityRef] = {}
    items: dict[str, EntityRef] = {}
    for row in direct:
        item, machine = (row.item_id, row.item), (row.equipment_id, row.equipment)
        facts.relation(item, "SUPPLIED_BY", s)
        facts.relation(machine, "HAS_PART", item)
        facts.attribute(item, "other_suppliers", row.other_suppliers)
        if row.site:
            facts.attribute(machine, "site", row.site)
        equipment.setdefault(row.equipment_id, answer_ref(row.equipment_id, row.equipment, ["Equipment"]))
        items.setdefault(row.item_id, answer_ref(row.item_id, row.item))
    eq, parts = list(equipment.values()), list(items.values())
    sole = len({row.item_id for row in direct if row.other_suppliers == 0})
    sites = sorted({row.site for row in direct if row.site})
    kind = "sole-sourced " if a.get("only") == "sole" else ""
    if not direct:
        answer = f"No equipment in the graph uses anything {s.name or s.id} supplies" + (
            " as its only source." if kind else "."
        )
    elif a.get("answer") == "items":
        answer = (
            f"An outage of {s.name or s.id} leaves {plural(len(parts), kind + 'item')} without supply"
            f" ({sole} sole-sourced): {name_list(parts)};"
            f" they sit in {plural(len(eq), 'piece')} of equipment."
        )
    else:
        answer = (
            f"An outage of {s.name or s.id} hits {plural(len(eq), 'piece')} of equipment"
            f" at {plural(len(sites), 'site')} through {plural(len(parts), kind + 'item')}"
            f" ({sole} sole-sourced): {name_list(eq)}."
        )
        if above:
            answer += f" Through them, also the assemblies {name_list(list(above.values()))}."
    answer += also_sentence(extra)
    return ToolOutput(
        answer=answer,
        answer_entities=(parts if a.get("answer") == "items" else eq)[:limit],
        also_reported=extra,
        facts=facts.unique(),
        cite=[s.id, *items],
        data={"supplier": s.name or s.id, "sites": sites, "items": len(parts), "sole": sole},
        applied=applied,
    )


def _on_bom_lines(kg: KnowledgeGraph, supplier_id: str, rows: list[ImpactRow]) -> list[ImpactRow]:
    """The impact rows as the BOM lines have them: the equipment whose own line of the item names this
    supplier (not every equipment that uses an item some other line buys from it), each with the other
    suppliers its lines name. Rows above the BOM (assemblies, depth > 1) and rows no line covers stay."""
    lines = bom_lines(kg)
    target = {supplier_id, *kg_related(kg, supplier_id)}
    if not any(x.supplier_id in target for x in lines):
        return rows  # the supplier is not on any recorded BOM line: the graph's links answer
    sites = {row.equipment_id: row.site for row in rows}
    by_pair: dict[tuple[str, str], set[str]] = {}
    for x in lines:
        if x.supplier_id:
            by_pair.setdefault((x.equipment_id, x.item_id), set()).add(x.supplier_id)
    out = [row for row in rows if row.depth > 1]
    for x in lines:
        if x.supplier_id in target:
            others = by_pair[(x.equipment_id, x.item_id)] - target
            out.append(
                ImpactRow(
                    item_id=x.item_id,
                    item=x.item,
                    equipment_id=x.equipment_id,
                    equipment=x.equipment,
                    site=sites.get(x.equipment_id),
                    other_suppliers=len(others),
                    depth=1,
                )
            )
    return out


def _single_source(kg: KnowledgeGraph, a: dict[str, str], limit: int) -> ToolOutput:
    """Items with one supplier by the records; of one supplier, on one equipment's BOM, at one site (by the
    BOM lines there: a part two suppliers deliver, one per site, is single-sourced at each)."""
    r, extra = records_first(
        lambda rec: analyst.single_source(kg, limit=MAX_ROWS, records=rec),
        lambda res: [answer_ref(i.item_id, i.item) for i in res.items],
    )
    found = list(r.items)
    if a.get("site") or a.get("equipment"):
        on_lines = _single_on_lines(kg, a)
        found = found if on_lines is None else on_lines
    applied = set()
    where = ""
    if a.get("supplier"):
        keep = {a["supplier"], *kg_related(kg, a["supplier"])}
        found = [i for i in found if i.supplier_id in keep]
        where += " from the named supplier"
    if a.get("equipment"):
        bom = analyst.bom(kg, a["equipment"], records=RECORD_EXTRACTORS, depth=1 if a.get("only") else 4)
        on = {line.item_id for line in bom.lines}
        found = [i for i in found if i.item_id in on]
        where += f" on {bom.root.name or bom.root.id}"
    if a.get("site"):
        scope = site_scope(kg, a["site"])
        found = [i for i in found if i.item_id in scope]
        applied.add("site")
        where += " at the site"
    items = [answer_ref(i.item_id, i.item) for i in found]
    facts = FactList()
    for i in found:
        facts.relation((i.item_id, i.item), "SUPPLIED_BY", (i.supplier_id, i.supplier))
    answer = (
        f"{plural(len(items), 'item')}{where} {'has' if len(items) == 1 else 'have'} exactly one supplier:"
        f" {name_list(items)}."
        if items
        else f"No item{where} has exactly one supplier in the graph."
    ) + also_sentence(extra if not (a.get("supplier") or a.get("equipment") or a.get("site")) else [])
    return ToolOutput(
        answer=answer,
        answer_entities=items[:limit],
        facts=facts.all(),
        cite=[i.id for i in items],
        also_reported=extra,
        applied=applied,
    )


def _single_on_lines(kg: KnowledgeGraph, a: dict[str, str]) -> list[SingleSourceItem] | None:
    """Items with one supplier among the BOM lines of an equipment (and its sub-assemblies, unless "only")
    or of a site's equipment; None when the records hold no BOM lines with suppliers."""
    lines = [x for x in bom_lines(kg) if x.supplier_id]
    if not lines:
        return None
    if a.get("site"):
        scope = site_scope(kg, a["site"])
        lines = [x for x in lines if x.equipment_id in scope]
    if a.get("equipment"):
        bom = analyst.bom(kg, a["equipment"], records=RECORD_EXTRACTORS, depth=1 if a.get("only") else 4)
        under = {a["equipment"], *(line.item_id for line in bom.lines if "Equipment" in line.labels)}
        lines = [x for x in lines if x.equipment_id in under]
    suppliers: dict[str, dict[str, str | None]] = {}
    names: dict[str, str | None] = {}
    for x in lines:
        suppliers.setdefault(x.item_id, {})[str(x.supplier_id)] = x.supplier
        names[x.item_id] = x.item
    return [
        SingleSourceItem(item_id=i, item=names[i], supplier_id=sid, supplier=sname)
        for i, ss in sorted(suppliers.items(), key=lambda kv: str(names[kv[0]]))
        if len(ss) == 1
        for sid, sname in ss.items()
    ]


def kg_related(kg: KnowledgeGraph, entity_id: str) -> list[str]:
    """Other nodes of the same organisation (its Supplier and Manufacturer records: "SKF" and "SKF")."""
    from kg.graph.entities import related_organisations

    return related_organisations(kg, entity_id)


def _suppliers_of_items(kg: KnowledgeGraph, item_id: str) -> tuple[EntityRef, list[str]]:
    """An item, or the items of an equipment's BOM when the question names equipment ("vendors for the
    parts in OST-CV-02-GB")."""
    from kg.graph.entities import entity_ref, require

    node = require(kg, item_id, "the question")
    ref = entity_ref(node)
    if "Equipment" in node.labels:
        bom = analyst.bom(kg, item_id, records=RECORD_EXTRACTORS)
        parts = [line.item_id for line in bom.lines if "Equipment" not in line.labels]
        if parts:
            return ref, parts
    return ref, [item_id]


def _suppliers_of(kg: KnowledgeGraph, a: dict[str, str], limit: int) -> ToolOutput:
    root, items = _suppliers_of_items(kg, a["item"])
    note = ""
    if len(items) > 1 or items[0] != root.id:  # an equipment's parts: those the question describes
        item_names = {str(r["id"]): r["name"] for r in kg.store.read(queries.entity_refs(), {"ids": items})}
        keep, note = named_like(item_names, a.get("about"))
        if keep is not None:
            items = [i for i in items if i in keep]

    def fetch(rec: Sequence[str] | None) -> list[tuple[str, SupplierRef]]:
        return [(i, s) for i, ss in analyst.suppliers(kg, items, rec).items() for s in ss]

    pairs, extra_refs = records_first(fetch, lambda res: [answer_ref(s.id, s.name) for _, s in res])
    applied = set()
    if a.get("site"):  # "who can we buy it from in Leeds": the suppliers the BOM lines there name
        scope = site_scope(kg, a["site"])
        here = {
            (x.item_id, x.supplier_id) for x in bom_lines(kg) if x.equipment_id in scope and x.supplier_id
        }
        if any(i in items for i, _ in here):
            pairs = [(i, s) for i, s in pairs if (i, s.id) in here]
            applied.add("site")
    excluded = {a["exclude"], *kg_related(kg, a["exclude"])} if a.get("exclude") else set()
    facts = FactList()
    refs: dict[str, EntityRef] = {}
    for item, s in pairs:
        facts.relation((item, root.name if item == root.id else None), "SUPPLIED_BY", s)
        if s.id not in excluded:
            refs.setdefault(s.id, answer_ref(s.id, s.name))
    extra = [x for x in extra_refs if x.id not in excluded]
    names = list(refs.values())
    what = root.name or root.id
    if len(items) > 1 or items[0] != root.id:
        what = f"the parts of {what}"
    other = " other than the named one" if excluded else ""
    answer = (
        (
            f"{what[0].upper() + what[1:]} {'is' if len(items) == 1 else 'are'} supplied{other} by"
            f" {name_list(names)}."
            if names
            else f"The graph names no supplier{other} for {what}."
        )
        + note
        + also_sentence(extra)
    )
    return ToolOutput(
        answer=answer,
        answer_entities=names[:limit],
        facts=facts.unique(),
        cite=[root.id, *items[:5]],
        also_reported=extra,
        applied=applied,
    )


def _alternatives(kg: KnowledgeGraph, a: dict[str, str], limit: int) -> ToolOutput:
    r, extra = records_first(
        lambda rec: analyst.alternatives(kg, a["item"], limit=limit, records=rec),
        lambda res: [answer_ref(x.id, x.name) for x in res.alternatives],
    )
    p = r.part
    facts = FactList()
    alts = []
    for alt in r.alternatives:
        alts.append(answer_ref(alt.id, alt.name))
        facts.relation(p, "ALTERNATIVE_TO", alt)
        for s in alt.suppliers:
            facts.relation(alt, "SUPPLIED_BY", s)
    for s in r.suppliers:
        facts.relation(p, "SUPPLIED_BY", s)
    if a.get(
        "exclude"
    ):  # "other source than SKF for 22210 E": the other suppliers, of it or its alternatives
        excluded = {a["exclude"], *kg_related(kg, a["exclude"])}
        others: dict[str, EntityRef] = {}
        for s in [*r.suppliers, *(s for alt in r.alternatives for s in alt.suppliers)]:
            if s.id not in excluded:
                others.setdefault(s.id, answer_ref(s.id, s.name))
        found = list(others.values())
        answer = (
            f"Besides the named supplier, {p.name or p.id} (or an alternative to it) comes from"
            f" {name_list(found)}."
            if found
            else f"The graph names no other source for {p.name or p.id} or its alternatives."
        )
        return ToolOutput(answer=answer, answer_entities=found[:limit], facts=facts.all(), cite=[p.id])
    answer = (
        f"{p.name or p.id} can be replaced by {name_list(alts)}."
        if alts
        else f"The graph records no alternative to {p.name or p.id}"
        + (
            f"; its suppliers are {name_list([answer_ref(s.id, s.name) for s in r.suppliers])}."
            if r.suppliers
            else "."
        )
    ) + also_sentence(extra)
    return ToolOutput(
        answer=answer,
        answer_entities=alts,
        facts=facts.all(),
        cite=[p.id, *(x.id for x in alts)],
        also_reported=extra,
    )


SUPPLIER_IMPACT = Tool(
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
        r"\b(outage|disruption|stops? (supplying|delivering|shipping)|"
        r"goes? (bankrupt|bust|under|out of business)|"
        r"can(no|'|)t (deliver|supply|ship)|(not|isn'?t|aren'?t) (delivering|supplying|shipping)|"
        r"supply (stop|problem|issue|failure|interruption)s?|lose|losing|strike|plant fire)\b",
        r"\bimpact of\b.*\b(supplier|outage)\b",
        r"\b(impact|exposure|exposed|at risk)\b",
        r"\bdepend(s|ent)? on\b",
        r"\b(what|which|how many) (parts|items|pns?) (does|do) .{1,40} (supply|deliver|sell|make)\b",
        r"\b(parts|items) (we buy|bought|from)\b|\b(does|do) .{1,40} supply (us|to us)\b",
    ),
    _supplier_impact,
    params=impact_params,
)

SINGLE_SOURCE = Tool(
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
        r"\b(single|sole)[- ]?(sourced?|suppliers?|supplied)\b",
        r"\b(only|just) (one|1|a single) (supplier|source|vendor|supplir)\b",
        r"\bno (second|alternative|other|backup) (source|supplier|vendor)\b",
        r"\bonly .{1,40} can (supply|deliver|provide|make)\b",
    ),
    _single_source,
    optional=(Slot("supplier", SUPPLIER), Slot("equipment", ("Equipment",))),
    params=lambda q: {"only": "direct"} if DIRECT_ONLY.search(q) else {},
)

SUPPLIERS_OF = Tool(
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
        r"\bwho (supplies|sells|delivers|provides|makes)\b",
        r"\b(suppliers?|supplers?|vendors?|sources?) (of|for)\b",
        r"\bwhere (do|can) we (buy|get|source)\b",
        r"\b(buy|get|order|source) (it|them) from\b|\bwho (do|can) we (buy|get|order)\b",
        r"\bsuppliers\W*$",
    ),
    _suppliers_of,
    optional=(Slot("exclude", SUPPLIER),),
)

ALTERNATIVES = Tool(
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
        r"\b(alternatives?|alternate|alt|substitutes?|subs?|equivalents?|interchangeable|replacement part|"
        r"second source|other (source|supplier|vendor)s?|who else|another (source|supplier|vendor))\b",
    ),
    _alternatives,
    optional=(Slot("exclude", SUPPLIER),),
)
