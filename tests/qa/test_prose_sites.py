"""A model's slip that typed a word of a manual as a Site ("CNC") must not scope answers: on a graph of the
samples' register and BOM (records) and one manual in which the word-list extractor marks "CNC" as a Site,
"the 5 axis cnc" is the register's 5-axis CNC machining centre, not a site."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fakes import FakeExtractor

from kg.core.keys import node_id
from kg.core.settings import ExtractorSettings, LLMSettings, Settings, StoreSettings
from kg.graph.knowledge_graph import open_knowledge_graph
from kg.ingest.service import ingestor_for
from kg.qa.answers import AskRequest
from kg.qa.service import QAService

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
MANUAL = "Clean the CNC enclosure weekly. Swarf in the CNC coolant tray blocks the return line.\n"


@pytest.fixture(scope="module")
def qa(tmp_path_factory: pytest.TempPathFactory) -> Iterator[QAService]:
    tmp = tmp_path_factory.mktemp("prose-sites")
    docs = tmp / "docs"
    docs.mkdir()
    for name in ("equipment.csv", "bom.csv"):
        shutil.copy(SAMPLES / "structured" / name, docs / name)
    (docs / "cnc_cleaning.txt").write_text(MANUAL, encoding="utf-8")
    settings = Settings(
        store=StoreSettings(data_dir=tmp / "db"),
        extractor=ExtractorSettings(model=tmp / "no-model"),
        llm=LLMSettings(explainer="template"),
    )
    extractor = FakeExtractor({"Site": ["CNC"]}, version="words@1")
    with open_knowledge_graph(settings) as kg:
        with ingestor_for(kg, settings, extractor=extractor) as ingestor:
            report = ingestor.run([docs])
        assert not report.failed, [o.reason for o in report.failed]
        assert kg.store.read("MATCH (s:Site) WHERE s.name = 'CNC' RETURN s.id AS id")  # the slip is there
        yield QAService(kg, settings, encoder=None)


def test_a_prose_only_site_does_not_scope_and_its_word_describes_the_machine(qa: QAService) -> None:
    r = qa.ask(AskRequest(question="single-supplier parts on the 5 axis cnc", explainer="template"))
    assert r.tool is not None and r.tool.name == "single_source"
    assert "site" not in r.tool.arguments
    assert r.tool.arguments.get("equipment") == node_id("Equipment", "LDS-CNC-01", is_code=True)
    assert r.answer_entities  # the machining centre's single-sourced parts
