"""Window merging and the time-budgeted learning-rate schedule (pure logic, no model)."""

from __future__ import annotations

import random
from types import SimpleNamespace

import torch

from extractors.train import BudgetSchedule, Hyper
from extractors.transformer import ModelMeta, TransformerExtractor
from extractors.types import Mention


def _mention(start: int, end: int) -> Mention:
    return Mention(start=start, end=end, label="X", score=0.9, text="x" * (end - start))


def _me(**thresholds: dict[str, float]) -> SimpleNamespace:
    """What ``_merge`` reads of an extractor: its version and metadata (with optional per-label cut-offs)."""
    meta = ModelMeta(name="t", version="1", tags=["O"], entity_labels=["X"], relation_labels=["hasPart"])
    return SimpleNamespace(version="t@1", meta=meta.model_copy(update=thresholds))


def _reference(found: list[tuple[int, Mention]]) -> list[Mention]:
    kept: list[Mention] = []
    for _, m in sorted(found, key=lambda c: (-c[0], c[1].start)):
        if not any(m.start < k.end and k.start < m.end for k in kept):
            kept.append(m)
    return sorted(kept, key=lambda m: (m.start, m.end))


def test_merge_keeps_the_most_central_of_overlapping_candidates_like_the_quadratic_reference() -> None:
    rng = random.Random(3)
    me = _me()
    for _ in range(200):
        found = []
        for _ in range(rng.randint(0, 40)):
            s = rng.randint(0, 200)
            found.append((rng.randint(0, 10), _mention(s, s + rng.randint(1, 12))))
        out = TransformerExtractor._merge(me, found, {})  # type: ignore[arg-type]
        assert out.mentions == _reference(found)
        assert all(a.end <= b.start for a, b in zip(out.mentions, out.mentions[1:], strict=False))


def test_merge_keeps_relations_only_between_kept_mentions() -> None:
    me = _me()
    a, b, c = _mention(0, 4), _mention(2, 6), _mention(10, 12)
    pairs = {((0, 4, "X"), (10, 12, "X")): ("hasPart", 0.9), ((2, 6, "X"), (10, 12, "X")): ("hasPart", 0.8)}
    out = TransformerExtractor._merge(me, [(1, a), (5, b), (5, c)], pairs)  # type: ignore[arg-type]
    assert out.mentions == [b, c]
    assert [(r.head, r.tail, r.label) for r in out.relations] == [(0, 1, "hasPart")]


def test_budget_schedule_decays_to_zero_at_the_last_epoch_that_fits() -> None:
    param = torch.nn.Parameter(torch.zeros(1))
    opt = torch.optim.SGD([param], lr=1.0)
    sched = BudgetSchedule(opt, Hyper(epochs=30, warmup=0.1, max_minutes=10), steps_per_epoch=10)
    assert sched.total == 300
    # the first epoch took 60 s of a 600 s budget: 9 more fit, so 10 epochs in all
    assert sched.replan(epoch_seconds=60, elapsed_seconds=60) == 10
    assert sched.total == 100
    lrs = []
    for _ in range(100):
        opt.step()
        sched.step()
        lrs.append(opt.param_groups[0]["lr"])
    assert lrs[-1] == 0.0 and max(lrs) <= 1.0 and lrs[50] > 0
    # a budget that fits every epoch leaves the plan alone
    sched = BudgetSchedule(opt, Hyper(epochs=5, max_minutes=60), steps_per_epoch=10)
    assert sched.replan(epoch_seconds=10, elapsed_seconds=10) == 5 and sched.total == 50
