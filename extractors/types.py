"""Annotated texts (gold data) and extractions (model output), both with character spans.

Spans are ``[start, end)`` character offsets into ``text``, so ``text[start:end]`` is always the mention,
whatever the tokenizer. Relation ends are indices into the same text's entity list.

Example:
    >>> t = AnnotatedText(id="wo-1", text="replace pump seal", source="demo",
    ...                   entities=[EntityAnnotation(start=8, end=12, label="PhysicalObject"),
    ...                             EntityAnnotation(start=13, end=17, label="PhysicalObject")],
    ...                   relations=[RelationAnnotation(head=0, tail=1, label="hasPart")])
    >>> t.span_text(t.entities[1])
    'seal'
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator


class EntityAnnotation(BaseModel):
    """A labelled character span."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    start: int = Field(ge=0)
    end: int = Field(gt=0)
    label: str = Field(min_length=1)


class RelationAnnotation(BaseModel):
    """A labelled, directed link between two entities of the same text (indices into ``entities``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    head: int = Field(ge=0)
    tail: int = Field(ge=0)
    label: str = Field(min_length=1)


class AnnotatedText(BaseModel):
    """One annotated text (a work order, a sentence, a document) from a corpus or a user's file."""

    model_config = ConfigDict(extra="forbid")

    id: str
    text: str
    entities: list[EntityAnnotation] = Field(default_factory=list)
    relations: list[RelationAnnotation] = Field(default_factory=list)
    source: str = Field(default="", description="Corpus or file the text came from.")

    @model_validator(mode="after")
    def _check(self) -> AnnotatedText:
        n = len(self.text)
        for e in self.entities:
            if e.end > n or e.start >= e.end:
                raise ValueError(
                    f"{self.id}: entity span [{e.start}, {e.end}) does not fit text of length {n}"
                )
        for r in self.relations:
            if r.head >= len(self.entities) or r.tail >= len(self.entities):
                raise ValueError(
                    f"{self.id}: relation {r.label} points at a missing entity ({r.head}, {r.tail})"
                )
        return self

    def span_text(self, e: EntityAnnotation) -> str:
        return self.text[e.start : e.end]


class TextChunk(BaseModel):
    """A piece of a document handed to an extractor; ``offset`` maps its spans back into the document."""

    model_config = ConfigDict(extra="forbid")

    text: str
    doc_id: str = ""
    offset: int = Field(default=0, ge=0, description="Character offset of this chunk in its document.")


class Mention(BaseModel):
    """A predicted entity: character span into the chunk's text, label, score in [0, 1]."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    start: int
    end: int
    label: str
    score: float
    text: str


class PredictedRelation(BaseModel):
    """A predicted relation between two mentions of the same chunk (indices into ``mentions``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    head: int
    tail: int
    label: str
    score: float


class ChunkExtraction(BaseModel):
    """What an extractor found in one chunk."""

    model_config = ConfigDict(extra="forbid")

    mentions: list[Mention] = Field(default_factory=list)
    relations: list[PredictedRelation] = Field(default_factory=list)
    model_version: str = ""

    def as_annotated(self, id: str, text: str) -> AnnotatedText:
        """The prediction in the gold format, for scoring with :mod:`extractors.metrics`."""
        return AnnotatedText(
            id=id,
            text=text,
            entities=[EntityAnnotation(start=m.start, end=m.end, label=m.label) for m in self.mentions],
            relations=[RelationAnnotation(head=r.head, tail=r.tail, label=r.label) for r in self.relations],
        )
