"""Training sweeps: every shipped sweep file's variants are valid training configs, and a variant's
overrides land where they should (no training here; `--smoke` runs them end to end)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from bench.train_sweep import summary_lines, variant_config

SWEEPS = sorted((Path(__file__).resolve().parents[2] / "bench" / "sweeps").glob("*.toml"))


@pytest.mark.parametrize("sweep_file", SWEEPS, ids=lambda p: p.name)
def test_every_shipped_variant_is_a_valid_config(sweep_file: Path, tmp_path: Path) -> None:
    sweep = tomllib.loads(sweep_file.read_text())
    assert sweep["variant"], f"{sweep_file} has no variants"
    for variant in sweep["variant"]:
        cfg = variant_config(sweep, variant, sweep_file.parent, tmp_path, smoke=False)
        assert cfg.name.endswith(variant["name"])
        for key, value in variant.get("hyper", {}).items():
            assert getattr(cfg.hyper, key) == value


def test_overrides_add_corpora_maps_and_seed(tmp_path: Path) -> None:
    base_dir = Path(__file__).resolve().parents[2] / "bench" / "sweeps"
    sweep = {"base": "../../extractors/configs/default.toml"}
    variant = {
        "name": "x",
        "seed": 99,
        "hyper": {"epochs": 3, "lr": 3e-4},
        "entity_map": {"Cause": "FailureCause", "Junk": ""},
        "relation_map": {"PartOf": "hasPart"},
        "unknown_labels": "drop",
        "train": [{"reader": "cause_effect", "path": "${SHARED}/because/train.jsonl"}],
    }
    cfg = variant_config(sweep, variant, base_dir, tmp_path, smoke=False)
    base = variant_config(sweep, {"name": "base"}, base_dir, tmp_path, smoke=False)
    assert (cfg.seed, cfg.hyper.epochs, cfg.hyper.lr, cfg.unknown_labels) == (99, 3, 3e-4, "drop")
    assert cfg.hyper.batch_size == base.hyper.batch_size  # keys not named stay the base's
    assert cfg.entity_map["Cause"] == "FailureCause" and cfg.entity_map["Junk"] is None
    assert cfg.entity_map["PhysicalObject"] == "PhysicalObject"  # the base map is kept, not replaced
    assert cfg.relation_map["PartOf"] == "hasPart"
    assert len(cfg.train) == len(base.train) + 1
    assert cfg.train[-1].path == str((tmp_path / "because" / "train.jsonl").resolve())


def test_datasets_named_by_a_path_part_are_read_more_often_or_cut(tmp_path: Path) -> None:
    base_dir = Path(__file__).resolve().parents[2] / "bench" / "sweeps"
    sweep = {"base": "../../extractors/configs/default.toml"}
    variant = {"name": "w", "train_repeat": {"prose/": 6}, "train_limit": {"mwo2kg": 100}}
    cfg = variant_config(sweep, variant, base_dir, tmp_path, smoke=False)
    prose = [s for s in cfg.train if "prose/" in s.path]
    assert prose and all(s.repeat == 6 for s in prose)
    assert [s.limit for s in cfg.train if "mwo2kg" in s.path] == [100]
    assert all(s.repeat == 1 for s in cfg.train if "maintie" in s.path)  # the others untouched


def test_smoke_caps_every_dataset_and_the_epochs(tmp_path: Path) -> None:
    base_dir = Path(__file__).resolve().parents[2] / "bench" / "sweeps"
    sweep = {"base": "../../extractors/configs/default.toml"}
    cfg = variant_config(sweep, {"name": "s"}, base_dir, tmp_path, smoke=True)
    assert all(s.limit == 8 and s.repeat == 1 for s in [*cfg.train, *cfg.dev])
    assert cfg.hyper.epochs == 1


def test_summary_names_a_failed_variant() -> None:
    lines = summary_lines({"runs": [{"name": "bad", "error": "ConfigError: no such file"}]})
    assert lines == ["bad: FAILED ConfigError: no such file"]
