"""The fine-tuned transformer extractor: inference, saving and loading.

A saved model is a folder in Hugging Face layout: the encoder (``config.json``, ``model.safetensors``),
the tokenizer files, ``heads.safetensors`` (tagger and relation head), ``mfgkg.json`` (labels, window
settings, version, training summary) and ``README.md`` (the model card). ``from_pretrained`` loads it.

Example:
    >>> ex = TransformerExtractor.from_pretrained("models/maintie")          # doctest: +SKIP
    >>> ex.predict(["replace leaking seal on pump P-101"])[0].mentions      # doctest: +SKIP
"""

from __future__ import annotations

import bisect
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import torch
from pydantic import BaseModel, ConfigDict, Field
from safetensors.torch import load_file, save_file
from transformers import AutoTokenizer, PreTrainedTokenizerBase

from extractors.encoding import Window, WordPrediction, decode_spans, make_windows
from extractors.network import HeadConfig, JointModel
from extractors.types import ChunkExtraction, Mention, PredictedRelation, TextChunk
from kg.core.errors import ExtractionError

META_FILE = "mfgkg.json"
HEADS_FILE = "heads.safetensors"
MAX_MENTIONS_PER_WINDOW = 80
PAIR_CHUNK = 4096


class ModelMeta(BaseModel):
    """Everything besides weights that a saved extractor needs (and tells its users)."""

    model_config = ConfigDict(extra="forbid")

    name: str
    version: str
    tags: list[str]
    entity_labels: list[str]
    relation_labels: list[str]
    max_length: int = Field(default=256, description="Window length (sub-tokens) used in training.")
    stride: int = 64
    inference_max_length: int = Field(
        default=256,
        description="Window length at inference: longer than training is fine for a tagger and "
        "cuts long documents into fewer windows (capped by the encoder's position limit).",
    )
    relation_threshold: float = 0.5
    entity_thresholds: dict[str, float] = Field(
        default_factory=dict,
        description="Per entity label: mentions scoring below are dropped (chosen on dev: "
        "extractors.thresholds).",
    )
    relation_thresholds: dict[str, float] = Field(
        default_factory=dict,
        description="Per relation label: overrides relation_threshold (chosen on dev: "
        "extractors.thresholds).",
    )
    base_encoder: str = ""
    training: dict[str, Any] = Field(default_factory=dict)

    @property
    def model_version(self) -> str:
        return f"{self.name}@{self.version}"


def pick_device(device: str = "auto") -> torch.device:
    """``auto`` = CUDA when present, else CPU."""
    if device == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    try:
        return torch.device(device)
    except RuntimeError as e:
        raise ExtractionError(f"Unknown device {device!r}: use auto, cpu, cuda or cuda:N.") from e


class TransformerExtractor:
    """Entities and relations from text with a :class:`JointModel`; implements EntityRelationExtractor."""

    def __init__(
        self,
        model: JointModel,
        tokenizer: PreTrainedTokenizerBase,
        meta: ModelMeta,
        *,
        device: torch.device | None = None,
        batch_size: int = 32,
    ):
        self.model = model
        self.tokenizer = tokenizer
        self.meta = meta
        self.device = device or torch.device("cpu")
        self.batch_size = batch_size
        self.model.to(self.device)

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(self.meta.entity_labels)

    @property
    def relation_labels(self) -> tuple[str, ...]:
        return tuple(self.meta.relation_labels)

    @property
    def version(self) -> str:
        return self.meta.model_version

    # -- persistence --------------------------------------------------------------------------------
    @classmethod
    def from_pretrained(
        cls, path: str | Path, *, device: str = "auto", batch_size: int = 32, precision: str = "fp32"
    ) -> TransformerExtractor:
        """Load a saved extractor.

        Args:
            device: ``auto`` (CUDA when present, else CPU), ``cpu``, ``cuda`` or ``cuda:N``.
            batch_size: windows per forward pass.
            precision: ``fp32``; ``int8`` = dynamic int8 quantization of the encoder's linear layers
                (CPU only; its F1 cost is in docs/BENCHMARKS.md); ``fp16``/``bf16`` = half precision
                (on CUDA).
        """
        folder = Path(path)
        meta_path = folder / META_FILE
        if not meta_path.is_file():
            raise ExtractionError(
                f"{folder} is not an mfg-kg extractor (no {META_FILE}). Train one with `kg train CONFIG`, "
                "or point at the folder `kg train` wrote."
            )
        meta = ModelMeta.model_validate_json(meta_path.read_text())
        heads = HeadConfig(tuple(meta.tags), tuple(meta.entity_labels), tuple(meta.relation_labels))
        model = JointModel(str(folder), heads)
        model.load_state_dict(load_file(str(folder / HEADS_FILE)), strict=False)
        tokenizer = AutoTokenizer.from_pretrained(str(folder))
        target = pick_device(device)
        return cls(
            _with_precision(model.eval(), precision, target),
            tokenizer,
            meta,
            device=target,
            batch_size=batch_size,
        )

    def save_pretrained(self, path: str | Path, *, card: str = "") -> Path:
        folder = Path(path)
        folder.mkdir(parents=True, exist_ok=True)
        self.model.encoder.save_pretrained(str(folder))
        self.tokenizer.save_pretrained(str(folder))
        heads = {
            k: v.detach().cpu().contiguous()
            for k, v in self.model.state_dict().items()
            if not k.startswith("encoder.")
        }
        save_file(heads, str(folder / HEADS_FILE))
        (folder / META_FILE).write_text(self.meta.model_dump_json(indent=2))
        if card:
            (folder / "README.md").write_text(card)
        return folder

    # -- inference ----------------------------------------------------------------------------------
    def extract(self, chunks: Sequence[TextChunk]) -> list[ChunkExtraction]:
        """Mentions with spans relative to each chunk's text (add ``chunk.offset`` for the document)."""
        return self.predict([c.text for c in chunks])

    @torch.inference_mode()
    def predict(self, texts: Sequence[str]) -> list[ChunkExtraction]:
        """One ChunkExtraction per text; empty or whitespace texts give empty results."""
        self.model.eval()
        candidates: list[list[tuple[int, Mention]]] = [[] for _ in texts]
        pair_scores: list[dict[tuple[tuple[int, int, str], tuple[int, int, str]], tuple[str, float]]] = [
            {} for _ in texts
        ]
        windows = make_windows(
            self.tokenizer,
            [t if t.strip() else "" for t in texts],
            max_length=self._window_length(),
            stride=self.meta.stride,
        )
        order = sorted(range(len(windows)), key=lambda i: len(windows[i].input_ids))
        for start in range(0, len(order), self.batch_size):
            batch = [windows[i] for i in order[start : start + self.batch_size]]
            self._predict_batch(batch, texts, candidates, pair_scores)
        return [self._merge(candidates[i], pair_scores[i]) for i in range(len(texts))]

    def _window_length(self) -> int:
        limit = int(getattr(self.model.encoder.config, "max_position_embeddings", 512))
        return min(max(self.meta.inference_max_length, self.meta.max_length), limit)

    def _predict_batch(
        self,
        batch: list[Window],
        texts: Sequence[str],
        candidates: list[list[tuple[int, Mention]]],
        pair_scores: list[dict[Any, tuple[str, float]]],
    ) -> None:
        ids, mask = pad_batch(batch, self.tokenizer.pad_token_id or 0, self.device)
        hidden = self.model.encode(ids, mask)
        # one argmax for the whole batch, then plain lists: per-word tensor indexing costs microseconds each
        best_p, best_tag = self.model.tag_logits(hidden).float().softmax(-1).max(-1)
        all_p, all_tags = best_p.cpu().tolist(), best_tag.cpu().tolist()
        label_ids = {label: i for i, label in enumerate(self.meta.entity_labels)}
        per_window: list[list[tuple[int, int, int, Mention, int]]] = []
        for b, w in enumerate(batch):
            row_p, row_tags, offsets, ends = all_p[b], all_tags[b], w.offsets, w.word_ends
            words = [
                (offsets[t][0], offsets[ends[pos]][1], WordPrediction(b, pos, row_tags[t], row_p[t]))
                for pos, t in enumerate(w.word_starts)
            ]
            found = []
            text = texts[w.text_index]
            for s, e, label, score, preds in decode_spans(words, self.meta.tags)[:MAX_MENTIONS_PER_WINDOW]:
                m = Mention(start=s, end=e, label=label, score=round(score, 4), text=text[s:e])
                first, last = w.word_starts[preds[0].position], ends[preds[-1].position]
                centrality = min(w.centrality(preds[0].position), w.centrality(preds[-1].position))
                found.append((first, last, label_ids[label], m, centrality))
                candidates[w.text_index].append((centrality, m))
            per_window.append(found)
        self._score_pairs(hidden, batch, per_window, pair_scores)

    def _score_pairs(
        self,
        hidden: torch.Tensor,
        batch: list[Window],
        per_window: list[list[Any]],
        pair_scores: list[dict[Any, tuple[str, float]]],
    ) -> None:
        if not self.meta.relation_labels:
            return  # an entities-only model (trained on a corpus without relation annotations)
        rows, keys = [], []
        reach = self.meta.max_length  # pairs farther apart than a training window were never learned
        for b, found in enumerate(per_window):
            text_index = batch[b].text_index
            for i, (hs, he, hl, hm, _) in enumerate(found):  # found is in text order
                for ts, te, tl, tm, _ in found[i + 1 :]:
                    if ts - he >= reach:
                        break
                    rows += [[b, hs, he, hl, ts, te, tl], [b, ts, te, tl, hs, he, hl]]
                    keys += [(text_index, hm, tm), (text_index, tm, hm)]
        if not rows:
            return
        pair_tensor = torch.tensor(rows, device=hidden.device)
        proj = self.model.project_tokens(hidden)
        probs = torch.cat(
            [
                self.model.pair_logits(hidden, pair_tensor[i : i + PAIR_CHUNK], proj)
                .float()
                .softmax(-1)
                .cpu()
                for i in range(0, len(rows), PAIR_CHUNK)
            ]
        )  # chunks bound memory however many mentions a batch holds
        best_p, best = probs[:, 1:].max(-1)
        floor = min([self.meta.relation_threshold, *self.meta.relation_thresholds.values()])
        for (text_index, hm, tm), p, r in zip(keys, best_p.tolist(), best.tolist(), strict=True):
            if p >= floor:
                key = ((hm.start, hm.end, hm.label), (tm.start, tm.end, tm.label))
                old = pair_scores[text_index].get(key)
                if old is None or p > old[1]:
                    pair_scores[text_index][key] = (self.meta.relation_labels[r], p)

    def _merge(
        self,
        found: list[tuple[int, Mention]],
        pairs: dict[tuple[tuple[int, int, str], tuple[int, int, str]], tuple[str, float]],
    ) -> ChunkExtraction:
        """Keep, for overlapping candidates from different windows, the one read farthest from an edge."""
        starts: list[int] = []  # kept spans never overlap, so sorted starts and ends interleave
        kept_by_start: list[Mention] = []
        cut = self.meta.entity_thresholds
        for _, m in sorted(found, key=lambda c: (-c[0], c[1].start)):
            if m.score < cut.get(m.label, 0.0):
                continue  # below its label's cut-off (chosen on dev)
            i = bisect.bisect_left(starts, m.start)
            if i < len(starts) and starts[i] < m.end:
                continue  # a kept span starts inside m
            if i > 0 and kept_by_start[i - 1].end > m.start:
                continue  # m starts inside the kept span before it
            starts.insert(i, m.start)
            kept_by_start.insert(i, m)
        kept = kept_by_start  # already in text order
        index = {(m.start, m.end, m.label): i for i, m in enumerate(kept)}
        rel_cut = self.meta.relation_thresholds
        relations = [
            PredictedRelation(head=index[h], tail=index[t], label=label, score=round(p, 4))
            for (h, t), (label, p) in sorted(pairs.items())
            if h in index and t in index and p >= rel_cut.get(label, self.meta.relation_threshold)
        ]
        return ChunkExtraction(mentions=kept, relations=relations, model_version=self.version)


PRECISIONS = ("fp32", "int8", "fp16", "bf16")


def _with_precision(model: JointModel, precision: str, device: torch.device) -> JointModel:
    if precision not in PRECISIONS:
        raise ExtractionError(f"Unknown precision {precision!r}: use one of {', '.join(PRECISIONS)}.")
    if precision == "int8":
        if device.type != "cpu":
            raise ExtractionError("precision int8 is for CPU inference; use fp16 or bf16 on a GPU.")
        import warnings

        with (
            warnings.catch_warnings()
        ):  # torch.ao dynamic quantization works but announces its move to torchao
            warnings.simplefilter("ignore")
            # the encoder only: the relation head reads its first layer's weight matrix directly
            model.encoder = torch.ao.quantization.quantize_dynamic(
                model.encoder, {torch.nn.Linear}, dtype=torch.qint8
            )
    elif precision in ("fp16", "bf16"):
        model = model.to(torch.float16 if precision == "fp16" else torch.bfloat16)
    return model


def pad_batch(batch: list[Window], pad_id: int, device: torch.device) -> tuple[torch.Tensor, torch.Tensor]:
    width = max(len(w.input_ids) for w in batch)
    ids = torch.full((len(batch), width), pad_id, dtype=torch.long)
    mask = torch.zeros((len(batch), width), dtype=torch.long)
    for i, w in enumerate(batch):
        ids[i, : len(w.input_ids)] = torch.tensor(w.input_ids)
        mask[i, : len(w.input_ids)] = 1
    return ids.to(device), mask.to(device)


def read_meta(path: str | Path) -> ModelMeta:
    """The saved model's metadata without loading weights."""
    return ModelMeta.model_validate(json.loads((Path(path) / META_FILE).read_text()))
