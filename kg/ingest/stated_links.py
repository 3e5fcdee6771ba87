"""Relations the words between two neighbouring mentions state, where the model gave none: CAUSES
(:mod:`kg.ingest.stated_causes`: "A, causing B", "A due to B"), HAS_PART and MADE_OF
(:mod:`kg.ingest.stated_items`: "the pin of the lever", "the pump's seal", "an FKM O-ring"). Ingestion writes
them with the rule as the edge's extractor and counts them per document; ``kg extract`` shows them; the prose
bench scores them.

Example:
    >>> text = "The seal of the pump leaked, causing a fire."
    >>> links = stated_links(text, [((4, 8), "Part"), ((16, 20), "Equipment"), ((21, 27), "FailureMode"),
    ...                             ((39, 43), "FailureEffect")])
    >>> [(link.head, link.tail, link.relation) for link in links]
    [(2, 3, 'causes'), (1, 0, 'hasPart')]
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from extractors.types import ChunkExtraction, PredictedRelation
from kg.ingest.stated_causes import CAUSE_RULE, STATED_CAUSE, stated_causes
from kg.ingest.stated_items import ITEM_RULE, STATED_ITEM, stated_items


class StatedLink(NamedTuple):
    """A relation the text states: indices of its two mentions, the extractor's relation label, the rule
    (as the edge's extractor) and the rule's name in the ingest report."""

    head: int
    tail: int
    relation: str
    extractor: str
    rule: str


def stated_links(
    text: str, mentions: list[tuple[tuple[int, int], str]], related: Iterable[tuple[int, int]] = ()
) -> list[StatedLink]:
    """The links of ``mentions`` (spans in ``text``, classes) the words state, less pairs already
    ``related``."""
    related = list(related)
    out = [
        StatedLink(i, j, "causes", STATED_CAUSE, CAUSE_RULE)
        for i, j in stated_causes(text, mentions, related)
    ]
    out += [
        StatedLink(i, j, rel, STATED_ITEM, ITEM_RULE) for i, j, rel in stated_items(text, mentions, related)
    ]
    return out


def with_stated_links(text: str, found: ChunkExtraction) -> ChunkExtraction:
    """``found`` (mentions in ``text``) with the stated links added, scored by the weaker of their two
    mentions: what ``kg extract`` shows."""
    m = found.mentions
    links = stated_links(
        text, [((x.start, x.end), x.label) for x in m], [(r.head, r.tail) for r in found.relations]
    )
    added = [
        PredictedRelation(
            head=k.head, tail=k.tail, label=k.relation, score=min(m[k.head].score, m[k.tail].score)
        )
        for k in links
    ]
    return found.model_copy(update={"relations": [*found.relations, *added]}) if added else found
