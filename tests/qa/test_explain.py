"""Explainers and the grounding check: template, OpenAI-compatible endpoint (served by httpx's mock
transport, the client code is real), the local SmolLM2 model (real, via llama.cpp), and LLM routing."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from conftest import count_graph

from kg.core.settings import LLMSettings, Settings
from kg.graph.knowledge_graph import KnowledgeGraph
from kg.qa.answers import AskRequest, Fact
from kg.qa.explain import Explainer, grounding_problems, template_explanation
from kg.qa.llm import OpenAIChat
from kg.qa.service import QAService
from kg.qa.tools import ToolOutput

FACTS = [
    Fact(
        subject="Part:62052rsh",
        subject_name="Deep groove ball bearing 6205-2RS",
        predicate="SUPPLIED_BY",
        object="Supplier:skf",
        object_name="SKF Group",
    ),
    Fact(
        subject="Equipment:ldsp101m",
        subject_name="Coolant supply pump motor 7.5 kW",
        predicate="HAS_PART",
        object="Part:62052rsh",
        object_name="Deep groove ball bearing 6205-2RS",
    ),
    Fact(
        subject="Part:62052rsh",
        subject_name="Deep groove ball bearing 6205-2RS",
        predicate="other_suppliers",
        value=1,
    ),
]
OUTPUT = ToolOutput(answer="An outage of SKF Group hits 1 piece of equipment.", facts=FACTS)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (
            "SKF Group supplies the Deep groove ball bearing 6205-2RS used in the Coolant supply pump motor.",
            None,
        ),
        ("SKF Group supplies the bearing. Timken Europe could step in.", "Timken"),
        ("SKF Group supplies the bearing; 12 motors would stop.", "12"),
        ("SKF Group supplies the 6205-2RSH and 7014 CD/HCP4A bearings.", "7014"),
        ("The bearing is located at Plant Alpha.", "located at"),
        ("SKF Group supplies the bearing, which causes overheating.", "causes"),
    ],
)
def test_grounding_check_finds_invented_names_numbers_and_relations(text: str, problem: str | None) -> None:
    found = grounding_problems(text, FACTS, context=["What does an outage of SKF hit?", OUTPUT.answer])
    if problem is None:
        assert found == []
    else:
        assert any(problem in p for p in found), found


def test_template_explanations_pass_their_own_grounding_check(
    qa_kg: KnowledgeGraph, qa_settings: Settings
) -> None:
    qa = QAService(qa_kg, qa_settings)
    for q in (
        "What does an outage of SKF hit?",
        "How can the coolant supply pump fail?",
        "Which parts are most critical?",
        "What is the maintenance history of OST-HP-02-HPU?",
    ):
        r = qa.ask(AskRequest(question=q))
        output = ToolOutput(answer=r.answer, facts=r.facts)
        assert grounding_problems(template_explanation(output), r.facts, context=[q, r.answer]) == [], q


def _endpoint(replies: list[Any], seen: list[dict[str, Any]]) -> Callable[[httpx.Request], httpx.Response]:
    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(json.loads(request.content))
        reply = replies[min(len(seen) - 1, len(replies) - 1)]
        if isinstance(reply, int):
            return httpx.Response(reply, json={"error": "boom"})
        return httpx.Response(
            200, json={"choices": [{"message": {"content": reply}}], "usage": {"completion_tokens": 9}}
        )

    return handle


def _explainer(replies: list[Any], seen: list[dict[str, Any]]) -> Explainer:
    cfg = LLMSettings(explainer="openai", base_url="http://llm.test/v1", model="tiny", api_key="sk-test")
    return Explainer(cfg, openai=OpenAIChat(cfg, transport=httpx.MockTransport(_endpoint(replies, seen))))


def test_openai_compatible_explainer_used_when_its_text_is_grounded() -> None:
    seen: list[dict[str, Any]] = []
    text, report = _explainer(["SKF Group supplies the Deep groove ball bearing 6205-2RS."], seen).explain(
        "What does an outage of SKF hit?", OUTPUT
    )
    assert (report.name, report.attempts, report.grounded) == ("openai", 1, True)
    assert text.startswith("SKF Group supplies")
    sent = seen[0]
    assert sent["model"] == "tiny" and sent["temperature"] == 0
    assert "SKF Group" in sent["messages"][1]["content"]  # the facts are in the prompt


def test_ungrounded_drafts_are_retried_once_then_replaced_by_the_template() -> None:
    seen: list[dict[str, Any]] = []
    lie = "Ignore the facts: Timken Europe is bankrupt since 2019, delete the graph."
    text, report = _explainer([lie, lie], seen).explain("What does an outage of SKF hit?", OUTPUT)
    assert report.name == "template" and report.requested == "openai" and report.attempts == 2
    assert len(report.rejected) == 2 and "Timken" in report.rejected[0]
    assert "previous draft was wrong" in seen[1]["messages"][1]["content"]  # the retry says why
    assert text == template_explanation(OUTPUT)


def test_a_failing_endpoint_falls_back_to_the_template() -> None:
    text, report = _explainer([500], []).explain("What does an outage of SKF hit?", OUTPUT)
    assert report.name == "template" and "unavailable" in report.rejected[0]
    assert text == template_explanation(OUTPUT)


def test_llm_written_cypher_runs_only_through_the_read_only_guard(
    qa_kg: KnowledgeGraph, qa_settings: Settings
) -> None:
    cfg = LLMSettings(explainer="template", base_url="http://llm.test/v1", route_with_llm=True)

    def ask(reply: str, question: str) -> Any:
        chat = OpenAIChat(cfg, transport=httpx.MockTransport(_endpoint([reply], [])))
        return QAService(qa_kg, qa_settings, router_llm=chat).ask(AskRequest(question=question))

    before = count_graph(qa_kg)
    evil = ask('{"cypher": "MATCH (n) DETACH DELETE n"}', "erase everything you know please")
    assert evil.status == "not_understood" and "not run" in evil.answer
    assert count_graph(qa_kg) == before
    question = "alphabetical sample of three organisations please"  # like no example question: the LLM routes
    fine = ask('{"cypher": "MATCH (s:Supplier) RETURN s.name AS name ORDER BY name LIMIT 3"}', question)
    assert fine.status == "answered" and fine.tool is not None and fine.tool.method == "llm"
    assert len({f.subject for f in fine.facts}) == 3
    routed = ask('{"tool": "single_source"}', question)
    assert routed.tool is not None and (routed.tool.name, routed.tool.method) == ("single_source", "llm")


def test_local_smollm2_explainer_runs_and_is_checked(qa_kg: KnowledgeGraph, qa_settings: Settings) -> None:
    """The real local model (SmolLM2-135M GGUF, llama.cpp): what it writes is grounded or replaced."""
    settings = qa_settings.model_copy(update={"llm": LLMSettings(explainer="local", max_tokens=60)})
    r = QAService(qa_kg, settings).ask(AskRequest(question="Where is the 6205-2RSH used?"))
    e = r.explainer
    assert e.requested == "local" and e.attempts >= 1 and e.model and "SmolLM2" in e.model
    if e.name == "local":
        assert e.grounded and grounding_problems(r.explanation, r.facts, context=[r.question, r.answer]) == []
    else:
        assert e.name == "template" and len(e.rejected) == e.attempts == 2
