"""Ranking tools over the whole supply network: the most critical items, the most concentrated sites.

Each runner wraps one function of :mod:`kg.qa.analytics` and turns its rows into facts; each
:class:`~kg.qa.tools.base.Tool` sits next to its runner with the questions and rules that route to it.

Also :data:`RANKING`: assets by work orders, parts or failure modes by RPN or severity, suppliers by parts,
parts by the equipment using them, equipment by failure modes; what it ranks follows the question's noun.

Example:
    >>> CRITICALITY.slots, CONCENTRATION.matches_rule("How concentrated is our supplier base?")
    ((), True)
    >>> ranking_params("which asset had the most work orders in 2024")["measure"]
    'work_orders'
    >>> ranking_params("which part has the highest rpn")
    {'measure': 'rpn', 'target': 'items'}
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from kg.core.facts import RECORD_EXTRACTORS
from kg.core.keys import node_id
from kg.graph.knowledge_graph import KnowledgeGraph
from kg.graph.results import EntityRef
from kg.qa import analytics
from kg.qa.tools.answer_facts import FactList
from kg.qa.tools.base import (
    ASSET,
    MAX_ROWS,
    Slot,
    Tool,
    ToolOutput,
    answer_ref,
    asks_rollup,
    bom_lines,
    plural,
    records_first,
    site_scope,
)
from kg.qa.tools.fmea_documents import fmea_document_rows, named_fmea


def _network(kg: KnowledgeGraph) -> analytics.SupplyNetwork:
    """The supply network records back (tables, manual entry); every link when records hold none."""
    network, _ = records_first(
        lambda rec: analytics.supply_network(kg, records=rec),
        lambda net: [EntityRef(id=str(n)) for n in net.graph.nodes],
    )
    return network


def _criticality(kg: KnowledgeGraph, a: dict[str, str], limit: int) -> ToolOutput:
    """The items most equipment depends on with fewest suppliers; of a site's equipment when one is named
    (the dependents counted over the whole network)."""
    scope = site_scope(kg, a["site"]) if a.get("site") else None
    r = analytics.criticality(kg, limit=MAX_ROWS if scope else min(limit, 10), network=_network(kg))
    rows = [x for x in r.rows if scope is None or x.id in scope][: min(limit, 10)]
    refs = [EntityRef(id=x.id, name=x.name, labels=x.labels) for x in rows]
    facts = FactList()
    for x in rows:
        facts.attribute(x, "criticality", round(x.score, 3))
        facts.attribute(x, "dependents", x.dependents)
        facts.attribute(x, "suppliers", x.suppliers)
    where = " at the site" if scope is not None else ""
    answer = (
        f"The most critical item{where} is {refs[0].name or refs[0].id}: {rows[0].dependents} pieces of"
        f" equipment depend on it and it has {plural(rows[0].suppliers, 'supplier')}."
        if refs
        else f"The graph has no supply network{where} (HAS_PART and SUPPLIED_BY links) to analyse."
    )
    return ToolOutput(
        answer=answer,
        answer_entities=refs,
        facts=facts.all(),
        cite=[x.id for x in refs[:3]],
        applied={"site"} if scope is not None else set(),
    )


def _concentration(kg: KnowledgeGraph, a: dict[str, str], limit: int) -> ToolOutput:
    r = analytics.concentration(kg, by="site", limit=min(limit, 20), network=_network(kg))
    refs = [row.group for row in r.rows]
    facts = FactList()
    for row in r.rows:
        facts.attribute(row.group, "hhi", round(row.hhi, 3))
        facts.attribute(row.group, "suppliers", row.suppliers)
        if row.top_supplier:
            facts.attribute(row.group, "top_supplier", row.top_supplier.name or row.top_supplier.id)
    top = r.rows[0] if r.rows else None
    answer = (
        f"{top.group.name or top.group.id} has the most concentrated supply base (HHI {round(top.hhi, 3)},"
        f" {plural(top.suppliers, 'supplier')})."
        if top
        else "The graph has no sites with supplied equipment to analyse."
    )
    return ToolOutput(answer=answer, answer_entities=refs, facts=facts.all(), cite=[])


CRITICALITY = Tool(
    "criticality",
    "Most critical items",
    (),
    (
        "Which parts are most critical?",
        "What are our supply bottlenecks?",
        "Which components would hurt most if unavailable?",
        "Rank items by criticality",
    ),
    (r"\b(most critical|criticality|bottlenecks?)\b",),
    _criticality,
)

CONCENTRATION = Tool(
    "concentration",
    "Supplier concentration",
    (),
    (
        "Which site depends on the fewest suppliers?",
        "How concentrated is our supplier base?",
        "Supplier concentration per site",
        "Where is the supply base least diversified?",
    ),
    (r"\b(concentrat(ed|ion)|hhi|herfindahl|diversif(y|ied|ication))\b",),
    _concentration,
)


# -- ranking -------------------------------------------------------------------------------------------------

RANK_MEASURES = (
    (
        "rpn",
        r"\b(rpn|risk priority|highest risk|riskiest)\b|\b(worst|most critical|most serious|most dangerous|"
        r"biggest|top) (\w+ ){0,2}(failure modes?|fmea (rows?|risks?))\b",
    ),
    ("severity", r"\b(severity|most severe|severest)\b"),
    (
        "equipment_supplied",  # "which vendor feeds parts to the most eqpt tags"
        r"\b(suppliers?|vendors?)\b.*\b(most|highest|largest|greatest)\b.*"
        r"\b(equipment|eqpt|machines?|assets?|tags?)\b",
    ),
    (
        "work_orders",
        r"\b(work ?orders?|wos?|wo's|jobs?|repairs?|breakdowns?|failures|tickets?|broke( down)?|"
        r"breaks? down|failed|fails)\b",
    ),
    (
        "parts_supplied",
        r"\bsupplier\w*\b.*\b(most|highest|largest) .*(parts?|items?|pns?)\b"
        r"|\bsupplies the most\b|\bsuppliers?\b.*\bby (the )?(number of |count of )?(parts?|items?|pns?)\b"
        r"|\b(top|biggest|largest|main|most important) \d*\s*(suppliers?|vendors?)\b",
    ),
    (
        "equipment_using",
        r"\b(parts?|pns?|items?)\b.*\b(most|highest) .*(equipment|eqpt|eqiupment|machines?|"
        r"assets?)\b|\bused (in|on|by) the most\b|\bfitted (in|on) the most\b",
    ),
    ("failure_modes", r"\bmost failure modes\b"),
)


#: what a ranking ranks, by the noun the question asks for ("which part has the highest RPN")
RANK_TARGETS = (
    ("modes", r"\bfailure modes?\b|\bmodes?\b"),
    ("owners", r"\b(highest|worst|riskiest|top)[- ][\w-]*\s*items?\b"),  # an FMEA's "item": part or machine
    ("items", r"\b(which |what |top \d*\s*|rank (the )?)(parts?|pns?|items?|components?)\b"),
    ("equipment", r"\b(which |what |top \d*\s*|rank (the )?)(equipment|eqpt|machines?|assets?|tags?)\b"),
)


def ranking_params(question: str) -> dict[str, str]:
    for measure, rx in RANK_MEASURES:
        if re.search(rx, question, re.IGNORECASE):
            out = {"measure": measure}
            target = next((t for t, trx in RANK_TARGETS if re.search(trx, question, re.IGNORECASE)), None)
            if target:
                out["target"] = target
            if asks_rollup(question):
                out["rollup"] = "yes"
            from kg.qa.tools.shapes import asked_kind

            if kind := asked_kind(question):  # "which pump fails most often": pumps only
                out["kind"] = kind
                if measure in ("rpn", "severity") and "target" not in out:
                    out["target"] = "equipment"  # "which of our pumps has the highest RPN"
            if measure in ("rpn", "severity") and (about := named_fmea(question)):
                out["fmea_document"] = about  # "top rpn in the ostrava press line fmea workbook"
            if measure == "parts_supplied" and _SOLE.search(question):
                out["only"] = "sole"  # "the supplier with the most single-sourced parts"
            return out
    if re.search(r"\b(suppliers?|vendors?)\b", question, re.IGNORECASE):  # "which suppliers do we depend on"
        risk = re.search(r"\b(risk\w*|critical|exposure|exposed)\b", question, re.IGNORECASE)
        return {"measure": "parts_supplied", **({"only": "sole"} if risk else {})}  # "the biggest risk": sole
    return {}


_SOLE = re.compile(r"\b(single|sole|one)[- ]?(sourced?|supplied|supplier)\b", re.IGNORECASE)


@dataclass
class Scores:
    """What a ranking counts: a score, a name and classes per ranked id."""

    scores: Counter[str] = field(default_factory=Counter)
    names: dict[str, str | None] = field(default_factory=dict)
    labels: dict[str, list[str]] = field(default_factory=dict)

    def add(self, key: str, name: str | None, labels: list[str] | None = None, by: float = 1) -> None:
        self.scores[key] += by  # type: ignore[assignment]
        self.names.setdefault(key, name)
        if labels is not None:
            self.labels[key] = labels

    def keep_max(self, key: str, name: str | None, labels: list[str], value: float) -> None:
        if value > self.scores.get(key, -1):
            self.scores[key] = value  # type: ignore[assignment]
            self.names[key], self.labels[key] = name, labels


def _by_work_orders(kg: KnowledgeGraph, a: dict[str, str], scope: set[str] | None, out: Scores) -> str:
    """Assets by the work orders written against them (to their top assembly with ``rollup``), or failure
    modes by the work orders that record them (``target=modes``), in the date range."""
    from kg.qa.tools.work_orders import in_range, work_orders

    parents = _parents(kg) if a.get("rollup") else {}
    for ev in work_orders(kg, a.get("asset"), limit=MAX_ROWS * 10):
        if not ev.asset or not in_range(ev.date, a.get("since"), a.get("until")):
            continue
        key = node_id("Equipment", ev.asset, is_code=True)
        key = parents.get(key, key)
        if scope is not None and key not in scope:
            continue
        if a.get("target") == "modes":  # "most common failure mode in the work orders"
            for m in {(m.name or m.id).casefold(): m for m in ev.failure_modes}.values():
                out.add((m.name or m.id).casefold(), m.name, ["FailureMode"])
        else:
            out.add(key, ev.asset)
    return "work order"


def _by_rating(kg: KnowledgeGraph, a: dict[str, str], scope: set[str] | None, out: Scores) -> str:
    """Failure modes (or the parts or equipment they belong to) by their highest RPN or severity."""
    from kg.graph import queries

    measure, target = a["measure"], a.get("target")
    named = fmea_document_rows(kg, a["fmea_document"]) if a.get("fmea_document") else None
    rows = named or kg.store.read(queries.failure_mode_ratings(), {"records": list(RECORD_EXTRACTORS)})
    wanted = {"items": "Part:", "equipment": "Equipment:"}.get(target or "")
    if wanted and any(r["item_id"].startswith(wanted) for r in rows):
        rows = [r for r in rows if r["item_id"].startswith(wanted)]
    for r in rows:
        if (scope is not None and r["item_id"] not in scope) or (
            a.get("asset") and r["item_id"] != a["asset"]
        ):
            continue
        value = r[measure]
        if isinstance(value, (int, float)):
            if target in ("items", "equipment", "owners"):
                out.keep_max(r["item_id"], r["item"], [], value)
            else:
                out.keep_max(r["mode_id"], r["mode"], ["FailureMode"], value)
    return measure.upper() if measure == "rpn" else measure


def _by_supply(kg: KnowledgeGraph, a: dict[str, str], scope: set[str] | None, out: Scores) -> str:
    """Suppliers by the parts they supply, parts by the equipment using them, equipment by its failure
    modes (its own and its parts'), by the records' BOM lines."""
    from kg.graph import queries

    measure = a["measure"]
    rows = kg.store.read(queries.supply_pairs(), {"records": list(RECORD_EXTRACTORS)})
    pairs: dict[tuple[str, str], str | None] = {}
    for r in rows:
        if scope is not None and r["equipment_id"] not in scope:
            continue
        if measure == "parts_supplied" and r["supplier_id"]:
            pairs[(r["supplier_id"], r["item_id"])] = r["supplier"]

        elif measure == "equipment_using":
            pairs[(r["item_id"], r["equipment_id"])] = r["item"]
    if measure == "equipment_supplied":  # by BOM line: a supplier at one plant serves only its machines
        for line in bom_lines(kg):
            if line.supplier_id and (scope is None or line.equipment_id in scope):
                pairs[(line.supplier_id, line.equipment_id)] = line.supplier
    if measure == "failure_modes":
        owner: dict[str, set[str]] = {}
        names = {}
        for r in rows:
            owner.setdefault(r["item_id"], set()).add(r["equipment_id"])
            names[r["equipment_id"]] = r["equipment"]
        for r in kg.store.read(queries.failure_mode_ratings(), {"records": list(RECORD_EXTRACTORS)}):
            mine = {r["item_id"]} if r["item_id"].startswith("Equipment:") else set()
            for eq in owner.get(r["item_id"], set()) | mine:
                if scope is None or eq in scope:
                    pairs[(eq, r["mode_id"])] = names.get(eq) or (r["item"] if eq == r["item_id"] else None)
    if measure == "parts_supplied" and a.get("only") == "sole":
        sources = Counter(item for _, item in pairs)
        pairs = {k: v for k, v in pairs.items() if sources[k[1]] == 1}
    for (key, _), name in pairs.items():
        out.add(key, name)
    part = "single-sourced part" if a.get("only") == "sole" else "part"
    return {"parts_supplied": part, "failure_modes": "failure mode"}.get(measure, "piece of equipment")


def _ranking(kg: KnowledgeGraph, a: dict[str, str], limit: int) -> ToolOutput:
    a = {"measure": "work_orders", **a}
    measure = a["measure"]
    scope = site_scope(kg, a["site"]) if a.get("site") else None
    out = Scores()
    if measure == "work_orders":
        unit = _by_work_orders(kg, a, scope, out)
    elif measure in ("rpn", "severity"):
        unit = _by_rating(kg, a, scope, out)
    else:
        unit = _by_supply(kg, a, scope, out)
    applied = ({"site"} if scope is not None else set()) | (
        {"since", "until"} if measure == "work_orders" else set()
    )
    if a.get("kind") and any(k.startswith("Equipment:") for k in out.scores):
        from kg.qa.tools.shapes import equipment_of_kind

        kept = equipment_of_kind(kg, a["kind"])
        out.scores = Counter({k: v for k, v in out.scores.items() if k in kept})
    ranked = sorted(out.scores.items(), key=lambda kv: (-kv[1], kv[0]))
    refs = [answer_ref(k, out.names.get(k), out.labels.get(k)) for k, _ in ranked]
    facts = FactList()
    for k, v in ranked[:limit]:
        facts.attribute((k, out.names.get(k)), measure, v)

    def told(k: str, v: float) -> str:
        name = out.names.get(k) or k
        return f"{name} ({unit} {v})" if unit in ("RPN", "severity") else f"{name} ({plural(int(v), unit)})"

    answer = (
        f"By {measure.replace('_', ' ')}: {', '.join(told(k, v) for k, v in ranked[:5])}."
        if ranked
        else "Nothing in the graph to rank by that measure under the question's conditions."
    )
    return ToolOutput(answer=answer, answer_entities=refs[:limit], facts=facts.all(), applied=applied)


def _parents(kg: KnowledgeGraph) -> dict[str, str]:
    """Each sub-assembly's top-level equipment (a motor's pump), by the records."""
    from kg.graph import queries

    rows = kg.store.read(queries.equipment_parents(), {"records": list(RECORD_EXTRACTORS)})
    return {str(r["child"]): str(r["root"]) for r in rows}


RANKING = Tool(
    "ranking",
    "Ranking",
    (),
    (
        "Which asset has the most work orders?",
        "Highest RPN failure modes",
        "Which supplier supplies the most parts?",
        "Which part is used in the most equipment?",
    ),
    (
        r"^(?!.*\b(critical|criticality|concentrat\w*|diversif\w*|bottlenecks?|(most|more) (common|frequent|"
        r"usual|typical|recurring) (failures?|failure modes?|faults?|problems?|issues?))\b)"
        r"(?=.*\b(work ?orders?|wos?|wo's|jobs?|repairs?|breakdowns?|failures?|rpn|severity|severe|parts?|"
        r"pns?|equipment|eqpt|eqiupment|machines?|assets?|tags?|failure modes?|fail(s|ed|ing)?|"
        r"breaks? down|broke down|suppliers?|vendors?)\b)"
        r".*\b(most|highest|top(?![- ]level)|max(imum)?|largest|biggest|greatest|worst|"
        r"rank(ed|ing|s)?\b.{0,60}\bby)\b",
    ),
    _ranking,
    optional=(Slot("asset", ASSET),),
    params=ranking_params,
    shape=True,
    needs_rule=True,
)
