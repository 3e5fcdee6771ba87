"""Ingestion jobs for uploaded documents: one background thread, one job at a time, state in memory.

An upload is staged under ``<upload dir>/.incoming/<job id>/``; when its job starts, the files move to
``<upload dir>/<name>`` and are ingested with :func:`kg.ingest.service.ingestor_for`, exactly as
``kg ingest`` would. Keeping one file per name there makes a re-upload of a changed file replace its old
version in the graph (same document id), and an unchanged one a no-op. Jobs run one after another
because the ingestion manifest and entity resolver expect a single writer.

Example:
    >>> jobs = JobManager(kg, settings, Path("uploads"))           # doctest: +SKIP
    >>> job = jobs.create(["bom.csv"]); jobs.submit(job.id)        # doctest: +SKIP
    >>> jobs.get(job.id).state                                       # doctest: +SKIP
    'running'
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

from api.errors import ApiError
from api.schemas import JobDocument, JobStatus
from kg.core.errors import KGError
from kg.core.settings import Settings
from kg.graph.knowledge_graph import KnowledgeGraph

log = logging.getLogger("api.jobs")
_UNSAFE = re.compile(r"[^\w.\- ()+,@]+")
INCOMING = ".incoming"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def safe_filename(name: str | None) -> str:
    """The file's own name with anything that could leave the upload folder removed.

    Example:
        >>> safe_filename("../../etc/bom v2.csv")
        'bom v2.csv'
        >>> safe_filename("..")
        Traceback (most recent call last):
        ...
        api.errors.ApiError: The uploaded file name '..' has no usable characters; rename it (e.g. bom.csv).
    """
    base = os.path.basename((name or "").replace("\\", "/"))
    clean = _UNSAFE.sub("_", base).strip(" .")[:200]
    if not clean or clean.startswith("."):
        raise ApiError(
            400,
            "bad_filename",
            f"The uploaded file name {name!r} has no usable characters; rename it (e.g. bom.csv).",
        )
    return clean


class JobManager:
    """Runs ingestion jobs in one worker thread and remembers the last ``max_jobs`` of them."""

    def __init__(self, kg: KnowledgeGraph, settings: Settings, upload_dir: Path, *, max_jobs: int = 1000):
        self.kg = kg
        self.settings = settings
        self.upload_dir = upload_dir
        self.max_jobs = max_jobs
        self._jobs: OrderedDict[str, JobStatus] = OrderedDict()
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ingest")

    # -- staging ------------------------------------------------------------------------------------------
    def stage(self, files: list[tuple[str | None, BinaryIO]]) -> JobStatus:
        """Save uploaded files for a new job; raises ApiError 400 for unusable or repeated names."""
        names = [safe_filename(name) for name, _ in files]
        repeated = sorted({n for n in names if names.count(n) > 1})
        if repeated:
            raise ApiError(
                400,
                "duplicate_filename",
                f"Two uploaded files are named {repeated[0]!r}; rename one and upload again.",
            )
        job = JobStatus(id=uuid.uuid4().hex, state="queued", files=names, created_at=_now())
        folder = self._incoming(job.id)
        try:
            folder.mkdir(parents=True, exist_ok=True)
            for name, (_, stream) in zip(names, files, strict=True):
                with open(folder / name, "wb") as out:
                    shutil.copyfileobj(stream, out, 1 << 20)
        except OSError as e:
            shutil.rmtree(folder, ignore_errors=True)
            raise ApiError(
                503,
                "upload_dir_unwritable",
                f"Cannot save uploads in {self.upload_dir} ({e.strerror}); an admin must make it writable "
                "or set KG_API__UPLOAD_DIR.",
            ) from e
        with self._lock:
            self._jobs[job.id] = job
            while len(self._jobs) > self.max_jobs:
                oldest = next(iter(self._jobs))
                if self._jobs[oldest].state in ("queued", "running"):
                    break
                del self._jobs[oldest]
        return job.model_copy(deep=True)

    def submit(self, job_id: str) -> None:
        self._pool.submit(self._run, job_id)

    def get(self, job_id: str) -> JobStatus:
        with self._lock:
            job = self._jobs.get(job_id)
            if job is None:
                raise ApiError(
                    404,
                    "job_not_found",
                    f"No job {job_id!r}. Job ids come from POST /documents; jobs are kept in memory "
                    f"(the last {self.max_jobs}) until the service restarts.",
                )
            return job.model_copy(deep=True)

    def counts(self) -> dict[str, int]:
        with self._lock:
            states = [j.state for j in self._jobs.values()]
        return {s: states.count(s) for s in ("queued", "running", "done", "failed")}

    def shutdown(self) -> None:
        """Finish the running job, drop queued ones (their files stay staged)."""
        self._pool.shutdown(wait=True, cancel_futures=True)
        with self._lock:
            for job in self._jobs.values():
                if job.state == "queued":
                    job.state = "failed"
                    job.error = "The service stopped before this job started; upload the files again."

    # -- running ------------------------------------------------------------------------------------------
    def _incoming(self, job_id: str) -> Path:
        return self.upload_dir / INCOMING / job_id

    def _update(self, job_id: str, **changes: Any) -> None:
        with self._lock:
            job = self._jobs.get(job_id)
            if job is not None:
                for k, v in changes.items():
                    setattr(job, k, v)

    def _run(self, job_id: str) -> None:
        self._update(job_id, state="running", started_at=_now())
        try:
            documents, summary = self._ingest(job_id)
        except KGError as e:
            log.warning("ingestion job %s failed: %s", job_id, e)
            self._update(job_id, state="failed", error=str(e), finished_at=_now())
        except Exception as e:  # a job thread must record why it died, not vanish
            log.exception("ingestion job %s failed unexpectedly", job_id)
            self._update(
                job_id, state="failed", error=f"Unexpected {type(e).__name__}: {e}", finished_at=_now()
            )
        else:
            stopped = summary.get("stopped")  # the store went away: what was written stays; upload again
            self._update(
                job_id, state="failed" if stopped else "done", error=stopped or None, documents=documents,
                summary=summary, finished_at=_now(),
            )  # fmt: skip

    def _ingest(self, job_id: str) -> tuple[list[JobDocument], dict[str, Any]]:
        from kg.ingest.service import ingestor_for

        staged = self._incoming(job_id)
        paths = []
        for file in sorted(staged.iterdir()):
            target = self.upload_dir / file.name
            os.replace(file, target)  # same file system: atomic, and replaces an older upload
            paths.append(target)
        staged.rmdir()
        with ingestor_for(self.kg, self.settings, progress=self._progress(job_id)) as ingestor:
            report = ingestor.run(paths)
        by_path = {str(p.resolve()): p.name for p in paths} | {str(p): p.name for p in paths}
        documents = [
            JobDocument(
                filename=by_path.get(o.path, Path(o.path).name),
                doc_id=o.doc_id,
                state=o.state,
                reason=_without_folder(o.reason, by_path),
                nodes=o.nodes,
                edges=o.edges,
                review=o.review,
                chunks=o.chunks,
                warnings=list(o.warnings),
            )
            for o in report.outcomes
        ]
        return documents, report.summary()

    def _progress(self, job_id: str) -> Callable[[str, dict[str, Any]], None]:
        def progress(kind: str, info: dict[str, Any]) -> None:
            if kind == "start" and isinstance(info.get("to_read"), int):
                self._update(job_id, progress={"done": 0, "to_read": info["to_read"]})
            elif kind == "progress" and isinstance(info.get("done"), int):
                with self._lock:
                    job = self._jobs.get(job_id)
                    if job is not None:
                        job.progress = {**job.progress, "done": info["done"]}

        return progress


def _without_folder(reason: str, names: dict[str, str]) -> str:
    """A reason as the uploader knows the file: by its name, not the server's folder."""
    for path in sorted(names, key=len, reverse=True):
        reason = reason.replace(path, names[path])
    return reason
