"""Sourcing tools: who supplies an item (or an equipment's parts), and what can replace it; both take a
supplier to leave out ("other source than SKF", "Parker can't deliver").

Example:
    >>> ALTERNATIVES.matches_rule("other source than skf for 22210 E?"), SUPPLIERS_OF.optional[0].name
    (True, 'exclude')
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from kg.core.facts import RECORD_EXTRACTORS
from kg.graph import analyst, queries
from kg.graph.entities import related_organisations
from kg.graph.knowledge_graph import KnowledgeGraph
from kg.graph.results import AlternativePart, AlternativesResponse, EntityRef, SupplierRef
from kg.qa.tools.answer_facts import FactList
from kg.qa.tools.base import (
    ITEM,
    SUPPLIER,
    Slot,
    Tool,
    ToolOutput,
    also_sentence,
    answer_ref,
    bom_lines,
    name_list,
    named_like,
    records_first,
    site_scope,
)


def items_under(kg: KnowledgeGraph, item_id: str) -> tuple[EntityRef, list[str], set[str]]:
    """An item, or the items of an equipment's BOM when the question names equipment ("vendors for the
    parts in OST-CV-02-GB"), with the equipment whose BOM lines they are (itself and its sub-assemblies)."""
    from kg.graph.entities import entity_ref, require

    node = require(kg, item_id, "the question")
    ref = entity_ref(node)
    if "Equipment" in node.labels:
        bom = analyst.bom(kg, item_id, records=RECORD_EXTRACTORS)
        parts = [line.item_id for line in bom.lines if "Equipment" not in line.labels]
        if parts:
            return ref, parts, {item_id, *(x.item_id for x in bom.lines if "Equipment" in x.labels)}
    return ref, [item_id], set()


def _on_lines(
    kg: KnowledgeGraph, pairs: list[tuple[str, SupplierRef]], equipment: set[str]
) -> list[tuple[str, SupplierRef]]:
    """The (item, supplier) pairs the BOM lines of ``equipment`` name: a part bought from HYDAC Technology
    for this unit and from HYDAC International for another has one supplier here. Unchanged when no line
    of theirs names a supplier for it."""
    items = sorted({i for i, _ in pairs})  # only these items' lines are read
    here = {
        (x.item_id, x.supplier_id)
        for x in bom_lines(kg, items)
        if x.equipment_id in equipment and x.supplier_id
    }
    lined = {i for i, _ in here}  # an item no line of theirs names (a document's) keeps its suppliers
    return [(i, s) for i, s in pairs if (i, s.id) in here or i not in lined]


def _names(kg: KnowledgeGraph, ids: list[str]) -> dict[str, str | None]:
    return {str(r["id"]): r["name"] for r in kg.store.read(queries.entity_refs(), {"ids": ids})}


def _described_in_documents(
    kg: KnowledgeGraph, equipment_id: str, about: str | None, seen: set[str]
) -> list[str]:
    """Items the documents put on ``equipment_id`` (and no BOM line does) whose names match ``about``."""
    lines = analyst.bom(kg, equipment_id, depth=2).lines
    names = {x.item_id: x.item for x in lines if "Equipment" not in x.labels and x.item_id not in seen}
    keep, _ = named_like(names, about)
    return sorted(keep or ())


def _described_items(
    kg: KnowledgeGraph, root: EntityRef, items: list[str], equipment: set[str], about: str | None
) -> tuple[list[str], str, str]:
    """The items the question describes among an equipment's parts ("brgs | seals"), else those only the
    documents put on it; (items, a note for the answer, how to name them when documents name them)."""
    keep, note = named_like(_names(kg, items), about)
    if keep is not None:
        return [i for i in items if i in keep], note, ""
    if note and equipment:  # "the bronze ram guide bushings on the press": no BOM line, a document's item
        described = _described_in_documents(kg, root.id, about, set(items))
        if described:
            refs = [answer_ref(i, n) for i, n in _names(kg, described).items()]
            note = " (No BOM line matches; the documents name these items on it.)"
            return described, note, "the documents' " + name_list(refs)
    return items, note, ""


def _suppliers_of(kg: KnowledgeGraph, a: dict[str, str], limit: int) -> ToolOutput:
    if a.get("role") == "maker" and (made := _makers(kg, a["item"], limit)):  # "who makes the 22210 E"
        return made
    root, items, equipment = items_under(kg, a["item"])
    note = named = ""
    if len(items) > 1 or items[0] != root.id:  # an equipment's parts: those the question describes
        items, note, named = _described_items(kg, root, items, equipment, a.get("about"))

    def fetch(rec: Sequence[str] | None) -> list[tuple[str, SupplierRef]]:
        return [(i, s) for i, ss in analyst.suppliers(kg, items, rec).items() for s in ss]

    pairs, extra_refs = records_first(fetch, lambda res: [answer_ref(s.id, s.name) for _, s in res])
    if equipment:
        pairs = _on_lines(kg, pairs, equipment)
    applied = set()
    if a.get("site"):  # "who can we buy it from in Leeds": the suppliers the BOM lines there name
        scope = site_scope(kg, a["site"])
        here = {
            (x.item_id, x.supplier_id)
            for x in bom_lines(kg, items)
            if x.equipment_id in scope and x.supplier_id
        }
        if any(i in items for i, _ in here):
            pairs = [(i, s) for i, s in pairs if (i, s.id) in here]
            applied.add("site")
    excluded = {a["exclude"], *related_organisations(kg, a["exclude"])} if a.get("exclude") else set()
    facts = FactList()
    refs: dict[str, EntityRef] = {}
    for item, s in pairs:
        facts.relation((item, root.name if item == root.id else None), "SUPPLIED_BY", s)
        if s.id not in excluded:
            refs.setdefault(s.id, answer_ref(s.id, s.name))
    extra = [x for x in extra_refs if x.id not in excluded]
    names = list(refs.values())
    what = root.name or root.id
    if named:
        what = f"{named} on {what}"
    elif len(items) == 1 and items[0] != root.id:  # "the skf brg on the motor": one part of it
        what = f"{_names(kg, items).get(items[0]) or items[0]} on {what}"
    elif len(items) > 1 or items[0] != root.id:
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


def _makers(kg: KnowledgeGraph, item_id: str, limit: int) -> ToolOutput | None:
    """Who makes an item by the records (MANUFACTURED_BY); None when they name no maker (then its
    suppliers answer)."""
    from kg.graph import item_queries

    rows = kg.store.read(item_queries.makers_of(), {"ids": [item_id], "records": list(RECORD_EXTRACTORS)})
    if not rows:
        return None
    facts = FactList()
    makers = {str(r["id"]): answer_ref(str(r["id"]), r["name"]) for r in rows}
    for r in rows:
        facts.relation((str(r["item_id"]), r["item"]), "MANUFACTURED_BY", makers[str(r["id"])])
    what = rows[0]["item"] or item_id
    answer = f"{what} is made by {name_list(list(makers.values()))}."
    return ToolOutput(answer=answer, answer_entities=list(makers.values())[:limit], facts=facts.unique(),
                      cite=[item_id])  # fmt: skip


def _alternatives_with_sources(
    p: EntityRef, alternatives: list[AlternativePart], facts: FactList, extra: list[EntityRef], limit: int
) -> ToolOutput:
    """ "What's the substitute and which vendor": the alternatives and the suppliers of each."""
    alts = [answer_ref(alt.id, alt.name) for alt in alternatives]
    sources = {s.id: answer_ref(s.id, s.name) for alt in alternatives for s in alt.suppliers}
    said = "; ".join(
        f"{alt.name or alt.id} from {name_list([answer_ref(s.id, s.name) for s in alt.suppliers])}"
        if alt.suppliers
        else f"{alt.name or alt.id} (no supplier recorded)"
        for alt in alternatives
    )
    return ToolOutput(
        answer=f"{p.name or p.id} can be replaced by {said}." + also_sentence(extra),
        answer_entities=[*alts, *sources.values()][:limit],
        facts=facts.all(),
        cite=[p.id, *(x.id for x in alts)],
        also_reported=extra,
    )


def _other_sources(
    kg: KnowledgeGraph,
    p: EntityRef,
    r: AlternativesResponse,
    exclude: str | None,
    facts: FactList,
    limit: int,
) -> ToolOutput:
    """ "Other source than SKF for 22210 E", "backup supplier for the hose": the suppliers of it or of its
    alternatives, the named one aside."""
    excluded = {exclude, *related_organisations(kg, exclude)} if exclude else set()
    others: dict[str, EntityRef] = {}
    for s in [*r.suppliers, *(s for alt in r.alternatives for s in alt.suppliers)]:
        if s.id not in excluded:
            others.setdefault(s.id, answer_ref(s.id, s.name))
    found = list(others.values())
    besides = "Besides the named supplier, " if excluded else ""
    answer = (
        f"{besides}{p.name or p.id} (or an alternative to it) comes from {name_list(found)}."
        if found
        else f"The graph names no {'other ' if excluded else ''}source for {p.name or p.id} or its"
        " alternatives."
    )
    return ToolOutput(answer=answer, answer_entities=found[:limit], facts=facts.all(), cite=[p.id])


def _alternatives(kg: KnowledgeGraph, a: dict[str, str], limit: int) -> ToolOutput:
    root, items, equipment = items_under(kg, a["item"])
    if items != [root.id]:  # "alternatives for the bearing on LDS-P-102": the machine's parts so described
        items, note, _ = _described_items(kg, root, items, equipment, a.get("about"))
        if len(items) > 1:
            return _parts_alternatives(kg, root, items, limit, note)
        a = {**a, "item": items[0]}
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
    if a.get("answer") == "both" and alts:  # the alternatives and who supplies them
        return _alternatives_with_sources(p, r.alternatives, facts, extra, limit)
    if (a.get("exclude") and a.get("answer") != "parts") or a.get("answer") == "suppliers":
        return _other_sources(kg, p, r, a.get("exclude"), facts, limit)
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


def _parts_alternatives(
    kg: KnowledgeGraph, root: EntityRef, items: list[str], limit: int, note: str
) -> ToolOutput:
    """The recorded alternatives of each of an equipment's parts, those that have one."""
    facts = FactList()
    alts: dict[str, EntityRef] = {}
    having: list[str] = []
    for item in items:
        r = analyst.alternatives(kg, item, limit=limit, records=RECORD_EXTRACTORS)
        for alt in r.alternatives:
            facts.relation(r.part, "ALTERNATIVE_TO", alt)
            alts.setdefault(alt.id, answer_ref(alt.id, alt.name))
        if r.alternatives:
            named = [answer_ref(x.id, x.name) for x in r.alternatives]
            having.append(f"{r.part.name or r.part.id} by {name_list(named)}")
    what = root.name or root.id
    answer = (
        f"Of the {len(items)} parts of {what}, {len(having)} can be replaced: " + "; ".join(having) + "."
        if having
        else f"The graph records no alternative to any of the {len(items)} parts of {what}."
    ) + note
    return ToolOutput(answer=answer, answer_entities=list(alts.values())[:limit], facts=facts.all(),
                      cite=[root.id, *alts])  # fmt: skip


#: the maker is asked for, not who sells it: "who makes the 22210 E", "manufacturer of the vane pump"
_ASKS_MAKER = re.compile(
    r"\bwho (actually |really |originally )?(makes|made|manufactures|manufactured|produces|builds)\b|"
    r"\bnot the (distributor|supplier|vendor|reseller)\b|"
    r"\bthe (actual |original )?(maker|manufacturer|oem)\b|"
    r"\b(manufacturers?|makers?|oems?|brands?) (of|for)\b|\b(which|what) (manufacturer|maker|brand|oem)\b",
    re.IGNORECASE,
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
        r"\b(?<!second )(?<!2nd )(?<!other )(?<!another )(?<!alternative )(?<!backup )(?<!back-up )"
        r"(?<!fallback )(suppliers?|supplers?|vendors?|sources?) (of|for)\b",
        r"\bwhere (do|can) we (buy|get|source)\b",
        r"\b(buy|get|order|source) (it|them) from\b|\bwho (do|can) we (buy|get|order)\b",
        r"\bsuppliers\W*$",
        r"\bhow many (different |distinct |separate )?(suppliers|vendors)\b",
    ),
    _suppliers_of,
    optional=(Slot("exclude", SUPPLIER),),
    params=lambda q: {"role": "maker"} if _ASKS_MAKER.search(q) else {},
)

#: the sources are asked for, not the parts: "backup supplier for the hose", "who else can deliver it" (a
#: "second source" is the approved alternative part: tests/qa/test_analyst_wording.py)
_ASKS_SOURCES = re.compile(
    r"\b((other|another|backup|back-up|fallback|standby|contingency|alternative|alternate)"
    r" (sources?|suppliers?|vendors?)|who else)\b",
    re.IGNORECASE,
)

#: who supplies or makes it is asked too: "what's the substitute and which vendor do we get it from"
_ASKS_WHO = re.compile(
    r"\b(who (makes|supplies|sells|delivers|provides|stocks)|which (vendors?|suppliers?|makers?)|"
    r"(get|buy|order|source) (it|them) from|from whom)\b",
    re.IGNORECASE,
)

#: a part is asked for, whoever lets us down: "hydac can't deliver it - what's the fallback pn?"
_ASKS_PART = re.compile(r"\b(pns?|part numbers?|parts?|items?|elements?|fit|put|use)\b", re.IGNORECASE)


def _alternatives_params(question: str) -> dict[str, str]:
    """Which answer: the sources ("backup vendor"), the alternatives and their sources ("the substitute and
    which vendor"), the parts even where a supplier is left out ("can't deliver - fallback pn?"), or, by
    default, the alternative parts (the sources when a supplier is left out and no part is asked)."""
    if _ASKS_SOURCES.search(question):
        return {"answer": "suppliers"}
    if _ASKS_WHO.search(question):
        return {"answer": "both"}
    return {"answer": "parts"} if _ASKS_PART.search(question) else {}


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
        "What can we use instead of {X}?",
        "Drop-in for {X}",
        "Which part supersedes {X}?",
        "Cross reference for {X}",
    ),
    (
        r"\b(?<!\bno )(?<!without )(?<!lacking )(?<!has no )"
        r"(alternatives?|alternates?|alts?|substitutes?|subs?|equivalents?|interchangeable|"
        r"replacement part|(second|2nd) source|(?<!no )other (source|supplier|vendor)s?|who else|"
        r"(another|backup|back-up|fallback|standby|contingency) (source|supplier|vendor)s?)\b",
        r"\b(drop[- ]?in|cross[- ]?ref\w*|supersed\w*|replacements? (for|of)|in place of|"
        r"(use|fit|buy|order|put|install) (\S+ ){0,5}instead|"
        r"(fallback|backup|back-up|standby) (pn|part|item)s?)\b",
        r"\b(what|which (part|item|pn)s?) (can |could |would )?(replaces?|supersedes?|substitutes?)\b",
    ),
    _alternatives,
    optional=(Slot("exclude", SUPPLIER),),
    params=_alternatives_params,
    outranks=("suppliers_of", "supplier_impact"),
)
