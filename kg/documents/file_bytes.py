"""Read a document file's bytes safely: size checked before reading, OS errors turned into fixes to try."""

from __future__ import annotations

import stat
from pathlib import Path

from kg.core.errors import DocumentError

DEFAULT_MAX_BYTES = 25 * 2**20


def format_size(n: int) -> str:
    """``n`` bytes as people read it in a message.

    Example:
        >>> format_size(512), format_size(1536), format_size(25 * 2**20)
        ('512 bytes', '1.5 KB', '25 MB')
    """
    if n >= 2**20:
        return f"{n // 2**20} MB" if n % 2**20 == 0 else f"{n / 2**20:.1f} MB"
    return f"{n / 1024:.1f} KB" if n >= 1024 else f"{n} bytes"


def _too_big(path: Path, size: int, max_bytes: int) -> DocumentError:
    return DocumentError(
        f"{path}: {format_size(size)} is over the {format_size(max_bytes)} limit; "
        "raise --max-document-mb or split the file."
    )


def _os_problem(path: Path, e: OSError) -> DocumentError:
    if isinstance(e, FileNotFoundError):
        return DocumentError(f"{path}: no such file or directory. Check the path.")
    if isinstance(e, PermissionError):
        return DocumentError(
            f"{path}: permission denied. Make it readable (chmod u+r '{path}') or ingest it as a user "
            "who can read it."
        )
    return DocumentError(f"{path}: cannot read it ({e.strerror or e}). Check the file and the disk.")


def read_bytes(path: Path, max_bytes: int) -> bytes:
    """The file's bytes; the size is checked before reading and the read is capped at ``max_bytes + 1``."""
    try:
        st = path.stat()
    except OSError as e:
        raise _os_problem(path, e) from e
    if stat.S_ISDIR(st.st_mode):
        raise DocumentError(f"{path}: is a directory; pass the files in it (ingest lists directories).")
    if not stat.S_ISREG(st.st_mode):
        raise DocumentError(
            f"{path}: not a regular file (a pipe, socket or device); copy its content to a file."
        )
    if st.st_size == 0:
        raise DocumentError(
            f"{path}: empty file (0 bytes); nothing to ingest. Export it again or leave it out."
        )
    if st.st_size > max_bytes:
        raise _too_big(path, st.st_size, max_bytes)
    try:
        with path.open("rb") as f:
            raw = f.read(max_bytes + 1)
    except OSError as e:
        raise _os_problem(path, e) from e
    if len(raw) > max_bytes:  # grew since stat()
        raise _too_big(path, len(raw), max_bytes)
    if not raw:
        raise DocumentError(
            f"{path}: empty file (0 bytes); nothing to ingest. Export it again or leave it out."
        )
    return raw
