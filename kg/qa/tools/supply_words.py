"""How a question about a supplier's outage says what it wants: the parts or the equipment they sit in, only
what loses its only source, and whether it asks about an outage at all ("what parts does ERIKS supply").

Example:
    >>> impact_params("which pn's lose their only supplier if Parker goes bust")
    {'answer': 'items', 'only': 'sole'}
"""

from __future__ import annotations

import re

#: the question asks for parts, not the equipment they sit in ("which pn's lose their only supplier")
_ASKS_ITEMS = re.compile(
    r"\b(parts?|pns?|p/ns?|items?|components?|skus?|part numbers?|everything|anything)\b|\bwhat (does|do) "
    r".{1,40} (supply|deliver|sell)\b",
    re.IGNORECASE,
)
_ASKS_EQUIPMENT = re.compile(
    r"\b(equipment|eqpt|machines?|machinery|assets?|tags?|hpus?|pumps?|lines?|plants?|motors?|gearbox(es)?)\b|"
    r"\b(what|which) (kit|units?)\b",  # "what kit in leeds is using their parts": shop-floor English
    re.IGNORECASE,
)
#: only what would be left with no source ("nobody else supplies", "their only supplier")
_ONLY_SOLE = re.compile(
    r"\b(nobody else|no (other|second|alternative|alt) (source|supplier)|only (supplier|source)|"
    r"sole[- ]?(source|sourced|supplier)|single[- ]?(source|sourced|supplier)|no backup)\b",
    re.IGNORECASE,
)


def impact_params(question: str) -> dict[str, str]:
    """``answer=items`` when parts are asked for rather than equipment; ``only=sole`` for what loses its
    only source."""
    out = {}
    if _ASKS_ITEMS.search(question) and not _ASKS_EQUIPMENT.search(question):
        out["answer"] = "items"
    if _ONLY_SOLE.search(question):
        out["only"] = "sole"
    if not _OUTAGE.search(question):
        out["as"] = "supplies"  # "what parts does ERIKS supply": what it supplies, not what an outage hits
    return out


#: words that say the supplier is lost ("outage", "goes bust", "can't deliver", "at risk")
_OUTAGE = re.compile(
    r"\b(outages?|disrupt\w*|stops?|stopped|bankrupt|bust|can(no|'|)t|not|lose|losing|lost|strikes?|fire|down|if|"
    r"insolven\w*|force majeure|fails?|ceases?|impact\w*|exposed?|exposure|risk|without|when|affected|hit)\b",
    re.IGNORECASE,
)
