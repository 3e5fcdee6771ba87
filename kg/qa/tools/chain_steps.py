"""What a failure-chain question asks for (:func:`chains_params`), and one step further down a chain when it
asks for that: "v-belt slip - what mode is it filed under, and what does that lead to?" answers the mode and
the modes it leads to; "what does it end up causing downstream" the modes past the one it is filed under.

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
from kg.qa.causal import ACTIONS, rating_bound
from kg.qa.tools.answer_facts import FactList
from kg.qa.tools.base import ToolOutput, answer_ref, asks_rollup, name_list
from kg.qa.tools.fmea_documents import named_fmea

#: a second question about the first answer: "and what does that lead to", "then what does it cause"
_NEXT_STEP = re.compile(
    r"\b(and|then)\W+(what|which \w+) (does|do|would|will|could) (that|it|this|they|those|these) "
    r"(lead to|cause|result in|trigger|end up causing)\b",
    re.IGNORECASE,
)


#: the eventual consequence is asked: "what does it end up causing downstream", "what does that turn into"
_DOWNSTREAM = re.compile(
    r"\b(end(s|ed)? up|downstream|further down|down the line|knock(s|ed)?[- ]on|turns? into|eventually|"
    r"ultimately)\b",
    re.IGNORECASE,
)


def asks_downstream(question: str) -> bool:
    """Whether the question asks where a failure ends up, past the mode it is filed under ("v-belt slip -
    what does it end up causing downstream": the slip is the cause of Noise, which leads to Low output)."""
    return bool(_DOWNSTREAM.search(question))


def asks_next_step(question: str) -> bool:
    """Whether the question asks, after the failure modes, what those modes lead to."""
    return bool(_NEXT_STEP.search(question))


def with_next_step(kg: KnowledgeGraph, out: ToolOutput, limit: int, *, only: bool = False) -> ToolOutput:
    """``out`` with the failure modes its failure modes lead to (mode → mode CAUSES), named in the answer;
    ``only`` those (the first modes stay in the facts), when any."""
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
        answer_entities=(nxt if only else [*out.answer_entities, *nxt])[:limit],
        facts=[*out.facts, *facts.all()],
    )


#: "failure causes for the hose": the causes answer, not the modes
_CAUSES_OF = re.compile(
    r"^\W*((what|which) are |list |show )?(the |all )?(failure |root |possible |fmea )?causes (of|for|on)\b",
    re.IGNORECASE,
)
#: "which items / parts / equipment have X as a cause": the items answer, not the modes
_ITEMS_WITH = re.compile(r"\b(which|what) (items?|parts?|equipment|assets?|machines?|components?)\b", re.I)


def chains_params(question: str) -> dict[str, str]:
    out = {"rollup": "yes"} if asks_rollup(question) else {}
    if re.search(r"\b(fmea )?(lines|rows|entries)\b", question, re.IGNORECASE):  # "how many fmea lines"
        out["unit"] = "lines"
    if _ITEMS_WITH.search(question):
        out["answer"] = "items"
    elif _CAUSES_OF.match(question):  # "failure causes for the hose in the ostrava fmea workbook"
        out["answer"] = "causes"
    if ACTIONS.search(question):  # "corrective actions for LDS-P-101": what its chains' actions are
        out["ask"] = "actions"
    if _CAUSE_AND_FIX.search(question):  # "knocking at start-up - cause and fix?": both
        out["ask"], out["with"] = "actions", "causes"
    if asks_next_step(question):  # "what mode is it, and what does that lead to"
        out["then"] = "yes"
    elif asks_downstream(question):  # "v-belt slip - what does it end up causing downstream"
        out["then"] = "downstream"
    if bound := rating_bound(question):  # "how many failure modes have an RPN over 100"
        out["bound"] = bound
    if _FROM_DOCUMENTS.search(question):  # "what does the compressor service chapter say to do"
        out["source"] = "documents"
    if about := named_fmea(question):  # "failure causes for the hose in the ostrava press line fmea workbook"
        out["fmea_document"] = about
    return out


_CAUSE_AND_FIX = re.compile(
    r"\b(causes?|why) (and|&|\+|/) (the )?(fix(es)?|remed(y|ies)|cures?|solutions?|actions?|what to do)\b",
    re.IGNORECASE,
)
#: a question asking what the manuals say: their chains answer beside the FMEA's, not apart from them
_FROM_DOCUMENTS = re.compile(
    r"\b(manuals?|service (chapter|manual|instructions?)|troubleshooting|trouble[- ]?shooting|handbook|"
    r"maintenance instructions?|operating instructions?)\b",
    re.IGNORECASE,
)
