"""Part-of and made-of that a phrase states between two neighbouring mentions: "the ball pin of the control
lever assembly", "the pump's impeller", "the seal on the drive shaft", "a stainless steel housing". Recall
notices and supplier letters name an item's place in another with a preposition or a possessive, and its
material as the word before it; the extractor marks both items but often not the HAS_PART or MADE_OF.

Two item mentions pair when only a preposition of place and an article lie between them ("of the", "on",
"in the", "inside the", "within the": the second holds the first) or a possessive ("the pump's impeller":
the first holds the second). A material mention right before an item mention ("[FKM] [O-ring]",
"[stainless steel] [housing]") is what the item is made of. Nothing else may lie between them: "replacement
of the pump" is an activity (no item), "cracks in the housing" a failure.

Example:
    >>> text = "The ball pin of the control lever assembly may break."
    >>> stated_items(text, [((4, 12), "PhysicalObject"), ((20, 42), "PhysicalObject")])
    [(1, 0, 'hasPart')]
    >>> stated_items("Fit an FKM O-ring.", [((7, 10), "Material"), ((11, 17), "PhysicalObject")])
    [(1, 0, 'madeOf')]
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable

#: the extractor name on the evidence of these edges
STATED_ITEM = "stated-item/0.1"
#: the ingest report's count of the edges these give
ITEM_RULE = "stated part-of / made-of (edge added)"
#: classes of items: the model's, and the ontology's it refines them to
ITEMS = frozenset({"PhysicalObject", "Part", "Equipment", "Product"})
MATERIALS = frozenset({"Material"})
#: what may be a part (``mfg:hasPart``'s range: a product is never another item's part)
PARTS = ITEMS - {"Product"}

#: "A of the B", "A on B", "A inside the B": B has A
_IN = re.compile(
    r"^\s*(?:of|on|in|inside|within|fitted\s+to|mounted\s+on|attached\s+to)\s+"
    r"(?:(?:the|a|an|its|their|each|every|this|these|that|those)\s+)?$",
    re.IGNORECASE,
)
#: "A's B", "A’s B", "the pumps' seals": A has B
_POSSESSIVE = re.compile(r"^(?:['’]s?)\s+$")


def stated_items(
    text: str, mentions: list[tuple[tuple[int, int], str]], related: Iterable[tuple[int, int]] = ()
) -> list[tuple[int, int, str]]:
    """``(head, tail, relation)`` index triples of the ``mentions`` (character spans in ``text``, classes):
    ``hasPart`` (whole, part) and ``madeOf`` (item, material), less the pairs already ``related`` (either
    direction: the model's relation stands)."""
    known = {frozenset(pair) for pair in related}
    order = sorted(range(len(mentions)), key=mentions.__getitem__)
    out: list[tuple[int, int, str]] = []
    for a, b in itertools.pairwise(order):  # neighbours only: no mention between them
        ((_, a_end), first), ((b_start, _), second) = mentions[a], mentions[b]
        if a_end > b_start or frozenset((a, b)) in known:
            continue
        gap = text[a_end:b_start]
        if first in MATERIALS and second in ITEMS and gap == " ":
            out.append((b, a, "madeOf"))
        elif first in ITEMS and second in ITEMS and len(gap) <= 30 and "\n" not in gap:
            if _IN.match(gap + " ") and first in PARTS:
                out.append((b, a, "hasPart"))
            elif _POSSESSIVE.match(gap + " ") and second in PARTS:
                out.append((a, b, "hasPart"))
    return out
