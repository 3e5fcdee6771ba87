"""Items named by their organisation and a few words: "the KTR spider", "the thk guide block", "skf brg on
P-101". Analysts name a part by who makes or sells it and what it is; when exactly one recorded item of that
organisation (or the same company's other nodes) has every word in its name, the words and the organisation
are that item, not a question about the organisation.

Example:
    >>> item_words("guide block"), item_words("brgs")
    ({'guide', 'block'}, {'bearing'})
"""

from __future__ import annotations

import re

from kg.core.facts import RECORD_EXTRACTORS
from kg.core.keys import normalise_name
from kg.graph import queries
from kg.graph.entities import related_organisations
from kg.ingest.resolve import RELATED_LABELS
from kg.qa.linking.index import IndexEntry
from kg.qa.linking.linked_mentions import LinkResult, Mention, tied
from kg.qa.linking.linker import EntityLinker, prefer_identity
from kg.qa.text import expand, singular


def item_words(text: str) -> set[str]:
    """The words of a description, shorthand written out and without a plural ``s``."""
    return {singular(w) for w in re.findall(r"\w+", normalise_name(expand(text)))}


#: a question about the organisation's supply, which the item words only narrow ("trelleborg o-ring supply
#: problem": Trelleborg's outage, not one of its O-rings)
_SUPPLY_TROUBLE = re.compile(
    r"\b(suppl(y|ies|ied)|outages?|disrupt\w*|shortages?|delay\w*|late|force majeure|bankrupt\w*|insolven\w*|"
    r"can(no|')?t deliver|stops?|affected|impact\w*|risk)\b",
    re.IGNORECASE,
)


def organisation_items(linker: EntityLinker, link: LinkResult, question: str) -> None:
    """Replace an organisation mention and the description words right after it ("KTR" + "spider") by the
    one recorded item of that organisation the words describe, or by the several a singular may be ("the
    trelleborg o-ring": which one is asked); nothing changes when none fit, or several fit a plural."""
    kg, index = linker.kg, linker.index()
    loose = sorted([*link.generic, *link.words], key=lambda m: m.start)
    for org in [m for m in link.mentions if RELATED_LABELS.intersection(m.best.labels)]:
        after = _run_after(org, loose, question)
        if not after:
            continue
        ids = [org.best.id, *related_organisations(kg, org.best.id)]
        rows = kg.store.read(
            queries.items_of_organisations(), {"ids": ids, "records": list(RECORD_EXTRACTORS)}
        )
        ends = [m.start + w.end() for m in after for w in re.finditer(r"\S+", m.text)]
        entries: list[IndexEntry] = []
        while ends and not entries:  # "KTR spider alternates": the longest run of words naming items
            words = question[after[0].start : ends[-1]]
            hits = [r for r in rows if item_words(words) <= item_words(str(r["name"] or ""))]
            last = words.split()[-1].lower()
            named = len(hits) == 1 or (singular(last) == last and not _SUPPLY_TROUBLE.search(question))
            ids = [str(r["id"]) for r in hits] if named else []
            entries = [index.by_id[i] for i in ids if i in index.by_id]
            ends = ends if entries else ends[:-1]
        if not entries:
            continue
        text = question[org.start : ends[-1]]
        link.mentions.remove(org)
        for m in after:
            if m.start < ends[-1]:
                (link.generic if m in link.generic else link.words).remove(m)
        found = tied([(e, 0.9) for e in entries], text, "fuzzy")  # several: which one is asked
        link.mentions.append(Mention(text, org.start, ends[-1], "fuzzy", found))
    link.mentions.sort(key=lambda m: m.start)


def _run_after(org: Mention, loose: list[Mention], question: str) -> list[Mention]:
    """The loose mentions that follow ``org`` with nothing but spaces (or 's) between them."""
    out: list[Mention] = []
    end = org.end
    for m in loose:
        if m.start < end:
            continue
        if question[end : m.start].strip().lower() not in ("", "'s", "’s"):
            break
        out.append(m)
        end = m.end
    return out


def recorded_for_prose(linker: EntityLinker, link: LinkResult, scope: set[str] | None) -> None:
    """A mention only prose backs ("the v-belts", a manual's plural) becomes the one recorded part or
    equipment whose name holds its words ("V-belt SPA 1250"), within ``scope`` (a named site's) when given.
    A singular description that several hold is one of them ("the coolant pump": the supply or the return
    pump, a choice to ask for); a plural or a lone kind word ("which pump") that several hold, and a mention
    none holds, stay as they are."""
    changed = False
    for m in link.mentions:
        if not m.candidates or any(c.recorded for c in m.candidates):
            continue
        if not {"Part", "Equipment", "Material"}.intersection(m.best.labels):
            continue
        kinds = (
            ("Material",) if "Material" in m.best.labels else ("Part", "Equipment")
        )  # "FKM": "FKM (Viton)"
        found = linker.described(m, kinds, scope if kinds != ("Material",) else None, head=True)
        words = m.text.lower().split()
        if len(found) == 1 or (found and len(words) > 1 and singular(words[-1]) == words[-1]):
            m.candidates = found
            changed = True
    if changed:  # now a record names it: the mentions only prose backs describe it ("what seals are in ...")
        link.mentions, generic = prefer_identity(link.mentions)
        link.generic = sorted([*link.generic, *generic], key=lambda x: x.start)


def at_named_site(linker: EntityLinker, link: LinkResult, scope: set[str] | None) -> None:
    """A machine or part linked by a name another one shares ("the leeds conveyor gearbox": a report calls
    the Ostrava gearbox "the conveyor gearbox") is the one at the site the question names (``scope``), when
    exactly one recorded there holds the words."""
    if not scope:
        return
    for m in link.mentions:
        if not m.candidates or not {"Part", "Equipment"}.intersection(m.best.labels):
            continue
        if any(c.id in scope for c in m.candidates):
            continue
        found = linker.described(m, ("Part", "Equipment"), scope, head=True)
        if len(found) == 1:
            m.candidates = found
