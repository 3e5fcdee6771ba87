"""What a run reports: one :class:`DocumentOutcome` per document, gathered in an :class:`IngestReport`,
and the :data:`ProgressFn` callback that follows a run as it goes.

Example:
    >>> report = IngestReport(outcomes=[DocumentOutcome("a.txt"), DocumentOutcome("b.txt", state="failed")])
    >>> report.count("loaded"), len(report.failed)
    (1, 1)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

#: called with ``("start", {...})`` once and ``("progress", {...})`` after each group of documents
ProgressFn = Callable[[str, dict[str, Any]], None]


@dataclass
class DocumentOutcome:
    """What became of one document: its state, why (when it failed or was skipped), and what it added."""

    path: str
    doc_id: str = ""
    state: str = "loaded"  # loaded | replaced | unchanged | duplicate | failed
    reason: str = ""
    nodes: int = 0
    edges: int = 0
    review: int = 0
    chunks: int = 0
    warnings: list[str] = field(default_factory=list)
    #: mentions each node rule removed or re-typed (kg.ingest.node_rules), e.g. {"pronoun": 3}, and the
    #: CAUSES edges a stated connective added (kg.ingest.stated_causes)
    node_rules: dict[str, int] = field(default_factory=dict)
    #: characters not extracted because they are in another language (kg.ingest.language), e.g. {"de": 2400}
    languages_skipped: dict[str, int] = field(default_factory=dict)


@dataclass
class IngestReport:
    """Every document's outcome, in the order they were settled, with timings per stage.

    Example:
        >>> IngestReport().summary()["documents"]
        0
    """

    outcomes: list[DocumentOutcome] = field(default_factory=list)
    seconds: float = 0.0
    stages: dict[str, float] = field(
        default_factory=lambda: dict.fromkeys(("read", "extract", "resolve", "write"), 0.0)
    )
    peak_rss_mb: float = 0.0
    #: why the run stopped before its end (the store went away); the same command resumes it
    stopped: str = ""
    #: seconds writes waited for a store that went away and came back
    waited_for_store_s: float = 0.0

    @property
    def failed(self) -> list[DocumentOutcome]:
        return [o for o in self.outcomes if o.state == "failed"]

    def count(self, state: str) -> int:
        return sum(1 for o in self.outcomes if o.state == state)

    @property
    def facts(self) -> int:
        return sum(o.nodes + o.edges for o in self.outcomes)

    def node_rules(self) -> dict[str, int]:
        """Mentions each node rule removed or re-typed, over all documents, most first."""
        total: dict[str, int] = {}
        for o in self.outcomes:
            for rule, n in o.node_rules.items():
                total[rule] = total.get(rule, 0) + n
        return dict(sorted(total.items(), key=lambda kv: (-kv[1], kv[0])))

    def summary(self) -> dict[str, Any]:
        done = [o for o in self.outcomes if o.state in ("loaded", "replaced")]
        return {
            "documents": len(self.outcomes),
            **{s: self.count(s) for s in ("loaded", "replaced", "unchanged", "duplicate", "failed")},
            "facts": self.facts,
            "review": sum(o.review for o in self.outcomes),
            "node_rules": self.node_rules(),
            "seconds": round(self.seconds, 2),
            "documents_per_min": round(len(done) / self.seconds * 60, 1) if self.seconds else 0.0,
            "facts_per_s": round(self.facts / self.seconds, 1) if self.seconds else 0.0,
            "stages_s": {k: round(v, 2) for k, v in self.stages.items()},
            "peak_rss_mb": round(self.peak_rss_mb, 1),
            **({"waited_for_store_s": round(self.waited_for_store_s, 1)} if self.waited_for_store_s else {}),
            **({"stopped": self.stopped} if self.stopped else {}),
        }
