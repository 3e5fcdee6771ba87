"""What a question asks besides its words: the mentions assigned to a tool's slots (required, then optional),
the sites it names (conditions, not subjects), a site it names that the graph lacks, the conditions as tool
arguments, and the question masked for the router.

Example:
    >>> mask("Who supplies 6205-2RSH?", [Mention("6205-2RSH", 13, 22, "exact", [])])
    'Who supplies {X}?'
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from kg.graph.knowledge_graph import KnowledgeGraph
from kg.qa.answers import Choice, LinkedEntity
from kg.qa.causal import (
    ACTIONS,
    CAUSAL,
    FAILURE_WORDS,
    WHY,
    causal_arguments,
    unlinked_failures,
)
from kg.qa.constraints import Constraints, document_kinds
from kg.qa.history_words import history_arguments, names_organisation
from kg.qa.linking import EntityLinker, LinkResult, Mention, prefer
from kg.qa.linking.index import EntityIndex
from kg.qa.linking.linked_mentions import tied
from kg.qa.linking.linker import identifies, is_code
from kg.qa.named_documents import NamedDocument
from kg.qa.on_equipment import on_equipment, placed_sub_assembly, placing_equipment
from kg.qa.tools import Slot, Tool
from kg.qa.tools.base import ASSET, ITEM, site_scope
from kg.qa.tools.fmea_documents import named_fmea

METHOD_RANK = {"given": 0, "exact": 1, "fuzzy": 2, "fulltext": 3, "embedding": 4}


def assign(
    tool: Tool, mentions: list[Mention], linker: EntityLinker | None = None, question: str | None = None
) -> tuple[dict[str, str], list[Choice], bool]:
    """Mentions to the tool's slots in question order: (arguments, ambiguous choices, a slot left empty).

    A mention none of whose candidates has a class the slot takes is looked up again among entities of
    those classes (``linker.relink``), so "air compressor" finds the compressors, not a product of that name.
    Optional slots then take what fits among the mentions left ("documents" about a named supplier).
    """
    args: dict[str, str] = {}
    choices: list[Choice] = []
    free = list(mentions)
    placing = None
    if len(tool.slots) == 1:  # one entity: the surest mention (a code, an exact name) before looser ones
        free.sort(key=lambda m: (METHOD_RANK.get(m.method, 9), not is_code(m), m.start))
        if tool.slots[0].labels == ITEM and question:  # "the 6205-2RS bearing on LDS-P-101": the bearing
            placing = placing_equipment(mentions, question)
            free.sort(key=lambda m: m is placing)
    for slot in tool.slots:
        pick = _pick(slot, free, linker)
        if pick is None:
            return args, choices, True
        m, fitting = pick
        if placing is not None and m is not placing and linker is not None:
            fitting = on_equipment(linker.kg, placing.best.id, fitting)  # the one on that machine
        free.remove(m)
        args[slot.name] = fitting[0].id
        if len({c.id for c in fitting}) > 1:
            choices.append(Choice(mention=m.text, candidates=fitting))
    free = [m for m in free if m.method == "given" or identifies(m) or names_organisation(m)]
    free.sort(key=lambda m: (METHOD_RANK.get(m.method, 9), not is_code(m), m.start))
    if linker is not None and question and any(s.labels == ASSET for s in tool.optional):
        placed = placed_sub_assembly(linker.kg, free, question)  # "the motor on the pump": the motor
        free.sort(key=lambda m: m is not placed)
    for slot in tool.optional:
        if slot.name == "exclude" and not (question and EXCLUSION.search(question)):
            continue  # "interchangeable pn for THK HSR25A": THK names the part, it excludes nothing
        pick = _pick(slot, free, None)
        if pick is not None:
            m, fitting = pick
            free.remove(m)
            args[slot.name] = fitting[0].id
            if len({c.id for c in fitting}) > 1 and slot.name != "exclude":  # "not from hydac": either
                choices.append(Choice(mention=m.text, candidates=fitting))
    return args, choices, False


def _machine_of_failure(tool: Tool, args: dict[str, str], mentions: list[Mention]) -> str | None:
    """For documents about a failure the question names with its machine ("where's the spindle overheating
    written up"): the machine, whose documents the failure's words then narrow; a failure-mode name alone
    may be another machine's."""
    if tool.name != "documents" or not args.get("entity", "").startswith("FailureMode:"):
        return None
    return machine_named(mentions)


def machine_named(mentions: list[Mention]) -> str | None:
    """The first recorded machine a question's mentions name, if any."""
    machine = next((m for m in mentions if "Equipment" in m.best.labels and identifies(m)), None)
    return machine.best.id if machine is not None else None


def _pick(
    slot: Slot, free: list[Mention], linker: EntityLinker | None
) -> tuple[Mention, list[LinkedEntity]] | None:
    for m in free:
        fitting = prefer(m.candidates, slot.labels)
        if fitting:
            return m, fitting
    if linker is not None:  # an identified mention is what it is: "SKF" the supplier, never a part named so
        for m in free:
            fitting = linker.relink(m, slot.labels) if m.method != "given" and not identifies(m) else []
            if fitting:
                m.candidates = fitting + m.candidates
                return m, fitting
    return None


#: words that make a named supplier the one to avoid ("other source than SKF", "Parker can't deliver")
EXCLUSION = re.compile(
    r"\b(other( \w+)? than|besides|except|apart from|instead of|else|another|alternative to|"
    r"can'?t|cannot|can not|won'?t|not from|no longer|without|replace|lets? (us )?down|let us down|"
    r"goes? (bust|bankrupt|under)|fails? to deliver|force majeure)\b",
    re.IGNORECASE,
)


#: "at plant gamma", "in the Brno plant", "site Alpha": words that name a place as a site
_PLACE = re.compile(
    r"\b(?:plant|site|factory|works|facility)\s+(?!of\b|in\b|at\b|and\b|(?:fire|flood|explosion|closure|"
    r"shutdown|outage|strike|stop(?:page)?|incident|manager|director|engineer|lead|head)s?\b)([a-z][\w-]*(?:\s*[–-]\s*[a-z][\w-]*)?)"
    r"|\b(?:at|in)\s+(?:the\s+)?([a-z][\w-]*)\s+(?:plant|site|factory|works)\b",
    re.IGNORECASE,
)


def unknown_place(
    question: str, known: list[Mention], index: EntityIndex, vocabulary: set[str]
) -> str | None:
    """The place a question names as a site when no site of the graph has that name (None otherwise);
    question words ("which site has") and words that name something known ("plant fire": a failure
    effect; ``known`` holds every mention linked) name no place."""
    for m in _PLACE.finditer(question):
        name = m.group(1) or m.group(2)
        words = [w for w in re.findall(r"[^\W\d_]+", name.casefold()) if w not in vocabulary]
        if not words or any(k.start <= m.start(1 if m.group(1) else 2) < k.end for k in known):
            continue
        if not all(w in index.site_parts for w in words):
            return m.group(0).strip()
    return None


#: words that say the rest describes what a document is about
ABOUT_CUE = re.compile(
    r"\b(about|covers?|covering|regarding|concerning|describ\w+|talks? about|deals? with|"
    r"(for|on) (the|our))\b",
    re.IGNORECASE,
)


#: a question after one document ("the force majeure letter", "which report"), not a list of them
ONE_DOCUMENT = re.compile(
    r"\b(the|which|what|that)\s+(?:[\w-]+\s+){0,4}?(document|doc|report|letter|notice|certificate|cert|8d|ncr|"
    r"datasheet|offer|quote|quotation|purchase order|po|file|manual|coc|complaint|pcn)\b(?!s)",
    re.IGNORECASE,
)


def site_words(link: LinkResult, index: EntityIndex) -> None:
    """A site's name word in a mention only prose backs, whose other words describe equipment ("ostrava
    press", a name a letter used), is the site: the mention gives way to that word, linked to the site, for
    :func:`take_sites` to take. A supplier named after its town ("Hydraulika Ostrava") stays itself, and a
    word that names equipment names no site only prose holds ("hose" of a letter's "Parker hose plant")."""
    for pool in (link.mentions, link.generic):
        for m in list(pool):
            if identifies(m):
                continue
            words = [w for w in re.finditer(r"[^\W\d_][\w'.-]*", m.text)]
            for w in words:
                found = index.site_by_part(w.group())
                others = {x.group().casefold() for x in words if x is not w}
                own = found and (found[0].recorded or not _describes_equipment(w.group().casefold(), index))
                if own and all(_describes_equipment(o, index) for o in others):
                    start = m.start + w.start()
                    site = Mention(
                        w.group(),
                        start,
                        start + len(w.group()),
                        "exact",
                        tied([(found[0], 0.95)], w.group(), "exact"),
                    )
                    pool.remove(m)
                    link.mentions.append(site)
                    break
    link.mentions.sort(key=lambda m: m.start)


def _describes_equipment(word: str, index: EntityIndex) -> bool:
    """Whether a word is one recorded equipment or parts names use ("press", "line"), not a proper name's
    ("hydraulika" of Hydraulika Ostrava, a supplier)."""
    return any(
        e.recorded and {"Equipment", "Part"} & set(e.labels) for e, _ in index.containing_words({word})
    )


def take_sites(link: LinkResult) -> list[Mention]:
    """Take the mentions that name a site out of ``link``: they narrow an answer ("at Ostrava"), they are not
    its subject. A mention is a site when its best-backed sure candidate is one a record backs ("ostrava" is
    Plant Beta – Ostrava, not a part a letter once named so; a prose-only "CNC" narrows nothing)."""
    sites: list[Mention] = []
    rest: list[Mention] = []
    for m in link.mentions:
        best = prefer(m.candidates, ())
        site = best and "Site" in best[0].labels and best[0].recorded and m.method != "given"
        (sites if site else rest).append(m)
    link.mentions = rest
    return sites


@dataclass
class Asked:
    """What the question asks besides its subject: conditions read from its words, and the sites it names."""

    constraints: Constraints
    sites: list[Mention]
    generic: list[Mention] = field(default_factory=list)  # words that matched only prose entities
    words: list[Mention] = field(default_factory=list)  # content words that matched nothing
    documents: list[NamedDocument] = field(default_factory=list)  # named by number ("8D-2024-017")
    unknown_numbers: list[str] = field(default_factory=list)  # document numbers no document carries

    def arguments(
        self, question: str, tool: Tool, args: dict[str, str], mentions: list[Mention]
    ) -> dict[str, str]:
        """The conditions as tool arguments (shown in the answer's trace), and the tool's own parameters."""
        c = self.constraints
        out: dict[str, str] = {}
        if self.sites:
            best = prefer(self.sites[0].candidates, ("Site",))
            if best:
                out["site"] = best[0].id
        if c.since:
            out["since"] = c.since.isoformat()
        if c.until:
            out["until"] = c.until.isoformat()
        if c.open_only:
            out["open_only"] = "yes"
        if tool.params is not None:
            out.update(tool.params(question))
        self._named_documents(question, tool, out)
        loose = sorted([*self.generic, *self.words], key=lambda m: m.start)
        if tool.name == "decline" and "property" not in out and loose:
            out["property"] = " ".join(m.text for m in loose)  # "operating temperature limit"
        if (
            c.doc_kinds
            and "document_kinds" not in out
            and (tool.name == "documents" or args.get("of") == "documents")
        ):
            out["document_kinds"] = ",".join(c.doc_kinds)
        if anchor := _machine_of_failure(tool, args, mentions):  # "the spindle overheating ... written up"
            args, out["entity"] = {**args, "entity": anchor}, anchor
        used = set(args.values())
        left_over = [m for m in mentions if not any(x.id in used for x in m.candidates)]
        told = list(self.generic)  # descriptions ("seal leak", "brgs and seals"), not entities
        if "failure_history" in (tool.name, args.get("of")):
            out.update(history_arguments(question, self.generic, self.words, mentions, left_over, used))
        loose = [*self.generic, *self.words, *(left_over if tool.name == "materials" else [])]
        named = [m.text for m in sorted(loose, key=lambda m: m.start)]  # "the impeller of OST-P-201" too
        if named and ({tool.name, args.get("of")} & {"bom", "suppliers_of", "alternatives", "materials"}):
            out["about"] = " | ".join(named)  # "what brgs and seals are in ...": items named so
        unused = [m for m in mentions if not any(x.id in used for x in m.candidates)]
        description = [m.text for m in sorted([*unused, *self.generic, *self.words], key=lambda m: m.start)]
        if description and "documents" in (tool.name, args.get("of")):
            out["about"] = " ".join(description)  # "the force majeure letter", "the 8D about the seal leak"
            if ABOUT_CUE.search(question) or ONE_DOCUMENT.search(question):
                out["described"] = (
                    "yes"  # "the report covering X", "the force majeure letter": the best match
                )
        if "failure_chains" in (tool.name, args.get("of")):
            out.update(self._causal(question, args, told, unused))
        return out

    def _causal(
        self, question: str, args: dict[str, str], told: list[Mention], unused: list[Mention]
    ) -> dict[str, str]:
        """A failure chain's description (:func:`kg.qa.causal.causal_arguments`): the mentions no argument
        took, the words that only describe, and those that say how something fails."""
        acts = [m for m in self.words if ACTIONS.search(question) or FAILURE_WORDS.search(m.text)]
        placing = [m for m in unused if args.get("asset") and "Equipment" in m.best.labels and identifies(m)]
        fmea = (named_fmea(question) or "\0").casefold()  # "in the ostrava press line fmea": names no failure
        told = sorted(  # "the motor on the coolant supply pump runs hot": the pump places it, says no failure
            [
                m
                for m in [*unused, *told, *acts]
                if not CAUSAL.fullmatch(m.text) and m not in placing and m.text.casefold() not in fmea
            ],
            key=lambda m: m.start,
        )
        if WHY.match(question) and not any(FAILURE_WORDS.search(m.text) for m in told):
            spans = [(m.start, m.end) for m in [*told, *self.sites, *placing]]
            told = sorted([*told, *unlinked_failures(question, spans)], key=lambda m: m.start)
        return causal_arguments(question, " ".join(m.text for m in told), told[0].start) if told else {}

    def _named_documents(self, question: str, tool: Tool, out: dict[str, str]) -> None:
        """The documents the question names by number: those the documents tool lists, or the one whose
        contents are asked for (the number's own document first), or the number no document carries."""
        if self.documents and tool.name == "documents":
            out["documents"] = ",".join(dict.fromkeys(d.id for d in self.documents))
            blanked = question
            for d in self.documents:  # "documents citing NCR-2024-031" asks for no NCR: the number says "ncr"
                blanked = blanked[: d.start] + " " * (d.end - d.start) + blanked[d.end :]
            out.pop("document_kinds", None)
            if kinds := document_kinds(blanked):
                out["document_kinds"] = ",".join(kinds)
        elif self.documents:
            out["document"] = ([d for d in self.documents if d.own] or self.documents)[0].id
        elif self.unknown_numbers and tool.name == "document_contents":
            out["number"] = self.unknown_numbers[0]

    def trace(self, args: dict[str, str]) -> dict[str, Any]:
        """What was read and used: document kinds only where documents were asked for."""
        out = self.constraints.trace()
        if "document_kinds" not in args:
            out.pop("document_kinds", None)
        if self.sites:
            out["site"] = self.sites[0].text
        if self.documents:
            out["document"] = self.documents[0].mention
        return out


def site_scope_of(kg: KnowledgeGraph, sites: list[Mention]) -> set[str] | None:
    """The ids of what stands at the first site the question names (None: no site named)."""
    best = prefer(sites[0].candidates, ("Site",)) if sites else []
    return site_scope(kg, best[0].id) if best else None


def kind_filter(question: str, link: LinkResult, sites: list[Mention]) -> None:
    """In a listing of a kind of equipment ("how many pumps are at ostrava", "which presses do we have") the
    kind word is a type filter of the listing, not an entity the documents happen to name "pump": such
    mentions move to ``link.generic``."""
    from kg.qa.tools.shapes import ENTITIES, listing_params

    kind = listing_params(question).get("kind")
    if kind is None:
        return
    words = {kind, kind + "s", kind + "es"}
    named = [m for m in link.mentions if m.text.casefold() in words]
    rest = [m for m in link.mentions if m not in named]
    if named and ENTITIES.matches_rule(mask(question, rest, sites)):
        link.mentions = rest
        link.generic += named


def mask(question: str, mentions: list[Mention], sites: list[Mention] = ()) -> str:  # type: ignore[assignment]
    """The question with each linked mention replaced by {X}, {Y}, ... and each site by "site" (what the
    router compares)."""
    out, last = [], 0
    marks = [(m, None) for m in mentions if m.end > m.start] + [(m, "site") for m in sites if m.end > m.start]
    k = 0
    for m, word in sorted(marks, key=lambda x: x[0].start):
        if m.start < last:
            continue
        if word is None:
            word = "{" + "XYZ"[min(k, 2)] + "}"
            k += 1
        out += [question[last : m.start], word]
        last = m.end
    return "".join([*out, question[last:]])
