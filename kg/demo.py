"""The main job on the embedded default: build the graph from ``samples/`` and answer two questions.

Until document ingestion lands, the demo loads the structured sample (equipment, bill of materials with
suppliers, FMEA) and shows a failure chain for the equipment with the most failure modes and the impact
of an outage of the supplier that feeds the most equipment.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.graph import KnowledgeGraph
from kg.model import WriteSummary
from kg.store import cypher

_IN_REPO = Path(__file__).resolve().parent.parent / "samples" / "structured"
DEFAULT_SAMPLES = _IN_REPO if _IN_REPO.is_dir() else Path("samples/structured")


@dataclass
class DemoReport:
    """What the demo loaded and the answers it found."""

    written: WriteSummary
    row_errors: list[str]
    stats: dict[str, dict[str, int]]
    equipment: dict[str, Any] | None = None
    failure_chains: list[dict[str, Any]] = field(default_factory=list)
    supplier: dict[str, Any] | None = None
    supplier_impact: list[dict[str, Any]] = field(default_factory=list)


def run_demo(kg: KnowledgeGraph, samples: Path = DEFAULT_SAMPLES) -> DemoReport:
    """Load ``samples`` (idempotent: running twice changes nothing) and answer the two demo questions."""
    from kg.loaders import load_directory

    loaded = load_directory(samples)
    written = kg.upsert(loaded.batch)
    report = DemoReport(written=written, row_errors=[str(e) for e in loaded.errors], stats=kg.stats())
    top = kg.store.read(cypher.top_equipment_by_failure_modes())
    if top:
        report.equipment = top[0]
        report.failure_chains = kg.failure_chains(top[0]["id"], limit=20)
    sup = kg.store.read(cypher.top_supplier_by_equipment())
    if sup:
        report.supplier = sup[0]
        report.supplier_impact = kg.supplier_impact(sup[0]["id"], limit=30)
    return report
