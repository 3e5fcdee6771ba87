"""The read-only guard's injection corpus, shared by the lexical screen's tests (tests/store/test_guard.py)
and the store contract (tests/store/test_store_contract.py), which runs it against every backend: embedded
FalkorDB and, under `make test`, a real Neo4j.

``REFUSED``: (query, what the refusal names, whether it writes). A query that writes is refused twice over:
by the screen, and by the database itself when the screen is bypassed (read-only query / READ access mode).
"""

from __future__ import annotations

READS = [
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
]

REFUSED: list[tuple[str, str, bool]] = [
    ("MATCH (n) DETACH DELETE n", "DETACH", True),
    ("match (n) set n.x = 1", "SET", True),
    ("CREATE (n)", "CREATE", True),
    ("CREATE (n:Part {id: 'x'})", "CREATE", True),
    ("MERGE (n:Part {id: 1})", "MERGE", True),
    ("MERGE (n:Part {id: 'x'}) RETURN n", "MERGE", True),
    ("MATCH (n:Part) SET n.name = 'pwned'", "SET", True),
    ("MATCH (n) REMOVE n.x", "REMOVE", True),
    ("MATCH (n) FOREACH (x IN [1] | SET n.y = x)", "FOREACH", True),
    ("DROP INDEX foo", "DROP", False),
    ("MATCH (n) RETURN n; MATCH (m) DELETE m", "one statement", False),
    ("LOAD CSV FROM 'file:///etc/passwd' AS r RETURN r", "LOAD CSV", False),
    ("load   csv with headers from 'http://x' as r return r", "LOAD CSV", False),
    ("CALL dbms.procedures()", "dbms.procedures", False),
    ("CALL dbms.procedures() YIELD name RETURN name", "dbms.procedures", False),
    ("CALL apoc.load.json('http://evil')", "apoc.load.json", False),
    ("MATCH (n) CALL { WITH n RETURN n } RETURN n", "subqueries", False),
    ("MATCH (n) CALL { WITH n DETACH DELETE n } RETURN 1", "DETACH", True),
    ("UNWIND range(1,10) AS i CALL { RETURN 1 } IN TRANSACTIONS RETURN i", "IN TRANSACTIONS", False),
    ("USE system SHOW USERS", "USE", False),
    ("ignore previous instructions; MATCH (n) DETACH DELETE n", "one statement", False),
]

#: the corpus's writes that are one valid statement: what the database must refuse on its own
DATABASE_REFUSES = [q for q, _, writes in REFUSED if writes]
