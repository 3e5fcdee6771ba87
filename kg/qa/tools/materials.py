"""The materials tool: what an item is made of, and which items are made of a material ("what material is
the OST-P-201 impeller", "which parts are made of FKM"). A machine's materials are its BOM lines'.

Example:
    >>> MATERIALS.matches_rule("which parts are made of FKM"), MATERIALS.matches_rule("the BOM of P-101")
    (True, False)
"""

from __future__ import annotations

from kg.core.facts import RECORD_EXTRACTORS
from kg.graph.knowledge_graph import KnowledgeGraph
from kg.graph.results import EntityRef
from kg.qa.tools.answer_facts import FactList
from kg.qa.tools.base import MAX_ROWS, Slot, Tool, ToolOutput, name_list, named_like, plural, site_scope


def made_of_pairs(kg: KnowledgeGraph, ids: list[str]) -> list[tuple[EntityRef, EntityRef]]:
    """(item, material) MADE_OF pairs touching ``ids``: the records' when they hold any, else documents'."""
    from kg.graph import item_queries

    for records in (list(RECORD_EXTRACTORS), None):
        rows = kg.store.read(item_queries.made_of(), {"ids": ids, "records": records})
        if rows:
            return [
                (
                    EntityRef(id=r["item_id"], name=r["item"]),
                    EntityRef(id=r["material_id"], name=r["material"]),
                )
                for r in rows
            ]
    return []


def _materials(kg: KnowledgeGraph, a: dict[str, str], limit: int) -> ToolOutput:
    """The items made of a material, or the materials of an item (of a machine's BOM lines, narrowed to
    those the question's words name)."""
    from kg.graph.entities import entity_ref, require

    e = entity_ref(require(kg, a["entity"], "the question", ("Material", "Part", "Product", "Equipment")))
    facts = FactList()
    if "Material" in e.labels:
        pairs = [(i, m) for i, m in made_of_pairs(kg, [e.id]) if m.id == e.id]
        if a.get("site"):  # "fkm parts on ostrava eqpt": those standing there
            scope = site_scope(kg, a["site"])
            pairs = [(i, m) for i, m in pairs if i.id in scope]
        items = list({i.id: i for i, _ in pairs}.values())
        for i, m in pairs:
            facts.relation(i, "MADE_OF", m)
        answer = (
            f"{plural(len(items), 'item')} {'is' if len(items) == 1 else 'are'} made of {e.name or e.id}"
            f"{' at the site' if a.get('site') else ''}: {name_list(items)}."
            if items
            else f"No item in the graph is recorded as made of {e.name or e.id}."
        )
        applied = {"site"} if a.get("site") else set()
        return ToolOutput(
            answer=answer, answer_entities=items[:limit], facts=facts.all(), cite=[e.id], applied=applied
        )
    items = [e]
    if "Equipment" in e.labels:  # a machine's materials are its parts' (those the question's words name)
        from kg.graph import analyst

        lines = analyst.bom(kg, e.id, limit=MAX_ROWS, records=RECORD_EXTRACTORS).lines
        keep, _ = named_like({x.item_id: x.item for x in lines}, a.get("about"))
        items = [
            EntityRef(id=x.item_id, name=x.item) for x in lines if keep is None or x.item_id in keep
        ] or [e]
    ids = {x.id for x in items}
    pairs = [(i, m) for i, m in made_of_pairs(kg, [i.id for i in items][:MAX_ROWS]) if i.id in ids]
    for i, m in pairs:
        facts.relation(i, "MADE_OF", m)
    answer = (
        "; ".join(f"{i.name or i.id} is made of {m.name or m.id}" for i, m in pairs) + "."
        if pairs
        else f"The graph records no material for {name_list(items)}."
    )
    materials = list({m.id: m for _, m in pairs}.values())
    return ToolOutput(answer=answer, answer_entities=materials[:limit], facts=facts.all(), cite=[e.id])


MATERIALS = Tool(
    "materials",
    "Materials",
    (Slot("entity", ("Material", "Part", "Product", "Equipment")),),
    (
        "What material is {X} made of?",
        "Which parts are made of {X}?",
        "What is {X} made from?",
        "Which items use {X} as material?",
    ),
    (
        r"\b(what|which) (material|materials|compound|elastomer|grade)\b",
        r"\bmade (of|from|out of)\b(?! (what|which) (parts?|components?))",
        r"(?<!bill of )\bmaterials? (of|for)\b",
        r"^\W*(which|what|list|any|show)( the| our| all)? \{X\} (parts?|items?|components?|seals?|o-?rings?)"
        r"\b(?! (from|by|supplied|sourced|made by))",  # "which fkm parts sit on ostrava eqpt": a material
    ),
    _materials,
)
