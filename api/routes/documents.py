"""``POST /documents`` uploads files and starts an ingestion job; ``GET /jobs/{id}`` reports on it.

A document that cannot be read (empty, unsupported type, corrupt) fails alone: the job finishes and
lists it as ``failed`` with the reason, the other files are loaded. Both endpoints need the loader role.

Example:
    >>> r = client.post("/documents", files=[("files", ("bom.csv", open("bom.csv", "rb")))])  # doctest: +SKIP
    >>> client.get(r.json()["status_url"]).json()["state"]                                  # doctest: +SKIP
    'done'
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Path, UploadFile

from api.deps import JobsDep
from api.schemas import JobAccepted, JobStatus

router = APIRouter(tags=["ingestion"])


@router.post("/documents", response_model=JobAccepted, status_code=202, summary="Upload documents to ingest")
def upload(
    jobs: JobsDep,
    files: Annotated[
        list[UploadFile],
        File(description="One or more files: PDF, DOCX, XLSX, CSV, HTML, Markdown, JSON or text."),
    ],
) -> JobAccepted:
    """Saves the files and starts ingesting them in the background; poll ``status_url`` for the outcome.

    Re-uploading a file under the same name replaces its earlier version in the graph.
    """
    try:
        job = jobs.stage([(f.filename, f.file) for f in files])
    finally:
        for f in files:
            f.file.close()
    jobs.submit(job.id)
    return JobAccepted(job_id=job.id, state=job.state, files=job.files, status_url=f"/jobs/{job.id}")


@router.get("/jobs/{job_id}", response_model=JobStatus, summary="State of an ingestion job")
def job(
    jobs: JobsDep,
    job_id: Annotated[str, Path(min_length=1, max_length=64, description="From POST /documents.")],
) -> JobStatus:
    """queued → running → done (per-document outcomes and a summary) or failed (the reason)."""
    return jobs.get(job_id)
