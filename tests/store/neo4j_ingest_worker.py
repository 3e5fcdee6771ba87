"""`kg ingest` as a process the outage tests can kill -9: the store and manifest come from the environment
(KG_STORE__BACKEND, NEO4J_*, KG_INGEST__*); documents go through a fixed-vocabulary extractor
(tests/fakes.py), so the runs compare stores, not models. Exit code as `kg ingest`'s.

    python tests/store/neo4j_ingest_worker.py samples/documents/supplier
"""

from __future__ import annotations

import sys
from pathlib import Path

import ontology  # noqa: F401  (imported before tests/ joins the path: tests/ontology would shadow it)
from kg.core.settings import load_settings
from kg.graph.knowledge_graph import open_knowledge_graph
from kg.ingest.service import ingestor_for

sys.path.append(str(Path(__file__).resolve().parents[1]))
from fakes import supplier_notice_extractor


def main(paths: list[str]) -> int:
    settings = load_settings()
    with (
        open_knowledge_graph(settings) as kg,
        ingestor_for(kg, settings, extractor=supplier_notice_extractor()) as ingestor,
    ):
        report = ingestor.run([Path(p) for p in paths])
    if report.stopped:
        print(report.stopped, file=sys.stderr)
        return 2
    return 1 if report.failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
