"""Score a loaded graph against hand-checked gold facts (``samples/gold/*.json``).

A gold file lists, for one document, the entities a careful reader finds (label, canonical name, the
surface mentions) and the relations between them. Scoring looks at what the graph holds *for that
document* (facts it holds evidence for):

- an entity matches when the classes agree (a graph class may be a subclass of the gold one:
  Supplier ⊑ Organization) and a name or alias of the graph entity equals the gold name or one of its
  mentions, compared like node keys (codes without separators and case, names case-folded);
- a relation matches when its type agrees and both ends match the gold relation's ends.

Example:
    >>> report = score_graph(kg, Path("samples/gold"), Path("samples/documents"))    # doctest: +SKIP
    >>> report.entities.f1, report.relations.f1                                       # doctest: +SKIP
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.core.keys import normalise_name, normalise_part_number
from kg.documents import read_document
from kg.graph.knowledge_graph import KnowledgeGraph
from kg.store import cypher

CODE_LABELS = ("Part", "Equipment", "Product")


@dataclass
class PRF:
    """Counts for precision (predictions that match gold) and recall (gold found) separately: two graph
    entities matching one gold entity (an unresolved alias) are both correct but one is a duplicate."""

    tp: int = 0  # gold items found
    predicted: int = 0
    gold: int = 0
    correct: int = 0  # predictions that match some gold item
    duplicates: int = 0  # extra predictions matching an already matched gold item

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.tp / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {
            "precision": round(self.precision * 100, 2),
            "recall": round(self.recall * 100, 2),
            "f1": round(self.f1 * 100, 2),
            "found": self.tp,
            "correct": self.correct,
            "predicted": self.predicted,
            "gold": self.gold,
            "duplicates": self.duplicates,
        }


@dataclass
class GoldReport:
    """``entities``/``relations``: names must match; ``*_overlap``: a graph entity matches a gold one when
    one of its evidence spans in the document overlaps an occurrence of a gold mention (lenient on span
    boundaries: "deep groove ball bearing 6205-2RSH" found where the gold says "6205-2RSH")."""

    entities: PRF = field(default_factory=PRF)
    relations: PRF = field(default_factory=PRF)
    entities_overlap: PRF = field(default_factory=PRF)
    relations_overlap: PRF = field(default_factory=PRF)
    per_document: dict[str, dict[str, Any]] = field(default_factory=dict)
    missing_documents: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "entities": self.entities.as_dict(),
            "relations": self.relations.as_dict(),
            "entities_overlap": self.entities_overlap.as_dict(),
            "relations_overlap": self.relations_overlap.as_dict(),
            "per_document": self.per_document,
            "missing_documents": self.missing_documents,
        }


def _forms(label: str, names: list[str]) -> set[str]:
    out = set()
    for n in names:
        out.add(normalise_name(n))
        if label in CODE_LABELS:
            out.add(normalise_part_number(n))
    out.discard("")
    return out


def score_graph(kg: KnowledgeGraph, gold_dir: Path, documents_root: Path) -> GoldReport:
    """Entity and relation precision/recall of the graph against every gold file in ``gold_dir``."""
    report = GoldReport()
    docs = {Path(r["path"]).resolve(): r["id"] for r in kg.store.read(cypher.document_paths()) if r["path"]}
    for gold_file in sorted(gold_dir.glob("*.json")):
        gold = json.loads(gold_file.read_text())
        if "document" not in gold:
            continue  # aliases.json and other non-document files
        doc_id = docs.get((documents_root / gold["document"]).resolve())
        if doc_id is None:
            report.missing_documents.append(gold["document"])
            continue
        text = read_document(documents_root / gold["document"]).text
        ents, rels = _score_document(kg, gold, doc_id, None)
        ents_o, rels_o = _score_document(kg, gold, doc_id, text)
        report.per_document[gold["document"]] = {
            "entities": ents.as_dict(),
            "relations": rels.as_dict(),
            "entities_overlap": ents_o.as_dict(),
        }
        for total, one in (
            (report.entities, ents),
            (report.relations, rels),
            (report.entities_overlap, ents_o),
            (report.relations_overlap, rels_o),
        ):
            for k in ("tp", "predicted", "gold", "correct", "duplicates"):
                setattr(total, k, getattr(total, k) + getattr(one, k))
    return report


def _occurrences(text: str, mentions: list[str]) -> list[tuple[int, int]]:
    spans = []
    for m in mentions:
        at = text.find(m)
        while m and at >= 0:
            spans.append((at, at + len(m)))
            at = text.find(m, at + 1)
    return spans


def _score_document(
    kg: KnowledgeGraph, gold: dict[str, Any], doc_id: str, text: str | None
) -> tuple[PRF, PRF]:
    """Strict (names) when ``text`` is None, else lenient (overlapping spans in ``text``)."""
    nodes = kg.store.read(cypher.entities_of_document(), {"doc": doc_id})
    matched_gold = _match_entities(kg, nodes, gold["entities"], doc_id, text)
    found_names = [name for names in matched_gold.values() for name in names]
    ents = PRF(
        tp=len(set(found_names)),
        predicted=len(nodes),
        gold=len(gold["entities"]),
        correct=len(matched_gold),
        duplicates=len(found_names) - len(set(found_names)),
    )
    return ents, _score_relations(kg, gold, doc_id, matched_gold)


def _match_entities(
    kg: KnowledgeGraph,
    nodes: list[dict[str, Any]],
    gold_entities: list[dict[str, Any]],
    doc_id: str,
    text: str | None,
) -> dict[str, set[str]]:
    """Graph id -> the gold names it matches: by name forms when ``text`` is None, else by evidence spans
    overlapping an occurrence of a gold mention in ``text``."""
    schema = kg.schema
    gold_forms = [
        (g["label"], g["name"], _forms(g["label"], [g["name"], *g.get("mentions", [])]))
        for g in gold_entities
    ]
    matched_gold: dict[str, set[str]] = {}  # graph id -> gold names it matches
    gold_spans = (
        {g["name"]: _occurrences(text, [g["name"], *g.get("mentions", [])]) for g in gold_entities}
        if text is not None
        else {}
    )
    for n in nodes:
        label = next((x for x in n["labels"] if x != "Entity"), "")
        forms = _forms(label, [n["name"] or "", *(n["aliases"] or [])])
        spans = [
            (int(k.split("|")[1]), int(k.split("|")[2]))
            for k in n["evidence"] or []
            if k.split("|")[0] == doc_id
        ]
        for g_label, g_name, g_forms in gold_forms:
            if not schema.is_a(label, g_label):
                continue
            if text is None:
                hit = bool(forms & g_forms)
            else:
                hit = any(s < ge and gs < e for s, e in spans for gs, ge in gold_spans[g_name])
            if hit:
                matched_gold.setdefault(n["id"], set()).add(g_name)
    return matched_gold


def _score_relations(
    kg: KnowledgeGraph, gold: dict[str, Any], doc_id: str, matched_gold: dict[str, set[str]]
) -> PRF:
    """The document's relationships whose type and both ends (through ``matched_gold``) match gold."""
    edges = kg.store.read(cypher.relationships_of_document(), {"doc": doc_id})
    gold_rels = {(r["head"], r["type"], r["tail"]) for r in gold["relations"]}
    found = set()
    for e in edges:
        for h in matched_gold.get(e["source"], ()):
            for t in matched_gold.get(e["target"], ()):
                if (h, e["type"], t) in gold_rels:
                    found.add((h, e["type"], t))
    correct = sum(
        1
        for e in edges
        if any(
            (h, e["type"], t) in gold_rels
            for h in matched_gold.get(e["source"], ())
            for t in matched_gold.get(e["target"], ())
        )
    )
    return PRF(tp=len(found), predicted=len(edges), gold=len(gold_rels), correct=correct)
