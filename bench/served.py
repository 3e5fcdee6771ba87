"""The real HTTP service (``python -m api``, uvicorn) in a child process on a free loopback port.

Benchmarks talk to it over TCP exactly as clients do. The service owns its embedded FalkorDB (a child of
the service that dies with it), so the data directory must not be open anywhere else.

Example:
    >>> with Service({"KG_STORE__DATA_DIR": "/tmp/kg"}) as svc:              # doctest: +SKIP
    ...     httpx.get(f"{svc.url}/health").json()["status"]
    'ok'
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import TracebackType
from typing import IO

import httpx


def free_port() -> int:
    """A TCP port nobody listens on now (the kernel's pick for port 0)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Service:
    """Start ``python -m api`` with ``env`` on top of this process's environment; wait for ``/health``.

    ``started_s`` is the time from spawning the process to the first ``200`` from ``/health`` (imports,
    store open, AOF replay). The service's log goes to a temporary file, shown when it fails to start.
    """

    def __init__(self, env: dict[str, str], *, startup_timeout_s: float = 300.0) -> None:
        self.env = {**os.environ, "KG_API__RATE_LIMIT_PER_MINUTE": "0", **env}
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.startup_timeout_s = startup_timeout_s
        self.started_s = 0.0
        self.process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    def __enter__(self) -> Service:
        self._log = tempfile.NamedTemporaryFile(prefix="kg-bench-api-", suffix=".log")
        cmd = [sys.executable, "-m", "api", "--port", str(self.port), "--log-level", "warning"]
        t = time.perf_counter()
        # a session of its own: stop() can signal the service without touching this process
        self.process = subprocess.Popen(
            cmd, env=self.env, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            self._wait_healthy()
        except BaseException:
            self.stop()
            raise
        self.started_s = time.perf_counter() - t
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def log_tail(self, lines: int = 30) -> str:
        if self._log is None:
            return ""
        return "\n".join(Path(self._log.name).read_text(errors="replace").splitlines()[-lines:])

    def _wait_healthy(self) -> None:
        assert self.process is not None
        deadline = time.monotonic() + self.startup_timeout_s
        with httpx.Client(timeout=5.0) as client:
            while time.monotonic() < deadline:
                if self.process.poll() is not None:
                    code = self.process.returncode
                    raise RuntimeError(f"the service exited with {code} while starting:\n{self.log_tail()}")
                try:
                    if client.get(f"{self.url}/health").status_code == 200:
                        return
                except httpx.TransportError:
                    pass
                time.sleep(0.2)
        raise TimeoutError(f"the service did not answer /health within {self.startup_timeout_s:.0f} s")

    def stop(self, timeout_s: float = 180.0) -> None:
        """SIGTERM (uvicorn shuts down, the store compacts its log and closes), then SIGKILL if stuck."""
        proc, self.process = self.process, None
        if proc is not None and proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout_s)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)  # the group is the service's own session
                proc.wait()
        if self._log is not None:
            self._log.close()
            self._log = None
