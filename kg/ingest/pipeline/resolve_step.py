"""Stage 6, resolve: names go through entity resolution (:mod:`kg.ingest.resolve`) — table names of
organisations, sites and materials before extraction, the model's mentions after it, one call per label
for a whole group (one encoder pass). Every merge that is not an exact match is recorded in the manifest.

Example:
    >>> Resolutions().get("Supplier", "SKF") is None
    True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kg.core.keys import normalise_name
from kg.graph.knowledge_graph import KnowledgeGraph
from kg.ingest.manifest import Manifest
from kg.ingest.pipeline.document_work import DocumentWork
from kg.ingest.pipeline.gazetteer_linker import ChunkMentions
from kg.ingest.pipeline.ingest_options import Resolver

#: classes whose table names go through entity resolution (codes such as tags and part numbers are keys)
RESOLVED_TABLE_LABELS = frozenset({"Supplier", "Manufacturer", "Organization", "Site", "Material"})
ORGANIZATION = "Organization"
#: where an organisation of no stated role is looked up, in order
ROLES = ("Supplier", "Manufacturer")


def register_new(resolver: Resolver, entity_id: str, label: str, name: str) -> None:
    """Tell the resolver about an entity it just created, so later names can merge into it."""
    from kg.ingest.resolve import KnownEntity

    resolver.add(KnownEntity(id=entity_id, label=label, name=name))


@dataclass
class Resolutions:
    """What entity resolution decided for each ``(label, surface)`` of a group's mentions."""

    by_name: dict[tuple[str, str], Any] = field(default_factory=dict)

    def get(self, label: str, surface: str) -> Any | None:
        return self.by_name.get((label, surface))


class TableNameResolver:
    """Table facts go through entity resolution too: "SKF Group" in a BOM joins the SKF entity.

    Example:
        >>> TableNameResolver(resolver, manifest).run(group)  # doctest: +SKIP
    """

    def __init__(self, resolver: Resolver | None, manifest: Manifest):
        self.resolver = resolver
        self.manifest = manifest

    def run(self, group: list[DocumentWork]) -> None:
        if self.resolver is None:
            return
        wanted: dict[str, dict[str, None]] = {}
        for w in group:
            for n in w.batch_nodes:
                if n.label in RESOLVED_TABLE_LABELS:
                    wanted.setdefault(n.label, {})[n.name] = None
        resolved: dict[tuple[str, str], Any] = {}
        for label, unique in wanted.items():
            names = list(unique)
            for name, res in zip(names, self.resolver.resolve(label, names), strict=True):
                resolved[(label, name)] = res
                if res.method == "new":
                    register_new(self.resolver, res.id, label, name)
        for w in group:
            self._rename(w, resolved)
        self._learn_keyed(group)

    def _learn_keyed(self, group: list[DocumentWork]) -> None:
        """Table entities identified by a code (equipment by tag, parts by part number) become merge targets
        at once: a report in the same run that names "Coolant supply pump" joins the register's LDS-P-101, as
        it does when the register was loaded by an earlier run."""
        from kg.ingest.resolve import KnownEntity

        assert self.resolver is not None
        for w in group:
            for n in w.batch_nodes:
                if n.label not in RESOLVED_TABLE_LABELS and n.name:
                    self.resolver.add(KnownEntity(id=n.id, label=n.label, name=n.name))

    def _rename(self, w: DocumentWork, resolved: dict[tuple[str, str], Any]) -> None:
        """Point the document's table nodes (and their edges) at the entities they resolved to."""
        renamed: dict[str, str] = {}
        nodes = []
        for n in w.batch_nodes:
            res = resolved.get((n.label, n.name))
            if res is None or res.id == n.id:
                nodes.append(n)
                continue
            renamed[n.id] = res.id
            nodes.append(n.model_copy(update={"canonical_id": res.id, "key": None}))
            if res.method not in ("new", "exact"):
                self.manifest.record_merges(
                    [(w.record.doc_id, n.label, n.name, res.id, res.method, float(res.score))]
                )
        w.batch_nodes = nodes
        w.batch_edges = [
            e.model_copy(
                update={"source": renamed.get(e.source, e.source), "target": renamed.get(e.target, e.target)}
            )
            for e in w.batch_edges
        ]


class MentionResolver:
    """Resolves every (label, surface) the model found in a group that the gazetteer did not link.

    Example:
        >>> MentionResolver(resolver, kg).run(group, found).get("Organization", "SKF")  # doctest: +SKIP
    """

    def __init__(self, resolver: Resolver | None, kg: KnowledgeGraph):
        self.resolver = resolver
        self.kg = kg

    def run(self, group: list[DocumentWork], found: dict[int, list[ChunkMentions]]) -> Resolutions:
        if self.resolver is None:
            return Resolutions()
        wanted: dict[str, dict[str, None]] = {}
        for w in group:
            for cm in found[id(w)]:
                for label, surface, link in zip(cm.labels, cm.surfaces, cm.links, strict=True):
                    if link is None and normalise_name(surface) and label in self.kg.schema.labels:
                        wanted.setdefault(label, {})[surface] = None
        out = Resolutions()
        wanted.pop(ORGANIZATION, None)  # after the stated roles: they may name the same company
        for label, unique in [*wanted.items(), (ORGANIZATION, {})]:
            if label == ORGANIZATION:
                known = self._known_roles(self._organisations(group, found, own=False), out)
                self._relabel(group, found, known)
                unique = dict.fromkeys(self._organisations(group, found, own=True))
            names = list(unique)
            for surface, res in zip(names, self.resolver.resolve(label, names), strict=True):
                out.by_name[(label, surface)] = res
        return out

    @staticmethod
    def _organisations(
        group: list[DocumentWork], found: dict[int, list[ChunkMentions]], *, own: bool
    ) -> list[str]:
        """Unlinked surfaces labelled Organization (``own``: also the user's own organisation's)."""
        surfaces: dict[str, None] = {}
        for w in group:
            for cm in found[id(w)]:
                for i, (label, surface) in enumerate(zip(cm.labels, cm.surfaces, strict=True)):
                    if label == ORGANIZATION and cm.links[i] is None and (own or i not in cm.own):
                        surfaces[surface] = None
        return [s for s in surfaces if normalise_name(s)]

    def _known_roles(self, surfaces: list[str], out: Resolutions) -> dict[str, str]:
        """Organisations whose role the text does not give, that are a known Supplier or Manufacturer
        ("Parker" → Parker Hannifin): ``{surface: label}``, their resolutions put in ``out``."""
        match = getattr(self.resolver, "match", None)
        known: dict[str, str] = {}
        for label in ROLES:
            rest = [s for s in surfaces if s not in known]
            if match is None or not rest:
                break
            for surface, res in zip(rest, match(label, rest), strict=True):
                if res is not None:
                    known[surface] = label
                    out.by_name[(label, surface)] = res
        return known

    @staticmethod
    def _relabel(
        group: list[DocumentWork], found: dict[int, list[ChunkMentions]], known: dict[str, str]
    ) -> None:
        for w in group:
            for cm in found[id(w)]:
                for i, (label, surface) in enumerate(zip(cm.labels, cm.surfaces, strict=True)):
                    if cm.links[i] is None and label == ORGANIZATION and surface in known and i not in cm.own:
                        cm.labels[i] = known[surface]
