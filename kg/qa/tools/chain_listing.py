"""The failure modes of an asset listed from its chain rows: the facts they rest on, one mode per name, and
the sentence that names the count and the worst RPN (:mod:`kg.qa.tools.reliability`'s failure chains)."""

from __future__ import annotations

from typing import Any

from kg.graph.results import EntityRef
from kg.qa.tools.answer_facts import FactList
from kg.qa.tools.base import ToolOutput, also_sentence, answer_ref, name_list, plural

#: FMEA ratings stated as facts of a failure mode
RATINGS = ("severity", "occurrence", "detection", "rpn")


def modes_listing(
    e: EntityRef | None, rows: list[dict[str, Any]], extra: list[EntityRef], a: dict[str, str], limit: int
) -> ToolOutput:
    """An asset's failure modes (or, with ``answer=items``, the items with such chains) from chain rows, the
    worst RPN named, and what only documents add (``extra``) named apart."""
    facts, modes, items = chain_facts(rows)
    refs = distinct_names(list(modes.values()))  # the pump's and its seal's "External leakage": one mode
    what = (e.name or e.id) if e else "The FMEA"
    top = next((c for c in rows if c["rpn"] is not None), None)
    if a.get("answer") == "items":
        answer = (
            f"{plural(len(items), 'item')} {'has' if len(items) == 1 else 'have'} such chains: "
            f"{name_list(list(items.values()))}."
            if items
            else "No item in the graph has such a failure chain."
        )
    elif a.get("answer") == "causes":  # "failure causes for the hose in the workbook"
        causes = distinct_names(
            [answer_ref(str(c["cause_id"]), c["cause"], ["FailureCause"]) for c in rows if c["cause_id"]]
        )
        listed = f": {name_list(causes)}." if causes else "."
        answer = f"{what}: {plural(len(causes), 'failure cause')}{listed}"
        refs = causes
    else:
        answer = modes_sentence(what, e is not None, refs, top, a.get("bound")) + also_sentence(extra)
    answers = list(items.values()) if a.get("answer") == "items" else refs
    lines = {(c["item_id"], c["mode_id"], c["cause_id"]) for c in rows}  # FMEA lines: an item's mode, a cause
    return ToolOutput(
        answer=answer,
        answer_entities=answers[:limit],
        facts=facts.unique(),
        cite=[*([e.id] if e else []), *modes],
        also_reported=extra,
        data={"fmea_lines": len(lines)},
    )


def modes_sentence(
    what: str, asset: bool, refs: list[EntityRef], top: dict[str, Any] | None, bound: str | None
) -> str:
    """ "X has 3 failure modes [with rpn over 100]; the highest RPN is 90 (mode, caused by cause)." """
    if not refs:
        return f"The graph holds no failure modes for {what}."
    within = f" with {bound.replace('>=', ' of at least ').replace('>', ' over ')}" if bound else ""
    highest = (
        f"; the highest RPN is {top['rpn']} ({top['mode']}"
        + (f", caused by {top['cause']})." if top["cause"] else ").")
        if top
        else "."
    )
    return f"{what} {'has' if asset else 'holds'} {plural(len(refs), 'failure mode')}{within}{highest}"


def distinct_names(refs: list[EntityRef]) -> list[EntityRef]:
    """The first of each name (case aside): an item's mode and its part's mode of the same name (FMEA rows
    of each) are one failure mode to whoever asks what can fail or how many ways."""
    seen: dict[str, EntityRef] = {}
    for r in refs:
        seen.setdefault((r.name or r.id).casefold(), r)
    return list(seen.values())


def chain_facts(rows: list[dict[str, Any]]) -> tuple[FactList, dict[str, EntityRef], dict[str, EntityRef]]:
    """The facts of chain rows (item → mode, cause → mode → effect, ratings), the modes and the items."""
    facts = FactList()
    modes: dict[str, EntityRef] = {}
    items: dict[str, EntityRef] = {}
    for c in rows:
        mode = (str(c["mode_id"]), c["mode"])
        modes.setdefault(mode[0], answer_ref(mode[0], mode[1], ["FailureMode"]))
        items.setdefault(str(c["item_id"]), answer_ref(str(c["item_id"]), c["item"]))
        facts.relation((str(c["item_id"]), c["item"]), "HAS_FAILURE_MODE", mode)
        if c["cause"]:
            facts.relation((str(c["cause_id"]), c["cause"]), "CAUSES", mode)
        if c["effect"]:
            facts.relation(mode, "CAUSES", (str(c["effect_id"]), c["effect"]))
        for k in RATINGS:
            if c[k] is not None:
                facts.attribute(mode, k, c[k])
    return facts, modes, items
