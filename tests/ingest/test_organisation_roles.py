"""An organisation is a Supplier or Manufacturer only where the text gives it that role (issue #10, item 5):
the words around its name, a relation, or a known supplier or manufacturer it is. The user's own company
(named at one of its sites), a buyer, a person or a department is never a supplier. Each rule on a real
sentence, then the whole path through ingestion."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from fakes import FakeExtractor

from kg.core.settings import ExtractorSettings, Settings, StoreSettings
from kg.graph.knowledge_graph import open_knowledge_graph
from kg.ingest.gazetteer import Gazetteer
from kg.ingest.mapping import refine_label, stated_role
from kg.ingest.name_spans import (
    column_cell,
    finished_end,
    item_end,
    item_start,
    line_end,
    name_end,
    name_start,
    repair_spans,
)
from kg.ingest.node_rules import judge
from kg.ingest.resolve import EntityResolver, KnownEntity
from kg.ingest.service import ingestor_for

SAMPLES = Path(__file__).resolve().parents[2] / "samples" / "structured"

# (sentence, the organisation's name in it, the role its words give)
ROLES = [
    ("Supplier: Hydraulika Ostrava s.r.o., Ostrava-Vítkovice", "Hydraulika Ostrava s.r.o.", "Supplier"),
    ("Interim hoses ordered from Hydraulika Ostrava s.r.o. as an equivalent", "Hydraulika Ostrava s.r.o.",
     "Supplier"),
    ("ERIKS, our approved distributor for bearings, confirms the lot.", "ERIKS", "Supplier"),
    ("Both pumps are made by Aire Valley Pumps Ltd and use the same seal.", "Aire Valley Pumps Ltd",
     "Manufacturer"),
    ("Purchaser: Northwind Components Ltd, Plant Alpha – Leeds", "Northwind Components Ltd", "Buyer"),
    ("Northwind buys the bearing set 7014 CD/HCP4A from SKF.", "Northwind", "Buyer"),
    ("Katrin Vogel, Hose Products Division", "Katrin Vogel", None),
    ("Parker declares force majeure for its Czech plant.", "Parker", None),
]  # fmt: skip


@pytest.mark.parametrize(("sentence", "name", "role"), ROLES, ids=[r[1] + "-" + str(r[2]) for r in ROLES])
def test_the_words_around_a_name_give_its_role(sentence: str, name: str, role: str | None) -> None:
    start = sentence.index(name)
    assert stated_role(sentence[:start], sentence[start + len(name) :]) == role


def test_an_organisation_without_a_stated_role_is_an_organization() -> None:
    assert refine_label("Organization", "Hose Products Division") == "Organization"
    assert refine_label("Organization", "Parker", supplied=True) == "Supplier"
    assert refine_label("Organization", "Bosch", manufactured=True) == "Manufacturer"
    assert refine_label("PhysicalObject", "hydraulic pumps") == "Equipment"  # plural heads too
    assert refine_label("PhysicalObject", "gearboxes") == "Equipment"
    assert refine_label("PhysicalObject", "O-rings") == "Part"


def test_a_site_named_after_an_organisation_makes_it_the_sites_owner() -> None:
    g = Gazetteer(
        [("Site", "Plant Alpha – Leeds", "Site:leeds"), ("Site", "Plant Beta – Ostrava", "Site:ost")]
    )
    assert g.site_after(", Plant Alpha – Leeds · Document MM-LDS-P-10x") == "Site:leeds"
    assert g.site_after(" · Plant Alpha – Leeds · 17 March 2025") == "Site:leeds"
    assert g.site_after(", Plant Beta – Ostrava, Purchasing (Ms Jana Nováková)") == "Site:ost"
    assert g.site_after(", Leeds LS10 4QT") is None  # a supplier in the same town is not the site's owner
    assert g.site_after(" will ship to Plant Alpha next week") is None  # not right after the name
    assert g.site_after("") is None


def test_match_finds_known_entities_and_creates_none() -> None:
    r = EntityResolver([KnownEntity("Supplier:parker hannifin", "Supplier", "Parker Hannifin")], encoder=None)
    found = r.match("Supplier", ["Parker", "Parker Hannifin Corp.", "Katrin Vogel"])
    assert [f and f.id for f in found] == ["Supplier:parker hannifin", "Supplier:parker hannifin", None]
    assert r.match("Manufacturer", ["Parker"]) == [None]  # no such label known yet
    # nothing was created: "Katrin Vogel" is still unknown, so resolving it makes a new entity
    assert r.resolve("Supplier", ["Katrin Vogel"])[0].method == "new"


def test_a_name_the_model_cut_short_is_read_whole() -> None:
    text = "| Hydraulika Ostrava s.r.o. | 100 | A |\nMoravia Press Systems a.s. – Chapter 9"
    s = text.index("Ostrava")
    assert text[name_start(text, s, legal=True) : text.index(" |", s)] == "Hydraulika Ostrava s.r.o."
    s, e = text.index("Press"), text.index(" a.s.")
    assert text[name_start(text, s, legal=True) : name_end(text, e)] == "Moravia Press Systems a.s."
    line = "Contact Parker for a quote"  # a line's first word is not part of the name without a legal form
    assert name_start(line, line.index("Parker")) == line.index("Parker")
    text = "Beta – Ostrava, as hydraulic press"
    assert name_end(text, text.index(",")) == text.index(",")  # "as" is a word here, not a legal form


@pytest.mark.parametrize(
    ("sentence", "span", "rule"),
    [
        ("The O-ring compound for the Leeds press was mixed up.", "Leeds press", "equipment_description"),
        ("Owner: D. Okafor\n3. Share with Plant Beta – Ostrava", "Okafor\n3.", "person"),
    ],
)
def test_descriptions_and_numbered_people_are_no_organisations(sentence: str, span: str, rule: str) -> None:
    from kg.ingest.node_rules import people_in

    verdict = judge("Organization", " ".join(span.split()), people_in(sentence))
    assert not verdict.keep and verdict.rule == rule
    assert judge("Organization", "Grundfos Pumps").keep  # a company capitalises its words


def test_an_item_name_starts_after_a_glued_word() -> None:
    for surface, item in [
        ("ram Guide bushings", "Guide bushings"),
        ("part Hose assembly", "Hose assembly"),
        ("bowl O-ring", "bowl O-ring"),  # "O-ring" is written so mid-phrase
        ("deep groove ball bearing", "deep groove ball bearing"),
        ("Parker hoses", "Parker hoses"),
    ]:
        assert surface[item_start(surface) :] == item


def test_a_mention_never_runs_across_a_column_gap() -> None:
    line = "1   PH 2SN08 1500     Hose assy 1/2in 2SN x 1500mm JIC/JIC,            2        58.40"
    s = line.index("PH")
    assert line[slice(*column_cell(line, (s, line.index("assy"))))] == "PH 2SN08 1500"
    s = line.index("2SN x")  # a cell of its own: unchanged
    assert column_cell(line, (s, s + 5)) == (s, s + 5)
    tabbed = "Seal kit\tPHSK320"
    assert tabbed[slice(*column_cell(tabbed, (0, len(tabbed))))] == "Seal kit"


def test_places_and_pasted_tables_link_to_what_the_graph_knows(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    for name in ("equipment.csv", "bom.csv"):  # Plant Alpha – Leeds; PH-2SN08-1500
        shutil.copy(SAMPLES / name, docs / name)
    (docs / "po.txt").write_text(
        "Purchase order, delivery to Leeds\n\n"
        "Pos Part no.           Description                 Qty\n"
        "1   PH 2SN08 1500     Hose assy 1/2in 2SN x 1500mm   2\n\n"
    )
    ex = FakeExtractor({"Site": ["Leeds"], "PhysicalObject": ["PH 2SN08 1500     Hose"]})
    settings = Settings(
        store=StoreSettings(data_dir=tmp_path / "db"), extractor=ExtractorSettings(model=tmp_path / "none")
    )
    with open_knowledge_graph(settings) as kg:
        with ingestor_for(kg, settings, extractor=ex) as ingestor:
            ingestor.run([docs / "equipment.csv", docs / "bom.csv"])
        sites_before = {r["name"] for r in kg.store.read("MATCH (s:Site) RETURN s.name AS name")}
        with ingestor_for(kg, settings, extractor=ex) as ingestor:
            ingestor.run([docs / "po.txt"])
        rows = kg.store.read(
            "MATCH (n:Entity)-[:MENTIONED_IN]->(d:Document) WHERE d.id CONTAINS 'po.txt' "
            "RETURN labels(n) AS labels, coalesce(n.part_number, n.name) AS name"
        )
        named = {(next(x for x in r["labels"] if x != "Entity"), r["name"]) for r in rows}
        assert {r["name"] for r in kg.store.read("MATCH (s:Site) RETURN s.name AS name")} == sites_before
        assert ("Site", "Plant Alpha – Leeds") in named  # "Leeds" is the known site, not a new one
        assert ("Part", "PH-2SN08-1500") in named  # the code's cell is the BOM's part
        assert not any("Hose" in name and "2SN08" in name for _, name in named)


def test_ingestion_types_organisations_by_role(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    for name in ("equipment.csv", "bom.csv"):  # sites; Parker Hannifin is a known supplier
        shutil.copy(SAMPLES / name, docs / name)
    (docs / "notice.txt").write_text(
        "Notice to Northwind Components Ltd, Plant Alpha – Leeds\n\n"
        "Parker declares force majeure for the hose plant. Katrin Vogel, Hose Products Division, "
        "will send the revised dates. Interim hoses can be ordered from Acme Hose Ltd.\n"
        "Parker Hannifin Cylinder rod seals are not affected.\n"
    )
    ex = FakeExtractor(
        {
            "Organization": [
                "Northwind Components Ltd", "Parker", "Hose Products Division", "Acme Hose Ltd",
            ],
            "PhysicalObject": ["Parker Hannifin Cylinder rod"],
        }
    )  # fmt: skip
    settings = Settings(
        store=StoreSettings(data_dir=tmp_path / "db"), extractor=ExtractorSettings(model=tmp_path / "none")
    )
    with open_knowledge_graph(settings) as kg:
        with ingestor_for(kg, settings, extractor=ex) as ingestor:
            ingestor.run([docs / "equipment.csv", docs / "bom.csv"])
        with ingestor_for(kg, settings, extractor=ex) as ingestor:  # a later run, as users load documents
            report = ingestor.run([docs / "notice.txt"])

        def names(label: str, in_notice: bool = True) -> set[str]:
            rows = kg.store.read(
                f"MATCH (o:{label}) OPTIONAL MATCH (o)-[:MENTIONED_IN]->(d:Document) "
                "RETURN o.name AS name, collect(d.id) AS sources"
            )
            return {r["name"] for r in rows if not in_notice or any("notice.txt" in s for s in r["sources"])}

        assert names("Supplier") == {"Parker Hannifin", "Acme Hose Ltd"}  # "Parker" is the known supplier
        assert names("Organization") == {"Northwind Components Ltd", "Hose Products Division"}
        assert "Northwind Components Ltd" not in names("Supplier", in_notice=False)
        assert report.outcomes[0].node_rules.get("own organisation (named at a known site)") == 1
        # a known supplier's name is no part of a part's name, and the name runs on to its head noun
        assert names("Part") == {"Cylinder rod seals"}


def test_a_fragment_of_one_known_code_is_that_item(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    for name in ("equipment.csv", "bom.csv"):  # THK-HSR25A, CR-40X62X8-HMSA10V
        shutil.copy(SAMPLES / name, docs / name)
    (docs / "report.txt").write_text(
        "Replaced the THK guide block HSR25A and the shaft seal CR 40x62x8 HMSA10 on the gearbox.\n"
    )
    ex = FakeExtractor({"PhysicalObject": ["HSR25A", "CR 40x62x8 HMSA10"]})
    settings = Settings(
        store=StoreSettings(data_dir=tmp_path / "db"), extractor=ExtractorSettings(model=tmp_path / "none")
    )
    with open_knowledge_graph(settings) as kg:
        with ingestor_for(kg, settings, extractor=ex) as ingestor:
            ingestor.run([docs / "equipment.csv", docs / "bom.csv"])
        with ingestor_for(kg, settings, extractor=ex) as ingestor:
            ingestor.run([docs / "report.txt"])
        rows = kg.store.read(
            "MATCH (n:Part)-[:MENTIONED_IN]->(d:Document) WHERE d.id CONTAINS 'report.txt' "
            "RETURN n.part_number AS code, n.name AS name"
        )
        assert {r["code"] for r in rows} == {"THK-HSR25A", "CR-40X62X8-HMSA10V"}
        assert not kg.store.read("MATCH (n:Part) WHERE n.name IN ['HSR25A', 'CR 40x62x8 HMSA10'] RETURN n")


def test_a_code_fragment_names_an_item_only_when_one_code_has_it() -> None:
    g = Gazetteer(
        [
            ("Part", "THK-HSR25A", "Part:thkhsr25a"),
            ("Part", "HIWIN-HGH25CA", "Part:hiwinhgh25ca"),
            ("Part", "OR-50X3-NBR70", "Part:or50x3nbr70"),
            ("Part", "OR-50X3-FKM75", "Part:or50x3fkm75"),
        ]
    )
    assert g.code_of("HSR25A") == ("Part", "Part:thkhsr25a")  # the code's end after a separator
    assert g.code_of("hgh25ca") == ("Part", "Part:hiwinhgh25ca")
    assert g.code_of("OR-50X3") is None  # the start of two codes
    assert g.code_of("THK-HSR25A") is None  # the code itself: the phrase matcher's
    assert g.code_of("25A") is None  # too short to name anything


def test_an_item_name_runs_on_to_its_head_noun() -> None:
    line = "Permit: isolate suction and discharge valves; clean the suction strainer and the sight glass."
    at = line.index("suction strainer")
    assert line[at : item_end(line, (at, at + len("suction")))] == "suction strainer"
    at = line.index("sight")
    assert line[at : item_end(line, (at, at + len("sight")))] == "sight glass"
    at = line.index("suction")  # "suction and ...": no head noun follows
    assert item_end(line, (at, at + len("suction"))) == at + len("suction")
    wo = "repl X axis ball screw THK-BIF4010, ballbar after"
    at = wo.index("X axis")
    assert wo[at : item_end(wo, (at, at + len("X axis")))] == "X axis ball screw"
    pump = "the pump seal leaks"  # "seal" is a mention of its own: the pump is not renamed
    assert item_end(pump, (4, 8), taken=[(9, 13)]) == 8
    wrapped = "the pump\nseal"  # another line: not run on
    assert item_end(wrapped, (4, 8)) == 8


def test_a_mention_ends_where_a_new_line_starts() -> None:
    row = "grease emulsified and grey, corrosion marks on the balls\nBearing running hours: 14 200 h"
    at = row.index("balls")
    assert row[at : line_end(row, (at, row.index(" running")))] == "balls"
    wrapped = "a fire broke out in the test hall of the hose assembly\nplant that serves our customers"
    at = wrapped.index("hose")
    end = wrapped.index(" that")
    assert line_end(wrapped, (at, end)) == end  # a name wrapped in lower case runs on


def test_an_item_mention_inside_a_known_name_that_a_chunk_edge_cuts_is_dropped() -> None:
    from types import SimpleNamespace

    from extractors.types import ChunkExtraction, Mention
    from kg.ingest.pipeline.document_work import ExtractionChunk
    from kg.ingest.pipeline.gazetteer_linker import GazetteerLinker

    text = "suppliers[11].name: KSB Pumpy + Armatury s.r.o.\nsuppliers[11].aliases[0]: KSB\n"
    cut = text.index("Pumpy")  # the chunk starts inside the supplier's name
    chunk = ExtractionChunk(text[cut:], cut, len(text) - cut)
    found = ChunkExtraction(
        mentions=[Mention(start=0, end=5, label="PhysicalObject", score=0.97, text="Pumpy")]
    )
    work = SimpleNamespace(
        content=SimpleNamespace(text=text), chunks=[chunk], outcome=SimpleNamespace(node_rules={})
    )
    gazetteer = Gazetteer(
        [("Supplier", "KSB Pumpy + Armatury s.r.o.", "Supplier:ksb"), ("Supplier", "KSB", "Supplier:ksb")]
    )

    (cm,) = GazetteerLinker(gazetteer).run(work, [found])  # type: ignore[arg-type]

    assert cm.labels == [""]  # dropped: no node
    assert work.outcome.node_rules == {"organisation name, not item": 1}
    assert [x.surface for x in cm.extra] == ["KSB"]  # the cut name is its neighbour chunk's to add


def test_a_part_number_is_not_run_on_to_the_noun_after_it() -> None:
    letter = "Aktiebolaget SKF supplies the 6205-2RSH bearing for the coolant pump"
    at = letter.index("6205")
    assert item_end(letter, (at, at + len("6205-2RSH"))) == at + len("6205-2RSH")


def test_a_phrase_cut_after_a_preposition_takes_in_the_mention_that_finishes_it() -> None:
    text = "The FMEA cause “loss of spindle bearing preload” (RPN 84) is confirmed."
    loss, preload = text.index("loss of"), text.index("preload")
    spans = [(loss, loss + len("loss of")), (preload, preload + len("preload"))]
    end, taken = finished_end(text, spans[0], spans)
    assert (text[loss:end], taken) == ("loss of spindle bearing preload", [1])
    bearing = text.index("spindle bearing")  # the model marked the bearing too: both taken in
    spans = [spans[0], (bearing, bearing + len("spindle bearing")), spans[1]]
    assert finished_end(text, spans[0], spans) == (spans[2][1], [1, 2])
    far = "The loss of pressure, then after a long while and three more words the preload"
    spans = [(4, 11), (far.index("preload"), len(far))]
    assert finished_end(far, spans[0], spans) == (11, [])  # punctuation between: not one phrase


def test_a_mention_loses_the_function_words_it_dangles_and_an_item_takes_in_nothing() -> None:
    recall = "The speed control then no longer responds to the accelerator pedal. Repair the fuel pump."
    mode, pedal = recall.index("no longer"), recall.index("accelerator pedal")
    spans = [(mode, pedal - 1), (pedal, pedal + len("accelerator pedal"))]
    out, taken = repair_spans(recall, spans, ["FailureMode", "PhysicalObject"])
    assert [recall[s:e] for s, e in out] == ["no longer responds", "accelerator pedal"] and not taken
    wo = "earth wire broken on bottom of radiator"  # "[bottom of] [radiator]": the radiator stays
    bottom, radiator = wo.index("bottom"), wo.index("radiator")
    out, taken = repair_spans(wo, [(bottom, radiator - 1), (radiator, len(wo))], ["PhysicalObject"] * 2)
    assert [wo[s:e] for s, e in out] == ["bottom", "radiator"] and not taken


def test_an_extraction_is_shown_as_ingestion_repairs_it() -> None:
    from extractors.types import ChunkExtraction, Mention, PredictedRelation
    from kg.ingest.name_spans import repair_extraction

    text = "The FMEA cause loss of spindle bearing preload; the control no longer responds to the pedal"

    def mention(surface: str, label: str) -> Mention:
        at = text.index(surface)
        return Mention(start=at, end=at + len(surface), label=label, score=0.9, text=surface)

    found = ChunkExtraction(
        mentions=[
            mention("loss of", "FailureCause"),
            mention("spindle bearing", "PhysicalObject"),
            mention("preload", "PhysicalObject"),
            mention("no longer responds to the", "FailureMode"),
            mention("pedal", "PhysicalObject"),
        ],
        relations=[
            PredictedRelation(head=1, tail=0, label="hasFailureMode", score=0.8),  # names a mention taken in
            PredictedRelation(head=4, tail=3, label="hasFailureMode", score=0.9),
        ],
    )
    fixed = repair_extraction(text, found)
    assert [m.text for m in fixed.mentions] == [
        "loss of spindle bearing preload",
        "no longer responds",
        "pedal",
    ]
    assert all(text[m.start : m.end] == m.text for m in fixed.mentions)
    assert [(r.head, r.tail, r.label) for r in fixed.relations] == [(2, 1, "hasFailureMode")]
