"""A model's slip that typed a word of a manual as a Site ("CNC") must not scope answers: on a graph of the
samples' register and BOM (records) and one manual in which the word-list extractor marks "CNC" as a Site,
"the 5 axis cnc" is the register's 5-axis CNC machining centre, not a site."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fakes import FakeExtractor
from qa_graphs import ingested

from kg.core.keys import node_id
from kg.qa.answers import AskRequest
from kg.qa.service import QAService

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
MANUAL = "Clean the CNC enclosure weekly. Swarf in the CNC coolant tray blocks the return line.\n"


@pytest.fixture(scope="module")
def qa(tmp_path_factory: pytest.TempPathFactory) -> Iterator[QAService]:
    tables = ("equipment.csv", "bom.csv")
    files: dict[str, str | Path] = {name: SAMPLES / "structured" / name for name in tables}
    files["cnc_cleaning.txt"] = MANUAL
    extractor = FakeExtractor({"Site": ["CNC"]}, version="words@1")
    with ingested(tmp_path_factory.mktemp("prose-sites"), files, extractor) as (service, kg):
        assert kg.store.read("MATCH (s:Site) WHERE s.name = 'CNC' RETURN s.id AS id")  # the slip is there
        yield service


def test_a_prose_only_site_does_not_scope_and_its_word_describes_the_machine(qa: QAService) -> None:
    r = qa.ask(AskRequest(question="single-supplier parts on the 5 axis cnc", explainer="template"))
    assert r.tool is not None and r.tool.name == "single_source"
    assert "site" not in r.tool.arguments
    assert r.tool.arguments.get("equipment") == node_id("Equipment", "LDS-CNC-01", is_code=True)
    assert r.answer_entities  # the machining centre's single-sourced parts
