"""Equipment and parts a question describes rather than names.

Equipment by the words of its register name ("the leeds press power unit", :func:`describe_equipment`).
Parts by their kind and what they sit in (:func:`described_parts`): analysts say "the spindle bearings", not
"Angular contact ball bearing 7014 CD/P4A, hybrid". A description's last word is the part's kind and its
name holds it; each other word is in the part's name or in the name of recorded equipment it is fitted to.

Example:
    >>> description_words("the spindle brgs")
    ('bearing', {'spindle'})
"""

from __future__ import annotations

import itertools
import re

from spacy.lang.en.stop_words import STOP_WORDS

from kg.core.facts import RECORD_EXTRACTORS
from kg.graph import item_queries
from kg.ingest.item_heads import is_item_head
from kg.ingest.resolve import RELATED_LABELS
from kg.qa.answers import LinkedEntity
from kg.qa.linking.linked_mentions import LinkResult, Mention, name_head, tied
from kg.qa.linking.linker import EntityLinker, prefer_identity
from kg.qa.linking.organisation_items import at_named_site, item_words, organisation_items, recorded_for_prose
from kg.qa.linking.tie_words import narrowed_by_words
from kg.qa.text import singular

#: words of a description that name no part or machine
_SKIP = frozenset({"the", "a", "an", "our", "its", "their", "on", "in", "of", "at", "for", "from"})


def description_words(text: str) -> tuple[str, set[str]]:
    """The kind a description ends on and its other words, shorthand written out and singular."""
    words = [w for w in text.lower().split() if w not in _SKIP]
    if not words:
        return "", set()
    head = item_words(words[-1])
    kind = singular(sorted(head)[-1]) if head else ""
    return kind, item_words(" ".join(words[:-1])) - _SKIP


def parts_described(linker: EntityLinker, text: str, scope: set[str] | None) -> list[LinkedEntity]:
    """The recorded parts a description of two words or more names (within ``scope``, a site's, when given);
    tied, best first."""
    kind, qualifiers = description_words(text)
    qualifiers -= linker.vocabulary
    if not kind or not qualifiers:
        return []
    index = linker.index()
    hits = [
        (e, score)
        for e, score in index.containing_words({kind})
        if "Part" in e.labels
        and e.recorded
        and (scope is None or e.id in scope)
        and not only_qualifies(kind, e.name)
    ]
    if not hits:
        return []
    fitted = linker.kg.store.read(
        item_queries.fitted_in(), {"ids": [e.id for e, _ in hits], "records": list(RECORD_EXTRACTORS)}
    )
    context: dict[str, set[str]] = {}
    for r in fitted:
        context.setdefault(str(r["id"]), set()).update(item_words(" ".join(map(str, r["names"] or []))))
    kept = [
        (e, score) for e, score in hits if qualifiers <= item_words(e.name or "") | context.get(e.id, set())
    ]
    return tied(kept, text, "fuzzy", tie=1.0) if kept else []


def only_qualifies(kind: str, name: str | None) -> bool:
    """Whether ``kind`` only qualifies another item in a part's name ("pump" in "Pump casing O-ring"): the
    name's head is another item's head noun."""
    head = name_head(name or "")
    return head != kind and is_item_head(head)


def described_parts(linker: EntityLinker, link: LinkResult, scope: set[str] | None, question: str) -> None:
    """A description only prose or nothing backs ("the spindle bearings", "pump seal") becomes the recorded
    part it describes when the question names no recorded part or equipment otherwise: the one that fits,
    or the several a singular may be (a choice to ask for). A plural that several fit stays as it is.
    Adjacent words are read together first ("pump" and "seal": the pump's seal)."""
    link.mentions.sort(key=lambda m: m.start)
    if any({"Part", "Equipment"} & set(m.best.labels) and any(c.recorded for c in m.candidates)
           for m in link.mentions if m.candidates):  # fmt: skip
        return
    told = [*link.mentions, *link.generic, *link.words]
    loose = sorted([m for m in told if not any(c.recorded for c in m.candidates)], key=lambda m: m.start)
    runs: list[list[Mention]] = []
    for m in loose:
        if runs and not question[runs[-1][-1].end : m.start].strip():
            runs[-1].append(m)
        else:
            runs.append([m])
    for run in runs:
        text = question[run[0].start : run[-1].end]
        found = parts_described(linker, text, scope)
        last = text.lower().split()[-1] if text.split() else ""
        if len(found) == 1 or (len(found) > 1 and singular(last) == last):
            _take(link, run, Mention(text, run[0].start, run[-1].end, "fuzzy", found))
    link.mentions, generic = prefer_identity(sorted(link.mentions, key=lambda x: x.start))
    link.generic = sorted([*link.generic, *generic], key=lambda x: x.start)


def _words(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    return [(lo + w.start(), lo + w.end()) for w in re.finditer(r"\w(?:[\w'’./-]*\w)?", text[lo:hi])]


def _take(link: LinkResult, run: list[Mention], phrase: Mention) -> None:
    for m in run:
        for group in (link.mentions, link.generic, link.words):
            if m in group:
                group.remove(m)
    link.mentions.append(phrase)


def describe_equipment(linker: EntityLinker, scope: set[str] | None, link: LinkResult, question: str) -> None:
    """A description of registered equipment ("the leeds press power unit", "cooling tower pump at
    Ostrava") becomes that equipment when exactly one recorded name holds its words, within ``scope`` (the
    named site's). Adjacent description words are tried together first, the longest run first. An item named
    by its organisation ("the KTR spider") is found first (:mod:`kg.qa.linking.organisation_items`)."""
    organisation_items(linker, link, question)
    recorded_for_prose(linker, link, scope)  # "the v-belts" a manual named: the BOM's "V-belt SPA 1250"
    at_named_site(linker, link, scope)  # "the leeds conveyor gearbox": the one at Leeds
    prose = [m for m in link.mentions if m.candidates and not any(c.recorded for c in m.candidates)]
    # "cnc": a manual's "site"; "5 axis": no name, only suggestions
    loose = sorted([*link.generic, *link.words, *link.unknown, *prose], key=lambda m: m.start)
    unknown = {id(m) for m in link.unknown}  # their candidates are only suggestions
    whole_of = {id(p): (p, m) for m in loose for p in word_pieces(question, m, id(m) in unknown)}
    loose = sorted([p for p, _ in whole_of.values()], key=lambda m: m.start)
    runs: list[list[Mention]] = []
    for m in loose:
        if runs and question[runs[-1][-1].end : m.start].strip(" -–,").lower() in ("", "the", "of"):
            runs[-1].append(m)
        else:
            runs.append([m])
    for run in runs:
        _describe_run(linker, scope, link, question, run, {k: v[1] for k, v in whole_of.items()}, unknown)
    described_parts(linker, link, scope, question)  # "the spindle bearings": the bearing in the spindle unit
    narrowed_by_context(linker, link)  # "the skf 6205 bearing": SKF's of the two 6205 bearings
    narrowed_by_words(link, question)  # "15kw circ pump motor": the 15 kW circulation pump's


def _describe_run(
    linker: EntityLinker,
    scope: set[str] | None,
    link: LinkResult,
    question: str,
    run: list[Mention],
    whole_of: dict[int, Mention],
    unknown: set[int],
) -> None:
    """The longest stretch of ``run`` that describes one recorded machine, or one of its sub-assemblies ("the
    400t press hpu": the power unit of the 400 t press) becomes that machine's mention. A stretch that leaves
    out words of a name nothing matched ("spindle" of "spindle bearings") may only be a sub-assembly."""
    for size in range(len(run), 0, -1):
        for i in range(len(run) - size + 1):
            part = run[i : i + size]
            start, end = part[0].start, part[-1].end
            phrase = Mention(question[start:end], start, end, "fuzzy", [])
            wholes = {id(whole_of[id(m)]): whole_of[id(m)] for m in part}
            nxt = run[i + size] if i + size < len(run) else None
            if (
                nxt is not None
                and not question[end : nxt.start].strip()
                and whole_of[id(nxt)] in wholes.values()
                and parts_described(linker, question[start : nxt.end], scope)
            ):
                continue  # "spindle bearings": the bearing of the spindle, not the spindle
            cut = any(k in unknown and (w.start < start or w.end > end) for k, w in wholes.items())
            head = ends_noun(question, end)
            found = None if cut else linker.describe(phrase, ("Equipment",), scope, head=head)
            found = found or _sub_assembly(linker, scope, question, part)
            if found is not None:
                for whole in wholes.values():
                    _take_span(link, question, whole, (start, end))
                phrase.candidates = [found]
                link.mentions.append(phrase)
                return


def _sub_assembly(
    linker: EntityLinker, scope: set[str] | None, question: str, part: list[Mention]
) -> LinkedEntity | None:
    """The one sub-assembly a description names by its machine's words, then its own ("400t press" +
    "hpu"), when the machine is one recorded machine and the last words fit one of its sub-assemblies."""
    from kg.graph import queries

    gaps = [question[a.end : b.start] for a, b in itertools.pairwise(part)]
    if any(g.strip() for g in gaps) or any(_WITH.fullmatch(m.text) for m in part):
        return None  # "the 400t press, hpu included", "the cnc incl. spindle": both machines, not one
    for k in range(len(part) - 1, 0, -1):
        machine = Mention(
            question[part[0].start : part[k - 1].end], part[0].start, part[k - 1].end, "fuzzy", []
        )
        parent = linker.describe(machine, ("Equipment",), scope)
        if parent is None:
            continue
        own = Mention(question[part[k].start : part[-1].end], part[k].start, part[-1].end, "fuzzy", [])
        if item_words(own.text) <= item_words(parent.name or ""):
            continue  # "cooling tower" + "pump": the pump's own name holds it, no sub-assembly is meant
        rows = linker.kg.store.read(queries.equipment_parents(), {"records": list(RECORD_EXTRACTORS)})
        below = {str(r["child"]) for r in rows if str(r["root"]) == parent.id}
        found = linker.describe(own, ("Equipment",), below) if below else None
        if found is not None:
            return found
    return None


#: words that add a machine to another rather than name a part of it
_WITH = re.compile(r"(incl\.?|including|inc|plus|with|and|&|\+)", re.IGNORECASE)


def word_pieces(question: str, m: Mention, unknown: bool = False) -> list[Mention]:
    """A run of unmatched words (or of ``unknown`` ones, with suggestions only) one content word at a time,
    so a description inside it can be found ("hpu - all wo's", "250 t press hpu"); any other mention as it
    is."""
    words = _words(question, m.start, m.end)
    if (m.candidates and not unknown) or len(words) < 2:
        return [m]
    content = [(s, e) for s, e in words if question[s:e].casefold() not in STOP_WORDS]
    return [Mention(question[s:e], s, e, m.method, []) for s, e in content]


def _take_span(link: LinkResult, question: str, m: Mention, span: tuple[int, int]) -> None:
    """Take ``span`` (a description found) out of the loose mention ``m``: the words of ``m`` outside it stay,
    as a run of their own on each side."""
    groups = (link.generic, link.words, link.unknown, link.mentions)
    holding = [(g, x) for g in groups for x in g if x is m or (x.start <= span[0] and span[1] <= x.end)]
    if not holding:  # an earlier description of the same run of words took these already
        return
    group, m = next(((g, x) for g, x in holding if x is m), holding[0])
    group.remove(m)
    for lo, hi in ((m.start, span[0]), (span[1], m.end)):
        lo, hi = max(lo, m.start), min(hi, m.end)
        words = _words(question, lo, hi)
        if words:
            s, e = words[0][0], words[-1][1]
            group.append(Mention(question[s:e], s, e, m.method, []))


def ends_noun(question: str, end: int) -> bool:
    """Whether the words before ``end`` end a noun phrase: the question ends there, or goes on with
    punctuation, a function word ("the ostrava press in 2024"), an adverb or a verb ("the leeds compressor
    typically fails"), not another noun ("press line")."""
    nxt = re.match(r"\s*([A-Za-z]+)", question[end:])
    if nxt is None:
        return True
    word = nxt.group(1).casefold()
    return (
        word in STOP_WORDS
        or word.endswith("ly")
        or _VERB_AFTER_NOUN.fullmatch(word) is not None  # "compressor typically fail"
        or _ASKED_AFTER_NOUN.fullmatch(word) is not None  # "leeds compressor bom pls"
    )


#: verbs that follow the machine a question names: "the ostrava pump fails", "the leeds press leaks"
_VERB_AFTER_NOUN = re.compile(
    r"(fail|leak|break|broke|trip|overheat|vibrate|stop|run|use|need)(s|d|ed|ing|ped)?"
)


#: what a question asks for of the machine it has just named: "the leeds compressor bom", "pump wo's"
_ASKED_AFTER_NOUN = re.compile(
    r"(boms?|wos?|history|fmeas?|failures?|suppliers?|vendors?|docs?|documents?|manuals?|spares|alts?|"
    r"alternatives?)"
)


def narrowed_by_context(linker: EntityLinker, link: LinkResult) -> None:
    """A mention tied between recorded parts keeps those the question's organisation supplies or makes ("the
    skf 6205 bearing") and those fitted to its equipment ("the trelleborg o-ring on the leeds press"), when
    some are; otherwise it stays a choice to ask for."""
    from kg.graph import queries
    from kg.graph.entities import related_organisations

    kg = linker.kg
    records = list(RECORD_EXTRACTORS)
    for m in link.mentions:
        ids = {c.id for c in m.candidates if c.recorded and "Part" in c.labels}
        if len(ids) < 2 or len(ids) < len(m.candidates):
            continue
        others = [x.best for x in link.mentions if x is not m and x.candidates and x.best.recorded]
        orgs = [o.id for o in others if RELATED_LABELS.intersection(o.labels)]
        for o in list(orgs):
            orgs += related_organisations(kg, o)
        if orgs:
            rows = kg.store.read(queries.items_of_organisations(), {"ids": orgs, "records": records})
            theirs = {str(r["id"]) for r in rows}
            ids = ids & theirs or ids
        machines = {o.id for o in others if "Equipment" in o.labels}
        if machines and len(ids) > 1:
            rows = kg.store.read(item_queries.fitted_in(), {"ids": sorted(ids), "records": records})
            fitted = {str(r["id"]) for r in rows if machines & set(r["equipment_ids"] or [])}
            ids = ids & fitted or ids
        if len(ids) < len(m.candidates):
            m.candidates = [c for c in m.candidates if c.id in ids]
