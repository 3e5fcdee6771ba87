"""One step further down a failure chain, when a question asks for it after the first answer: "v-belt slip -
what mode is it filed under, and what does that lead to?" answers the mode and the modes it leads to.

Example:
    >>> asks_next_step("what mode is it filed under in the fmea, and what does that lead to?")
    True
    >>> asks_next_step("what does vibration lead to")
    False
"""

from __future__ import annotations

import re
from dataclasses import replace

from kg.core.facts import RECORD_EXTRACTORS
from kg.graph.knowledge_graph import KnowledgeGraph
from kg.graph.results import EntityRef
from kg.qa.tools.answer_facts import FactList
from kg.qa.tools.base import ToolOutput, answer_ref, name_list

#: a second question about the first answer: "and what does that lead to", "then what does it cause"
_NEXT_STEP = re.compile(
    r"\b(and|then)\W+(what|which \w+) (does|do|would|will|could) (that|it|this|they|those|these) "
    r"(lead to|cause|result in|trigger|end up causing)\b",
    re.IGNORECASE,
)


def asks_next_step(question: str) -> bool:
    """Whether the question asks, after the failure modes, what those modes lead to."""
    return bool(_NEXT_STEP.search(question))


def with_next_step(kg: KnowledgeGraph, out: ToolOutput, limit: int) -> ToolOutput:
    """``out`` with the failure modes its failure modes lead to (mode → mode CAUSES), named in the answer."""
    from kg.graph import queries

    modes = [x for x in out.answer_entities if x.id.startswith("FailureMode:")]
    if not modes:
        return out
    params = {"ids": sorted(x.id for x in modes), "records": list(RECORD_EXTRACTORS)}
    facts = FactList()
    found: dict[str, EntityRef] = {}
    given = {x.id for x in out.answer_entities}
    for r in kg.store.read(queries.mode_consequences(), params):
        ref = answer_ref(str(r["id"]), r["name"], ["FailureMode"])
        if ref.id not in given:
            found.setdefault(ref.id, ref)
        facts.relation((str(r["from_id"]), r["from_name"]), "CAUSES", (str(r["id"]), r["name"]))
    if not found:
        return out
    nxt = list(found.values())
    return replace(
        out,
        answer=f"{out.answer} That in turn leads to {name_list(nxt)}.",
        answer_entities=[*out.answer_entities, *nxt][:limit],
        facts=[*out.facts, *facts.all()],
    )
