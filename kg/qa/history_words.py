"""What a work-order question describes besides its asset: the words and parts the orders must name, and how
the asset failed (:class:`kg.qa.question.Asked` for failure history)."""

from __future__ import annotations

from kg.qa.causal import failure_words
from kg.qa.linking import Mention
from kg.qa.linking.linker import identifies
from kg.qa.linking.tie_words import negated


def history_arguments(
    question: str,
    generic: list[Mention],
    words: list[Mention],
    mentions: list[Mention],
    left_over: list[Mention],
    used: set[str],
) -> dict[str, str]:
    """What the work orders must say: the descriptions and parts named beside the asset ("the mech seal on
    P-101": its number counts), not those negated ("the pump itself, not the motor"), and how it failed
    ("temp alarms logged on X"); ``generic`` are the words that matched only prose entities, ``words`` those
    that matched nothing, ``left_over`` the mentions no argument took, ``used`` the arguments' ids."""
    out: dict[str, str] = {}
    texts = [m.text for m in generic]
    described = [
        m
        for m in [*generic, *mentions]
        if (m.text in texts or describes(m, used) or (m in left_over and "Part" in m.best.labels))
        and not negated(question, m.start)
    ]
    if described and (texts or left_over):
        out["about"] = " ".join(m.text for m in sorted(described, key=lambda m: m.start))
    if failed := failure_words(words):
        out["failed"] = " ".join(m.text for m in failed)
    return out


def describes(m: Mention, used: set[str]) -> bool:
    """A mention no argument took that only describes what happened ("bearing failures", "the hose
    burst"): not an organisation, site or something a record identifies."""
    if any(x.id in used for x in m.candidates) or names_organisation(m) or "Site" in m.best.labels:
        return False
    return not identifies(m) or bool(_HAPPENINGS.intersection(m.best.labels))


#: classes of what happens to equipment: a recorded one still describes the work ("the hose burst")
_HAPPENINGS = frozenset({"FailureMode", "FailureEffect", "FailureCause", "MaintenanceActivity"})


def names_organisation(m: Mention) -> bool:
    """A mention that is an organisation's name, even one only documents know (a filter may take it: the
    documents from "Hydraulika Ostrava"), unlike a generic noun a manual used as a part name."""
    best = m.best
    return m.method == "exact" and any(x in best.labels for x in ("Supplier", "Manufacturer", "Organization"))
