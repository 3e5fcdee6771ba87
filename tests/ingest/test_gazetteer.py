"""Known entities found by name: whole words only, codes case-insensitive, names as written."""

from __future__ import annotations

import shutil
from pathlib import Path

from fakes import FakeExtractor

from kg.core.settings import Settings
from kg.graph.knowledge_graph import open_knowledge_graph
from kg.ingest.gazetteer import Gazetteer
from kg.ingest.manifest import Manifest
from kg.ingest.pipeline import IngestOptions, Ingestor
from kg.ingest.service import gazetteer_entries

SAMPLES = Path(__file__).resolve().parents[2] / "samples" / "structured"

ENTRIES = [
    ("Part", "6205-2RSH", "Part:62052rsh"),
    ("Part", "22210 E", "Part:22210e"),
    ("Supplier", "SKF", "Supplier:skf"),
    ("Supplier", "Aktiebolaget SKF", "Supplier:skf"),
    ("Supplier", "Gates", "Supplier:gates"),
    ("Equipment", "LDS-P-101", "Equipment:ldsp101"),
    ("Part", "deep groove ball bearing", "Part:x"),  # a kind of thing, not an identifier
    ("FailureCause", "Mechanical seal face wear", "FailureCause:x"),  # descriptive classes are not names
    ("Part", "42", "Part:42"),  # bare numbers are not names
]


def _found(text: str) -> list[tuple[str, str]]:
    return [(text[m.start : m.end], m.entity_id) for m in Gazetteer(ENTRIES).find(text)]


def test_longest_known_name_wins_and_spans_are_exact() -> None:
    text = "Aktiebolaget SKF ships the 6205-2rsh bearing and 22210 E."
    assert _found(text) == [
        ("Aktiebolaget SKF", "Supplier:skf"),
        ("6205-2rsh", "Part:62052rsh"),
        ("22210 E", "Part:22210e"),
    ]


def test_whole_words_only_and_names_case_sensitive() -> None:
    assert _found("motor LDS-P-101-M and LDS-P-101.") == [("LDS-P-101", "Equipment:ldsp101")]
    assert _found("the gates were closed; Gates belts") == [("Gates", "Supplier:gates")]
    assert _found("Mechanical seal face wear on part 42, deep groove ball bearing") == []
    assert Gazetteer().find("SKF") == [] and Gazetteer(ENTRIES).find("   ") == []


def test_a_distinctive_word_of_one_site_name_finds_that_site() -> None:
    g = Gazetteer(
        [
            ("Site", "Plant Alpha – Leeds", "Site:leeds"),
            ("Site", "Plant Beta – Ostrava", "Site:ostrava"),
            ("Site", "Beta Works North", "Site:betanorth"),
        ]
    )
    assert g.site_by_part("Leeds") == "Site:leeds"
    assert g.site_by_part("Alpha") == "Site:leeds"
    assert g.site_by_part("Ostrava") == "Site:ostrava"
    assert g.site_by_part("Beta") is None  # two sites share it
    assert g.site_by_part("Plant") is None and g.site_by_part("Works") is None  # kinds of place
    assert g.site_by_part("leeds") is None  # names as written
    assert g.site_by_part("Plant Alpha") == "Site:leeds"  # parts of one site's name
    assert g.site_by_part("Beta – Ostrava") == "Site:ostrava"  # "Beta" is shared, "Ostrava" decides
    assert g.site_by_part("Plant Alpha – Leeds") == "Site:leeds"
    assert g.site_by_part("Leeds,") == "Site:leeds"
    assert g.site_by_part("Ostrava s.r.o.") is None  # a legal form: a company named after the town
    assert g.site_by_part("Alpha Ostrava") is None  # words of two different sites
    assert Gazetteer([("Supplier", "Leeds Bearings Ltd", "Supplier:lb")]).site_by_part("Leeds") is None


def test_place_names_the_model_calls_organisations_link_to_the_known_site(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(SAMPLES / "equipment.csv", docs / "equipment.csv")
    (docs / "letter.txt").write_text(
        "Hydraulika Ostrava s.r.o. will ship the hoses to Leeds next week. Regards, the Ostrava team."
    )
    ex = FakeExtractor({"Organization": ["Hydraulika Ostrava s.r.o.", "Leeds", "Ostrava"]})
    settings = Settings(store={"data_dir": str(tmp_path / "data")})
    with open_knowledge_graph(settings) as kg:
        manifest = Manifest(tmp_path / "data" / "ingest.sqlite")
        run = Ingestor(kg, manifest, extractor=ex, options=IngestOptions()).run
        run([docs / "equipment.csv"])  # the register: sites "Plant Alpha – Leeds", "Plant Beta – Ostrava"
        gazetteer = Gazetteer(gazetteer_entries(kg))
        report = Ingestor(kg, manifest, extractor=ex, gazetteer=gazetteer).run([docs / "letter.txt"])
        manifest.close()
        orgs = kg.store.read(
            "MATCH (o) WHERE o:Supplier OR o:Manufacturer OR o:Organization RETURN o.name AS name"
        )
        assert sorted(r["name"] for r in orgs) == ["Hydraulika Ostrava s.r.o."]
        assert report.outcomes[0].node_rules == {"site name part": 2}
        sites = {
            r["name"]: r["sources"]
            for r in kg.store.read(
                "MATCH (s:Site) OPTIONAL MATCH (s)-[:MENTIONED_IN]->(d:Document) "
                "RETURN s.name AS name, collect(d.id) AS sources"
            )
        }
        assert set(sites) == {"Plant Alpha – Leeds", "Plant Beta – Ostrava"}  # no new site either
        assert any("letter.txt" in src for src in sites["Plant Alpha – Leeds"])


def test_a_name_known_under_two_classes_links_the_same_way_whatever_the_order_learnt() -> None:
    entries = [
        ("Supplier", "Ostrava", "Supplier:ostrava"),
        ("Manufacturer", "Ostrava", "Manufacturer:ostrava"),
    ]
    text = "Hoses made in Ostrava."
    first = [(m.entity_id, m.start) for m in Gazetteer(entries).find(text)]
    second = [(m.entity_id, m.start) for m in Gazetteer(reversed(entries)).find(text)]
    assert first == second == [("Supplier:ostrava", 14)]  # a restart reads names back in id order


def test_a_code_written_in_two_tokens_is_the_known_code() -> None:
    """A purchase order's "PH 2SN08 1500" and a work order's "repl 6205 2RSH": the model marks the second
    token; read with the code token before it, the mention is the one known part of that number."""
    from kg.ingest.gazetteer import Gazetteer

    g = Gazetteer(
        [
            ("Part", "PH-2SN08-1500", "Part:ph2sn081500"),
            ("Part", "HO-2SN08-1500", "Part:ho2sn081500"),
            ("Part", "6205-2RSH", "Part:62052rsh"),
        ]
    )
    po = "1   PH 2SN08 1500     Hose assy 1/2in 2SN x 1500mm"
    at = po.index("2SN08")
    assert g.code_of("2SN08 1500") is None  # the tail alone is two parts' tail
    assert g.code_with_prefix(po, (at, at + 10)) == (po.index("PH"), "Part", "Part:ph2sn081500")
    wo = "noisy motor brg DE - repl 6205 2RSH both ends"
    at = wo.index("2RSH")
    assert g.code_with_prefix(wo, (at, at + 4)) == (wo.index("6205"), "Part", "Part:62052rsh")
    assert g.code_with_prefix("the 2RSH seal", (4, 8)) is None  # no code token before it


def test_a_known_part_number_the_model_calls_equipment_or_an_organisation_is_the_part(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(SAMPLES / "bom.csv", docs / "bom.csv")  # THK-BIF4010: a ball screw, a Part
    (docs / "master.txt").write_text("THK Europe B.V. (THK): approved parts THK-BIF4010 and THK-HSR25A.")
    (docs / "wo.txt").write_text("repl X axis ball screw THK-BIF4010, ballbar after 3um ok")
    ex = FakeExtractor({"Organization": ["THK-BIF4010"], "Equipment": ["THK-HSR25A"]})
    settings = Settings(store={"data_dir": str(tmp_path / "data")})
    with open_knowledge_graph(settings) as kg:
        manifest = Manifest(tmp_path / "data" / "ingest.sqlite")
        Ingestor(kg, manifest, extractor=ex, options=IngestOptions()).run([docs / "bom.csv"])
        gazetteer = Gazetteer(gazetteer_entries(kg))
        Ingestor(kg, manifest, extractor=ex, gazetteer=gazetteer).run([docs / "master.txt", docs / "wo.txt"])
        manifest.close()
        rows = kg.store.read(
            "MATCH (n)-[:MENTIONED_IN]->(d:Document) WHERE n.name IN ['THK-BIF4010', 'THK-HSR25A'] "
            "OR n.part_number IN ['THK-BIF4010', 'THK-HSR25A'] RETURN DISTINCT n.id AS id"
        )
        assert sorted(r["id"] for r in rows) == ["Part:thkbif4010", "Part:thkhsr25a"]  # no Equipment twins
