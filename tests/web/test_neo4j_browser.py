"""Neo4j Browser against the real Neo4j of `make test` (issue #12): Browser 5.24.0's static bundle (Maven
Central, put beside the test DBMS by tools/neo4j) served on the loopback, driven in headless Chromium. It
connects to the samples graph, loads docs/neo4j/mfg-kg.grass with `:style`, runs the saved failure-chain and
supplier-impact queries, and keeps screenshots in docs/screenshots/."""

from __future__ import annotations

import functools
import os
import re
import threading
import zipfile
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from chromium import CHROMIUM_ARGS, require_chromium
from playwright.sync_api import Page, expect, sync_playwright

from kg.core.settings import Settings
from kg.graph.knowledge_graph import open_knowledge_graph
from kg.tables import load_directory

pytestmark = pytest.mark.neo4j

ROOT = Path(__file__).resolve().parents[2]
GRASS = ROOT / "docs" / "neo4j" / "mfg-kg.grass"
SAVED = ROOT / "docs" / "neo4j" / "saved-queries.cypher"
SHOTS = ROOT / "docs" / "screenshots"
TIMEOUT_MS = 60_000


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def browser_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Browser's bundle and the style sheet on a loopback HTTP server; the samples' tables in Neo4j."""
    jar = os.environ.get("NEO4J_BROWSER_JAR")
    if not jar or not Path(jar).is_file():
        pytest.fail("NEO4J_BROWSER_JAR is not set: run the tests through tools/neo4j/harness.py (make test).")
    root = tmp_path_factory.mktemp("neo4j-browser")
    with zipfile.ZipFile(jar) as z:
        z.extractall(root, [n for n in z.namelist() if n.startswith("browser/")])
    (root / "mfg-kg.grass").write_bytes(GRASS.read_bytes())
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    with open_knowledge_graph(Settings(store={"backend": "neo4j"})) as kg:  # type: ignore[arg-type]
        kg.store.clear()
        loaded = load_directory(ROOT / "samples" / "structured")
        loaded.raise_for_errors()
        kg.upsert(loaded.batch)
        # "localhost": Browser fetches :style URLs from whitelisted hosts only, and localhost is one
        yield f"http://localhost:{server.server_address[1]}"
        kg.store.clear()
    server.shutdown()


def _saved(name: str) -> tuple[str, dict[str, str]]:
    """A saved query as one line, and its :param lines."""
    block = SAVED.read_text(encoding="utf-8").split(f"// name: {name}\n", 1)[1].split("\n// name:", 1)[0]
    params = dict(re.findall(r"^:param (\w+) => (.+);$", block, flags=re.MULTILINE))
    lines = [ln for ln in block.splitlines() if ln.strip() and not ln.startswith(("//", ":param"))]
    return " ".join(" ".join(lines).split()).rstrip(";"), params


def _run(page: Page, command: str) -> None:
    page.locator(".monaco-editor").first.click()
    page.keyboard.type(command)
    page.keyboard.press("Control+Enter")


def test_neo4j_browser_shows_the_saved_queries_in_the_style_sheet(browser_site: str) -> None:
    bolt = os.environ["NEO4J_URI"].rsplit(":", 1)[1]
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(require_chromium()), args=CHROMIUM_ARGS)
        page = chromium.new_page(viewport={"width": 1400, "height": 900})
        page.set_default_timeout(TIMEOUT_MS)
        page.goto(f"{browser_site}/browser/?dbms=neo4j://localhost:{bolt}&preselectAuthMethod=NATIVE")
        page.get_by_test_id("username").fill(os.environ.get("NEO4J_USERNAME", "neo4j"))
        page.locator("input[type=password]").fill(os.environ["NEO4J_PASSWORD"])
        page.get_by_test_id("connect").click()
        expect(page.get_by_text("You are connected as user")).to_be_visible(timeout=TIMEOUT_MS)

        _run(page, f":style {browser_site}/mfg-kg.grass")
        # our sheet, not Browser's default
        expect(page.get_by_text("node.FailureMode").first).to_be_visible(timeout=TIMEOUT_MS)

        query, params = _saved("Failure chains of an equipment (graph)")
        _run(page, ":param equipment_id => 'Equipment:ldsp101'")
        assert "equipment_id" in params
        _run(page, query)
        overview = page.get_by_text(re.compile(r"Displaying \d+ nodes, \d+ relationships"))
        expect(overview.first).to_be_visible(timeout=TIMEOUT_MS)
        expect(page.get_by_text(re.compile(r"^FailureMode \(\d+\)$")).first).to_be_visible(timeout=TIMEOUT_MS)
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / "neo4j-browser-failure-chains.png"))

        query, params = _saved("Supplier impact")
        assert "supplier_id" in params
        _run(page, ":param supplier_id => 'Supplier:skf'")
        _run(page, query)
        expect(page.get_by_text("Deep groove ball bearing 6205-2RS").first).to_be_visible(timeout=TIMEOUT_MS)
        page.screenshot(path=str(SHOTS / "neo4j-browser-supplier-impact.png"))
        chromium.close()
