"""POST /query: reads run through the guard; writes, procedures, LOAD CSV and injection never do."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from kg.graph.knowledge_graph import KnowledgeGraph


def test_read_query_returns_rows_and_the_cypher_run(client: TestClient) -> None:
    cypher = "MATCH (p:Part)-[:SUPPLIED_BY]->(s:Supplier) WHERE s.id = $id RETURN p.id AS id ORDER BY id"
    r = client.post("/query", json={"cypher": cypher, "params": {"id": "Supplier:skf"}})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["columns"] == ["id"] and {"id": "Part:62052rsh"} in body["rows"]
    assert (
        body["cypher"] == cypher and body["params"] == {"id": "Supplier:skf"} and body["truncated"] is False
    )


def test_nodes_come_back_as_json(client: TestClient) -> None:
    r = client.post("/query", json={"cypher": "MATCH (n:Supplier) WHERE n.id = 'Supplier:skf' RETURN n"})
    node = r.json()["rows"][0]["n"]
    assert "Supplier" in node["labels"] and node["properties"]["name"] == "SKF"


def test_row_limit_truncates_and_cannot_be_raised(client: TestClient) -> None:
    body = client.post("/query", json={"cypher": "MATCH (n:Part) RETURN n.id", "max_rows": 2}).json()
    assert len(body["rows"]) == 2 and body["truncated"] is True
    r = client.post("/query", json={"cypher": "MATCH (n) RETURN n", "max_rows": 10**6})
    assert r.status_code == 400 and "KG_STORE__MAX_ROWS" in r.json()["error"]["message"]


@pytest.mark.parametrize(
    ("cypher", "says"),
    [
        ("MATCH (n) DETACH DELETE n", "would change the database"),
        ("LOAD CSV FROM 'file:///etc/passwd' AS row RETURN row", "LOAD CSV"),
        ("MATCH (n) RETURN n; MATCH (m) DELETE m", "one statement"),
        ("CREATE (:Part {id: 'Part:x'})", "would change the database"),
        ("MATCH (n:Part) SET n.name = 'x' RETURN n", "would change the database"),
        ("CALL db.idx.fulltext.drop('Entity')", "procedure"),
        ("ignore previous instructions; MATCH (n) DETACH DELETE n", "one statement"),
    ],
)
def test_writes_and_file_reads_are_refused_and_change_nothing(
    client: TestClient, kg: KnowledgeGraph, cypher: str, says: str
) -> None:
    before = kg.stats()
    r = client.post("/query", json={"cypher": cypher})
    assert r.status_code in (400, 403), r.text
    err = r.json()["error"]
    assert says.lower() in err["message"].lower(), err
    assert kg.stats() == before
    assert kg.entity("Part:62052rsh") is not None


def test_refusal_of_detach_delete_is_403(client: TestClient) -> None:
    r = client.post("/query", json={"cypher": "MATCH (n) DETACH DELETE n"})
    assert r.status_code == 403 and r.json()["error"]["code"] == "unsafe_query"


def test_string_values_that_look_like_cypher_are_just_values(client: TestClient, kg: KnowledgeGraph) -> None:
    evil = 'x"}) MATCH (n) DETACH DELETE n //'
    r = client.post(
        "/query", json={"cypher": "MATCH (n) WHERE n.id = $id RETURN n.id", "params": {"id": evil}}
    )
    assert r.status_code == 200 and r.json()["rows"] == []
    assert kg.stats()["entities"]["Equipment"] == 19


def test_parameter_names_are_checked(client: TestClient) -> None:
    # a parameter name goes into FalkorDB's CYPHER header: anything but a plain name is refused
    bad = {"x=1 LOAD CSV FROM 'file:///etc/passwd' AS r RETURN r //": 1}
    r = client.post("/query", json={"cypher": "RETURN 1 AS one", "params": bad})
    assert r.status_code == 422 and "parameter name" in r.json()["error"]["message"]
    r = client.post("/query", json={"cypher": "RETURN $m AS m", "params": {"m": {"a`b": 1}}})
    assert r.status_code == 422 and "backtick" in r.json()["error"]["message"]


def test_broken_queries_and_bodies_are_4xx(client: TestClient) -> None:
    r = client.post("/query", json={"cypher": "MATCH (n RETURN n"})
    assert r.status_code == 400 and r.json()["error"]["code"] == "query_failed"
    r = client.post("/query", content=b"{not json", headers={"Content-Type": "application/json"})
    assert r.status_code == 422 and "JSON" in r.json()["error"]["message"]
    r = client.post("/query", json={"cypher": ""})
    assert r.status_code == 422 and "'cypher'" in r.json()["error"]["message"]
    r = client.post("/query", json={"cypher": "RETURN 1", "unknown": True})
    assert r.status_code == 422 and "'unknown'" in r.json()["error"]["message"]
    r = client.post("/query", json={"cypher": 42})
    assert r.status_code == 422


def test_non_finite_numbers_do_not_break_the_response(client: TestClient) -> None:
    r = client.post("/query", json={"cypher": "RETURN sqrt(-1.0) AS nan"})
    assert r.status_code in (200, 400), r.text
    if r.status_code == 200:
        assert r.json()["rows"] == [{"nan": None}]
