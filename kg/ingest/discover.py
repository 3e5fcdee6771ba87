"""Find the document files to ingest under the paths a user gave, and say why any could not be taken.

Files given directly are taken whatever their suffix (:func:`kg.documents.read_document` reports an
unsupported one). Directories are listed in name order, one level unless ``recursive``; inside them hidden
entries (dot-names), ``__pycache__``/``node_modules`` and mfg-kg's own data directories (holding
``kg.lock``) are skipped, as are files whose suffix is not wanted. A file reached twice (given twice, or
through two symlinks) is found once. Missing paths, broken symlinks, symlink loops and unreadable
directories become :class:`Problem` entries and the walk goes on.

Example:
    >>> found, problems = discover([Path("samples")], recursive=True)   # doctest: +SKIP
    >>> [str(f.path) for f in found][:2], [p.reason for p in problems]  # doctest: +SKIP
    (['samples/a.txt', 'samples/sub/b.pdf'], ['broken symbolic link -> gone.txt'])
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kg.documents import supported_suffixes
from kg.store.falkor_server import LOCK_FILE

#: Directory names never entered when listing (tool caches; hidden names are skipped anyway).
SKIPPED_DIRS = frozenset({"__pycache__", "node_modules"})


@dataclass(frozen=True)
class Found:
    """A file to read: ``path`` as given or joined (for messages), ``real`` resolved (the dedupe key).

    Example:
        >>> Found(Path("docs/link.txt"), Path("/data/docs/a.txt")).real.name
        'a.txt'
    """

    path: Path
    real: Path


@dataclass(frozen=True)
class Problem:
    """A path that was not taken, and why.

    Example:
        >>> str(Problem(Path("gone.txt"), "no such file or directory"))
        'gone.txt: no such file or directory'
    """

    path: Path
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


def discover(
    paths: Sequence[Path], *, recursive: bool = False, suffixes: Collection[str] | None = None
) -> tuple[list[Found], list[Problem]]:
    """List the files under ``paths``, in order, each real file once.

    Args:
        paths: files and directories, as the user gave them.
        recursive: also list subdirectories (symlinked ones included; loops are reported, not followed).
        suffixes: suffixes to take from directories (``".pdf"`` or ``"pdf"``, any case); ``None`` means
            every suffix :func:`~kg.documents.read_document` supports. Files given directly are always
            taken.

    Example:
        >>> discover([Path("no/such/dir")])
        ([], [Problem(path=PosixPath('no/such/dir'), reason='no such file or directory')])
    """
    wanted = supported_suffixes() if suffixes is None else suffixes
    walk = _Walk(recursive, frozenset("." + s.lower().lstrip(".") for s in wanted))
    for path in paths:
        walk.given(Path(path))
    return walk.found, walk.problems


@dataclass
class _Walk:
    recursive: bool
    suffixes: frozenset[str]
    found: list[Found] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    files: set[Path] = field(default_factory=set)
    listed: set[Path] = field(default_factory=set)

    def given(self, path: Path) -> None:
        kind = self._kind(path)
        if kind == "dir":
            if _is_data_dir(path):
                self.problems.append(
                    Problem(path, f"an mfg-kg data directory (holds {LOCK_FILE}); not ingested")
                )
            else:
                self._list(path, ())
        elif kind == "file":
            self._take(path)

    def _kind(self, path: Path) -> str | None:
        """ "dir", "file", or None after recording why the path cannot be used."""
        try:
            mode = os.stat(path).st_mode
        except OSError as e:
            self.problems.append(Problem(path, _stat_problem(path, e)))
            return None
        if stat.S_ISDIR(mode):
            return "dir"
        if stat.S_ISREG(mode):
            return "file"
        self.problems.append(Problem(path, "not a regular file (a pipe, socket or device); skipped"))
        return None

    def _take(self, path: Path) -> None:
        real = Path(os.path.realpath(path))
        if real not in self.files:
            self.files.add(real)
            self.found.append(Found(path, real))

    def _list(self, directory: Path, stack: tuple[Path, ...]) -> None:
        real = Path(os.path.realpath(directory))
        if real in stack:
            self.problems.append(Problem(directory, f"symlink loop: {directory} -> {real}; not followed"))
            return
        if real in self.listed:  # reached again through another link: its files are already found
            return
        self.listed.add(real)
        try:
            with os.scandir(directory) as entries:
                names = sorted(e.name for e in entries)
        except OSError as e:
            reason = "permission denied" if isinstance(e, PermissionError) else (e.strerror or str(e))
            self.problems.append(Problem(directory, f"cannot list directory: {reason}; skipped"))
            return
        for name in names:
            if name.startswith(".") or name in SKIPPED_DIRS:
                continue
            path = directory / name
            is_dir_entry = os.path.isdir(path)
            if is_dir_entry and not self.recursive:
                continue
            if not is_dir_entry and path.suffix.lower() not in self.suffixes and not os.path.islink(path):
                continue  # cheap skip of unwanted files; symlinks are checked below (they may be broken)
            kind = self._kind(path)
            if kind == "dir" and not _is_data_dir(path):
                self._list(path, (*stack, real))
            elif kind == "file" and path.suffix.lower() in self.suffixes:
                self._take(path)


def _is_data_dir(path: Path) -> bool:
    return os.path.exists(path / LOCK_FILE)  # False, not an error, in a directory we may not search


def _stat_problem(path: Path, e: OSError) -> str:
    if e.errno == errno.ELOOP:
        return f"symlink loop: {path} -> {_link_target(path)}"
    if e.errno == errno.ENOENT and os.path.islink(path):
        return f"broken symbolic link -> {_link_target(path)}"
    if e.errno in (errno.ENOENT, errno.ENOTDIR):
        return "no such file or directory"
    if e.errno == errno.EACCES:
        return "permission denied"
    return e.strerror or str(e)


def _link_target(path: Path) -> str:
    try:
        return os.readlink(path)
    except OSError:
        return "?"
