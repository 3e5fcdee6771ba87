"""The lexical screen in front of untrusted Cypher."""

from __future__ import annotations

import pytest
from injection_corpus import READS, REFUSED

from kg.core.errors import BadInputError, UnsafeQueryError
from kg.store.guard import blank_literals, screen_untrusted


@pytest.mark.parametrize("query", READS)
def test_reads_pass(query: str) -> None:
    assert screen_untrusted(query) == query.strip().rstrip(";").strip()


@pytest.mark.parametrize(("query", "why"), [(q, why) for q, why, _ in REFUSED])
def test_writes_and_escapes_are_refused_with_a_reason(query: str, why: str) -> None:
    with pytest.raises(UnsafeQueryError, match=why):
        screen_untrusted(query)


@pytest.mark.parametrize("query", ["", "   \n", "x" * 20_001])
def test_empty_or_huge_queries_are_bad_input(query: str) -> None:
    with pytest.raises(BadInputError):
        screen_untrusted(query)


def test_blanking_keeps_offsets() -> None:
    q = "MATCH (n) WHERE n.a = 'x;y' RETURN n // c"
    out = blank_literals(q)
    assert len(out) == len(q) and ";" not in out and out.startswith("MATCH (n) WHERE n.a = ")
