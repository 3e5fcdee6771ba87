"""Extraction workers on a Ray cluster: one actor per worker process, its model loaded once, fed groups of
documents in order with a bounded window in flight.

- **Ordered**: results come back in the order the groups were sent, so the driver resolves and writes
  them as a local run does.
- **Backpressure**: at most ``workers × in_flight`` groups are out at a time; the next is sent only when
  the oldest came back, so the driver holds a bounded amount whatever the batch size.
- **Worker loss**: an actor whose process dies is restarted by Ray (its model loaded again) and its
  groups retried; a group that still fails is sent to another worker, then its documents fail with the
  reason (the next run retries them).

Example:
    >>> with RayGroupPool("ray://head:10001", settings, options) as pool:       # doctest: +SKIP
    ...     for part, worked in pool.map_ordered(parts):
    ...         print(len(worked.documents))
"""

from __future__ import annotations

import logging
import os
import tempfile
import time
import warnings
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from kg.core.errors import ClusterError
from kg.core.settings import Settings
from kg.ingest.cluster.model_files import ModelFiles
from kg.ingest.pipeline.document_work import PendingDocument
from kg.ingest.pipeline.group_worker import GroupWorker, WorkedGroup
from kg.ingest.pipeline.ingest_options import IngestOptions
from kg.ingest.pipeline.ingest_report import ProgressFn

#: connections tried when the Ray Client server accepts but fails to start this client's server (a known
#: Ray Client hiccup on a busy head; the next attempt gets a fresh one)
CONNECT_ATTEMPTS = 3
#: how often a group is sent again after Ray's own retries gave up on it
RESUBMITS = 2
#: seconds to wait for the workers to start (their resources may never free up)
START_TIMEOUT_S = 600


class ExtractionActor:
    """One worker process: the driver's model (shipped, written once per node) and a :class:`GroupWorker`."""

    def __init__(self, settings: Settings, options: IngestOptions, model: ModelFiles | None):
        from extractors.default import load_extractor
        from kg.ingest.service import text_preparers

        extractor = None
        if model is not None:
            path = model.materialise(Path(tempfile.gettempdir()) / "mfg-kg-models")
            cfg = settings.extractor.model_copy(update={"model": path})
            extractor = load_extractor(cfg)
        normaliser, masker = text_preparers(settings)
        self.worker = GroupWorker(extractor, options, masker=masker, normaliser=normaliser)

    def info(self) -> dict[str, Any]:
        import ray

        from kg import __version__

        return {"version": __version__, "pid": os.getpid(), "node": ray.get_runtime_context().get_node_id()}

    def run(self, part: list[PendingDocument]) -> WorkedGroup:
        return self.worker.run(part)


def connect(address: str) -> tuple[Any, bool]:
    """Ray, connected to the cluster at ``address``, and whether this call connected it (already
    connected, e.g. by the calling program: as it is, and not ours to shut down)."""
    try:
        import ray
    except ImportError as e:
        raise ClusterError(
            "--cluster needs Ray on this machine and on every node: pip install 'mfg-kg[cluster]'."
        ) from e
    if ray.is_initialized():
        return ray, False
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    options: dict[str, Any] = {
        "log_to_driver": False,
        "namespace": "mfg-kg",
        "logging_level": logging.WARNING,
    }
    error: BaseException | None = None
    for attempt in range(CONNECT_ATTEMPTS):
        try:
            with warnings.catch_warnings():  # Ray Client's timeout warning: the error below says it all
                warnings.simplefilter("ignore")
                ray.init(address=address, **options)
            return ray, True
        except ConnectionAbortedError as e:  # the server for this client failed to start: try a fresh one
            ray.shutdown()
            error = e
            time.sleep(2.0 * (attempt + 1))
        except (ConnectionError, RuntimeError, ValueError) as e:
            error = e
            break
    raise ClusterError(
        f"Cannot reach the Ray cluster at {address}: {error}. Start one (`ray start --head`), check the "
        "address (ray://HOST:10001 for Ray Client), or run without --cluster."
    ) from error


class RayGroupPool:
    """Workers on a Ray cluster, started on first use and stopped on close.

    ``model``: the extractor's model folder (or what gives it, called on start), shipped to the workers
    (None: documents are read and prepared on the cluster, and the driver extracts).
    """

    def __init__(
        self,
        address: str,
        settings: Settings,
        options: IngestOptions,
        *,
        model: Path | Callable[[], Path] | None = None,
        progress: ProgressFn | None = None,
    ):
        self.address = address
        self.settings = settings
        self.options = options
        self.model = model
        self.progress = progress
        self.ray: Any = None
        self._connected = False  # we connected Ray: we shut it down
        self.actors: list[Any] = []
        self.busy: dict[int, int] = {}
        self.infos: list[dict[str, Any]] = []  # each worker's version, process id and node, once started

    def __enter__(self) -> RayGroupPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self.ray is not None:
            for a in self.actors:
                self.ray.kill(a)
            if self._connected:
                self.ray.shutdown()
            self.ray, self.actors = None, []

    def workers(self) -> int:
        cfg = self.settings.ingest
        if cfg.cluster_workers:
            return cfg.cluster_workers
        resources = self.ray.cluster_resources()
        if self._gpus_per_worker():
            return max(1, int(resources.get("GPU", 0)))
        return max(1, int(resources.get("CPU", 1) // cfg.cluster_cpus_per_worker))

    def _gpus_per_worker(self) -> int:
        if self.settings.extractor.device == "cpu" or self.model is None:
            return 0
        return 1 if self.ray.cluster_resources().get("GPU", 0) >= 1 else 0

    def start(self) -> None:
        """Connect, start the workers and check they run this version of mfg-kg."""
        if self.ray is not None:
            return
        self.ray, self._connected = connect(self.address)
        if callable(self.model):
            self.model = self.model()
        model = ModelFiles.of(self.model) if self.model is not None else None
        model_ref = self.ray.put(model)
        actor = self.ray.remote(
            num_cpus=self.settings.ingest.cluster_cpus_per_worker,
            num_gpus=self._gpus_per_worker(),
            max_restarts=3,
            max_task_retries=3,
        )(ExtractionActor)
        n = self.workers()
        self.actors = [actor.remote(self.settings, self.options, model_ref) for _ in range(n)]
        self.busy = dict.fromkeys(range(n), 0)
        self._check_workers()
        if self.progress:
            self.progress("cluster", {"address": self.address, "workers": n})

    def _check_workers(self) -> None:
        from kg import __version__

        ready, pending = self.ray.wait(
            [a.info.remote() for a in self.actors], num_returns=len(self.actors), timeout=START_TIMEOUT_S
        )
        if pending:
            raise ClusterError(
                f"Only {len(ready)} of {len(self.actors)} cluster workers started within "
                f"{START_TIMEOUT_S} s: the cluster has too few free CPUs or GPUs. Lower "
                "KG_INGEST__CLUSTER_WORKERS or KG_INGEST__CLUSTER_CPUS_PER_WORKER, or add nodes."
            )
        try:
            infos = self.ray.get(ready)
        except Exception as e:  # the worker's own error (e.g. mfg-kg missing on a node), with its traceback
            raise ClusterError(
                f"A cluster worker could not start: {e}\nEvery node needs mfg-kg {__version__} installed "
                "(pip install 'mfg-kg[cluster]=={__version__}') and the same Python version as this machine."
            ) from e
        self.infos = infos
        other = sorted({i["version"] for i in infos} - {__version__})
        if other:
            raise ClusterError(
                f"Cluster workers run mfg-kg {', '.join(other)}; this machine runs {__version__}. Install "
                "the same version on every node, so that both read documents the same way."
            )

    def map_ordered(
        self, parts: Iterable[list[PendingDocument]]
    ) -> Iterator[tuple[list[PendingDocument], WorkedGroup]]:
        """Each part with what a worker made of it, in the order given, with a bounded window in flight."""
        self.start()
        window: deque[tuple[list[PendingDocument], Any, int]] = deque()
        limit = len(self.actors) * self.settings.ingest.cluster_in_flight
        todo = iter(parts)
        for part in todo:
            window.append(self._submit(part))
            if len(window) >= limit:
                break
        while window:
            part, ref, worker = window.popleft()
            worked = self._result(part, ref, worker)
            nxt = next(todo, None)
            if nxt is not None:
                window.append(self._submit(nxt))
            yield part, worked

    def _submit(self, part: list[PendingDocument], avoid: int = -1) -> tuple[list[PendingDocument], Any, int]:
        worker = min((i for i in self.busy if i != avoid), key=lambda i: self.busy[i], default=0)
        self.busy[worker] += 1
        return part, self.actors[worker].run.remote(part), worker

    def _result(self, part: list[PendingDocument], ref: Any, worker: int) -> WorkedGroup:
        for attempt in range(RESUBMITS + 1):
            try:
                worked: WorkedGroup = self.ray.get(ref)
                return worked
            except self.ray.exceptions.RayError as e:
                error = e
            finally:
                self.busy[worker] -= 1
            if attempt < RESUBMITS:
                _, ref, worker = self._submit(part, avoid=worker)
        reason = str(error).strip().splitlines()[-1] if str(error).strip() else type(error).__name__
        return WorkedGroup.failed(
            part, f"the cluster workers failed on this document's group {RESUBMITS + 1} times ({reason}); "
            "run the same command again to retry it"
        )  # fmt: skip
