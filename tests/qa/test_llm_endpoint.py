"""The OpenAI-compatible explainer and router against a real server on the loopback: llama.cpp's server
(``python -m llama_cpp.server``) serving the bundled SmolLM2 GGUF, started here. Also its failures: too slow
for the timeout, stopped, and a server on the loopback that answers malformed replies.

What the 135M model writes varies with the prompt, so the tests check the contract, not its words: every
explanation is either the model's text passing the grounding check or the template with the reasons the
drafts were rejected; a router reply is a tool, guarded Cypher, or an error the service falls back from.
"""

from __future__ import annotations

import http.server
import json
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from kg.core.settings import LLMSettings, Settings
from kg.graph.knowledge_graph import KnowledgeGraph
from kg.qa.answers import AskRequest
from kg.qa.explain import grounding_problems
from kg.qa.llm import LLMError, OpenAIChat, smollm2_gguf
from kg.qa.router import llm_route
from kg.qa.service import QAService
from kg.qa.tools import TOOLS

STARTUP_S = 90.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def llama_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """llama.cpp's OpenAI-compatible server on a free loopback port; its base URL (``.../v1``)."""
    try:
        import llama_cpp.server.app  # noqa: F401
    except ImportError as e:
        pytest.fail(f"llama.cpp's server is not installed ({e}): `pip install 'llama-cpp-python[server]'`")
    port = _free_port()
    log = tmp_path_factory.mktemp("llama") / "server.log"
    cmd = [sys.executable, "-m", "llama_cpp.server", "--model", str(smollm2_gguf()), "--host", "127.0.0.1"]
    cmd += ["--port", str(port), "--n_threads", "2", "--model_alias", "smollm2", "--seed", "0"]
    with log.open("wb") as out:
        proc = subprocess.Popen([*cmd, "--verbose", "False"], stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + STARTUP_S
        while True:
            if proc.poll() is not None:
                pytest.fail(f"llama.cpp's server exited ({proc.returncode}):\n{_tail(log)}")
            try:
                if httpx.get(f"{base}/models", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"llama.cpp's server did not answer within {STARTUP_S:.0f} s:\n{_tail(log)}")
            time.sleep(0.3)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def _tail(log: Path) -> str:
    return log.read_text(errors="replace")[-2000:]


def _llm(base: str, **more: object) -> LLMSettings:
    return LLMSettings(explainer="openai", base_url=base, model="smollm2", max_tokens=60, **more)  # type: ignore[arg-type]


def test_the_explainer_writes_through_a_real_endpoint_or_says_why_not(
    qa_kg: KnowledgeGraph, qa_settings: Settings, llama_server: str
) -> None:
    settings = qa_settings.model_copy(update={"llm": _llm(llama_server, timeout_s=120)})
    r = QAService(qa_kg, settings).ask(AskRequest(question="Where is the 6205-2RSH used?"))
    e = r.explainer
    assert e.requested == "openai" and e.attempts >= 1 and e.model == f"smollm2 at {llama_server}"
    assert not any("unavailable" in x for x in e.rejected), e.rejected  # the server answered
    if e.name == "openai":
        assert grounding_problems(r.explanation, r.facts, context=[r.question, r.answer]) == []
    else:  # both drafts failed the grounding check: the template, with the reasons
        assert e.name == "template" and len(e.rejected) == e.attempts == 2
        assert all(x.startswith("draft ") for x in e.rejected)


def test_the_router_asks_a_real_endpoint_and_its_reply_is_used_or_refused(
    qa_kg: KnowledgeGraph, qa_settings: Settings, llama_server: str
) -> None:
    chat = OpenAIChat(_llm(llama_server, timeout_s=120, route_with_llm=True))
    question = "alphabetical sample of three organisations please"  # like no example: the LLM is asked
    try:
        choice = llm_route(chat, question, [], TOOLS)
        assert isinstance(
            choice, dict
        )  # a JSON object: a tool name, Cypher, or something the service ignores
    except LLMError as e:
        assert "JSON" in str(e)  # the small model may answer in prose: said, not guessed at
    settings = qa_settings.model_copy(update={"llm": _llm(llama_server, timeout_s=120, route_with_llm=True)})
    r = QAService(qa_kg, settings).ask(AskRequest(question=question))
    assert r.status in ("answered", "no_results", "not_understood")
    if r.tool is not None and r.tool.name == "cypher":  # whatever Cypher it wrote ran through the guard
        assert r.cypher and all(
            not c.query.lstrip().upper().startswith(("CREATE", "MERGE")) for c in r.cypher
        )


def test_an_endpoint_too_slow_for_the_timeout_falls_back_to_the_template(
    qa_kg: KnowledgeGraph, qa_settings: Settings, llama_server: str
) -> None:
    settings = qa_settings.model_copy(update={"llm": _llm(llama_server, timeout_s=0.001)})
    started = time.perf_counter()
    r = QAService(qa_kg, settings).ask(AskRequest(question="Where is the 6205-2RSH used?"))
    assert r.status == "answered" and r.explainer.name == "template"
    assert "unavailable" in r.explainer.rejected[0] and "timed out" in r.explainer.rejected[0].lower()
    assert time.perf_counter() - started < 10


def test_an_endpoint_that_is_down_falls_back_to_the_template(
    qa_kg: KnowledgeGraph, qa_settings: Settings
) -> None:
    base = f"http://127.0.0.1:{_free_port()}/v1"  # nothing listens there
    settings = qa_settings.model_copy(update={"llm": _llm(base, timeout_s=5, route_with_llm=True)})
    r = QAService(qa_kg, settings).ask(AskRequest(question="Where is the 6205-2RSH used?"))
    assert r.status == "answered" and r.tool is not None and r.tool.name == "where_used"
    assert r.explainer.name == "template" and "unavailable" in r.explainer.rejected[0]


@pytest.mark.parametrize(
    "reply",
    [b"not json at all", b'{"choices": []}', b'{"choices": [{"message": {"content": 42}}], "usage": "x"}'],
)
def test_malformed_replies_from_a_loopback_server_fall_back(
    qa_kg: KnowledgeGraph, qa_settings: Settings, reply: bytes
) -> None:
    class Malformed(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Malformed)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}/v1"
        settings = qa_settings.model_copy(update={"llm": _llm(base, timeout_s=5, route_with_llm=True)})
        r = QAService(qa_kg, settings).ask(AskRequest(question="alphabetical sample of three organisations"))
        assert r.status in ("answered", "no_results", "not_understood")  # never a crash
        r = QAService(qa_kg, settings).ask(AskRequest(question="Where is the 6205-2RSH used?"))
        assert r.status == "answered" and r.explainer.name == "template"
        assert r.explainer.rejected and (
            "unavailable" in r.explainer.rejected[0] or "draft" in r.explainer.rejected[0]
        )
        assert json.dumps(r.model_dump(mode="json"))  # the response is whole
    finally:
        server.shutdown()
