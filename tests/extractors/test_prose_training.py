"""A short real training run on a slice of the prose corpus learns failure chains (CAUSES) and remedies far
above chance: the prose labels and relations are learnable from the corpus as annotated. The same model,
ingesting an 8D report and a recall notice it never saw (tests/fixtures/prose), puts a cause -> mode -> effect
chain in the graph, each link cited by document and span."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors.data import BUNDLED_DATASETS
from extractors.train import TrainConfig, train
from extractors.transformer import TransformerExtractor
from kg.core.settings import Settings
from kg.evaluation.extraction import evaluate
from kg.graph.knowledge_graph import open_knowledge_graph
from kg.ingest.manifest import Manifest
from kg.ingest.pipeline import Ingestor

PROSE = BUNDLED_DATASETS / "prose"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "prose"
FAILURES = ("FailureCause", "FailureMode", "FailureEffect")
pytestmark = [pytest.mark.slow]


def prose_config(minutes: float) -> TrainConfig:
    genres = ("recalls", "airworthiness_devices")
    return TrainConfig.model_validate(
        {
            "name": "test-prose",
            "seed": 5,
            "device": "cpu",
            "train": [{"reader": "jsonl", "path": str(PROSE / g / "train.jsonl")} for g in genres],
            "dev": [{"reader": "jsonl", "path": str(PROSE / g / "dev.jsonl")} for g in genres],
            "hyper": {
                "epochs": 12,
                "batch_size": 16,
                "lr": 1e-4,
                "patience": 12,
                "max_length": 128,
                "stride": 32,
                "max_minutes": minutes,
            },
        }
    )


@pytest.fixture(scope="module")
def prose_model(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, TrainConfig]:
    config = prose_config(minutes=5)
    out = tmp_path_factory.mktemp("models") / "prose-slice"
    train(config, out)
    return out, config


def test_a_short_run_on_prose_learns_causes_far_above_chance(prose_model: tuple[Path, TrainConfig]) -> None:
    out, config = prose_model
    report = evaluate(out, config.dev, device="cpu").report
    causes = report.relations_strict.per_label["causes"]
    # chance: an untrained relation head predicts almost nothing right among ~1,000 candidate pairs a text
    assert causes.support > 100
    assert causes.f1 > 0.10, causes
    for label in ("FailureMode", "PhysicalObject", "MaintenanceActivity"):
        assert report.entities[label].f1 > 0.30, (label, report.entities[label])


def test_ingesting_an_8d_report_and_a_recall_notice_puts_failure_chains_in_the_graph_with_spans(
    prose_model: tuple[Path, TrainConfig], tmp_path: Path
) -> None:
    extractor = TransformerExtractor.from_pretrained(prose_model[0], device="cpu")
    settings = Settings(store={"data_dir": str(tmp_path / "data")})  # type: ignore[arg-type]
    with open_knowledge_graph(settings) as kg:
        manifest = Manifest(tmp_path / "data" / "ingest.sqlite")
        report = Ingestor(kg, manifest, extractor=extractor).run(sorted(FIXTURES.glob("*.txt")))
        manifest.close()
        assert [o.state for o in report.outcomes] == ["loaded", "loaded"]
        links = kg.store.read(
            "MATCH (a)-[r:CAUSES]->(b) OPTIONAL MATCH (x:Evidence) WHERE x.edge = r.id "
            "WITH a, r, b, collect(x.doc) AS sources, collect(x.evidence) AS evidence "
            "RETURN labels(a) AS a_labels, a.name AS a, labels(b) AS b_labels, "
            "b.name AS b, sources, reduce(flat = [], e IN evidence | flat + e) AS evidence"
        )
    texts = {p.name: p.read_text() for p in FIXTURES.glob("*.txt")}
    chains = [r for r in links if set(r["a_labels"]) & set(FAILURES) and set(r["b_labels"]) & set(FAILURES)]
    assert chains, links
    documents = {name for r in chains for name in texts if any(name in s for s in r["sources"])}
    assert documents == set(texts), chains  # a chain from each document
    for r in chains:  # every link cites its document and the sentence it came from
        assert r["evidence"], r
        assert any(
            r["a"].lower() in texts[name].lower() and r["b"].lower() in texts[name].lower()
            for name in documents
        ), r
