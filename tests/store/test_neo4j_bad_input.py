"""Neo4j's bad input (issue #12): down at start, a wrong password, a database that does not exist. Each is a
clear message naming what to fix, from the store and from the CLI (non-zero exit), never a traceback.
The server is the one `make test` starts (tools/neo4j); "down" needs none."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

import pytest

from kg.core.errors import StoreUnavailableError
from kg.core.settings import Settings
from kg.store import open_store


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])  # closed again when this returns: nothing listens there


def _settings(**overrides: str) -> Settings:
    env = {
        "NEO4J_URI": os.environ.get("NEO4J_URI", ""),
        "NEO4J_USERNAME": os.environ.get("NEO4J_USERNAME", "neo4j"),
        "NEO4J_PASSWORD": os.environ.get("NEO4J_PASSWORD", ""),
    }
    env.update(overrides)
    return Settings(
        store={"backend": "neo4j"},
        neo4j_uri=env["NEO4J_URI"],
        neo4j_user=env["NEO4J_USERNAME"],
        neo4j_password=env["NEO4J_PASSWORD"],
        neo4j_database=env.get("NEO4J_DATABASE"),
    )


def test_neo4j_down_at_start_is_a_clear_error_and_a_failed_command() -> None:
    uri = f"bolt://127.0.0.1:{_closed_port()}"
    with pytest.raises(
        StoreUnavailableError, match=r"(?s)Cannot connect to Neo4j at bolt://127\.0\.0\.1.*NEO4J_URI"
    ):
        open_store(_settings(NEO4J_URI=uri, NEO4J_PASSWORD="x"))
    env = dict(os.environ, KG_STORE__BACKEND="neo4j", NEO4J_URI=uri, NEO4J_PASSWORD="x")
    done = subprocess.run(
        [sys.executable, "-m", "kg.cli", "stats"], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode != 0
    assert "Cannot connect to Neo4j" in done.stderr + done.stdout
    assert "Traceback" not in done.stderr


@pytest.mark.neo4j
def test_a_wrong_password_names_the_credentials() -> None:
    with pytest.raises(StoreUnavailableError, match="credentials"):
        open_store(_settings(NEO4J_PASSWORD="not-the-password"))


@pytest.mark.neo4j
def test_a_database_that_does_not_exist_is_named_with_the_fix() -> None:
    with pytest.raises(StoreUnavailableError, match=r"no database 'nosuchdb'.*NEO4J_DATABASE"):
        open_store(_settings(NEO4J_DATABASE="nosuchdb"))


@pytest.mark.neo4j
def test_the_right_settings_open_the_store() -> None:
    store = open_store(_settings())
    try:
        assert store.read("RETURN 1 AS one") == [{"one": 1}]
    finally:
        store.close()


@pytest.mark.parametrize(("write", "says"), [(True, "may not write"), (False, "may not read")])
def test_a_user_without_the_rights_is_told_which_rights(write: bool, says: str) -> None:
    """Community has no roles, so Neo4j's answer to a read-only (Enterprise) user is built here: the error
    the driver raises for `Neo.ClientError.Security.Forbidden`."""
    import neo4j.exceptions as nx

    from kg.core.errors import StoreAccessError
    from kg.store.neo4j_store import _ErrorMap

    forbidden = nx.Neo4jError._hydrate_neo4j(
        code="Neo.ClientError.Security.Forbidden", message="Create node with labels 'Part' is not allowed"
    )
    with pytest.raises(StoreAccessError, match=says) as raised, _ErrorMap(write=write):
        raise forbidden
    assert "NEO4J_USERNAME" in str(raised.value) and "not allowed" in str(raised.value)
