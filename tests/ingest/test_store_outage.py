"""The graph store going away in the middle of a run (a Neo4j restart, a network cut), simulated on embedded
FalkorDB: writes wait for it and go on when it is back; when it stays away the run stops, says how to resume,
and the same run again finishes with nothing lost or doubled. tests/store/test_neo4j_outage.py does the same
with a real Neo4j stopped and started again."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fakes import supplier_notice_extractor
from processes import graph_fingerprint

from kg.core.errors import StoreAccessError, StoreUnavailableError
from kg.core.settings import Settings
from kg.graph.knowledge_graph import KnowledgeGraph, open_knowledge_graph
from kg.ingest.manifest import Manifest
from kg.ingest.pipeline import IngestOptions, Ingestor, IngestReport
from kg.store.base import GraphStore

SUPPLIER_DOCS = Path(__file__).resolve().parents[2] / "samples" / "documents" / "supplier"


class Outage:
    """Cuts ``store`` off (writes and reads) from its ``after``-th upsert on, until ``heal()``."""

    def __init__(self, store: GraphStore, *, after: int, heals_after_polls: int | None):
        self.upserts = 0
        self.polls = 0
        self.down = False
        self.after, self.heals_after_polls = after, heals_after_polls
        self._upsert, self._read = store.upsert, store.read
        store.upsert = self.upsert  # type: ignore[method-assign]
        store.read = self.read  # type: ignore[method-assign]

    def heal(self) -> None:
        self.down = False

    def upsert(self, batch: Any) -> Any:
        self.upserts += 1
        if self.upserts == self.after:
            self.down = True
        if self.down:
            raise StoreUnavailableError("the test cut the store off")
        return self._upsert(batch)

    def read(self, cypher: str, params: Any = None, **kw: Any) -> Any:
        if self.down:
            self.polls += 1
            if self.heals_after_polls is not None and self.polls >= self.heals_after_polls:
                self.heal()
            else:
                raise StoreUnavailableError("the test cut the store off")
        return self._read(cypher, params, **kw)


@pytest.fixture
def kg(tmp_path: Path) -> Iterator[KnowledgeGraph]:
    with open_knowledge_graph(Settings(store={"data_dir": str(tmp_path / "data")})) as graph:
        yield graph


def _run(kg: KnowledgeGraph, manifest: Manifest, *, wait_s: float) -> IngestReport:
    options = IngestOptions(group_documents=2, store_wait_s=wait_s)
    ingestor = Ingestor(kg, manifest, extractor=supplier_notice_extractor(), options=options)
    ingestor.writer.POLL_S = 0.01  # type: ignore[misc]
    return ingestor.run([SUPPLIER_DOCS])


@pytest.fixture
def clean(tmp_path: Path) -> tuple[Any, ...]:
    """The graph a run without any outage makes."""
    with (
        open_knowledge_graph(Settings(store={"data_dir": str(tmp_path / "clean")})) as graph,
        Manifest(tmp_path / "clean.sqlite") as manifest,
    ):
        report = _run(graph, manifest, wait_s=0)
        assert report.count("loaded") >= 6 and not report.failed
        return graph_fingerprint(graph)


def test_a_store_that_comes_back_gets_the_group_it_missed(kg: KnowledgeGraph, tmp_path: Path, clean) -> None:  # type: ignore[no-untyped-def]
    outage = Outage(kg.store, after=2, heals_after_polls=3)  # the second group's write finds it gone
    with Manifest(tmp_path / "m.sqlite") as manifest:
        report = _run(kg, manifest, wait_s=30)
        assert outage.polls == 3 and not report.stopped and not report.failed
        assert report.summary()["waited_for_store_s"] >= 0
        assert manifest.stats()["documents"] == {"done": report.count("loaded")}
    assert graph_fingerprint(kg) == clean


def test_a_store_that_stays_away_stops_the_run_and_the_next_run_finishes_it(
    kg: KnowledgeGraph, tmp_path: Path, clean: tuple[Any, ...]
) -> None:
    outage = Outage(kg.store, after=2, heals_after_polls=None)
    with Manifest(tmp_path / "m.sqlite") as manifest:
        stopped = _run(kg, manifest, wait_s=0.2)
        assert "went away" in stopped.stopped and "run the same command again" in stopped.stopped
        assert stopped.summary()["stopped"] == stopped.stopped
        assert not stopped.failed  # no document is blamed for the store's absence
        written = stopped.count("loaded")
        assert written == 2  # the first group; the rest stays pending in the manifest
        assert manifest.stats()["documents"]["done"] == written
        outage.heal()
        resumed = _run(kg, manifest, wait_s=0.2)
        assert not resumed.stopped and not resumed.failed
        assert resumed.count("unchanged") == written and resumed.count("loaded") >= 4
    assert graph_fingerprint(kg) == clean


def test_a_user_who_may_not_write_stops_the_run_at_once(kg: KnowledgeGraph, tmp_path: Path) -> None:
    def refuse(batch: Any) -> Any:
        raise StoreAccessError("The Neo4j user (NEO4J_USERNAME) may not write here (read-only role).")

    kg.store.upsert = refuse  # type: ignore[method-assign]
    with Manifest(tmp_path / "m.sqlite") as manifest:
        began = time.monotonic()
        report = _run(kg, manifest, wait_s=30)
        assert time.monotonic() - began < 20  # no waiting for rights that will not come
        assert "may not write" in report.stopped and not report.failed and report.count("loaded") == 0
        assert manifest.stats()["documents"].get("done", 0) == 0
