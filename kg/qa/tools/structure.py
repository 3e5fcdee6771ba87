"""Structure tools: where a part is used, a bill of materials, how two entities connect, one entity's links.

Each runner wraps one function of :mod:`kg.graph.analyst` or :mod:`kg.graph.entities` and turns its rows into
facts; each :class:`~kg.qa.tools.base.Tool` sits next to its runner with the questions and rules that route
to it.

Example:
    >>> BOM.matches_rule("Show the bill of materials of P-101"), WHERE_USED.slots[0].labels
    (True, ('Part', 'Equipment', 'Material', 'Product'))
"""

from __future__ import annotations

import re

from kg.core.facts import RECORD_EXTRACTORS
from kg.graph import analyst
from kg.graph.knowledge_graph import KnowledgeGraph
from kg.graph.results import EntityRef, Neighbour
from kg.qa.tools.answer_facts import FactList
from kg.qa.tools.base import (
    DIRECT_ONLY,
    ITEM,
    MAX_ROWS,
    Slot,
    Tool,
    ToolOutput,
    also_sentence,
    answer_ref,
    name_list,
    named_like,
    plural,
    records_first,
    site_scope,
)


def _where_used(kg: KnowledgeGraph, a: dict[str, str], limit: int) -> ToolOutput:
    """The equipment whose own BOM lists the part answers; assemblies above it are named as context."""
    if a["item"].startswith("Material:"):  # "which equipment uses parts made of NBR"
        return _material_used(kg, a, limit)
    r, extra = records_first(
        lambda rec: analyst.where_used(kg, a["item"], limit=MAX_ROWS, records=rec),
        lambda res: [
            answer_ref(e.equipment_id, e.equipment, ["Equipment"]) for e in res.equipment if e.depth == 1
        ],
    )
    p = r.part
    rows = list(r.equipment)
    applied = set()
    if a.get("site"):
        scope = site_scope(kg, a["site"])
        rows = [e for e in rows if e.equipment_id in scope]
        applied.add("site")
    direct = [e for e in rows if e.depth == 1]
    above = [answer_ref(e.equipment_id, e.equipment) for e in rows if e.depth > 1]
    refs = [answer_ref(e.equipment_id, e.equipment, ["Equipment"]) for e in direct]
    facts = FactList()
    for e in direct:
        facts.relation((e.equipment_id, e.equipment), "HAS_PART", p)
        if e.site:
            facts.attribute((e.equipment_id, e.equipment), "site", e.site)
    if not refs and "Equipment" in p.labels:  # "where is LDS-CNC-01": a machine stands somewhere
        located = _located(kg, p, facts)
        if located is not None:
            return located
    answer = (
        f"{p.name or p.id} is used in {plural(len(refs), 'piece')} of equipment: {name_list(refs)}."
        + (f" Through them, also in {name_list(above)}." if above else "")
        if refs
        else f"No equipment in the graph{' at that site' if applied else ''} contains {p.name or p.id}."
    ) + also_sentence(extra)
    return ToolOutput(
        answer=answer,
        answer_entities=refs[:limit],
        facts=facts.all(),
        cite=[p.id],
        also_reported=extra,
        applied=applied,
    )


def _material_used(kg: KnowledgeGraph, a: dict[str, str], limit: int) -> ToolOutput:
    """The equipment whose own BOM lists an item made of a material."""
    from kg.graph.entities import entity_ref, require
    from kg.qa.tools.materials import made_of_pairs

    m = entity_ref(require(kg, a["item"], "the question", ("Material",)))
    items = {i.id: i for i, x in made_of_pairs(kg, [m.id]) if x.id == m.id and i.id.startswith("Part:")}
    facts = FactList()
    found: dict[str, EntityRef] = {}
    for item in items.values():
        facts.relation(item, "MADE_OF", m)
        for e in analyst.where_used(kg, item.id, limit=MAX_ROWS, records=RECORD_EXTRACTORS).equipment:
            if e.depth == 1:
                found.setdefault(e.equipment_id, answer_ref(e.equipment_id, e.equipment, ["Equipment"]))
                facts.relation((e.equipment_id, e.equipment), "HAS_PART", item)
    if a.get("site"):
        scope = site_scope(kg, a["site"])
        found = {k: v for k, v in found.items() if k in scope}
    refs = list(found.values())
    answer = (
        f"Parts made of {m.name or m.id} ({name_list(list(items.values()))}) are used in"
        f" {plural(len(refs), 'piece')} of equipment: {name_list(refs)}."
        if refs
        else f"No equipment in the graph contains a part recorded as made of {m.name or m.id}."
    )
    return ToolOutput(answer=answer, answer_entities=refs[:limit], facts=facts.all(), cite=[m.id],
                      applied={"site"} if a.get("site") else set())  # fmt: skip


def _located(kg: KnowledgeGraph, e: EntityRef, facts: FactList) -> ToolOutput | None:
    """Where a machine that no other machine contains stands: its site by the records."""
    from kg.graph import item_queries

    rows = kg.store.read(item_queries.located_at(), {"id": e.id, "records": list(RECORD_EXTRACTORS)})
    sites = [EntityRef(id=str(r["id"]), name=r["name"], labels=["Site"]) for r in rows]
    if not sites:
        return None
    for site in sites:
        facts.relation(e, "LOCATED_AT", site)
    return ToolOutput(
        answer=f"{e.name or e.id} stands at {name_list(sites)}; no other equipment in the graph contains it.",
        answer_entities=sites,
        facts=facts.all(),
        cite=[e.id],
    )


#: a question after the parts themselves ("full parts list", "spares", "components"), not the bill of
#: materials: sub-assemblies are not parts, their parts are
_PARTS_ASKED = re.compile(r"\b(parts?|components?|spares?|pns?|part numbers?)\b", re.IGNORECASE)
_BOM_ASKED = re.compile(
    r"\b(bom|bill of materials?|structure|assembl(y|ies)|sub-?assembl(y|ies))\b", re.IGNORECASE
)


def asks_parts(question: str) -> bool:
    """Whether a BOM question asks for parts, so a sub-assembly is not one of its answers (its parts are).

    Example:
        >>> asks_parts("full parts list for lds-cnc-01 incl. the spindle unit"), asks_parts("BOM of P-101")
        (True, False)
    """
    return bool(_PARTS_ASKED.search(question)) and not _BOM_ASKED.search(question)


def _bom(kg: KnowledgeGraph, a: dict[str, str], limit: int) -> ToolOutput:
    """The BOM explosion (every level); its own parts only when the question says so ("pump only"), and
    parts without the sub-assemblies they sit in when parts are asked for ("full parts list")."""
    direct = a.get("only") == "direct"
    r, extra = records_first(
        lambda rec: analyst.bom(kg, a["equipment"], limit=MAX_ROWS, records=rec, depth=1 if direct else 4),
        lambda res: [answer_ref(x.item_id, x.item, x.labels) for x in res.lines],
    )
    root = r.root
    lines = [x for x in r.lines if not ((direct or a.get("answer") == "parts") and "Equipment" in x.labels)]
    keep, note = named_like({x.item_id: x.item for x in lines}, a.get("about"))
    if keep is not None:
        lines = [x for x in lines if x.item_id in keep]
    names = {root.id: root.name} | {line.item_id: line.item for line in r.lines}
    items: dict[str, EntityRef] = {}
    facts = FactList()
    for line in lines:
        items.setdefault(line.item_id, answer_ref(line.item_id, line.item, line.labels))
        item = (line.item_id, line.item)
        facts.relation((line.parent_id, names.get(line.parent_id)), "HAS_PART", item)
        for s in line.suppliers:
            facts.relation(item, "SUPPLIED_BY", s)
    refs = list(items.values())
    own = " (its own parts, without sub-assemblies)" if direct else ""
    answer = (
        (
            f"The bill of materials of {root.name or root.id}{own} has {plural(len(refs), 'item')}:"
            f" {name_list(refs)}."
            if refs
            else f"The graph holds no parts of {root.name or root.id}."
        )
        + note
        + also_sentence(extra)
    )
    return ToolOutput(
        answer=answer, answer_entities=refs[:limit], facts=facts.unique(), cite=[root.id], also_reported=extra
    )


def _shortest_path(kg: KnowledgeGraph, a: dict[str, str], limit: int) -> ToolOutput:
    r = analyst.shortest_path(kg, a["source"], a["target"])
    names = {n.id: n for n in r.nodes}

    def node(id_: str) -> tuple[str, str | None]:
        return id_, names[id_].name if id_ in names else None

    facts = FactList()
    for e in r.edges:
        facts.relation(node(str(e.source)), e.type, node(str(e.target)))
    src, dst = names.get(r.source), names.get(r.target)
    s_name = src.name if src and src.name else r.source
    t_name = dst.name if dst and dst.name else r.target
    answer = (
        f"{s_name} and {t_name} are connected in {plural(r.length or 0, 'step')}:"
        f" {' → '.join(n.name or n.id for n in r.nodes)}."
        if r.found
        else f"No connection between {s_name} and {t_name} within 6 steps."
    )
    return ToolOutput(
        answer=answer, answer_entities=list(r.nodes), facts=facts.all(), cite=[n.id for n in r.nodes]
    )


#: properties of an entity worth stating as facts (the rest are bookkeeping: sources, evidence, times)
DETAIL_PROPERTIES = ("part_number", "tag", "equipment_class", "failure_mode_code", "description")


def _entity_detail(kg: KnowledgeGraph, a: dict[str, str], limit: int) -> ToolOutput:
    from kg.graph.entities import entity_detail

    d = entity_detail(kg, a["entity"], neighbours=min(limit, 50), citations=0)
    e = d.entity
    facts = FactList()
    for n in d.neighbours:
        s, o = (e, n.entity) if n.direction == "out" else (n.entity, e)
        facts.relation(s, n.relationship, o)
    for k, v in d.properties.items():
        if k in DETAIL_PROPERTIES and v:
            facts.attribute(e, k, v)
    kinds = "/".join(e.labels) or "entity"
    article = "an" if kinds[:1].lower() in "aeiou" else "a"
    answer = (
        f"{e.name or e.id} is {article} {kinds}{_placed(d.neighbours)} with "
        f"{plural(len(d.neighbours), 'direct link')} in the graph."
    )
    near = [answer_ref(n.entity.id, n.entity.name, n.entity.labels) for n in d.neighbours]
    fitted = _fitted_to(kg, e, facts) if "Supplier" in e.labels else []
    if fitted:
        answer += f" Its items are fitted to {plural(len(fitted), 'piece')} of equipment."
    seen = {e.id, *(r.id for r in near)}
    near += [r for r in fitted if r.id not in seen]
    return ToolOutput(answer=answer, answer_entities=[e, *near][:limit], facts=facts.all(), cite=[e.id])


#: what an entity's neighbours say of it first: (relationship, direction, words), in this order
_PLACING = (
    ("HAS_PART", "in", "part of"),
    ("LOCATED_AT", "out", "at"),
    ("SUPPLIED_BY", "out", "supplied by"),
    ("MANUFACTURED_BY", "out", "made by"),
)


def _placed(neighbours: list[Neighbour]) -> str:
    """ ", part of 5-axis CNC machining centre, at Plant Alpha – Leeds": where an item sits and who supplies
    it, the first things "what machine is it on and who do we get it from" asks."""
    out = []
    for rel, direction, words in _PLACING:
        names = [
            n.entity.name or n.entity.id
            for n in neighbours
            if (n.relationship, n.direction) == (rel, direction)
        ]
        if names:
            out.append(f"{words} {', '.join(sorted(set(names)))}")
    return "".join(f", {x}" for x in out) + ("," if out else "")


def _fitted_to(kg: KnowledgeGraph, org: EntityRef, facts: FactList) -> list[EntityRef]:
    """For a supplier: the equipment its items are on, or fit as alternatives to a listed item (what "tell me
    about X" also wants to know), each with the item as a fact."""
    from kg.graph import queries

    out: dict[str, EntityRef] = {}
    for r in analyst.supplier_impact(kg, org.id, limit=50).rows:
        equipment = answer_ref(r.equipment_id, r.equipment, ["Equipment"])
        facts.relation(equipment, "HAS_PART", answer_ref(r.item_id, r.item, ["Part"]))
        out.setdefault(r.equipment_id, equipment)
    for row in kg.store.read(queries.fits_as_alternative(), {"id": org.id, "limit": 50}):
        equipment = answer_ref(row["equipment_id"], row["equipment"], ["Equipment"])
        other = answer_ref(row["other_id"], row["other"], ["Part"])
        facts.relation(answer_ref(row["item_id"], row["item"], ["Part"]), "ALTERNATIVE_TO", other)
        facts.relation(equipment, "HAS_PART", other)
        out.setdefault(row["equipment_id"], equipment)
    return list(out.values())


#: kinds of parts a question lists, as analysts write them ("brgs and seals")
_KINDS = (
    r"(seals?|bearings?|brgs?|hoses?|filters?|belts?|gaskets?|o-?rings?|valves?|couplings?|fittings?|spares?|"
    r"consumables?|wear parts?)"
)

WHERE_USED = Tool(
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
        r"\bwhich (equipment|eqpt|machines?|assets?|tags?|units?|hpus?|pumps?|gearbox(es)?|motors?)"
        r" (use|uses|contain|contains|have|has|take|takes|need|needs|run|runs)\b",
        r"\b(installed|fitted|mounted)\b",
        r"\b(go(es)?|goes) (on|in|into)\b.*\b(which|what)\b",
        rf"\bwhat uses\b|^(?!\W*(the |all )?{_KINDS} ).*\bused (on|in|by|where)\b",  # not "seals used on X"
        r"\bwhere (is|are) .{1,40}\b(located|situated|stand(s|ing)?)\b|^\W*where (is|are)( the)? \S+\W*$",
    ),
    _where_used,
)

BOM = Tool(
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
        "What does {X} contain?",
    ),
    (
        r"\b(bom|bill of materials?|components of|spare parts (of|for)|"
        r"(?<!sourced )(?<!source )(?<!src )(?<!supplier )parts (of|in|on)|"
        r"what parts|which parts does|parts list|spares list|what goes into|what'?s (in|on|fitted to)|"
        r"(?<!sourced )(?<!single )(?<!sole )(pn'?s|part numbers) (of|in|on|for))\b",
        r"\bwhat (does|do|is|are) .{1,60} (contain|include|comprise|consist of|made up of|built from)\b",
        rf"^(?!.*\bmade (of|from)\b)(.*\b(what|which|list)( is| are)?( the| all)? |\W*(the |all )?){_KINDS}"
        rf"((,| and| or| &),? {_KINDS})* (are |is )?(on|in|fitted|installed|used)\b",
        rf"\b(what|which)( the)? {_KINDS}((,| and| or| &),? {_KINDS})* (does|do|did) .{{1,60}} "
        r"(have|use|take)\b",
    ),
    _bom,
    params=lambda q: (
        {"only": "direct"} if DIRECT_ONLY.search(q) else {"answer": "parts"} if asks_parts(q) else {}
    ),
)

SHORTEST_PATH = Tool(
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
        r"\bwhat (links|connects|joins)\b|\b(link|connection|path|relation(ship)?) between\b",
    ),
    _shortest_path,
    needs_rule=True,
)

#: two asks about one item joined by "and" ("who do we get it from and what machine is it on", "what machine
#: is it part of and which plant"): the item's neighbourhood answers both
_ASKS_SOURCE = (
    r"(who (do|does|did|can|could) (we|i|you) (get|buy|order|source)|who (supplies|sells|makes)|"
    r"(which|what) (suppliers?|vendors?))"
)
_ASKS_MACHINE = (
    r"((what|which) (machines?|equipment|assets?|press|kit|unit)|fitted (in|to|on)|part of|"
    r"where (is|are) (it|they) (fitted|used|installed|mounted))"
)
_ASKS_SITE = r"((what|which) (plants?|sites?|factory|location)|where is it)"

ENTITY_DETAIL = Tool(
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
        r"\bwhat (is|'s) (it|this|that)\b.*\b(where|who|what)\b|\bdetails,? (pls|please)\b|"
        r"\bdetails \((what|which|where)\b",  # "pn X - what is it, where is it fitted, who do we get it from"
        rf"\b{_ASKS_SOURCE}\b.*\band\b.*\b{_ASKS_MACHINE}\b|\b{_ASKS_MACHINE}\b.*\band\b.*\b{_ASKS_SOURCE}\b",
        rf"\b{_ASKS_MACHINE}\b.*\band\b.*\b{_ASKS_SITE}\b|\b{_ASKS_SITE}\b.*\band\b.*\b{_ASKS_MACHINE}\b",
    ),
    _entity_detail,
    outranks=("suppliers_of", "where_used", "bom"),
)
