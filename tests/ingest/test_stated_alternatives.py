"""Alternatives a supplier document states in words become ALTERNATIVE_TO, as a BOM's alternative column
would (kg.ingest.stated_alternatives); two parts that merely share a sentence do not."""

from __future__ import annotations

from pathlib import Path

import pytest
from fakes import FakeExtractor
from test_prose_bad_input import docs, graph  # noqa: F401  (fixtures)

from kg.graph.knowledge_graph import KnowledgeGraph
from kg.ingest.manifest import Manifest
from kg.ingest.pipeline import Ingestor
from kg.ingest.resolve import EntityResolver
from kg.ingest.stated_alternatives import STATED_ALTERNATIVE, stated_alternatives


def _pairs(text: str, codes: list[str]) -> list[tuple[str, str]]:
    spans = [(text.index(c), text.index(c) + len(c)) for c in codes]
    return [(codes[i], codes[j]) for i, j in stated_alternatives(text, spans)]


@pytest.mark.parametrize(
    ("text", "codes", "expected"),
    [
        (
            "2. PH-937399Q is accepted as alternative to HYDAC 0160 D 010 BN4HC (our stock number X).",
            ["PH-937399Q", "HYDAC 0160 D 010 BN4HC"],
            [("PH-937399Q", "HYDAC 0160 D 010 BN4HC")],
        ),
        (
            "Your part OR-150X4-NBR70 is the listed alternative to **OR-150X4-FKM75** (O-ring 150 x 4),",
            ["OR-150X4-NBR70", "OR-150X4-FKM75"],
            [("OR-150X4-NBR70", "OR-150X4-FKM75")],
        ),
        (
            "HO-2SN08-1500 from Hydraulika Ostrava s.r.o. (approved as alternative to PH-2SN08-1500).",
            ["HO-2SN08-1500", "PH-2SN08-1500"],
            [("HO-2SN08-1500", "PH-2SN08-1500")],
        ),
        ("The new pump 0 445 010 512 supersedes 0 445 010 511.", ["0 445 010 512", "0 445 010 511"], None),
        ("Relay 3RT2016 is replaced by 3RT2016-1BB42 from week 12.", ["3RT2016", "3RT2016-1BB42"], None),
        (
            "12 interim assemblies HO-2SN08-1500 from Hydraulika Ostrava s.r.o.\n  (approved as alternative "
            "to PH-2SN08-1500 by maintenance on 10 March 2025).",
            ["HO-2SN08-1500", "PH-2SN08-1500"],
            None,
        ),
        ("- seal kit PH-SK-320\n- alternative to PH-2SN08-1500: none", ["PH-SK-320", "PH-2SN08-1500"], []),
        ("Replace 6205-2RSH and check 6309-2Z for wear.", ["6205-2RSH", "6309-2Z"], []),
        ("We shipped 6205-2RSH. The alternative to 6309-2Z is on order.", ["6205-2RSH", "6309-2Z"], []),
        (
            "Kit PH-SK-320 was replaced by a new kit, and the hose PH-2SN08-1500 too.",
            ["PH-SK-320", "PH-2SN08-1500"],
            [],
        ),
    ],
)
def test_stated_alternatives_in_real_sentences(
    text: str, codes: list[str], expected: list[tuple[str, str]] | None
) -> None:
    assert _pairs(text, codes) == (expected if expected is not None else [tuple(codes)])


def test_a_notice_naming_a_replacement_part_puts_the_alternative_in_the_graph(
    graph: tuple[KnowledgeGraph, Manifest],  # noqa: F811
    docs: Path,  # noqa: F811
) -> None:
    (docs / "discontinuation.txt").write_text(
        "Trelleborg Sealing Solutions discontinues the O-ring OR-150X4-NBR70 from 1 July. "
        "OR-150X4-FKM75 is the approved replacement for OR-150X4-NBR70. "
        "Orders for OR-50X3-NBR70 and OR-150X4-NBR70 placed before June ship as usual."
    )
    ex = FakeExtractor({"PhysicalObject": ["OR-150X4-NBR70", "OR-150X4-FKM75", "OR-50X3-NBR70"]})
    kg, manifest = graph

    Ingestor(kg, manifest, extractor=ex, resolver=EntityResolver()).run([docs])

    rows = kg.store.read(
        "MATCH (a)-[r:ALTERNATIVE_TO]->(b) RETURN a.name AS a, b.name AS b, r.extractors AS ex"
    )
    assert [(r["a"], r["b"], r["ex"]) for r in rows] == [
        ("OR-150X4-FKM75", "OR-150X4-NBR70", [STATED_ALTERNATIVE])
    ]
