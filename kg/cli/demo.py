"""The main job on the embedded default: ingest ``samples/`` and answer the questions analysts ask first.

``kg demo`` ingests the structured tables (equipment register, bill of materials with suppliers, FMEA)
and the sample documents (supplier letters, work orders, FMEA sheets, manuals, quality reports) through
the same pipeline as ``kg ingest`` — entity resolution, ontology check, provenance, idempotent — then
shows the failure chains of the equipment with the most failure modes, the impact of an outage of the
supplier that feeds the most equipment, and the single-source parts; then answers a few questions in plain
language as ``POST /ask`` does (with the facts, citations and which explainer wrote the text). The default
extractor is trained on first use (bounded; see ``kg extract``); ``--structured-only`` skips the documents and
needs no model.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.core.settings import Settings
from kg.graph.knowledge_graph import KnowledgeGraph
from kg.ingest.pipeline import IngestReport, ProgressFn
from kg.store import cypher

_IN_REPO = Path(__file__).resolve().parent.parent / "samples"
DEFAULT_SAMPLES = _IN_REPO if _IN_REPO.is_dir() else Path("samples")


@dataclass
class DemoReport:
    """What the demo ingested and the answers it found."""

    ingest: IngestReport
    stats: dict[str, dict[str, int]]
    equipment: dict[str, Any] | None = None
    failure_chains: list[dict[str, Any]] = field(default_factory=list)
    supplier: dict[str, Any] | None = None
    supplier_impact: list[dict[str, Any]] = field(default_factory=list)
    single_source: list[dict[str, Any]] = field(default_factory=list)
    answers: list[Any] = field(default_factory=list)  # kg.qa.answers.AskResponse per DEMO_QUESTIONS


#: questions in plain language the demo answers (``POST /ask`` / ``kg ask`` do the same for any question)
DEMO_QUESTIONS = (
    "What does an outage of SKF hit?",
    "How can the coolant supply pump fail?",
    "What is the maintenance history of OST-HP-02-HPU?",
)


DemoStep = tuple[str, list[Path]]


def demo_steps(samples: Path = DEFAULT_SAMPLES, *, structured_only: bool = False) -> list[DemoStep]:
    """The demo's steps, in order: (title, paths). The tables need no model; the documents do."""
    tables = "the structured tables (equipment register, BOM, FMEA; no model needed)"
    steps = [(tables, [samples / "structured"])]
    if not structured_only:
        documents = (
            "the documents (supplier letters, work orders, manuals, quality reports; "
            "the default extractor is trained on first use)"
        )
        steps.append((documents, [samples / "documents"]))
    return steps


def run_demo(
    kg: KnowledgeGraph,
    settings: Settings,
    paths: list[Path],
    *,
    progress: ProgressFn | None = None,
    ask: bool = True,
) -> DemoReport:
    """Ingest ``paths`` (idempotent: a second run finds every document unchanged) and answer; ``ask``:
    also answer :data:`DEMO_QUESTIONS` in plain language (explained by the configured explainer)."""
    from kg.ingest.service import ingestor_for

    with ingestor_for(kg, settings, recursive=True, progress=progress) as ingestor:
        ingested = ingestor.run(paths)
    report = DemoReport(ingest=ingested, stats=kg.stats())
    top = kg.store.read(cypher.top_equipment_by_failure_modes())
    if top:
        report.equipment = top[0]
        report.failure_chains = kg.failure_chains(top[0]["id"], limit=20)
    sup = kg.store.read(cypher.top_supplier_by_equipment())
    if sup:
        report.supplier = sup[0]
        report.supplier_impact = kg.supplier_impact(sup[0]["id"], limit=30)
    report.single_source = kg.single_source_items(limit=15)
    if ask:
        from kg.qa.answers import AskRequest
        from kg.qa.service import QAService

        qa = QAService(kg, settings)
        report.answers = [qa.ask(AskRequest(question=q)) for q in DEMO_QUESTIONS]
    return report
