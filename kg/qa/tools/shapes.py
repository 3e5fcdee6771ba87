"""Question shapes: a count, a listing of a class, a property the graph does not hold. Their rules win over
the subject tools' (``Tool.shape``); a count then runs the subject tool the rest of the question routes to
(``of``) and counts what it returns. Rankings are in :mod:`kg.qa.tools.rankings`, documents in
:mod:`kg.qa.tools.documents`.

Example:
    >>> listing_params("how many suppliers do we have"), decline_params("mtbf of ost-p-201-m?")
    ({'of_class': 'Supplier'}, {'property': 'MTBF'})
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from kg.core.facts import RECORD_EXTRACTORS
from kg.graph.knowledge_graph import KnowledgeGraph
from kg.graph.results import EntityRef
from kg.ingest.mapping import EQUIPMENT_HEADS
from kg.qa.constraints import UNHELD
from kg.qa.tools.answer_facts import FactList
from kg.qa.tools.base import (
    ITEM,
    MAX_ROWS,
    SUPPLIER,
    Slot,
    Tool,
    ToolOutput,
    answer_ref,
    bom_lines,
    name_list,
    plural,
    site_scope,
)

# -- a property the graph does not hold ----------------------------------------------------------------------


def _decline(kg: KnowledgeGraph, a: dict[str, str], limit: int) -> ToolOutput:
    """Say what the graph holds about the named thing and that the asked property is not among it; answer
    when the entity does carry it after all (a property node or attribute of that name)."""
    prop = a.get("property", "")
    words = [w[:5] for w in re.findall(r"[a-z]+", prop.casefold()) if len(w) > 2] or [prop.casefold()]
    if not a.get("entity"):
        return ToolOutput(
            answer=f"The graph does not hold {prop or 'that'} data: it holds what records and documents state"
            " about "
            "equipment, parts, suppliers, failures and work orders.",
            declined=True,
        )
    from kg.graph.entities import entity_detail

    d = entity_detail(kg, a["entity"], neighbours=50, citations=0)
    e = d.entity
    facts = FactList()
    held = {k: v for k, v in d.properties.items() if any(w in k.casefold() for w in words) and v}
    for k, v in held.items():
        facts.attribute(e, k, v)
    for n in d.neighbours:
        if n.relationship == "HAS_PROPERTY" and any(w in (n.entity.name or "").casefold() for w in words):
            facts.relation(e, n.relationship, n.entity)
    if facts.all():
        return ToolOutput(
            answer=f"The graph holds this about the {prop or 'asked property'} of {e.name or e.id}.",
            answer_entities=[e],
            facts=facts.all(),
            cite=[e.id],
        )
    kinds = "/".join(e.labels) or "entity"
    return ToolOutput(
        answer=f"The graph holds {e.name or e.id} (a {kinds} with {plural(len(d.neighbours), 'link')})"
        " but not"
        f" {'its ' + prop if prop else 'what was asked'}: no record or document read into it states it.",
        cite=[e.id],
        declined=True,
    )


def decline_params(question: str) -> dict[str, str]:
    from kg.qa.constraints import read_constraints

    unheld = read_constraints(question).unheld
    return {"property": unheld} if unheld else {}


DECLINE = Tool(
    "decline",
    "Not in the graph",
    (),
    ("What is the unit price of {X}?", "What is the MTBF of {X}?", "Phone number of {X}"),
    tuple(UNHELD.values()),
    _decline,
    optional=(Slot("entity", ()),),
    params=decline_params,
    shape=True,
    needs_rule=True,  # declined only for a property named as one the graph does not hold
)

# -- listing a class -----------------------------------------------------------------------------------------

#: class words of a listing, in the order they are tried
CLASS_WORDS = (
    ("Supplier", r"\b(suppliers?|supplers?|vendors?)\b"),
    ("Equipment", r"\b(equipment|eqpt|machines?|assets?|tags?)\b"),
    ("Part", r"\b(parts?|pns?|part numbers?|items?|components?|spares?)\b"),
    ("FailureMode", r"\bfailure modes?\b"),
    ("Material", r"\bmaterials?\b"),
    ("Site", r"\b(sites?|plants?)\b"),
)


#: kinds of equipment a listing may ask for ("how many pumps are at ostrava"): a type filter, not an entity
EQUIPMENT_KINDS = sorted(
    EQUIPMENT_HEADS
    - {"unit", "station", "line", "cell", "skid", "drive", "centre", "center", "machine", "screen"}
)
_KINDS = r"(?:" + "|".join(EQUIPMENT_KINDS) + r")(?:e?s)"
_KIND = re.compile(rf"\b({_KINDS})\b", re.IGNORECASE)


#: equipment that is no other's sub-assembly: "top level assets", "machines with no parent tag"
TOP_LEVEL = re.compile(
    r"\btop[- ]level (assets?|equipment|machines?|eqpt|tags?)\b|"
    r"\b(assets?|equipment|machines?|eqpt|tags?) (with|having|without) (no |a )?parent\b",
    re.IGNORECASE,
)


def listing_params(question: str) -> dict[str, str]:
    """The class a listing asks for, and the kind of equipment ("pumps"); a site word ("plant alpha") is
    the class only when nothing else is listed; top-level equipment only when asked."""
    if TOP_LEVEL.search(question):
        return {"of_class": "Equipment", "top": "yes"}
    for label, rx in CLASS_WORDS:
        if label != "Site" and re.search(rx, question, re.IGNORECASE):
            return {"of_class": label}
    m = _KIND.search(question)
    if m:
        word = m.group(1).casefold()
        kind = next(k for k in EQUIPMENT_KINDS if word in (k + "s", k + "es"))
        return {"of_class": "Equipment", "kind": kind}
    return {"of_class": "Site"} if re.search(dict(CLASS_WORDS)["Site"], question, re.IGNORECASE) else {}


#: a kind of equipment named as what a question ranks or picks ("which pump", "the compressors")
_KIND_ASKED = re.compile(
    rf"\b(?:which|what|the|our|of|all)\s+((?:{'|'.join(EQUIPMENT_KINDS)})(?:e?s)?)\b", re.IGNORECASE
)


def asked_kind(question: str) -> str | None:
    """The kind of equipment a question asks about ("which pump fails most": ``pump``), if any."""
    m = _KIND_ASKED.search(question)
    if m is None:
        return None
    word = m.group(1).casefold()
    return next((k for k in EQUIPMENT_KINDS if word in (k, k + "s", k + "es")), None)


def equipment_of_kind(kg: KnowledgeGraph, kind: str) -> set[str]:
    """The ids of the recorded equipment of ``kind`` (:func:`of_kind`)."""
    from kg.graph import queries

    rows = kg.store.read(
        queries.recorded_entities(),
        {"label": "Equipment", "records": list(RECORD_EXTRACTORS), "limit": MAX_ROWS},
    )
    return {str(r["id"]) for r in rows if of_kind(str(r["name"]), r["equipment_class"], kind)}


def of_kind(name: str, equipment_class: Any, kind: str) -> bool:
    """Whether equipment is of ``kind`` ("pump"): its register class names it ("Pump"; "Electric motor" is a
    motor), else the head of its name (the last word before a size: "Coolant supply pump motor 7.5 kW" is a
    motor, not a pump)."""
    words = re.findall(r"[a-z]+", str(equipment_class or "").casefold())
    if words:
        return kind in words or kind + "s" in words
    head = re.split(r"[,(]|\s\d", name, maxsplit=1)[0].split()
    return bool(head) and head[-1].casefold().rstrip("s") in (kind, kind.rstrip("s"))


def _entities(kg: KnowledgeGraph, a: dict[str, str], limit: int) -> ToolOutput:
    """Entities of one class the records back, at a site when one is named."""
    from kg.graph import queries

    label = a.get("of_class", "Equipment")
    rows = kg.store.read(
        queries.recorded_entities(), {"label": label, "records": list(RECORD_EXTRACTORS), "limit": MAX_ROWS}
    )
    applied = set()
    if a.get("site"):
        scope = site_scope(kg, a["site"])
        if label == "Supplier":  # by its BOM lines: a part's supplier at the other site is not this one's
            scope = {x.supplier_id for x in bom_lines(kg) if x.equipment_id in scope and x.supplier_id}
        rows = [r for r in rows if r["id"] in scope]
        applied.add("site")
    if a.get("kind"):
        rows = [r for r in rows if of_kind(str(r["name"]), r["equipment_class"], a["kind"])]
    if a.get("top") == "yes":  # no record makes it another equipment's part
        found = kg.store.read(queries.equipment_parents(), {"records": list(RECORD_EXTRACTORS)})
        subassemblies = {str(r["child"]) for r in found}
        rows = [r for r in rows if r["id"] not in subassemblies]
    refs = [answer_ref(str(r["id"]), r["name"], [label]) for r in rows]
    noun = {"Equipment": "piece of equipment", "FailureMode": "failure mode"}.get(label, label.lower())
    noun = a.get("kind") or noun
    answer = (
        f"The records hold {plural(len(refs), noun)}{' at the site' if applied else ''}: {name_list(refs)}."
        if refs
        else f"The records hold no {noun}{' at the site' if applied else ''}."
    )
    return ToolOutput(answer=answer, answer_entities=refs[:limit], applied=applied)


ENTITIES = Tool(
    "entities",
    "Entities of a class",
    (),
    (
        "Which suppliers do we have?",
        "List the equipment at the site",
        "What equipment is registered at the site?",
        "Which sites do we have?",
        "All our suppliers",
    ),
    (
        r"\b(pieces of |items of )?(equipment|eqpt|machines|assets|suppliers|vendors|sites|plants|parts)"
        r" (registered|listed|recorded|do we (have|run|operate|use|buy from|work with)|are there|"
        r"we (have|run|operate|use|buy from|work with)|in total)\b",
        r"^\W*(how many|(the )?(total )?(number|count|no\.?) of|count|list|show|give|which|what|who are)"
        r"( me| us)?"
        r"( all| the| our)* (distinct |different |unique |separate )?"
        r"(pieces of |items of )?"
        rf"(suppliers|vendors|equipment|eqpt|machines|assets|sites|plants|materials|{_KINDS})"
        r"( items| units| pieces)?"
        r"( (are|is) there| do we (have|run|operate|use)| we (have|run|operate|use)| are| is)?"
        r"( (registered|listed|recorded|installed|running|in use|used))?"
        r"( (at|in|on) (the )?(plant )?site|"
        r" (does|do) (the )?(plant )?site( plant)? (use|have|buy from|work with))?"
        r"( (are )?(in|on|per) (the |our )?(site )?(boms?|bills? of materials?))?( registered.*)?"
        r"(\W*$|\s*[?.;]\s.*$)",
        TOP_LEVEL.pattern,
    ),
    _entities,
    params=listing_params,
    needs_rule=True,
)

# -- counting ------------------------------------------------------------------------------------------------


def _counting(kg: KnowledgeGraph, a: dict[str, str], limit: int) -> ToolOutput:
    """Run the tool the rest of the question routes to (``of``) and count what it returns: work orders for
    a history, documents, entities otherwise."""
    from kg.qa.tools.registry import TOOL_BY_NAME

    inner = TOOL_BY_NAME[a["of"]]
    out = inner.run(kg, {k: v for k, v in a.items() if k != "of"}, MAX_ROWS)
    if inner.name == "failure_history":
        n, noun = len(out.data.get("work_orders", [])), ("work order", "work orders")
    elif a.get("unit") == "lines" and "fmea_lines" in out.data:  # "how many fmea lines": rows, not modes
        n, noun = out.data["fmea_lines"], ("FMEA line", "FMEA lines")
    else:
        n, noun = len(out.answer_entities), _noun(out.answer_entities)
    return ToolOutput(
        answer=f"{n} {noun[0] if n == 1 else noun[1]}. {out.answer}",
        answer_entities=out.answer_entities[:limit],
        facts=out.facts,
        cite=out.cite,
        data={**out.data, "count": n},
        also_reported=out.also_reported,
        applied=out.applied,
    )


NOUNS = {
    "Equipment": ("piece of equipment", "pieces of equipment"),
    "FailureMode": ("failure mode", "failure modes"),
    "Document": ("document", "documents"),
    "Part": ("part", "parts"),
    "Supplier": ("supplier", "suppliers"),
    "Site": ("site", "sites"),
    "Material": ("material", "materials"),
}


def _noun(refs: list[EntityRef]) -> tuple[str, str]:
    """What the counted entities are, singular and plural, by their most common class."""
    labels = Counter(x for r in refs for x in (r.labels or [r.id.split(":", 1)[0]]))  # "Supplier:skf"
    top = labels.most_common(1)[0][0] if labels else ""
    return NOUNS.get(top, ("item", "items"))


COUNTING = Tool(
    "counting",
    "Count",
    (),
    ("How many {X} are there?", "Number of work orders on {X}"),
    (
        r"\b(how many|(?<!by )number of|no\.? of|qty of|quantity of|count (of|the|all|our)|"
        r"total (count|number)|how much (work|wos?))\b",
        r"\b(wo|work order|supplier|part|document)s? count\b",
    ),
    _counting,
    shape=True,
    needs_rule=True,
)

__all__ = ["COUNTING", "DECLINE", "ENTITIES", "ITEM", "SUPPLIER"]
