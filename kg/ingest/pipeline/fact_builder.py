"""Stage 7, extractions → facts: each linked or resolved mention becomes a node fact with its evidence span,
each relation an edge mapped to the ontology's edges (through the :class:`ReviewGate`), and a work order's
failures and activities become facts about its asset.

Example:
    >>> builder = FactBuilder(kg, manifest, resolver, ReviewGate(kg, manifest), extractor)  # doctest: +SKIP
    >>> builder.run(work, found, resolutions)                                          # doctest: +SKIP
"""

from __future__ import annotations

from typing import Any

from kg.core.facts import ChunkMention, Evidence, NodeFact, PropertyValue
from kg.core.keys import normalise_name
from kg.graph.knowledge_graph import KnowledgeGraph
from kg.ingest.manifest import Manifest
from kg.ingest.mapping import graph_relation, looks_like_code
from kg.ingest.pipeline.batch_extractor import BatchExtractor
from kg.ingest.pipeline.document_work import DocumentWork
from kg.ingest.pipeline.gazetteer_linker import GAZETTEER, ChunkMentions
from kg.ingest.pipeline.ingest_options import Resolver
from kg.ingest.pipeline.resolve_step import Resolutions, register_new
from kg.ingest.pipeline.review_gate import ReviewGate
from kg.ingest.stated_alternatives import STATED_ALTERNATIVE, stated_alternatives
from kg.ingest.stated_links import stated_links
from kg.tables.merge import CODE_PROPERTY


def clamp_confidence(score: float) -> float:
    return min(1.0, max(0.0, float(score)))


class FactBuilder:
    """Adds one document's facts from its chunk mentions to its :class:`DocumentWork`.

    Refused edges are queued for review (and counted in the document's outcome); merges are recorded.
    """

    def __init__(
        self,
        kg: KnowledgeGraph,
        manifest: Manifest,
        resolver: Resolver | None,
        gate: ReviewGate,
        extractor: BatchExtractor,
    ):
        self.kg = kg
        self.manifest = manifest
        self.resolver = resolver
        self.gate = gate
        self.extractor = extractor

    def run(self, w: DocumentWork, found: list[ChunkMentions], resolved: Resolutions) -> None:
        version = next((cm.result.model_version for cm in found if cm.result.model_version), "")
        if found and not version:  # an extractor that does not stamp its results
            ex = self.extractor.extractor()
            version = ex.version if ex is not None else ""
        version = (version or "extractor").replace("|", "_")
        for cm in found:
            chunk_id = f"{w.record.doc_id}:{cm.index}"
            nodes = self._mention_nodes(w, cm, chunk_id, version, resolved)
            known = self._known_entities(w, cm, chunk_id)
            w.batch_nodes += [n for n in nodes if n is not None]
            linked = self._relations(w, cm, nodes, version)
            self._stated_links(w, cm, nodes)
            self._stated_alternatives(w, [*zip(cm.spans, nodes, strict=True), *known])
            asset = cm.chunk.asset
            if asset is not None:  # a work order: its failures and activities concern its asset
                for i, mentioned in enumerate(nodes):
                    if mentioned is None or i in linked:
                        continue
                    if mentioned.label == "FailureMode":
                        self._edge(w, asset, "HAS_FAILURE_MODE", mentioned, mentioned.evidence[0])
                    elif mentioned.label == "MaintenanceActivity":
                        self._edge(w, mentioned, "PERFORMED_ON", asset, mentioned.evidence[0])
        w.outcome.chunks = len(w.chunks)

    def _mention_nodes(
        self, w: DocumentWork, cm: ChunkMentions, chunk_id: str, version: str, resolved: Resolutions
    ) -> list[NodeFact | None]:
        """A node per mention (None where it has no usable name or class), with its chunk mention."""
        doc_id = w.record.doc_id
        nodes: list[NodeFact | None] = []
        for m, (s, e), label, surface, link in zip(
            cm.result.mentions, cm.spans, cm.labels, cm.surfaces, cm.links, strict=True
        ):
            if not normalise_name(surface) or label not in self.kg.schema.labels:
                # blank after cleaning, or a class the ontology lacks (a model trained on other labels)
                nodes.append(None)
                continue
            ev = Evidence(
                doc_id=doc_id, start=s, end=e, extractor=version, confidence=clamp_confidence(m.score)
            )
            if link is not None:  # linked to a known entity by name
                node = NodeFact(label=label, name=surface, canonical_id=link.entity_id, evidence=[ev])
            else:
                node = self._node(doc_id, label, surface, ev, resolved.get(label, surface))
            nodes.append(node)
            w.mentions.append(ChunkMention(entity_id=node.id, chunk_id=chunk_id, spans=[f"{s}-{e}"]))
        return nodes

    def _known_entities(
        self, w: DocumentWork, cm: ChunkMentions, chunk_id: str
    ) -> list[tuple[tuple[int, int], NodeFact]]:
        """Known entities the gazetteer found in the chunk and the model did not mark, with their spans."""
        out: list[tuple[tuple[int, int], NodeFact]] = []
        for g in cm.extra:
            ev = Evidence(
                doc_id=w.record.doc_id, start=g.start, end=g.end, extractor=GAZETTEER, confidence=0.9
            )
            known = NodeFact(label=g.label, name=g.surface, canonical_id=g.entity_id, evidence=[ev])
            w.batch_nodes.append(known)
            w.mentions.append(
                ChunkMention(entity_id=known.id, chunk_id=chunk_id, spans=[f"{g.start}-{g.end}"])
            )
            out.append(((g.start, g.end), known))
        return out

    def _stated_alternatives(
        self, w: DocumentWork, mentioned: list[tuple[tuple[int, int], NodeFact | None]]
    ) -> None:
        """ALTERNATIVE_TO between two parts the text says are alternatives (kg.ingest.stated_alternatives)."""
        items = [  # parts named by a number: "filter elem replaced by PH-937399Q" is a repair, not a pairing
            (span, n)
            for span, n in mentioned
            if n is not None and n.label in ("Part", "Product") and any(c.isdigit() for c in n.name)
        ]
        for i, j in stated_alternatives(w.content.text, [span for span, _ in items]):
            (s, _), first = items[i]
            (_, e), second = items[j]
            ev = Evidence(
                doc_id=w.record.doc_id, start=s, end=e, extractor=STATED_ALTERNATIVE, confidence=0.9
            )
            self._edge(w, first, "ALTERNATIVE_TO", second, ev)

    def _relations(
        self, w: DocumentWork, cm: ChunkMentions, nodes: list[NodeFact | None], version: str
    ) -> set[int]:
        """Edges for the chunk's relations; returns the mentions that took part in one."""
        spans, labels = cm.spans, cm.labels
        linked: set[int] = set()
        for r in cm.result.relations:
            head, tail = nodes[r.head], nodes[r.tail]
            mapped = graph_relation(r.label, labels[r.head])
            if head is None or tail is None or mapped is None:
                continue
            rel_type, reverse = mapped
            source, target = (tail, head) if reverse else (head, tail)
            if rel_type == "SUPPLIED_BY" and target.id.startswith("Manufacturer:"):
                target = self._supplier_account(w, target)
            s = min(spans[r.head][0], spans[r.tail][0])
            e = max(spans[r.head][1], spans[r.tail][1])
            ev = Evidence(
                doc_id=w.record.doc_id,
                start=s,
                end=e,
                extractor=version,
                confidence=clamp_confidence(r.score),
            )
            self._edge(w, source, rel_type, target, ev)
            linked.update((r.head, r.tail))
        return linked

    def _stated_links(self, w: DocumentWork, cm: ChunkMentions, nodes: list[NodeFact | None]) -> None:
        """Edges the words between two neighbouring mentions state and the model did not give: CAUSES
        (kg.ingest.stated_causes), HAS_PART and MADE_OF (kg.ingest.stated_items); scored by the weaker
        mention, counted in the document's rules. A work order's failures stay its asset's as well."""
        mentions = [
            (span, label if node is not None else "")
            for span, label, node in zip(cm.spans, cm.labels, nodes, strict=True)
        ]
        related = [(r.head, r.tail) for r in cm.result.relations]
        for i, j, relation, extractor, rule in stated_links(w.content.text, mentions, related):
            head, tail, mapped = nodes[i], nodes[j], graph_relation(relation, cm.labels[i])
            if head is None or tail is None or mapped is None:
                continue
            ev = Evidence(
                doc_id=w.record.doc_id,
                start=min(cm.spans[i][0], cm.spans[j][0]),
                end=max(cm.spans[i][1], cm.spans[j][1]),
                extractor=extractor,
                confidence=clamp_confidence(min(cm.result.mentions[i].score, cm.result.mentions[j].score)),
            )
            self._edge(w, *((tail, mapped[0], head) if mapped[1] else (head, mapped[0], tail)), ev)
            w.outcome.node_rules[rule] = w.outcome.node_rules.get(rule, 0) + 1

    def _supplier_account(self, w: DocumentWork, brand: NodeFact) -> NodeFact:
        """A manufacturer named as a source ("impeller from KSB") is the brand's one supplier account,
        when entity resolution knows exactly one; else the manufacturer itself."""
        account = getattr(self.resolver, "supplier_account", None)
        found = account(brand.id) if account is not None else None
        if found is None:
            return brand
        node = NodeFact(label="Supplier", name=brand.name, canonical_id=found, evidence=brand.evidence)
        w.batch_nodes.append(node)
        return node

    def _node(self, doc_id: str, label: str, surface: str, ev: Evidence, res: Any) -> NodeFact:
        if res is None:  # no resolver: canonical keys only (tags and part numbers compare as codes)
            key = surface if label in ("Part", "Equipment") and looks_like_code(surface) else None
            return NodeFact(label=label, name=surface, key=key, evidence=[ev])
        props: dict[str, PropertyValue] = {}
        if getattr(res, "code", None):
            props["failure_mode_code"] = res.code
        if res.method == "new" and label in CODE_PROPERTY and " " not in surface and looks_like_code(surface):
            props[CODE_PROPERTY[label]] = surface  # "HO-2SN08-1500" in a letter: its number, as a BOM's
        node = NodeFact(label=label, name=surface, canonical_id=res.id, properties=props, evidence=[ev])
        if res.method == "new":
            assert self.resolver is not None
            register_new(self.resolver, res.id, label, surface)
        elif res.method != "exact":
            self.manifest.record_merges([(doc_id, label, surface, res.id, res.method, float(res.score))])
        return node

    def _edge(self, w: DocumentWork, source: NodeFact, rel_type: str, target: NodeFact, ev: Evidence) -> None:
        if source.id == target.id:
            return
        checked = self.gate.run(w.record.doc_id, source, rel_type, target, ev)
        if checked.refused:
            w.outcome.review += 1
            return
        w.batch_edges.append(checked.edge)
