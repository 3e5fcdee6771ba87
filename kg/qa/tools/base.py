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

    def matches_rule(self, question: str) -> bool:
        return any(re.search(r, question, re.IGNORECASE) for r in self.rules)


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
