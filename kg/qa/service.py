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

import re
import time
from dataclasses import dataclass, field
from typing import Any, Literal

from kg.core.errors import KGError, NotFoundError, WrongEntityTypeError
from kg.core.settings import Settings
from kg.graph import queries
from kg.graph.entities import citations_of, to_jsonable
from kg.graph.knowledge_graph import KnowledgeGraph
from kg.graph.results import Citation
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
    Subgraph,
    SubgraphEdge,
    SubgraphNode,
    ToolCall,
)
from kg.qa.constraints import Constraints, read_constraints
from kg.qa.explain import Explainer
from kg.qa.linking import EntityLinker, LinkResult, Mention, prefer
from kg.qa.linking.index import EntityIndex
from kg.qa.linking.linker import identifies, is_code
from kg.qa.llm import ChatRuntime, LLMError, OpenAIChat
from kg.qa.router import Route, Router, llm_route, vocabulary
from kg.qa.tools import TOOL_BY_NAME, TOOLS, Slot, Tool, ToolOutput
from kg.qa.tools.base import CONDITIONS, site_scope
from kg.store.recording import RecordedQuery, recording

MAX_CITED_ENTITIES = 6
CITATIONS_PER_ENTITY = 3
MAX_SUBGRAPH_NODES = 150
LLM_ROUTE_BELOW = 0.55  # embedding similarity under which a configured LLM is asked to route
METHOD_RANK = {"given": 0, "exact": 1, "fuzzy": 2, "fulltext": 3, "embedding": 4}
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
        with recording() as runs:
            cons = read_constraints(req.question)
            text = cons.blank(req.question)  # "2024" or "jan-apr 2025" names no entity
            link = self._given(req.entity_ids) if req.entity_ids else self.linker.link(text)
            sites = [] if req.entity_ids else take_sites(link)
            if not req.entity_ids:
                self._describe(link, sites, text)
            timings["link_ms"] = _ms(clock)
            clock = time.perf_counter()
            masked = mask(text, link.mentions, sites)
            route = self.router.route(masked, entities=len(link.mentions) + len(link.unknown) + len(sites))
            timings["route_ms"] = _ms(clock)
            clock = time.perf_counter()
            resp = self._answer(req, link, route, masked, Asked(cons, sites, link.generic, link.words))
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
        place = unknown_place(req.question, asked.sites, self.linker.index(), self.linker.vocabulary)
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
        unsure = route is None or (route.method == "embedding" and route.score < LLM_ROUTE_BELOW)
        if self.router_llm is not None and unsure:
            answered = self._llm_route(req, link, base)
            if answered is not None:
                return answered
        if route is not None and route.method == "embedding" and route.score < MIN_ROUTE_SCORE:
            route = None  # nothing like any example question: say so rather than answer something else
        tried: list[Tool] = [route.tool, *(TOOL_BY_NAME[n] for n in route.alternatives)] if route else []
        for tool in tried:
            mentions = link.mentions
            args, choices, missing = assign(tool, mentions, self.linker, req.question)
            if missing and asked.sites:  # "tell me about Leeds": the site is the subject, not a condition
                mentions = sorted([*link.mentions, *asked.sites], key=lambda m: m.start)
                args, choices, missing = assign(tool, mentions, self.linker, req.question)
                if not missing:
                    asked = Asked(asked.constraints, [], asked.generic, asked.words)
            if missing:
                continue
            assert route is not None
            if tool.name == "counting":  # count what the rest of the question asks for
                inner = self._inner(masked, mentions, asked)
                if inner is None:
                    continue
                args, choices = inner
                counted = TOOL_BY_NAME[args["of"]]
                if counted.params is not None:
                    args = {**args, **counted.params(req.question)}
            args = {**args, **asked.arguments(req.question, tool, args, mentions)}
            chosen = set(args.values())
            base["entities"] = [next((c for c in m.candidates if c.id in chosen), m.best) for m in mentions]
            base["conditions"] = asked.trace(args)
            call = ToolCall(
                name=tool.name,
                arguments=args,
                method=route.method,
                score=route.score,
                alternatives=[t.name for t in tried if t is not tool][:3],
            )
            if choices:
                return self._plain(req, "ambiguous", _which(choices), base, tool=call, choices=choices)
            return self._run_tool(req, tool, args, call, link, base, unknown)
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
                "supplier outages, single-source parts, "
                "suppliers or alternatives of a part, where a part is used, a bill of materials, failure "
                "chains or work-order history of equipment, connections between two entities, criticality "
                "or supplier concentration."
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
        if unapplied:
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
            citations=self._citations([*output.cite, *linked]),
            subgraph=self._subgraph(output, linked),
        )

    def _describe(self, link: LinkResult, sites: list[Mention], question: str) -> None:
        """A description of registered equipment ("the leeds press power unit", "cooling tower pump at
        Ostrava") becomes that equipment when exactly one recorded name holds its words, at the named site.
        Adjacent description words are tried together first, the longest run first."""
        scope = None
        if sites:
            best = prefer(sites[0].candidates, ("Site",))
            scope = site_scope(self.kg, best[0].id) if best else None
        loose = sorted([*link.generic, *link.words], key=lambda m: m.start)
        runs: list[list[Mention]] = []
        for m in loose:
            if runs and question[runs[-1][-1].end : m.start].strip(" -–,").lower() not in ("", "the", "of"):
                runs.append([m])
            elif runs:
                runs[-1].append(m)
            else:
                runs.append([m])
        for run in runs:
            for size in range(len(run), 0, -1):
                done = False
                for i in range(len(run) - size + 1):
                    part = run[i : i + size]
                    start, end = part[0].start, part[-1].end
                    phrase = Mention(question[start:end], start, end, "fuzzy", [])
                    found = self.linker.describe(phrase, ("Equipment",), scope)
                    if found is not None:
                        for m in part:
                            (link.generic if m in link.generic else link.words).remove(m)
                        phrase.candidates = [found]
                        link.mentions.append(phrase)
                        done = True
                        break
                if done:
                    break
        link.mentions.sort(key=lambda m: m.start)

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

    def _citations(self, ids: list[str]) -> list[Citation]:
        out: list[Citation] = []
        for i in list(dict.fromkeys(ids))[:MAX_CITED_ENTITIES]:
            node = self.kg.entity(i)
            if node is not None:
                out += citations_of(self.kg, node, limit=CITATIONS_PER_ENTITY)
        seen: set[tuple[str, int, int]] = set()
        unique = []
        for c in out:
            if (c.document, c.start, c.end) not in seen:
                seen.add((c.document, c.start, c.end))
                unique.append(c)
        return unique

    def _subgraph(self, output: ToolOutput, linked: set[str]) -> Subgraph:
        edges = [
            SubgraphEdge(source=f.subject, target=f.object, type=f.predicate)
            for f in output.facts
            if f.object
        ]
        ids = list(
            dict.fromkeys(
                [
                    *linked,
                    *(e.id for e in output.answer_entities),
                    *(x for e in edges for x in (e.source, e.target)),
                ]
            )
        )[:MAX_SUBGRAPH_NODES]
        keep = set(ids)
        refs = (
            {str(r["id"]): r for r in self.kg.store.read(queries.entity_refs(), {"ids": ids})} if ids else {}
        )
        names = {f.subject: f.subject_name for f in output.facts} | {
            f.object: f.object_name for f in output.facts if f.object
        }
        answers = {e.id for e in output.answer_entities}
        nodes = []
        for i in ids:
            r = refs.get(i)
            labels = [x for x in r["labels"] if x != "Entity"] if r else ["WorkOrder"]
            name = (r["name"] if r else None) or names.get(i)
            role: Literal["linked", "answer", "context"] = (
                "linked" if i in linked else "answer" if i in answers else "context"
            )
            nodes.append(SubgraphNode(id=i, name=name, labels=labels, role=role))
        edges = [e for e in edges if e.source in keep and e.target in keep]
        return Subgraph(nodes=nodes, edges=list({(e.source, e.type, e.target): e for e in edges}.values()))


def assign(
    tool: Tool, mentions: list[Mention], linker: EntityLinker | None = None, question: str | None = None
) -> tuple[dict[str, str], list[Choice], bool]:
    """Mentions to the tool's slots in question order: (arguments, ambiguous choices, a slot left empty).

    A mention none of whose candidates has a class the slot takes is looked up again among entities of
    those classes (``linker.relink``), so "air compressor" finds the compressors, not a product of that name.
    Optional slots then take what fits among the mentions left ("documents" about a named supplier).
    """
    args: dict[str, str] = {}
    choices: list[Choice] = []
    free = list(mentions)
    if len(tool.slots) == 1:  # one entity: the surest mention (a code, an exact name) before looser ones
        free.sort(key=lambda m: (METHOD_RANK.get(m.method, 9), not is_code(m), m.start))
    for slot in tool.slots:
        pick = _pick(slot, free, linker)
        if pick is None:
            return args, choices, True
        m, fitting = pick
        free.remove(m)
        args[slot.name] = fitting[0].id
        if len({c.id for c in fitting}) > 1:
            choices.append(Choice(mention=m.text, candidates=fitting))
    free = [m for m in free if m.method == "given" or identifies(m)]  # a filter must be sure of its entity
    free.sort(key=lambda m: (METHOD_RANK.get(m.method, 9), not is_code(m), m.start))
    for slot in tool.optional:
        if slot.name == "exclude" and not (question and EXCLUSION.search(question)):
            continue  # "interchangeable pn for THK HSR25A": THK names the part, it excludes nothing
        pick = _pick(slot, free, None)
        if pick is not None:
            m, fitting = pick
            free.remove(m)
            args[slot.name] = fitting[0].id
            if len({c.id for c in fitting}) > 1:
                choices.append(Choice(mention=m.text, candidates=fitting))
    return args, choices, False


def _pick(
    slot: Slot, free: list[Mention], linker: EntityLinker | None
) -> tuple[Mention, list[LinkedEntity]] | None:
    for m in free:
        fitting = prefer(m.candidates, slot.labels)
        if fitting:
            return m, fitting
    if linker is not None:  # an identified mention is what it is: "SKF" the supplier, never a part named so
        for m in free:
            fitting = linker.relink(m, slot.labels) if m.method != "given" and not identifies(m) else []
            if fitting:
                m.candidates = fitting + m.candidates
                return m, fitting
    return None


#: words that make a named supplier the one to avoid ("other source than SKF", "Parker can't deliver")
EXCLUSION = re.compile(
    r"\b(other( \w+)? than|besides|except|apart from|instead of|else|another|alternative to|"
    r"can'?t|cannot|can not|won'?t|not from|no longer|without|replace)\b",
    re.IGNORECASE,
)


#: words that ask what a cause or a failure leads to
CAUSAL = re.compile(
    r"\b(leads?( to| into)?|ends? up|results? in|causes?|caused by|as a cause|due to|because of|triggers?)\b",
    re.IGNORECASE,
)


#: "at plant gamma", "in the Brno plant", "site Alpha": words that name a place as a site
_PLACE = re.compile(
    r"\b(?:plant|site|factory|works|facility)\s+(?!of\b|in\b|at\b|and\b)([a-z][\w-]*(?:\s*[–-]\s*[a-z][\w-]*)?)"
    r"|\b(?:at|in)\s+(?:the\s+)?([a-z][\w-]*)\s+(?:plant|site|factory|works)\b",
    re.IGNORECASE,
)


def unknown_place(
    question: str, sites: list[Mention], index: EntityIndex, vocabulary: set[str]
) -> str | None:
    """The place a question names as a site when no site of the graph has that name (None otherwise);
    question words ("which site has", "plant with") name no place."""
    for m in _PLACE.finditer(question):
        name = m.group(1) or m.group(2)
        words = [w for w in re.findall(r"[^\W\d_]+", name.casefold()) if w not in vocabulary]
        if not words or any(s.start <= m.start(1 if m.group(1) else 2) < s.end for s in sites):
            continue
        if not all(w in index.site_parts for w in words):
            return m.group(0).strip()
    return None


def take_sites(link: LinkResult) -> list[Mention]:
    """Take the mentions that name a site out of ``link``: they narrow an answer ("at Ostrava"), they are not
    its subject. A mention is a site when its best-backed sure candidate is one ("ostrava" is Plant Beta –
    Ostrava, cited by 31 documents, before a part a letter once named so)."""
    sites: list[Mention] = []
    rest: list[Mention] = []
    for m in link.mentions:
        best = prefer(m.candidates, ())
        (sites if best and "Site" in best[0].labels and m.method != "given" else rest).append(m)
    link.mentions = rest
    return sites


@dataclass
class Asked:
    """What the question asks besides its subject: conditions read from its words, and the sites it names."""

    constraints: Constraints
    sites: list[Mention]
    generic: list[Mention] = field(default_factory=list)  # words that matched only prose entities
    words: list[Mention] = field(default_factory=list)  # content words that matched nothing

    def arguments(
        self, question: str, tool: Tool, args: dict[str, str], mentions: list[Mention]
    ) -> dict[str, str]:
        """The conditions as tool arguments (shown in the answer's trace), and the tool's own parameters."""
        c = self.constraints
        out: dict[str, str] = {}
        if self.sites:
            best = prefer(self.sites[0].candidates, ("Site",))
            if best:
                out["site"] = best[0].id
        if c.since:
            out["since"] = c.since.isoformat()
        if c.until:
            out["until"] = c.until.isoformat()
        if c.open_only:
            out["open_only"] = "yes"
        if tool.params is not None:
            out.update(tool.params(question))
        loose = sorted([*self.generic, *self.words], key=lambda m: m.start)
        if tool.name == "decline" and "property" not in out and loose:
            out["property"] = " ".join(m.text for m in loose)  # "operating temperature limit"
        if (
            c.doc_kinds
            and "document_kinds" not in out
            and (tool.name == "documents" or args.get("of") == "documents")
        ):
            out["document_kinds"] = ",".join(c.doc_kinds)
        used = set(args.values())
        left = [m.text for m in mentions if not any(x.id in used for x in m.candidates)]
        words = [m.text for m in self.generic]  # descriptions ("seal leak", "brgs and seals"), not entities
        if words and (tool.name == "failure_history" or args.get("of") == "failure_history"):
            out["about"] = " ".join(words)
        if words and ({tool.name, args.get("of")} & {"bom", "suppliers_of"}):
            out["about"] = " | ".join(words)  # "what brgs and seals are in ...": items named so
        if (left or words) and CAUSAL.search(question) and "failure_chains" in (tool.name, args.get("of")):
            out["cause_text"] = " ".join(left + words)  # "vibration leads to what failure mode"
        return out

    def trace(self, args: dict[str, str]) -> dict[str, Any]:
        """What was read and used: document kinds only where documents were asked for."""
        out = self.constraints.trace()
        if "document_kinds" not in args:
            out.pop("document_kinds", None)
        if self.sites:
            out["site"] = self.sites[0].text
        return out


def mask(question: str, mentions: list[Mention], sites: list[Mention] = ()) -> str:  # type: ignore[assignment]
    """The question with each linked mention replaced by {X}, {Y}, ... and each site by "site" (what the
    router compares)."""
    out, last = [], 0
    marks = [(m, None) for m in mentions if m.end > m.start] + [(m, "site") for m in sites if m.end > m.start]
    k = 0
    for m, word in sorted(marks, key=lambda x: x[0].start):
        if m.start < last:
            continue
        if word is None:
            word = "{" + "XYZ"[min(k, 2)] + "}"
            k += 1
        out += [question[last : m.start], word]
        last = m.end
    return "".join([*out, question[last:]])


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
