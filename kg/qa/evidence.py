"""What an answer shows besides its text: the citations of the entities it rests on, and the subgraph to draw.

Example:
    >>> subgraph(kg, output, {"Supplier:skf"}).nodes[0].role   # doctest: +SKIP
    'linked'
"""

from __future__ import annotations

from typing import Literal

from kg.graph import queries
from kg.graph.entities import chunk_citation, citations_of
from kg.graph.knowledge_graph import KnowledgeGraph
from kg.graph.results import Citation
from kg.qa.answers import Subgraph, SubgraphEdge, SubgraphNode
from kg.qa.tools import ToolOutput

MAX_CITED_ENTITIES = 6
CITATIONS_PER_ENTITY = 3
MAX_SUBGRAPH_NODES = 150


def citations(kg: KnowledgeGraph, ids: list[str], document: str | None = None) -> list[Citation]:
    """Up to three citations of each of the first entities, each (document, span) once; with ``document``,
    the chunks of that document that mention them (when it holds any)."""
    if document is not None and ids:
        params = {"ids": ids[:MAX_CITED_ENTITIES], "doc": document, "limit": MAX_CITED_ENTITIES * 2}
        rows = kg.store.read(queries.chunks_in_document(), params)
        first = {str(r["chunk"]): r for r in reversed(rows)}  # a chunk once, whichever entity it cites
        if first:
            doc = next(iter(kg.store.read(queries.documents_by_id(), {"ids": [document]})), {})
            return [chunk_citation(r, doc) for r in rows if first[str(r["chunk"])] is r]
    out: list[Citation] = []
    for i in list(dict.fromkeys(ids))[:MAX_CITED_ENTITIES]:
        node = kg.entity(i)
        if node is not None:
            out += citations_of(kg, node, limit=CITATIONS_PER_ENTITY)
    seen: set[tuple[str, int, int]] = set()
    unique = []
    for c in out:
        if (c.document, c.start, c.end) not in seen:
            seen.add((c.document, c.start, c.end))
            unique.append(c)
    return unique


def subgraph(kg: KnowledgeGraph, output: ToolOutput, linked: set[str]) -> Subgraph:
    """The entities and links of an answer to draw: linked, answering and context nodes."""
    edges = [
        SubgraphEdge(source=f.subject, target=f.object, type=f.predicate) for f in output.facts if f.object
    ]
    ids = list(
        dict.fromkeys(
            [
                *linked,
                *(e.id for e in output.answer_entities),
                *(x for e in edges for x in (e.source, e.target)),
            ]
        )
    )[:MAX_SUBGRAPH_NODES]
    keep = set(ids)
    refs = {str(r["id"]): r for r in kg.store.read(queries.entity_refs(), {"ids": ids})} if ids else {}
    names = {f.subject: f.subject_name for f in output.facts} | {
        f.object: f.object_name for f in output.facts if f.object
    }
    answers = {e.id for e in output.answer_entities}
    nodes = []
    for i in ids:
        r = refs.get(i)
        labels = [x for x in r["labels"] if x != "Entity"] if r else ["WorkOrder"]
        name = (r["name"] if r else None) or names.get(i)
        role: Literal["linked", "answer", "context"] = (
            "linked" if i in linked else "answer" if i in answers else "context"
        )
        nodes.append(SubgraphNode(id=i, name=name, labels=labels, role=role))
    edges = [e for e in edges if e.source in keep and e.target in keep]
    return Subgraph(nodes=nodes, edges=list({(e.source, e.type, e.target): e for e in edges}.values()))
