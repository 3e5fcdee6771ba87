"""Questions in plain language: ``kg ask`` (one question) and ``kg eval-qa`` (the competency questions)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, cast

import typer

from kg.cli.root import console, run, state, table
from kg.core.errors import BadInputError
from kg.core.settings import Settings

if TYPE_CHECKING:
    from kg.qa.answers import AskResponse, ExplainerName


def ask_cli(
    question: Annotated[str, typer.Argument(help="A question in plain language, in quotes.")],
    explainer: Annotated[
        str | None, typer.Option(help="template, local or openai (default: KG_LLM__EXPLAINER).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the whole answer as JSON.")] = False,
) -> None:
    """Answer a question from the graph: the answer, the explanation, the facts, citations and Cypher."""
    run(lambda: ask(state.settings, question, explainer=explainer, as_json=as_json))


def ask(settings: Settings, question: str, *, explainer: str | None = None, as_json: bool = False) -> None:
    """Answer ``question`` as ``POST /ask`` does and print the answer (``as_json``: the whole response)."""
    from kg.graph.knowledge_graph import open_knowledge_graph
    from kg.qa.answers import AskRequest
    from kg.qa.service import QAService

    try:
        req = AskRequest(question=question, explainer=explainer)  # type: ignore[arg-type]
    except ValueError as e:
        raise BadInputError(f"Bad question or --explainer: {e}") from e
    with open_knowledge_graph(settings) as kg:
        resp = QAService(kg, settings).ask(req)
    if as_json:
        console.print_json(resp.model_dump_json())
    else:
        print_answer(resp)


def print_answer(resp: AskResponse) -> None:
    """The answer, the explanation, what ran, ambiguous mentions and the first five citations."""
    console.print(f"[bold]{resp.answer}[/bold]")
    if resp.explanation != resp.answer:
        console.print(resp.explanation)
    grounded = "grounded" if resp.explainer.grounded else "NOT grounded"
    tool = f"{resp.tool.name} ({resp.tool.method})" if resp.tool else "none"
    console.print(
        f"[dim]status {resp.status}; tool {tool}; explainer {resp.explainer.name} ({grounded})[/dim]"
    )
    for choice in resp.choices + resp.suggestions:
        names = ", ".join(f"{x.name} [{x.id}]" for x in choice.candidates)
        console.print(f"  {choice.mention!r}: {names}")
    for cite in resp.citations[:5]:
        console.print(
            f"  [dim]cites {cite.document} [{cite.start}:{cite.end}][/dim] {(cite.snippet or '')[:120]}"
        )


def eval_qa_cli(
    questions: Annotated[
        Path | None,
        typer.Option(
            help="JSONL of questions with gold answers (default: the examples, dev and held-out sets)."
        ),
    ] = None,
    explainer: Annotated[str, typer.Option(help="template, local or openai.")] = "template",
    current: Annotated[
        bool, typer.Option(help="Ask the configured graph instead of a fresh graph of samples/.")
    ] = False,
    out: Annotated[Path | None, typer.Option(help="Write the full report (JSON) here.")] = None,
    full_graph: Annotated[
        bool,
        typer.Option(
            "--full-graph/--tables-only",
            help="Build the samples graph from the tables and every document (the graph users get), or from "
            "the tables and work orders only.",
        ),
    ] = True,
) -> None:
    """Competency questions over the samples graph: routing, entity linking and answer accuracy per set."""
    if explainer not in ("template", "local", "openai"):
        raise typer.BadParameter("use template, local or openai", param_hint="--explainer")
    name = cast("ExplainerName", explainer)  # checked just above
    run(lambda: eval_qa(state.settings, questions, explainer=name, current=current, out=out, full=full_graph))


def eval_qa(
    settings: Settings,
    questions: Path | None = None,
    *,
    explainer: ExplainerName = "template",
    current: bool = False,
    out: Path | None = None,
    full: bool = True,
) -> None:
    """Ask the question sets (default: the shipped examples, dev and held-out sets, each scored apart) of a
    fresh samples graph (every document with ``full``), or of the configured one when ``current``; print
    the wrong answers and the scores per set and kind; write the report to ``out``."""
    from kg.cli.demo import DEFAULT_SAMPLES
    from kg.evaluation.qa import MEASURE_ONLY, QUESTION_SETS, evaluate_sets, load_questions, sample_graph
    from kg.graph.knowledge_graph import open_knowledge_graph

    paths = {questions.stem: questions} if questions else QUESTION_SETS
    sets = {part: load_questions(path) for part, path in paths.items() if questions or path.exists()}
    graph = open_knowledge_graph(settings) if current else sample_graph(settings, DEFAULT_SAMPLES, full=full)
    with graph as kg:
        report = evaluate_sets(kg, settings, sets, explainer=explainer)
    report["graph"] = (
        "configured"
        if current
        else "samples: tables and every document"
        if full
        else ("samples: tables and work orders")
    )
    for part, result in report["parts"].items():
        wrong = [q for q in result["questions"] if not (q["routing"] and q["answer"])]
        if wrong and part in MEASURE_ONLY:  # a measure only: how many, not which (see MEASURE_ONLY)
            console.print(f"{part}: {len(wrong)} answered wrongly (questions not shown: a measure-only set)")
        elif wrong:
            cols = ("id", "question", "tool", "gold_tool", "status", "missing", "extra")
            console.print(table([{k: q[k] for k in cols} for q in wrong], f"{part}: answered wrongly"))
    for part, result in report["parts"].items():
        summary = dict(result["summary"])
        kinds = summary.pop("per_kind", {})
        console.print(table([{"kind": k, **v} for k, v in kinds.items()], f"{part}: per kind"))
    rows = []
    for part, result in [*report["parts"].items(), ("all", report)]:
        s = result["summary"]
        rows.append(
            {
                "set": part,
                "questions": s["questions"],
                "routing": s["routing_accuracy"],
                "linking": s["linking_accuracy"],
                "answers": s["answer_accuracy"],
                "p50 ms": s["latency_ms_p50"],
            }
        )
    console.print(table(rows, f"eval-qa ({report['graph']}, explainer {explainer})"))
    if out:
        out.write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
        console.print(f"Report written to {out}")
