"""Neo4j going away under ingestion (issue #12), for real: a Neo4j of the test's own (tools/neo4j, its data
under the test's folder) is stopped in the middle of a batch and started again, stopped for good, and the
ingesting process is killed with SIGKILL. Each time the graph ends up as a run without trouble makes it:
nothing lost, nothing doubled.

Documents go through a fixed-vocabulary extractor (tests/fakes.py; tests/ingest/test_store_outage.py is
the simulated version of these tests): the comparison is about the store and the manifest, not a model."""

from __future__ import annotations

import importlib.util
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fakes import supplier_notice_extractor
from processes import graph_fingerprint, kill_after_documents

from kg.core.settings import ExtractorSettings, Settings
from kg.graph.knowledge_graph import open_knowledge_graph
from kg.ingest.pipeline import IngestReport
from kg.ingest.service import ingestor_for

pytestmark = pytest.mark.neo4j

ROOT = Path(__file__).resolve().parents[2]
FOLDERS = [ROOT / "samples" / "documents" / "supplier", ROOT / "samples" / "documents" / "quality"]
WORKER = Path(__file__).with_name("neo4j_ingest_worker.py")


def _harness() -> Any:
    spec = importlib.util.spec_from_file_location("neo4j_harness", ROOT / "tools" / "neo4j" / "harness.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class OwnNeo4j:
    """A Neo4j this module may stop and start again (same data, same port); the session's stays untouched."""

    def __init__(self, home: Path):
        self.harness = _harness()
        try:
            self.classpath = self.harness.build()
        except self.harness.Unavailable as e:
            pytest.fail(f"no Neo4j of its own for the outage tests: {e}", pytrace=False)
        self.home, self.port, self.uri = home, None, ""
        self.proc: subprocess.Popen[str] | None = None

    def start(self, *, fresh: bool = False) -> None:
        self.proc, self.uri = self.harness.start(self.classpath, self.home, self.port, fresh=fresh)
        self.port = int(self.uri.rsplit(":", 1)[1])

    def stop(self) -> None:
        if self.proc is not None:
            self.harness.stop(self.proc)
            self.proc = None


@pytest.fixture(scope="module")
def neo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OwnNeo4j]:
    server = OwnNeo4j(tmp_path_factory.mktemp("own-neo4j"))
    server.start(fresh=True)
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def running_and_empty(neo: OwnNeo4j, tmp_path: Path) -> None:
    """Each test starts with this Neo4j up and empty, whatever the test before it left."""
    if neo.proc is None or neo.proc.poll() is not None:
        neo.start()
    with open_knowledge_graph(_settings(neo, tmp_path / "unused.sqlite")) as kg:
        kg.store.clear()


def _settings(neo: OwnNeo4j, manifest: Path, *, wait_s: float = 60.0) -> Settings:
    return Settings(
        store={"backend": "neo4j", "neo4j": {"retry_s": 1.0}},
        neo4j_uri=neo.uri,
        neo4j_user="neo4j",
        neo4j_password=neo.harness.PASSWORD,
        extractor=ExtractorSettings(model=manifest.parent / "no-model"),
        ingest={"manifest": str(manifest), "group_documents": 2, "store_wait_s": wait_s},
    )


def _ingest(settings: Settings, on_progress: Callable[[int], None] | None = None) -> IngestReport:
    groups = 0

    def progress(kind: str, info: dict[str, Any]) -> None:
        nonlocal groups
        if kind == "progress" and on_progress is not None:
            groups += 1
            on_progress(groups)

    with (
        open_knowledge_graph(settings) as kg,
        ingestor_for(kg, settings, extractor=supplier_notice_extractor(), progress=progress) as ing,
    ):
        return ing.run(FOLDERS)


def _graph(settings: Settings, *, clear: bool = False) -> tuple[Any, ...]:
    with open_knowledge_graph(settings) as kg:
        out = graph_fingerprint(kg)
        if clear:
            kg.store.clear()
        return out


@pytest.fixture(scope="module")
def clean(neo: OwnNeo4j, tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, ...]:
    """The graph an untroubled run makes on this Neo4j (cleared again for the next test)."""
    settings = _settings(neo, tmp_path_factory.mktemp("clean") / "m.sqlite")
    report = _ingest(settings)
    assert report.count("loaded") >= 20 and not report.failed and not report.stopped
    return _graph(settings, clear=True)


def test_neo4j_stopped_mid_batch_and_started_again_loses_and_doubles_nothing(
    neo: OwnNeo4j, clean: tuple[Any, ...], tmp_path: Path
) -> None:
    settings = _settings(neo, tmp_path / "m.sqlite", wait_s=180)
    restart = threading.Thread(target=lambda: (time.sleep(1), neo.start()))

    def after(groups: int) -> None:
        if groups == 2:  # two groups written: Neo4j goes down (for ~10 s) before the third is written
            neo.stop()
            restart.start()

    report = _ingest(settings, after)
    restart.join()
    assert not report.stopped and not report.failed, report.summary()
    assert report.summary()["waited_for_store_s"] > 0  # the third group's write met Neo4j down, and waited
    assert report.count("loaded") >= 20
    assert _graph(settings, clear=True) == clean


def test_neo4j_that_stays_down_stops_the_run_and_the_same_run_resumes_it(
    neo: OwnNeo4j, clean: tuple[Any, ...], tmp_path: Path
) -> None:
    settings = _settings(neo, tmp_path / "m.sqlite", wait_s=2)
    report = _ingest(settings, lambda groups: neo.stop() if groups == 2 else None)
    assert "went away" in report.stopped and "run the same command again" in report.stopped
    assert not report.failed  # the store's absence is no document's fault
    written = report.count("loaded")
    assert 4 <= written < 20
    neo.start()
    again = _ingest(settings)
    assert not again.stopped and not again.failed
    assert again.count("unchanged") == written and again.count("loaded") + written >= 20
    assert _graph(settings, clear=True) == clean


def test_an_ingest_killed_with_sigkill_finishes_on_the_next_run(
    neo: OwnNeo4j, clean: tuple[Any, ...], tmp_path: Path
) -> None:
    manifest = tmp_path / "m.sqlite"
    env = {
        **os.environ, "KG_STORE__BACKEND": "neo4j", "NEO4J_URI": neo.uri, "NEO4J_USERNAME": "neo4j",
        "NEO4J_PASSWORD": neo.harness.PASSWORD, "KG_INGEST__MANIFEST": str(manifest),
        "KG_INGEST__GROUP_DOCUMENTS": "2", "KG_EXTRACTOR__MODEL": str(tmp_path / "no-model"),
    }  # fmt: skip

    log = tmp_path / "worker.log"

    def worker() -> subprocess.Popen[bytes]:
        with log.open("ab") as err:  # a file, not a pipe: nothing left behind can hold the test up
            return subprocess.Popen(
                [sys.executable, str(WORKER), *map(str, FOLDERS)], env=env, stderr=err, start_new_session=True
            )

    proc = worker()
    done = kill_after_documents(proc, manifest, 6)
    assert proc.returncode == -signal.SIGKILL, log.read_text()[-2000:]
    assert 6 <= done < 30, f"the run was not cut half-way ({done} documents done)"
    again = worker()
    assert again.wait(timeout=600) == 0, log.read_text()[-2000:]
    assert _graph(_settings(neo, manifest), clear=True) == clean
