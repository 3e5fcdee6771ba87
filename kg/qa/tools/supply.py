"""Supply tools: what a supplier's outage hits, and single-sourced items (or those with a second source or an
alternative). Each runner turns an analyst function's rows (:mod:`kg.graph.analyst`) into facts.

Example:
    >>> SINGLE_SOURCE.matches_rule("which parts are single-sourced?"), SUPPLIER_IMPACT.name
    (True, 'supplier_impact')
"""

from __future__ import annotations

import re
from collections.abc import Callable

from kg.core.facts import RECORD_EXTRACTORS
from kg.graph import analyst, queries
from kg.graph.entities import related_organisations
from kg.graph.knowledge_graph import KnowledgeGraph
from kg.graph.results import EntityRef, ImpactRow, SingleSourceItem, SupplierImpact
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
    plural,
    records_first,
    site_scope,
)
from kg.qa.tools.shapes import asked_kind, equipment_of_kind
from kg.qa.tools.supply_words import impact_params


def _of_item(kg: KnowledgeGraph, rows: list[ImpactRow], item_id: str) -> list[ImpactRow]:
    """The rows of one item, or of one machine's BOM (its sub-assemblies' too: "on the coolant pump")."""
    from kg.qa.tools.sourcing import items_under

    _, items, equipment = items_under(kg, item_id)
    if not equipment:
        return [row for row in rows if row.item_id == item_id]
    return [row for row in rows if row.item_id in items and row.equipment_id in equipment]


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
    if a.get("item"):  # "which hpu has no other source for the PH-2SN08-1500 hoses": that item's lines
        rows = _of_item(kg, rows, a["item"])
    direct = [row for row in rows if row.depth <= 1]
    above = {row.equipment_id: answer_ref(row.equipment_id, row.equipment) for row in rows if row.depth > 1}
    facts, equipment, items = _impact_facts(s, direct)
    eq, parts = list(equipment.values()), list(items.values())
    sole = len({row.item_id for row in direct if row.other_suppliers == 0})
    sites = sorted({row.site for row in direct if row.site})
    kind = "sole-sourced " if a.get("only") == "sole" else ""
    if not direct:
        answer = f"No equipment in the graph uses anything {s.name or s.id} supplies" + (
            " as its only source." if kind else "."
        )
    elif a.get("answer") == "items":
        what = (
            f"An outage of {s.name or s.id} leaves {plural(len(parts), kind + 'item')} without supply"
            if a.get("as") != "supplies"
            else f"{s.name or s.id} supplies {plural(len(parts), kind + 'item')}"  # "which items do we buy"
        )
        answer = (
            f"{what} ({sole} sole-sourced): {name_list(parts)};"
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


def _impact_facts(
    s: EntityRef, direct: list[ImpactRow]
) -> tuple[FactList, dict[str, EntityRef], dict[str, EntityRef]]:
    """The facts of the impact rows (item supplied by, equipment has part, sites); the equipment and items."""
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
    return facts, equipment, items


def _on_bom_lines(kg: KnowledgeGraph, supplier_id: str, rows: list[ImpactRow]) -> list[ImpactRow]:
    """The impact rows as the BOM lines have them: the equipment whose own line of the item names this
    supplier (not every equipment that uses an item some other line buys from it), each with the other
    suppliers its lines name. Rows above the BOM (assemblies, depth > 1) and rows no line covers stay."""
    lines = bom_lines(kg, sorted({row.item_id for row in rows}))  # the supplier's items' lines only
    target = {supplier_id, *related_organisations(kg, supplier_id)}
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
    # in the impact query's order (fewest other suppliers first, then site, equipment, item), whatever order
    # the store returned the lines in
    return sorted(
        out, key=lambda r: (r.depth > 1, r.other_suppliers, r.site or "", r.equipment or "", r.item or "")
    )


#: the other way round: items that have a second source ("parts supplied by more than one supplier")
MULTI_SOURCED = re.compile(
    r"\b(more than one|multiple|several|two or more|2 or more|at least (two|2)) "
    r"(suppliers?|sources?|vendors?)\b|\b(dual|multi|multiple)[- ]?sourced\b|"
    r"\b(have|has|with) (two|2) (suppliers|sources|vendors)\b|\bnot (single|sole)[- ]?(sourced?|supplied)\b",
    re.IGNORECASE,
)


#: items that have a recorded alternative ("which parts have an approved alternate")
WITH_ALTERNATIVES = re.compile(
    r"\b(have|has|with|having)( an?| any| one or more)?( approved| listed| recorded| known)? "
    r"(alternatives?|alternates?|substitutes?|equivalents?|alt(ernative|ernate)? (pn|part)s?)\b",
    re.IGNORECASE,
)


#: "single-sourced parts with no alternative": the exposure left when no other part can stand in
NO_ALTERNATIVE = re.compile(
    r"\b(no|without|lacking)( an?| any)?( approved| listed| recorded| known)? "
    r"(alternatives?|alternates?|substitutes?|equivalents?|replacements?|alts?( (pn|part|p/n)s?)?)\b",
    re.IGNORECASE,
)


def single_source_params(question: str) -> dict[str, str]:
    out = {"only": "direct"} if DIRECT_ONLY.search(question) else {}
    if NO_ALTERNATIVE.search(question):
        out["alternatives"] = "none"
    if MULTI_SOURCED.search(question):
        out["sources"] = "many"
    elif WITH_ALTERNATIVES.search(question):
        out["sources"] = "alternatives"
    if kind := asked_kind(question):  # "sole-source parts on the pumps"
        out["kind"] = kind
    return out


def _items_sentence(items: list[EntityRef], where: str, what: str) -> str:
    """ "3 items at the site have exactly one supplier: A, B, C." (or that none has)."""
    if not items:
        return f"No item{where} has {what} in the graph."
    verb = "has" if len(items) == 1 else "have"
    return f"{plural(len(items), 'item')}{where} {verb} {what}: {name_list(items)}."


def _sourcing_scope(
    kg: KnowledgeGraph, a: dict[str, str]
) -> tuple[set[str] | None, Callable[[str], bool], str, set[str]]:
    """How a sourcing question narrows its items: the named supplier's accounts (None: any), which items
    stay (on the named equipment's BOM, at the named site), the words that say so, the conditions applied."""
    suppliers = {a["supplier"], *related_organisations(kg, a["supplier"])} if a.get("supplier") else None
    where = " from the named supplier" if suppliers else ""
    on: set[str] | None = None
    if a.get("equipment"):
        bom = analyst.bom(kg, a["equipment"], records=RECORD_EXTRACTORS, depth=1 if a.get("only") else 4)
        on = {line.item_id for line in bom.lines}
        where += f" on {bom.root.name or bom.root.id}"
    scope = site_scope(kg, a["site"]) if a.get("site") else None
    where += " at the site" if scope is not None else ""

    def keeps(item_id: str) -> bool:
        return (on is None or item_id in on) and (scope is None or item_id in scope)

    return suppliers, keeps, where, {"site"} if scope is not None else set()


def _multi_source(kg: KnowledgeGraph, a: dict[str, str], limit: int) -> ToolOutput:
    """Items with two suppliers or more by the records; of one supplier, on one equipment's BOM, at a site."""

    alternatives = a.get("sources") == "alternatives"  # items with a recorded alternative part
    query = queries.items_with_alternatives() if alternatives else queries.multi_source_items()
    rows = kg.store.read(query, {"limit": MAX_ROWS, "records": list(RECORD_EXTRACTORS)})
    suppliers, keeps, where, applied = _sourcing_scope(kg, a)
    rows = [
        r for r in rows if keeps(r["item_id"]) and (suppliers is None or suppliers & set(r["supplier_ids"]))
    ]
    items = [answer_ref(str(r["item_id"]), r["item"]) for r in rows]
    facts = FactList()
    for r in rows:
        for sid, name in zip(r["supplier_ids"], r["suppliers"], strict=True):
            facts.relation((str(r["item_id"]), r["item"]), "SUPPLIED_BY", (str(sid), name))
        for aid, name in zip(r.get("alternative_ids") or [], r.get("alternatives") or [], strict=True):
            facts.relation((str(r["item_id"]), r["item"]), "ALTERNATIVE_TO", (str(aid), name))
    return ToolOutput(
        answer=_items_sentence(
            items, where, "a recorded alternative" if alternatives else "more than one supplier"
        ),
        answer_entities=items[:limit],
        facts=facts.all(),
        cite=[i.id for i in items],
        applied=applied,
    )


def _single_source(kg: KnowledgeGraph, a: dict[str, str], limit: int) -> ToolOutput:
    """Items with one supplier by the records; of one supplier, on one equipment's BOM, at one site (by the
    BOM lines there: a part two suppliers deliver, one per site, is single-sourced at each). With
    ``sources=many``, the items that have a second source instead."""
    if a.get("sources") in ("many", "alternatives"):
        return _multi_source(kg, a, limit)
    r, extra = records_first(
        lambda rec: analyst.single_source(kg, limit=MAX_ROWS, records=rec),
        lambda res: [answer_ref(i.item_id, i.item) for i in res.items],
    )
    found = list(r.items)
    if a.get("site") or a.get("equipment") or a.get("kind"):
        on_lines = _single_on_lines(kg, a)
        found = found if on_lines is None else on_lines
    suppliers, keeps, where, applied = _sourcing_scope(kg, a)
    where += f" on the {a['kind']}s" if a.get("kind") and not a.get("equipment") else ""
    found = [i for i in found if keeps(i.item_id) and (suppliers is None or i.supplier_id in suppliers)]
    what = "exactly one supplier"
    if a.get("alternatives") == "none":  # and no recorded alternative part to fall back on
        params = {"limit": MAX_ROWS, "records": list(RECORD_EXTRACTORS)}
        alts = {str(r["item_id"]) for r in kg.store.read(queries.items_with_alternatives(), params)}
        found, what = [i for i in found if i.item_id not in alts], what + " and no recorded alternative"
    items = [answer_ref(i.item_id, i.item) for i in found]
    facts = FactList()
    for i in found:
        facts.relation((i.item_id, i.item), "SUPPLIED_BY", (i.supplier_id, i.supplier))
    answer = _items_sentence(items, where, what) + also_sentence(
        extra if not (a.get("supplier") or a.get("equipment") or a.get("site") or a.get("kind")) else []
    )
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
    every = bom_lines(kg)
    lines = [x for x in every if x.supplier_id]
    if not lines:
        return None
    if a.get("kind") and not a.get("equipment"):  # "on our pumps": their own lines and their sub-assemblies'
        kind = equipment_of_kind(kg, a["kind"])
        kind |= {x.item_id for x in every if x.equipment_id in kind and x.item_id.startswith("Equipment:")}
        lines = [x for x in lines if x.equipment_id in kind]
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
        r"supply (stop|problem|issue|failure|interruption)s?|lose|losing|strike|plant fire|"
        r"go(es)? down|went down|shuts? down|clos(es|ed|ing) down|insolven\w*|force majeure|"
        r"fails? to deliver|stops? trading|ceases? trading|(on|has) a (credit |delivery |supply )?stop|"
        r"(account|deliveries|supply) (is |are )?on (hold|stop))\b",
        r"\bimpact of\b.*\b(supplier|outage)\b",
        r"\b(impact|exposure|exposed|at risk)\b",
        r"\bdepend(s|ent)? on\b",
        r"\b(what|which|how many) (different |distinct |unique )?(parts|items|pns?|components) (does|do) "
        r".{1,40} (supply|deliver|sell|make)\b",
        r"\b(parts|items|pns?|components) (do|did|can) we (buy|get|order|purchase|source) from\b",
        r"^\W*what (does|do) .{1,40} (supply|deliver|sell)\b",  # not "who are they, what do they supply"
        r"\b(parts|items) (we buy|bought|from)\b|\b(does|do) .{1,40} supply (us|to us)\b|\b(everything|all) "
        r"we (get|buy) from\b|^\W*(list|show)\b.{0,30} (supplied|delivered|sold|provided) by\b",
        r"\b(tags?|equipment|machines?|assets?|eqpt)\b.{0,60}\b(on|in) (its|their|the) "
        r"(boms?|bills? of materials?)\b",
        r"\b(which|what) (\w+ )?(machines?|equipment|eqpt|assets?|tags?)\b.{0,40}\b(no other|only one|"
        r"single|sole)[- ](source|supplier|vendor)",  # machines asked: those a supplier's outage stops
    ),
    _supplier_impact,
    optional=(Slot("item", ITEM),),
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
        r"\b(single|sole)[- ]?(sourced?|suppliers?|supplied|src)\b",
        r"\b(only|just) (the )?(one|1|a single) (supplier|source|vendor|supplir)\b",
        r"\b(one|1|a single) (supplier|source|vendor|place|company) only\b",
        r"\bonly (get|buy|source|order|obtain)\w* (it |them )?from ((one|1|a single) "
        r"(supplier|source|vendor|place)\b|\{X\})",  # "pns we can only get from {X}"
        r"\b(hang|depend|rel[yi])\w* on (just |only )?(one|1|a single) (supplier|source|vendor)\b",
        r"\bno (second|alternative|other|backup) (source|supplier|vendor)\b",
        r"\bonly .{1,40} can (supply|deliver|provide|make)\b",
        MULTI_SOURCED.pattern,
        r"\b(parts?|items?|components?|pns?|skus?)\b.{0,25}" + WITH_ALTERNATIVES.pattern,
    ),
    _single_source,
    optional=(Slot("supplier", SUPPLIER), Slot("equipment", ("Equipment",))),
    params=single_source_params,
)
