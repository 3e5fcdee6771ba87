"""Where a named thing stands decides which one is meant. An item named on a machine: in "who supplies the
6205-2RS bearing on LDS-P-101" the bearing is what is asked about and the pump only says which bearing; the
machine's BOM (its sub-assemblies included) picks among the parts of that name. A name several machines
share, with a site: "the conveyor gearbox at Ostrava" is the one standing there. Neither needs "which one?".

Example:
    >>> bool(PLACES.search("the 6205-2RS bearing on the ")), bool(PLACES.search("who supplies "))
    (True, False)
"""

from __future__ import annotations

import itertools
import re

from kg.core.facts import RECORD_EXTRACTORS
from kg.graph import analyst
from kg.graph.knowledge_graph import KnowledgeGraph
from kg.qa.answers import Choice, LinkedEntity
from kg.qa.linking import Mention

#: the words that put an item on a machine: "on", "in", "of", "fitted to", "used in" (then "the", "our")
PLACES = re.compile(
    r"\b(on|in|of|at|from|inside|(fitted|mounted|installed|used) (to|on|in))\s+(the\s+|our\s+)?$",
    re.IGNORECASE,
)


def _names_part(m: Mention) -> bool:
    return "Equipment" not in m.best.labels and any("Part" in c.labels for c in m.candidates)


def placing_equipment(mentions: list[Mention], question: str) -> Mention | None:
    """The equipment mention that places a part named before it ("the bearing code *on LDS-P-101*"), or
    None when the question names no part before a machine it puts it on."""
    ordered = sorted(mentions, key=lambda m: m.start)
    for i, m in enumerate(ordered):
        if "Equipment" not in m.best.labels or not PLACES.search(question[: m.start]):
            continue
        if any(_names_part(other) for other in ordered[:i]):
            return m
    return None


def placed_sub_assembly(kg: KnowledgeGraph, mentions: list[Mention], question: str) -> Mention | None:
    """The equipment mention a question places on the machine named right after it, when the records make it
    that machine's sub-assembly ("the 7.5kw motor *on the coolant supply pump*": the motor); None else."""
    from kg.graph import queries

    ordered = sorted((m for m in mentions if "Equipment" in m.best.labels), key=lambda m: m.start)
    pairs = [(a, b) for a, b in itertools.pairwise(ordered) if PLACES.search(question[a.end : b.start])]
    if not pairs:
        return None
    rows = kg.store.read(queries.equipment_parents(), {"records": list(RECORD_EXTRACTORS)})
    under = {(str(r["child"]), str(r["root"])) for r in rows}
    return next((a for a, b in pairs if (a.best.id, b.best.id) in under), None)


def on_equipment(kg: KnowledgeGraph, equipment_id: str, candidates: list[LinkedEntity]) -> list[LinkedEntity]:
    """The candidates on ``equipment_id``'s BOM at any depth; all of them when none is."""
    lines = analyst.bom(kg, equipment_id, records=RECORD_EXTRACTORS).lines
    on = {x.item_id for x in lines}
    return [c for c in candidates if c.id in on] or candidates


def settled(
    args: dict[str, str], choices: list[Choice], scope: set[str] | None, question: str
) -> tuple[dict[str, str], list[Choice]]:
    """Choices settled by the named site (:func:`at_site`), then by the question's other words
    (:func:`kg.qa.linking.tie_words.settled_by_words`)."""
    from kg.qa.linking.tie_words import settled_by_words

    args, choices = at_site(args, choices, scope)
    return settled_by_words(args, choices, question) if choices else (args, choices)


def at_site(
    args: dict[str, str], choices: list[Choice], scope: set[str] | None
) -> tuple[dict[str, str], list[Choice]]:
    """The arguments and choices once each choice keeps only the candidates standing at the named site
    (``scope``): a choice left with one is settled and its argument set to it."""
    if scope is None:
        return args, choices
    out, left = dict(args), []
    for choice in choices:
        here = [c for c in choice.candidates if c.id in scope]
        if len(here) != 1:
            left.append(choice)
            continue
        for k, v in out.items():
            if any(v == c.id for c in choice.candidates):
                out[k] = here[0].id
    return out, left
