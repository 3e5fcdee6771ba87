"""Batch ingestion on embedded FalkorDB: bad input, idempotent re-ingest, replacing a changed file,
the review queue, exact provenance spans.

The pipeline's semantics are tested with a deterministic rule extractor (a test double that finds a fixed
vocabulary), so assertions do not depend on a model's quality; `test_ingest_cli.py` runs the real model.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fakes import FakeExtractor

from kg.core.settings import Settings
from kg.documents import read_document
from kg.graph.knowledge_graph import KnowledgeGraph, open_knowledge_graph
from kg.ingest.manifest import Manifest
from kg.ingest.pipeline import IngestOptions, Ingestor, IngestReport

SAMPLES = Path(__file__).resolve().parents[2] / "samples" / "structured"
VOCAB = {
    "Organization": ["Aktiebolaget SKF", "SKF Group", "Parker Hannifin", "Parker"],
    "PhysicalObject": ["6205-2RSH", "coolant pump", "mechanical seal", "LDS-P-101", "hose"],
    "FailureMode": ["leaking", "noisy", "burst"],
    "MaintenanceActivity": ["replaced", "inspect"],
}
RELATIONS = [  # (head text, relation, tail text) recognised when both occur in a chunk
    ("6205-2RSH", "suppliedBy", "Aktiebolaget SKF"),
    ("hose", "suppliedBy", "Parker Hannifin"),
    ("mechanical seal", "suppliedBy", "noisy"),  # Part -SUPPLIED_BY-> FailureMode: the ontology refuses it
]


def _corpus(root: Path) -> Path:
    docs = root / "docs"
    (docs / "tables").mkdir(parents=True)
    for name in ("equipment.csv", "bom.csv"):
        shutil.copy(SAMPLES / name, docs / "tables" / name)
    (docs / "letter.txt").write_text(
        "Dear Sir,\n\nAktiebolaget SKF supplies the 6205-2RSH bearing for the coolant pump LDS-P-101.\n"
        "The mechanical seal was noisy.\n"
    )
    (docs / "copy_of_letter.txt").write_bytes((docs / "letter.txt").read_bytes())
    (docs / "hoses.md").write_text("# Hoses\n\nParker Hannifin ships each hose with a test certificate.\n")
    (docs / "work_orders.csv").write_text(
        "work_order,asset,date,description,technician\n"
        "WO-1,LDS-P-101,2025-01-03,coolant pump leaking at mechanical seal,J. Smith\n"
        "WO-2,LDS-P-101,2025-02-11,inspect pump; noisy,J. Smith\n"
    )
    bad = docs / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_bytes(b"")
    (bad / "binary.txt").write_bytes(bytes(range(256)) * 20)
    (bad / "broken.pdf").write_bytes(b"%PDF-1.4\n1 0 obj <</Type /Catalog>> garbage")
    return docs


def rule_extractor() -> FakeExtractor:
    """Finds VOCAB words (case-sensitive, whole words) and RELATIONS between them."""
    return FakeExtractor(VOCAB, RELATIONS, version="rules@1")


Env = tuple[KnowledgeGraph, Manifest, Path, FakeExtractor]


@pytest.fixture(params=["falkordb", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def env(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Env]:
    """The corpus, and a graph and manifest on each backend (Neo4j: the test server, cleared before and
    after), so the manifest's semantics (re-ingest, replace-on-change, review, chunks) hold on both."""
    docs = _corpus(tmp_path)
    settings = Settings(store={"backend": request.param, "data_dir": str(tmp_path / "data")})
    with open_knowledge_graph(settings) as kg:
        kg.store.clear()
        (tmp_path / "data").mkdir(exist_ok=True)
        manifest = Manifest(tmp_path / "data" / "ingest.sqlite")
        yield kg, manifest, docs, rule_extractor()
        manifest.close()
        if request.param == "neo4j":
            kg.store.clear()


def _run(
    kg: KnowledgeGraph, manifest: Manifest, docs: Path, ex: FakeExtractor, **opts: object
) -> IngestReport:
    return Ingestor(kg, manifest, extractor=ex, options=IngestOptions(recursive=True, **opts)).run([docs])  # type: ignore[arg-type]


def _states(report: IngestReport) -> dict[str, str]:
    return {Path(o.path).name: o.state for o in report.outcomes}


def test_bad_files_are_reported_by_name_and_the_batch_goes_on(env) -> None:  # type: ignore[no-untyped-def]
    kg, manifest, docs, ex = env
    report = _run(kg, manifest, docs, ex)
    states = _states(report)
    assert {states[n] for n in ("empty.txt", "binary.txt", "broken.pdf")} == {"failed"}
    reasons = {Path(o.path).name: o.reason for o in report.failed}
    assert "empty.txt" in reasons["empty.txt"] and "0 bytes" in reasons["empty.txt"]
    assert "binary" in reasons["binary.txt"]
    assert "broken.pdf" in reasons["broken.pdf"]
    # exactly one of the two identical letters is loaded, the other is reported as its duplicate
    assert sorted([states["letter.txt"], states["copy_of_letter.txt"]]) == ["duplicate", "loaded"]
    for name in ("equipment.csv", "bom.csv", "hoses.md", "work_orders.csv"):
        assert states[name] == "loaded", name
    stats = kg.stats()
    assert stats["entities"]["Site"] == 2  # the equipment register (structured, no model)
    assert kg.store.read("MATCH (p:Part) WHERE p.id = 'Part:62052rsh' RETURN p.id AS id")  # the BOM
    assert manifest.stats()["documents"] == {"done": 5, "failed": 3, "duplicate": 1}


def test_extracted_facts_cite_exact_spans_of_their_documents(env) -> None:  # type: ignore[no-untyped-def]
    kg, manifest, docs, ex = env
    _run(kg, manifest, docs, ex)
    texts = {
        r["id"]: read_document(Path(r["path"])).text
        for r in kg.store.read("MATCH (d:Document) RETURN d.id AS id, d.path AS path")
    }
    rows = kg.store.read(
        "MATCH (n:Entity)-[m:MENTIONED_IN]->(:Document) "
        "RETURN n.id AS id, n.name AS name, n.aliases AS aliases, m.evidence AS evidence"
    )
    checked = 0
    for r in rows:
        for key in r["evidence"]:
            doc, start, end, extractor, _ = key.split("|")
            if extractor != "rules@1":
                continue
            surface = " ".join(texts[doc][int(start) : int(end)].split())
            assert surface == r["name"] or surface in (r["aliases"] or []), (r["id"], surface)
            checked += 1
    assert checked >= 10
    # the relation found in the letter and the work-order rules on the asset
    suppliers = kg.store.read(
        "MATCH (p:Part)-[e:SUPPLIED_BY]->(s:Supplier) WHERE p.id = 'Part:62052rsh' RETURN s.name AS s"
    )  # the BOM's two suppliers and the letter's (no resolver here: the alias stays its own node)
    assert sorted(r["s"] for r in suppliers) == ["Aktiebolaget SKF", "ERIKS", "SKF"]
    modes = kg.store.read(
        "MATCH (e:Equipment)-[:HAS_FAILURE_MODE]->(m:FailureMode) WHERE e.id = 'Equipment:ldsp101' "
        "RETURN m.name AS m ORDER BY m"
    )
    assert [r["m"] for r in modes] == ["leaking", "noisy"]


def test_reingest_changes_nothing_and_reads_nothing(env) -> None:  # type: ignore[no-untyped-def]
    kg, manifest, docs, ex = env
    _run(kg, manifest, docs, ex)
    before = kg.stats()
    evidence = kg.store.read("MATCH ()-[m:MENTIONED_IN]->() RETURN sum(size(m.evidence)) AS n")
    calls = ex.calls
    again = _run(kg, manifest, docs, ex)
    assert again.count("unchanged") == 5 and again.count("duplicate") == 1 and ex.calls == calls
    assert again.count("failed") == 3  # failed documents are tried again (and fail again)
    assert kg.stats() == before
    assert kg.store.read("MATCH ()-[m:MENTIONED_IN]->() RETURN sum(size(m.evidence)) AS n") == evidence
    forced = _run(kg, manifest, docs, ex, force=True)  # re-reading everything still duplicates nothing
    assert forced.count("replaced") == 5
    assert kg.stats() == before


def test_a_changed_file_replaces_its_old_version_and_keeps_shared_facts(env) -> None:  # type: ignore[no-untyped-def]
    kg, manifest, docs, ex = env
    _run(kg, manifest, docs, ex)
    bom = docs / "tables" / "bom.csv"
    lines = bom.read_text().splitlines(keepends=True)
    kept = [line for line in lines if "Pirtek" not in line]
    assert len(kept) < len(lines)
    bom.write_text("".join(kept))
    report = _run(kg, manifest, docs, ex)
    assert _states(report)["bom.csv"] == "replaced" and report.count("unchanged") == 4
    suppliers = {r["n"] for r in kg.store.read("MATCH (s:Supplier) RETURN s.name AS n")}
    assert not any("Pirtek" in s for s in suppliers)  # supported only by the old version: gone
    assert "Aktiebolaget SKF" in suppliers  # cited by the BOM and the letter: kept
    assert kg.store.read("MATCH (e:Equipment) WHERE e.id = 'Equipment:ldsp101' RETURN count(e) AS n") == [
        {"n": 1}
    ]


def test_refused_relations_wait_for_review_and_accept_needs_a_correction(env) -> None:  # type: ignore[no-untyped-def]
    from kg.core.errors import BadInputError
    from kg.ingest.review import corrected_fact

    kg, manifest, docs, ex = env
    report = _run(kg, manifest, docs, ex)
    assert sum(o.review for o in report.outcomes) >= 1
    (item,) = [i for i in manifest.review_items() if i.edge.type == "SUPPLIED_BY"]
    assert "FailureMode" in item.describe() and "letter.txt#" in item.doc_id  # either twin
    assert not kg.store.read("MATCH (:Part)-[e:SUPPLIED_BY]->(:FailureMode) RETURN e")  # not written
    with pytest.raises(BadInputError, match="Still refused"):
        corrected_fact(item, kg.schema)
    batch = corrected_fact(item, kg.schema, rel_type="HAS_FAILURE_MODE")
    kg.store.upsert(batch)
    manifest.decide(item.id, "accepted")
    assert kg.store.read(
        "MATCH (p:Part)-[e:HAS_FAILURE_MODE]->(m:FailureMode) RETURN p.name AS p, m.name AS m"
    )
    assert manifest.review_items() == []
    again = _run(kg, manifest, docs, ex, force=True)  # decided items are not queued again
    assert manifest.review_items() == [] and again.count("replaced") == 5


def test_chunks_carry_the_text_and_spans_and_go_with_their_document(env) -> None:  # type: ignore[no-untyped-def]
    kg, manifest, docs, ex = env
    _run(kg, manifest, docs, ex)
    (letter,) = kg.store.read(
        "MATCH (d:Document) WHERE d.file_name IN ['letter.txt', 'copy_of_letter.txt'] RETURN d.id AS id, "
        "d.path AS path, d.chunks AS chunks"
    )
    text = read_document(Path(letter["path"])).text
    chunks = kg.store.read(
        "MATCH (c:Chunk)-[:PART_OF]->(d:Document) WHERE d.id = $doc "
        "RETURN c.id AS id, c.start AS start, c.end AS end, c.text AS text ORDER BY start",
        {"doc": letter["id"]},
    )
    assert len(chunks) == letter["chunks"] >= 2
    assert all(text[c["start"] : c["end"]] == c["text"] for c in chunks)
    cited = kg.store.read(
        "MATCH (n:Entity)-[m:IN_CHUNK]->(c:Chunk) WHERE c.doc = $doc "
        "RETURN n.id AS id, n.name AS name, n.aliases AS aliases, m.spans AS spans",
        {"doc": letter["id"]},
    )
    assert {r["id"] for r in cited} >= {"Supplier:aktiebolaget skf", "Equipment:ldsp101", "Part:62052rsh"}
    for r in cited:
        for span in r["spans"]:
            s, e = map(int, span.split("-"))
            assert " ".join(text[s:e].split()) in [r["name"], *r["aliases"]], r
    rows = kg.store.read("MATCH (c:Chunk) WHERE c.id ENDS WITH ':r0' RETURN count(c) AS n")
    assert rows[0]["n"] >= 3  # table rows are chunks too (equipment, BOM, work orders)
    kg.delete_document(letter["id"])
    assert kg.store.read(
        "MATCH (c:Chunk) WHERE c.doc = $doc RETURN count(c) AS n", {"doc": letter["id"]}
    ) == [{"n": 0}]


def test_a_wrong_merge_is_listed_and_undone(tmp_path: Path) -> None:
    from kg.ingest.resolve import EntityResolver
    from kg.ingest.service import known_entities, undo_merge

    docs = _corpus(tmp_path)
    (docs / "parker_note.txt").write_text("Parker confirmed the hose delivery for week 12.\n")
    settings = Settings(store={"data_dir": str(tmp_path / "data")})
    with open_knowledge_graph(settings) as kg:
        manifest = Manifest(tmp_path / "data" / "ingest.sqlite")

        def run(paths: list[Path], **opts: object) -> IngestReport:
            resolver = EntityResolver(
                known_entities(kg), never_merge=[(s, t) for _, s, t in manifest.never_merge()], encoder=None
            )
            options = IngestOptions(recursive=True, **opts)  # type: ignore[arg-type]
            return Ingestor(
                kg,
                manifest,
                extractor=rule_extractor(),
                resolver=resolver,
                options=options,
            ).run(paths)

        run([docs])
        (merge,) = [m for m in manifest.merges(surface="Parker")]
        assert merge.target_id == "Supplier:parker hannifin" and merge.method == "fuzzy"
        note = "MATCH (s:Supplier)-[:MENTIONED_IN]->(d:Document) WHERE d.id = $doc RETURN s.id AS id"
        doc_id = merge.doc_id
        assert kg.store.read(note, {"doc": doc_id}) == [{"id": "Supplier:parker hannifin"}]

        def apart() -> None:
            """The note's "Parker" is its own organisation: the text gives it no supplier role, and the
            never-merge holds for the Manufacturer Parker Hannifin too."""
            assert kg.store.read(note, {"doc": doc_id}) == []
            rows = kg.store.read(
                "MATCH (s)-[:MENTIONED_IN]->(d:Document) WHERE d.id = $doc RETURN s.id AS id", {"doc": doc_id}
            )
            cited = {r["id"] for r in rows}
            assert "Organization:parker" in cited
            assert not any(i.startswith(("Supplier:", "Manufacturer:")) for i in cited)

        what, redone = undo_merge(kg, manifest, merge.id, lambda paths: run(paths, force=True))
        assert "Parker" in what and [Path(p).name for p in redone] == ["parker_note.txt"]
        apart()
        assert manifest.merges(surface="Parker") == []
        # the BOM's Parker Hannifin is untouched, and a later run keeps them apart
        assert kg.store.read(
            "MATCH (s:Supplier) WHERE s.id = 'Supplier:parker hannifin' RETURN count(s) AS n"
        ) == [{"n": 1}]
        run([docs], force=True)
        apart()
        manifest.close()


def test_a_report_names_register_equipment_in_the_same_run_as_the_register(tmp_path: Path) -> None:
    """The register and a report that names "Coolant supply pump" in one run give the graph two runs give:
    the report's mention joins the register's LDS-P-101 rather than becoming a second pump."""
    from kg.ingest.resolve import EntityResolver
    from kg.ingest.service import known_entities

    docs = tmp_path / "docs"
    (docs / "tables").mkdir(parents=True)
    shutil.copy(SAMPLES / "equipment.csv", docs / "tables" / "equipment.csv")
    (docs / "report.txt").write_text("The Coolant supply pump tripped twice; the seal was leaking.\n")
    extractor = FakeExtractor({"PhysicalObject": ["Coolant supply pump"], "FailureMode": ["leaking"]})

    def build(name: str, runs: list[list[Path]]) -> list[dict[str, object]]:
        settings = Settings(store={"data_dir": str(tmp_path / name)})
        with open_knowledge_graph(settings) as kg:
            manifest = Manifest(tmp_path / name / "ingest.sqlite")
            for paths in runs:
                resolver = EntityResolver(known_entities(kg), encoder=None)
                Ingestor(kg, manifest, extractor=extractor, resolver=resolver).run(paths)  # type: ignore[arg-type]
            manifest.close()
            return kg.store.read(
                "MATCH (e:Equipment) WHERE toLower(e.name) = 'coolant supply pump' "
                "RETURN e.id AS id, e.support AS n"
            )

    one_run = build("one", [[docs / "tables", docs / "report.txt"]])
    two_runs = build("two", [[docs / "tables"], [docs / "report.txt"]])
    assert one_run == two_runs == [{"id": "Equipment:ldsp101", "n": 2}]
