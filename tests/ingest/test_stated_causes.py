"""CAUSES a connective states between two failure mentions (kg.ingest.stated_causes), on sentences from
public recall notices, airworthiness directives and failure analyses (the prose corpus' train split)."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from fakes import FakeExtractor
from test_prose_bad_input import _ingest, docs, graph  # noqa: F401  (fixtures)

from kg.core.graph_schema import GraphSchema
from kg.graph.knowledge_graph import KnowledgeGraph
from kg.ingest.manifest import Manifest
from kg.ingest.stated_causes import CAUSE_RULE, CHAIN, FAILURE_LABELS, STATED_CAUSE, stated_causes


def _mentions(text: str, marked: list[tuple[str, str]]) -> list[tuple[tuple[int, int], str]]:
    out = []
    for surface, label in marked:
        at = text.index(surface)
        out.append(((at, at + len(surface)), label))
    return out


def _pairs(text: str, marked: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(marked[i][0], marked[j][0]) for i, j in stated_causes(text, _mentions(text, marked))]


MODE, CAUSE, EFFECT = "FailureMode", "FailureCause", "FailureEffect"


@pytest.mark.parametrize(
    ("text", "marked", "expected"),
    [
        (  # forward, after a comma
            "The frames of these bicycles can break apart, causing falls and serious injuries to riders.",
            [("break apart", MODE), ("falls", EFFECT)],
            [("break apart", "falls")],
        ),
        (  # forward, "posing a ... hazard"
            "The tea light candles have a clear, plastic shell that can melt or ignite, posing a fire and "
            "burn hazard to consumers.",
            [("ignite", MODE), ("fire and burn hazard", EFFECT)],
            [("ignite", "fire and burn hazard")],
        ),
        (  # forward, "which could result in", then "and consequent"
            "We are issuing this AD to detect and correct such fatigue cracking, which could result in fuel "
            "leaks",
            [("fatigue cracking", MODE), ("fuel leaks", MODE)],
            [("fatigue cracking", "fuel leaks")],
        ),
        (  # "and subsequent": a chain of two modes
            "The actions specified by this AD are intended to prevent possible propeller hub failure and "
            "subsequent propeller blade separation.",
            [("propeller hub failure", MODE), ("propeller blade separation", MODE)],
            [("propeller hub failure", "propeller blade separation")],
        ),
        (  # backward: "due to"
            "Probable Cause: A total loss of engine power due to the fatigue failure of the #6 connecting "
            "rod.",
            [("total loss of engine power", MODE), ("fatigue failure", MODE)],
            [("fatigue failure", "total loss of engine power")],
        ),
        (  # backward: "were caused by"
            "The initial cracks were caused by Stress Corrosion Cracking from stresses induced during "
            "welding.",
            [("initial cracks", MODE), ("Stress Corrosion Cracking", CAUSE)],
            [("Stress Corrosion Cracking", "initial cracks")],
        ),
        (  # a mode "and" an effect: the mode causes the effect (all caps as NHTSA writes it)
            "DURING A HIGH PRESSURE BRAKING EVENT, THE CALIPER COULD FRACTURE AND BRAKE FLUID WOULD BE LOST.",
            [("FRACTURE", MODE), ("BRAKE FLUID WOULD BE LOST", EFFECT)],
            [("FRACTURE", "BRAKE FLUID WOULD BE LOST")],
        ),
    ],
)
def test_a_connective_states_the_chain(text, marked, expected):
    assert _pairs(text, marked) == expected


@pytest.mark.parametrize(
    ("text", "marked"),
    [
        (  # two modes joined by "and" are a list of findings, not a chain
            "The lithium batteries can overheat and leak.",
            [("overheat", MODE), ("leak", MODE)],
        ),
        (  # a sentence ends between them
            "The hose can burst. This can cause injury.",
            [("burst", MODE), ("injury", EFFECT)],
        ),
        (  # a third failure between them: only neighbours pair
            "The seal can harden and crack, causing a leak.",
            [("harden", MODE), ("leak", EFFECT)],
        ),
        (  # an effect does not cause a mode, whatever the words say
            "Injury caused by a fall.",
            [("fall", EFFECT), ("Injury", EFFECT)],
        ),
        (  # no connective
            "Corrosion was found on the housing; cracking at the weld.",
            [("Corrosion", MODE), ("cracking", MODE)],
        ),
        (  # other classes are passed over
            "The pump, causing the valve",
            [("pump", "Part"), ("valve", "Part")],
        ),
    ],
)
def test_no_chain_without_a_stated_link(text, marked):
    assert _pairs(text, marked) == []


def test_a_third_failure_between_them_blocks_the_pair():
    text = "The seal can harden and crack, causing a leak."
    marked = [("harden", MODE), ("crack", MODE), ("leak", EFFECT)]
    assert _pairs(text, marked) == [("crack", "leak")]


def test_the_pairs_are_those_the_ontology_allows(schema: GraphSchema) -> None:
    """CHAIN is what the graph's schema accepts for CAUSES between two failure classes."""
    accepted = {
        (a, b)
        for a, b in itertools.product(FAILURE_LABELS, repeat=2)
        if not schema.check_fact(a, "CAUSES", b)
    }
    assert accepted == CHAIN


RECALL = (
    "The frames of these bicycles can break apart, causing falls and serious injuries to riders.\n\n"
    "8D D4 root cause: the return hose burst due to abrasion against the frame bracket.\n"
)


def test_ingest_writes_the_stated_chain_with_the_rules_provenance(
    graph: tuple[KnowledgeGraph, Manifest],  # noqa: F811
    docs: Path,  # noqa: F811
) -> None:
    """The model marks the failures and relates none of them; the graph still gets each stated link, with
    the sentence as its span and the rule as its extractor, and the report counts them."""
    (docs / "notice.txt").write_text(RECALL)
    ex = FakeExtractor(
        {"FailureMode": ["break apart", "burst"], "FailureEffect": ["falls"], "FailureCause": ["abrasion"]}
    )
    report = _ingest(graph, docs, ex)
    kg, _ = graph
    rows = kg.store.read(
        "MATCH (a:Entity)-[e:CAUSES]->(b:Entity) "
        "RETURN a.name AS a, b.name AS b, e.extractors AS x ORDER BY a"
    )
    assert [(r["a"], r["b"]) for r in rows] == [("abrasion", "burst"), ("break apart", "falls")]
    assert all(r["x"] == [STATED_CAUSE] for r in rows)
    assert report.node_rules()[CAUSE_RULE] == 2


def test_the_models_own_relation_between_the_two_stands(
    graph: tuple[KnowledgeGraph, Manifest],  # noqa: F811
    docs: Path,  # noqa: F811
) -> None:
    (docs / "notice.txt").write_text(RECALL)
    ex = FakeExtractor(
        {"FailureMode": ["break apart", "burst"], "FailureEffect": ["falls"], "FailureCause": ["abrasion"]},
        [("break apart", "causes", "falls")],
        version="model@1",
    )
    report = _ingest(graph, docs, ex)
    kg, _ = graph
    rows = kg.store.read(
        "MATCH (a:Entity)-[e:CAUSES]->(b:Entity) RETURN a.name AS a, e.extractors AS x ORDER BY a"
    )
    assert [(r["a"], r["x"]) for r in rows] == [("abrasion", [STATED_CAUSE]), ("break apart", ["model@1"])]
    assert report.node_rules()[CAUSE_RULE] == 1
