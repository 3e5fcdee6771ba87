"""Request and response models of ``POST /ask`` and the analytics endpoints.

A response always carries what a user needs to check the answer: the facts, the Cypher that produced them
(with its parameters), the citations and the subgraph; ``explainer`` says who wrote the explanation and
whether the grounding check passed.

Example:
    >>> AskRequest(question="Which parts does SKF supply?").explainer is None
    True
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field, field_validator

from kg.graph.results import Citation, EntityRef, StrictModel

MAX_QUESTION_CHARS = 2000
ExplainerName = Literal["template", "local", "openai"]
AskStatus = Literal["answered", "no_results", "not_in_graph", "ambiguous", "unknown_entity", "not_understood"]


class AskRequest(StrictModel):
    """A question in plain language; optionally the entities to use instead of linking."""

    question: str = Field(
        min_length=1,
        max_length=MAX_QUESTION_CHARS,
        examples=["What does an outage of SKF hit?"],
        description=f"Plain-language question, at most {MAX_QUESTION_CHARS} characters.",
    )
    entity_ids: list[str] = Field(
        default_factory=list,
        max_length=5,
        description="Entity ids chosen by the user (e.g. after an 'ambiguous' answer); skips linking.",
        examples=[["Supplier:skf"]],
    )
    explainer: ExplainerName | None = Field(
        default=None, description="Override the configured explainer for this question."
    )
    limit: int = Field(default=50, ge=1, le=500, description="Most result rows the tool returns.")

    @field_validator("question")
    @classmethod
    def _not_blank(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("the question is blank: type a question, e.g. 'What does an outage of SKF hit?'")
        return v

    @field_validator("entity_ids")
    @classmethod
    def _ids(cls, v: list[str]) -> list[str]:
        for i in v:
            if not 1 <= len(i) <= 1000 or ":" not in i:
                raise ValueError(f"entity id {i[:80]!r} must look like Label:key (see /entities/search)")
        return v


class LinkedEntity(EntityRef):
    mention: str = Field(description="The words of the question that name the entity.")
    method: Literal["exact", "alias", "fulltext", "fuzzy", "embedding", "given"]
    score: float = Field(description="1.0 for exact/alias/given; similarity otherwise.")
    support: int = Field(default=0, description="Documents backing the entity (ties go to the best-backed).")
    recorded: bool = Field(
        default=True, description="A record (table, manual entry) or a code backs it, not only prose."
    )


class Choice(BaseModel):
    """A mention that matched several entities (ambiguous) or none (unknown, with suggestions)."""

    mention: str
    candidates: list[LinkedEntity]


class Fact(BaseModel):
    """A triple from the graph: relationship (object is an entity) or attribute (``value`` is set)."""

    subject: str = Field(description="Entity id.")
    subject_name: str | None = None
    predicate: str = Field(description="Relationship type (SUPPLIED_BY) or property name (rpn).")
    object: str | None = Field(default=None, description="Entity id, for relationships.")
    object_name: str | None = None
    value: Any = Field(default=None, description="Property value, for attributes.")

    def text(self) -> str:
        """One line for prompts and grounding: ``subject -PREDICATE-> object`` or ``subject.key = value``."""
        s = self.subject_name or self.subject
        if self.object is not None:
            return f"{s} -{self.predicate}-> {self.object_name or self.object}"
        return f"{s} {self.predicate} = {self.value}"


class CypherRun(BaseModel):
    query: str
    parameters: dict[str, Any]
    rows: int
    ms: float


class SubgraphNode(EntityRef):
    role: Literal["linked", "answer", "context"] = "context"


class SubgraphEdge(BaseModel):
    source: str
    target: str
    type: str


class Subgraph(BaseModel):
    nodes: list[SubgraphNode] = Field(default_factory=list)
    edges: list[SubgraphEdge] = Field(default_factory=list)


class ToolCall(BaseModel):
    name: str = Field(description="The tool that answered, e.g. supplier_impact.")
    arguments: dict[str, Any] = Field(default_factory=dict)
    method: Literal["rules", "embedding", "llm", "given"] = Field(description="How the router chose it.")
    score: float = Field(description="Router confidence (cosine similarity to the nearest exemplar).")
    alternatives: list[str] = Field(default_factory=list, description="Next-best tools.")


class ExplainerReport(BaseModel):
    name: ExplainerName = Field(description="The explainer whose text is in 'explanation'.")
    requested: ExplainerName = Field(description="The explainer configured or asked for.")
    model: str | None = None
    attempts: int = Field(default=0, description="LLM generations tried (0 for the template).")
    grounded: bool = Field(description="Every entity, number and relation in the text is in the facts.")
    rejected: list[str] = Field(
        default_factory=list, description="Why LLM drafts were rejected by the grounding check."
    )
    ms: float = 0.0


class AskResponse(BaseModel):
    question: str
    status: AskStatus
    answer: str = Field(description="One-line answer built from the facts (deterministic).")
    explanation: str = Field(description="The explainer's text, grounded in 'facts'.")
    explainer: ExplainerReport
    tool: ToolCall | None = None
    entities: list[LinkedEntity] = Field(default_factory=list, description="Entities the question names.")
    conditions: dict[str, Any] = Field(
        default_factory=dict,
        description="What the question adds to its entities, as read: a site, a date range, open work only,"
        " document kinds, a property the graph does not hold.",
    )
    choices: list[Choice] = Field(default_factory=list, description="Ambiguous mentions: pick one.")
    suggestions: list[Choice] = Field(
        default_factory=list, description="Mentions not in the graph, with close entities."
    )
    answer_entities: list[EntityRef] = Field(default_factory=list, description="The entities that answer.")
    count: int | None = Field(default=None, description="The number a counting question asks for.")
    also_reported: list[EntityRef] = Field(
        default_factory=list,
        description="Answers only documents give (the extractor read them from prose) while records (tables,"
        " manual entry) answer: listed apart, to check against their citations.",
    )
    facts: list[Fact] = Field(default_factory=list)
    facts_truncated: bool = False
    cypher: list[CypherRun] = Field(default_factory=list, description="Every statement run, in order.")
    citations: list[Citation] = Field(default_factory=list)
    subgraph: Subgraph = Field(default_factory=Subgraph)
    timings_ms: dict[str, float] = Field(default_factory=dict)


# -- analytics ------------------------------------------------------------------------------------------
class CriticalityRow(EntityRef):
    score: float = Field(description="Share of supply paths (supplier → item → equipment) through it.")
    dependents: int = Field(description="Equipment that depends on it, directly or through sub-parts.")
    suppliers: int = Field(description="Distinct suppliers of the item (0 for suppliers themselves).")


class CriticalityResponse(BaseModel):
    method: str
    rows: list[CriticalityRow]


class ConcentrationRow(BaseModel):
    group: EntityRef = Field(description="The site or equipment whose supply base is measured.")
    suppliers: int
    items: int
    hhi: float = Field(description="Herfindahl-Hirschman index of supplier shares of items, 0..1.")
    top_supplier: EntityRef | None = None
    top_share: float = 0.0


class ConcentrationResponse(BaseModel):
    by: Literal["site", "equipment"]
    rows: list[ConcentrationRow]


class WorkOrderEvent(BaseModel):
    work_order: str | None = None
    date: str | None = Field(default=None, description="ISO date when the source gave one.")
    text: str = Field(description="The work order's description.")
    document: str
    start: int
    end: int
    asset: str | None = Field(default=None, description="The asset the row was written against, as written.")
    status: str | None = Field(default=None, description="The row's status as written (open, CLOSE, WAPPR).")
    failure_modes: list[EntityRef] = Field(default_factory=list)
    activities: list[EntityRef] = Field(default_factory=list)
    parts: list[EntityRef] = Field(default_factory=list)


class FailureHistoryResponse(BaseModel):
    entity: EntityRef
    events: list[WorkOrderEvent]
    truncated: bool = False
