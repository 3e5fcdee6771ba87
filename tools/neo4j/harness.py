"""Run a command beside a real Neo4j: build the test DBMS (tools/neo4j, Neo4j Community from Maven Central,
jars cached in ~/.m2), start it on a free loopback port with its data under build/neo4j, wait until Bolt
answers, run the command with NEO4J_URI / NEO4J_USERNAME / NEO4J_PASSWORD set, and stop Neo4j afterwards,
also when the command fails or is interrupted. Exits with the command's status.

    python tools/neo4j/harness.py -- pytest -q

When NEO4J_URI is already set the command runs against that server and nothing is started. When Java or
Maven is missing, or Neo4j does not start, the command still runs, with KG_NEO4J_UNAVAILABLE saying why:
the test suite then fails its Neo4j tests with that message (they are not skipped).
"""

from __future__ import annotations

import os
import select
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
BUILD = ROOT / "build" / "neo4j"
CLASSPATH = HERE / "target" / "classpath.txt"
PASSWORD = "mfgkg-test-password"
START_TIMEOUT_S = 180


class Unavailable(RuntimeError):
    """Neo4j cannot be had here; the message says what to install or fix."""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def build() -> str:
    """The test DBMS's class path, building it with Maven when the sources changed (seconds when cached)."""
    for tool, what in (("java", "a Java 17+ runtime (e.g. apt install openjdk-17-jre-headless)"),
                       ("mvn", "Apache Maven (e.g. apt install maven)")):  # fmt: skip
        if shutil.which(tool) is None:
            raise Unavailable(
                f"`{tool}` is not on PATH: install {what}, or set NEO4J_URI to a running Neo4j."
            )
    sources = [HERE / "pom.xml", *sorted((HERE / "src").rglob("*.java"))]
    stamp = HERE / "target" / "classes" / "mfgkg" / "TestDbms.class"
    fresh = stamp.exists() and CLASSPATH.exists()
    if not fresh or max(p.stat().st_mtime for p in sources) > stamp.stat().st_mtime:
        done = subprocess.run(
            ["mvn", "-q", "-B", "-f", str(HERE / "pom.xml"), "package", "-DskipTests"],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        if done.returncode != 0:
            tail = (done.stdout + done.stderr).strip().splitlines()[-15:]
            raise Unavailable(
                "Maven could not build tools/neo4j (Maven Central reachable?):\n" + "\n".join(tail)
            )
    return f"{HERE / 'target' / 'classes'}{os.pathsep}{CLASSPATH.read_text().strip()}"


def start(
    classpath: str, home: Path | None = None, port: int | None = None, *, fresh: bool = True
) -> tuple[subprocess.Popen[str], str]:
    """Start the DBMS; returns the process and its Bolt URI once it answers. ``home`` (default: one per
    process under build/neo4j) holds its data, emptied first unless ``fresh`` is false: a test that stops
    Neo4j starts it again on the same data and ``port``."""
    home = home or BUILD / f"run-{os.getpid()}"
    if fresh:
        shutil.rmtree(home, ignore_errors=True)
    home.mkdir(parents=True, exist_ok=True)
    port = port or _free_port()
    log = open(home / "neo4j-harness.log", "w")  # noqa: SIM115 - lives as long as the process
    proc = subprocess.Popen(
        ["java", "-Xms256m", "-Xmx768m", "-XX:+UseSerialGC", "-cp", classpath, "mfgkg.TestDbms",
         str(home), str(port), PASSWORD],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log, text=True,
    )  # fmt: skip
    deadline = time.monotonic() + START_TIMEOUT_S
    assert proc.stdout is not None
    while time.monotonic() < deadline:
        if not select.select([proc.stdout], [], [], max(0.0, deadline - time.monotonic()))[0]:
            break  # nothing said before the deadline
        line = proc.stdout.readline()
        if line.startswith("READY"):
            return proc, line.split()[1]
        if not line and proc.poll() is not None:
            break
    stop(proc)
    raise Unavailable(f"Neo4j did not start within {START_TIMEOUT_S} s; see {home / 'neo4j-harness.log'}.")


def stop(proc: subprocess.Popen[str]) -> None:
    """Close the DBMS's standard input (it shuts down cleanly), then make sure it is gone."""
    if proc.poll() is None and proc.stdin is not None:
        try:
            proc.stdin.close()
            proc.wait(timeout=60)
        except (OSError, subprocess.TimeoutExpired):
            proc.kill()
            proc.wait()


def main(argv: list[str]) -> int:
    command = argv[argv.index("--") + 1 :] if "--" in argv else argv
    if not command:
        print(__doc__, file=sys.stderr)
        return 2
    env = dict(os.environ)
    if env.get("NEO4J_URI"):
        return subprocess.call(command, env=env)
    proc = None
    try:
        began = time.monotonic()
        proc, uri = start(build())
        env.update(NEO4J_URI=uri, NEO4J_USERNAME="neo4j", NEO4J_PASSWORD=PASSWORD)
        browser = [p for p in CLASSPATH.read_text().strip().split(os.pathsep) if "neo4j-browser" in p]
        if browser:  # Neo4j Browser's static bundle, for the test that drives it
            env["NEO4J_BROWSER_JAR"] = browser[0]
        print(f"neo4j harness: Neo4j Community up at {uri} in {time.monotonic() - began:.0f} s", flush=True)
    except Unavailable as e:
        print(f"neo4j harness: {e}", file=sys.stderr, flush=True)
        env["KG_NEO4J_UNAVAILABLE"] = str(e)
    try:
        return subprocess.call(command, env=env)
    finally:
        if proc is not None:
            stop(proc)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
