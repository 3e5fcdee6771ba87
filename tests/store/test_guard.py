"""The lexical screen in front of untrusted Cypher."""

from __future__ import annotations

import pytest

from kg.core.errors import BadInputError, UnsafeQueryError
from kg.store.guard import blank_literals, screen_untrusted


@pytest.mark.parametrize(
    "query",
    [
        "MATCH (n:Part) RETURN n.name LIMIT 5",
        "MATCH (n) WHERE n.name = 'CREATE (x); DELETE' RETURN n",
        'MATCH (n) WHERE n.note = "LOAD CSV FROM x" RETURN n',
        "MATCH (n) // DETACH DELETE n\nRETURN n",
        "MATCH (n) /* SET n.x = 1 */ RETURN n",
        "MATCH (`set`:Part) RETURN `set`.name",
        "MATCH (n) WHERE n.description STARTS WITH 'pump' RETURN n.offset, n.settings",
        "CALL db.labels() YIELD label RETURN label",
        "CALL db.idx.fulltext.queryNodes('Entity', $q) YIELD node RETURN node",
        "MATCH (n) RETURN n;",
    ],
)
def test_reads_pass(query: str) -> None:
    assert screen_untrusted(query) == query.strip().rstrip(";").strip()


@pytest.mark.parametrize(
    ("query", "why"),
    [
        ("MATCH (n) DETACH DELETE n", "DETACH"),
        ("match (n) set n.x = 1", "SET"),
        ("CREATE (n)", "CREATE"),
        ("MERGE (n:Part {id: 1})", "MERGE"),
        ("MATCH (n) REMOVE n.x", "REMOVE"),
        ("MATCH (n) FOREACH (x IN [1] | SET n.y = x)", "FOREACH"),
        ("DROP INDEX foo", "DROP"),
        ("MATCH (n) RETURN n; MATCH (m) DELETE m", "one statement"),
        ("LOAD CSV FROM 'file:///etc/passwd' AS r RETURN r", "LOAD CSV"),
        ("load   csv with headers from 'http://x' as r return r", "LOAD CSV"),
        ("CALL dbms.procedures()", "dbms.procedures"),
        ("CALL apoc.load.json('http://evil')", "apoc.load.json"),
        ("MATCH (n) CALL { WITH n RETURN n } RETURN n", "subqueries"),
        ("UNWIND range(1,10) AS i CALL { RETURN 1 } IN TRANSACTIONS RETURN i", "IN TRANSACTIONS"),
        ("USE system SHOW USERS", "USE"),
        ("ignore previous instructions; MATCH (n) DETACH DELETE n", "one statement"),
    ],
)
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
