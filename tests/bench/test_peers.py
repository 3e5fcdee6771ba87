"""Peer baselines: spaCy DocBin conversion, LLM prompt building and lenient answer parsing (no training,
no model weights)."""

from __future__ import annotations

import json
from collections.abc import Sequence

import pytest
import spacy
from spacy.tokens import DocBin

from bench.peers.llm_prompt import (
    LABELS,
    ParseStats,
    build_messages,
    locate,
    parse_answer,
    pick_examples,
    render_answer,
)
from bench.peers.spacy_ner import to_docbin
from extractors.types import AnnotatedText, EntityAnnotation, RelationAnnotation

ENTITY_LABELS = set(LABELS["maintie"][0])
RELATION_LABELS = set(LABELS["maintie"][1])


def _text(
    id: str, text: str, ents: list[tuple[str, str]], rels: Sequence[tuple[int, int, str]] = ()
) -> AnnotatedText:
    """Entities given as (mention, label); each mention is found left to right."""
    out, pos = [], 0
    for mention, label in ents:
        start = text.index(mention, 0 if mention in text[:pos] else pos)
        out.append(EntityAnnotation(start=start, end=start + len(mention), label=label))
        pos = start + len(mention)
    return AnnotatedText(
        id=id,
        text=text,
        entities=out,
        relations=[RelationAnnotation(head=h, tail=t, label=label) for h, t, label in rels],
    )


TINY = [
    _text(
        "a",
        "replace pump seal",
        [("replace", "Activity"), ("pump", "PhysicalObject"), ("seal", "PhysicalObject")],
    ),
    # nested: "air conditioner" inside "air conditioner compressor"; the longer span wins
    _text(
        "b",
        "air conditioner compressor leaking",
        [
            ("air conditioner compressor", "PhysicalObject"),
            ("air conditioner", "PhysicalObject"),
            ("leaking", "Process"),
        ],
    ),
    _text("c", "<id> engine not working", [("engine", "PhysicalObject"), ("not working", "State")]),
]


def test_docbin_keeps_longest_non_overlapping_spans_and_counts_the_rest() -> None:
    nlp = spacy.blank("en")
    db, stats = to_docbin(nlp, TINY)
    docs = list(DocBin().from_bytes(db.to_bytes()).get_docs(nlp.vocab))

    assert [[(e.text, e.label_) for e in d.ents] for d in docs] == [
        [("replace", "Activity"), ("pump", "PhysicalObject"), ("seal", "PhysicalObject")],
        [("air conditioner compressor", "PhysicalObject"), ("leaking", "Process")],
        [("engine", "PhysicalObject"), ("not working", "State")],
    ]
    assert (stats.texts, stats.entities, stats.kept, stats.dropped_overlap) == (3, 8, 7, 1)
    assert stats.dropped_misaligned == 0 and stats.expanded == 0
    # character offsets survive the round trip
    assert [(e.start_char, e.end_char) for e in docs[2].ents] == [(5, 11), (12, 23)]


def test_docbin_expands_a_span_that_cuts_a_token() -> None:
    text = AnnotatedText(
        id="x", text="pumps fail", entities=[EntityAnnotation(start=0, end=4, label="PhysicalObject")]
    )
    db, stats = to_docbin(spacy.blank("en"), [text])
    (doc,) = db.get_docs(spacy.blank("en").vocab)
    assert [e.text for e in doc.ents] == ["pumps"]
    assert stats.expanded == 1


def test_prompt_has_labels_examples_and_the_text_last() -> None:
    train = [
        TINY[0].model_copy(update={"relations": [RelationAnnotation(head=0, tail=1, label="hasPatient")]}),
        _text(
            "d",
            "<id> differential oil leak now",
            [("differential", "PhysicalObject"), ("oil", "PhysicalObject"), ("leak", "Process")],
            [(0, 1, "contains"), (2, 1, "hasPatient")],
        ),
    ]
    examples = pick_examples(train, RELATION_LABELS, k=3)
    assert [e.id for e in examples] == ["d"]  # "a" is too short to be a worked example

    messages = build_messages("maintie", examples, "hose leaking")
    assert [m["role"] for m in messages] == ["system", "user", "assistant", "user"]
    system = messages[0]["content"]
    assert all(f"- {label}:" in system for label in ENTITY_LABELS | RELATION_LABELS)
    assert messages[-1]["content"] == "Text: hose leaking"
    answer = [json.loads(line) for line in messages[2]["content"].splitlines()]
    assert answer[0] == {"text": "differential", "label": "PhysicalObject"}
    assert {"head": "differential", "tail": "oil", "label": "contains"} in answer


def test_gold_answer_parses_back_to_the_gold_annotation() -> None:
    gold = TINY[0].model_copy(
        update={
            "relations": [
                RelationAnnotation(head=0, tail=1, label="hasPatient"),
                RelationAnnotation(head=1, tail=2, label="hasPart"),
            ]
        }
    )
    stats = ParseStats()
    ents, rels = parse_answer(render_answer(gold), gold.text, ENTITY_LABELS, RELATION_LABELS, stats)
    assert ents == gold.entities and rels == gold.relations
    assert stats.junk == stats.unknown_label == stats.mention_not_found == 0


def test_parser_tolerates_junk_and_counts_every_repair() -> None:
    text = "Replace pump seal; pump leaking"
    answer = (
        "Sure! Here are the entities:\n"
        '{"text": "replace", "label": "activity"}\n'  # case-insensitive mention and label
        "{'text': 'pump', 'label': 'PhysicalObject'}\n"  # single quotes
        '{"text": "pump", "label": "PhysicalObject"}\n'  # second occurrence
        '{"text": "pump", "label": "PhysicalObject"}\n'  # no third occurrence: duplicate
        '{"text": "gearbox", "label": "PhysicalObject"}\n'  # not in the text
        '{"text": "seal", "label": "Widget"}\n'  # unknown label
        '{"text": "leaking", "label": "Process"} {not json}\n'
        '{"head": "Replace", "tail": "pump", "label": "hasPatient"}\n'
        '{"head": "leaking", "tail": "seal", "label": "hasAgent"}\n'  # "seal" was not extracted
        '{"head": "pump", "tail": "pump", "label": "partOf"}\n'  # unknown relation label
        '{"head": "Replace", "tail": "pump'  # cut off at the token cap
    )
    stats = ParseStats()
    ents, rels = parse_answer(answer, text, ENTITY_LABELS, RELATION_LABELS, stats)

    assert [(text[e.start : e.end], e.label) for e in ents] == [
        ("Replace", "Activity"),
        ("pump", "PhysicalObject"),
        ("pump", "PhysicalObject"),
        ("leaking", "Process"),
    ]
    assert [(e.start, e.end) for e in ents[1:3]] == [(8, 12), (19, 23)]
    assert rels == [RelationAnnotation(head=0, tail=1, label="hasPatient")]
    assert stats.found_case_insensitive == 1
    assert stats.duplicates == 1
    assert stats.mention_not_found == 1
    assert stats.unknown_label == 2
    assert stats.junk == 1
    assert stats.relation_end_unresolved == 1


@pytest.mark.parametrize(
    ("mention", "expected"),
    [
        ("oil", (10, 13, False)),  # whole word preferred over the "oil" inside "boil"
        ("OIL", (10, 13, True)),
        ("  oil ", (10, 13, False)),
        ("bo", (0, 2, False)),  # only inside a word: still found
        ("water", None),
        ("", None),
    ],
)
def test_locate_prefers_exact_whole_word_matches(
    mention: str, expected: tuple[int, int, bool] | None
) -> None:
    assert locate("boil over oil", mention, set()) == expected
