"""What one document says, for questions that name a document by its number ("which part failed in
8D-2024-017", "who is the supplier on NW-PO-24-0388", "what does NCR-2025-019 say").

The service finds the named document (:mod:`kg.qa.named_documents`) and runs this tool on it: the entities
the document mentions, those of the classes the question asks for first ("which part" → parts and equipment,
"what failure mode" → failure modes, "who" → organisations), identified ones (a part number, a tag) before
bare words, and the relationships the document's own text states between them as facts.

Example:
    >>> asked_classes("which part failed and in what failure mode")
    ('Part', 'Equipment', 'FailureMode')
"""

from __future__ import annotations

import re
from typing import Any

from kg.core.errors import NotFoundError
from kg.graph.knowledge_graph import KnowledgeGraph
from kg.graph.results import EntityRef
from kg.qa.tools.answer_facts import FactList
from kg.qa.tools.base import MAX_ROWS, Slot, Tool, ToolOutput, answer_ref, name_list

#: what a question asks a document for, by its words, and the classes that answer it
ASKS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        r"\b(parts?|components?|items?|spares?|part numbers?|pns?|what (?:failed|broke))\b",
        ("Part", "Equipment"),
    ),
    (r"\b(equipment|machines?|assets?|tags?|which (?:pump|press|machine|unit))\b", ("Equipment",)),
    (
        r"\b(who|suppliers?|vendors?|sent|manufacturers?|makers?|compan(?:y|ies)|organi[sz]ations?)\b",
        ("Supplier", "Manufacturer", "Organization"),
    ),
    (
        r"\b(failure modes?|failed|fail(?:ure|s)?|broke|defects?|problems?|went wrong|leak\w*)\b",
        ("FailureMode",),
    ),
    (r"\b(causes?|why|root)\b", ("FailureCause",)),
    (r"\b(effects?|consequences?|impacts?)\b", ("FailureEffect",)),
    (r"\b(actions?|fix(?:ed)?|repairs?|corrective|measures?|done|did)\b", ("MaintenanceActivity",)),
    (r"\b(materials?|compounds?|made of)\b", ("Material",)),
    (r"\b(sites?|plants?|where)\b", ("Site",)),
)
#: the order classes are listed in when the question asks for none in particular
CLASS_ORDER = (
    "Equipment", "Part", "Supplier", "Manufacturer", "Organization", "FailureMode", "FailureCause",
    "FailureEffect", "MaintenanceActivity", "Material", "Site",
)  # fmt: skip


def asked_classes(question: str) -> tuple[str, ...]:
    """The classes ``question`` asks a document for, in the order its words ask, each once."""
    hits: list[tuple[int, tuple[str, ...]]] = []
    for rx, labels in ASKS:
        m = re.search(rx, question, re.IGNORECASE)
        if m:
            hits.append((m.start(), labels))
    out: dict[str, None] = {}
    for _, labels in sorted(hits, key=lambda h: h[0]):
        out.update(dict.fromkeys(labels))
    return tuple(out)


def document_params(question: str) -> dict[str, str]:
    asked = asked_classes(question)
    return {"asks": ",".join(asked)} if asked else {}


def _class_of(labels: list[str]) -> str:
    return next((x for x in CLASS_ORDER if x in labels), next((x for x in labels if x != "Entity"), "Entity"))


def _document_contents(kg: KnowledgeGraph, a: dict[str, str], limit: int) -> ToolOutput:
    from kg.graph import queries

    doc_id = a.get("document", "")
    docs = kg.store.read(queries.documents_by_id(), {"ids": [doc_id]}) if doc_id else []
    if not docs:
        number = a.get("number") or doc_id
        raise NotFoundError(
            f"No document in the graph is numbered or cites {number!r}; check the number, or ingest the "
            "document (kg ingest PATH)."
        )
    rows = kg.store.read(queries.document_contents(), {"id": doc_id, "limit": MAX_ROWS})
    doc = docs[0]
    name = str(doc["file_name"] or doc_id)
    entities: dict[str, dict[str, Any]] = {}
    facts = FactList()
    for r in rows:
        e = entities.setdefault(str(r["id"]), r)
        if r["type"] and r["other_id"]:
            facts.relation((str(e["id"]), e["name"]), str(r["type"]), (str(r["other_id"]), r["other"]))
    asked = [x for x in a.get("asks", "").split(",") if x]
    by_class: dict[str, list[EntityRef]] = {}
    for r in sorted(entities.values(), key=lambda r: (not (r["part_number"] or r["tag"]), str(r["name"]))):
        by_class.setdefault(_class_of(list(r["labels"])), []).append(
            answer_ref(str(r["id"]), r["name"], r["labels"])
        )
    if "FailureMode" in asked:  # "in what failure mode": the records' name for what the document describes
        said = by_class.get("FailureMode", [])
        recorded, failed = _recorded_modes(kg, list(entities.values()), said, facts)
        by_class["FailureMode"] = list({x.id: x for x in [*recorded, *said]}.values())
        for c in ("Part", "Equipment"):  # the items that failed so first
            by_class.get(c, []).sort(key=lambda x: x.id not in failed)
    order = [c for c in asked if c in by_class] or [c for c in CLASS_ORDER if c in by_class]
    answers = [ref for c in order for ref in by_class[c]]
    for ref in answers:
        facts.relation(ref, "MENTIONED_IN", (doc_id, name))
    title = f" ({doc['title']})" if doc["title"] else ""
    if not answers:
        wanted = " or ".join(asked) if asked else "entity"
        text = f"{name}{title} names no {wanted} the graph holds."
    else:
        parts = [f"{c}: {name_list(by_class[c], 6)}" for c in order]
        text = f"{name}{title} names " + "; ".join(parts) + "."
    return ToolOutput(
        answer=text,
        answer_entities=answers[:limit],
        facts=facts.unique(),
        cite=[r.id for r in answers[:6]],
        data={"document": doc_id},
    )


def _recorded_modes(
    kg: KnowledgeGraph, rows: list[dict[str, Any]], said: list[EntityRef], facts: FactList
) -> tuple[list[EntityRef], set[str]]:
    """The recorded failure modes (FMEA rows) of the identified parts and equipment a document names that
    share a word with a failure it describes (an 8D's "seal leakage" on seal JC-T2100-35 is the FMEA's
    "External leakage of process medium" of that seal), and those items."""
    from kg.core.facts import RECORD_EXTRACTORS
    from kg.qa.text import stems

    words = {st for ref in said for st in stems(ref.name or "")}
    coded = [r for r in rows if r["part_number"] or r["tag"]][:10]
    out: dict[str, EntityRef] = {}
    failed: set[str] = set()
    for r in coded:
        for c in kg.failure_chains(str(r["id"]), records=RECORD_EXTRACTORS, subassemblies=False):
            if words & set(stems(str(c["mode"] or ""))):
                out.setdefault(str(c["mode_id"]), answer_ref(str(c["mode_id"]), c["mode"], ["FailureMode"]))
                failed.add(str(r["id"]))
                facts.relation((str(r["id"]), r["name"]), "HAS_FAILURE_MODE", (str(c["mode_id"]), c["mode"]))
    return list(out.values()), failed


DOCUMENT_CONTENTS = Tool(
    "document_contents",
    "What a document says",
    (),
    (),  # chosen by the service when a question names a document by its number, never by similarity
    (),
    _document_contents,
    optional=(Slot("document", ()),),
    params=document_params,
    needs_rule=True,
)
