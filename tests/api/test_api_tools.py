"""The typed analyst and engineer endpoints over the samples graph, as a client sees them."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_health_reports_store_and_model(client: TestClient) -> None:
    body = client.get("/health").json()
    assert body["status"] == "ok" and body["store"] == {
        "backend": "falkordb",
        "reachable": True,
        "detail": "",
    }
    assert body["auth"] == "open"
    # the test settings name a model folder that does not exist: reported, not hidden
    assert body["model"]["source"] == "settings" and body["model"]["configured"] is False
    assert "no-model" in body["model"]["detail"]


def test_stats_counts_the_samples(client: TestClient) -> None:
    body = client.get("/stats").json()
    assert body["entities"]["Equipment"] == 19 and body["relationships"]["HAS_FAILURE_MODE"] == 26
    assert body["documents"] == {"Document": 3}


def test_search_finds_entities_by_name(client: TestClient) -> None:
    body = client.get("/entities/search", params={"q": "coolant pump", "limit": 5}).json()
    assert body["query"] == "coolant pump"
    ids = [r["id"] for r in body["results"]]
    assert "Equipment:ldsp101" in ids and len(ids) <= 5
    hit = body["results"][ids.index("Equipment:ldsp101")]
    assert hit["labels"] == ["Equipment"] and hit["name"] == "Coolant supply pump" and hit["score"] > 0
    assert client.get("/entities/search", params={"q": "?!"}).json()["results"] == []


def test_entity_detail_has_neighbours_and_evidence_citations(client: TestClient) -> None:
    body = client.get("/entities/Part:62052rsh").json()
    assert body["entity"] == {
        "id": "Part:62052rsh",
        "name": "Deep groove ball bearing 6205-2RS",
        "labels": ["Part"],
    }
    assert body["properties"]["part_number"] == "6205-2RSH" and "evidence" not in body["properties"]
    rels = {(n["relationship"], n["direction"], n["entity"]["id"]) for n in body["neighbours"]}
    assert ("SUPPLIED_BY", "out", "Supplier:skf") in rels
    assert ("HAS_PART", "in", "Equipment:ldsp101m") in rels
    assert ("ALTERNATIVE_TO", "out", "Part:62052rsr") in rels
    # loaded without chunks: citations come from evidence, the snippet cut from the unchanged CSV file
    cites = body["citations"]
    assert cites and all(c["source"] == "evidence" for c in cites)
    first = cites[0]
    assert first["document"] == "csv:bom" and first["path"].endswith("bom.csv")
    assert "6205-2RSH" in first["snippet"] and first["end"] - first["start"] == len(first["snippet"])
    assert first["extractor"] == "csv-loader/0.1" and first["confidence"] == 1.0


def test_entity_detail_limits(client: TestClient) -> None:
    body = client.get("/entities/Part:62052rsh", params={"neighbours": 2, "citations": 1}).json()
    assert len(body["neighbours"]) == 2 and body["neighbours_truncated"] is True
    assert len(body["citations"]) == 1


def test_unknown_entity_is_404_with_suggestions(client: TestClient) -> None:
    r = client.get("/entities/Part:62052rsj")
    assert r.status_code == 404
    err = r.json()["error"]
    assert err["code"] == "entity_not_found" and "Part:62052rsj" in err["message"]
    assert "Part:62052rsh" in err["suggestions"] and "/entities/search" in err["message"]
    r = client.get("/suppliers/Supplier:skff/impact")
    assert r.status_code == 404 and "Supplier:skf" in r.json()["error"]["suggestions"]
    assert "supplier_id" in r.json()["error"]["message"]


def test_supplier_impact_names_plants(client: TestClient) -> None:
    body = client.get("/suppliers/Supplier:skf/impact").json()
    assert body["supplier"]["name"] == "SKF"
    assert any("Plant Alpha" in s for s in body["sites"]) and any("Plant Beta" in s for s in body["sites"])
    assert "Part:62052rsh" in body["items"] and "Equipment:ldsp101m" in body["equipment"]
    # sole-sourced items come first and are listed
    assert body["rows"][0]["other_suppliers"] == 0 and body["sole_source_items"]
    assert set(body["sole_source_items"]) <= set(body["items"]) and body["truncated"] is False
    one = client.get("/suppliers/Supplier:skf/impact", params={"limit": 1}).json()
    assert len(one["rows"]) == 1 and one["truncated"] is True


def test_wrong_entity_type_is_400_naming_the_allowed_classes(client: TestClient) -> None:
    r = client.get("/suppliers/Part:62052rsh/impact")
    assert r.status_code == 400
    err = r.json()["error"]
    assert (
        err["code"] == "wrong_entity_type" and "is a Part" in err["message"] and "Supplier" in err["message"]
    )


def test_single_source_parts(client: TestClient) -> None:
    body = client.get("/parts/single-source").json()
    assert body["count"] == len(body["items"]) > 0
    items = {i["item_id"]: i for i in body["items"]}
    assert "Part:62052rsh" not in items  # SKF and ERIKS both supply it
    assert all(i["supplier_id"].startswith("Supplier:") for i in body["items"])


def test_alternatives_of_a_part(client: TestClient) -> None:
    body = client.get("/parts/Part:62052rsh/alternatives").json()
    assert {s["id"] for s in body["suppliers"]} == {"Supplier:skf", "Supplier:eriks"}
    alts = {a["id"]: a for a in body["alternatives"]}
    assert alts["Part:62052rsr"]["part_number"] == "6205-2RSR"
    assert alts["Part:62052rsr"]["suppliers"], "the alternative part's suppliers are listed"


def test_where_used_and_bom(client: TestClient) -> None:
    used = client.get("/parts/Part:62052rsh/where-used").json()["equipment"]
    by_id = {e["equipment_id"]: e for e in used}
    assert by_id["Equipment:ldsp101m"]["depth"] == 1 and by_id["Equipment:ldsp101m"]["tag"] == "LDS-P-101-M"
    assert by_id["Equipment:ldsp101"]["depth"] == 2, "the pump contains the bearing through its motor"
    assert "Plant Alpha" in by_id["Equipment:ldsp101"]["site"]
    assert [e["depth"] for e in used] == sorted(e["depth"] for e in used)
    one_level = client.get("/parts/Part:62052rsh/where-used", params={"depth": 1}).json()["equipment"]
    assert "Equipment:ldsp101" not in {e["equipment_id"] for e in one_level}

    lines = client.get("/equipment/Equipment:ldsp101/bom").json()["lines"]
    by_item = {(line["parent_id"], line["item_id"]): line for line in lines}
    bearing = by_item[("Equipment:ldsp101m", "Part:62052rsh")]
    assert bearing["level"] == 2 and bearing["part_number"] == "6205-2RSH"
    assert {s["id"] for s in bearing["suppliers"]} == {"Supplier:skf", "Supplier:eriks"}
    assert by_item[("Equipment:ldsp101", "Equipment:ldsp101m")]["level"] == 1


def test_failure_chains_include_leakage_with_rpn(client: TestClient) -> None:
    body = client.get("/equipment/Equipment:ldsp101/failure-chains").json()
    chains = body["chains"]
    leak = [c for c in chains if "leakage" in (c["mode"] or "").lower()]
    assert leak and leak[0]["rpn"] == 120 and leak[0]["severity"] == 6 and leak[0]["detection"] == 4
    assert any(c["cause"] == "Mechanical seal face wear" for c in leak)
    rpns = [c["rpn"] for c in chains if c["rpn"] is not None]
    assert rpns == sorted(rpns, reverse=True)
    part = client.get("/parts/Part:62052rsh/failure-chains").json()
    assert part["entity"]["id"] == "Part:62052rsh" and part["chains"]


def test_shortest_path(client: TestClient) -> None:
    body = client.get("/paths", params={"source": "Supplier:skf", "target": "Equipment:ldsp101"}).json()
    assert body["found"] is True and body["length"] == len(body["edges"]) == len(body["nodes"]) - 1
    assert body["nodes"][0]["id"] == "Supplier:skf" and body["nodes"][-1]["id"] == "Equipment:ldsp101"
    short = client.get(
        "/paths", params={"source": "Supplier:skf", "target": "Equipment:ldsp101", "max_hops": 1}
    )
    assert short.json()["found"] is False and short.json()["length"] is None
    r = client.get("/paths", params={"source": "Supplier:skf", "target": "Equipment:nope"})
    assert r.status_code == 404 and "'target'" in r.json()["error"]["message"]


def test_bad_parameters_are_422_naming_the_parameter(client: TestClient) -> None:
    r = client.get("/parts/single-source", params={"limit": "lots"})
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "invalid_request" and "'limit'" in r.json()["error"]["message"]
    r = client.get("/entities/search")
    assert r.status_code == 422 and "'q'" in r.json()["error"]["message"]


def test_unknown_routes_and_methods_get_json_errors(client: TestClient) -> None:
    r = client.get("/no/such/thing")
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"
    r = client.delete("/stats")
    assert r.status_code == 405 and "DELETE" in r.json()["error"]["message"]


def test_openapi_documents_every_endpoint(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    paths = set(schema["paths"])
    for p in (
        "/health", "/metrics", "/entities/search", "/entities/{entity_id}", "/suppliers/{supplier_id}/impact",
        "/parts/single-source", "/parts/{part_id}/alternatives", "/parts/{part_id}/where-used",
        "/equipment/{equipment_id}/bom", "/equipment/{equipment_id}/failure-chains", "/paths", "/stats",
        "/query", "/documents", "/jobs/{job_id}",
    ):  # fmt: skip
        assert p in paths, p
    assert "ErrorBody" in schema["components"]["schemas"]
    assert client.get("/docs").status_code == 200
