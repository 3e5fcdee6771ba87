"""Graph analytics on the supply network with networkx: criticality of items, supplier concentration.

The network is read once per call (HAS_PART, SUPPLIED_BY, LOCATED_AT links, bounded by ``max_links``) into
a directed graph supplier ← item ← ... ← equipment → site, and measured in memory.

- **Criticality** of an item: how many pieces of equipment contain it (through any number of HAS_PART
  levels), divided by its number of suppliers — a sole-sourced bearing in twelve machines outranks a
  dual-sourced filter in three. Ties break on betweenness centrality in the supply network (items many
  supply paths run through).
- **Concentration** of a site's (or an equipment's) supply base: the Herfindahl-Hirschman index of the
  suppliers' shares of the item-supplier links of everything installed there (1.0 = one supplier for all).

Example:
    >>> rows = criticality(kg).rows                                  # doctest: +SKIP
    >>> rows[0].id, rows[0].dependents, rows[0].suppliers            # doctest: +SKIP
    ('Part:62052rsh', 4, 1)
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import networkx as nx

from kg.graph import queries
from kg.graph.knowledge_graph import KnowledgeGraph
from kg.graph.results import EntityRef
from kg.qa.answers import ConcentrationResponse, ConcentrationRow, CriticalityResponse, CriticalityRow

MAX_LINKS = 200_000
_ITEM_LABELS = frozenset({"Part", "Equipment", "Material", "Product"})


@dataclass
class SupplyNetwork:
    graph: (
        nx.DiGraph
    )  # edges: parent -HAS_PART-> item, item -SUPPLIED_BY-> supplier, equipment -LOCATED_AT-> site
    truncated: bool

    def ref(self, node: str) -> EntityRef:
        data = self.graph.nodes[node]
        return EntityRef(id=node, name=data.get("name"), labels=data.get("labels", []))

    def out_by(self, node: str, rel: str) -> list[str]:
        return [t for _, t, d in self.graph.out_edges(node, data=True) if d["type"] == rel]


def supply_network(
    kg: KnowledgeGraph, *, max_links: int = MAX_LINKS, records: Sequence[str] | None = None
) -> SupplyNetwork:
    """The supply links (``records``: only those these extractors back; None: every link)."""
    params = {
        "types": list(queries.SUPPLY_RELATIONS),
        "limit": max_links + 1,
        "records": None if records is None else list(records),
    }
    rows = kg.store.read(queries.supply_network(), params)
    g = nx.DiGraph()
    for r in rows[:max_links]:
        for side in ("source", "target"):
            labels = [x for x in r[f"{side}_labels"] or [] if x != "Entity"]
            g.add_node(r[side], name=r[f"{side}_name"], labels=labels)
        g.add_edge(r["source"], r["target"], type=r["type"])
    return SupplyNetwork(g, truncated=len(rows) > max_links)


def criticality(
    kg: KnowledgeGraph, *, limit: int = 20, network: SupplyNetwork | None = None
) -> CriticalityResponse:
    net = network or supply_network(kg)
    g = net.graph
    containment = nx.DiGraph(
        (s, t) for s, t, d in g.edges(data=True) if d["type"] == "HAS_PART"
    )  # parent -> item
    rows = []
    betweenness = nx.betweenness_centrality(g, normalized=True) if g.number_of_nodes() <= 5000 else {}
    for node, data in g.nodes(data=True):
        if not _ITEM_LABELS.intersection(data.get("labels", [])):
            continue
        suppliers = len(net.out_by(node, "SUPPLIED_BY"))
        if suppliers == 0:
            continue  # nothing is known about its supply: not ranked (would divide by zero)
        users = nx.ancestors(containment, node) if node in containment else set()
        equipment = sum(1 for u in users if "Equipment" in g.nodes[u].get("labels", []))
        if equipment == 0:
            continue
        rows.append(
            CriticalityRow(
                **net.ref(node).model_dump(),
                score=round(equipment / suppliers + betweenness.get(node, 0.0), 6),
                dependents=equipment,
                suppliers=suppliers,
            )
        )
    rows.sort(key=lambda r: (-r.score, r.id))
    method = "equipment containing the item / its suppliers (+ betweenness centrality, networkx)"
    if net.truncated:
        method += f"; only the first {MAX_LINKS} links were read"
    return CriticalityResponse(method=method, rows=rows[:limit])


def concentration(
    kg: KnowledgeGraph,
    *,
    by: Literal["site", "equipment"] = "site",
    limit: int = 50,
    network: SupplyNetwork | None = None,
) -> ConcentrationResponse:
    net = network or supply_network(kg)
    g = net.graph
    containment = nx.DiGraph((s, t) for s, t, d in g.edges(data=True) if d["type"] == "HAS_PART")
    groups: dict[str, set[str]] = {}
    for node, data in g.nodes(data=True):
        if "Equipment" not in data.get("labels", []):
            continue
        installed = ({node} | nx.descendants(containment, node)) if node in containment else {node}
        keys = net.out_by(node, "LOCATED_AT") if by == "site" else [node]
        for key in keys:
            groups.setdefault(key, set()).update(installed)
    rows = []
    for key, items in groups.items():
        shares = Counter(s for item in items for s in net.out_by(item, "SUPPLIED_BY"))
        total = sum(shares.values())
        if not total:
            continue
        hhi = sum((n / total) ** 2 for n in shares.values())
        top, top_n = max(shares.items(), key=lambda kv: (kv[1], kv[0]))
        rows.append(
            ConcentrationRow(
                group=net.ref(key),
                suppliers=len(shares),
                items=sum(1 for i in items if net.out_by(i, "SUPPLIED_BY")),
                hhi=round(hhi, 6),
                top_supplier=net.ref(top),
                top_share=round(top_n / total, 6),
            )
        )
    rows.sort(key=lambda r: (-r.hhi, r.group.id))
    return ConcentrationResponse(by=by, rows=rows[:limit])
