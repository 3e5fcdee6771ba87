"""Supply tools: who supplies an item, what a supplier's outage hits, single sources, alternatives.

Each runner wraps one analyst function of :mod:`kg.graph.analyst` and turns its rows into facts; each
:class:`~kg.qa.tools.base.Tool` sits next to its runner with the questions and rules that route to it.

Example:
    >>> SUPPLIERS_OF.matches_rule("Who supplies the 6205 bearing?")
    True
"""

from __future__ import annotations

from kg.graph import analyst
from kg.graph.knowledge_graph import KnowledgeGraph
from kg.graph.results import EntityRef, SupplierImpact
from kg.qa.tools.answer_facts import FactList
from kg.qa.tools.base import (
    ITEM,
    SUPPLIER,
    Slot,
    Tool,
    ToolOutput,
    also_sentence,
    answer_ref,
    name_list,
    plural,
    records_first,
)


def _impact_equipment(r: SupplierImpact) -> list[EntityRef]:
    return [answer_ref(row.equipment_id, row.equipment, ["Equipment"]) for row in r.rows]


def _supplier_impact(kg: KnowledgeGraph, a: dict[str, str], limit: int) -> ToolOutput:
    r, extra = records_first(
        lambda rec: analyst.supplier_impact(kg, a["supplier"], limit=limit, records=rec), _impact_equipment
    )
    s = r.supplier
    facts = FactList()
    equipment: dict[str, EntityRef] = {}
    for row in r.rows:
        item, machine = (row.item_id, row.item), (row.equipment_id, row.equipment)
        facts.relation(item, "SUPPLIED_BY", s)
        facts.relation(machine, "HAS_PART", item)
        facts.attribute(item, "other_suppliers", row.other_suppliers)
        if row.site:
            facts.attribute(machine, "site", row.site)
        equipment.setdefault(row.equipment_id, answer_ref(row.equipment_id, row.equipment, ["Equipment"]))
    eq = list(equipment.values())
    sole = len(r.sole_source_items)
    answer = (
        f"An outage of {s.name or s.id} hits {plural(len(eq), 'piece')} of equipment"
        f" at {plural(len(r.sites), 'site')} through {plural(len(r.items), 'item')}"
        f" ({sole} sole-sourced)."
        if eq
        else f"No equipment in the graph uses anything {s.name or s.id} supplies."
    ) + also_sentence(extra)
    return ToolOutput(
        answer=answer,
        answer_entities=eq,
        also_reported=extra,
        facts=facts.unique(),
        cite=[s.id, *r.sole_source_items, *r.items],
        data={"supplier": s.name or s.id, "sites": r.sites, "items": len(r.items), "sole": sole},
    )


def _single_source(kg: KnowledgeGraph, a: dict[str, str], limit: int) -> ToolOutput:
    r, extra = records_first(
        lambda rec: analyst.single_source(kg, limit=limit, records=rec),
        lambda res: [answer_ref(i.item_id, i.item) for i in res.items],
    )
    items = [answer_ref(i.item_id, i.item) for i in r.items]
    facts = FactList()
    for i in r.items:
        facts.relation((i.item_id, i.item), "SUPPLIED_BY", (i.supplier_id, i.supplier))
    answer = (
        f"{plural(len(items), 'item')} {'has' if len(items) == 1 else 'have'} exactly one supplier"
        + (" (more than shown)." if r.truncated else ".")
        if items
        else "No item in the graph has exactly one supplier."
    ) + also_sentence(extra)
    return ToolOutput(
        answer=answer,
        answer_entities=items,
        facts=facts.all(),
        cite=[i.id for i in items],
        also_reported=extra,
    )


def _suppliers_of(kg: KnowledgeGraph, a: dict[str, str], limit: int) -> ToolOutput:
    r, extra = records_first(
        lambda rec: analyst.alternatives(kg, a["item"], limit=limit, records=rec),
        lambda res: [answer_ref(s.id, s.name) for s in res.suppliers],
    )
    p = r.part
    facts = FactList()
    for s in r.suppliers:
        facts.relation(p, "SUPPLIED_BY", s)
    refs = [answer_ref(s.id, s.name) for s in r.suppliers]
    answer = (
        f"{p.name or p.id} is supplied by {name_list(refs)}."
        if refs
        else f"The graph names no supplier for {p.name or p.id}."
    ) + also_sentence(extra)
    return ToolOutput(
        answer=answer, answer_entities=refs, facts=facts.all(), cite=[p.id], also_reported=extra
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
        r"\b(outage|disruption|stops? (supplying|delivering)|goes? (bankrupt|out of business)|"
        r"can(no|')t deliver|lose|losing)\b",
        r"\bimpact of\b.*\b(supplier|outage)\b",
        r"\bdepend(s|ent)? on\b",
    ),
    _supplier_impact,
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
        r"\b(single|sole)[- ]?sourced?\b",
        r"\bonly one supplier\b",
        r"\bno (second|alternative) (source|supplier)\b",
    ),
    _single_source,
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
        r"\bwho (supplies|sells|delivers|provides)\b",
        r"\bsuppliers? (of|for)\b",
        r"\bwhere (do|can) we (buy|get|source)\b",
    ),
    _suppliers_of,
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
    (r"\b(alternatives?|substitutes?|equivalents?|interchangeable|replacement part|second source for)\b",),
    _alternatives,
)
