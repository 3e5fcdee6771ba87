"""Stage 1, discover and triage: which files a run must read, and which it settles from the manifest alone.

A file whose content hash the manifest records as ``done`` is ``unchanged`` (re-ingest reads and hashes,
nothing more); the same content under a second name is a ``duplicate`` and adds nothing; symlink loops,
broken links and missing paths are reported as failed, not fatal.

Example:
    >>> document_id(Path("/data/docs/pump.txt")).startswith("pump.txt#")
    True
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kg.ingest.discover import Found, discover
from kg.ingest.manifest import DocumentRecord, Manifest
from kg.ingest.pipeline.document_work import PendingDocument
from kg.ingest.pipeline.ingest_options import IngestOptions
from kg.ingest.pipeline.ingest_report import DocumentOutcome
from kg.store.plan import now_iso


def document_id(real_path: Path) -> str:
    """Stable per file location: ``<file name>#<8 hex of the resolved path>`` (a new version keeps it)."""
    digest = hashlib.sha1(str(real_path).encode()).hexdigest()[:8]
    return f"{real_path.name.replace('|', '_')}#{digest}"


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


@dataclass
class TriageResult:
    """What triage decided: outcomes settled without reading (in order), and the documents to read."""

    found: int = 0  # files discovered
    settled: list[DocumentOutcome] = field(default_factory=list)  # failed, unchanged or duplicate
    todo: list[PendingDocument] = field(default_factory=list)


class Triage:
    """Discovers the files under the given paths and hashes each against the manifest.

    Example:
        >>> Triage(manifest, IngestOptions()).run([Path("docs")]).todo                 # doctest: +SKIP
    """

    def __init__(self, manifest: Manifest, options: IngestOptions):
        self.manifest = manifest
        self.options = options

    def run(self, paths: Sequence[Path]) -> TriageResult:
        found, problems = discover(list(paths), recursive=self.options.recursive)
        result = TriageResult(found=len(found))
        for p in problems:
            result.settled.append(DocumentOutcome(path=str(p.path), state="failed", reason=str(p)))
        seen_hashes: dict[str, str] = {}
        for f in found:
            pending = self._triage_one(f, seen_hashes, result.settled)
            if pending is not None:
                result.todo.append(pending)
        return result

    def _triage_one(
        self, f: Found, seen_hashes: dict[str, str], settled: list[DocumentOutcome]
    ) -> PendingDocument | None:
        """Hash one file; None when it is unchanged, a duplicate or unreadable (its outcome is settled)."""
        real = str(f.real)
        outcome = DocumentOutcome(path=str(f.path), doc_id=document_id(f.real))
        try:
            stat = os.stat(real)
            sha = file_sha256(f.real)
        except OSError as e:
            outcome.state, outcome.reason = "failed", f"{f.path}: cannot read ({e.strerror or e})"
            settled.append(outcome)
            return None
        old = self.manifest.document(real)
        if old is not None and old.sha256 == sha and old.state == "done" and not self.options.force:
            outcome.state = "unchanged"
            settled.append(outcome)
            return None
        twin = seen_hashes.get(sha) or self._done_twin(sha, real)
        if twin is not None:
            outcome.state, outcome.reason = "duplicate", f"same content as {twin}"
            settled.append(outcome)
            record = DocumentRecord(
                real, outcome.doc_id, sha, stat.st_size, None, None, "duplicate", outcome.reason, 0, twin,
                now_iso(),
            )  # fmt: skip
            self.manifest.record([record])
            return None
        seen_hashes[sha] = real
        record = DocumentRecord(
            real, outcome.doc_id, sha, stat.st_size, None, None, "pending", None, 0, None, now_iso()
        )
        replaces = old is not None and old.state == "done"
        return PendingDocument(str(f.path), record, replaces)

    def _done_twin(self, sha: str, real: str) -> str | None:
        twin = self.manifest.by_hash(sha)
        return twin.path if twin is not None and twin.path != real else None
