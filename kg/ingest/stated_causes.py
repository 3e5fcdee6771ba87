"""Failure chains a document states in words: "the caliper could fracture, causing a loss of brake fluid",
"the seal leaked due to a hardened lip", "overheating and subsequent loss of control", "the pin may break and
the link become inoperative". Recall notices, airworthiness directives and 8D reports say cause and effect
with a handful of connectives; the extractor marks the failures but often misses the CAUSES between two of
them, so a connective between two neighbouring failure mentions of one sentence gives it.

Two failure mentions pair when nothing between them ends a sentence or names a third failure, and the words
between them are a connective:

- forward ("A causing B", "A, which can result in B", "A, posing a risk of B", "A and subsequent B"): A
  causes B;
- backward ("A due to B", "A caused by B", "A as a result of B", "A resulting from B"): B causes A;
- "and" between a failure mode and an effect ("the caliper could fracture and brake fluid would be lost"):
  the mode causes the effect. Two modes or two effects joined by "and" are a list, not a chain.

Only the pairs the ontology allows are given (``mfg:causes``: a cause leads to a mode, a mode to a mode or
an effect); the order of a pair is the connective's, never the labels'.

Example:
    >>> text = "The caliper could fracture, resulting in a loss of brake fluid."
    >>> stated_causes(text, [((18, 26), "FailureMode"), ((43, 62), "FailureEffect")])
    [(0, 1)]
    >>> text = "Hose burst due to abrasion."
    >>> stated_causes(text, [((5, 10), "FailureMode"), ((18, 26), "FailureCause")])
    [(1, 0)]
    >>> listed = [((0, 9), "FailureMode"), ((14, 22), "FailureMode")]
    >>> stated_causes("Corrosion and cracking were found.", listed)
    []
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable

#: the extractor name on the evidence of these edges
STATED_CAUSE = "stated-cause/0.1"
#: the ingest report's count of the edges these give (with the node rules' counts)
CAUSE_RULE = "stated cause (CAUSES added)"
FAILURE_LABELS = ("FailureCause", "FailureMode", "FailureEffect")
#: (cause, effect) classes ``mfg:causes`` allows (ontology/manufacturing.ttl)
CHAIN = frozenset(
    {("FailureCause", "FailureMode"), ("FailureMode", "FailureMode"), ("FailureMode", "FailureEffect")}
)

_MODAL = r"(?:(?:can|could|may|might|will|would|did|does|do)\s+)?"
_ADVERB = r"(?:(?:eventually|ultimately|potentially|possibly|then|also|thereby|in\s+turn)\s+)?"
_DETERMINER = r"(?:(?:an?|the|its|their)\s+)?"
_RISK = (
    r"(?:(?:an?\s+)?(?:increased\s+|potential\s+|possible\s+|serious\s+)?"
    r"(?:risk|hazard|chance|likelihood|potential|danger)\s+(?:of|for)\s+)?"
)
_LEADS = (
    r"(?:caus(?:e|es|ed|ing)|result(?:s|ed|ing)?\s+in|lead(?:s|ing)?\s+to|led\s+to|"
    r"pos(?:e|es|ed|ing)|creat(?:e|es|ed|ing)|present(?:s|ed|ing)?|produc(?:e|es|ed|ing)|"
    r"increas(?:e|es|ed|ing)\s+the\s+(?:risk|chance|likelihood|potential)\s+(?:of|for)|"
    r"trigger(?:s|ed|ing)?|induc(?:e|es|ed|ing)|allow(?:s|ed|ing)?|contribut(?:e|es|ed|ing)\s+to)\s+"
)
#: "A, causing B", "A, which could result in B", "A that can lead to a risk of B", "A and cause B"
_FORWARD = re.compile(
    rf"^,?\s*(?:(?:which|that|and|this)\s+)?{_MODAL}{_ADVERB}(?:have\s+|has\s+)?{_LEADS}"
    rf"(?:(?:in|to)\s+)?{_DETERMINER}{_RISK}{_DETERMINER}$",
    re.IGNORECASE,
)
#: "A, causing the blade assembly to B", "A could cause the link between the sleeve and the lever to B"
_CAUSING_TO = re.compile(
    rf"^,?\s*(?:(?:which|that|and|this)\s+)?{_MODAL}{_ADVERB}(?:caus(?:e|es|ed|ing)|allow(?:s|ed|ing)?)\s+"
    r"(?:the|a|an|its|their|his|her|this|these)\s+[^,;:.!?()]{1,60}?\s+to\s+(?:(?:be|become)\s+)?$",
    re.IGNORECASE,
)
#: "A and subsequent B", "A with resulting B"
_SUBSEQUENT = re.compile(
    r"^,?\s*(?:and|with)\s+(?:the\s+)?(?:subsequent|consequent|resultant|resulting|eventual)\s+$",
    re.IGNORECASE,
)
#: "A due to B", "A was caused by B", "A, which was the result of B", "A resulting from B"
_BACKWARD = re.compile(
    r"^,?\s*(?:(?:which|that)\s+)?(?:(?:was|is|were|are|has\s+been|have\s+been)\s+)?"
    r"(?:(?:probably|likely|possibly|apparently|mainly|partly|primarily)\s+)?"
    r"(?:due\s+to|caused\s+by|because\s+of|as\s+a\s+(?:direct\s+)?result\s+of|resulting\s+from|"
    r"(?:the\s+)?(?:direct\s+)?result\s+of|attributed\s+to|owing\s+to|induced\s+by|triggered\s+by|"
    r"originat(?:ed|ing)\s+(?:at|from|in))\s+"
    rf"{_DETERMINER}$",
    re.IGNORECASE,
)
_AND = re.compile(r"^,?\s*and\s+(?:then\s+)?$", re.IGNORECASE)
#: at most this many characters between two mentions of one chain
_MAX_GAP = 90


def _direction(gap: str, first: str, second: str) -> int:
    """1: the first mention causes the second; -1: the second the first; 0: no stated link."""
    words = " ".join(gap.split()) + " "
    if len(words) > _MAX_GAP or re.search(r"[.;!?]\s|\n\s*\n", gap):
        return 0
    if _FORWARD.match(words) or _SUBSEQUENT.match(words) or _CAUSING_TO.match(words):
        return 1
    if _BACKWARD.match(words):
        return -1
    if _AND.match(words) and (first, second) == ("FailureMode", "FailureEffect"):
        return 1
    return 0


def stated_causes(
    text: str, mentions: list[tuple[tuple[int, int], str]], related: Iterable[tuple[int, int]] = ()
) -> list[tuple[int, int]]:
    """Index pairs ``(cause, effect)`` of the ``mentions`` (character spans in ``text`` and ontology
    classes; other classes are passed over) that the text links by a connective, less the pairs already
    ``related`` (in either direction: the model's relation stands)."""
    known = {frozenset(pair) for pair in related}
    order = sorted(
        (k for k, (_, label) in enumerate(mentions) if label in FAILURE_LABELS), key=mentions.__getitem__
    )
    out: list[tuple[int, int]] = []
    for a, b in itertools.pairwise(order):  # neighbours only: no third failure between them
        (_, a_end), first = mentions[a]
        (b_start, _), second = mentions[b]
        if a_end > b_start:
            continue
        way = _direction(text[a_end:b_start], first, second)
        pair = (a, b) if way > 0 else (b, a)
        if way and (mentions[pair[0]][1], mentions[pair[1]][1]) in CHAIN and frozenset(pair) not in known:
            out.append(pair)
    return out
