"""The web explorer end to end, as a person uses it: the real service (uvicorn on a loopback port, embedded
FalkorDB loaded with samples/structured, API keys on) driven by Debian's Chromium through Playwright.

Chromium comes from Debian (``make test`` installs it); Playwright's own browser download is never used.
Every request the page makes to anything but the service is recorded and refused: the page must need no
CDN. ``KG_UPDATE_SCREENSHOTS=1`` also writes the answer view to docs/screenshots/ask.png.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
import uvicorn
from chromium import CHROMIUM_ARGS, require_chromium
from playwright.sync_api import Browser, Locator, Page, Request, Route, expect, sync_playwright

from api.app import create_app
from kg.core.settings import ApiSettings, ExtractorSettings, Settings, StoreSettings
from kg.graph.knowledge_graph import open_knowledge_graph
from kg.qa.answers import AskResponse, Choice, ExplainerReport, LinkedEntity
from kg.tables import load_directory

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples" / "structured"
SCREENSHOT = ROOT / "docs" / "screenshots" / "ask.png"
KEY = "web-reader-key-0123456789"
QUESTION = "What does an outage of SKF hit?"
TIMEOUT_MS = 15_000
ASK_TIMEOUT_MS = 60_000  # the first question loads the sentence encoder
ROWS_JS = "rows => rows.map(r => [...r.cells].map(c => c.innerText))"
NEXT_FRAME_JS = "new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"
NODE_JS = """(() => {
  const cy = window.mfgkg.cy, n = cy.nodes()[0], p = n.renderedPosition();
  const box = cy.container().getBoundingClientRect();
  return {id: n.id(), name: n.data("name"), x: box.left + p.x, y: box.top + p.y};
})()"""


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of the real app, with a reader key, over the sample tables (no model needed)."""
    tmp = tmp_path_factory.mktemp("web")
    # the template explainer: deterministic text, no language model to load
    settings = Settings(
        store=StoreSettings(data_dir=tmp / "db"),
        extractor=ExtractorSettings(model=tmp / "no-model"),
        llm={"explainer": "template"},
    )
    keys = [{"key": KEY, "role": "reader", "name": "browser"}]
    with open_knowledge_graph(settings) as kg:
        loaded = load_directory(SAMPLES)
        loaded.raise_for_errors()
        kg.upsert(loaded.batch)
        app = create_app(settings, kg=kg, api_settings=ApiSettings(keys=keys, upload_dir=tmp / "uploads"))
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))  # a free port, held from the start: no race with other processes
        server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
        thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
        thread.start()
        deadline = time.monotonic() + 30
        while not server.started:
            assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
            time.sleep(0.05)
        try:
            yield f"http://127.0.0.1:{sock.getsockname()[1]}"
        finally:
            server.should_exit = True
            thread.join(timeout=30)
            sock.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    chromium = require_chromium()
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        yield b
        b.close()


def _page(browser: Browser, service: str, *, key: str | None) -> Iterator[Page]:
    """A page in a fresh browser context; fails the test on script errors or requests to other hosts."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=service)
    context.set_default_timeout(TIMEOUT_MS)
    if key:
        context.add_init_script(f"window.localStorage.setItem('mfgkg.apiKey', {key!r})")
    outside: list[str] = []
    errors: list[str] = []

    def refuse(route: Route, request: Request) -> None:
        outside.append(request.url)
        route.abort()

    context.route(lambda url: not url.startswith(service + "/"), refuse)
    page = context.new_page()
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield page
    context.close()
    assert not errors, f"script errors in the page: {errors}"
    assert not outside, f"the page fetched from outside the service (no CDN allowed): {outside}"


@pytest.fixture
def page(browser: Browser, service: str) -> Iterator[Page]:
    """A page whose browser already holds the reader key."""
    yield from _page(browser, service, key=KEY)


@pytest.fixture
def keyless_page(browser: Browser, service: str) -> Iterator[Page]:
    yield from _page(browser, service, key=None)


def _node_count(page: Page, timeout_s: float = 10.0) -> int:
    """Nodes drawn once the drawing has any. Polled with ``evaluate``: ``wait_for_function`` polls by
    evaluating a string inside the page, which the page's CSP (no 'unsafe-eval') refuses when the first
    check is not already true."""
    deadline = time.monotonic() + timeout_s
    while True:
        n = int(page.evaluate("window.mfgkg && window.mfgkg.cy ? window.mfgkg.cy.nodes().length : 0"))
        if n > 0 or time.monotonic() > deadline:
            return n
        page.wait_for_timeout(100)


def test_search_with_a_key_then_entity_detail_with_neighbours(keyless_page: Page) -> None:
    page = keyless_page
    page.goto("/#/search?q=coolant%20supply%20pump")
    # no key yet: the data call is refused, and the page says what to do
    expect(page.locator("#search-results .notice.error")).to_contain_text("enter an API key")

    page.get_by_label("API key").fill(KEY)
    page.get_by_role("button", name="Save key").click()
    expect(page.locator("#key-state")).to_have_text("key saved")
    hit = page.locator("#search-results a.entity[title='Equipment:ldsp101']")
    expect(hit).to_be_visible()
    hit.click()

    expect(page).to_have_url(f"{page.url.split('#')[0]}#/entity/Equipment%3Aldsp101")
    expect(page.locator("h1")).to_contain_text("Coolant supply pump")
    neighbours = page.locator("#neighbours")
    expect(neighbours).to_contain_text("HAS_PART")
    expect(neighbours.get_by_role("link", name="Coolant supply pump motor 7.5 kW")).to_be_visible()
    expect(neighbours.get_by_role("link", name="Plant Alpha – Leeds")).to_be_visible()
    assert _node_count(page) == 1 + neighbours.locator("a.entity").count()  # the entity and its neighbours

    # a neighbour's link opens its own page; an unknown id is an error with close matches, not a blank page
    neighbours.get_by_role("link", name="Plant Alpha – Leeds").click()
    expect(page.locator("h1")).to_contain_text("Plant Alpha – Leeds")
    page.goto("/#/entity/Supplier%3Askff")
    expect(page.locator(".notice.error")).to_contain_text("No entity with id 'Supplier:skff'")
    expect(page.locator(".notice.error a.entity[title='Supplier:skf']")).to_be_visible()


def test_failure_chains_ranked_by_rpn(page: Page) -> None:
    page.goto("/#/entity/Equipment%3Aldsp101")
    page.get_by_role("link", name="Failure chains").click()
    rows = page.locator("table.chains tbody tr")
    expect(rows.first).to_be_visible()
    table = [[c.strip() for c in row] for row in rows.evaluate_all(ROWS_JS)]
    head = page.locator("table.chains thead th").all_inner_texts()
    assert head[-4:] == ["S", "O", "D", "RPN"]
    rpn = [int(r[-1]) for r in table if r[-1].isdigit()]
    assert len(rpn) >= 5 and rpn == sorted(rpn, reverse=True) and rpn[0] == 120
    first = dict(zip(head, table[0], strict=True))
    assert first["→ Failure mode"] == "External leakage of process medium"
    assert int(first["S"]) * int(first["O"]) * int(first["D"]) == 120
    assert any(r[2] == "Mechanical seal face wear" for r in table)
    assert any("Coolant supply pump motor" in r[1] for r in table)  # the equipment's parts are included


def test_ask_shows_answer_explainer_citations_and_drawing(page: Page, tmp_path: Path) -> None:
    page.goto("/#/ask")
    page.get_by_label("Ask the knowledge graph").fill(QUESTION)
    page.get_by_role("button", name="Ask", exact=True).click()
    result = page.locator("#ask-result")
    _wait_for_answer(result)
    if result.locator(".answer-card[data-status='ambiguous']").count():  # as a user would: pick one
        result.locator("button.choice", has_text="Supplier:skf").click()
        _wait_for_answer(result)
    expect(result.locator(".answer-card")).to_have_attribute("data-status", "answered")
    expect(page.locator("#answer")).to_contain_text("SKF")
    expect(page.locator("#explanation")).not_to_be_empty()
    expect(page.locator("#explainer-badge")).to_have_text("explained by template · ✓ grounded in the facts")
    expect(result.locator("table.facts tbody tr").first).to_be_visible()
    expect(result.locator("details.cypher summary")).to_contain_text("Cypher")

    citation = result.locator("button.citation").first
    snippet = page.locator("#" + str(citation.get_attribute("aria-controls")))
    expect(snippet).to_be_hidden()
    citation.click()
    expect(snippet).to_be_visible()
    expect(snippet.locator("blockquote")).not_to_be_empty()
    expect(snippet).to_contain_text("span ")
    expect(citation).to_have_attribute("aria-expanded", "true")

    assert _node_count(page) > 0
    shot = tmp_path / "ask.png"
    page.screenshot(path=shot, full_page=True)
    _assert_real_picture(shot)
    if os.environ.get("KG_UPDATE_SCREENSHOTS") == "1":
        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shot, SCREENSHOT)

    # a click on a node of the drawing opens that entity's page
    page.evaluate("window.mfgkg.cy.container().scrollIntoView()")
    page.evaluate(NEXT_FRAME_JS)  # cytoscape re-reads its position on the scroll event
    node = page.evaluate(NODE_JS)
    page.mouse.click(node["x"], node["y"])
    expect(page.locator("h1")).to_contain_text(node["name"])
    assert page.evaluate("decodeURIComponent(location.hash)") == f"#/entity/{node['id']}"


def test_ambiguous_answer_offers_choices_that_ask_again(page: Page) -> None:
    """The first answer is made ambiguous here (the sample graph links SKF at once); the choice the user
    clicks goes to the real service with ``entity_ids``."""
    ambiguous = AskResponse(
        question=QUESTION,
        status="ambiguous",
        answer="'SKF' matches several entities: pick one and ask again.",
        explanation="",
        explainer=ExplainerReport(name="template", requested="template", grounded=True),
        choices=[
            Choice(
                mention="SKF",
                candidates=[
                    LinkedEntity(id=i, name="SKF", labels=[label], mention="SKF", method="exact", score=1)
                    for label, i in (("Manufacturer", "Manufacturer:skf"), ("Supplier", "Supplier:skf"))
                ],
            )
        ],
    )
    sent: list[dict[str, object]] = []

    def first_ambiguous(route: Route, request: Request) -> None:
        sent.append(request.post_data_json)
        if len(sent) == 1:
            route.fulfill(status=200, content_type="application/json", body=ambiguous.model_dump_json())
        else:
            route.continue_()

    page.route("**/ask", first_ambiguous)
    page.goto("/#/ask?q=" + quote(QUESTION))
    result = page.locator("#ask-result")
    expect(result.locator(".answer-card")).to_have_attribute("data-status", "ambiguous")
    expect(result.locator("button.choice")).to_have_count(2)
    result.locator("button.choice", has_text="Supplier:skf").click()
    _wait_for_answer(result)
    expect(result.locator(".answer-card")).to_have_attribute("data-status", "answered")
    assert sent == [{"question": QUESTION}, {"question": QUESTION, "entity_ids": ["Supplier:skf"]}]


def _wait_for_answer(result: Locator) -> None:
    """Until the answer (or an error) is shown; an error fails the test with its text."""
    expect(result.locator(".answer-card, .notice.error").first).to_be_visible(timeout=ASK_TIMEOUT_MS)
    errors = result.locator(".notice.error").all_inner_texts()
    assert not errors, f"the page shows an error instead of an answer: {errors}"


def test_page_works_without_the_drawing_library(page: Page) -> None:
    page.route("**/static/vendor/cytoscape.min.js", lambda route: route.fulfill(status=404))
    page.goto("/#/entity/Equipment%3Aldsp101")
    expect(page.locator("#notices")).to_contain_text("Graph drawing unavailable: run make web")
    expect(page.locator("#neighbours")).to_contain_text("HAS_FAILURE_MODE")
    expect(page.locator(".graph.unavailable")).to_contain_text("make web")
    assert page.evaluate("window.mfgkg.cy") is None


def _assert_real_picture(png: Path) -> None:
    """Not a blank page: a real size, and many distinct colours (text, badges, the drawing)."""
    assert png.stat().st_size > 10_000, f"{png} is only {png.stat().st_size} bytes"
    try:
        from PIL import Image
    except ImportError:  # Pillow is not a dependency; the size check above stands alone then
        return
    with Image.open(png) as im:
        rgb = im.convert("RGB")
        w, h = rgb.size
        assert w >= 1000 and h >= 800
        sampled = {rgb.getpixel((x, y)) for x in range(0, w, 7) for y in range(0, h, 7)}
    assert len(sampled) > 50, f"{png} looks blank: {len(sampled)} colours"
