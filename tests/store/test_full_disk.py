"""A full disk during a write (issue #13, bad input): the embedded store says so, names the data directory and
the fix, and loses nothing it acknowledged. The data directory lies on a small tmpfs filled to the brim by a
filler file; deleting the filler is "freeing space". Needs the right to mount (root in a container that
allows it); skipped otherwise."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from test_embedded_falkordb import entity_ids, numbered_batch, open_store

from kg.core.errors import StoreWriteError
from kg.core.graph_schema import GraphSchema

TMPFS_MB = 24


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={TMPFS_MB}m", "tmpfs", str(mount)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode(errors='replace').strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def _fill(disk: Path, leave_kb: int) -> Path:
    """A filler file taking all but ``leave_kb`` of the disk's free space."""
    import os

    st = os.statvfs(disk)
    free = st.f_bavail * st.f_frsize
    filler = disk / "filler.bin"
    with filler.open("wb") as f:
        f.truncate(0)
        chunk = b"\0" * (1 << 20)
        left = max(free - leave_kb * 1024, 0)
        while left > 0:
            f.write(chunk[: min(len(chunk), left)])
            left -= min(len(chunk), left)
    return filler


def _retry(write: Callable[[], object], seconds: float = 10.0) -> None:
    """Write as a user does after freeing space: again, until the server has flushed its log (it retries
    once a second)."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            write()
            return
        except StoreWriteError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def test_a_full_disk_is_reported_and_nothing_acknowledged_is_lost(
    small_disk: Path, schema: GraphSchema
) -> None:
    data = small_disk / "db"
    store = open_store(data, schema)
    acked: list[int] = []
    filler = _fill(small_disk, leave_kb=256)
    with pytest.raises(StoreWriteError) as refused:
        for i in range(2000):
            store.upsert(numbered_batch(i))
            acked.append(i)
    message = str(refused.value)
    assert "full" in message and str(data) in message and "free space" in message
    assert acked, "some batches fit before the disk filled"

    filler.unlink()  # space freed: the server's next flush of its log succeeds, and then writes go on
    failed = len(acked)
    _retry(lambda: store.upsert(numbered_batch(failed)))  # the refused batch again (idempotent)
    acked.append(failed)
    for i in range(failed + 1, failed + 3):
        store.upsert(numbered_batch(i))
        acked.append(i)
    store.close()

    store = open_store(data, schema)
    try:
        present = set(entity_ids(store))
        missing = [i for i in acked if f"Equipment:press {i}" not in present]
        assert missing == []
        assert len(present) == len(acked) * 41
    finally:
        store.close()
