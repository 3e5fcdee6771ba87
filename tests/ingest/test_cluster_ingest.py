"""`kg ingest --cluster` on a real local Ray cluster (issue #14): a head and a second node on the loopback,
one CPU and one extraction worker each, the briefly trained default model shipped to both.

The samples ingested through the cluster give the graph a local run gives, property for property; so do
a run whose worker is killed half-way and a run whose driver is killed and then run again. Re-ingest
through the cluster changes nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from processes import graph_contents, kill_after_documents
from ray_cluster import LocalRayCluster

from kg.core.settings import Settings
from kg.graph.knowledge_graph import open_knowledge_graph
from kg.ingest.pipeline import IngestReport
from kg.ingest.service import ingestor_for

pytestmark = [pytest.mark.slow, pytest.mark.ray]
SAMPLES = Path(__file__).resolve().parents[2] / "samples"
INPUTS = [SAMPLES / "structured", SAMPLES / "documents", SAMPLES / "bad"]
GROUP = 6  # small groups: several in flight on each worker, so that kills land mid-run


def _settings(data: Path, model: Path, cluster: str | None = None) -> Settings:
    ingest: dict[str, Any] = {"group_documents": GROUP}
    if cluster:
        ingest |= {"cluster": cluster, "cluster_workers": 2}
    return Settings(store={"data_dir": data}, extractor={"model": model, "device": "cpu"}, ingest=ingest)  # type: ignore[arg-type]


def _ingest(
    settings: Settings, on_progress: Any = None, loaded: list[bool] | None = None
) -> tuple[IngestReport, Any, Any]:
    pool: list[Any] = []

    def progress(kind: str, info: dict[str, Any]) -> None:
        if on_progress is not None and kind == "progress":
            on_progress(pool[0] if pool else None)

    with (
        open_knowledge_graph(settings) as kg,
        ingestor_for(kg, settings, recursive=True, progress=progress) as ing,
    ):
        pool.append(getattr(ing.reader, "pool", None))
        report = ing.run(INPUTS)
        if loaded is not None:
            loaded.append(ing.batch_extractor.loaded)
        contents = graph_contents(kg)
    return report, contents, pool[0]


def _outcomes(report: IngestReport) -> list[tuple[str, str, str]]:
    return sorted((o.path, o.state, o.reason) for o in report.outcomes)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalRayCluster]:
    with LocalRayCluster(tmp_path_factory.mktemp("ray")) as c:
        yield c


@pytest.fixture(scope="module")
def local_run(tiny_default_model: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[IngestReport, Any]:
    report, contents, _ = _ingest(_settings(tmp_path_factory.mktemp("local"), tiny_default_model))
    assert report.count("loaded") > 40 and report.failed  # samples/bad fails, per document
    return report, contents


def test_the_cluster_writes_the_local_graph_and_reingest_changes_nothing(
    cluster: LocalRayCluster, local_run: tuple[IngestReport, Any], tiny_default_model: Path, tmp_path: Path
) -> None:
    settings = _settings(tmp_path / "db", tiny_default_model, cluster.address)
    driver_model: list[bool] = []
    report, contents, pool = _ingest(settings, loaded=driver_model)
    assert len({i["node"] for i in pool.infos}) == 2, "one worker on each node"
    assert report.stages["worker_extract"] > 0 and not driver_model[0], "the driver loaded no model"
    assert _outcomes(report) == _outcomes(local_run[0])  # the same failures, with the same reasons
    assert contents == local_run[1]

    again, contents_again, _ = _ingest(settings)
    assert again.count("unchanged") == report.count("loaded") and not again.count("loaded")
    assert [o for o in again.outcomes if o.state == "failed"] == report.failed  # retried, failed alike
    assert contents_again == contents


def test_a_worker_killed_mid_run_has_its_groups_retried(
    cluster: LocalRayCluster, local_run: tuple[IngestReport, Any], tiny_default_model: Path, tmp_path: Path
) -> None:
    killed: list[int] = []

    def kill_a_worker(pool: Any) -> None:
        if not killed:
            killed.append(pool.infos[0]["pid"])
            os.kill(killed[0], signal.SIGKILL)

    report, contents, _ = _ingest(
        _settings(tmp_path / "db", tiny_default_model, cluster.address), kill_a_worker
    )
    assert killed, "the kill should land while groups are in flight"
    assert _outcomes(report) == _outcomes(local_run[0])
    assert contents == local_run[1]


def test_a_killed_driver_is_finished_by_the_next_run(
    cluster: LocalRayCluster, local_run: tuple[IngestReport, Any], tiny_default_model: Path, tmp_path: Path
) -> None:
    data = tmp_path / "db"
    env = {
        **os.environ,
        "KG_EXTRACTOR__MODEL": str(tiny_default_model),
        "KG_EXTRACTOR__DEVICE": "cpu",
        "KG_INGEST__GROUP_DOCUMENTS": str(GROUP),
        "KG_INGEST__CLUSTER_WORKERS": "2",
    }
    cmd = [sys.executable, "-m", "kg.cli", "--data-dir", str(data), "ingest", "-r", *map(str, INPUTS)]
    cmd += ["--cluster", cluster.address]

    def run() -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
        )

    done = kill_after_documents(run(), data / "ingest.sqlite", 2 * GROUP)
    assert 0 < done < local_run[0].count("loaded"), "the kill should land mid-run"
    second = run()
    _, err = second.communicate(timeout=600)
    assert second.returncode == 1, err.decode()[-2000:]  # 1: samples/bad's documents failed, as locally
    with open_knowledge_graph(_settings(data, tiny_default_model)) as kg:
        assert graph_contents(kg) == local_run[1]
