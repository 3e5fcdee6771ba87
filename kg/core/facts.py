"""Data passed between layers: facts with provenance, batches, write summaries, graph values.

Provenance is mandatory: every node and relationship carries at least one :class:`Evidence` (document,
character span, extractor/model version, confidence). Its cost is per fact, not per node history: what a
document says about a fact is stored once, apart from the fact, so a later document never rewrites it.

- an entity holds what is true of it: ``id``, ``name``, ``aliases``, ``confidence`` (the best score any
  evidence gave it), ``support`` (how many documents back it), ``extractors`` (the distinct extractors
  behind it, a short list), ``first_seen`` / ``last_seen`` (UTC ISO-8601: written / last given new
  evidence);
- ``(:Entity)-[:MENTIONED_IN {evidence, confidence, extractors}]->(:Document)`` holds one document's
  evidence for the entity: one compact string per (span, extractor, confidence), see :meth:`Evidence.key`;
- a relationship holds the same summary (``confidence``, ``support``, ``extractors``, times), and each
  document's evidence for it is one ``(:Evidence {id, edge, doc, source, target, evidence, confidence,
  extractors})`` record, found by the relationship's ``id`` or by the document.

Deleting a document walks from its Document node and its Evidence records, never the whole graph.

Example:
    >>> ev = Evidence(doc_id="wo-1", start=0, end=4, extractor="manual", confidence=1.0)
    >>> pump = NodeFact(label="Equipment", name="P-101 feed pump", evidence=[ev])
    >>> seal = NodeFact(label="Part", name="mechanical seal", evidence=[ev])
    >>> batch = FactBatch(nodes=[pump, seal], edges=[EdgeFact(source=pump.id, type="HAS_PART",
    ...                                                     target=seal.id, evidence=[ev])])
    >>> pump.id
    'Equipment:p-101 feed pump'
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from kg.core.keys import node_id

Scalar = str | int | float | bool
PropertyValue = Scalar | list[str] | list[int] | list[float] | list[bool]

#: Properties the store manages itself; user properties may not use these names.
RESERVED_PROPERTIES = frozenset(
    {
        "id",
        "name",
        "aliases",
        "sources",
        "evidence",
        "confidence",
        "first_seen",
        "last_seen",
        "support",
        "extractors",
    }
)
ENTITY_LABEL = "Entity"
#: Extractors (prefixes of an evidence's ``extractor``) that read a system of record: tables and manual entry.
#: Answers rest on facts one of these backs; facts only a model read from prose are listed apart.
RECORD_EXTRACTORS: tuple[str, ...] = ("csv-loader", "manual")
DOCUMENT_LABEL = "Document"
CHUNK_LABEL = "Chunk"
#: one document's evidence for one relationship (relationships cannot point at documents)
EVIDENCE_LABEL = "Evidence"
#: the graph's bookkeeping node: which provenance layout it is written in (``kg store migrate``)
META_LABEL = "GraphMeta"
#: the fingerprint of a large batch written in full: writing the same batch again is skipped
APPLIED_LABEL = "AppliedBatch"
PROVENANCE_VERSION = 2
MENTIONED_IN = "MENTIONED_IN"
#: (:Chunk)-[:PART_OF]->(:Document) and (:Entity)-[:IN_CHUNK {spans}]->(:Chunk): where exactly a document
#: mentions an entity, with the chunk's text for citations
PART_OF = "PART_OF"
IN_CHUNK = "IN_CHUNK"
_SEP = "|"


def _check_token(value: str, what: str) -> str:
    if not value or not value.strip():
        raise ValueError(f"{what} must be non-empty")
    if _SEP in value:
        raise ValueError(f"{what} {value!r} contains '|', which the evidence format reserves; remove it")
    if len(value) > 1000:
        raise ValueError(f"{what} is {len(value)} characters long; the limit is 1000")
    return value


class Evidence(BaseModel):
    """Where a fact came from: a span of a document, read by a given extractor with a given confidence."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    doc_id: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    extractor: str = "manual"
    confidence: float = Field(default=1.0, ge=0.0, le=1.0)

    @field_validator("doc_id")
    @classmethod
    def _doc(cls, v: str) -> str:
        return _check_token(v, "doc_id")

    @field_validator("extractor")
    @classmethod
    def _extractor(cls, v: str) -> str:
        return _check_token(v, "extractor")

    @model_validator(mode="after")
    def _span(self) -> Evidence:
        if self.end < self.start:
            raise ValueError(f"span end {self.end} is before start {self.start}")
        return self

    def key(self) -> str:
        """The stored form: ``doc|start|end|extractor|confidence``; equal evidence gives an equal key."""
        return _SEP.join(
            (self.doc_id, str(self.start), str(self.end), self.extractor, f"{self.confidence:.4f}")
        )

    @classmethod
    def from_key(cls, key: str) -> Evidence:
        """Parse the stored form back (inverse of :meth:`key`)."""
        doc, start, end, extractor, conf = key.split(_SEP)
        return cls(doc_id=doc, start=int(start), end=int(end), extractor=extractor, confidence=float(conf))


def _check_properties(props: dict[str, Any]) -> dict[str, Any]:
    for k, v in props.items():
        if k in RESERVED_PROPERTIES:
            raise ValueError(f"property {k!r} is managed by the store; rename it")
        if not k.isidentifier():
            raise ValueError(f"property name {k!r} must be an identifier (letters, digits, underscore)")
        if isinstance(v, list) and len({type(x) for x in v}) > 1:
            raise ValueError(f"property {k!r} mixes types in a list; lists must be homogeneous")
    return props


class NodeFact(BaseModel):
    """An entity of an ontology class, identified by its canonical key."""

    model_config = ConfigDict(extra="forbid")

    label: str
    name: str
    key: str | None = Field(
        default=None, description="Explicit identity (e.g. a part number); default: the normalised name."
    )
    canonical_id: str | None = Field(
        default=None,
        description="An id already in canonical 'Label:key' form, used as is (re-imports of exported data).",
    )
    properties: dict[str, PropertyValue] = Field(default_factory=dict)
    evidence: list[Evidence] = Field(min_length=1)

    _check_props = field_validator("properties")(classmethod(lambda cls, v: _check_properties(v)))

    @model_validator(mode="after")
    def _canonical(self) -> NodeFact:
        if self.canonical_id is not None and not self.canonical_id.startswith(f"{self.label}:"):
            raise ValueError(f"canonical_id {self.canonical_id!r} must start with '{self.label}:'")
        return self

    @field_validator("label")
    @classmethod
    def _label(cls, v: str) -> str:
        if not v.isidentifier():
            raise ValueError(f"label {v!r} must be an identifier such as 'Supplier'")
        return v

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> NodeFact:
        """A copy whose id is computed afresh (the cached id of the original may no longer hold)."""
        copy = super().model_copy(update=update, deep=deep)
        copy.__dict__.pop("id", None)
        return copy

    @cached_property
    def id(self) -> str:
        """Canonical id ``Label:key`` (computed once: planning reads it many times per fact)."""
        if self.canonical_id is not None:
            return self.canonical_id
        if self.key is not None:
            return node_id(self.label, self.key, is_code=True)
        return node_id(self.label, self.name)


class EdgeFact(BaseModel):
    """A typed relationship between two node ids (``Label:key``)."""

    model_config = ConfigDict(extra="forbid")

    source: str
    type: str
    target: str
    properties: dict[str, PropertyValue] = Field(default_factory=dict)
    evidence: list[Evidence] = Field(min_length=1)

    _check_props = field_validator("properties")(classmethod(lambda cls, v: _check_properties(v)))

    @field_validator("type")
    @classmethod
    def _type(cls, v: str) -> str:
        if not v.isidentifier() or v.upper() != v:
            raise ValueError(f"relationship type {v!r} must be UPPER_SNAKE_CASE such as 'HAS_PART'")
        return v

    @property
    def id(self) -> str:
        """Edges are unique per (source, type, target)."""
        return f"{self.source}-{self.type}->{self.target}"


class DocumentInfo(BaseModel):
    """What is known about a source document (stored on its ``Document`` node)."""

    model_config = ConfigDict(extra="forbid")

    id: str
    properties: dict[str, PropertyValue] = Field(default_factory=dict)

    _check_id = field_validator("id")(classmethod(lambda cls, v: _check_token(v, "document id")))
    _check_props = field_validator("properties")(classmethod(lambda cls, v: _check_properties(v)))


class ChunkInfo(BaseModel):
    """A passage of a document (a sentence or a table row) with its character span and text."""

    model_config = ConfigDict(extra="forbid")

    id: str
    doc_id: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str
    work_order: str | None = None  # a work-order table row: its number and ISO date (failure history)
    date: str | None = None

    _check_id = field_validator("id", "doc_id")(classmethod(lambda cls, v: _check_token(v, "chunk id")))


class ChunkMention(BaseModel):
    """An entity mentioned in a chunk, at these document spans (``"start-end"``)."""

    model_config = ConfigDict(extra="forbid")

    entity_id: str
    chunk_id: str
    spans: list[str] = Field(min_length=1)


def _with_docs_of(node: NodeFact, evidence: list[Evidence]) -> NodeFact:
    """``node`` plus the evidence of documents it does not cite yet (a copy when anything is added)."""
    docs = {ev.doc_id for ev in node.evidence}
    added: list[Evidence] = []
    for ev in evidence:
        if ev.doc_id not in docs:
            docs.add(ev.doc_id)
            added.append(ev)
    return node.model_copy(update={"evidence": [*node.evidence, *added]}) if added else node


class FactBatch(BaseModel):
    """Nodes, edges and documents written together.

    Every edge endpoint must be a node of the same batch, and an edge's documents are added to its
    endpoints' evidence when missing, so that every fact a document supports hangs off that document.
    """

    model_config = ConfigDict(extra="forbid")

    nodes: list[NodeFact] = Field(default_factory=list)
    edges: list[EdgeFact] = Field(default_factory=list)
    documents: list[DocumentInfo] = Field(default_factory=list)
    chunks: list[ChunkInfo] = Field(default_factory=list)
    chunk_mentions: list[ChunkMention] = Field(default_factory=list)

    @model_validator(mode="after")
    def _endpoints(self) -> FactBatch:
        ids = {n.id for n in self.nodes}
        missing = sorted({x for e in self.edges for x in (e.source, e.target) if x not in ids})
        chunk_ids = {c.id for c in self.chunks}
        missing += sorted({m.entity_id for m in self.chunk_mentions if m.entity_id not in ids})
        missing += sorted({m.chunk_id for m in self.chunk_mentions if m.chunk_id not in chunk_ids})
        if missing:
            raise ValueError(
                f"{len(missing)} edge endpoint(s) are not nodes of this batch: {missing[:5]}; "
                "add a NodeFact for each (with its evidence)"
            )
        extra: dict[str, list[Evidence]] = {}
        for e in self.edges:
            for end in (e.source, e.target):
                extra.setdefault(end, []).extend(e.evidence)
        # a node id may come as several NodeFacts (one per mention): what counts is whether any of them
        # cites the edge's document; only then is the edge's evidence added, once, to the first of them
        cited: dict[str, set[str]] = {}
        for n in self.nodes:
            cited.setdefault(n.id, set()).update(ev.doc_id for ev in n.evidence)
        uncited = {
            node_id: [ev for ev in evs if ev.doc_id not in cited.get(node_id, set())]
            for node_id, evs in extra.items()
        }
        out = []
        for n in self.nodes:  # copies, not in-place appends: the caller's NodeFacts must not change
            out.append(_with_docs_of(n, uncited.pop(n.id, [])))
        self.nodes = out
        return self

    def document_ids(self) -> set[str]:
        """Every document the batch's facts cite."""
        ids = {d.id for d in self.documents}
        facts: list[NodeFact | EdgeFact] = [*self.nodes, *self.edges]
        for f in facts:
            ids.update(ev.doc_id for ev in f.evidence)
        return ids


class WriteSummary(BaseModel):
    """What a write changed. Counters come from the database, not from our own bookkeeping."""

    model_config = ConfigDict(extra="forbid")

    nodes_created: int = 0
    nodes_deleted: int = 0
    relationships_created: int = 0
    relationships_deleted: int = 0
    properties_set: int = 0
    statements: int = 0
    #: batches not written because the same batch was already written in full (see StatementStore.upsert)
    batches_skipped: int = 0

    def __add__(self, other: WriteSummary) -> WriteSummary:
        return WriteSummary(**{k: getattr(self, k) + getattr(other, k) for k in type(self).model_fields})


class GraphNode(BaseModel):
    """A node as read back from any backend."""

    labels: list[str]
    properties: dict[str, Any]

    @property
    def id(self) -> str | None:
        """Our application id (``Label:key``), not the database's internal id."""
        value = self.properties.get("id")
        return value if isinstance(value, str) else None


class GraphEdge(BaseModel):
    """A relationship as read back from any backend; ``source``/``target`` are application ids."""

    type: str
    source: str | None
    target: str | None
    properties: dict[str, Any]


class GraphPath(BaseModel):
    """An alternating node/edge path as read back from any backend."""

    nodes: list[GraphNode]
    edges: list[GraphEdge]


class ReadResult(BaseModel):
    """Rows of a guarded read, plus what the guard did."""

    columns: list[str]
    rows: list[dict[str, Any]]
    truncated: bool = False
    cypher: str
    params: dict[str, Any] = Field(default_factory=dict)
