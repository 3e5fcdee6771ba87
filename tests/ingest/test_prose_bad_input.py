"""Prose the extractor cannot or should not read (issue #10, bad input): other languages and scripts, all-caps
records, run-together words, very long paragraphs, tables pasted as text. No crash, bounded chunks, nothing
read from text the model was not trained for, and what was left out is reported by document."""

from __future__ import annotations

import shutil
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from fakes import FakeExtractor

from extractors.types import ChunkExtraction, TextChunk
from kg.core.settings import Settings
from kg.graph.knowledge_graph import KnowledgeGraph, open_knowledge_graph
from kg.ingest.chunking import DEFAULT_MAX_CHARS
from kg.ingest.language import LanguageGate
from kg.ingest.manifest import Manifest
from kg.ingest.pipeline import IngestOptions, Ingestor, IngestReport

STRUCTURED = Path(__file__).resolve().parents[2] / "samples" / "structured"
ENGLISH = (
    "Parker Hannifin informed us that the hydraulic hose assemblies of lot 4411 may crack at the crimp "
    "fitting. A cracked hose can leak fluid and cause a loss of clamping pressure. Replace the hose."
)
GERMAN = (
    "Die Firma Parker Hannifin hat uns mitgeteilt, dass die Hydraulikschläuche der Charge 4411 an der "
    "Pressfassung reißen können. Ein gerissener Schlauch kann undicht werden und den Spanndruck verlieren."
)
CHINESE = (
    "派克汉尼汾公司通知我们，批次4411的液压软管总成可能在压接接头处开裂。"
    "开裂的软管可能泄漏液体，导致夹紧压力丧失。请更换软管。"
)
RUSSIAN = (
    "Компания Parker Hannifin сообщила, что шланги партии 4411 могут треснуть у обжимного фитинга "
    "и потерять давление."
)


class RecordingExtractor(FakeExtractor):
    """The shared fake, remembering every chunk text it was given."""

    def __init__(self) -> None:
        super().__init__(
            {"Organization": ["Parker Hannifin"], "PhysicalObject": ["hose", "hydraulic hose assemblies"]},
            ignore_case=True,
        )
        self.seen: list[str] = []

    def extract(self, chunks: Sequence[TextChunk]) -> list[ChunkExtraction]:
        self.seen += [c.text for c in chunks]
        return super().extract(chunks)


@pytest.fixture
def graph(tmp_path: Path) -> Iterator[tuple[KnowledgeGraph, Manifest]]:
    settings = Settings(store={"data_dir": str(tmp_path / "data")})
    with open_knowledge_graph(settings) as kg:
        manifest = Manifest(tmp_path / "data" / "ingest.sqlite")
        yield kg, manifest
        manifest.close()


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    """An empty folder for the test's documents."""
    folder = tmp_path / "docs"
    folder.mkdir()
    return folder


def _ingest(
    graph: tuple[KnowledgeGraph, Manifest], docs: Path, ex: FakeExtractor, **opts: object
) -> IngestReport:
    kg, manifest = graph
    return Ingestor(kg, manifest, extractor=ex, options=IngestOptions(recursive=True, **opts)).run([docs])  # type: ignore[arg-type]


def _by_name(report: IngestReport) -> dict[str, object]:
    return {Path(o.path).name: o for o in report.outcomes}


def test_text_in_other_languages_is_reported_not_extracted_and_the_batch_goes_on(
    graph: tuple[KnowledgeGraph, Manifest], docs: Path
) -> None:
    (docs / "notice_en.txt").write_text(ENGLISH)
    (docs / "notice_de.txt").write_text(GERMAN)
    (docs / "notice_zh.txt").write_text(CHINESE)
    (docs / "notice_ru.txt").write_text(RUSSIAN)
    (docs / "mixed.txt").write_text(ENGLISH + "\n\n" + GERMAN)
    ex = RecordingExtractor()

    report = _ingest(graph, docs, ex)

    out = _by_name(report)
    assert {name: o.state for name, o in out.items()} == dict.fromkeys(out, "loaded")  # type: ignore[attr-defined]
    assert out["notice_de.txt"].languages_skipped == {"de": len(GERMAN)}  # type: ignore[attr-defined]
    assert set(out["notice_zh.txt"].languages_skipped) == {"zh"}  # type: ignore[attr-defined]
    assert set(out["notice_ru.txt"].languages_skipped) == {"ru"}  # type: ignore[attr-defined]
    assert out["notice_en.txt"].languages_skipped == {}  # type: ignore[attr-defined]
    assert out["mixed.txt"].languages_skipped == {"de": len(GERMAN)}  # type: ignore[attr-defined]
    warning = " ".join(out["notice_de.txt"].warnings)  # type: ignore[attr-defined]
    assert "notice_de.txt" in warning and "in de" in warning and "KG_INGEST__LANGUAGES" in warning
    # the model never saw the foreign text; the English text (alone and in the mixed file) it read
    assert not any("Schlauch" in s or "软管" in s or "шланги" in s for s in ex.seen)
    assert sum("Replace the hose" in s for s in ex.seen) == 2  # notice_en.txt and mixed.txt's English part
    kg, _ = graph
    assert kg.store.read("MATCH (o) WHERE o.name = 'Parker Hannifin' RETURN count(o) AS n")[0]["n"] == 1


def test_known_names_in_foreign_text_still_link_to_the_graph(
    graph: tuple[KnowledgeGraph, Manifest], docs: Path
) -> None:
    from kg.ingest.gazetteer import Gazetteer
    from kg.ingest.service import gazetteer_entries

    kg, manifest = graph
    shutil.copy(STRUCTURED / "bom.csv", docs / "bom.csv")
    Ingestor(kg, manifest, extractor=RecordingExtractor()).run([docs / "bom.csv"])
    (docs / "angebot.txt").write_text(
        "Sehr geehrte Damen und Herren, wir bieten Ihnen das Rillenkugellager 6205-2RSH von SKF zum "
        "Listenpreis an. Die Lieferzeit beträgt derzeit sechs Wochen ab Auftragseingang in unserem Werk."
    )
    gazetteer = Gazetteer(gazetteer_entries(kg))  # as `kg ingest` builds it
    ex = RecordingExtractor()
    report = Ingestor(kg, manifest, extractor=ex, gazetteer=gazetteer).run([docs / "angebot.txt"])
    assert set(report.outcomes[0].languages_skipped) == {"de"}
    assert ex.seen == []  # the model read nothing
    doc_id = report.outcomes[0].doc_id
    linked = kg.store.read(
        "MATCH (p:Part)-[:MENTIONED_IN]->(d:Document) WHERE d.id = $doc RETURN p.id AS id", {"doc": doc_id}
    )
    assert linked == [{"id": "Part:62052rsh"}]  # the BOM's part, found by its number


def test_an_empty_language_list_reads_everything(graph: tuple[KnowledgeGraph, Manifest], docs: Path) -> None:
    (docs / "notice_de.txt").write_text(GERMAN)
    ex = RecordingExtractor()
    report = _ingest(graph, docs, ex, languages=())
    assert report.outcomes[0].languages_skipped == {}
    assert any("Schlauch" in s for s in ex.seen)


@pytest.mark.parametrize(
    "text",
    [
        ENGLISH.upper(),  # all-caps recall records
        "VEHICLEFIRE RISK: THE FUELPUMP MAYFAIL AND CAUSE AN ENGINESTALL WHILE DRIVING AT HIGHWAY SPEEDS.",
        "Part no | Qty | Supplier | Lead time\n6205-2RS | 40 | SKF | 6 wk\n6206-ZZ | 10 | NSK | 8 wk\n",
        "Lieferant: Parker Hannifin GmbH, PO 4500012345, DAP Bielefeld.",  # short: too short to tell, read
    ],
)
def test_english_in_odd_shapes_is_read(text: str) -> None:
    assert LanguageGate(["en"]).foreign(text) is None


def test_a_very_long_paragraph_is_cut_into_bounded_chunks_whose_spans_stay_exact(
    graph: tuple[KnowledgeGraph, Manifest], docs: Path
) -> None:
    # 300 kB without a full stop or a line break: one "sentence" for the sentencizer
    text = " ".join(f"hose {i} of the hydraulic hose assemblies may crack and leak" for i in range(5000))
    (docs / "wall_of_text.txt").write_text(text)
    ex = RecordingExtractor()

    report = _ingest(graph, docs, ex)

    assert report.outcomes[0].state == "loaded"
    assert len(ex.seen) > len(text) // DEFAULT_MAX_CHARS
    assert max(len(s) for s in ex.seen) <= DEFAULT_MAX_CHARS
    assert all(s in text for s in ex.seen[:50])
    kg, _ = graph
    assert kg.store.read("MATCH (o) WHERE o.name = 'Parker Hannifin' RETURN count(o) AS n")[0]["n"] == 0
    assert kg.store.read("MATCH (p) WHERE toLower(p.name) CONTAINS 'hose' RETURN count(p) AS n")[0]["n"] >= 1


def test_a_table_pasted_into_prose_is_read_row_by_row() -> None:
    from kg.ingest.chunking import looks_tabular, split_text

    text = (
        "Quote for the Ostrava plant.\n\n"
        "Part no      Qty    Supplier       Lead time\n"
        "6205-2RS     40     SKF            6 wk\n"
        "6206-ZZ      10     NSK Europe     8 wk\n\n"
        "Prices are net. Delivery DAP Ostrava."
    )
    chunks = split_text(text, doc_id="d")
    assert [c.text for c in chunks] == [
        "Quote for the Ostrava plant.",
        "Part no      Qty    Supplier       Lead time",
        "6205-2RS     40     SKF            6 wk",
        "6206-ZZ      10     NSK Europe     8 wk",
        "Prices are net. Delivery DAP Ostrava.",
    ]
    assert all(text[c.offset : c.offset + len(c.text)] == c.text for c in chunks)
    # prose that wraps over lines, or a list of sentences, is not a table
    assert not looks_tabular("The pump leaked.\nThe seal was replaced.\nThe line restarted at noon.")
    assert not looks_tabular("Root cause | insufficient lapping\nAction: replace the seal")


def test_a_line_in_another_language_inside_an_english_offer_is_not_read(
    graph: tuple[KnowledgeGraph, Manifest], docs: Path
) -> None:
    french = "Objet : Bagues de guidage en bronze pour presse hydraulique 250 t (OST-HP-02)"
    (docs / "offer.txt").write_text(f"{french}\nSubject: Bronze guide bushings for the press\n\n{ENGLISH}\n")
    ex = RecordingExtractor()

    report = _ingest(graph, docs, ex)

    outcome = report.outcomes[0]
    assert outcome.state == "loaded"
    assert outcome.languages_skipped == {"fr": len(french)}
    assert not any("Bagues" in s or "presse" in s for s in ex.seen)  # the French line reached no model
    assert any("Subject: Bronze guide bushings" in s for s in ex.seen)
    assert sum("Replace the hose" in s for s in ex.seen) == 1
