"""The words analysts ask with, read by the rules alone (no encoder): other ways to ask for alternatives and
failure chains, typos in the asking words, and properties the graph does not hold."""

from __future__ import annotations

import pytest

from kg.qa.constraints import read_constraints
from kg.qa.router import Router, respell, vocabulary


@pytest.mark.parametrize(
    ("question", "tool"),
    [
        ("What can we use instead of {X}?", "alternatives"),
        ("drop in replacement for {X}", "alternatives"),
        ("is {X} superseded by a newer part", "alternatives"),
        ("cross-reference for {X} from another maker", "alternatives"),
        ("what is the root cause when {X} leaks", "failure_chains"),
        ("why does {X} keep overheating", "failure_chains"),
        ("what happens if {X} fails in service", "failure_chains"),
        ("how many supplers does {X} have", "counting"),
        (
            "bearing replacements at site, which wo's",
            "failure_history",
        ),  # replacements, not a replacement for
        ("where's the write-up on the {X} mix-up at site", "documents"),
        ("{X} clogs up - what failure does that knock on to?", "failure_chains"),
        ("{X} slip/squeal, what does it end up causing downstream?", "failure_chains"),
        ("{X} - what failure mode usually comes before that per the fmea?", "failure_chains"),
        ("on {X} which bits hang on one supplier only", "single_source"),
        ("anything on {X} we can only get from one place and has no alt pn?", "single_source"),
        ("{X} - who do we get it from and what machine is it on", "entity_detail"),
        ("what does vibration lead to on {X}", "failure_chains"),
        ("what could a loose clamp result in on {X}?", "failure_chains"),
    ],
)
def test_rules_route_other_wordings(question: str, tool: str) -> None:
    route = Router(encoder=None).route(question, entities=1)
    assert route is not None and route.tool.name == tool


def test_respelling_touches_typos_of_asking_words_only() -> None:
    words = vocabulary()
    assert respell("which eqiupment has a supplir we lost", words) == "which equipment has a supplier we lost"
    assert respell("Supplied by Flender, sells seals", words) == "Supplied by Flender, sells seals"
    assert respell("supplers", words, names={"supplers"}) == "supplers"  # a name the graph holds


@pytest.mark.parametrize(
    ("question", "unheld"),
    [
        ("running hours on LDS-CMP-01 this year", "running hours"),
        ("shelf life of the FKM o-rings", "shelf life"),
        ("what's our spend with SKF", "price"),
        ("on-time delivery of Parker in 2025", "delivery performance"),
    ],
)
def test_properties_the_graph_does_not_hold(question: str, unheld: str) -> None:
    assert read_constraints(question).unheld == unheld
