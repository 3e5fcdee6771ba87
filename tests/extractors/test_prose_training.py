"""A short real training run on a slice of the prose corpus learns failure chains (CAUSES) and remedies far
above chance: the prose labels and relations are learnable from the corpus as annotated."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors.data import BUNDLED_DATASETS
from extractors.train import TrainConfig, train
from kg.evaluation.extraction import evaluate

PROSE = BUNDLED_DATASETS / "prose"
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


def test_a_short_run_on_prose_learns_causes_far_above_chance(tmp_path: Path) -> None:
    config = prose_config(minutes=5)
    out = tmp_path / "prose-slice"
    train(config, out)
    report = evaluate(out, config.dev, device="cpu").report
    causes = report.relations_strict.per_label["causes"]
    # chance: an untrained relation head predicts almost nothing right among ~1,000 candidate pairs a text
    assert causes.support > 100
    assert causes.f1 > 0.10, causes
    for label in ("FailureMode", "PhysicalObject", "MaintenanceActivity"):
        assert report.entities[label].f1 > 0.30, (label, report.entities[label])
