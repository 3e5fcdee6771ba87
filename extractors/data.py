"""Dataset specs in training configs, and loading them through the readers with a label mapping.

A spec names a reader, a path and reader options. ``${DATASETS}`` in a path is the corpora folder:
``$KG_DATASETS_DIR`` when set, else :data:`BUNDLED_DATASETS` (``extractors/datasets``, the train/dev splits
that ship with mfg-kg, so a clone anywhere can build its default model).
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

from extractors.types import AnnotatedText
from kg.core.errors import ConfigError

if TYPE_CHECKING:
    from extractors.corpora import Unknown

#: reader name -> "module:function"; each function takes (path, **options) -> list[AnnotatedText]
READERS: dict[str, str] = {
    "maintie": "extractors.corpora:read_maintie",
    "mwo2kg": "extractors.corpora:read_conll",
    "conll": "extractors.corpora:read_conll",
    "dfki": "extractors.corpora:read_dfki",
    "tfh2020": "extractors.corpora:read_tfh2020",
    "materials": "extractors.corpora:read_materials",
    "cause_effect": "extractors.corpora:read_cause_effect",
    "brat": "extractors.corpora:read_brat_dir",
    "jsonl": "extractors.corpora:read_jsonl",
    "labelstudio": "extractors.corpora:read_label_studio",
    "auto": "extractors.corpora:read_annotations",
}


#: the train/dev data the shipped configs need, with licences and SOURCE.md (extractors/datasets/README.md)
BUNDLED_DATASETS = Path(__file__).resolve().parent / "datasets"


def datasets_dir() -> Path:
    """``$KG_DATASETS_DIR`` when set, else the corpora bundled in the repository."""
    env = os.environ.get("KG_DATASETS_DIR")
    if env:
        return Path(env)
    return BUNDLED_DATASETS


class DataSpec(BaseModel):
    """One dataset in a training config."""

    model_config = ConfigDict(extra="forbid")

    reader: str
    path: str
    options: dict[str, Any] = Field(default_factory=dict)
    limit: int | None = Field(
        default=None, ge=1, description="Use only the first N texts of this dataset (quick runs, tests)."
    )
    repeat: int = Field(
        default=1,
        ge=1,
        le=20,
        description="Read this dataset N times per epoch: weights a small in-domain corpus (the prose "
        "corpus) against large ones (MaintIE's thousands of work orders) without dropping either.",
    )
    relations: bool = Field(
        default=True,
        description="False for corpora without relation annotations (e.g. MWO2KG): their texts then teach "
        "entities only, instead of teaching 'no relation' between every pair.",
    )

    def resolve_against(self, base: Path) -> None:
        """Expand ``${DATASETS}``; make relative paths relative to the config file's folder."""
        raw = self.path.replace("${DATASETS}", str(datasets_dir()))
        p = Path(raw)
        self.path = str(p if p.is_absolute() else (base / p).resolve())

    def read(self) -> list[AnnotatedText]:
        target = READERS.get(self.reader)
        if target is None:
            raise ConfigError(f"Unknown reader {self.reader!r}; choose one of {', '.join(sorted(READERS))}.")
        if not Path(self.path).exists():
            raise ConfigError(
                f"Dataset not found: {self.path} (reader {self.reader}). The shipped configs read "
                f"{BUNDLED_DATASETS}; set KG_DATASETS_DIR to a folder of the same layout, or fix the path "
                "in the config."
            )
        module, fn = target.split(":")
        reader: Callable[..., list[AnnotatedText]] = getattr(importlib.import_module(module), fn)
        texts = reader(Path(self.path), **self.options)
        texts = texts[: self.limit] if self.limit else texts
        return list(texts) * self.repeat


def load_split(
    specs: Sequence[DataSpec],
    entity_map: Mapping[str, str | None] | None,
    relation_map: Mapping[str, str | None] | None,
    unknown: Unknown = "error",
) -> list[AnnotatedText]:
    """Read every spec and map labels to the model's label set (None in a map drops that label)."""
    texts: list[AnnotatedText] = []
    for spec in specs:
        texts += spec.read()
    if entity_map is None and relation_map is None:
        return texts
    from extractors.corpora import apply_label_map

    mapped, _report = apply_label_map(texts, entity_map or {}, relation_map or {}, unknown=unknown)
    return mapped
