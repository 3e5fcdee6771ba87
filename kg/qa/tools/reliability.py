"""Reliability tools: how an asset can fail (FMEA chains) and what its work orders record.

Also :func:`failure_history`, the work-order timeline of an asset that ``GET /equipment/{id}/history``
serves as well. Each :class:`~kg.qa.tools.base.Tool` sits next to its runner with the questions and rules
that route to it.

Example:
    >>> FAILURE_CHAINS.matches_rule("What is the RPN of the pump?"), FAILURE_HISTORY.slots[0].labels
    (True, ('Equipment', 'Part'))
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from kg.core.facts import RECORD_EXTRACTORS
from kg.graph import analyst
from kg.graph.knowledge_graph import KnowledgeGraph
from kg.graph.results import EntityRef
from kg.qa.causal import ACTIONS
from kg.qa.text import expand, with_failure_names
from kg.qa.text import stems as word_stems
from kg.qa.tools.answer_facts import FactList
from kg.qa.tools.base import (
    ASSET,
    MAX_ROWS,
    Slot,
    Tool,
    ToolOutput,
    also_from_documents,
    answer_ref,
    name_list,
    plural,
    records_first,
)
from kg.qa.tools.chain_listing import distinct_names, modes_listing
from kg.qa.tools.chain_steps import chains_params, with_next_step
from kg.qa.tools.fmea_documents import fmea_document_entities
from kg.qa.tools.mitigation import recommended_actions


def _failure_chains(kg: KnowledgeGraph, a: dict[str, str], limit: int) -> ToolOutput:
    """Failure modes of an asset (its own and its parts'), with causes, effects and ratings; narrowed to the
    chains whose cause the question names ("vibration leads to what", "plugged filter causes which mode");
    the items instead of the modes when asked ("which items have hose abrasion as a cause"). A named
    failure the asset's own chains lack is looked for in its sub-assemblies' too ("spindle overheating on
    LDS-CNC-01": the FMEA rates it on the spindle unit LDS-CNC-01-SP)."""
    out = _chains(kg, a, limit)
    lacking = not out.answer_entities or out.data.get("from_documents")  # the records name none
    if a.get("asset") and a.get("cause_text") and a.get("rollup") != "yes" and lacking:
        rolled = _chains(kg, {**a, "rollup": "yes"}, limit)
        better = rolled.answer_entities and not (out.answer_entities and rolled.data.get("from_documents"))
        out = rolled if better else out
    if a.get("then") == "downstream" and out.data.get("via") == "cause":  # past the mode the cause is under
        return with_next_step(kg, out, limit, only=True)
    return with_next_step(kg, out, limit) if a.get("then") == "yes" else out


def _chains(kg: KnowledgeGraph, a: dict[str, str], limit: int) -> ToolOutput:
    from kg.graph import queries
    from kg.graph.entities import entity_ref, require

    e = entity_ref(require(kg, a["asset"], "the question", ASSET)) if a.get("asset") else None

    fetched: dict[tuple[str, ...] | None, list[dict[str, Any]]] = {}

    def fetch(rec: Sequence[str] | None) -> list[dict[str, Any]]:  # read once per source, however often asked
        key = None if rec is None else tuple(rec)
        if key in fetched:
            return fetched[key]
        if e is not None:
            found = kg.failure_chains(
                e.id, limit=MAX_ROWS, records=rec, subassemblies=a.get("rollup") == "yes"
            )
        else:
            params = {"records": None if rec is None else list(rec), "limit": MAX_ROWS}
            found = kg.store.read(queries.all_failure_chains(), params)
        fetched[key] = [analyst.numeric_ratings(r) for r in found]
        return fetched[key]

    rows, extra = records_first(
        fetch, lambda res: [answer_ref(str(c["mode_id"]), c["mode"], ["FailureMode"]) for c in res]
    )
    if a.get("bound"):  # only rated FMEA rows pass; documents rate nothing
        rows, extra = _within(rows, a["bound"]), []
    elif a.get("source") == "documents":  # "what does the manual say to do": every source answers
        rows, extra = fetch(None), []
    listed = fmea_document_entities(kg, a["fmea_document"]) if a.get("fmea_document") else None
    if listed:  # "... in the ostrava press line fmea workbook": the lines it lists
        rows, extra = [r for r in fetch(None) if str(r["mode_id"]) in listed], []
    cause = a.get("cause_text") or ""
    if a.get("ask") == "actions":  # "what mitigates cavitation on OST-P-201": the named chains' actions
        both = a.get("with") == "causes"  # "cause and fix?"
        asked, rec = (
            _named_rows(rows, cause) if cause else rows,
            None if a.get("source") else RECORD_EXTRACTORS,
        )
        out = recommended_actions(kg, e, asked, cause, limit, records=rec, with_causes=both)
        if not extra:
            return out
        every = _named_rows(fetch(None), cause) if cause else fetch(None)
        return also_from_documents(
            out, recommended_actions(kg, e, every, cause, limit, records=None, with_causes=both)
        )
    if cause and a.get("outcome") == "yes" and a.get("answer") != "items":  # what leads to the named outcome
        opts = {"causes": a.get("ask") == "causes", "modes_only": a.get("ask") == "modes"}
        out = _origins(kg, e, rows, cause, limit, **opts)
        return also_from_documents(out, _origins(kg, e, fetch(None), cause, limit, **opts)) if extra else out
    if cause:  # what the named cause or mode leads to
        out = _consequences(kg, e, rows, cause, limit, items=a.get("answer") == "items")
        if extra and a.get("answer") != "items":
            out = also_from_documents(out, _consequences(kg, e, fetch(None), cause, limit))
        empty = not out.answer_entities and a.get("answer") != "items"  # a mode that leads to no other
        return _with_effects(rows, cause, out, limit) if a.get("ask") == "effects" or empty else out
    return modes_listing(e, rows, extra, a, limit)


class _Named:
    """The failure-chain rows a text names (the fields holding most of its word stems, at least half), and
    the answer collected from them: entities found and the ``CAUSES`` facts that tie them."""

    def __init__(self, rows: list[dict[str, Any]], text: str) -> None:
        self.rows, self.text, self.stems = rows, text, word_stems(with_failure_names(text))
        self.facts = FactList()
        self.found: dict[str, EntityRef] = {}

    def score(self, value: str | None) -> int:
        return sum(st in _stems_text(str(value)) for st in self.stems) if value else 0

    def best(self, field: str) -> list[dict[str, Any]]:
        top = max((self.score(c[field]) for c in self.rows), default=0)
        return [c for c in self.rows if top and 2 * top >= len(self.stems) and self.score(c[field]) == top]

    def top(self, rows: list[dict[str, Any]], field: str) -> int:
        return max((self.score(c[field]) for c in rows), default=0)

    def add(
        self, answer: tuple[str, str | None, str], head: tuple[str, str | None], tail: tuple[str, str | None]
    ) -> None:
        """Answer entity ``(id, name, class)``, and the fact ``head -CAUSES-> tail``."""
        self.found.setdefault(answer[0], answer_ref(answer[0], answer[1], [answer[2]]))
        self.facts.relation(head, "CAUSES", tail)

    def output(self, e: EntityRef | None, verb: str, noun: str, none: str, limit: int) -> ToolOutput:
        where = f" of {e.name or e.id}" if e else ""
        refs = list(self.found.values())
        named = distinct_names(refs)  # the hose's and its power unit's "Hose abrasion at clamp": named once
        answer = (
            f"In the failure chains{where}, {self.text} {verb} {plural(len(named), noun)}:"
            f" {name_list(named)}."
            if refs
            else f"No failure chain{where} in the graph {none} {self.text}."
        )
        return ToolOutput(
            answer=answer, answer_entities=refs[:limit], facts=self.facts.unique(), cite=[*self.found]
        )


def _named_rows(rows: list[dict[str, Any]], text: str) -> list[dict[str, Any]]:
    """The rows whose cause, else mode, else effect matches ``text`` best (none when nothing does)."""
    n = _Named(rows, text)
    best = [(n.top(n.best(f), f), f) for f in ("cause", "mode", "effect")]
    top = max(score for score, _ in best)
    return next((n.best(f) for score, f in best if score == top), []) if top else []


def _ids(c: dict[str, Any], part: str) -> tuple[str, str | None]:
    return str(c[f"{part}_id"]), c[part]


def _origins(
    kg: KnowledgeGraph,
    e: EntityRef | None,
    rows: list[dict[str, Any]],
    outcome: str,
    limit: int,
    *,
    causes: bool = False,
    modes_only: bool = False,
) -> ToolOutput:
    """What leads to a named outcome ("what causes low output", "which failure modes lead to coolant loss"):
    when it names a failure mode, the FMEA causes of that mode and the modes that lead to it; when it names
    an effect, the modes with that effect, and their causes when ``causes`` ("root cause of the oil leak").
    The best-matching names win; nothing when nothing matches."""
    from kg.graph import queries

    n = _Named(rows, outcome)
    by_mode, by_effect = n.best("mode"), n.best("effect")
    if by_mode and n.score(by_mode[0]["mode"]) >= n.top(by_effect, "effect"):
        for c in by_mode:
            if c["cause_id"] and not modes_only:
                n.add((*_ids(c, "cause"), "FailureCause"), _ids(c, "cause"), _ids(c, "mode"))
        params = {"ids": sorted({str(c["mode_id"]) for c in by_mode}), "records": list(RECORD_EXTRACTORS)}
        for r in kg.store.read(queries.mode_origins(), params):
            n.add(
                (str(r["id"]), r["name"], "FailureMode"),
                (str(r["id"]), r["name"]),
                (str(r["to_id"]), r["to_name"]),
            )
    else:
        for c in by_effect:
            n.add((*_ids(c, "mode"), "FailureMode"), _ids(c, "mode"), _ids(c, "effect"))
            if causes and c["cause_id"]:
                n.add((*_ids(c, "cause"), "FailureCause"), _ids(c, "cause"), _ids(c, "mode"))
    return n.output(e, "comes from", "cause or failure mode", "leads to", limit)


def _consequences(
    kg: KnowledgeGraph,
    e: EntityRef | None,
    rows: list[dict[str, Any]],
    cause: str,
    limit: int,
    *,
    items: bool = False,
) -> ToolOutput:
    """The failure modes a named cause leads to (FMEA cause → mode), or those a named failure mode leads to
    (mode → mode, "vibration leads to external leakage"), or the items with such a cause (``items``); the
    best-matching names (most of the question's words) win; never the whole list when nothing matches."""
    from kg.graph import queries

    n = _Named(rows, cause)
    by_cause = n.best("cause")
    if items:
        return _items_with_cause(by_cause, cause, limit)
    by_mode = n.best("mode")
    # a named failure mode that leads to others is the start ("plugged filter" is the mode "Plugged / choked"
    # when it matches the mode as well as any cause); otherwise the causes that name it
    if by_mode and n.score(by_mode[0]["mode"]) >= n.top(by_cause, "cause"):
        params = {"ids": sorted({str(c["mode_id"]) for c in by_mode}), "records": list(RECORD_EXTRACTORS)}
        for r in kg.store.read(queries.mode_consequences(), params):
            n.add(
                (str(r["id"]), r["name"], "FailureMode"),
                (str(r["from_id"]), r["from_name"]),
                (str(r["id"]), r["name"]),
            )
    via = "mode" if n.found else "cause"
    if not n.found:
        for c in by_cause:
            n.add((*_ids(c, "mode"), "FailureMode"), _ids(c, "cause"), _ids(c, "mode"))
    out = n.output(e, "leads to", "failure mode", "starts from", limit)
    return replace(out, data={**out.data, "via": via})


def _with_effects(rows: list[dict[str, Any]], cause: str, out: ToolOutput, limit: int) -> ToolOutput:
    """The failure modes found and those ``cause`` names, with the effects the FMEA gives them ("the
    effects of bearing failure", "effects of vibration")."""
    named = {str(c["mode_id"]) for c in _Named(rows, cause).best("mode")}
    modes = {x.id for x in out.answer_entities} | named
    facts = FactList()
    effects: dict[str, EntityRef] = {}
    for c in rows:
        if str(c["mode_id"]) in modes and c["effect_id"]:
            effects.setdefault(
                str(c["effect_id"]), answer_ref(str(c["effect_id"]), c["effect"], ["FailureEffect"])
            )
            facts.relation(_ids(c, "mode"), "CAUSES", _ids(c, "effect"))
    if not effects:
        return out
    if out.answer_entities:
        out.answer = out.answer.rstrip(".") + f"; their effects: {name_list(list(effects.values()))}."
    else:
        out.answer = f"In the failure chains, {cause} has these effects: {name_list(list(effects.values()))}."
    out.answer_entities = [*out.answer_entities, *effects.values()][: max(limit, len(modes))]
    out.facts = [*out.facts, *facts.unique()]
    out.cite = [*out.cite, *effects]
    return out


def _items_with_cause(rows: list[dict[str, Any]], cause: str, limit: int) -> ToolOutput:
    """The items whose failure chains have the named cause ("which items have hose abrasion as a cause")."""
    facts = FactList()
    found: dict[str, EntityRef] = {}
    for c in rows:
        found.setdefault(str(c["item_id"]), answer_ref(str(c["item_id"]), c["item"]))
        facts.relation((str(c["item_id"]), c["item"]), "HAS_FAILURE_MODE", (str(c["mode_id"]), c["mode"]))
        facts.relation((str(c["cause_id"]), c["cause"]), "CAUSES", (str(c["mode_id"]), c["mode"]))
    refs = list(found.values())
    answer = (
        f"{plural(len(refs), 'item')} {'has' if len(refs) == 1 else 'have'} {cause} as a cause:"
        f" {name_list(refs)}."
        if refs
        else f"No item in the graph has {cause} as a cause."
    )
    return ToolOutput(answer=answer, answer_entities=refs[:limit], facts=facts.unique(), cite=[*found])


def _stems_text(text: str) -> str:
    return expand(text).casefold()


def _within(rows: list[dict[str, Any]], bound: str) -> list[dict[str, Any]]:
    """The chain rows whose rating passes ``bound`` ("rpn>100", "severity>=8")."""
    measure, op, n = re.fullmatch(r"([a-z]+)(>=|>)(\d+)", bound).groups()  # type: ignore[union-attr]
    limit = int(n) + (0 if op == ">=" else 1)
    return [c for c in rows if isinstance(c.get(measure), (int, float)) and c[measure] >= limit]


FAILURE_CHAINS = Tool(
    "failure_chains",
    "Failure chains",
    (),
    (
        "How can {X} fail?",
        "What are the failure modes of {X}?",
        "What causes {X} to fail?",
        "Show the failure chains for {X}",
        "What is the highest risk failure of {X}?",
        "FMEA of {X}",
        "What are the effects of failures of {X}?",
        "What is the root cause of {X} failures?",
        "What happens if {X} fails?",
        "What are the corrective actions for {X}?",
        "How do we prevent {X}?",
    ),
    (
        r"\bfailure (modes?|chains?|causes?|effects?)\b",
        r"\bfmea\b",
        r"\b(rpn|risk priority)\b",
        r"\bhow (can|could|does|do|might) .* fail\b",
        r"\bwhy (does|do|did) .* fail\b",
        r"\b(leads? to|lead(s)? into|ends? up causing|results? in|causes?|caused by|as a cause)\b"
        r".*\b(failure|mode|fail\w*|what|which)\b",
        r"\b(which|what)\b.*\b(as a cause|caused by|due to)\b|\bupstream (failure )?(modes?|causes?)\b|"
        r"\bmodes? (that|which) (drives?|causes?|leads? to|triggers?)\b",
        r"\b(what|which)\b.*\b(leads? to|ends? up causing|results? in|causes?)\W*$",
        r"\bwhat (does|do|did|will|would|can|could|might) [\w /{}-]{1,60}? "
        r"(lead to|result in|turn into|cause|trigger)\b",  # "what does vibration lead to on X"
        r"\b(root|likely|probable|possible|usual)[- ]causes?\b|\bfail(ure)? mechanisms?\b|"
        r"\bcauses? (and|&|\+|/) (the )?(fix|remed|cure|solution|action)|"
        r"\bwhat happens (if|when)\b.*\bfail|"
        r"\bwhat happens (downstream|next)\b",
        r"\b(effects?|consequences?) (of|from)\b",
        r"\bwhat (\w+ )?(does|do|will|would|can|could) (that|it|this|they) (\w+ ){0,2}"
        r"(caus(e|ing)|lead(ing)? to|turn(ing)? into|result(ing)? in|knock(ing)? on|trigger(ing)?)\b",
        r"\b(knock(s|ed)?[- ]on( to)?|turns? into|further down the line)\b",
        r"\b(what|which)\b.*\b(comes?|happens?|sits?|occurs?) (before|upstream of|ahead of)\b",
        r"\bwhy (does|do|did|would|is|are) .*\b(leak|break|seiz|overheat|wear|crack|trip|vibrat|slip|stall|"
        r"jam|burst|clog|block|fail|stop|loosen|run hot)\w*",
        r"^\W*(what|which \w+) (usually |typically |can )?(leads? to|causes?|results? in|triggers?)\b",
        r"\bwhy (does|do|did|would|is|are|was|were) (the |a |an |our |its )?"
        r"([\w-]+ |\{X\} ){1,2}\{[XY]\}\W*$",  # "why did the spindle {X}": X the failure linked
        ACTIONS.pattern,
    ),
    _failure_chains,
    optional=(Slot("asset", ASSET),),
    params=chains_params,
)
