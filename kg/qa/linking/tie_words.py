"""A mention tied between entities is the one whose name holds the question's other words: "15kw circ pump
motor" (the 15 kW circulation pump's motor, not the 7.5 kW coolant pump's), "hydac germany (the gmbh, not
the uk co)" (HYDAC International GmbH). A word after "not" counts against the name that holds it.

Example:
    >>> from kg.qa.answers import LinkedEntity
    >>> from kg.qa.linking.linked_mentions import Mention
    >>> def e(i, n): return LinkedEntity(id=i, name=n, labels=["Equipment"], mention="pump motor",
    ...                                   method="fuzzy", score=0.9)
    >>> m = Mention("pump motor", 9, 19, "fuzzy", [e("a", "Coolant supply pump motor 7.5 kW"),
    ...                                            e("b", "Circulation pump motor 15 kW")])
    >>> narrowed_by_words(LinkResult(mentions=[m]), "15 kw circ pump motor - what is it part of")
    >>> [c.id for c in m.candidates]
    ['b']
"""

from __future__ import annotations

import re

from spacy.lang.en.stop_words import STOP_WORDS

from kg.qa.answers import Choice
from kg.qa.linking.linked_mentions import LinkResult
from kg.qa.linking.vocabulary import GENERIC

_WORD = re.compile(r"[^\W_]+")
#: the classes whose names tell tied entities apart by a number, a unit or a legal form
_NAMED = frozenset({"Equipment", "Part", "Product", "Supplier", "Manufacturer", "Organization"})
#: a word after one of these (within three words) says which entity is not meant
_NEGATION = re.compile(r"\b(not|no|except|excluding|other than|rather than)\b", re.IGNORECASE)


def narrowed_by_words(link: LinkResult, question: str) -> None:
    """Each tied mention keeps the one candidate whose name holds the most of the question's words outside
    every mention (a number, a unit, a legal form, an abbreviation of a name word: "circ"), when one does."""
    taken = [(m.start, m.end) for m in link.mentions]
    words = [
        (w.group().casefold(), negated(question, w.start()))
        for w in _WORD.finditer(question)
        if not any(s <= w.start() < e for s, e in taken)
        and w.group().casefold() not in STOP_WORDS
        and w.group().casefold() not in GENERIC
    ]
    if not words:
        return
    for m in link.mentions:
        if len(m.candidates) < 2 or not all(_NAMED.intersection(c.labels) for c in m.candidates):
            continue  # machines, parts and organisations only: a failure's words are the question's too
        scores = [_score(c.name or c.id, words) for c in m.candidates]
        if _one_top(scores):
            m.candidates = [m.candidates[scores.index(max(scores))]]


def _one_top(scores: list[int]) -> bool:
    """One candidate scores best, and some word speaks for it or against another."""
    top = max(scores)
    return scores.count(top) == 1 and (top > 0 or min(scores) < 0)


def _score(name: str, words: list[tuple[str, bool]]) -> int:
    tokens = [t.casefold() for t in _WORD.findall(name)]
    score = 0
    for word, negated in words:
        if any(t == word or (len(word) >= 4 and t.startswith(word)) for t in tokens):
            score += -1 if negated else 1
    return score


def negated(question: str, at: int) -> bool:
    """Whether the word at ``at`` follows "not", "except" or "excluding" within three words."""
    before = question[max(0, at - 30) : at]
    last = list(_NEGATION.finditer(before))
    return bool(last) and len(_WORD.findall(before[last[-1].end() :])) <= 2


def settled_by_words(
    args: dict[str, str], choices: list[Choice], question: str
) -> tuple[dict[str, str], list[Choice]]:
    """The arguments and choices once each choice between machines, parts or organisations keeps the one
    candidate whose name holds the most of the question's other words (:func:`narrowed_by_words`), when one
    does: a choice so settled sets its argument."""
    out, left = dict(args), []
    for choice in choices:
        start = question.casefold().find(choice.mention.casefold())
        end = start + len(choice.mention) if start >= 0 else -1
        words = [
            (w.group().casefold(), negated(question, w.start()))
            for w in _WORD.finditer(question)
            if not start <= w.start() < end
            and w.group().casefold() not in STOP_WORDS
            and w.group().casefold() not in GENERIC
        ]
        named = all(_NAMED.intersection(c.labels) for c in choice.candidates)
        scores = [_score(c.name or c.id, words) for c in choice.candidates] if named else [0]
        if not _one_top(scores):
            left.append(choice)
            continue
        chosen = choice.candidates[scores.index(max(scores))].id
        for k, v in out.items():
            if any(v == c.id for c in choice.candidates):
                out[k] = chosen
    return out, left
