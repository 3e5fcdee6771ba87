"""The joint network: one transformer encoder, a BIO tagging head and a pairwise relation head.

Entities: every sub-token gets a BIO tag (``B-X`` where an entity starts, ``I-X`` inside), so any
tokenizer works and spans map back to characters through the tokenizer's offsets.

Relations: for each ordered pair of entity spans, the head scores ``[head span; tail span; context
between them; head label; tail label]`` where a span is its first and last sub-token states and the
context is a max-pool of the tokens between the two spans (SpERT's localized context). Label
embeddings let the head use entity types (relation types depend on them: hasPart joins objects).
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # before torch: default spinning is 10x slower on 2 cores

from dataclasses import dataclass

import torch
from torch import nn
from transformers import AutoModel
from transformers.utils import logging as hf_logging

hf_logging.disable_progress_bar()  # weight-loading bars on every load are noise in logs and the CLI
hf_logging.set_verbosity_error()

LABEL_EMBED_DIM = 32
PAIR_HIDDEN = 256


@dataclass(frozen=True)
class HeadConfig:
    """What the heads need to be rebuilt at load time (stored in the saved model)."""

    tags: tuple[str, ...]  # "O", "B-X", "I-X", ...
    entity_labels: tuple[str, ...]
    relation_labels: tuple[str, ...]  # index 0 is the implicit "no relation"
    dropout: float = 0.1


class JointModel(nn.Module):
    """Encoder + BIO head + relation head."""

    def __init__(self, encoder_path: str, heads: HeadConfig):
        super().__init__()
        self.heads = heads
        self.encoder = AutoModel.from_pretrained(encoder_path)
        hidden = int(self.encoder.config.hidden_size)
        self.dropout = nn.Dropout(heads.dropout)
        self.tagger = nn.Linear(hidden, len(heads.tags))
        self.label_embed = nn.Embedding(len(heads.entity_labels), LABEL_EMBED_DIM)
        pair_in = 5 * hidden + 2 * LABEL_EMBED_DIM
        self.relation = nn.Sequential(
            nn.Linear(pair_in, PAIR_HIDDEN),
            nn.GELU(),
            nn.Dropout(heads.dropout),
            nn.Linear(PAIR_HIDDEN, len(heads.relation_labels) + 1),
        )

    def encode(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        out = self.encoder(input_ids=input_ids, attention_mask=attention_mask)
        hidden: torch.Tensor = self.dropout(out.last_hidden_state)
        return hidden

    def tag_logits(self, hidden: torch.Tensor) -> torch.Tensor:
        logits: torch.Tensor = self.tagger(hidden)
        return logits

    def project_tokens(self, hidden: torch.Tensor) -> torch.Tensor:
        """Apply the relation head's first layer to every token state once: ``[batch, seq, 5, out]``.

        That layer is linear in the concatenated pair features, so a pair's pre-activation is a sum of
        gathered projections: identical to ``Linear(concat(...))`` but O(tokens + pairs), not
        O(pairs x features).
        """
        first: nn.Linear = self.relation[0]  # type: ignore[assignment]
        size, out = hidden.shape[-1], first.out_features
        # [out, 5*size] -> [5*out, size]: one GEMM for all five feature slots
        w_tokens = first.weight[:, : 5 * size].reshape(out, 5, size).transpose(0, 1).reshape(5 * out, size)
        return (hidden.reshape(-1, size) @ w_tokens.T).reshape(*hidden.shape[:2], 5, out)

    def pair_logits(
        self, hidden: torch.Tensor, pairs: torch.Tensor, proj: torch.Tensor | None = None
    ) -> torch.Tensor:
        """Relation logits for pairs.

        Args:
            hidden: ``[batch, seq, hidden]`` encoder states.
            pairs: ``[n, 7]`` long tensor: batch index, head (start, end, label), tail (start, end, label);
                starts/ends are inclusive sub-token indices.
            proj: :meth:`project_tokens` of ``hidden``, when scoring pairs in several chunks.
        """
        first: nn.Linear = self.relation[0]  # type: ignore[assignment]
        proj = self.project_tokens(hidden) if proj is None else proj
        b = pairs[:, 0]
        h_start, h_end, h_label = pairs[:, 1], pairs[:, 2], pairs[:, 3]
        t_start, t_end, t_label = pairs[:, 4], pairs[:, 5], pairs[:, 6]
        z = proj[b, h_start, 0] + proj[b, h_end, 1] + proj[b, t_start, 2] + proj[b, t_end, 3]
        z = z + self._between(proj[:, :, 4], b, torch.minimum(h_end, t_end), torch.maximum(h_start, t_start))
        labels = torch.cat([self.label_embed(h_label), self.label_embed(t_label)], dim=-1)
        z = z + labels @ first.weight[:, 5 * hidden.shape[-1] :].T + first.bias
        logits: torch.Tensor = self.relation[1:](z)
        return logits

    @staticmethod
    def _between(
        hidden: torch.Tensor, b: torch.Tensor, left: torch.Tensor, right: torch.Tensor
    ) -> torch.Tensor:
        """Mean of the token states strictly between two spans (zeros when they touch or overlap).

        Prefix sums make this O(pairs x hidden): a max-pool over a ``[pairs, seq, hidden]`` mask needs
        tens of GB for the pairs of a long document.
        """
        prefix = torch.nn.functional.pad(hidden.cumsum(dim=1), (0, 0, 1, 0))  # [batch, seq + 1, hidden]
        lo = left + 1  # first token after the left span
        hi = torch.maximum(right, lo)  # exclusive end; empty range when spans touch or overlap
        total = prefix[b, hi] - prefix[b, lo]
        count = (hi - lo).clamp(min=1).unsqueeze(-1).to(hidden.dtype)
        return total / count
