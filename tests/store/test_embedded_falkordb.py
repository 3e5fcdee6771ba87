"""The embedded FalkorDB server: durability under kill -9, one owner per directory, damaged data."""

from __future__ import annotations

import fcntl
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import redis
from factories import edge, ev, node

from kg.core.errors import StoreUnavailableError
from kg.core.facts import FactBatch
from kg.core.graph_schema import GraphSchema
from kg.core.settings import StoreSettings
from kg.store.falkor_server import EmbeddedFalkor, repair_data_dir
from kg.store.falkordb_store import FalkorDBStore, open_falkordb


def numbered_batch(i: int, size: int = 40) -> FactBatch:
    e = ev(f"doc-{i}")
    eq = node("Equipment", f"press {i}", e)
    parts = [node("Part", f"part {i}-{j}", e) for j in range(size)]
    return FactBatch(nodes=[eq, *parts], edges=[edge(eq, "HAS_PART", p, e) for p in parts])


def entity_ids(store: FalkorDBStore) -> list[str]:
    return [r["id"] for r in store.read("MATCH (n:Entity) RETURN n.id AS id")]


def open_store(path: Path, schema: GraphSchema) -> FalkorDBStore:
    store = open_falkordb(StoreSettings(data_dir=path))
    store.ensure_schema(schema)
    return store


def test_acknowledged_batches_survive_kill_9_of_the_server(tmp_path: Path, schema: GraphSchema) -> None:
    store = open_store(tmp_path / "db", schema)
    assert store.server is not None and store.server.pid is not None
    acked: list[int] = []
    killer = threading.Timer(1.0, os.kill, (store.server.pid, signal.SIGKILL))
    killer.start()
    with pytest.raises(StoreUnavailableError):
        for i in range(1_000_000):
            store.upsert(numbered_batch(i))
            acked.append(i)
    killer.join()
    store.close()
    assert len(acked) > 5, "the kill should land in the middle of the load"

    store = open_store(tmp_path / "db", schema)
    try:
        ids = entity_ids(store)
        assert len(ids) == len(set(ids)), "no entity may exist twice"
        present = set(ids)
        for i in acked:
            assert {f"Equipment:press {i}", f"Part:part {i}-0", f"Part:part {i}-39"} <= present
        per_press = store.read("MATCH (e:Equipment)-[r:HAS_PART]->() RETURN e.id AS id, count(r) AS n")
        assert all(r["n"] == 40 for r in per_press if int(r["id"].split()[-1]) in acked)
        # the batch cut off by the kill may be partial; replaying it completes it without duplicates
        store.upsert(numbered_batch(len(acked)))
        ids = entity_ids(store)
        assert len(ids) == len(set(ids)) == 41 * (len(acked) + 1)
    finally:
        store.close()


def test_the_log_is_rewritten_into_a_snapshot_so_a_restart_replays_only_a_short_tail(
    tmp_path: Path, schema: GraphSchema
) -> None:
    """A crash replays the append-only log's tail statement by statement, and that replay grows far faster
    than the log (bench/crash_bench.py: 46-185 s at 10k-20k nodes with Redis' 64 MB default, 2-3 s at 100k
    with ours). Past the policy's threshold the log must hold a snapshot and a tail no longer than it."""
    store = open_store(tmp_path / "db", schema)
    assert store.server is not None and store.server.pid is not None
    aof = tmp_path / "db" / "appendonlydir"
    min_size = int(EmbeddedFalkor.AOF_REWRITE_MIN_SIZE.removesuffix("mb")) << 20
    info = redis.Redis(unix_socket_path=store.server.socket_path)

    def snapshot() -> int:  # the base of the log once a rewrite holds data (an empty one is ~100 bytes)
        info.info("persistence")  # answers once a finished rewrite has been swapped in
        return sum(p.stat().st_size for p in aof.glob("*.base.rdb"))

    try:
        written = 0
        while snapshot() < 100_000 and written < 3_000:
            store.upsert(numbered_batch(written))
            written += 1
        assert snapshot() >= 100_000, f"the log was never rewritten with data in {written} batches"
        tail = sum(p.stat().st_size for p in aof.glob("*.incr.aof"))
        assert tail <= max(snapshot(), min_size) + (1 << 20)
        os.kill(store.server.pid, signal.SIGKILL)
        with pytest.raises(StoreUnavailableError):
            store.upsert(numbered_batch(written))
    finally:
        store.close()
    store = open_store(tmp_path / "db", schema)  # the snapshot, then the tail
    try:
        assert len(entity_ids(store)) >= 41 * written
    finally:
        store.close()


def test_a_second_owner_of_the_data_dir_is_refused(tmp_path: Path) -> None:
    first = EmbeddedFalkor(tmp_path / "db")
    first.start()
    try:
        with pytest.raises(StoreUnavailableError, match=r"in use by another mfg-kg process \(pid \d+\)"):
            EmbeddedFalkor(tmp_path / "db").start()
    finally:
        first.stop()
    second = EmbeddedFalkor(tmp_path / "db")  # free again after stop()
    second.start()
    second.stop()


def _alive(pid: int) -> bool:
    status = Path(f"/proc/{pid}/status")
    return status.exists() and "zombie" not in status.read_text()


def test_the_server_stops_when_its_owner_is_killed_even_with_other_threads_running(tmp_path: Path) -> None:
    # the owner runs busy native threads while it starts the server, as Ray's gRPC threads do in a
    # worker; the server must start (no Python code runs between fork and exec) and die with the owner
    owner = subprocess.Popen(
        [
            sys.executable, "-c",
            "import sys, threading, time, hashlib\n"
            "from pathlib import Path\n"
            "from kg.store.falkor_server import EmbeddedFalkor\n"
            "for _ in range(4):\n"
            "    threading.Thread(target=lambda: [hashlib.sha256(b'x' * 10**6) for _ in iter(int, 1)],"
            " daemon=True).start()\n"
            "server = EmbeddedFalkor(Path(sys.argv[1]))\n"
            "server.start()\n"
            "print(server.pid, flush=True)\n"
            "time.sleep(600)\n",
            str(tmp_path / "db"),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    assert owner.stdout is not None
    server_pid = int(owner.stdout.readline())
    assert _alive(server_pid)
    owner.kill()
    owner.wait()
    deadline = time.monotonic() + 20
    while _alive(server_pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(server_pid)


def test_a_server_left_by_a_crashed_owner_is_shut_down_and_its_data_kept(
    tmp_path: Path, schema: GraphSchema
) -> None:
    store = open_store(tmp_path / "db", schema)
    store.upsert(numbered_batch(1))
    orphan = store.server
    assert orphan is not None and orphan.process is not None
    orphan_pid = orphan.process.pid
    # simulate the owner dying: its lock goes away, its server keeps running
    assert orphan._lock is not None
    fcntl.flock(orphan._lock, fcntl.LOCK_UN)
    orphan._lock.close()
    orphan._lock, orphan.process, store.server = None, None, None

    store2 = open_store(tmp_path / "db", schema)
    try:
        assert (
            not Path(f"/proc/{orphan_pid}/status").exists()
            or "zombie" in Path(f"/proc/{orphan_pid}/status").read_text()
        )
        assert len(entity_ids(store2)) == 41
    finally:
        store2.close()


def test_damaged_data_gives_a_clear_error_and_repair_recovers_complete_writes(
    tmp_path: Path, schema: GraphSchema
) -> None:
    store = open_store(tmp_path / "db", schema)
    for i in range(3):
        store.upsert(numbered_batch(i, size=5))
    store.close()
    incr = next((tmp_path / "db" / "appendonlydir").glob("*.incr.aof"))
    data = incr.read_bytes()
    incr.write_bytes(data[: len(data) * 2 // 3] + b"\r\ngarbage\r\n" + data[len(data) * 2 // 3 :])

    with pytest.raises(StoreUnavailableError, match="look damaged.*kg store repair"):
        open_falkordb(StoreSettings(data_dir=tmp_path / "db"))

    report = repair_data_dir(tmp_path / "db")
    assert "Backup of the damaged files" in report
    assert list((tmp_path / "db").glob("appendonlydir.bak-*"))
    store = open_store(tmp_path / "db", schema)
    try:
        ids = entity_ids(store)
        assert 0 < len(ids) < 18 and len(ids) == len(set(ids))
        assert "Equipment:press 0" in ids  # the writes before the damage are back
    finally:
        store.close()


def test_unwritable_data_dir_names_the_directory_and_the_fix(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(StoreUnavailableError, match=r"Cannot use data directory .*file.*--data-dir"):
        EmbeddedFalkor(blocker / "db").start()


def test_unreachable_server_url_names_the_url_and_the_fix() -> None:
    settings = StoreSettings(falkordb={"url": "redis://127.0.0.1:1"})
    with pytest.raises(StoreUnavailableError, match=r"127\.0\.0\.1:1.*KG_STORE__FALKORDB__URL"):
        open_falkordb(settings)


def test_server_mode_connects_by_url_and_leaves_the_server_running(
    tmp_path: Path, schema: GraphSchema
) -> None:
    server = EmbeddedFalkor(tmp_path / "srv")
    socket_path = server.start()
    try:
        store = open_falkordb(StoreSettings(falkordb={"url": f"unix://{socket_path}", "graph": "remote"}))
        assert store.server is None
        store.ensure_schema(schema)
        store.upsert(numbered_batch(7, size=3))
        store.close()
        again = open_falkordb(StoreSettings(falkordb={"url": f"unix://{socket_path}", "graph": "remote"}))
        assert len(entity_ids(again)) == 4  # the server kept running and kept the data
        again.close()
    finally:
        server.stop()


@pytest.fixture
def small_disk(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A 3 MiB tmpfs for the data directory (needs root, as in CI; skipped where mounting is refused)."""
    import subprocess

    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(disk)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here ({mounted.stderr.decode().strip()}): needs root")
    yield disk
    subprocess.run(["umount", "-l", str(disk)], capture_output=True)


def test_a_full_disk_is_reported_and_nothing_acknowledged_is_lost(
    small_disk: Path, schema: GraphSchema
) -> None:
    import subprocess

    from kg.core.errors import StoreWriteError

    def batch(b: int) -> FactBatch:
        return FactBatch(
            nodes=[node("Part", f"part {b}-{i} " + "x" * 200, ev(f"doc-{b}")) for i in range(100)]
        )

    store = open_falkordb(StoreSettings(data_dir=small_disk / "db"))
    store.ensure_schema(schema)
    acknowledged = 0
    with pytest.raises(
        StoreWriteError, match=r"The disk holding .*db is full.*free space, then write the batch"
    ):
        for b in range(1000):
            store.upsert(batch(b))
            acknowledged += 1
    assert 0 < acknowledged < 1000
    subprocess.run(["mount", "-o", "remount,size=64m", str(small_disk)], check=True)
    for _ in range(100):  # space again: the server flushes its log within a second, then takes writes
        try:
            store.upsert(batch(acknowledged))  # the refused batch, written again
            break
        except StoreWriteError:
            time.sleep(0.1)
    store.close()
    reopened = open_falkordb(StoreSettings(data_dir=small_disk / "db"))
    try:
        parts = reopened.read("MATCH (n:Part) RETURN count(n) AS n")[0]["n"]
    finally:
        reopened.close()
    assert parts == 100 * (acknowledged + 1)
