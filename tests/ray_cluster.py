"""A real local Ray cluster for the tests of ``kg ingest --cluster`` (issue #14): a head and a second node,
each its own set of processes on the loopback with one CPU, so that two workers land on two nodes.

Each node runs ``ray start --block`` in a session of its own; stopping kills the session, which takes every
process that node started (``ray stop`` would stop every Ray on the machine)."""

from __future__ import annotations

import os
import random
import re
import subprocess
import sys
import time
from pathlib import Path

import psutil

RAY = str(Path(sys.executable).with_name("ray"))


class LocalRayCluster:
    """``address``: what ``--cluster`` takes (Ray Client); ``gcs``: the head's GCS address."""

    def __init__(self, log_dir: Path, *, cpus_per_node: int = 1, nodes: int = 2):
        base = random.randrange(20_000, 55_000, 1_000)
        self.gcs = f"127.0.0.1:{base}"
        self.address = f"ray://127.0.0.1:{base + 1}"
        self.log_dir = log_dir
        self.cpus = cpus_per_node
        self.env = {
            **os.environ,
            "RAY_USAGE_STATS_ENABLED": "0",
            "RAY_CLIENT_RECONNECT_GRACE_PERIOD": "1",  # a killed driver's workers go at once
            "RAY_CLIENT_SERVER_CHECK_CHANNEL_TIMEOUT_S": "120",  # its server for a client: slow on busy cores
            "OMP_WAIT_POLICY": "PASSIVE",
        }
        common = ["--num-cpus", str(cpus_per_node), "--object-store-memory", str(150 * 2**20)]
        common += ["--node-ip-address", "127.0.0.1", "--block", "--disable-usage-stats"]
        head = [RAY, "start", "--head", "--port", str(base), "--ray-client-server-port", str(base + 1)]
        head += ["--include-dashboard=false", "--min-worker-port", str(base + 100)]
        head += ["--max-worker-port", str(base + 399), *common]
        node = [RAY, "start", "--address", self.gcs, "--min-worker-port", str(base + 400)]
        node += ["--max-worker-port", str(base + 699), *common]
        self.commands = [head, node][:nodes]
        self.procs: list[subprocess.Popen[bytes]] = []

    def __enter__(self) -> LocalRayCluster:
        for i, cmd in enumerate(self.commands):
            log = open(self.log_dir / f"ray-node-{i}.log", "wb")  # the node writes while it runs
            self.procs.append(
                subprocess.Popen(cmd, env=self.env, stdout=log, stderr=log, start_new_session=True)
            )
            self._wait_for_cpus(self.cpus * (i + 1))
        return self

    def __exit__(self, *exc: object) -> None:
        sessions = {p.pid for p in self.procs}
        for proc in psutil.process_iter():  # the session, not only the group: workers make their own groups
            try:
                if os.getsid(proc.pid) in sessions:
                    proc.kill()
            except (psutil.Error, ProcessLookupError):
                continue
        for p in self.procs:
            p.wait(timeout=60)

    def _wait_for_cpus(self, cpus: int, within_s: float = 120) -> None:
        deadline = time.monotonic() + within_s
        while time.monotonic() < deadline:
            if any(p.poll() is not None for p in self.procs):
                raise RuntimeError(f"a Ray node exited at start: see {self.log_dir}/ray-node-*.log")
            status = subprocess.run(
                [RAY, "status", "--address", self.gcs], env=self.env, capture_output=True, text=True
            )
            if re.search(rf"/{cpus}\.0 CPU", status.stdout):
                return
            time.sleep(1)
        raise RuntimeError(f"the local Ray cluster did not reach {cpus} CPUs in {within_s} s")
