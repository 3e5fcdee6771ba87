"""Ranking tools over the whole supply network: the most critical items, the most concentrated sites.

Each runner wraps one function of :mod:`kg.qa.analytics` and turns its rows into facts; each
:class:`~kg.qa.tools.base.Tool` sits next to its runner with the questions and rules that route to it.

Example:
    >>> CRITICALITY.slots, CONCENTRATION.matches_rule("How concentrated is our supplier base?")
    ((), True)
"""

from __future__ import annotations

from kg.graph.knowledge_graph import KnowledgeGraph
from kg.graph.results import EntityRef
from kg.qa import analytics
from kg.qa.tools.answer_facts import FactList
from kg.qa.tools.base import Tool, ToolOutput, plural, records_first


def _network(kg: KnowledgeGraph) -> analytics.SupplyNetwork:
    """The supply network records back (tables, manual entry); every link when records hold none."""
    network, _ = records_first(
        lambda rec: analytics.supply_network(kg, records=rec),
        lambda net: [EntityRef(id=str(n)) for n in net.graph.nodes],
    )
    return network


def _criticality(kg: KnowledgeGraph, a: dict[str, str], limit: int) -> ToolOutput:
    r = analytics.criticality(kg, limit=min(limit, 10), network=_network(kg))
    refs = [EntityRef(id=x.id, name=x.name, labels=x.labels) for x in r.rows]
    facts = FactList()
    for x in r.rows:
        facts.attribute(x, "criticality", round(x.score, 3))
        facts.attribute(x, "dependents", x.dependents)
        facts.attribute(x, "suppliers", x.suppliers)
    answer = (
        f"The most critical item is {refs[0].name or refs[0].id}: {r.rows[0].dependents} pieces of equipment"
        f" depend on it and it has {plural(r.rows[0].suppliers, 'supplier')}."
        if refs
        else "The graph has no supply network (HAS_PART and SUPPLIED_BY links) to analyse."
    )
    return ToolOutput(answer=answer, answer_entities=refs, facts=facts.all(), cite=[x.id for x in refs[:3]])


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
