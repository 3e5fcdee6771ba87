"""HAS_PART and MADE_OF a phrase states between two neighbouring mentions (kg.ingest.stated_items), and
all stated links together (kg.ingest.stated_links), on sentences from public recall notices, airworthiness
directives and supplier notices (the prose corpus' train split)."""

from __future__ import annotations

import pytest

from extractors.types import ChunkExtraction, Mention, PredictedRelation
from kg.ingest.stated_causes import STATED_CAUSE
from kg.ingest.stated_items import STATED_ITEM, stated_items
from kg.ingest.stated_links import stated_links, with_stated_links

ITEM, MATERIAL = "PhysicalObject", "Material"


def _mentions(text: str, marked: list[tuple[str, str]]) -> list[tuple[tuple[int, int], str]]:
    out, start = [], 0
    for surface, label in marked:
        at = text.index(surface, start)
        out.append(((at, at + len(surface)), label))
        start = at + len(surface)
    return out


def _triples(text: str, marked: list[tuple[str, str]]) -> list[tuple[str, str, str]]:
    return [(marked[h][0], marked[t][0], rel) for h, t, rel in stated_items(text, _mentions(text, marked))]


@pytest.mark.parametrize(
    ("text", "marked", "expected"),
    [
        (  # "A of B": B has A
            "The fuel tank of portable generators can leak, posing a fire or burn hazard.",
            [("fuel tank", ITEM), ("portable generators", ITEM)],
            [("portable generators", "fuel tank", "hasPart")],
        ),
        (  # "A within the B"
            "A fuse within the avalanche transceiver can be defective.",
            [("fuse", ITEM), ("avalanche transceiver", ITEM)],
            [("avalanche transceiver", "fuse", "hasPart")],
        ),
        (  # "A on the B", all caps
            "THE LOW-BEAM TERMINAL ON THE HEAD LIGHT WIRE HARNESS CAN OVERHEAT.",
            [("LOW-BEAM TERMINAL", ITEM), ("HEAD LIGHT WIRE HARNESS", ITEM)],
            [("HEAD LIGHT WIRE HARNESS", "LOW-BEAM TERMINAL", "hasPart")],
        ),
        (  # a possessive: A has B
            "Bosch says the ball pin is part of the pump's control lever assembly.",
            [("pump", ITEM), ("control lever assembly", ITEM)],
            [("pump", "control lever assembly", "hasPart")],
        ),
        (  # a material right before the item
            "Specialized 2012 bicycles with Advanced Group carbon forks (460 units).",
            [("carbon", MATERIAL), ("forks", ITEM)],
            [("forks", "carbon", "madeOf")],
        ),
        (  # the ontology's classes, as ingestion has them
            "The 17 inch chrome steel wheels of the Part can crack.",
            [("chrome steel", MATERIAL), ("wheels", "Part"), ("Part", "Equipment")],
            [("wheels", "chrome steel", "madeOf"), ("Part", "wheels", "hasPart")],
        ),
    ],
)
def test_a_phrase_states_the_link(text, marked, expected):
    assert sorted(_triples(text, marked)) == sorted(expected)


@pytest.mark.parametrize(
    ("text", "marked"),
    [
        (  # other words between them: "cracks in the housing" has a failure, "a pump and a valve" a list
            "Dealers will inspect the pump and the valve.",
            [("pump", ITEM), ("valve", ITEM)],
        ),
        (  # a third mention between them: only neighbours pair
            "The seal of the leaking pump",
            [("seal", ITEM), ("leaking", "FailureMode"), ("pump", ITEM)],
        ),
        (  # a material with words between it and the item
            "Steel used for the housing",
            [("Steel", MATERIAL), ("housing", ITEM)],
        ),
        (  # a product is never another item's part
            "The Model X in the carton",
            [("Model X", "Product"), ("carton", ITEM)],
        ),
        (  # not across a line
            "Pump\nof the line",
            [("Pump", ITEM), ("line", ITEM)],
        ),
    ],
)
def test_no_link_without_a_stated_one(text, marked):
    assert _triples(text, marked) == []


def test_the_models_relation_stands_and_the_links_come_with_their_rule():
    text = "The ball pin of the control lever assembly may break, causing the link to become inoperative."
    marked = [
        ("ball pin", ITEM),
        ("control lever assembly", ITEM),
        ("break", "FailureMode"),
        ("become inoperative", "FailureMode"),
    ]
    mentions = _mentions(text, marked)
    links = stated_links(text, mentions)
    assert [(k.head, k.tail, k.relation, k.extractor) for k in links] == [
        (2, 3, "causes", STATED_CAUSE),
        (1, 0, "hasPart", STATED_ITEM),
    ]
    assert [k.relation for k in stated_links(text, mentions, [(0, 1)])] == ["causes"]


def test_kg_extract_shows_the_stated_links_scored_by_the_weaker_mention():
    text = "The seal of the pump leaked."
    found = ChunkExtraction(
        mentions=[
            Mention(start=4, end=8, label=ITEM, score=0.9, text="seal"),
            Mention(start=16, end=20, label=ITEM, score=0.6, text="pump"),
            Mention(start=21, end=27, label="FailureMode", score=0.8, text="leaked"),
        ],
        relations=[PredictedRelation(head=0, tail=2, label="hasFailureMode", score=0.7)],
    )
    out = with_stated_links(text, found)
    assert [(r.head, r.tail, r.label, r.score) for r in out.relations] == [
        (0, 2, "hasFailureMode", 0.7),
        (1, 0, "hasPart", 0.6),
    ]
    assert with_stated_links("Nothing here.", ChunkExtraction()) == ChunkExtraction()
