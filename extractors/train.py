"""Fine-tune the joint extractor: ``train(config, output)`` (``kg train CONFIG`` is a thin wrapper).

A config (TOML or JSON, see ``extractors/configs/``) names the datasets, the label mapping to ontology
labels, the encoder, hyper-parameters, seed and device. Training stops early when the dev score has not
improved for ``patience`` epochs or when ``max_minutes`` is spent; the best epoch is saved.
"""

from __future__ import annotations

import copy
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
from transformers import AutoTokenizer

from extractors.card import model_card
from extractors.data import load_split
from extractors.encoding import IGNORE, Window, attach_gold, make_windows
from extractors.network import HeadConfig, JointModel
from extractors.train_config import Hyper, TrainConfig, TrainResult, default_encoder
from extractors.transformer import ModelMeta, TransformerExtractor, pad_batch, pick_device
from extractors.types import AnnotatedText
from kg.core.errors import ConfigError

ProgressFn = Callable[[str, dict[str, Any]], None]

__all__ = ["Hyper", "ProgressFn", "TrainConfig", "TrainResult", "default_encoder", "train"]


def _labels(texts: Sequence[AnnotatedText]) -> tuple[list[str], list[str], list[str]]:
    ents = sorted({e.label for t in texts for e in t.entities})
    rels = sorted({r.label for t in texts for r in t.relations})
    tags = ["O"] + [f"{p}-{e}" for e in ents for p in ("B", "I")]
    return tags, ents, rels


def _seed(seed: int) -> None:
    random.seed(seed)
    torch.manual_seed(seed)


def _loss(
    model: JointModel,
    batch: list[Window],
    texts: Sequence[AnnotatedText],
    rel_index: dict[str, int],
    rng: random.Random,
    negatives: int,
    device: torch.device,
) -> torch.Tensor:
    ids, mask = pad_batch(batch, 0, device)
    hidden = model.encode(ids, mask)
    tags = torch.full(ids.shape, IGNORE, dtype=torch.long)
    for i, w in enumerate(batch):
        tags[i, : len(w.tags or [])] = torch.tensor(w.tags or [])
    logits = model.tag_logits(hidden)
    loss = torch.nn.functional.cross_entropy(
        logits.view(-1, logits.shape[-1]), tags.to(device).view(-1), ignore_index=IGNORE
    )
    rows, targets = _pairs(batch, texts, rel_index, rng, negatives)
    if rows:
        rel_logits = model.pair_logits(hidden, torch.tensor(rows, device=device))
        loss = loss + torch.nn.functional.cross_entropy(rel_logits, torch.tensor(targets, device=device))
    return loss


def _pairs(
    batch: list[Window],
    texts: Sequence[AnnotatedText],
    rel_index: dict[str, int],
    rng: random.Random,
    negatives: int,
) -> tuple[list[list[int]], list[int]]:
    rows: list[list[int]] = []
    targets: list[int] = []
    for b, w in enumerate(batch):
        if not w.relations:
            continue
        gold = {(r.head, r.tail): rel_index[r.label] + 1 for r in texts[w.text_index].relations}
        neg = []
        for hs, he, hl, hk in w.spans:
            for ts, te, tl, tk in w.spans:
                if hk == tk:
                    continue
                row = [b, hs, he, hl, ts, te, tl]
                if (hk, tk) in gold:
                    rows.append(row)
                    targets.append(gold[(hk, tk)])
                else:
                    neg.append(row)
        for row in rng.sample(neg, min(negatives, len(neg))):
            rows.append(row)
            targets.append(0)
    return rows, targets


def train(
    config: TrainConfig, output: str | Path, *, device: str | None = None, progress: ProgressFn | None = None
) -> TrainResult:
    """Fine-tune on ``config.train``, early-stop on ``config.dev``, save the best model to ``output``."""
    _seed(config.seed)
    t0 = time.monotonic()
    train_texts, rel_supervised, dev_texts = _load_texts(config)
    setup = _build_model(config, train_texts, rel_supervised, device)
    loop = _EpochLoop(config, setup, train_texts, dev_texts, progress)
    loop.run(t0)
    if loop.best_state:
        setup.model.load_state_dict(loop.best_state)
    dev_tuned, thresholds = _tune(config, setup, dev_texts)
    result = TrainResult(
        output=str(output),
        best_epoch=loop.best_epoch,
        dev=loop.best_dev,
        epochs_run=loop.epochs_run,
        seconds=round(time.monotonic() - t0, 1),
        train_texts=len(train_texts),
        windows_per_second=round(loop.seen / max(loop.train_seconds, 1e-9), 1),
        dropped_nested=setup.dropped,
        dev_tuned=dev_tuned,
        thresholds=thresholds,
    )
    _save(config, setup, result, output)
    return result


def _tune(
    config: TrainConfig, setup: _Setup, dev_texts: list[AnnotatedText]
) -> tuple[dict[str, float], dict[str, Any]]:
    """Choose per-label thresholds on dev (when asked and there is a dev split); their dev scores."""
    if not (config.hyper.tune_thresholds and dev_texts):
        return {}, {}
    from extractors.metrics import score
    from extractors.thresholds import tune_thresholds

    setup.model.eval()
    tuned = tune_thresholds(setup.extractor, dev_texts)
    tuned.apply(setup.meta)
    return score(dev_texts, _predict(setup.extractor, dev_texts)).headline(), tuned.summary()


def _load_texts(config: TrainConfig) -> tuple[list[AnnotatedText], list[bool], list[AnnotatedText]]:
    """The training texts, whether each one's dataset is supervised for relations, and the dev texts."""
    hp = config.hyper
    train_texts: list[AnnotatedText] = []
    rel_supervised: list[bool] = []
    for spec in config.train:
        part = load_split([spec], config.entity_map, config.relation_map, config.unknown_labels)
        train_texts += part
        rel_supervised += [spec.relations] * len(part)
    dev_texts = load_split(config.dev, config.entity_map, config.relation_map, config.unknown_labels)
    if hp.limit_train:
        train_texts = train_texts[: hp.limit_train]
    if not train_texts:
        raise ConfigError(
            f"Training config {config.name!r} produced no training texts; check the data paths."
        )
    return train_texts, rel_supervised, dev_texts


@dataclass
class _Setup:
    """What the epoch loop trains: the model, its extractor and metadata, and the gold-tagged windows."""

    model: JointModel
    extractor: TransformerExtractor
    meta: ModelMeta
    windows: list[Window]
    relation_labels: list[str]
    dropped: int  # nested entities attach_gold could not tag
    device: torch.device


def _build_model(
    config: TrainConfig, train_texts: list[AnnotatedText], rel_supervised: list[bool], device: str | None
) -> _Setup:
    """Labels from the training texts, the tokenizer and its windows with gold tags, and a fresh model."""
    hp = config.hyper
    tags, ents, rels = _labels(train_texts)
    encoder = config.encoder_path()
    tokenizer = AutoTokenizer.from_pretrained(encoder)
    windows = make_windows(
        tokenizer, [t.text for t in train_texts], max_length=hp.max_length, stride=hp.stride
    )
    dropped = attach_gold(
        windows, train_texts, {t: i for i, t in enumerate(tags)}, {e: i for i, e in enumerate(ents)}
    )
    for w in windows:
        w.relations = rel_supervised[w.text_index]
    dev_obj = torch.device(device) if device else pick_device(config.device)
    model = JointModel(encoder, HeadConfig(tuple(tags), tuple(ents), tuple(rels))).to(dev_obj)
    meta = ModelMeta(
        name=config.name,
        version=config.version,
        tags=tags,
        entity_labels=ents,
        relation_labels=rels,
        max_length=hp.max_length,
        stride=hp.stride,
        relation_threshold=hp.relation_threshold,
        base_encoder=encoder,
    )
    extractor = TransformerExtractor(model, tokenizer, meta, device=dev_obj, batch_size=64)
    return _Setup(model, extractor, meta, windows, rels, dropped, dev_obj)


class _EpochLoop:
    """The epochs: train, score on dev, keep the best state; stop on patience, schedule end or time budget."""

    def __init__(
        self,
        config: TrainConfig,
        setup: _Setup,
        train_texts: list[AnnotatedText],
        dev_texts: list[AnnotatedText],
        progress: ProgressFn | None,
    ) -> None:
        self.hp = hp = config.hyper
        self.setup, self.train_texts, self.dev_texts, self.progress = setup, train_texts, dev_texts, progress
        self.opt, self.sched = _optimizer(setup.model, hp, len(setup.windows))
        self.rng = random.Random(config.seed)
        self.rel_index = {r: i for i, r in enumerate(setup.relation_labels)}
        self.steps_per_epoch = (len(setup.windows) + hp.batch_size - 1) // hp.batch_size
        self.best_objective, self.best_epoch = -1.0, 0
        self.best_state: dict[str, torch.Tensor] = {}
        self.best_dev: dict[str, float] = {}
        self.epochs_run = 0
        self.seen = 0  # windows trained on, for the throughput
        self.train_seconds = 0.0

    def run(self, t0: float) -> None:
        """Train epoch after epoch; ``t0``: when training started, for the time budget."""
        hp, progress = self.hp, self.progress
        planned = hp.epochs
        for epoch in range(1, hp.epochs + 1):
            self.epochs_run = epoch
            self.setup.model.train()
            e0 = time.monotonic()
            loss = self._train_epoch(epoch)
            self.train_seconds += time.monotonic() - e0
            headline = self._dev_headline()
            if epoch == 1:  # one epoch (with its dev pass) measured: fit the decay into the time budget
                planned = self.sched.replan(time.monotonic() - e0, time.monotonic() - t0)
                if progress and planned < hp.epochs:
                    progress("plan", {"epochs": planned, "max_minutes": hp.max_minutes})
            objective = _objective(headline, bool(self.setup.relation_labels))
            if progress:
                progress("epoch", {"epoch": epoch, "loss": round(loss.item(), 4), **headline})
            if objective > self.best_objective:
                self.best_objective, self.best_epoch = objective, epoch
                self.best_state, self.best_dev = copy.deepcopy(self.setup.model.state_dict()), headline
            elif epoch - self.best_epoch >= hp.patience:
                break
            if epoch >= planned or (time.monotonic() - t0) / 60 > hp.max_minutes:
                break  # the learning rate has decayed to zero, or the time budget is spent

    def _train_epoch(self, epoch: int) -> torch.Tensor:
        """One pass over the training windows; returns the loss of the last batch."""
        hp, setup, windows = self.hp, self.setup, self.setup.windows
        for i, batch_ids in enumerate(_length_bucketed_batches(windows, hp.batch_size, self.rng)):
            batch = [windows[k] for k in batch_ids]
            loss = _loss(
                setup.model, batch, self.train_texts, self.rel_index, self.rng, hp.negatives_per_window,
                setup.device,
            )  # fmt: skip
            loss.backward()
            torch.nn.utils.clip_grad_norm_(setup.model.parameters(), 1.0)
            self.opt.step()
            self.sched.step()
            self.opt.zero_grad()
            self.seen += len(batch)
            if self.progress:
                self.progress("step", {"epoch": epoch, "step": i + 1, "steps": self.steps_per_epoch})
        return loss

    def _dev_headline(self) -> dict[str, float]:
        """The dev scores of the model as it is now (empty without dev texts)."""
        from extractors.metrics import score

        if not self.dev_texts:
            return {}
        return score(self.dev_texts, _predict(self.setup.extractor, self.dev_texts)).headline()


def _save(config: TrainConfig, setup: _Setup, result: TrainResult, output: str | Path) -> None:
    """Save the model, with the config and result in its metadata and a model card, to ``output``."""
    setup.meta.training = {"config": config.model_dump(mode="json"), "result": result.model_dump()}
    setup.extractor.model.eval()
    setup.extractor.save_pretrained(output, card=model_card(setup.meta, result.model_dump()))


def _length_bucketed_batches(
    windows: Sequence[Window], batch_size: int, rng: random.Random
) -> list[list[int]]:
    """Shuffled batches of windows of similar length: short work orders are not padded to the length of
    a long news window in the same batch (on the default mix that halves the compute per epoch).

    Windows are shuffled, cut into pools of 50 batches, sorted by length within a pool, batched, and the
    batches shuffled: still a random order, with little padding.
    """
    order = list(range(len(windows)))
    rng.shuffle(order)
    pool = 50 * batch_size
    batches = []
    for p in range(0, len(order), pool):
        part = sorted(order[p : p + pool], key=lambda k: len(windows[k].input_ids))
        batches += [part[i : i + batch_size] for i in range(0, len(part), batch_size)]
    rng.shuffle(batches)
    return batches


def _predict(extractor: TransformerExtractor, texts: Sequence[AnnotatedText]) -> list[AnnotatedText]:
    preds = extractor.predict([t.text for t in texts])
    return [p.as_annotated(t.id, t.text) for p, t in zip(preds, texts, strict=True)]


def _objective(headline: dict[str, float], has_relations: bool) -> float:
    ner = headline.get("entity_micro_f1", 0.0)
    return (ner + headline.get("relation_strict_micro_f1", 0.0)) / 2 if has_relations else ner


class BudgetSchedule:
    """Linear warm-up then linear decay to zero at the last step that fits the time budget.

    A fixed schedule over ``epochs`` stops half-way up the decay when ``max_minutes`` cuts training short
    (as on 2 CPU cores); after the first epoch the measured epoch time re-plans the total step count.
    """

    def __init__(self, opt: torch.optim.Optimizer, hp: Hyper, steps_per_epoch: int):
        self.hp, self.steps_per_epoch = hp, max(1, steps_per_epoch)
        self.total = self.steps_per_epoch * hp.epochs
        self.warmup = max(1, int(hp.warmup * self.total))
        self.sched = torch.optim.lr_scheduler.LambdaLR(opt, self._factor)

    def _factor(self, step: int) -> float:
        if step < self.warmup:
            return (step + 1) / self.warmup
        return max(0.0, (self.total - step) / max(1, self.total - self.warmup))

    def step(self) -> None:
        self.sched.step()

    def replan(self, epoch_seconds: float, elapsed_seconds: float) -> int:
        """Shrink the schedule to the epochs that still fit in ``max_minutes``; return the planned epochs."""
        left = self.hp.max_minutes * 60 - elapsed_seconds
        fit = 1 + max(0, int(left // max(epoch_seconds, 1e-9)))
        epochs = min(self.hp.epochs, fit)
        self.total = max(self.warmup + 1, epochs * self.steps_per_epoch)
        return epochs


def _optimizer(model: JointModel, hp: Hyper, n_windows: int) -> tuple[torch.optim.Optimizer, BudgetSchedule]:
    enc = [p for n, p in model.named_parameters() if n.startswith("encoder.")]
    heads = [p for n, p in model.named_parameters() if not n.startswith("encoder.")]
    opt = torch.optim.AdamW(
        [{"params": enc, "lr": hp.lr}, {"params": heads, "lr": hp.head_lr}], weight_decay=hp.weight_decay
    )
    return opt, BudgetSchedule(opt, hp, (n_windows + hp.batch_size - 1) // hp.batch_size)
