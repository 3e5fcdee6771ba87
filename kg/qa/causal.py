"""What a failure-chain question says about cause and effect: the description it names (``cause_text``),
whether that description is the outcome asked about ("what causes low output": ``outcome``), and whether
the causes are asked for ("root cause of the gearbox oil leak": ``ask``).

Example:
    >>> causal_arguments("what causes seal leakage", "seal leakage", 12)
    {'cause_text': 'seal leakage', 'outcome': 'yes', 'ask': 'causes'}
    >>> causal_arguments("effects of bearing failure on the motor", "bearing failure", 11)
    {'cause_text': 'bearing failure', 'ask': 'effects'}
    >>> causal_arguments("what mitigates cavitation on the pump", "cavitation", 15)
    {'cause_text': 'cavitation', 'ask': 'actions'}
"""

from __future__ import annotations

import re

from kg.qa.linking.linked_mentions import Mention

#: words that ask what a cause or a failure leads to, or what leads to it
CAUSAL = re.compile(
    r"\b(leads?( to| into)?|ends? up|results? in|causes?|caused by|as a cause|due to|because of|triggers?|"
    r"drives?|driven by|downstream|knock(s|ed)?[- ]on( to)?|turns? into|(further )?down the line|"
    r"(comes?|happens?|sits?|occurs?) (before|upstream( of)?|ahead of)|upstream of|"
    r"(effects?|consequences?|impacts?) (of|from)|what happens (if|when))\b",
    re.IGNORECASE,
)

#: "the effects of X", "what happens when X": X is the start, whatever follows
_FORWARD = re.compile(r"^(effects?|consequences?|impacts?|what happens|downstream|knock-on)\b", re.IGNORECASE)

#: "the causes", "root cause", "possible causes": the causal word as a noun, naming what leads to the rest
_CAUSE_NOUN = re.compile(r"\b(the|its|root|possible|likely|main|probable)\s+causes?$", re.IGNORECASE)

#: "what causes does the fmea list", "which causes are there": the causes of what the question describes
_CAUSES_ASKED = re.compile(
    r"\b(what|which)\s+causes\s+(does|do|did|are|were|has|have|can|could|might|would|should)\b", re.IGNORECASE
)

#: "what comes before X", "the mode upstream of X": X is the outcome
_BEFORE = re.compile(r"\b(before|upstream|ahead)\b", re.IGNORECASE)

#: the causes themselves are asked for, not only the failure modes before the outcome
_ASKS_CAUSES = re.compile(
    r"\b(root|what|which|possible|likely|main|probable)\s+causes?\b|\bwhy\b", re.IGNORECASE
)


#: the failure modes are asked for, whatever effect words come first ("knock-on effect of X - which failure
#: mode does it end up causing")
_ASKS_MODES = re.compile(r"\b(which|what|what'?s)( the)? (\w+ )?(failure )?modes?\b", re.IGNORECASE)

#: words that say how something fails ("the filter plugs up", "belt slip/squeal", "the seal lip goes hard and
#: weeps oil"): part of a failure's description even where they name nothing in the graph
FAILURE_WORDS = re.compile(
    r"\b(plug|clog|block|chok|leak|weep|seep|drip|slip|squeal|squeak|crack|break|broke|burst|seiz|overheat|"
    r"hot|vibrat|wear|worn|corro|pitt|spall|fatigu|jam|stall|trip|fail|nois|harden|hard|loose|erod|erosion|"
    r"cavitat|scor|scal|rattl|alarm|fall|drop|lost|loss)\w*",
    re.IGNORECASE,
)

#: "why does X leak": the causes of the failure named are asked for
WHY = re.compile(r"^\W*why\b", re.IGNORECASE)

#: a question asking what is (to be) done against a failure, not what happened or why
ACTIONS = re.compile(
    r"\b((corrective|preventive|preventative|recommended|mitigating|mitigation|containment|remedial)"
    r" (actions?|measures?|steps?|tasks?)|mitigat\w*|countermeasures?|remed(y|ies)|"
    r"how (do|can|could|should|would|to) (we |i |you )?(prevent|avoid|stop|mitigate|reduce|eliminate)|"
    r"what (prevents?|avoids?|reduces?)|"
    r"what (should|can|could|do|must) (we|i|you) do (about|against|if|when|for|to)|"
    r"what (does|do|did|would) (the |its |our |this |that )?[\w -]{0,40}?"
    r"(say|tell|recommend|suggest|advise)s?( \w+)? (to do|doing)|what to do (about|against|if|when|for))\b",
    re.IGNORECASE,
)


def causal_arguments(question: str, described: str, first: int) -> dict[str, str]:
    """The failure-chain arguments of a question naming ``described`` (its first word at ``first``); none
    when the question says nothing causal."""
    if ACTIONS.search(question):  # what is done against it: the actions tied to its causes and modes
        return {"cause_text": described, "ask": "actions"}
    if WHY.match(question):  # "why did the spindle overheat", "why does the conveyor break down": causes
        return {"cause_text": described, "outcome": "yes", "ask": "causes"}
    causal = CAUSAL.search(question)
    if causal is None:  # "impeller erosion - which failure mode is that under"
        return {"cause_text": described} if _ASKS_MODES.search(question) else {}
    out = {"cause_text": described}  # "vibration leads to what failure mode"
    word = causal.group(0).lower()
    if _FORWARD.match(word):
        if not word.startswith("what") and not _ASKS_MODES.search(question):
            out["ask"] = "effects"  # "the effects of X": X's failure modes and what they cause
        return out
    outcome = (
        word in ("caused by", "due to", "because of", "driven by")
        or _CAUSES_ASKED.search(question) is not None
        or _BEFORE.search(word)
        or _CAUSE_NOUN.search(question[max(0, causal.start() - 12) : causal.end()])
    )  # "the press leaks - what are the causes": "causes" a noun, the description its outcome
    if first >= causal.end() or outcome:
        out["outcome"] = "yes"  # "what causes low output", "which modes lead to coolant loss"
        if _ASKS_CAUSES.search(question):
            out["ask"] = "causes"
        elif _ASKS_MODES.search(question):  # "the upstream mode that drives X": modes, not their causes
            out["ask"] = "modes"
    return out


_RATING = r"(rpn|sev(?:erity)?|occ(?:urrence)?|det(?:ection)?)"
#: a rating as FMEA sheets abbreviate it ("sev 8", "occ >= 5")
_RATING_NAMES = {"sev": "severity", "occ": "occurrence", "det": "detection"}
_ABOVE = (
    r"(at or above|at or over|equal to or (above|over|greater than)|over|above|greater than|more than|"
    r"higher than|exceeding|>=|≥|>|at least|of at least|min(imum)?( of)?)"
)
#: a rating bound, the rating first ("RPN over 100", "severity of at least 8", "rpn >= 90") or the comparison
#: first ("at or above the rpn 100 action limit", "above an RPN of 90"), or the number ("rpn 100 or more")
_BOUNDS = (
    re.compile(rf"\b{_RATING}\b[^.?!\d]{{0,24}}?{_ABOVE}\s*(?P<n>\d+)", re.IGNORECASE),
    re.compile(rf"{_ABOVE}\s+(the |an? )?{_RATING}( of)?\s*(?P<n>\d+)", re.IGNORECASE),
    re.compile(
        rf"\b{_RATING}\s*(of\s*)?(?P<n>\d+)\s*(?P<plus>or (more|above|higher|over)|and (above|over)|\+)",
        re.IGNORECASE,
    ),
)
_INCLUSIVE = re.compile(r"^(at or|equal|>=|≥|at least|of at least|min)", re.IGNORECASE)


def rating_bound(question: str) -> str | None:
    """The FMEA rating bound a question sets, as "rpn>=100" or "severity>8"; None when it sets none.

    Example:
        >>> rating_bound("fmea lines at or above the rpn 100 action limit"), rating_bound("RPN over 100")
        ('rpn>=100', 'rpn>100')
        >>> rating_bound("modes with severity 8 or more"), rating_bound("rpn of the seal")
        ('severity>=8', None)
        >>> rating_bound("fmea lines rated sev 8 or above")
        'severity>=8'
    """
    for rx in _BOUNDS:
        if m := rx.search(question):
            rating = next(g for g in m.groups() if g and re.fullmatch(_RATING, g, re.IGNORECASE)).lower()
            rating = _RATING_NAMES.get(rating, rating)
            comparison = m.group(1) if rx is not _BOUNDS[0] else m.group(2)
            inclusive = ("plus" in m.groupdict() and m.group("plus")) or _INCLUSIVE.match(comparison or "")
            return f"{rating}{'>=' if inclusive else '>'}{m.group('n')}"
    return None


def unlinked_failures(question: str, linked: list[tuple[int, int]]) -> list[Mention]:
    """The words of ``question`` outside the ``linked`` spans that say how something fails ("break down")."""
    return [
        Mention(m.group(), m.start(), m.end(), "words", [])
        for m in re.finditer(FAILURE_WORDS.pattern + r"( down| out| up)?", question, re.IGNORECASE)
        if not any(s <= m.start() < e for s, e in linked)
    ]


def failure_words(words: list[Mention]) -> list[Mention]:
    """The words of ``words`` that say how something failed ("alarms" of "temp alarms", "blocked" of
    "found blocked"), each a mention of its own."""
    return [
        Mention(t.group(), m.start + t.start(), m.start + t.end(), m.method, [])
        for m in words
        for t in re.finditer(r"\S+", m.text)
        if FAILURE_WORDS.fullmatch(t.group())
    ]
