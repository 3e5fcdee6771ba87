"""The driver's model, shipped to every worker node: the workers read with exactly the weights the driver
would (a node that trained its own default model would not have the same ones), and no node needs the
driver's cache folder or a shared file system for the model.

Example:
    >>> import tempfile
    >>> src = Path(tempfile.mkdtemp()); (src / "meta.json").write_text("{}")
    2
    >>> shipped = ModelFiles.of(src)
    >>> out = shipped.materialise(Path(tempfile.mkdtemp()))
    >>> (out / "meta.json").read_text(), out.name == shipped.fingerprint
    ('{}', True)
"""

from __future__ import annotations

import hashlib
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from kg.core.errors import ConfigError


@dataclass(frozen=True)
class ModelFiles:
    """A model folder's files (relative path → bytes) and a fingerprint of them."""

    files: dict[str, bytes]
    fingerprint: str

    @classmethod
    def of(cls, folder: Path) -> ModelFiles:
        if not folder.is_dir():
            raise ConfigError(
                f"{folder}: no model folder there. Set KG_EXTRACTOR__MODEL to a trained model's folder, "
                "or leave it unset to use (and on first use train) the default model."
            )
        h = hashlib.blake2b(digest_size=16)
        files: dict[str, bytes] = {}
        for p in sorted(x for x in folder.rglob("*") if x.is_file()):
            rel = p.relative_to(folder).as_posix()
            files[rel] = p.read_bytes()
            h.update(rel.encode() + b"\0" + hashlib.blake2b(files[rel], digest_size=16).digest())
        return cls(files, h.hexdigest())

    def materialise(self, root: Path) -> Path:
        """The files under ``root/<fingerprint>``, written once per node (concurrent workers race safely)."""
        target = root / self.fingerprint
        if (target / ".complete").is_file():
            return target
        partial = root / f"{self.fingerprint}.partial-{os.getpid()}"
        shutil.rmtree(partial, ignore_errors=True)
        for rel, data in self.files.items():
            (partial / rel).parent.mkdir(parents=True, exist_ok=True)
            (partial / rel).write_bytes(data)
        (partial / ".complete").write_text(self.fingerprint)
        try:
            partial.rename(target)
        except OSError:  # another worker on this node got there first: its copy is the same
            shutil.rmtree(partial, ignore_errors=True)
        if not (target / ".complete").is_file():
            raise ConfigError(f"{target}: the model could not be written on this worker node.")
        return target
