"""Constants and helpers shared by the API tests (a module of its own: tests never import conftest)."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

from fastapi.testclient import TestClient

SAMPLES = Path(__file__).resolve().parents[2] / "samples" / "structured"
READER_KEY = "reader-key-0123456789abcdef"
LOADER_KEY = "loader-key-0123456789abcdef"
ADMIN_KEY = "admin-key-0123456789abcdefg"
KEYS = [
    {"key": READER_KEY, "role": "reader", "name": "analyst"},
    {"key": LOADER_KEY, "role": "loader", "name": "etl"},
    {"key": ADMIN_KEY, "role": "admin", "name": "ops"},
]

#: ``with make_client(keys=KEYS, rate_limit_per_minute=3) as client: ...`` (the ``make_client`` fixture)
MakeClient = Callable[..., AbstractContextManager[TestClient]]
