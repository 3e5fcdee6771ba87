"""Stage 5, link: the model's mentions placed in the document, given ontology labels, and linked by name to
entities the graph (or this run's tables) already holds; known entities the model missed are found too.

Example:
    >>> GazetteerLinker(None).run(work, extractions)  # doctest: +SKIP
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from extractors.types import ChunkExtraction
from kg.ingest.gazetteer import COMPATIBLE, Gazetteer, GazetteerMatch
from kg.ingest.mapping import looks_like_code, refine_label, stated_role
from kg.ingest.name_spans import repair_spans
from kg.ingest.node_rules import DROPPED, GENERIC_WORDS, ITEM_LABELS, judge, people_in
from kg.ingest.not_items import is_batch_code, modifies_next
from kg.ingest.pipeline.document_work import DocumentWork, ExtractionChunk

ORGANISATIONS = frozenset({"Organization", "Supplier", "Manufacturer"})
#: the node rule count of organisations named at a known site: the user's own, never a supplier
OWN_RULE = "own organisation (named at a known site)"
#: ... and of organisations the words make the buying side ("Purchaser: X", "X buys ... from")
BUYER_RULE = "buyer, not supplier"
#: ... and of item mentions that are a known organisation's name, or inside it
ORGANISATION_IN_ITEM = "organisation name, not item"
#: ... and of mentions that finish a failure or name the model cut after "of" ("[loss of] bearing [preload]")
IN_PHRASE = "inside a longer phrase"
#: ... and of one-word item mentions that only qualify the item after them ("[setting] clips")
ITEM_MODIFIER = "modifier of the next item"
#: ... and of codes the text calls a batch or lot number ("batch B24-2907"): a delivery, not a part
BATCH_CODE = "batch or lot number"
#: ... and of kind words before a code, dropped from the item's name ("assemblies HO-2SN08-1500")
KIND_BEFORE_CODE = "kind word before a code"
#: the extractor name on the evidence of known entities found by name only
GAZETTEER = "gazetteer@1"


#: how far before and after a chunk known names are looked for, so that a name the chunk's edge cuts is found
_CONTEXT = 80
_WORD_EDGE = re.compile(r"\s")


def _context_window(text: str, start: int, end: int) -> tuple[int, int]:
    """``[start, end)`` widened by :data:`_CONTEXT` characters each side, to whole words.

    Example:
        >>> _context_window("aaa bbb ccc", 5, 6)
        (0, 11)
    """
    lo, hi = max(0, start - _CONTEXT), min(len(text), end + _CONTEXT)
    if lo > 0:
        before = [m.end() for m in _WORD_EDGE.finditer(text, lo, start)]
        lo = before[0] if before else start
    if hi < len(text):
        last = [m.start() for m in _WORD_EDGE.finditer(text, end, hi)]
        hi = last[-1] if last else end
    return lo, hi


@dataclass
class ChunkMentions:
    """One chunk's mentions, placed in the document, labelled and linked."""

    index: int  # position of the chunk in its document's chunk list
    chunk: ExtractionChunk
    result: ChunkExtraction
    spans: list[tuple[int, int]]  # document offsets
    labels: list[str]  # ontology classes
    surfaces: list[str]
    links: list[GazetteerMatch | None]  # known entity a mention is, by name
    extra: list[GazetteerMatch]  # known entities found by name that the model did not mark
    own: set[int] = field(default_factory=set)  # the user's own organisation (named at a known site)


#: the classes besides Part a model may give a known code (a thing, or an organisation: "THK-BIF4010" beside
#: THK): the code is what the records say it is
_CODE_LABELS = frozenset(
    {"PhysicalObject", "Equipment", "Product", "Organization", "Supplier", "Manufacturer"}
)


def _compatible(label: str, g: GazetteerMatch) -> bool:
    """Whether a mention the model labelled ``label`` may be the known entity ``g``: its class fits, or ``g``
    is an item found by its code: a part number whatever the model read ("THK-BIF4010" as equipment or as
    THK's name: the BOM's part), a tag where the model read an organisation or a thing."""
    if g.label in COMPATIBLE.get(label, ()):
        return True
    if label not in _CODE_LABELS or not looks_like_code(g.surface):
        return False  # a Part: a tag an FMEA names without a register row is only guessed to be equipment
    return g.label == "Part" or (g.label == "Equipment" and label != "Equipment")


def apply_node_rules(cm: ChunkMentions, people: list[str], counts: dict[str, int]) -> None:
    """Judge the mentions the gazetteer did not link (:mod:`kg.ingest.node_rules`): a dropped one gets no
    class (no node, no edge), a re-typed one its class; ``counts`` gets one per rule that decided."""
    for i, (label, surface, link) in enumerate(zip(cm.labels, cm.surfaces, cm.links, strict=True)):
        if link is not None:
            continue
        verdict = judge(label, surface, people)
        if verdict.rule is None:
            continue
        counts[verdict.rule] = counts.get(verdict.rule, 0) + 1
        cm.labels[i] = verdict.label if verdict.keep else DROPPED


def apply_context_rules(cm: ChunkMentions, text: str, counts: dict[str, int]) -> None:
    """The item rules that read the words around a mention. An unlinked one-word item mention that only
    qualifies the item after it (:func:`kg.ingest.not_items.modifies_next`) is no node: it joins that item's
    name when the model marked the item ("[starter] [contactor K1]" → "starter contactor K1"), else it goes
    (:data:`ITEM_MODIFIER`). A code the text calls a batch or lot number goes (:data:`BATCH_CODE`)."""
    items = [i for i, label in enumerate(cm.labels) if label in ITEM_LABELS]
    at = {cm.spans[i][0]: i for i in items}
    for i in items:
        if cm.links[i] is not None or not modifies_next(text, cm.spans[i], at):
            continue
        j = at.get(cm.spans[i][1] + 1)
        if j is not None and cm.links[j] is None and cm.labels[j] in ITEM_LABELS:
            cm.spans[j] = (cm.spans[i][0], cm.spans[j][1])
            cm.surfaces[j] = " ".join(text[cm.spans[j][0] : cm.spans[j][1]].split())
        cm.labels[i] = DROPPED
        counts[ITEM_MODIFIER] = counts.get(ITEM_MODIFIER, 0) + 1
    for i in items:
        if cm.labels[i] != DROPPED and cm.links[i] is None and is_batch_code(text, cm.spans[i]):
            cm.labels[i] = DROPPED
            counts[BATCH_CODE] = counts.get(BATCH_CODE, 0) + 1
    for i in items:
        if cm.labels[i] != DROPPED and cm.links[i] is None:
            _code_alone(cm, i, text, counts)


#: kind words, then a code: "assemblies HO-2SN08-1500", "part 4WE6D6X/EG24N9K4"
_KIND_THEN_CODE = re.compile(r"^(?P<kind>(?:[A-Za-z]+\s+)+)(?P<code>\S*\d\S*)$")


def _code_alone(cm: ChunkMentions, i: int, text: str, counts: dict[str, int]) -> None:
    """An item named by kind words and a code is the code: "[assemblies HO-2SN08-1500]" is the part
    HO-2SN08-1500 (:data:`KIND_BEFORE_CODE`), whose node other mentions of the number share."""
    m = _KIND_THEN_CODE.match(cm.surfaces[i])
    if m is None or not looks_like_code(m["code"]):
        return
    if not all(w.lower() in GENERIC_WORDS for w in m["kind"].split()):
        return
    s, e = cm.spans[i]
    at = text.rfind(m["code"], s, e)
    if at >= 0:
        cm.spans[i], cm.surfaces[i] = (at, at + len(m["code"])), m["code"]
        counts[KIND_BEFORE_CODE] = counts.get(KIND_BEFORE_CODE, 0) + 1


class GazetteerLinker:
    """Per chunk: document spans, ontology labels and cleaned surfaces of the model's mentions, with
    mentions linked to known entities by the gazetteer, and known entities the model missed."""

    def __init__(self, gazetteer: Gazetteer | None):
        self.gazetteer = gazetteer

    def run(self, w: DocumentWork, results: list[ChunkExtraction]) -> list[ChunkMentions]:
        text = w.content.text
        people = people_in(text) if results else []
        out = []
        for index, (chunk, result) in enumerate(zip(w.chunks, results, strict=True)):
            spans, absorbed = repair_spans(
                text, [chunk.document_span(m) for m in result.mentions], [m.label for m in result.mentions]
            )
            surfaces = [" ".join(text[s:e].split()) for s, e in spans]
            cm = ChunkMentions(index, chunk, result, spans, [], surfaces, [None] * len(spans), [])
            cm.labels = self._labels(text, cm, w.outcome.node_rules)
            for j in absorbed:
                cm.labels[j] = DROPPED
                w.outcome.node_rules[IN_PHRASE] = w.outcome.node_rules.get(IN_PHRASE, 0) + 1
            if self.gazetteer is not None:
                self._link(cm, text, w.outcome.node_rules)
                self._link_site_parts(cm, w.outcome.node_rules)
                self._link_code_fragments(cm, text)
            apply_node_rules(cm, people, w.outcome.node_rules)
            apply_context_rules(cm, text, w.outcome.node_rules)
            out.append(cm)
        return out

    def _labels(self, text: str, cm: ChunkMentions, counts: dict[str, int]) -> list[str]:
        """Ontology classes: an organisation is a Manufacturer or Supplier only where the text gives it that
        role, by a relation or by the words around its name (:func:`kg.ingest.mapping.stated_role`); one
        named at a known site ("Northwind Components Ltd, Plant Alpha – Leeds") is the user's own, never
        a supplier, whatever the model says."""
        result, surfaces = cm.result, cm.surfaces
        manufactured = {r.tail for r in result.relations if r.label == "manufacturedBy"}
        supplied = {r.tail for r in result.relations if r.label == "suppliedBy"}
        supplied |= {r.head for r in result.relations if r.label == "provides"}
        labels = []
        for i, (m, surface, (s, e)) in enumerate(zip(result.mentions, surfaces, cm.spans, strict=True)):
            organisation = m.label == "Organization"
            role = stated_role(text[max(0, s - 40) : s], text[e : e + 40]) if organisation else None
            at_site = (
                organisation and self.gazetteer is not None and self.gazetteer.site_after(text[e : e + 60])
            )
            if at_site or role == "Buyer":
                if at_site:  # the buying side may still be a known company: only the site's owner is ours
                    cm.own.add(i)
                rule = OWN_RULE if at_site else BUYER_RULE
                counts[rule] = counts.get(rule, 0) + 1
                labels.append("Organization")
                continue
            labels.append(
                refine_label(
                    m.label,
                    surface,
                    manufactured=i in manufactured or role == "Manufacturer",
                    supplied=i in supplied or role == "Supplier",
                )
            )
        return labels

    def _link(self, cm: ChunkMentions, text: str, counts: dict[str, int]) -> None:
        """Known names in the chunk, and those its edges cut ("Pumpy + Armatury s.r.o." at a chunk's start
        is still KSB's name): a cut name is not added as a mention (its neighbour chunk adds it), but an item
        mention inside it is dropped and a mention of it linked."""
        assert self.gazetteer is not None
        start, end = cm.chunk.offset, cm.chunk.offset + cm.chunk.length
        lo, hi = _context_window(text, start, end)
        for g in self.gazetteer.find(text[lo:hi]):
            g = replace(g, start=g.start + lo, end=g.end + lo)
            cut = g.start < start or g.end > end
            if g.end <= start or g.start >= end:
                continue
            if g.label in ORGANISATIONS:
                self._cut_organisation(cm, text, g, counts)
            overlapping = [
                i
                for i, ((s, e), m) in enumerate(zip(cm.spans, cm.result.mentions, strict=True))
                if s < g.end and g.start < e and _compatible(m.label, g)
                and cm.links[i] is None
            ]  # fmt: skip
            hits = [i for i in overlapping if i not in cm.own or g.label == "Organization"]
            if overlapping and not hits:
                continue  # the user's own organisation is not the supplier of the same name
            if not hits:
                if not cut:
                    cm.extra.append(g)
                continue
            for i in hits:  # the model's mention is that known entity
                cm.links[i], cm.spans[i], cm.labels[i], cm.surfaces[i] = (
                    g,
                    (g.start, g.end),
                    g.label,
                    g.surface,
                )

    @staticmethod
    def _cut_organisation(cm: ChunkMentions, text: str, g: GazetteerMatch, counts: dict[str, int]) -> None:
        """A known organisation's name is no part of an item's: an item mention inside it is dropped ("Pumpy"
        of "KSB Pumpy + Armatury"), one that begins or ends with it loses it ("Parker Hannifin Cylinder rod"
        → "Cylinder rod", "Guide Block HSR25A THK" → "Guide Block HSR25A")."""
        for i, (s, e) in enumerate(cm.spans):
            if cm.links[i] is not None or cm.labels[i] not in ITEM_LABELS or e <= g.start or g.end <= s:
                continue
            if g.start <= s and e <= g.end:
                s, e = e, e  # nothing left
            elif g.start <= s:
                s = g.end
            elif e <= g.end:
                e = g.start
            else:
                continue  # the name inside the item's: leave it
            surface = " ".join(text[s:e].strip(" ,;:-–").split())
            if not any(c.isalpha() for c in surface):
                cm.labels[i] = DROPPED
                counts[ORGANISATION_IN_ITEM] = counts.get(ORGANISATION_IN_ITEM, 0) + 1
                continue
            s = text.index(surface.split()[0], s)
            cm.spans[i], cm.surfaces[i] = (s, s + len(text[s:e].rstrip(" ,;:-–"))), surface

    def _link_site_parts(self, cm: ChunkMentions, counts: dict[str, int]) -> None:
        """An organisation mention (or a capitalised part) that is a distinctive word of one known site's name
        ("Leeds", "Alpha" of "Plant Alpha – Leeds") is that site, not a supplier: the model reads place names
        in letterheads and sign-offs as organisations or items. A place the model reads as a site ("Leeds")
        is the known site it names, not a second site beside it."""
        assert self.gazetteer is not None
        for i, (label, surface, link) in enumerate(zip(cm.labels, cm.surfaces, cm.links, strict=True)):
            named = label in ORGANISATIONS or label == "Site" or (label == "Part" and surface[:1].isupper())
            if link is not None or not named:
                continue
            site = self.gazetteer.site_by_part(surface)
            if site is None:
                continue
            s, e = cm.spans[i]
            cm.links[i] = GazetteerMatch(s, e, "Site", site, surface)
            cm.labels[i] = "Site"
            if label != "Site":  # re-typed, not only linked
                counts["site name part"] = counts.get("site name part", 0) + 1

    def _link_code_fragments(self, cm: ChunkMentions, text: str) -> None:
        """An item mention that is a fragment of one known item's code is that item: "HSR25A" (the maker
        read apart from THK-HSR25A), "CR 40x62x8 HMSA10" (CR-40X62X8-HMSA10V without its suffix), "PH
        [2SN08 1500]" and "6205 [2RSH]" (the code's first token written apart)."""
        assert self.gazetteer is not None
        for i, (label, surface, link) in enumerate(zip(cm.labels, cm.surfaces, cm.links, strict=True)):
            if link is not None or label not in ITEM_LABELS or not looks_like_code(surface):
                continue
            known = self.gazetteer.code_of(surface)
            s, e = cm.spans[i]
            if known is not None:
                cm.links[i] = GazetteerMatch(s, e, known[0], known[1], surface)
                cm.labels[i] = known[0]
            elif (joined := self.gazetteer.code_with_prefix(text, (s, e))) is not None:  # "PH [2SN08 1500]"
                start, label, entity_id = joined
                cm.spans[i], cm.surfaces[i] = (start, e), " ".join(text[start:e].split())
                cm.links[i] = GazetteerMatch(start, e, label, entity_id, cm.surfaces[i])
                cm.labels[i] = label

    def learn_tables(self, group: list[DocumentWork]) -> None:
        """This batch's tables name entities its documents mention: by name and by key."""
        if self.gazetteer is None:
            return
        for w in group:
            for n in w.batch_nodes:  # the names a restart reads back (kg.ingest.service.gazetteer_entries)
                for name in (n.name, n.key, n.properties.get("part_number"), n.properties.get("tag")):
                    if isinstance(name, str) and name:
                        self.gazetteer.add(n.label, name, n.id)
                if n.key:
                    self.gazetteer.add(n.label, n.key, n.id)

    def learn_written(self, entries: Iterable[tuple[str, str, str]]) -> None:
        """The names of the entities a group wrote, as the graph now holds them (as after a restart):
        :func:`~kg.ingest.pipeline.graph_names.gazetteer_entries`."""
        if self.gazetteer is None:
            return
        for label, name, entity_id in entries:
            self.gazetteer.add(label, name, entity_id)
