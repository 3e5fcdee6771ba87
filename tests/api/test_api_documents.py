"""POST /documents and GET /jobs/{id}: uploads are ingested in the background, bad files fail alone.

Only structured tables are uploaded (equipment/BOM/FMEA kinds need no model); the module's settings name
a model folder that does not exist, so nothing here can start training the default extractor.
"""

from __future__ import annotations

import time
from typing import Any

from api_helpers import LOADER_KEY, READER_KEY, SAMPLES, MakeClient
from fastapi.testclient import TestClient

from kg.core.settings import Settings
from kg.graph.knowledge_graph import KnowledgeGraph

NEW_BOM = (
    "equipment_tag,part_name,part_number,supplier,manufacturer,material,alternative_part_number\n"
    "LDS-P-101,Impeller guard test piece,ZZ-9999,SKF,SKF,,6205-2RSH\n"
)
LOADER = {"X-API-Key": LOADER_KEY}


def wait_for(client: TestClient, url: str, headers: dict[str, str] | None = None) -> dict[str, Any]:
    deadline = time.monotonic() + 45
    while time.monotonic() < deadline:
        body: dict[str, Any] = client.get(url, headers=headers).json()
        if body["state"] in ("done", "failed"):
            return body
        time.sleep(0.1)
    raise AssertionError(f"job {url} did not finish in 45 s: {body}")


def test_upload_csv_job_completes_and_entity_appears_with_chunk_citations(
    make_client: MakeClient, kg: KnowledgeGraph
) -> None:
    assert kg.entity("Part:zz9999") is None
    with make_client(keys=[{"key": LOADER_KEY, "role": "loader", "name": "etl"}]) as c:
        r = c.post(
            "/documents", files=[("files", ("new parts.csv", NEW_BOM.encode(), "text/csv"))], headers=LOADER
        )
        assert r.status_code == 202, r.text
        accepted = r.json()
        assert accepted["state"] == "queued" and accepted["files"] == ["new parts.csv"]
        job = wait_for(c, accepted["status_url"], LOADER)
        assert job["state"] == "done", job
        [doc] = job["documents"]
        assert doc["filename"] == "new parts.csv" and doc["state"] == "loaded" and doc["nodes"] > 0
        assert job["summary"]["loaded"] == 1 and job["summary"]["failed"] == 0
        assert job["started_at"] and job["finished_at"]

        detail = c.get("/entities/Part:zz9999", headers=LOADER).json()
        assert detail["entity"]["name"] == "Impeller guard test piece"
        rels = {(n["relationship"], n["entity"]["id"]) for n in detail["neighbours"]}
        assert ("HAS_PART", "Equipment:ldsp101") in rels and ("SUPPLIED_BY", "Supplier:skf") in rels
        # ingestion writes Chunk nodes: the citation is the table row, from the chunk
        [cite] = detail["citations"]
        assert cite["source"] == "chunk" and cite["document"] == doc["doc_id"]
        assert "ZZ-9999" in cite["snippet"] and cite["path"].endswith("new parts.csv")

        # the same file again: unchanged, nothing written
        again = c.post("/documents", files=[("files", ("new parts.csv", NEW_BOM.encode()))], headers=LOADER)
        assert wait_for(c, again.json()["status_url"], LOADER)["documents"][0]["state"] == "unchanged"


def test_bad_files_fail_alone_and_are_reported(make_client: MakeClient) -> None:
    equipment = (SAMPLES / "equipment.csv").read_bytes()
    files = [
        ("files", ("empty.csv", b"", "text/csv")),
        ("files", ("drawing.dwg", b"\x00\x01binary", "application/octet-stream")),
        ("files", ("equipment.csv", equipment, "text/csv")),
    ]
    with make_client() as c:
        r = c.post("/documents", files=files)
        assert r.status_code == 202
        job = wait_for(c, r.json()["status_url"])
    assert job["state"] == "done"
    docs = {d["filename"]: d for d in job["documents"]}
    assert docs["empty.csv"]["state"] == "failed" and docs["empty.csv"]["reason"].startswith(
        "empty.csv: empty"
    )
    assert "uploads" not in docs["empty.csv"]["reason"], "reasons name the file, not the server's folders"
    assert (
        docs["drawing.dwg"]["state"] == "failed"
        and "unsupported file type .dwg" in docs["drawing.dwg"]["reason"]
    )
    assert docs["equipment.csv"]["state"] == "loaded"
    assert job["summary"]["failed"] == 2


def test_upload_input_errors(make_client: MakeClient) -> None:
    with make_client() as c:
        r = c.post("/documents")
        assert r.status_code == 422 and "'files'" in r.json()["error"]["message"]
        twice = [("files", ("a.csv", b"x\n")), ("files", ("a.csv", b"y\n"))]
        r = c.post("/documents", files=twice)
        assert r.status_code == 400 and r.json()["error"]["code"] == "duplicate_filename"
        r = c.post("/documents", files=[("files", ("..", b"x\n"))])
        assert r.status_code == 400 and r.json()["error"]["code"] == "bad_filename"
        r = c.post("/documents", data={"files": "not a file"})
        assert r.status_code == 422
        broken = b"--xyz\r\nContent-Disposition: form-data; name=files\r\n\r\n"
        r = c.post(
            "/documents", content=broken, headers={"Content-Type": "multipart/form-data; boundary=xyz"}
        )
        assert 400 <= r.status_code < 500 and "error" in r.json()
        r = c.get("/jobs/0123456789abcdef")
        assert r.status_code == 404 and r.json()["error"]["code"] == "job_not_found"


def test_uploaded_names_cannot_escape_the_upload_folder(make_client: MakeClient, settings: Settings) -> None:
    uploads = settings.store.data_dir.parent / "uploads"  # as conftest.make_client sets it
    with make_client() as c:
        r = c.post("/documents", files=[("files", ("../../escape.csv", b"tag,name\n"))])
        assert r.status_code == 202 and r.json()["files"] == ["escape.csv"]
        job = wait_for(c, r.json()["status_url"])
    assert job["documents"][0]["filename"] == "escape.csv"
    assert (uploads / "escape.csv").is_file() and not (uploads.parent.parent / "escape.csv").exists()
    assert not any((uploads / ".incoming").iterdir()), "staging folders are cleaned up"


def test_loader_role_needed(make_client: MakeClient) -> None:
    keys = [{"key": READER_KEY, "role": "reader", "name": "analyst"}]
    with make_client(keys=keys) as c:
        r = c.post("/documents", files=[("files", ("x.csv", b"a\n"))], headers={"X-API-Key": READER_KEY})
        assert r.status_code == 403
        assert c.post("/documents", files=[("files", ("x.csv", b"a\n"))]).status_code == 401
