"""What a question-answering tool is: its slots, its output, and the phrasing helpers its answers share.

A :class:`Tool` declares the entities it needs (slots, with the ontology classes each accepts), example
questions for the embedding router, and a few high-precision keyword rules. Its runner returns a
:class:`ToolOutput`: the entities that answer, the facts behind them (triples the explainer may use and the
grounding check compares against), and the ids to cite.

Example:
    >>> tool = Tool("noop", "Nothing", (Slot("item", ITEM),), ("What about {X}?",), ("noop",),
    ...             lambda kg, args, limit: ToolOutput(answer="Nothing."))
    >>> tool.matches_rule("NOOP please"), tool.run(None, {}, 1).empty
    (True, True)
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

from kg.core.facts import RECORD_EXTRACTORS
from kg.graph.knowledge_graph import KnowledgeGraph
from kg.graph.results import EntityRef
from kg.qa.answers import Fact


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
    #: answers only documents (a model reading prose) give, while records answer: listed apart, not merged
    also_reported: list[EntityRef] = field(default_factory=list)
    #: the question's conditions (CONDITIONS) the tool applied; the service says which it could not
    applied: set[str] = field(default_factory=set)
    #: the graph does not hold what was asked (a price, an MTBF): said, never answered with something else
    declined: bool = False

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
    #: entities the tool uses when the question names them ("documents" about a supplier, or all)
    optional: tuple[Slot, ...] = ()
    #: reads the tool's own parameters from the question's words ("by RPN", "parts" rather than equipment)
    params: Callable[[str], dict[str, str]] | None = None
    #: a question shape (a count, a ranking, documents, a property the graph lacks): its rule wins over
    #: the subject tools' rules, which then pick what is counted or ranked
    shape: bool = False
    #: chosen only when one of its rules matches: a tool that takes any entities (a path between two, every
    #: entity of a class) would otherwise catch every question that names two things or none
    needs_rule: bool = False
    #: tools whose rules yield to this one's when both match: "parker can't ship it - what's the fallback
    #: pn?" asks for an alternative, whatever the outage words say
    outranks: tuple[str, ...] = ()

    def matches_rule(self, question: str) -> bool:
        return any(re.search(r, question, re.IGNORECASE) for r in self.rules)

    @property
    def slots_named(self) -> set[str]:
        """The names of its slots, required and optional."""
        return {s.name for s in (*self.slots, *self.optional)}


MAX_ROWS = 1000  # rows a tool reads before filtering them by the question's conditions

#: the conditions a question may add to any tool, as tool arguments (strings, shown in the answer's trace)
CONDITIONS = ("site", "since", "until", "open_only", "exclude", "document_kinds", "document")

#: "pump only", "excl the motor", "the tag itself": the equipment's own BOM, not its sub-assemblies
DIRECT_ONLY = re.compile(
    r"\b(excl(uding|\.)?|except( for)?|not the|without the|itself|directly|top[- ]level|own bom)\b"
    r"|\b(pump|press|unit|gearbox|machine|motor|compressor|conveyor|spindle|hpu|tag|asset) only\b",
    re.IGNORECASE,
)

#: "including the motor", "rolled up", "under their parent": sub-assemblies count with their assembly
ROLL_UP = re.compile(
    r"\b(roll(ed)?[- ]?up|incl(uding|\.)?|under (its|their) parent|with (its|their) (sub|parts))",
    re.IGNORECASE,
)
_NO_ROLL_UP = re.compile(r"\b(no|not|without|excl\w*|don'?t)\b[\s\w()-]{0,12}roll", re.IGNORECASE)


def asks_rollup(question: str) -> bool:
    """Whether sub-assemblies should count with their assembly ("no roll-up of sub-assemblies": no)."""
    return bool(ROLL_UP.search(question)) and not _NO_ROLL_UP.search(question)


ITEM = ("Part", "Equipment", "Material", "Product")
ASSET = ("Equipment", "Part")
SUPPLIER = ("Supplier", "Manufacturer", "Organization")


def answer_ref(id_: str, name: str | None, labels: list[str] | None = None) -> EntityRef:
    """An answer entity, without the ``Entity`` label every node carries."""
    return EntityRef(id=id_, name=name, labels=[x for x in labels or [] if x != "Entity"])


R = TypeVar("R")


def records_first(
    fetch: Callable[[Sequence[str] | None], R], answers: Callable[[R], list[EntityRef]]
) -> tuple[R, list[EntityRef]]:
    """Answer from the facts records back (tables, manual entry: :data:`RECORD_EXTRACTORS`) when they hold
    any answer, and list apart what only documents add; with no record answer, documents answer.

    A BOM question is answered by the BOM, not by every part a manual mentions near the pump; a supplier
    the graph knows only from letters is still found. Returns (the result that answers, the answers only
    documents give).
    """
    from_records = fetch(RECORD_EXTRACTORS)
    recorded = answers(from_records)
    everything = fetch(None)
    if not recorded:
        return everything, []
    seen = {r.id for r in recorded}
    extra = {r.id: r for r in answers(everything) if r.id not in seen}
    return from_records, list(extra.values())


def site_scope(kg: KnowledgeGraph, site_id: str) -> set[str]:
    """Ids of what is at a site by the records: its equipment, their parts (any depth), those parts'
    suppliers and failure modes. Tools keep the rows in it when a question names a site."""
    from kg.graph import queries

    rows = kg.store.read(queries.site_scope(), {"id": site_id, "records": list(RECORD_EXTRACTORS)})
    return {str(r["id"]) for r in rows}


@dataclass(frozen=True)
class BomLine:
    """One line of a bill of materials by the records: an item on an equipment's own BOM and a supplier of
    it for that equipment (None when no supplier is recorded)."""

    equipment_id: str
    equipment: str | None
    item_id: str
    item: str | None
    supplier_id: str | None
    supplier: str | None


def bom_lines(kg: KnowledgeGraph, items: Sequence[str] | None = None) -> list[BomLine]:
    """The BOM lines the records hold, each with the supplier that line names.

    A table row "LDS-HP-01-HPU, HD-0160D010BN4HC, HYDAC Technology" becomes two links, HAS_PART and
    SUPPLIED_BY, that share the row as evidence; a second row of the same part at Ostrava names HYDAC
    International. Pairing the links by their shared rows keeps each supplier with its own equipment, so an
    outage of HYDAC Technology hits Leeds only. A supplier link that shares no row with any BOM line (a price
    list, a certificate) supplies the item wherever it is used.
    """
    from kg.graph import queries
    from kg.store import cypher

    only = None if items is None else list(items)  # only these items' lines
    rows = kg.store.read(
        queries.bom_lines(), {"records": list(RECORD_EXTRACTORS), "limit": 100_000, "items": only}
    )
    links = sorted({str(r[k]) for r in rows for k in ("line", "supply") if r[k] is not None})
    evidence: dict[str, list[str]] = {}
    for i in range(0, len(links), 5000):
        for x in kg.store.read(cypher.edge_evidence(), {"ids": links[i : i + 5000]}):
            evidence.setdefault(str(x["edge"]), []).extend(x["evidence"] or [])
    table_rows = {link: _rows_of(ev) for link, ev in evidence.items()}
    for r in rows:  # each link's table rows in place of its id
        r["line"], r["supply"] = (table_rows.get(str(r[k]), set()) for k in ("line", "supply"))
    bound: set[tuple[str, str]] = set()  # (item, supplier) pairs some BOM line names
    for r in rows:
        if r["supplier_id"] and r["line"] & r["supply"]:
            bound.add((str(r["item_id"]), str(r["supplier_id"])))
    out: dict[tuple[str, str, str | None], BomLine] = {}
    for r in rows:
        item, supplier = str(r["item_id"]), r["supplier_id"]
        if supplier is not None:
            pair = (item, str(supplier))
            if pair in bound and not r["line"] & r["supply"]:
                supplier = None  # this supplier belongs to another equipment's line of the item
        key = (str(r["equipment_id"]), item, None if supplier is None else str(supplier))
        out.setdefault(
            key,
            BomLine(
                str(r["equipment_id"]),
                r["equipment"],
                item,
                r["item"],
                None if supplier is None else str(supplier),
                r["supplier"] if supplier is not None else None,
            ),
        )
    lines = list(out.values())
    supplied = {(x.equipment_id, x.item_id) for x in lines if x.supplier_id}
    return [x for x in lines if x.supplier_id or (x.equipment_id, x.item_id) not in supplied]


def _rows_of(evidence: Any) -> set[tuple[str, str, str]]:
    """The (document, start, end) of each evidence string: the table rows a link was read from."""
    out = set()
    for e in evidence or []:
        parts = str(e).split("|")
        if len(parts) >= 3:
            out.add((parts[0], parts[1], parts[2]))
    return out


def named_like(names: dict[str, str | None], about: str | None) -> tuple[set[str] | None, str]:
    """The ids whose names hold one of the question's descriptions ("brgs | seals": bearings or seals),
    shorthand expanded; (None, note) when no description is given or none matches, so nothing is lost."""
    from kg.qa.text import holds, stems

    groups = [stems(g) for g in re.split(r"\||,|&|\band\b|\bor\b", about or "")]  # "brgs and seals" too
    groups = [g for g in groups if g]
    if not groups:
        return None, ""
    keep = {i for i, n in names.items() if n and any(holds(n, g) for g in groups)}
    if not keep:
        return None, f" (No item's name matches {about.replace(' | ', ', ')!r}: all are listed.)"  # type: ignore[union-attr]
    return keep, ""


def also_sentence(extra: list[EntityRef], most: int = 5) -> str:
    """`` Documents also mention 2 more, not in the records: A, B.`` (empty when there are none)."""
    if not extra:
        return ""
    return f" Documents also mention {len(extra)} more, not in the records: {name_list(extra, most)}."


def also_from_documents(out: ToolOutput, wider: ToolOutput) -> ToolOutput:
    """``out`` (the question over the records) with what ``wider`` (over every fact) adds, named apart: a
    manual's troubleshooting table gives a cause of the pump's vibration that its FMEA lacks. With no
    record answer, ``wider`` answers (:func:`records_first`'s rule)."""
    if not out.answer_entities:
        return replace(wider, data={**wider.data, "from_documents": True})
    seen = {(x.name or x.id).casefold() for x in out.answer_entities}
    add = [x for x in wider.answer_entities if (x.name or x.id).casefold() not in seen]
    if not add:
        return out
    return replace(out, answer=out.answer + also_sentence(add), also_reported=[*out.also_reported, *add])


def plural(n: int, word: str) -> str:
    """``"1 site"``, ``"3 sites"``, ``"2 presses"``, ``"4 pieces of equipment"``."""
    if n == 1:
        return f"{n} {word}"
    head, sep, rest = word.partition(" of ")
    if sep:
        return f"{n} {plural(2, head)[2:]} of {rest}"
    return f"{n} {word}" + ("es" if word.endswith(("s", "x", "sh", "ch")) else "s")


def name_list(refs: list[EntityRef], most: int = 8) -> str:
    """The names of the first ``most`` entities, comma-separated, and how many more there are."""
    names = [r.name or r.id for r in refs[:most]]
    more = f" and {len(refs) - most} more" if len(refs) > most else ""
    return ", ".join(names) + more
