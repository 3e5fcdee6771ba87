"""The model card written beside every trained extractor."""

from __future__ import annotations

from typing import Any

from extractors.transformer import ModelMeta


def model_card(meta: ModelMeta, result: dict[str, Any]) -> str:
    """Markdown: what the model is, what it was trained on, with which settings, and how well it does."""
    cfg = meta.training.get("config", {}) if meta.training else {}
    data = (
        "\n".join(
            f"- {s.get('reader')}: `{s.get('path')}` {s.get('options') or ''}" for s in cfg.get("train", [])
        )
        or "- (not recorded)"
    )
    dev = "\n".join(f"| {k} | {v:.2f} |" for k, v in result.get("dev", {}).items()) or "| (no dev set) | |"
    hyper = ", ".join(f"{k}={v}" for k, v in cfg.get("hyper", {}).items())
    return f"""# {meta.name} {meta.version}

Joint entity + relation extractor fine-tuned by mfg-kg (`kg train`). Base encoder: `{meta.base_encoder}`.
Loads with `TransformerExtractor.from_pretrained(path)`; needs no network.

## Labels
- Entities ({len(meta.entity_labels)}): {", ".join(meta.entity_labels)}
- Relations ({len(meta.relation_labels)}): {", ".join(meta.relation_labels) or "none"}

## Training data
{data}

Training texts: {result.get("train_texts")}; entities that a flat tagger cannot represent (nested/overlapping,
dropped from training targets): {result.get("dropped_nested")}.

## Settings
seed={cfg.get("seed")}, {hyper}

## Evaluation (dev split, best epoch {result.get("best_epoch")} of {result.get("epochs_run")})
| metric | value |
|---|---|
{dev}

Training took {result.get("seconds")} s ({result.get("windows_per_second")} windows/s).

## Licences of the training data
See each corpus's SOURCE.md in the mfg-kg repository's shared datasets (MaintIE: MIT;
MWO2KG: Apache-2.0; DFKI product corpus: CC-BY-4.0; TFH-2020: MIT; materials synthesis procedures: MIT).
Cite the corpora's papers.
"""
