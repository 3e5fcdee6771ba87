"""From question to answer: link entities, route to a tool, run it, cite, draw, explain.

Nothing the user types reaches the database as Cypher: tools run fixed, parameterized statements, and the
question only chooses the tool and the entity ids. LLM-written Cypher (``route_with_llm``) passes the
read-only guard, the time limit and the row limit like ``POST /query``. Every statement that ran is in the
response, with its parameters.

Example:
    >>> qa = QAService(kg, Settings())                               # doctest: +SKIP
    >>> qa.ask(AskRequest(question="What does an outage of SKF hit?")).tool.name  # doctest: +SKIP
    'supplier_impact'
"""

from __future__ import annotations

import time
from typing import Any

from kg.core.errors import KGError, NotFoundError, WrongEntityTypeError
from kg.core.settings import Settings
from kg.graph.entities import to_jsonable
from kg.graph.knowledge_graph import KnowledgeGraph
from kg.ingest.resolve import DEFAULT_ENCODER, SentenceEncoder, shared_encoder
from kg.qa.answers import (
    AskRequest,
    AskResponse,
    AskStatus,
    Choice,
    CypherRun,
    ExplainerReport,
    Fact,
    LinkedEntity,
    ToolCall,
)
from kg.qa.constraints import document_kinds, read_constraints, unreadable
from kg.qa.evidence import citations, subgraph
from kg.qa.explain import Explainer
from kg.qa.linking import EntityLinker, LinkResult, Mention
from kg.qa.linking.descriptions import describe_equipment
from kg.qa.linking.linker import identifies
from kg.qa.llm import ChatRuntime, LLMError, OpenAIChat
from kg.qa.named_documents import DocumentsNamed, document_route, named_documents
from kg.qa.on_equipment import settled
from kg.qa.question import (
    Asked,
    assign,
    kind_filter,
    machine_named,
    mask,
    site_scope_of,
    site_words,
    take_sites,
    unknown_place,
)
from kg.qa.router import Route, Router, llm_route, respell, unheld_route, vocabulary
from kg.qa.text import identifier
from kg.qa.tools import TOOL_BY_NAME, TOOLS, Tool, ToolOutput
from kg.qa.tools.base import CONDITIONS, site_scope
from kg.qa.tools.documents import described_instead
from kg.store.recording import RecordedQuery, recording

LLM_ROUTE_BELOW = 0.55  # embedding similarity under which a configured LLM is asked to route
MIN_ROUTE_SCORE = 0.45  # below it, no tool is chosen by similarity alone (not_understood)


class QAService:
    """Answers questions over ``kg``. Build once per process; safe to call from several threads."""

    def __init__(
        self,
        kg: KnowledgeGraph,
        settings: Settings,
        *,
        encoder: SentenceEncoder | str | None = DEFAULT_ENCODER,
        explainer: Explainer | None = None,
        router_llm: ChatRuntime | None = None,
    ) -> None:
        self.kg = kg
        self.settings = settings
        self.encoder = shared_encoder(encoder) if isinstance(encoder, str) else encoder
        self.linker = EntityLinker(kg, encoder=self.encoder, extra_vocabulary=vocabulary())
        self.router = Router(self.encoder)
        self.explainer = explainer or Explainer(settings.llm)
        self.router_llm = router_llm
        if router_llm is None and settings.llm.route_with_llm and settings.llm.base_url:
            self.router_llm = OpenAIChat(settings.llm)

    def ask(self, req: AskRequest) -> AskResponse:
        timings: dict[str, float] = {}
        clock = time.perf_counter()
        asked_as = req.question  # answered as written, read with its asking words and names spelt right
        index = self.linker.index()  # ("supplers", "compresor")
        spelt = respell(req.question, self.router.words | index.spelling_words(), index.by_word)
        req = req.model_copy(update={"question": spelt})
        with recording() as runs:
            cons = read_constraints(req.question)
            text = cons.blank(req.question)  # "2024" or "jan-apr 2025" names no entity
            named = named_documents(self.kg, text) if not req.entity_ids else DocumentsNamed()
            text = named.blank(text)  # "8D-2024-017" names a document, not an entity, nor an 8D asked for
            cons.doc_kinds = document_kinds(text) if named.documents else cons.doc_kinds
            link = self._given(req.entity_ids) if req.entity_ids else self.linker.link(text)
            if not req.entity_ids:
                site_words(link, self.linker.index())
            sites = [] if req.entity_ids else take_sites(link)
            if not req.entity_ids:
                describe_equipment(self.linker, site_scope_of(self.kg, sites), link, text)
                kind_filter(text, link, sites)  # "how many pumps at ostrava": a kind, not the entity "pump"
            timings["link_ms"] = _ms(clock)
            clock = time.perf_counter()
            masked = mask(text, link.mentions, sites)
            route = self.router.route(masked, entities=len(link.mentions) + len(link.unknown) + len(sites))
            route = unheld_route(
                document_route(route, named, sum(map(identifies, link.mentions))), cons.unheld
            )
            timings["route_ms"] = _ms(clock)
            clock = time.perf_counter()
            resp = self._answer(
                req,
                link,
                route,
                masked,
                Asked(cons, sites, link.generic, link.words, named.documents, named.unknown),
            )
            timings["tool_ms"] = _ms(clock)
        resp.cypher = [_run(r) for r in runs]
        if (
            resp.status in ("answered", "no_results")
            and resp.tool is not None
            and resp.tool.name != "decline"
        ):
            clock = time.perf_counter()
            output = ToolOutput(answer=resp.answer, answer_entities=resp.answer_entities, facts=resp.facts)
            resp.explanation, resp.explainer = self.explainer.explain(req.question, output, req.explainer)
            timings["explain_ms"] = _ms(clock)
        resp.timings_ms = timings
        resp.question = asked_as
        return resp

    # -- steps ----------------------------------------------------------------------------------------------
    def _given(self, ids: list[str]) -> LinkResult:
        result = LinkResult()
        for i in ids:
            node = self.kg.entity(i)
            if node is None:
                raise NotFoundError(
                    f"No entity with id {i!r} (body field 'entity_ids').",
                    suggestions=[str(h["id"]) for h in self.kg.search(i.split(":", 1)[-1], limit=5)],
                )
            name = node.properties.get("name")
            labels = [x for x in node.labels if x != "Entity"]
            ent = LinkedEntity(
                id=i,
                name=name if isinstance(name, str) else None,
                labels=labels,
                mention=name if isinstance(name, str) else i,
                method="given",
                score=1.0,
            )
            result.mentions.append(Mention(ent.mention, 0, 0, "given", [ent]))
        return result

    def _answer(
        self, req: AskRequest, link: LinkResult, route: Route | None, masked: str, asked: Asked | None = None
    ) -> AskResponse:
        asked = asked or Asked(read_constraints(req.question), [])
        base: dict[str, Any] = {"question": req.question, "entities": [m.best for m in link.mentions]}
        if problem := unreadable(req.question, asked.constraints):  # "since 31 February", "SELECT ..."
            return self._plain(req, "not_understood", problem, base)
        taken = [*asked.sites, *link.mentions, *asked.generic]  # words that name something known
        place = unknown_place(req.question, taken, self.linker.index(), self.linker.vocabulary)
        if (
            place is not None
        ):  # "at plant gamma": a site the graph does not hold; never answered for all sites
            sites = self.linker.index().site_names()
            msg = f"{place!r} is not a site in the graph" + (
                f"; its sites are {', '.join(sites)}." if sites else "."
            )
            return self._plain(
                req, "unknown_entity", msg, base, suggestions=[Choice(mention=place, candidates=[])]
            )
        unknown = [Choice(mention=u.text, candidates=u.candidates) for u in link.unknown]
        if any(identifier(u.mention) for u in unknown):  # "who supplies pn 6312-2rs1 for OST-CMP-01": a
            return self._not_answered(req, route, unknown, base)  # number we lack, never the other names
        unsure = route is None or (route.method == "embedding" and route.score < LLM_ROUTE_BELOW)
        if self.router_llm is not None and unsure:
            answered = self._llm_route(req, link, base)
            if answered is not None:
                return answered
        if route is not None and route.method == "embedding" and route.score < MIN_ROUTE_SCORE:
            route = None  # nothing like any example question: say so rather than answer something else
        if route is not None:
            answered = self._try_tools(req, link, route, masked, asked, base, unknown)
            if answered is not None:
                return answered
        return self._not_answered(req, route, unknown, base)

    def _try_tools(
        self,
        req: AskRequest,
        link: LinkResult,
        route: Route,
        masked: str,
        asked: Asked,
        base: dict[str, Any],
        unknown: list[Choice],
    ) -> AskResponse | None:
        """The routed tool, else its alternatives in turn: the first whose slots the mentions fill runs."""
        tried: list[Tool] = [route.tool, *(TOOL_BY_NAME[n] for n in route.alternatives)]
        if route.tool.name == "failure_chains" and (asked.constraints.since or asked.constraints.until):
            tried.insert(0, TOOL_BY_NAME["failure_history"])  # "what failed on X in 2025": FMEA has no dates
        for tool in tried:
            mentions = link.mentions
            args, choices, missing = assign(tool, mentions, self.linker, req.question)
            if missing and asked.sites:  # "tell me about Leeds": the site is the subject, not a condition
                mentions = sorted([*link.mentions, *asked.sites], key=lambda m: m.start)
                args, choices, missing = assign(tool, mentions, self.linker, req.question)
                if not missing:
                    asked = Asked(asked.constraints, [], asked.generic, asked.words)
            if missing or (tool is not route.tool and not tool.slots and not set(args) & tool.slots_named):
                continue  # a fallback tool must use a named entity: never "all failure chains" instead
            if tool.name == "counting":  # count what the rest of the question asks for
                inner = self._inner(masked, mentions, asked)
                if inner is None:
                    continue
                args, choices = inner
                counted = TOOL_BY_NAME[args["of"]]
                if counted.params is not None:
                    args = {**args, **counted.params(req.question)}
            args = {**args, **asked.arguments(req.question, tool, args, mentions)}
            if choices:  # "the conveyor gearbox at ostrava", "hydac germany (the gmbh)": that one
                scope = site_scope_of(self.kg, asked.sites) if asked.sites else None
                args, choices = settled(args, choices, scope, req.question)
            chosen = set(args.values())
            base["entities"] = [next((c for c in m.candidates if c.id in chosen), m.best) for m in mentions]
            base["conditions"] = asked.trace(args)
            others = [t.name for t in tried if t is not tool][:3]
            call = ToolCall(
                name=tool.name, arguments=args, method=route.method, score=route.score, alternatives=others
            )
            if choices and "documents" in (tool.name, args.get("of")):
                # "the hose burst on the ostrava press power unit": two effects, one NCR, the unit's log
                args, choices = described_instead(args, choices, machine_named(mentions))
                call.arguments = args
            if choices and tool.name != "decline":  # the unheld property is missing whichever is meant
                return self._plain(req, "ambiguous", _which(choices), base, tool=call, choices=choices)
            return self._run_tool(req, tool, args, call, link, base, unknown)
        return None

    def _not_answered(
        self, req: AskRequest, route: Route | None, unknown: list[Choice], base: dict[str, Any]
    ) -> AskResponse:
        """No tool ran: the names not in the graph, the entity a tool needs, or what can be asked."""
        if unknown:
            names = ", ".join(repr(u.mention) for u in unknown)
            close = (
                "; close matches are listed under suggestions" if any(u.candidates for u in unknown) else ""
            )
            msg = f"{names} {'is' if len(unknown) == 1 else 'are'} not in the graph{close}."
            return self._plain(req, "unknown_entity", msg, base, suggestions=unknown)
        wanted = route.tool if route else None
        if wanted and wanted.slots:
            kinds = " or ".join(wanted.slots[0].labels) or "entity"
            msg = (
                f"This sounds like '{wanted.title}', which needs a {kinds}: name one as it appears in the "
                "graph (find names with the entity search)."
            )
        else:
            msg = (
                "I could not match the question to a tool (questions are understood in English). Ask about "
                "supplier outages, single-source parts, suppliers or alternatives of a part, where a part is "
                "used, a bill of materials, failure chains or work-order history of equipment, documents, "
                "counts and rankings, connections between two entities, criticality or supplier "
                "concentration."
            )
        return self._plain(req, "not_understood", msg, base)

    def _run_tool(
        self,
        req: AskRequest,
        tool: Tool,
        args: dict[str, str],
        call: ToolCall,
        link: LinkResult,
        base: dict[str, Any],
        unknown: list[Choice],
    ) -> AskResponse:
        try:
            output = tool.run(self.kg, args, req.limit)
        except (NotFoundError, WrongEntityTypeError) as e:  # e.g. the linked entity is of another class
            return self._plain(req, "not_understood", str(e), base, tool=call)
        linked = {e.id for e in base["entities"]}  # the candidates the tool ran on, not the first-ranked
        unapplied = [
            c for c in CONDITIONS if c in args and c not in output.applied and c not in tool.slots_named
        ]
        named = [v for k, v in args.items() if k in tool.slots_named and ":" in v]
        if "site" in unapplied and named and set(named) <= site_scope(self.kg, args["site"]):
            unapplied.remove("site")  # "the hydraulic press at leeds": the site picked the entity
        if unapplied and not output.declined:  # a declined property narrows nothing
            output.answer += (
                f" (Not narrowed by {', '.join(unapplied)}: {tool.title.lower()} does not take it.)"
            )
        status: AskStatus = (
            "not_in_graph" if output.declined else "no_results" if output.empty else "answered"
        )
        return AskResponse(
            **base,
            status=status,
            answer=output.answer,
            explanation=output.answer,
            explainer=ExplainerReport(name="template", requested=req.explainer or "template", grounded=True),
            tool=call,
            suggestions=unknown,
            answer_entities=output.answer_entities[: req.limit],
            count=output.data.get("count") if tool.name == "counting" else None,
            also_reported=output.also_reported[: req.limit],
            facts=output.facts[: req.limit * 4],
            facts_truncated=len(output.facts) > req.limit * 4,
            citations=citations(self.kg, [*output.cite, *linked], output.data.get("document")),
            subgraph=subgraph(self.kg, output, linked),
        )

    def _inner(
        self, masked: str, mentions: list[Mention], asked: Asked
    ) -> tuple[dict[str, str], list[Choice]] | None:
        """For a count: the tool the rest of the question routes to, with its arguments (``of``)."""
        inner = self.router.route(
            masked, entities=len(mentions), exclude=frozenset({"counting", "decline", "ranking"})
        )
        if inner is None:
            return None
        for tool in [inner.tool, *(TOOL_BY_NAME[n] for n in inner.alternatives)]:
            args, choices, missing = assign(tool, mentions, self.linker)
            if not missing:
                return {"of": tool.name, **args}, choices
        return None

    def _llm_route(self, req: AskRequest, link: LinkResult, base: dict[str, Any]) -> AskResponse | None:
        assert self.router_llm is not None
        try:
            choice = llm_route(self.router_llm, req.question, [m.best for m in link.mentions], TOOLS)
        except LLMError:
            return None
        if choice.get("tool") in TOOL_BY_NAME:
            tool = TOOL_BY_NAME[choice["tool"]]
            args, choices, missing = assign(tool, link.mentions, self.linker)
            if not missing and not choices:
                call = ToolCall(name=tool.name, arguments=args, method="llm", score=1.0)
                return self._run_tool(req, tool, args, call, link, base, [])
        cypher = choice.get("cypher")
        if isinstance(cypher, str) and cypher.strip():
            try:
                result = self.kg.query(cypher, {}, max_rows=min(req.limit, self.settings.store.max_rows))
            except KGError as e:  # refused by the guard, broken, too slow: said, never run as a write
                return self._plain(req, "not_understood", f"The LLM's Cypher was not run: {e}", base)
            facts = [
                Fact(subject=f"row {i + 1}", predicate=k, value=to_jsonable(v))
                for i, row in enumerate(result.rows)
                for k, v in row.items()
            ]
            output = ToolOutput(answer=f"The query returned {len(result.rows)} rows.", facts=facts)
            call = ToolCall(name="cypher", arguments={"cypher": result.cypher}, method="llm", score=1.0)
            return AskResponse(
                **base,
                status="answered" if result.rows else "no_results",
                answer=output.answer,
                explanation=output.answer,
                tool=call,
                facts=facts,
                explainer=ExplainerReport(
                    name="template", requested=req.explainer or "template", grounded=True
                ),
            )
        return None

    def _plain(
        self, req: AskRequest, status: Any, message: str, base: dict[str, Any], **more: Any
    ) -> AskResponse:
        report = ExplainerReport(
            name="template", requested=req.explainer or self.settings.llm.explainer, grounded=True
        )
        return AskResponse(
            **base, status=status, answer=message, explanation=message, explainer=report, **more
        )


def _which(choices: list[Choice]) -> str:
    c = choices[0]
    names = ", ".join(f"{x.name} ({'/'.join(x.labels)})" for x in c.candidates[:5])
    return f"{c.mention!r} matches several entities: {names}. Pick one and ask again."


def _run(r: RecordedQuery) -> CypherRun:
    return CypherRun(
        query=r.query, parameters=to_jsonable(r.params), rows=r.rows, ms=round(r.seconds * 1000, 2)
    )


def _ms(since: float) -> float:
    return round((time.perf_counter() - since) * 1000, 1)
