"""Debian's Chromium for the browser tests, kept off the (closed) network (a module of its own: tests never
import each other)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("KG_CHROMIUM", "/usr/bin/chromium"))
# Playwright gives every launch a fresh temporary --user-data-dir; these flags keep Chromium off the (closed)
# network, which would otherwise fill the run with refused connections: no QUIC, no first-run, background,
# component-update or sync requests.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def require_chromium() -> Path:
    """The Chromium binary, or the test fails saying how to install it."""
    if not CHROMIUM.is_file():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: install Debian's with "
            "`apt-get install -y --no-install-recommends chromium` as root (make test does), "
            "or point KG_CHROMIUM at a Chromium binary."
        )
    return CHROMIUM
