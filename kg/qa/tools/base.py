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
from dataclasses import dataclass, field
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

    def matches_rule(self, question: str) -> bool:
        return any(re.search(r, question, re.IGNORECASE) for r in self.rules)

    @property
    def slots_named(self) -> set[str]:
        """The names of its slots, required and optional."""
        return {s.name for s in (*self.slots, *self.optional)}


#: the conditions a question may add to any tool, as tool arguments (strings, shown in the answer's trace)
CONDITIONS = ("site", "since", "until", "open_only", "exclude", "document_kinds")

#: "pump only", "excl the motor", "the tag itself": the equipment's own BOM, not its sub-assemblies
DIRECT_ONLY = re.compile(
    r"\b(excl(uding|\.)?|except( for)?|not the|without the|itself|directly|top[- ]level|own bom)\b"
    r"|\b(pump|press|unit|gearbox|machine|motor|compressor|conveyor|spindle|hpu|tag|asset) only\b",
    re.IGNORECASE,
)

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


def also_sentence(extra: list[EntityRef], most: int = 5) -> str:
    """`` Documents also mention 2 more, not in the records: A, B.`` (empty when there are none)."""
    if not extra:
        return ""
    return f" Documents also mention {len(extra)} more, not in the records: {name_list(extra, most)}."


def plural(n: int, word: str) -> str:
    """``"1 site"``, ``"3 sites"``."""
    return f"{n} {word}" + ("" if n == 1 else "s")


def name_list(refs: list[EntityRef], most: int = 8) -> str:
    """The names of the first ``most`` entities, comma-separated, and how many more there are."""
    names = [r.name or r.id for r in refs[:most]]
    more = f" and {len(refs) - most} more" if len(refs) > most else ""
    return ", ".join(names) + more
