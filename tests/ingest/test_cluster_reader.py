"""The driver's side of `kg ingest --cluster` without Ray (issue #14): groups cut as a local run cuts them,
sent in order to a pool (here, workers in this process), their documents admitted, failures reported, and
the worker's results used only for chunks whose texts the driver prepares alike. The real cluster is in
test_cluster_ingest.py."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
from fakes import FakeExtractor
from processes import graph_contents

from kg.core.errors import ClusterError, ConfigError
from kg.core.settings import IngestSettings, Settings
from kg.graph.knowledge_graph import open_knowledge_graph
from kg.ingest.cluster import ClusterReader
from kg.ingest.cluster.model_files import ModelFiles
from kg.ingest.pipeline.document_reader import slices
from kg.ingest.pipeline.document_work import PendingDocument
from kg.ingest.pipeline.group_worker import GroupWorker, WorkedGroup
from kg.ingest.service import ingestor_for, text_preparers

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
VOCAB = {
    "Organization": ["SKF", "Parker Hannifin", "Trelleborg", "ERIKS"],
    "PhysicalObject": ["mechanical seal", "hose assembly", "bearing", "coolant pump"],
    "FailureMode": ["leak", "leaking", "overheating", "wear"],
}


class InlinePool:
    """A :class:`~kg.ingest.cluster.GroupPool` whose worker runs here; records the parts it was sent."""

    def __init__(self, worker: GroupWorker, *, spoil: str = ""):
        self.worker = worker
        self.parts: list[list[str]] = []
        self.spoil = (
            spoil  # chunks of documents whose path holds this get other texts (a worker that differs)
        )

    def map_ordered(
        self, parts: Iterable[list[PendingDocument]]
    ) -> Iterator[tuple[list[PendingDocument], WorkedGroup]]:
        for part in parts:
            self.parts.append([p.shown for p in part])
            worked = self.worker.run(part)
            for p, d in zip(part, worked.documents, strict=True):
                if self.spoil and self.spoil in p.shown and d.texts:
                    d.texts = [t + " (spoilt)" for t in d.texts]
            yield part, worked


def _run(tmp_path: Path, name: str, pool_of: object = None, group: int = 4) -> tuple[object, object, object]:
    settings = Settings(store={"data_dir": tmp_path / name}, ingest={"group_documents": group})  # type: ignore[arg-type]
    extractor = FakeExtractor(VOCAB, [("hose assembly", "suppliedBy", "Parker Hannifin")])
    with open_knowledge_graph(settings) as kg, ingestor_for(kg, settings, extractor=extractor) as ing:
        pool = None
        if pool_of is not None:
            normaliser, masker = text_preparers(settings)
            worker_extractor = FakeExtractor(VOCAB, [("hose assembly", "suppliedBy", "Parker Hannifin")])
            pool = pool_of(GroupWorker(worker_extractor, ing.options, normaliser=normaliser, masker=masker))  # type: ignore[operator]
            ing.reader = ClusterReader(ing.manifest, ing.options, pool)
        report = ing.run(
            [SAMPLES / "documents" / "supplier", SAMPLES / "documents" / "quality", SAMPLES / "bad"]
        )
        return report, graph_contents(kg), (pool, extractor)


def test_groups_worked_elsewhere_give_the_local_graph_and_the_same_failures(tmp_path: Path) -> None:
    local, want, (_, local_extractor) = _run(tmp_path, "local")
    report, got, (pool, driver_extractor) = _run(tmp_path, "pool", InlinePool)
    assert got == want
    assert sorted((o.path, o.state, o.reason) for o in report.outcomes) == sorted(  # type: ignore[attr-defined]
        (o.path, o.state, o.reason)
        for o in local.outcomes  # type: ignore[attr-defined]
    )
    assert report.failed and local_extractor.calls > 0  # type: ignore[attr-defined]
    assert driver_extractor.calls == 0, "every chunk came back extracted: the driver ran no model"
    assert [len(p) for p in pool.parts[:-1]] == [4] * (len(pool.parts) - 1)  # type: ignore[attr-defined]
    assert "cluster_wait" in report.stages and report.stages["worker_extract"] >= 0  # type: ignore[attr-defined]


def test_chunks_the_worker_prepared_otherwise_are_extracted_on_the_driver(tmp_path: Path) -> None:
    _, want, _ = _run(tmp_path, "local")
    _, got, (_, driver_extractor) = _run(tmp_path, "pool", lambda w: InlinePool(w, spoil="quality"))
    assert got == want  # the spoilt documents' results were not used
    assert driver_extractor.calls > 0  # type: ignore[attr-defined]


def test_groups_are_consecutive_slices_of_the_pending_documents() -> None:
    assert slices(list(range(7)), 3) == [[0, 1, 2], [3, 4, 5], [6]]  # type: ignore[arg-type]


@pytest.mark.parametrize("address", ["ray://head:10001", "10.0.0.5:6379", "auto", None])
def test_cluster_addresses_ray_accepts(address: str | None) -> None:
    assert IngestSettings(cluster=address).cluster == address


@pytest.mark.parametrize("address", ["http://head:8265", "head", "ray://head"])
def test_other_cluster_addresses_are_refused_with_the_forms_that_work(address: str) -> None:
    with pytest.raises(ValueError, match="ray://HOST:PORT"):
        IngestSettings(cluster=address)


def test_shipped_model_is_written_once_per_node_and_a_missing_one_is_named(tmp_path: Path) -> None:
    model = tmp_path / "model"
    (model / "sub").mkdir(parents=True)
    (model / "meta.json").write_text("{}")
    (model / "sub" / "weights.bin").write_bytes(b"\0" * 10)
    shipped = ModelFiles.of(model)
    first = shipped.materialise(tmp_path / "node")
    (first / "meta.json").write_text("touched")
    assert shipped.materialise(tmp_path / "node") == first and (first / "meta.json").read_text() == "touched"
    assert (first / "sub" / "weights.bin").read_bytes() == b"\0" * 10
    (model / "meta.json").write_text('{"v": 2}')
    assert ModelFiles.of(model).fingerprint != shipped.fingerprint  # other weights: another folder
    with pytest.raises(ConfigError, match="KG_EXTRACTOR__MODEL"):
        ModelFiles.of(tmp_path / "nowhere")


def test_an_unreachable_cluster_stops_the_run_with_what_to_do(tmp_path: Path) -> None:
    import socket

    from typer.testing import CliRunner

    from kg.cli import app

    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    doc = tmp_path / "letter.txt"
    doc.write_text("The SKF bearing on pump P-101 was leaking.")
    args = ["--data-dir", str(tmp_path / "db"), "ingest", str(doc), "--cluster", f"ray://127.0.0.1:{port}"]
    result = CliRunner().invoke(app, args, env={"KG_EXTRACTOR__MODEL": str(tmp_path / "no-model")})
    assert result.exit_code == 2
    assert f"Cannot reach the Ray cluster at ray://127.0.0.1:{port}" in result.output
    assert "ray start --head" in result.output and "without --cluster" in result.output
    refused = CliRunner().invoke(app, [*args[:-1], "http://head:8265"])
    assert refused.exit_code == 2 and "ray://HOST:PORT" in refused.output


def test_a_client_server_that_fails_to_start_is_tried_again(monkeypatch: pytest.MonkeyPatch) -> None:
    import ray

    from kg.ingest.cluster import ray_pool

    calls: list[str] = []
    failures = [ray_pool.CONNECT_ATTEMPTS - 1]

    def init(address: str, **_: object) -> None:
        calls.append(address)
        if failures[0] > 0:
            failures[0] -= 1
            raise ConnectionAbortedError("Initialization failure: Starting Ray client server failed")

    monkeypatch.setattr(ray, "init", init)
    monkeypatch.setattr(ray, "is_initialized", lambda: False)
    monkeypatch.setattr(ray, "shutdown", lambda: None)
    monkeypatch.setattr(ray_pool.time, "sleep", lambda s: None)
    assert ray_pool.connect("ray://head:10001") == (ray, True)
    assert len(calls) == ray_pool.CONNECT_ATTEMPTS

    failures[0] = ray_pool.CONNECT_ATTEMPTS  # fails every time: the run stops with what to do
    with pytest.raises(ClusterError, match="Starting Ray client server failed.*ray start --head"):
        ray_pool.connect("ray://head:10001")
